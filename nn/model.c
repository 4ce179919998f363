/* model.c - the network graph: building it (input, flatten, dense,
 * activation, concatenate, outputs), its parameters, and compiling.  The
 * passes over it are in pass.c (forward, loss, backward), the per-batch
 * buffers in batch.c, plain SGD folded into backward in fold.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mat.h"
#include "model.h"

const char *const nn_node_class[] = {
    "InputLayer", "Flatten", "Dense", "Activation", "Concatenate",
    "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", NULL,
};
_Static_assert(sizeof nn_node_class / sizeof *nn_node_class == NN_NODE_KIND_COUNT + 1,
               "a class name per node kind");

static const char *const auto_base[] = {
    "input_layer", "flatten", "dense", "activation", "concatenate",
    "add", "subtract", "multiply", "average", "maximum", "minimum",
};
_Static_assert(sizeof auto_base / sizeof *auto_base == NN_NODE_KIND_COUNT,
               "an automatic name per node kind");

void nn_dense_defaults(nn_dense_cfg *c, int units)
{
    memset(c, 0, sizeof *c);
    c->units = units;
    c->activation = NN_ACT_LINEAR;
    c->use_bias = 1;
    c->kernel_initializer = NN_INIT_GLOROT_UNIFORM;
    c->bias_initializer = NN_INIT_ZEROS;
    c->trainable = 1;
    nn_init_args_defaults(&c->kernel_args);
    nn_init_args_defaults(&c->bias_args);
}

nn_model *nn_model_new(const char *name, int sequential, nn_err *e)
{
    nn_model *m = nn_calloc(1, sizeof *m, e);
    if (!m)
        return NULL;
    snprintf(m->name, sizeof m->name, "%s",
             name && *name ? name : sequential ? "sequential" : "functional");
    m->sequential = sequential;
    return m;
}

static void free_buffers(nn_model *m)
{
    free(m->slab);
    m->slab = NULL;
    m->slab_len = 0;
    m->batch_cap = 0;
    for (int i = 0; i < m->n; i++) {
        nn_node *nd = &m->nodes[i];
        nd->a = nd->da = nd->z = nd->dz = NULL;
    }
}

void nn_model_free(nn_model *m)
{
    if (!m)
        return;
    free_buffers(m);
    free(m->nodes);
    free(m->params);
    free(m->grads);
    free(m->gather);
    nn_opt_free(&m->opt);
    free(m);
}

nn_model *nn_model_clone(const nn_model *src, nn_err *e)
{
    nn_model *m = nn_calloc(1, sizeof *m, e);
    if (!m)
        return NULL;
    *m = *src;
    m->nodes = NULL;
    m->n = 0;               /* no nodes until they are copied (free_buffers) */
    m->params = m->grads = m->slab = NULL;
    m->slab_len = 0;
    m->gather = NULL;
    m->gather_len = 0;
    m->batch_cap = 0;
    memset(&m->opt, 0, sizeof m->opt);
    m->nodes = nn_calloc((size_t)(src->cap ? src->cap : 1), sizeof *m->nodes, e);
    m->params = nn_calloc(src->nparams, sizeof(float), e);
    m->grads = m->params ? nn_calloc(src->nparams, sizeof(float), e) : NULL;
    if (!m->nodes || !m->params || !m->grads)
        goto fail;
    if (src->n)
        memcpy(m->nodes, src->nodes, (size_t)src->n * sizeof *m->nodes);
    m->n = src->n;
    for (int i = 0; i < m->n; i++) {
        nn_node *nd = &m->nodes[i];
        nd->a = nd->da = nd->z = nd->dz = NULL;
    }
    if (src->nparams) {
        memcpy(m->params, src->params, src->nparams * sizeof(float));
        memcpy(m->grads, src->grads, src->nparams * sizeof(float));
    }
    if (src->opt.n && nn_opt_copy(&m->opt, &src->opt, e) != NN_OK)
        goto fail;
    return m;
fail:
    nn_model_free(m);
    return NULL;
}

/* ---- building ---- */

static int name_taken(const nn_model *m, const char *name)
{
    return nn_model_find(m, name) >= 0;
}

/* Keras's automatic names: "dense", then "dense_1", "dense_2", ... */
static int set_name(nn_model *m, nn_node *nd, const char *name, nn_err *e)
{
    if (name && *name) {
        if (strlen(name) >= NN_NAMEMAX)
            return nn_fail(e, "name '%s' is too long (at most %d characters)",
                           name, NN_NAMEMAX - 1);
        for (const char *p = name; *p; p++)
            if (!(*p == '_' || *p == '-' || *p == '.' ||
                  (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                  (*p >= 'A' && *p <= 'Z')))
                return nn_fail(e, "name '%s' may hold only letters, digits, "
                                  "'_', '-' and '.'", name);
        if (name_taken(m, name))
            return nn_fail(e, "a layer named '%s' already exists", name);
        snprintf(nd->name, sizeof nd->name, "%s", name);
        return NN_OK;
    }
    const char *base = auto_base[nd->kind];
    if (!name_taken(m, base)) {
        snprintf(nd->name, sizeof nd->name, "%s", base);
        return NN_OK;
    }
    for (int k = 1;; k++) {
        snprintf(nd->name, sizeof nd->name, "%s_%d", base, k);
        if (!name_taken(m, nd->name))
            return NN_OK;
    }
}

static int check_input_index(const nn_model *m, int input, nn_err *e)
{
    if (input < 0 || input >= m->n)
        return nn_fail(e, "no layer to connect to: start with an input");
    return NN_OK;
}

/* Room for one more node. */
static nn_node *new_node(nn_model *m, nn_node_kind kind, nn_err *e)
{
    if (m->n == m->cap) {
        int cap = m->cap ? 2 * m->cap : 8;
        nn_node *nodes = nn_calloc((size_t)cap, sizeof *nodes, e);
        if (!nodes)
            return NULL;
        if (m->n)
            memcpy(nodes, m->nodes, (size_t)m->n * sizeof *nodes);
        free(m->nodes);
        m->nodes = nodes;
        m->cap = cap;
    }
    nn_node *nd = &m->nodes[m->n];
    memset(nd, 0, sizeof *nd);
    nd->kind = kind;
    nd->shared = m->n;
    return nd;
}

static void structure_changed(nn_model *m)
{
    free_buffers(m);
    nn_opt_free(&m->opt);
    m->compiled = 0;
}

int nn_model_add_input(nn_model *m, const int *shape, int ndim,
                       const char *name, nn_err *e)
{
    if (ndim < 1 || ndim > NN_MAXDIMS)
        return nn_fail(e, "an input shape has 1 to %d dimensions", NN_MAXDIMS);
    if (m->sequential && m->n > 0)
        return nn_fail(e, "a Sequential model has one input, and it has it "
                          "already; use reset or model to start again");
    size_t size = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] <= 0 || shape[i] > 1 << 24)
            return nn_fail(e, "input dimensions must be between 1 and %d "
                              "(got %d)", 1 << 24, shape[i]);
        size *= (size_t)shape[i];
        if (size > (size_t)1 << 28)
            return nn_fail(e, "input of more than %d values per sample",
                           1 << 28);
    }
    nn_node *nd = new_node(m, NN_NODE_INPUT, e);
    if (!nd || set_name(m, nd, name, e) != NN_OK)
        return NN_FAIL;
    nd->ndim = ndim;
    memcpy(nd->shape, shape, (size_t)ndim * sizeof *shape);
    nd->size = (int)size;
    structure_changed(m);
    return m->n++;
}

int nn_model_add_flatten(nn_model *m, int input, const char *name, nn_err *e)
{
    if (check_input_index(m, input, e) != NN_OK)
        return NN_FAIL;
    int size = m->nodes[input].size;
    nn_node *nd = new_node(m, NN_NODE_FLATTEN, e);
    if (!nd || set_name(m, nd, name, e) != NN_OK)
        return NN_FAIL;
    nd->nin = 1;
    nd->in[0] = input;
    nd->ndim = 1;
    nd->shape[0] = nd->size = size;
    structure_changed(m);
    return m->n++;
}

/* Grows params and grads by extra floats, keeping what is there. */
static int grow_params(nn_model *m, size_t extra, nn_err *e)
{
    size_t n = m->nparams + extra;
    if (n > (size_t)1 << 31)
        return nn_fail(e, "the model would hold %zu parameters; at most %zu",
                       n, (size_t)1 << 31);
    /* params, grads and up to two optimizer moments */
    if (nn_mul3(n, 4 * sizeof(float), 1) > nn_memcap()) {
        char b1[NN_SIZETEXT], b2[NN_SIZETEXT];
        return nn_fail(e, "%zu parameters need %s with gradients and "
                          "optimizer state, over the memory cap of %s "
                          "(set memory_cap=BYTES)", n, nn_size_text(n * 16.0, b1),
                       nn_size_text((double)nn_memcap(), b2));
    }
    float *p = nn_calloc(n, sizeof(float), e);
    float *g = p ? nn_calloc(n, sizeof(float), e) : NULL;
    if (!p || !g) {
        free(p);
        return NN_FAIL;
    }
    if (m->nparams) {
        memcpy(p, m->params, m->nparams * sizeof(float));
        memcpy(g, m->grads, m->nparams * sizeof(float));
    }
    free(m->params);
    free(m->grads);
    m->params = p;
    m->grads = g;
    m->nparams = n;
    return NN_OK;
}

static void init_dense(nn_model *m, nn_node *nd, nn_rng *r)
{
    const nn_dense_cfg *c = &nd->dense;
    nn_init_fill_args(c->kernel_initializer, c->kernel_value, &c->kernel_args,
                      m->params + nd->w_off, (size_t)nd->fan_in * (size_t)c->units,
                      nd->fan_in, c->units, r);
    if (c->use_bias)
        nn_init_fill_args(c->bias_initializer, c->bias_value, &c->bias_args,
                          m->params + nd->b_off, (size_t)c->units, nd->fan_in,
                          c->units, r);
}

int nn_model_add_dense(nn_model *m, int input, const nn_dense_cfg *c,
                       const char *name, nn_rng *r, nn_err *e)
{
    if (check_input_index(m, input, e) != NN_OK)
        return NN_FAIL;
    const nn_node *in = &m->nodes[input];
    if (c->units <= 0 || c->units > 1 << 24)
        return nn_fail(e, "units must be between 1 and %d (got %d)", 1 << 24,
                       c->units);
    if (in->ndim != 1) {
        char sh[64];
        nn_node_shape_str(in, sh, sizeof sh);
        return nn_fail(e, "Dense needs a flat input but '%s' gives %s; "
                          "add flatten first", in->name, sh);
    }
    if ((unsigned)c->activation >= NN_ACT_COUNT ||
        (unsigned)c->kernel_initializer >= NN_INIT_COUNT ||
        (unsigned)c->bias_initializer >= NN_INIT_COUNT)
        return nn_fail(e, "unknown activation or initializer");
    if (nn_init_args_check(c->kernel_initializer, &c->kernel_args, e) != NN_OK ||
        nn_init_args_check(c->bias_initializer, &c->bias_args, e) != NN_OK)
        return NN_FAIL;
    if (c->use_bias && nn_init_needs_matrix(c->bias_initializer))
        /* Keras: "the tensor to initialize must be at least two-dimensional" */
        return nn_fail(e, "%s needs a matrix; a bias is a vector (use it as "
                          "kernel_initializer=)", nn_init_names[c->bias_initializer]);
    if (c->activation == NN_ACT_GLU)   /* z and a would differ in width */
        return nn_fail(e, "glu halves its input's last axis, which a Dense "
                          "layer's activation= cannot do here; add the layer "
                          "linear, then activation glu");
    int fan_in = in->size;
    size_t nw = nn_mul3((size_t)fan_in, (size_t)c->units, 1);
    size_t extra = nw + (c->use_bias ? (size_t)c->units : 0);
    nn_node tmp = {0};
    tmp.kind = NN_NODE_DENSE;
    if (set_name(m, &tmp, name, e) != NN_OK)
        return NN_FAIL;
    size_t off = m->nparams;
    if (grow_params(m, extra, e) != NN_OK)
        return NN_FAIL;
    nn_node *nd = new_node(m, NN_NODE_DENSE, e);
    if (!nd) {
        m->nparams = off;  /* the larger buffers stay; only the count shrinks */
        return NN_FAIL;
    }
    memcpy(nd->name, tmp.name, sizeof nd->name);
    nd->nin = 1;
    nd->in[0] = input;
    nd->ndim = 1;
    nd->shape[0] = nd->size = c->units;
    nd->dense = *c;
    nd->act = c->activation;
    nd->fan_in = fan_in;
    nd->w_off = off;
    nd->b_off = off + nw;
    init_dense(m, nd, r);
    structure_changed(m);
    return m->n++;
}

int nn_model_add_activation(nn_model *m, int input, nn_act a,
                            const char *name, nn_err *e)
{
    if (check_input_index(m, input, e) != NN_OK)
        return NN_FAIL;
    if ((unsigned)a >= NN_ACT_COUNT)
        return nn_fail(e, "unknown activation");
    /* read the input's shape before new_node, which may move the nodes */
    const nn_node *in = &m->nodes[input];
    int ndim = in->ndim, size = in->size;
    int shape[NN_MAXDIMS];
    memcpy(shape, in->shape, sizeof shape);
    if (a == NN_ACT_GLU) {   /* Keras: glu splits the last axis in two */
        if (shape[ndim - 1] % 2)
            return nn_fail(e, "glu splits the last axis of its input in two "
                              "halves, so it must be even (got %d)",
                           shape[ndim - 1]);
        shape[ndim - 1] /= 2;
        size /= 2;
    }
    nn_node *nd = new_node(m, NN_NODE_ACTIVATION, e);
    if (!nd)
        return NN_FAIL;
    if (set_name(m, nd, name, e) != NN_OK)
        return NN_FAIL;
    nd->nin = 1;
    nd->in[0] = input;
    nd->ndim = ndim;
    memcpy(nd->shape, shape, sizeof shape);
    nd->size = size;
    nd->act = a;
    structure_changed(m);
    return m->n++;
}

int nn_model_add_concat(nn_model *m, const int *inputs, int n,
                        const char *name, nn_err *e)
{
    if (n < 2 || n > NN_MAXIN)
        return nn_fail(e, "concatenate takes 2 to %d inputs (got %d)", NN_MAXIN, n);
    int size = 0;
    for (int i = 0; i < n; i++) {
        if (check_input_index(m, inputs[i], e) != NN_OK)
            return NN_FAIL;
        if (m->nodes[inputs[i]].ndim != 1)
            return nn_fail(e, "concatenate needs flat inputs; '%s' is not "
                              "(add flatten first)", m->nodes[inputs[i]].name);
        size += m->nodes[inputs[i]].size;
    }
    nn_node *nd = new_node(m, NN_NODE_CONCAT, e);
    if (!nd || set_name(m, nd, name, e) != NN_OK)
        return NN_FAIL;
    nd->nin = n;
    memcpy(nd->in, inputs, (size_t)n * sizeof *inputs);
    nd->ndim = 1;
    nd->shape[0] = nd->size = size;
    structure_changed(m);
    return m->n++;
}

int nn_model_add_merge(nn_model *m, nn_node_kind kind, const int *inputs, int n,
                       const char *name, nn_err *e)
{
    if (!NN_NODE_IS_MERGE(kind))
        return nn_fail(e, "not a merging layer");
    const char *what = auto_base[kind];
    if (kind == NN_NODE_SUBTRACT && n != 2)
        return nn_fail(e, "subtract takes exactly 2 inputs (got %d): a - b", n);
    if (n < 2 || n > NN_MAXIN)
        return nn_fail(e, "%s takes 2 to %d inputs (got %d)", what, NN_MAXIN, n);
    for (int i = 0; i < n; i++)
        if (check_input_index(m, inputs[i], e) != NN_OK)
            return NN_FAIL;
    const nn_node *first = &m->nodes[inputs[0]];
    for (int i = 1; i < n; i++) {
        const nn_node *x = &m->nodes[inputs[i]];
        if (x->ndim != first->ndim ||
            memcmp(x->shape, first->shape, (size_t)x->ndim * sizeof *x->shape) != 0) {
            char a[64], b[64];
            nn_node_shape_str(first, a, sizeof a);
            nn_node_shape_str(x, b, sizeof b);
            return nn_fail(e, "%s needs inputs of one shape: '%s' is %s, '%s' is %s",
                           what, first->name, a, x->name, b);
        }
    }
    /* the shape, before new_node may move the nodes (and `first` with them) */
    int ndim = first->ndim, size = first->size, shape[NN_MAXDIMS];
    memcpy(shape, first->shape, sizeof shape);
    nn_node *nd = new_node(m, kind, e);
    if (!nd || set_name(m, nd, name, e) != NN_OK)
        return NN_FAIL;
    nd->nin = n;
    memcpy(nd->in, inputs, (size_t)n * sizeof *inputs);
    nd->ndim = ndim;
    memcpy(nd->shape, shape, sizeof nd->shape);
    nd->size = size;
    structure_changed(m);
    return m->n++;
}

int nn_model_add_call(nn_model *m, int layer, int input, const char *name,
                      nn_err *e)
{
    if (check_input_index(m, layer, e) != NN_OK ||
        check_input_index(m, input, e) != NN_OK)
        return NN_FAIL;
    if (m->nodes[layer].kind != NN_NODE_DENSE)
        return nn_fail(e, "'%s' (%s) has no weights to share; call takes a Dense "
                          "layer", m->nodes[layer].name, nn_node_class[m->nodes[layer].kind]);
    int owner = m->nodes[layer].shared;
    const nn_node *x = &m->nodes[input];
    if (x->ndim != 1)
        return nn_fail(e, "'%s' is not flat (add flatten first)", x->name);
    if (x->size != m->nodes[owner].fan_in)
        return nn_fail(e, "'%s' gives %d values per sample but the weights of '%s' "
                          "take %d", x->name, x->size, m->nodes[owner].name,
                       m->nodes[owner].fan_in);
    nn_node *nd = new_node(m, NN_NODE_DENSE, e);
    if (!nd)
        return NN_FAIL;
    const nn_node *own = &m->nodes[owner];   /* after new_node: nodes may move */
    nd->kind = NN_NODE_DENSE;
    if (set_name(m, nd, name, e) != NN_OK)
        return NN_FAIL;
    nd->dense = own->dense;
    nd->act = own->act;
    nd->fan_in = own->fan_in;
    nd->shared = owner;
    nd->w_off = own->w_off;
    nd->b_off = own->b_off;
    nd->nin = 1;
    nd->in[0] = input;
    nd->ndim = 1;
    nd->shape[0] = nd->size = own->dense.units;
    structure_changed(m);
    return m->n++;
}

int nn_model_set_outputs(nn_model *m, const int *outs, int n, nn_err *e)
{
    if (n < 1 || n > NN_MAXOUT)
        return nn_fail(e, "a model has 1 to %d outputs (got %d)", NN_MAXOUT, n);
    if (m->sequential)
        return nn_fail(e, "a Sequential model's output is its last layer");
    for (int i = 0; i < n; i++) {
        if (outs[i] < 0 || outs[i] >= m->n)
            return nn_fail(e, "output %d is not a layer of the model", i + 1);
        if (m->nodes[outs[i]].kind == NN_NODE_INPUT)
            return nn_fail(e, "an input cannot be an output");
        for (int j = 0; j < i; j++)
            if (outs[j] == outs[i])
                return nn_fail(e, "'%s' is named twice as an output",
                               m->nodes[outs[i]].name);
    }
    memcpy(m->out, outs, (size_t)n * sizeof *outs);
    m->nout = n;
    structure_changed(m);
    return NN_OK;
}

int nn_model_pop(nn_model *m, nn_err *e)
{
    if (m->n == 0)
        return nn_fail(e, "the model has no layers");
    if (m->n == 1 && m->nodes[0].kind == NN_NODE_INPUT)
        return nn_fail(e, "only the input is left; use model to start a new one");
    int last = m->n - 1;
    for (int k = 0; k < m->nout; k++)
        if (m->out[k] == last)
            return nn_fail(e, "'%s' is an output of the model", m->nodes[last].name);
    nn_node *nd = &m->nodes[last];
    if (nd->kind == NN_NODE_DENSE && nd->shared == last)
        m->nparams = nd->w_off;   /* its parameters were the last appended */
    m->n--;
    structure_changed(m);
    return NN_OK;
}

int nn_model_find(const nn_model *m, const char *name)
{
    for (int i = 0; i < m->n; i++)
        if (strcmp(m->nodes[i].name, name) == 0)
            return i;
    return -1;
}

void nn_model_reinit(nn_model *m, nn_rng *r)
{
    for (int i = 0; i < m->n; i++)
        if (m->nodes[i].kind == NN_NODE_DENSE && m->nodes[i].shared == i)
            init_dense(m, &m->nodes[i], r);
}

size_t nn_node_params(const nn_model *m, int i)
{
    const nn_node *nd = &m->nodes[i];
    if (nd->kind != NN_NODE_DENSE || nd->shared != i)
        return 0;
    return (size_t)nd->fan_in * nd->dense.units +
           (nd->dense.use_bias ? (size_t)nd->dense.units : 0);
}

void nn_model_count(const nn_model *m, size_t *total, size_t *trainable)
{
    size_t t = 0, tr = 0;
    for (int i = 0; i < m->n; i++) {
        size_t p = nn_node_params(m, i);
        t += p;
        if (m->nodes[i].dense.trainable)
            tr += p;
    }
    if (total)
        *total = t;
    if (trainable)
        *trainable = tr;
}

int nn_model_ninputs(const nn_model *m)
{
    int k = 0;
    for (int i = 0; i < m->n; i++)
        k += m->nodes[i].kind == NN_NODE_INPUT;
    return k;
}

int nn_model_set_input_columns(nn_model *m, int i, int from, nn_err *e)
{
    if (i < 0 || i >= m->n || m->nodes[i].kind != NN_NODE_INPUT)
        return nn_fail(e, "only an input takes data columns");
    if (from < 0 || from > (1 << 28))
        return nn_fail(e, "the first column must be 0 or more (got %d)", from);
    m->nodes[i].col_from = from + 1;
    return NN_OK;
}

int nn_model_check_columns(const nn_model *m, int d, nn_err *e)
{
    int nin = nn_model_ninputs(m);
    for (int i = 0; i < m->n; i++) {
        const nn_node *nd = &m->nodes[i];
        if (nd->kind != NN_NODE_INPUT)
            continue;
        if (nd->col_from == 0) {
            if (nin > 1)
                return nn_fail(e, "the model has %d inputs: say which columns "
                                  "of the data each one reads (input '%s' does "
                                  "not: input %d name=%s features=FROM:TO)", nin,
                               nd->name, nd->size, nd->name);
            if (nd->size != d)
                return nn_fail(e, "the model's input takes %d value%s per sample "
                                  "but the data has %d; start again with input %d",
                               nd->size, nd->size == 1 ? "" : "s", d, d);
            continue;
        }
        long from = nd->col_from - 1;
        if (from + nd->size > d)
            return nn_fail(e, "input '%s' reads columns %ld:%ld but the data has "
                              "%d", nd->name, from, from + nd->size, d);
    }
    return NN_OK;
}

int nn_model_input(const nn_model *m)
{
    for (int i = 0; i < m->n; i++)
        if (m->nodes[i].kind == NN_NODE_INPUT)
            return i;
    return -1;
}

int nn_model_output(const nn_model *m)
{
    if (m->nout > 0)
        return m->out[0];
    return m->n > 0 ? m->n - 1 : -1;
}

void nn_node_shape_str(const nn_node *n, char *buf, size_t len)
{
    size_t k = (size_t)snprintf(buf, len, "(None");
    for (int i = 0; i < n->ndim && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, ", %d", n->shape[i]);
    if (k < len)
        snprintf(buf + k, len - k, ")");
}

/* ---- compiling ---- */

void nn_compile_defaults(nn_compile_cfg *c)
{
    memset(c, 0, sizeof *c);
    for (int k = 0; k < NN_MAXOUT; k++) {
        c->loss[k].kind = NN_LOSS_MSE;
        c->loss[k].delta = 1.0f;
        c->loss[k].gamma = 2.0f;    /* Keras's focal defaults */
        c->loss[k].alpha = 0.25f;
        c->loss_weights[k] = 1.0;
    }
    nn_opt_defaults(&c->opt, NN_OPT_SGD);
    c->top_k = NN_TOP_K;
}

/* Outputs of the model: the declared ones, or the last node. */
int nn_model_outputs(const nn_model *m, int *outs)
{
    if (m->nout > 0) {
        memcpy(outs, m->out, (size_t)m->nout * sizeof *outs);
        return m->nout;
    }
    if (m->n == 0)
        return 0;
    outs[0] = m->n - 1;
    return 1;
}

int nn_model_compile(nn_model *m, const nn_compile_cfg *c, nn_err *e)
{
    int outs[NN_MAXOUT];
    int nout = nn_model_outputs(m, outs);
    if (nout == 0 || m->nparams == 0)
        return nn_fail(e, "the model has no layers with weights");
    if (nn_opt_check(&c->opt, e) != NN_OK)
        return NN_FAIL;
    if (c->nmetrics < 0 || c->nmetrics > NN_MAXMETRICS)
        return nn_fail(e, "at most %d metrics", NN_MAXMETRICS);
    if (c->top_k < 1 || c->top_k > 1000000)
        return nn_fail(e, "top_k must be a whole number from 1 on (got %d)", c->top_k);
    for (int k = 0; k < nout; k++) {
        const nn_loss *L = &c->loss[k];
        const nn_node *o = &m->nodes[outs[k]];
        if ((unsigned)L->kind >= NN_LOSS_COUNT)
            return nn_fail(e, "unknown loss");
        if (!(c->loss_weights[k] >= 0) || !isfinite(c->loss_weights[k]))
            return nn_fail(e, "loss_weights must be finite and >= 0");
        if (L->kind == NN_LOSS_HUBER && !(L->delta > 0))
            return nn_fail(e, "huber's delta must be > 0");
        if (nn_loss_is_focal(L->kind) &&
            (!(L->gamma >= 0) || !(L->gamma <= 100) || !(L->alpha >= 0) ||
             !(L->alpha <= 1)))
            return nn_fail(e, "%s needs gamma >= 0 and alpha in [0, 1]",
                           nn_loss_names[L->kind]);
        if (nn_loss_is_focal(L->kind) && o->size > 256)
            return nn_fail(e, "%s takes at most 256 classes ('%s' has %d units)",
                           nn_loss_names[L->kind], o->name, o->size);
        if ((unsigned)L->apply_class_balancing > 1 || (unsigned)L->from_logits > 1)
            return nn_fail(e, "bad loss flags");
        if ((L->kind == NN_LOSS_CCE || L->kind == NN_LOSS_SCCE) && o->size < 2)
            return nn_fail(e, "%s needs an output of at least 2 units (one per "
                              "class); '%s' has %d: use binary_crossentropy "
                              "with 1 sigmoid unit, or dense %s",
                           nn_loss_names[L->kind], o->name, o->size,
                           "N activation=softmax");
        for (int j = 0; j < c->nmetrics; j++) {
            nn_metric_kind mk;
            if (nn_metric_resolve(c->metrics[j], L, &mk) != 0)
                return nn_fail(e, "metric accuracy needs a classification loss "
                                  "(binary_crossentropy, categorical_crossentropy, "
                                  "sparse_categorical_crossentropy or a focal "
                                  "one); use mae, mse or rmse with %s",
                               nn_loss_names[L->kind]);
            if (nn_metric_check(mk, L, e) != NN_OK)
                return NN_FAIL;
        }
    }
    nn_opt fresh = {0};
    if (nn_opt_init(&fresh, &c->opt, m->nparams, e) != NN_OK)
        return NN_FAIL;
    nn_opt_free(&m->opt);
    m->opt = fresh;
    m->cc = *c;
    m->compiled = 1;
    return NN_OK;
}
