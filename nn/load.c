/* load.c - reading the model file (save.h gives the layout).
 *
 * Loading reads the whole file, checks magic, version, length and
 * checksum, then parses with a bounds-checked reader: every count is
 * checked against the bytes left before anything is allocated, and every
 * node against the nodes before it (nn_load_node_ok in load_node.c: inputs, shapes, parameter
 * offsets) before the model is built.  It is built through the same calls
 * the shell uses (nn_model_add_*), so every rule they enforce (names,
 * sizes, the memory cap) holds for a loaded model too; what they produce
 * is then compared field by field with what the file says. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "save.h"
#include "load_node.h"

#define HEADER_LEN 24
#define TRAILER_LEN 4
#define NODE_LEN (4 + NN_NAMEMAX + 4 + 4 * NN_MAXIN + 4 + 4 * NN_MAXDIMS + 4 + \
                  4 + 8 * 4 + 4 + 4 + 8 + 8)

/* ---- the reader: bounds-checked, sticky failure ---- */

typedef struct reader {
    const unsigned char *p;
    size_t len, pos;
    int bad;
    const char *what;   /* the part being read, for messages */
    uint32_t version;   /* the file's format version */
} reader;

static int r_has(reader *r, size_t n)
{
    if (r->bad || r->len - r->pos < n) {
        r->bad = 1;
        return 0;
    }
    return 1;
}

static uint32_t r_u32(reader *r)
{
    if (!r_has(r, 4))
        return 0;
    const unsigned char *b = r->p + r->pos;
    r->pos += 4;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
           (uint32_t)b[3] << 24;
}

static uint64_t r_u64(reader *r)
{
    uint64_t lo = r_u32(r);
    return lo | (uint64_t)r_u32(r) << 32;
}

static float r_f32(reader *r)
{
    uint32_t v = r_u32(r);
    float x;
    memcpy(&x, &v, 4);
    return x;
}

static double r_f64(reader *r)
{
    uint64_t v = r_u64(r);
    double x;
    memcpy(&x, &v, 8);
    return x;
}

/* A fixed field of len bytes holding a NUL-terminated string. */
static int r_name(reader *r, char *out, size_t len)
{
    if (!r_has(r, len))
        return -1;
    const unsigned char *b = r->p + r->pos;
    r->pos += len;
    size_t n = strnlen((const char *)b, len);
    if (n == len)
        return -1;              /* no NUL */
    for (size_t i = n; i < len; i++)
        if (b[i] != 0)
            return -1;          /* junk after the NUL */
    for (size_t i = 0; i < n; i++)
        if (b[i] < 0x20 || b[i] == 0x7f)
            return -1;
    memcpy(out, b, n + 1);
    return 0;
}

static void r_floats(reader *r, float *a, size_t n)
{
    if (r->bad || (r->len - r->pos) / 4 < n) {
        r->bad = 1;
        return;
    }
    const unsigned char *b = r->p + r->pos;
    for (size_t i = 0; i < n; i++, b += 4) {
        uint32_t v = (uint32_t)b[0] | (uint32_t)b[1] << 8 |
                     (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
        memcpy(&a[i], &v, 4);
    }
    r->pos += 4 * n;
}

static void r_optcfg(reader *r, nn_opt_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->kind = (nn_opt_kind)r_u32(r);
    c->learning_rate = r_f64(r);
    c->momentum = r_f64(r);
    c->nesterov = (int)r_u32(r);
    c->rho = r_f64(r);
    c->beta_1 = r_f64(r);
    c->beta_2 = r_f64(r);
    c->epsilon = r_f64(r);
    c->initial_accumulator_value = r_f64(r);
    if (r->version < 3) {
        /* the settings version 3 added, at their defaults */
        nn_opt_cfg d;
        nn_opt_defaults(&d, NN_OPT_SGD);
        c->learning_rate_power = d.learning_rate_power;
        c->ema_momentum = d.ema_momentum;
        return;
    }
    c->amsgrad = (int)r_u32(r);
    c->learning_rate_power = r_f64(r);
    c->l1_regularization_strength = r_f64(r);
    c->l2_regularization_strength = r_f64(r);
    c->l2_shrinkage_regularization_strength = r_f64(r);
    c->beta = r_f64(r);
    c->weight_decay = r_f64(r);
    c->clipnorm = r_f64(r);
    c->clipvalue = r_f64(r);
    c->global_clipnorm = r_f64(r);
    c->use_ema = (int)r_u32(r);
    c->ema_momentum = r_f64(r);
    c->ema_overwrite_frequency = (int)r_u32(r);
}

static int optcfg_ok(const nn_opt_cfg *c, nn_err *e)
{
    if ((unsigned)c->kind >= NN_OPT_COUNT)
        return nn_fail(e, "unknown optimizer %u", (unsigned)c->kind);
    if ((unsigned)c->nesterov > 1 || !isfinite(c->momentum) || !isfinite(c->rho) ||
        !isfinite(c->beta_1) || !isfinite(c->beta_2) || !isfinite(c->epsilon) ||
        !isfinite(c->initial_accumulator_value))
        return nn_fail(e, "bad optimizer settings");
    return nn_opt_check(c, e);
}

/* An initializer's arguments (version 3), as save.c's w_init_args. */
static void r_init_args(reader *r, nn_init_args *a)
{
    a->mean = r_f32(r);
    a->stddev = r_f32(r);
    a->minval = r_f32(r);
    a->maxval = r_f32(r);
    a->scale = r_f32(r);
    a->gain = r_f32(r);
    a->mode = (int)r_u32(r);
    a->distribution = (int)r_u32(r);
}

static void r_node(reader *r, nn_node *nd, int *name_ok)
{
    memset(nd, 0, sizeof *nd);
    nd->kind = (nn_node_kind)r_u32(r);
    *name_ok = r_name(r, nd->name, NN_NAMEMAX) == 0;
    nd->nin = (int)r_u32(r);
    for (int k = 0; k < NN_MAXIN; k++)
        nd->in[k] = (int)r_u32(r);
    nd->ndim = (int)r_u32(r);
    for (int k = 0; k < NN_MAXDIMS; k++)
        nd->shape[k] = (int)r_u32(r);
    nd->size = (int)r_u32(r);
    nd->act = (nn_act)r_u32(r);
    nn_dense_cfg *c = &nd->dense;
    c->units = (int)r_u32(r);
    c->activation = (nn_act)r_u32(r);
    c->use_bias = (int)r_u32(r);
    c->kernel_initializer = (nn_init_kind)r_u32(r);
    c->bias_initializer = (nn_init_kind)r_u32(r);
    c->kernel_value = r_f32(r);
    c->bias_value = r_f32(r);
    c->trainable = (int)r_u32(r);
    nd->fan_in = (int)r_u32(r);
    nd->shared = (int)r_u32(r);
    nd->w_off = (size_t)r_u64(r);
    nd->b_off = (size_t)r_u64(r);
    if (r->version >= 2)
        nd->col_from = (int)r_u32(r);
    if (nd->kind == NN_NODE_DENSE) {   /* older files: Keras's defaults */
        nn_init_args_defaults(&c->kernel_args);
        nn_init_args_defaults(&c->bias_args);
    }
    if (r->version >= 3) {
        r_init_args(r, &c->kernel_args);
        r_init_args(r, &c->bias_args);
    }
}

/* Adds node nd (as read) to m through the building calls. */
static int add_node(nn_model *m, const nn_node *nd, nn_rng *rng, nn_err *e)
{
    int i = m->n, k = NN_FAIL;
    switch (nd->kind) {
    case NN_NODE_INPUT:
        k = nn_model_add_input(m, nd->shape, nd->ndim, nd->name, e);
        if (k >= 0 && nd->col_from > 0 &&
            nn_model_set_input_columns(m, k, nd->col_from - 1, e) != NN_OK)
            k = NN_FAIL;
        break;
    case NN_NODE_FLATTEN:
        k = nn_model_add_flatten(m, nd->in[0], nd->name, e);
        break;
    case NN_NODE_DENSE:
        if (nd->shared != i) {
            /* a shared layer: the owner's weights, no parameters of its own */
            k = nn_model_add_call(m, nd->shared, nd->in[0], nd->name, e);
            if (k >= 0) {
                nn_node *x = &m->nodes[k];
                x->dense = nd->dense;
                x->act = nd->act;
            }
        } else
            k = nn_model_add_dense(m, nd->in[0], &nd->dense, nd->name, rng, e);
        break;
    case NN_NODE_ACTIVATION:
        k = nn_model_add_activation(m, nd->in[0], nd->act, nd->name, e);
        break;
    case NN_NODE_CONCAT:
        k = nn_model_add_concat(m, nd->in, nd->nin, nd->name, e);
        break;
    default:
        if (!NN_NODE_IS_MERGE(nd->kind))
            return nn_fail(e, "unknown layer kind");
        k = nn_model_add_merge(m, nd->kind, nd->in, nd->nin, nd->name, e);
        break;
    }
    if (k < 0) {
        char msg[NN_ERRMAX];
        snprintf(msg, sizeof msg, "%s", e ? e->msg : "");
        return nn_fail(e, "layer '%s': %s", nd->name, msg);
    }
    /* what the building calls made must be what was saved */
    const nn_node *b = &m->nodes[k];
    int same = b->kind == nd->kind && strcmp(b->name, nd->name) == 0 &&
               b->nin == nd->nin && b->ndim == nd->ndim && b->size == nd->size &&
               b->act == nd->act && b->fan_in == nd->fan_in &&
               b->shared == nd->shared && b->w_off == nd->w_off &&
               b->b_off == nd->b_off &&
               memcmp(b->in, nd->in, (size_t)nd->nin * sizeof *nd->in) == 0 &&
               memcmp(b->shape, nd->shape, (size_t)nd->ndim * sizeof *nd->shape) == 0;
    for (int j = nd->ndim; j < NN_MAXDIMS && same; j++)
        same = nd->shape[j] == 0;
    const nn_dense_cfg *x = &b->dense, *y = &nd->dense;
    same = same && x->units == y->units && x->activation == y->activation &&
           x->use_bias == y->use_bias &&
           x->kernel_initializer == y->kernel_initializer &&
           x->bias_initializer == y->bias_initializer &&
           memcmp(&x->kernel_value, &y->kernel_value, sizeof(float)) == 0 &&
           memcmp(&x->bias_value, &y->bias_value, sizeof(float)) == 0 &&
           memcmp(&x->kernel_args, &y->kernel_args, sizeof x->kernel_args) == 0 &&
           memcmp(&x->bias_args, &y->bias_args, sizeof x->bias_args) == 0 &&
           x->trainable == y->trainable;
    if (!same)
        return nn_fail(e, "layer '%s' does not match its saved shape or settings",
                       nd->name);
    return NN_OK;
}

static int history_ok(reader *r, nn_history *h, nn_err *e)
{
    r->what = "history";
    uint32_t nkeys = r_u32(r);
    if (r->bad)
        return NN_FAIL;
    if (nkeys > NN_MAXKEYS)
        return nn_fail(e, "the history has %u keys (at most %d)", nkeys, NN_MAXKEYS);
    h->nkeys = (int)nkeys;
    for (uint32_t k = 0; k < nkeys; k++) {
        if (r_name(r, h->keys[k], NN_KEYMAX) != 0)
            return r->bad ? NN_FAIL : nn_fail(e, "history key %u is not a name", k + 1);
        if (!h->keys[k][0])
            return nn_fail(e, "history key %u is empty", k + 1);
        for (uint32_t j = 0; j < k; j++)
            if (strcmp(h->keys[j], h->keys[k]) == 0)
                return nn_fail(e, "history key '%s' appears twice", h->keys[k]);
    }
    uint32_t nep = r_u32(r);
    if (r->bad)
        return NN_FAIL;
    size_t row = 4 + 8 + 8 * (size_t)nkeys;
    if (nep > INT_MAX / 2 || (r->len - r->pos) / row < nep) {
        r->bad = 1;
        return NN_FAIL;
    }
    if (nep == 0)
        return NN_OK;
    h->epoch = nn_calloc(nep, sizeof *h->epoch, e);
    h->values = h->epoch ? nn_calloc(nn_mul3(nep, NN_MAXKEYS, 1), sizeof *h->values, e)
                         : NULL;
    h->lr = h->values ? nn_calloc(nep, sizeof *h->lr, e) : NULL;
    if (!h->lr)
        return NN_FAIL;
    h->cap = (int)nep;
    for (uint32_t i = 0; i < nep; i++) {
        uint32_t ep = r_u32(r);
        if (ep < 1 || ep > INT_MAX)
            return r->bad ? NN_FAIL : nn_fail(e, "history epoch number %u", ep);
        h->epoch[i] = (int)ep;
        h->lr[i] = r_f64(r);
        for (uint32_t k = 0; k < nkeys; k++)
            h->values[(size_t)i * NN_MAXKEYS + k] = r_f64(r);
        h->nepochs = (int)i + 1;
    }
    return r->bad ? NN_FAIL : NN_OK;
}

/* Parses the body (after the header, before the trailer). */
/* The compile settings and the optimizer state of a compiled model, read
 * into m (compiled with them).  NN_FAIL with r->bad set when the file ends
 * inside them. */
static int parse_compiled(reader *r, nn_model *m, nn_err *e)
{
    r->what = "compile settings";
    nn_compile_cfg cc;
    nn_compile_defaults(&cc);
    for (int k = 0; k < NN_MAXOUT; k++) {
        cc.loss[k].kind = (nn_loss_kind)r_u32(r);
        cc.loss[k].from_logits = (int)r_u32(r);
        cc.loss[k].delta = r_f32(r);
        if (r->version >= 3) {   /* else Keras's defaults, as set above */
            cc.loss[k].gamma = r_f32(r);
            cc.loss[k].alpha = r_f32(r);
            cc.loss[k].apply_class_balancing = (int)r_u32(r);
        }
    }
    for (int k = 0; k < NN_MAXOUT; k++)
        cc.loss_weights[k] = r_f64(r);
    cc.nmetrics = (int)r_u32(r);
    for (int k = 0; k < NN_MAXMETRICS; k++)
        cc.metrics[k] = (nn_metric_kind)r_u32(r);
    if (r->version >= 3)   /* else Keras's 5, as set above */
        cc.top_k = (int)r_u32(r);
    r_optcfg(r, &cc.opt);
    if (r->bad)
        return NN_FAIL;   /* truncated: r->bad */
    for (int k = 0; k < NN_MAXOUT; k++)
        if ((unsigned)cc.loss[k].kind >= NN_LOSS_COUNT ||
            (unsigned)cc.loss[k].from_logits > 1 ||
            !isfinite(cc.loss[k].delta) || !isfinite(cc.loss_weights[k]) ||
            !isfinite(cc.loss[k].gamma) || !isfinite(cc.loss[k].alpha) ||
            (unsigned)cc.loss[k].apply_class_balancing > 1)
            return nn_fail(e, "bad loss settings");
    if ((unsigned)cc.nmetrics > NN_MAXMETRICS)
        return nn_fail(e, "%d metrics (at most %d)", cc.nmetrics, NN_MAXMETRICS);
    for (int k = 0; k < NN_MAXMETRICS; k++)
        if ((unsigned)cc.metrics[k] >= NN_MET_COUNT)
            return nn_fail(e, "unknown metric %u", (unsigned)cc.metrics[k]);
    if (optcfg_ok(&cc.opt, e) != NN_OK)
        return NN_FAIL;
    char msg[NN_ERRMAX];
    if (nn_model_compile(m, &cc, e) != NN_OK) {
        snprintf(msg, sizeof msg, "%s", e ? e->msg : "");
        return nn_fail(e, "its compile settings are refused: %s", msg);
    }

    r->what = "optimizer state";
    nn_opt_cfg cur;
    r_optcfg(r, &cur);
    uint64_t on = r_u64(r), t = r_u64(r);
    double u_prod = r_f64(r);
    uint32_t has_m = r_u32(r), has_v = r_u32(r);
    uint32_t has_vh = r->version >= 3 ? r_u32(r) : 0;
    uint32_t has_ema = r->version >= 3 ? r_u32(r) : 0;
    if (r->bad)
        return NN_FAIL;   /* truncated: r->bad */
    if (optcfg_ok(&cur, e) != NN_OK)
        return NN_FAIL;
    if (cur.kind != cc.opt.kind || on != m->nparams || t > (uint64_t)LONG_MAX ||
        !(u_prod > 0.0 && u_prod <= 1.0) || has_m != (m->opt.m != NULL) ||
        has_v != (m->opt.v != NULL) || has_vh != (m->opt.vh != NULL) ||
        has_ema != (m->opt.ema != NULL) || cur.amsgrad != cc.opt.amsgrad ||
        cur.use_ema != cc.opt.use_ema ||
        (cur.clipnorm > 0 || cur.clipvalue > 0 || cur.global_clipnorm > 0) !=
        (m->opt.gclip != NULL))
        return nn_fail(e, "the optimizer state does not fit the model");
    m->opt.cfg = cur;
    m->opt.t = (long)t;
    m->opt.u_prod = u_prod;
    if (has_m)
        r_floats(r, m->opt.m, m->nparams);
    if (has_v)
        r_floats(r, m->opt.v, m->nparams);
    if (has_vh)
        r_floats(r, m->opt.vh, m->nparams);
    if (has_ema)
        r_floats(r, m->opt.ema, m->nparams);
    if (r->bad)
        return NN_FAIL;   /* truncated: r->bad */
    return NN_OK;
}

static nn_model *parse(reader *r, nn_history *hout, nn_err *e)
{
    nn_model *m = NULL;
    nn_node *saved = NULL;
    nn_history h;
    nn_history_init(&h);
    nn_rng rng;
    nn_rng_seed(&rng, 0);
    char name[NN_NAMEMAX];

    r->what = "model";
    int name_ok = r_name(r, name, NN_NAMEMAX) == 0;
    uint32_t sequential = r_u32(r), n = r_u32(r), nout = r_u32(r);
    int out[NN_MAXOUT];
    for (int k = 0; k < NN_MAXOUT; k++)
        out[k] = (int)r_u32(r);
    uint64_t nparams = r_u64(r);
    uint32_t compiled = r_u32(r);
    uint64_t steps = r_u64(r);
    uint32_t epochs_done = r_u32(r);
    if (r->bad)
        goto truncated;
    if (!name_ok) {
        nn_fail(e, "the model's name is not a valid name");
        goto fail;
    }
    if (sequential > 1 || compiled > 1 || nout > NN_MAXOUT ||
        steps > (uint64_t)LONG_MAX || epochs_done > INT_MAX) {
        nn_fail(e, "bad model header fields");
        goto fail;
    }
    for (uint32_t k = nout; k < NN_MAXOUT; k++)
        if (out[k] != 0) {
            nn_fail(e, "unused output slot set");
            goto fail;
        }
    /* every count against the bytes that must follow it */
    if (n > 1 << 16) {
        nn_fail(e, "the file says %u layers (at most %d)", n, 1 << 16);
        goto fail;
    }
    if (n > (r->len - r->pos) / NODE_LEN) {
        r->bad = 1;
        goto truncated;
    }
    if (nparams > (r->len - r->pos - (size_t)n * NODE_LEN) / 4) {
        r->bad = 1;
        goto truncated;
    }
    if (nn_mul3(nparams ? nparams : 1, 4 * sizeof(float), 1) > nn_memcap()) {
        char b1[NN_SIZETEXT], b2[NN_SIZETEXT];
        nn_fail(e, "the model holds %llu parameters: %s with gradients and "
                   "optimizer state, over the memory cap of %s (set "
                   "memory_cap=BYTES)", (unsigned long long)nparams,
                nn_size_text(nparams * 16.0, b1), nn_size_text((double)nn_memcap(), b2));
        goto fail;
    }
    m = nn_model_new(name, (int)sequential, e);
    if (!m)
        goto fail;
    saved = nn_calloc(n ? n : 1, sizeof *saved, e);
    if (!saved)
        goto fail;

    /* every node read and checked before anything is built */
    r->what = "layers";
    size_t off = 0;
    for (uint32_t i = 0; i < n; i++) {
        nn_node *nd = &saved[i];
        int ok;
        r_node(r, nd, &ok);
        if (r->bad)
            goto truncated;
        if (!ok) {
            nn_fail(e, "layer %u's name is not a valid name", i + 1);
            goto fail;
        }
        if (nn_load_node_ok(saved, (int)i, (int)sequential, (size_t)nparams, &off, e) != NN_OK)
            goto fail;
    }
    if (off != nparams) {
        nn_fail(e, "the layers hold %zu parameters but the file says %llu", off,
                (unsigned long long)nparams);
        goto fail;
    }
    for (uint32_t i = 0; i < n; i++)
        if (add_node(m, &saved[i], &rng, e) != NN_OK)
            goto fail;
    if (m->nparams != nparams) {
        nn_fail(e, "the layers hold %zu parameters but the file says %llu",
                m->nparams, (unsigned long long)nparams);
        goto fail;
    }
    if (nout > 0 && nn_model_set_outputs(m, out, (int)nout, e) != NN_OK)
        goto fail;
    m->steps = (long)steps;
    m->epochs_done = (int)epochs_done;

    r->what = "weights";
    r_floats(r, m->params, m->nparams);
    if (r->bad)
        goto truncated;

    if (compiled && parse_compiled(r, m, e) != NN_OK) {
        if (r->bad)
            goto truncated;
        goto fail;
    }

    if (history_ok(r, &h, e) != NN_OK) {
        if (r->bad)
            goto truncated;
        goto fail;
    }
    if (r->pos != r->len) {
        nn_fail(e, "%zu unexpected bytes after the history", r->len - r->pos);
        goto fail;
    }
    free(saved);
    if (hout) {
        nn_history_free(hout);
        *hout = h;
    } else
        nn_history_free(&h);
    return m;

truncated:
    nn_fail(e, "the file is corrupt: it ends inside the %s", r->what);
fail:
    free(saved);
    nn_history_free(&h);
    nn_model_free(m);
    return NULL;
}

static uint32_t le32(const unsigned char *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
           (uint32_t)b[3] << 24;
}

/* Other files people may give load, recognised by their first bytes. */
static const char *other_format(const unsigned char *b, size_t len)
{
    if (len >= 6 && memcmp(b, "\x93NUMPY", 6) == 0)
        return "a NumPy .npy array, not a model (weights LAYER load=FILE "
               "reads those)";
    if (len >= 4 && memcmp(b, "PK\x03\x04", 4) == 0)
        return "a zip archive (a Keras .keras file?); nnlab reads only its own "
               "model files (export keras goes the other way)";
    if (len >= 4 && memcmp(b, "\x89HDF", 4) == 0)
        return "an HDF5 file (a Keras .h5 file?); nnlab reads only its own "
               "model files";
    return NULL;
}

nn_model *nn_model_from_bytes(const void *buf, size_t len, int check_crc,
                              nn_history *h_out, nn_err *e)
{
    const unsigned char *b = buf;
    size_t nm = len < 8 ? len : 8;
    if (len == 0) {
        nn_fail(e, "the file is empty");
        return NULL;
    }
    if (memcmp(b, NN_SAVE_MAGIC, nm) != 0) {
        const char *other = other_format(b, len);
        nn_fail(e, "not an nnlab model file: %s", other ? other :
                "it does not start with NNLABMDL");
        return NULL;
    }
    if (len < HEADER_LEN) {
        nn_fail(e, "the file is truncated (%zu bytes, not even a header)", len);
        return NULL;
    }
    uint32_t version = le32(b + 8), flags = le32(b + 12);
    uint64_t flen = (uint64_t)le32(b + 16) | (uint64_t)le32(b + 20) << 32;
    if (version > NN_SAVE_VERSION && version < 256) {
        nn_fail(e, "the file was written by a newer nnlab (format version %u; this "
                   "one reads version %d and older): upgrade nnlab to load it",
                version, NN_SAVE_VERSION);
        return NULL;
    }
    if (version == 0 || version > NN_SAVE_VERSION) {
        nn_fail(e, "the file is corrupt: its format version reads %u", version);
        return NULL;
    }
    if (flen != len) {
        if (flen > len)
            nn_fail(e, "the file is truncated: %zu of its %llu bytes (an "
                       "interrupted copy or download?)", len,
                    (unsigned long long)flen);
        else
            nn_fail(e, "the file is corrupt: %zu bytes where its header says "
                       "%llu", len, (unsigned long long)flen);
        return NULL;
    }
    if (len < HEADER_LEN + TRAILER_LEN) {
        nn_fail(e, "the file is corrupt: too short (%zu bytes)", len);
        return NULL;
    }
    if (check_crc) {
        uLong crc = crc32(0L, Z_NULL, 0);
        size_t done = 0, body = len - TRAILER_LEN;
        while (done < body) {   /* crc32 takes uInt lengths */
            size_t k = body - done < (1u << 30) ? body - done : (1u << 30);
            crc = crc32(crc, b + done, (uInt)k);
            done += k;
        }
        if ((uint32_t)crc != le32(b + body)) {
            nn_fail(e, "the file is corrupt: its checksum does not match (CRC-32 "
                       "%08x, expected %08x)", (unsigned)(uint32_t)crc,
                    (unsigned)le32(b + body));
            return NULL;
        }
    }
    if (flags != 0) {
        nn_fail(e, "the file is corrupt: unknown flags %08x", (unsigned)flags);
        return NULL;
    }
    reader r = {b, len - TRAILER_LEN, HEADER_LEN, 0, "header", version};
    nn_err local;
    nn_model *m = parse(&r, h_out, e ? e : &local);
    if (!m && e) {
        char msg[NN_ERRMAX];
        snprintf(msg, sizeof msg, "%s", e->msg);
        /* what the checks refuse is corruption; running out of room is not */
        if (strncmp(msg, "the file is corrupt", 19) != 0 &&
            !strstr(msg, "memory cap") && !strstr(msg, "out of memory"))
            nn_fail(e, "the file is corrupt: %s", msg);
    }
    return m;
}

nn_model *nn_model_load(const char *path, nn_history *h_out, nn_err *e)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        int err = errno;
        if (err == ENOENT)
            nn_fail(e, "%s: no such file", path);
        else if (err == EACCES)
            nn_fail(e, "%s: permission denied", path);
        else
            nn_fail(e, "%s: %s", path, strerror(err));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        nn_fail(e, "%s: %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        nn_fail(e, "%s is a directory, not a model file", path);
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        nn_fail(e, "%s is not a regular file", path);
        close(fd);
        return NULL;
    }
    size_t len = (size_t)st.st_size;
    if ((uint64_t)st.st_size > (uint64_t)nn_memcap()) {
        char b1[NN_SIZETEXT], b2[NN_SIZETEXT];
        nn_fail(e, "%s: %s, over the memory cap of %s (set "
                   "memory_cap=BYTES)", path, nn_size_text((double)st.st_size, b1),
                nn_size_text((double)nn_memcap(), b2));
        close(fd);
        return NULL;
    }
    unsigned char *buf = nn_calloc(len ? len : 1, 1, e);
    if (!buf) {
        close(fd);
        return NULL;
    }
    size_t got = 0;
    while (got < len) {
        ssize_t k = read(fd, buf + got, len - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            nn_fail(e, "%s: %s", path, strerror(errno));
            free(buf);
            close(fd);
            return NULL;
        }
        if (k == 0)
            break;     /* shrank while we read: parse what is there */
        got += (size_t)k;
    }
    close(fd);
    nn_err local;
    nn_model *m = nn_model_from_bytes(buf, got, 1, h_out, e ? e : &local);
    free(buf);
    if (!m && e) {
        char msg[NN_ERRMAX];
        snprintf(msg, sizeof msg, "%s", e->msg);
        nn_fail(e, "%s: %s", path, msg);
    }
    return m;
}
