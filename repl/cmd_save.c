/* cmd_save.c - saving and loading: save, load (and transfer learning with
 * layers=), and the weights command's save=/load= (repl_weights_save,
 * repl_weights_load: one layer's kernel and bias as NumPy .npy files).
 *
 * Keras is the reference for what a student expects: model.save and
 * keras.models.load_model keep architecture, weights, compile settings and
 * optimizer state; transfer learning as in Géron 10.8 / 11 builds a new
 * model from the lower layers of a saved one
 *     model_A = keras.models.load_model("my_model_A.keras")
 *     model_B_on_A = keras.Sequential(model_A.layers[:-1])
 *     model_B_on_A.add(keras.layers.Dense(1, activation="sigmoid"))
 * so `load FILE layers=1..2` replaces the current model by a new
 * Sequential one made of the saved input and those layers, with their
 * weights copied (as clone_model + set_weights: training the new model
 * never changes the file). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "repl.h"
#include "progress.h"
#include "save.h"
#include "npy.h"
#include "hints.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* ---- save and load ---- */

static void describe(const nn_model *m, const nn_history *h, char *buf, size_t len)
{
    size_t total;
    char num[32];
    nn_model_count(m, &total, NULL);
    int layers = m->n - nn_model_ninputs(m);
    size_t k = (size_t)snprintf(buf, len, "%d layer%s, %s parameters", layers,
                                layers == 1 ? "" : "s", repl_commas(total, num));
    if (k < len) {
        if (m->compiled) {
            char ls[128] = "";           /* a loss per output */
            size_t q = 0;
            for (int o = 0; o < (m->nout > 1 ? m->nout : 1) && q < sizeof ls; o++)
                q += (size_t)snprintf(ls + q, sizeof ls - q, "%s%s", o ? "," : "",
                                      nn_loss_names[m->cc.loss[o].kind]);
            k += (size_t)snprintf(buf + k, len - k, ", compiled (loss=%s, "
                                  "optimizer=%s, %ld step%s)", ls,
                                  nn_opt_names[m->cc.opt.kind], m->opt.t,
                                  m->opt.t == 1 ? "" : "s");
        }
        else
            k += (size_t)snprintf(buf + k, len - k, ", not compiled");
    }
    if (k < len)
        snprintf(buf + k, len - k, ", %d epoch%s of history", h->nepochs,
                 h->nepochs == 1 ? "" : "s");
}

static int cmd_save(repl_session *s, const repl_args *a)
{
    const char *file = a->pos[0];
    if (!s->model || s->model->n == 0)
        return repl_error(s, "save", "there is no model to save; build one first "
                          "(input 2, dense 8 activation=relu, ...)");
    nn_err e;
    if (nn_model_save(s->model, &s->hist, file, &e) != NN_OK)
        return repl_error(s, "save", "%s", e.msg);
    char d[256];
    describe(s->model, &s->hist, d, sizeof d);
    printf("saved \"%s\" to %s: %s\n", s->model->name, file, d);
    if (ends_with(file, ".keras") || ends_with(file, ".h5"))
        printf("note: the file is in nnlab's own format, which Keras does not "
               "read; export keras DIR writes files it does\n");
    return 0;
}

/* "N" (1..N) or "A..B", 1-based and inclusive, as summary numbers the
 * layers (the input not counted).  0, or -1 when malformed. */
static int parse_layers(const char *w, long *from, long *to)
{
    const char *dots = strstr(w, "..");
    if (!dots) {
        *from = 1;
        return repl_parse_long(w, to);
    }
    char buf[64];
    size_t n = (size_t)(dots - w);
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, w, n);
    buf[n] = 0;
    if (repl_parse_long(buf, from) != 0 || repl_parse_long(dots + 2, to) != 0)
        return -1;
    return 0;
}

/* Géron's model_B_on_A: a new Sequential model from the input and layers
 * from..to of the chain src, weights copied.  NULL with e filled. */
static nn_model *reuse_layers(const nn_model *src, int from, int to, nn_err *e)
{
    nn_rng r;
    nn_rng_seed(&r, 0);   /* the weights are overwritten: keep the session's draws */
    nn_model *m = nn_model_new(NULL, 1, e);
    if (!m)
        return NULL;
    const nn_node *before = &src->nodes[from - 1];
    if (nn_model_add_input(m, before->shape, before->ndim,
                           from == 1 ? before->name : NULL, e) < 0)
        goto fail;
    if (from == 1 && before->col_from > 0 &&   /* the same columns of the data */
        nn_model_set_input_columns(m, 0, before->col_from - 1, e) != NN_OK)
        goto fail;
    for (int i = from; i <= to; i++) {
        const nn_node *nd = &src->nodes[i];
        int last = m->n - 1, k = -1;
        switch (nd->kind) {
        case NN_NODE_FLATTEN:
            k = nn_model_add_flatten(m, last, nd->name, e);
            break;
        case NN_NODE_ACTIVATION:
            k = nn_model_add_activation(m, last, nd->act, nd->name, e);
            break;
        case NN_NODE_DENSE: {
            const nn_node *own = &src->nodes[nd->shared];
            nn_dense_cfg c = own->dense;
            c.units = nd->dense.units;
            c.activation = nd->dense.activation;
            c.trainable = own->dense.trainable;
            k = nn_model_add_dense(m, last, &c, nd->name, &r, e);
            if (k >= 0) {
                nn_node *x = &m->nodes[k];
                memcpy(m->params + x->w_off, src->params + own->w_off,
                       (size_t)own->fan_in * own->dense.units * sizeof(float));
                if (c.use_bias)
                    memcpy(m->params + x->b_off, src->params + own->b_off,
                           (size_t)own->dense.units * sizeof(float));
            }
            break;
        }
        default:
            nn_fail(e, "layer %d (%s) cannot be reused", i, nd->name);
            goto fail;
        }
        if (k < 0)
            goto fail;
    }
    return m;
fail:
    nn_model_free(m);
    return NULL;
}

/* Is src a chain: one input first, each node fed by the one before? */
static int is_chain(const nn_model *m)
{
    if (m->n < 1 || m->nodes[0].kind != NN_NODE_INPUT)
        return 0;
    for (int i = 1; i < m->n; i++)
        if (m->nodes[i].nin != 1 || m->nodes[i].in[0] != i - 1)
            return 0;
    return 1;
}

static int load_layers(repl_session *s, const char *file, const char *spec)
{
    long from, to;
    if (parse_layers(spec, &from, &to) != 0)
        return repl_error(s, "load", "layers= takes N (the first N layers) or "
                          "FROM..TO, numbered as summary shows them from 1 "
                          "(got '%s')", spec);
    nn_err e;
    nn_model *src = nn_model_load(file, NULL, &e);
    if (!src)
        return repl_error(s, "load", "%s%s", e.msg, repl_hint(e.msg));
    int nl = src->n - 1;
    int rc = 0;
    if (!is_chain(src)) {
        rc = repl_error(s, "load", "%s holds a Functional model with branches; "
                        "layers= reuses the layers of a chain (a Sequential "
                        "model)", file);
        goto out;
    }
    if (nl < 1) {
        rc = repl_error(s, "load", "%s holds no layers besides its input", file);
        goto out;
    }
    if (from < 1 || to < from || to > nl) {
        rc = repl_error(s, "load", "layers=%s is outside the %d layer%s of %s "
                        "(give 1..%d or less)", spec, nl, nl == 1 ? "" : "s",
                        file, nl);
        goto out;
    }
    nn_model *m = reuse_layers(src, (int)from, (int)to, &e);
    if (!m) {
        rc = repl_error(s, "load", "%s", e.msg);
        goto out;
    }
    nn_model_free(s->model);
    s->model = m;
    nn_history_clear(&s->hist);
    s->loss_name[0] = 0;
    s->last_fit.set = 0;
    size_t total;
    char num[32];
    nn_model_count(m, &total, NULL);
    if (from == to)
        printf("new Sequential model \"%s\" from layer %ld of %s (\"%s\"):", m->name,
               from, file, src->name);
    else
        printf("new Sequential model \"%s\" from layers %ld..%ld of %s (\"%s\"):",
               m->name, from, to, file, src->name);
    for (int i = 1; i < m->n; i++)
        printf("%s %s", i > 1 ? "," : "", m->nodes[i].name);
    printf("; %s parameters copied\n", repl_commas(total, num));
    /* the freeze commands for the reused Dense layers, the first three */
    char fr[160] = "";
    int nf = 0;
    for (int i = 1; i < m->n; i++) {
        if (m->nodes[i].kind != NN_NODE_DENSE)
            continue;
        if (nf++ < 3)
            snprintf(fr + strlen(fr), sizeof fr - strlen(fr), "%sfreeze %s",
                     nf > 1 ? "; " : "", m->nodes[i].name);
    }
    if (nf > 3)
        snprintf(fr + strlen(fr), sizeof fr - strlen(fr), "; ...");
    printf("next: %sfreeze the reused layers (%s), compile, fit\n",
           to < nl ? "add the new top (e.g. dense 1 activation=sigmoid), " : "",
           nf ? fr : "none has weights");
out:
    nn_model_free(src);
    return rc;
}

static int cmd_load(repl_session *s, const repl_args *a)
{
    const char *file = a->pos[0];
    const char *spec = repl_arg_str(a, "layers");
    if (spec)
        return load_layers(s, file, spec);
    nn_history h;
    nn_history_init(&h);
    nn_err e;
    nn_model *m = nn_model_load(file, &h, &e);
    if (!m)
        return repl_error(s, "load", "%s%s", e.msg, repl_hint(e.msg));
    nn_model_free(s->model);
    s->model = m;
    nn_history_free(&s->hist);
    s->hist = h;
    s->last_fit.set = 0;
    if (m->compiled)
        snprintf(s->loss_name, sizeof s->loss_name, "%s",
                 nn_loss_names[m->cc.loss[0].kind]);
    else
        s->loss_name[0] = 0;
    char d[256];
    describe(m, &s->hist, d, sizeof d);
    printf("loaded \"%s\" from %s: %s\n", m->name, file, d);
    int in = nn_model_input(m);
    if (s->have_data && in >= 0 && nn_model_check_columns(m, s->train.d, &e) != NN_OK)
        printf("note: %s (the data loaded: %s)\n", e.msg, s->data_name);
    return 0;
}

/* ---- weights LAYER save= / load= ---- */

/* The Dense layer named layer, or -1 after an error. */
static int dense_layer(repl_session *s, const char *layer)
{
    if (!s->model)
        return repl_error(s, "weights", "there is no model; build one first");
    int i = nn_model_find(s->model, layer);
    if (i < 0)
        return repl_error(s, "weights", "no layer named '%s'; see summary", layer);
    const nn_node *nd = &s->model->nodes[i];
    if (nd->kind != NN_NODE_DENSE)
        return repl_error(s, "weights", "'%s' has no weights (%s; only Dense layers "
                          "have them)", nd->name, nn_node_class[nd->kind]);
    return nd->shared;
}

/* "w.npy" -> "w_bias.npy" (w -> w_bias.npy). */
static void bias_name(char *buf, size_t len, const char *file)
{
    size_t n = strlen(file);
    if (ends_with(file, ".npy"))
        n -= 4;
    snprintf(buf, len, "%.*s_bias.npy", (int)n, file);
}

int repl_weights_save(repl_session *s, const char *layer, const char *file)
{
    int i = dense_layer(s, layer);
    if (i < 0)
        return -1;
    const nn_model *m = s->model;
    const nn_node *own = &m->nodes[i];
    char kfile[4096], bfile[4096];
    if (strlen(file) + 16 > sizeof kfile)
        return repl_error(s, "weights", "file name too long");
    /* as np.save, which adds .npy to a name without it */
    snprintf(kfile, sizeof kfile, "%s%s", file, ends_with(file, ".npy") ? "" : ".npy");
    bias_name(bfile, sizeof bfile, file);
    long ks[2] = {own->fan_in, own->dense.units}, bs[1] = {own->dense.units};
    nn_err e;
    if (nn_npy_save(kfile, m->params + own->w_off, 2, ks, &e) != NN_OK)
        return repl_error(s, "weights", "%s", e.msg);
    printf("%s: kernel (%ld, %ld) saved to %s", layer, ks[0], ks[1], kfile);
    if (own->dense.use_bias) {
        if (nn_npy_save(bfile, m->params + own->b_off, 1, bs, &e) != NN_OK) {
            printf("\n");
            return repl_error(s, "weights", "%s", e.msg);
        }
        printf(", bias (%ld,) to %s", bs[0], bfile);
    }
    printf("\n");
    return 0;
}

static int all_finite(const nn_npy *a)
{
    for (size_t k = 0; k < a->n; k++)
        if (!isfinite(a->data[k]))
            return 0;
    return 1;
}

int repl_weights_load(repl_session *s, const char *layer, const char *file)
{
    int i = dense_layer(s, layer);
    if (i < 0)
        return -1;
    nn_model *m = s->model;
    const nn_node *own = &m->nodes[i];
    long fan_in = own->fan_in, units = own->dense.units;
    char want[96];
    snprintf(want, sizeof want, "%s's kernel is (%ld, %ld)%s", layer, fan_in, units,
             own->dense.use_bias ? "" : " and it has no bias");
    if (own->dense.use_bias)
        snprintf(want + strlen(want), sizeof want - strlen(want),
                 " and its bias (%ld,)", units);
    nn_npy k = {0}, b = {0};
    nn_err e;
    char bfile[4096], sh[128];
    int rc = 0;
    if (nn_npy_load(file, &k, &e) != NN_OK)
        return repl_error(s, "weights", "%s", e.msg);
    if (k.ndim == 1 && k.shape[0] == units && own->dense.use_bias) {
        b = k;                         /* a bias on its own */
        memset(&k, 0, sizeof k);
    } else if (!(k.ndim == 2 && k.shape[0] == fan_in && k.shape[1] == units)) {
        nn_npy_shape_str(k.ndim, k.shape, sh, sizeof sh);
        rc = repl_error(s, "weights", "%s holds shape %s; %s", file, sh, want);
        goto out;
    } else if (own->dense.use_bias) {
        bias_name(bfile, sizeof bfile, file);
        if (access(bfile, F_OK) == 0) {
            if (nn_npy_load(bfile, &b, &e) != NN_OK) {
                rc = repl_error(s, "weights", "%s", e.msg);
                goto out;
            }
            if (!(b.ndim == 1 && b.shape[0] == units)) {
                nn_npy_shape_str(b.ndim, b.shape, sh, sizeof sh);
                rc = repl_error(s, "weights", "%s holds shape %s; %s", bfile, sh, want);
                goto out;
            }
        }
    }
    const char *bad = NULL;
    if (k.data && !all_finite(&k))
        bad = file;
    else if (b.data && !all_finite(&b))
        bad = k.data ? bfile : file;
    if (bad) {
        rc = repl_error(s, "weights", "%s holds NaN or infinite values; the "
                        "weights are unchanged", bad);
        goto out;
    }
    printf("%s:", layer);
    if (k.data) {
        memcpy(m->params + own->w_off, k.data, k.n * sizeof(float));
        printf(" kernel (%ld, %ld) loaded from %s", fan_in, units, file);
    }
    if (b.data) {
        memcpy(m->params + own->b_off, b.data, b.n * sizeof(float));
        printf("%s bias (%ld,)%s from %s", k.data ? "," : "", units,
               k.data ? "" : " loaded", k.data ? bfile : file);
    }
    printf("\n");
out:
    nn_npy_free(&k);
    nn_npy_free(&b);
    return rc;
}

/* ---- the table ---- */

static const repl_opt load_opts[] = {
    {.name = "layers", .type = REPL_T_TEXT, .shown = "N|FROM..TO",
     .help = "which layers to take from the file (N, or FROM..TO)"},
    REPL_END
};

const repl_cmd repl_cmds_save[] = {
    {.name = "save", .topic = "files", .run = cmd_save,
     .args = "FILE",
     .summary = "save the model, its weights, optimizer state and history",
     .help =
     "Writes the whole model to FILE: its layers, weights, compile settings,\n"
     "the optimizer's state (momentum, Adam's moments, the step count) and\n"
     "the history of every epoch, so load FILE continues exactly where you\n"
     "stopped: same predictions, same next training step.  The file is\n"
     "nnlab's own (versioned, with a checksum), not a Keras .keras file; to\n"
     "take a model to Keras use export keras DIR.  Saving is safe: the file\n"
     "is written beside FILE, synced, then renamed over it, so a full disk\n"
     "or a crash never leaves a half-written FILE (the old one stays).\n"
     "\n"
     "Example:\n"
     "  save my_model.nnlab\n"
     "\n"
     "Keras: model.save(\"my_model.keras\")",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_FILE, .pos_values = NULL},
    {.name = "load", .topic = "files", .run = cmd_load,
     .args = "FILE",
     .opts = load_opts,
     .summary = "load a saved model (or reuse its lower layers: transfer learning)",
     .help =
     "Replaces the current model and its history with those saved in FILE\n"
     "(layers, weights, compile settings, optimizer state, history).  A file\n"
     "that is not a model, truncated, corrupt (checksum) or written by a\n"
     "newer nnlab is refused and the session stays as it was.\n"
     "\n"
     "With layers= it does transfer learning as Géron (ch. 10-11) does:\n"
     "the current model is replaced by a new Sequential model made of the\n"
     "saved input and layers FROM..TO (numbered from 1 as summary lists\n"
     "them; N means 1..N), with their weights copied, not compiled and\n"
     "without history.  Add the new top, freeze the reused layers, compile\n"
     "and fit.  The weights are copies (as keras.models.clone_model plus\n"
     "set_weights): training the new model never changes the file.\n"
     "\n"
     "Example (model A has 3 layers; B reuses all but its output):\n"
     "  load model_A.nnlab layers=1..2\n"
     "  dense 1 activation=sigmoid\n"
     "  freeze dense\n"
     "  freeze dense_1\n"
     "  compile loss=binary_crossentropy optimizer=sgd\n"
     "\n"
     "Keras: model = keras.models.load_model(\"my_model.keras\")\n"
     "       model_A = keras.models.load_model(\"my_model_A.keras\")\n"
     "       model_B_on_A = keras.Sequential(model_A.layers[:-1])",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_FILE, .pos_values = NULL},
    {NULL},
};
