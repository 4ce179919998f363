/* model.c - the network graph: building, parameters, forward, loss and
 * backward.  Shapes are given as (rows, width); rows = samples in the
 * batch.  A Dense node computes
 *     z = x W + b      x (rows, fan_in), W (fan_in, units), b (units)
 *     a = f(z)
 * and its backward, with dz = da * f'(z) (or the fused loss gradient):
 *     dW += x^T dz     (fan_in, units)
 *     db += sum_rows dz
 *     dx += dz W^T     (rows, fan_in)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mat.h"
#include "model.h"

const char *const nn_node_class[] = {
    "InputLayer", "Flatten", "Dense", "Activation", "Concatenate", NULL,
};

static const char *const auto_base[] = {
    "input_layer", "flatten", "dense", "activation", "concatenate",
};

void nn_dense_defaults(nn_dense_cfg *c, int units)
{
    memset(c, 0, sizeof *c);
    c->units = units;
    c->activation = NN_ACT_LINEAR;
    c->use_bias = 1;
    c->kernel_initializer = NN_INIT_GLOROT_UNIFORM;
    c->bias_initializer = NN_INIT_ZEROS;
    c->trainable = 1;
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
    nn_init_fill(c->kernel_initializer, c->kernel_value, m->params + nd->w_off,
                 (size_t)nd->fan_in * (size_t)c->units, nd->fan_in, c->units, r);
    if (c->use_bias)
        nn_init_fill(c->bias_initializer, c->bias_value, m->params + nd->b_off,
                     (size_t)c->units, nd->fan_in, c->units, r);
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

/* Floats of per-batch buffers per row: what grow_batch lays out. */
static size_t floats_per_row(const nn_model *m)
{
    size_t f = 0;
    for (int i = 0; i < m->n; i++) {
        const nn_node *nd = &m->nodes[i];
        switch (nd->kind) {
        case NN_NODE_DENSE:
            f += (size_t)nd->size * (nd->act == NN_ACT_LINEAR ? 2 : 4);
            break;
        case NN_NODE_ACTIVATION:
            f += (size_t)nd->size * 3;
            break;
        case NN_NODE_CONCAT:
            f += (size_t)nd->size * 2;
            break;
        default:
            break;
        }
    }
    return f;
}

size_t nn_model_bytes(const nn_model *m, int rows)
{
    return m->nparams * 4 * sizeof(float) +
           floats_per_row(m) * (size_t)rows * sizeof(float);
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
        c->loss_weights[k] = 1.0;
    }
    nn_opt_defaults(&c->opt, NN_OPT_SGD);
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
        return nn_fail(e, "the model has no layers with weights; add dense first");
    if (nn_opt_check(&c->opt, e) != NN_OK)
        return NN_FAIL;
    if (c->nmetrics < 0 || c->nmetrics > NN_MAXMETRICS)
        return nn_fail(e, "at most %d metrics", NN_MAXMETRICS);
    for (int k = 0; k < nout; k++) {
        const nn_loss *L = &c->loss[k];
        const nn_node *o = &m->nodes[outs[k]];
        if ((unsigned)L->kind >= NN_LOSS_COUNT)
            return nn_fail(e, "unknown loss");
        if (!(c->loss_weights[k] >= 0) || !isfinite(c->loss_weights[k]))
            return nn_fail(e, "loss_weights must be finite and >= 0");
        if (L->kind == NN_LOSS_HUBER && !(L->delta > 0))
            return nn_fail(e, "huber's delta must be > 0");
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
                                  "(binary_crossentropy, categorical_crossentropy "
                                  "or sparse_categorical_crossentropy); use "
                                  "mae, mse or rmse with %s",
                               nn_loss_names[L->kind]);
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

/* ---- per-batch buffers ---- */

static int grow_batch(nn_model *m, int rows, nn_err *e)
{
    if (rows <= m->batch_cap && m->slab)
        return NN_OK;
    size_t per = floats_per_row(m);
    size_t len = nn_mul3(per ? per : 1, (size_t)rows, 1);
    if (len == 0)
        return nn_fail(e, "batch too large");
    float *slab = nn_calloc(len, sizeof(float), e);
    if (!slab)
        return NN_FAIL;
    free(m->slab);
    m->slab = slab;
    m->slab_len = len;
    m->batch_cap = rows;
    float *p = slab;
    for (int i = 0; i < m->n; i++) {
        nn_node *nd = &m->nodes[i];
        size_t w = (size_t)nd->size * (size_t)rows;
        nd->a = nd->da = nd->z = nd->dz = NULL;
        switch (nd->kind) {
        case NN_NODE_INPUT:
            break;   /* a points at the caller's batch; no gradient */
        case NN_NODE_FLATTEN:
            nd->da = m->nodes[nd->in[0]].da;   /* same floats, other shape */
            break;
        case NN_NODE_DENSE:
            nd->z = p, p += w;
            if (nd->act == NN_ACT_LINEAR) {
                nd->a = nd->z;
                nd->dz = p, p += w;
                nd->da = nd->dz;     /* f' = 1: dz is da */
            } else {
                nd->a = p, p += w;
                nd->dz = p, p += w;
                nd->da = p, p += w;
            }
            break;
        case NN_NODE_ACTIVATION:
            nd->a = p, p += w;
            nd->dz = p, p += w;
            nd->da = p, p += w;
            break;
        case NN_NODE_CONCAT:
            nd->a = p, p += w;
            nd->da = p, p += w;
            break;
        default:
            break;
        }
    }
    return NN_OK;
}

/* ---- forward ---- */

/* z += b on every row (b may be NULL), then a = f(z); relu and linear in
 * the same pass.  z, a (rows, units), b (units); a may be z (linear). */
static void bias_act(nn_act act, float *a, float *z, const float *b,
                     int rows, int units)
{
    if (act == NN_ACT_RELU) {
        for (int r = 0; r < rows; r++) {
            float *restrict zr = z + (size_t)r * units;
            float *restrict ar = a + (size_t)r * units;
            if (b)
                for (int j = 0; j < units; j++) {
                    float v = zr[j] + b[j];
                    zr[j] = v;
                    ar[j] = v > 0.0f ? v : 0.0f;
                }
            else
                for (int j = 0; j < units; j++)
                    ar[j] = zr[j] > 0.0f ? zr[j] : 0.0f;
        }
        return;
    }
    if (b)
        for (int r = 0; r < rows; r++) {
            float *restrict zr = z + (size_t)r * units;
            for (int j = 0; j < units; j++)
                zr[j] += b[j];
        }
    if (act != NN_ACT_LINEAR)
        nn_act_forward(act, a, z, rows, units);
}

int nn_model_forward(nn_model *m, const float *const *x, int rows,
                     int training, nn_err *e)
{
    (void)training;
    if (rows <= 0)
        return nn_fail(e, "no samples");
    if (grow_batch(m, rows, e) != NN_OK)
        return NN_FAIL;
    int k = 0;
    for (int i = 0; i < m->n; i++) {
        nn_node *nd = &m->nodes[i];
        const nn_node *in = nd->nin ? &m->nodes[nd->in[0]] : NULL;
        switch (nd->kind) {
        case NN_NODE_INPUT:
            nd->a = (float *)x[k++];
            break;
        case NN_NODE_FLATTEN:
            nd->a = in->a;
            break;
        case NN_NODE_DENSE: {
            const nn_node *own = &m->nodes[nd->shared];
            int units = nd->dense.units;
            const float *W = m->params + own->w_off;
            /* z = x W, then z += b and a = f(z) in one pass (Keras:
             * matmul, then bias_add) */
            nn_gemm(0, 0, rows, units, nd->fan_in, 1.0f, in->a, nd->fan_in, W,
                    units, 0.0f, nd->z, units);
            bias_act(nd->act, nd->a, nd->z,
                     own->dense.use_bias ? m->params + own->b_off : NULL,
                     rows, units);
            break;
        }
        case NN_NODE_ACTIVATION:
            nn_act_forward(nd->act, nd->a, in->a, rows, nd->size);
            break;
        case NN_NODE_CONCAT: {
            int off = 0;
            for (int j = 0; j < nd->nin; j++) {
                const nn_node *s = &m->nodes[nd->in[j]];
                for (int r = 0; r < rows; r++)
                    memcpy(nd->a + (size_t)r * nd->size + off,
                           s->a + (size_t)r * s->size, (size_t)s->size * sizeof(float));
                off += s->size;
            }
            break;
        }
        default:
            break;
        }
    }
    m->rows = rows;
    return NN_OK;
}

const float *nn_model_out(const nn_model *m, int k)
{
    int outs[NN_MAXOUT];
    int n = nn_model_outputs(m, outs);
    return k < n ? m->nodes[outs[k]].a : NULL;
}

/* ---- loss and backward ---- */

static int has_consumers(const nn_model *m, int i)
{
    for (int j = i + 1; j < m->n; j++)
        for (int k = 0; k < m->nodes[j].nin; k++)
            if (m->nodes[j].in[k] == i)
                return 1;
    return 0;
}

/* The node whose buffer da is: flatten passes its input's through. */
static int da_owner(const nn_model *m, int i)
{
    while (m->nodes[i].kind == NN_NODE_FLATTEN)
        i = m->nodes[i].in[0];
    return i;
}

double nn_model_loss(nn_model *m, const float *const *y, const float *w,
                     double *per_out, int grad)
{
    int outs[NN_MAXOUT];
    int nout = nn_model_outputs(m, outs);
    int rows = m->rows;
    if (grad) {
        /* nothing holds a gradient of this batch yet: the first write
         * into each buffer overwrites it (backward) */
        for (int i = 0; i < m->n; i++) {
            nn_node *nd = &m->nodes[i];
            nd->fused = 0;
            nd->da_set = 0;
            nd->dw_set = 0;
        }
    }
    double total = 0;
    for (int k = 0; k < nout; k++) {
        nn_node *o = &m->nodes[outs[k]];
        const nn_loss *L = &m->cc.loss[k];
        double lw = m->cc.loss_weights[k];
        double lk = nn_loss_forward(L, o->a, y[k], w, rows, o->size, NULL);
        if (per_out)
            per_out[k] = lk;
        total += lw * lk;
        if (!grad)
            continue;
        int can_fuse = (o->kind == NN_NODE_DENSE || o->kind == NN_NODE_ACTIVATION) &&
                       nn_loss_fusable(L, o->act) && !has_consumers(m, outs[k]);
        float *g;
        if (can_fuse) {
            nn_loss_backward_fused(L, o->dz, o->a, y[k], w, rows, o->size);
            o->fused = 1;
            g = o->dz;
        } else if (!o->da) {
            continue;      /* a Flatten of an input: nothing to train above */
        } else if (m->nodes[da_owner(m, outs[k])].da_set) {
            /* another output wrote these floats (a Flatten of an output):
             * this loss's gradient adds to it */
            size_t len = (size_t)rows * o->size;
            float *t = malloc(len * sizeof *t + 1);
            if (!t)
                continue;  /* out of memory: this output's gradient is lost */
            nn_loss_backward(L, t, o->a, y[k], w, rows, o->size);
            for (size_t j = 0; j < len; j++)
                o->da[j] += (float)lw * t[j];
            free(t);
            continue;
        } else {
            nn_loss_backward(L, o->da, o->a, y[k], w, rows, o->size);
            m->nodes[da_owner(m, outs[k])].da_set = 1;
            g = o->da;
        }
        if (lw != 1.0) {
            size_t len = (size_t)rows * o->size;
            for (size_t j = 0; j < len; j++)
                g[j] *= (float)lw;
        }
    }
    return total;
}

/* dst = src (first write of a batch) or dst += src, n floats. */
static void put(float *restrict dst, const float *restrict src, size_t n,
                int add)
{
    if (add)
        for (size_t j = 0; j < n; j++)
            dst[j] += src[j];
    else
        memcpy(dst, src, n * sizeof *dst);
}

/* Makes node i's da hold a gradient: zero when nothing wrote it (a node
 * no output depends on, or a fused output whose loss wrote dz). */
static void settle_da(nn_model *m, int i, int rows)
{
    nn_node *o = &m->nodes[da_owner(m, i)];
    if (o->da && !o->da_set) {
        memset(o->da, 0, (size_t)rows * o->size * sizeof(float));
        o->da_set = 1;
    }
}

/* Plain SGD folded into backward (see nn_model_backward_sgd): the
 * learning rate, where the new weights go, and room for one db. */
typedef struct sgd_fold {
    float lr;
    float *w_out;
    float *db;
} sgd_fold;

/* Dense backward.  dz = da * f'(z) (unless the loss wrote dz), then
 *   dW = x^T dz   (fan_in, units)     db = sum_rows dz   (units)
 *   dx = dz W^T   (rows, fan_in)
 * each written (beta 0) when it is the buffer's first gradient of the
 * batch, added (beta 1) after (shared layers, several consumers).  For
 * relu, dz and db come out of one pass.  With fold (no shared layers):
 * dx first, from the weights before the step, then
 *   W_out += -lr x^T dz   (alpha -lr, beta 1: no dW buffer)
 *   b_out -= lr db        (db in fold->db) */
static void dense_backward(nn_model *m, int i, int rows, const sgd_fold *fold)
{
    nn_node *nd = &m->nodes[i];
    nn_node *own = &m->nodes[nd->shared];
    nn_node *in = &m->nodes[nd->in[0]];
    nn_node *ind = &m->nodes[da_owner(m, nd->in[0])];
    int units = nd->dense.units, fan_in = nd->fan_in;
    int train = own->dense.trainable, bias = own->dense.use_bias;
    float *db = !(bias && train) ? NULL : fold ? fold->db : m->grads + own->b_off;
    int db_done = 0;
    if (!nd->fused && nd->act == NN_ACT_RELU) {
        /* dz = da [z > 0], and db (+)= dz row by row */
        for (int r = 0; r < rows; r++) {
            const float *restrict dar = nd->da + (size_t)r * units;
            const float *restrict zr = nd->z + (size_t)r * units;
            float *restrict dzr = nd->dz + (size_t)r * units;
            for (int j = 0; j < units; j++) {
                float d = dar[j];   /* loaded always: the loop vectorizes */
                dzr[j] = zr[j] > 0.0f ? d : 0.0f;
            }
            if (db)
                put(db, dzr, (size_t)units, own->dw_set || r > 0);
        }
        db_done = db != NULL;
    } else if (!nd->fused && nd->act != NN_ACT_LINEAR) {
        memset(nd->dz, 0, (size_t)rows * units * sizeof(float));
        nn_act_backward(nd->act, nd->dz, nd->da, nd->z, nd->a, rows, units);
    }
    if (train && db && !db_done)
        for (int r = 0; r < rows; r++)
            put(db, nd->dz + (size_t)r * units, (size_t)units,
                own->dw_set || r > 0);
    if (train && !fold)   /* dW (+)= x^T dz: (fan_in, rows) x (rows, units) */
        nn_gemm(1, 0, fan_in, units, rows, 1.0f, in->a, fan_in, nd->dz,
                units, own->dw_set ? 1.0f : 0.0f, m->grads + own->w_off, units);
    if (train)
        own->dw_set = 1;
    if (in->da) {   /* dx (+)= dz W^T: (rows, units) x (units, fan_in) */
        nn_gemm(0, 1, rows, fan_in, units, 1.0f, nd->dz, units,
                m->params + own->w_off, units, ind->da_set ? 1.0f : 0.0f,
                in->da, fan_in);
        ind->da_set = 1;
    }
    if (train && fold) {  /* after dx, which reads the old W (in place) */
        nn_gemm(1, 0, fan_in, units, rows, -fold->lr, in->a, fan_in, nd->dz,
                units, 1.0f, fold->w_out + own->w_off, units);
        if (db) {
            float *restrict b = fold->w_out + own->b_off;
            const float lr = fold->lr;
            for (int j = 0; j < units; j++)
                b[j] -= lr * db[j];
        }
    }
}

static void backward(nn_model *m, const sgd_fold *fold)
{
    int rows = m->rows;
    /* what no trainable layer writes reads zero: frozen layers, and
     * floats no layer owns (with fold, the gradients are not written) */
    if (!fold) {
        size_t at = 0;
        for (int i = 0; i < m->n && at <= m->nparams; i++) {
            const nn_node *nd = &m->nodes[i];
            size_t p = nn_node_params(m, i);
            if (!p)
                continue;
            if (nd->w_off < at) {   /* not in order: zero everything */
                at = m->nparams + 1;
                break;
            }
            if (!nd->dense.trainable)
                continue;   /* zeroed with the gap up to the next trainable one */
            if (nd->w_off > at)
                memset(m->grads + at, 0, (nd->w_off - at) * sizeof(float));
            at = nd->w_off + p;
        }
        if (at > m->nparams)
            memset(m->grads, 0, m->nparams * sizeof(float));
        else if (at < m->nparams)
            memset(m->grads + at, 0, (m->nparams - at) * sizeof(float));
    }
    for (int i = m->n - 1; i >= 0; i--) {
        nn_node *nd = &m->nodes[i];
        nn_node *in = nd->nin ? &m->nodes[nd->in[0]] : NULL;
        nn_node *ind = nd->nin ? &m->nodes[da_owner(m, nd->in[0])] : NULL;
        if (nd->kind != NN_NODE_FLATTEN && nd->kind != NN_NODE_INPUT)
            settle_da(m, i, rows);
        switch (nd->kind) {
        case NN_NODE_DENSE:
            dense_backward(m, i, rows, fold);
            break;
        case NN_NODE_ACTIVATION:
            if (!in->da)
                break;
            if (nd->fused) {
                put(in->da, nd->dz, (size_t)rows * nd->size, ind->da_set);
            } else {
                if (!ind->da_set)
                    memset(in->da, 0, (size_t)rows * nd->size * sizeof(float));
                nn_act_backward(nd->act, in->da, nd->da, in->a, nd->a, rows, nd->size);
            }
            ind->da_set = 1;
            break;
        case NN_NODE_CONCAT: {
            int off = 0;
            for (int j = 0; j < nd->nin; j++) {
                nn_node *s = &m->nodes[nd->in[j]];
                nn_node *sd = &m->nodes[da_owner(m, nd->in[j])];
                if (s->da) {
                    for (int r = 0; r < rows; r++)
                        put(s->da + (size_t)r * s->size,
                            nd->da + (size_t)r * nd->size + off,
                            (size_t)s->size, sd->da_set);
                    sd->da_set = 1;
                }
                off += s->size;
            }
            break;
        }
        default:
            break;
        }
    }
}

void nn_model_backward(nn_model *m)
{
    backward(m, NULL);
}

int nn_model_can_fold_sgd(const nn_model *m)
{
    if (!m->compiled || m->opt.cfg.kind != NN_OPT_SGD ||
        m->opt.cfg.momentum != 0.0 || m->opt.n != m->nparams)
        return 0;
    for (int i = 0; i < m->n; i++)
        if (m->nodes[i].kind == NN_NODE_DENSE && m->nodes[i].shared != i)
            return 0;
    return 1;
}

int nn_model_fold_room(const nn_model *m)
{
    int most = 1;
    for (int i = 0; i < m->n; i++)
        if (m->nodes[i].kind == NN_NODE_DENSE && m->nodes[i].dense.units > most)
            most = m->nodes[i].dense.units;
    return most;
}

void nn_model_backward_sgd(nn_model *m, float lr, float *w_out, float *db)
{
    sgd_fold f = {lr, w_out, db};
    backward(m, &f);
}

int nn_model_forward_data(nn_model *m, const float *x, int d, int rows,
                          int training, nn_err *e)
{
    if (nn_model_check_columns(m, d, e) != NN_OK)
        return NN_FAIL;
    int nin = nn_model_ninputs(m), first = nn_model_input(m);
    if (nin == 1 && m->nodes[first].col_from == 0)
        return nn_model_forward(m, &x, rows, training, e);
    if (rows <= 0)
        return nn_fail(e, "no samples");
    size_t total = 0;
    for (int i = 0; i < m->n; i++)
        if (m->nodes[i].kind == NN_NODE_INPUT)
            total += (size_t)m->nodes[i].size;
    size_t need = nn_mul3(total, (size_t)rows, 1);
    if (need == 0)
        return nn_fail(e, "the inputs' columns overflow memory");
    if (need > m->gather_len) {
        float *g = nn_calloc(need, sizeof(float), e);
        if (!g)
            return NN_FAIL;
        free(m->gather);
        m->gather = g;
        m->gather_len = need;
    }
    const float *xs_s[8], **xs = xs_s;
    if (nin > 8 && !(xs = nn_calloc((size_t)nin, sizeof *xs, e)))
        return NN_FAIL;
    /* each input's columns, row by row: (rows, size) at g */
    float *g = m->gather;
    int k = 0;
    for (int i = 0; i < m->n; i++) {
        const nn_node *nd = &m->nodes[i];
        if (nd->kind != NN_NODE_INPUT)
            continue;
        size_t from = (size_t)(nd->col_from - 1), w = (size_t)nd->size;
        for (int r = 0; r < rows; r++)
            memcpy(g + (size_t)r * w, x + (size_t)r * d + from, w * sizeof(float));
        xs[k++] = g;
        g += (size_t)rows * w;
    }
    int rc = nn_model_forward(m, xs, rows, training, e);
    if (xs != xs_s)
        free(xs);
    return rc;
}

int nn_model_predict(nn_model *m, const float *x, int d, int n, float *out,
                     nn_err *e)
{
    int in = nn_model_input(m), on = nn_model_output(m);
    if (in < 0 || on < 0 || on == in)
        return nn_fail(e, "the model has no layers to predict with");
    if (m->nout > 1)
        return nn_fail(e, "the model must have one output to predict (this one "
                          "has %d)", m->nout);
    int od = m->nodes[on].size;
    const int chunk = 256;
    for (int s = 0; s < n; s += chunk) {
        int rows = n - s < chunk ? n - s : chunk;
        const float *xs = x + (size_t)s * d;
        if (nn_model_forward_data(m, xs, d, rows, 0, e) != NN_OK)
            return NN_FAIL;
        memcpy(out + (size_t)s * od, m->nodes[on].a, (size_t)rows * od * sizeof(float));
    }
    return NN_OK;
}
