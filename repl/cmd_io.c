/* cmd_io.c - saving and sharing: save, load (and transfer learning with
 * layers=), export keras, keras; and the weights command's save=/load=
 * (repl_weights_save, repl_weights_load).
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
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "repl.h"
#include "hints.h"
#include "progress.h"
#include "save.h"
#include "npy.h"

/* ---- small helpers ---- */

typedef struct sbuf {
    char *s;
    size_t n, cap;
    int oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0) {
        b->oom = 1;
        return;
    }
    if (b->n + (size_t)k + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->n + (size_t)k + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

/* The shortest decimal that reads back as x (Python's repr of a float). */
static const char *pynum(char *buf, size_t len, double x)
{
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, len, "%.*g", p, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    return buf;
}

static const char *pyfloat32(char *buf, size_t len, float x)
{
    for (int p = 1; p <= 9; p++) {
        snprintf(buf, len, "%.*g", p, (double)x);
        if ((float)strtod(buf, NULL) == x)
            break;
    }
    return buf;
}

/* A Python string literal: "..." with \ and " escaped. */
static const char *pystr(char *buf, size_t len, const char *s)
{
    size_t k = 0;
    if (len < 3)
        return "\"\"";
    buf[k++] = '"';
    for (; *s && k + 3 < len; s++) {
        if (*s == '"' || *s == '\\')
            buf[k++] = '\\';
        buf[k++] = *s;
    }
    buf[k++] = '"';
    buf[k] = 0;
    return buf;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* ---- Keras code ---- */

static const char *const opt_class[NN_OPT_COUNT] = {
    "SGD", "RMSprop", "Adam", "Adagrad", "Nadam"
};

/* keras.optimizers.Adam(learning_rate=0.001, ...): Keras's defaults left
 * out, the learning rate always shown. */
static void keras_optimizer(sbuf *b, const nn_opt_cfg *c)
{
    char n1[32];
    nn_opt_cfg d;
    nn_opt_defaults(&d, c->kind);
    sb_printf(b, "keras.optimizers.%s(learning_rate=%s", opt_class[c->kind],
              pynum(n1, sizeof n1, c->learning_rate));
    switch (c->kind) {
    case NN_OPT_SGD:
        if (c->momentum != 0)
            sb_printf(b, ", momentum=%s", pynum(n1, sizeof n1, c->momentum));
        if (c->nesterov)
            sb_printf(b, ", nesterov=True");
        break;
    case NN_OPT_RMSPROP:
        if (c->rho != d.rho)
            sb_printf(b, ", rho=%s", pynum(n1, sizeof n1, c->rho));
        break;
    case NN_OPT_ADAM:
    case NN_OPT_NADAM:
        if (c->beta_1 != d.beta_1)
            sb_printf(b, ", beta_1=%s", pynum(n1, sizeof n1, c->beta_1));
        if (c->beta_2 != d.beta_2)
            sb_printf(b, ", beta_2=%s", pynum(n1, sizeof n1, c->beta_2));
        break;
    case NN_OPT_ADAGRAD:
        if (c->initial_accumulator_value != d.initial_accumulator_value)
            sb_printf(b, ", initial_accumulator_value=%s",
                      pynum(n1, sizeof n1, c->initial_accumulator_value));
        break;
    default:
        break;
    }
    if (c->kind != NN_OPT_SGD && c->epsilon != d.epsilon)
        sb_printf(b, ", epsilon=%s", pynum(n1, sizeof n1, c->epsilon));
    sb_printf(b, ")");
}

static void keras_loss(sbuf *b, const nn_loss *L)
{
    static const char *const cls[NN_LOSS_COUNT] = {
        "MeanSquaredError", "MeanAbsoluteError", "Huber", "BinaryCrossentropy",
        "CategoricalCrossentropy", "SparseCategoricalCrossentropy"
    };
    char n1[32];
    if (L->from_logits)
        sb_printf(b, "keras.losses.%s(from_logits=True)", cls[L->kind]);
    else if (L->kind == NN_LOSS_HUBER && L->delta != 1.0f)
        sb_printf(b, "keras.losses.Huber(delta=%s)", pyfloat32(n1, sizeof n1, L->delta));
    else
        sb_printf(b, "\"%s\"", nn_loss_names[L->kind]);
}

/* used[i] = 1 when an output depends on node i (the graph Keras builds
 * from the outputs; a layer added after outputs is not in it). */
static void used_nodes(const nn_model *m, char *used)
{
    int outs[NN_MAXOUT], nout = nn_model_outputs(m, outs);
    memset(used, 0, (size_t)m->n);
    for (int k = 0; k < nout; k++)
        used[outs[k]] = 1;
    for (int i = m->n - 1; i >= 0; i--) {
        if (!used[i])
            continue;
        const nn_node *nd = &m->nodes[i];
        for (int j = 0; j < nd->nin; j++)
            used[nd->in[j]] = 1;
        used[nd->shared] = 1;
    }
}

static void keras_compile(sbuf *b, const nn_model *m)
{
    const nn_compile_cfg *c = &m->cc;
    int outs[NN_MAXOUT], nout = nn_model_outputs(m, outs);
    char n1[32];
    const char *ind = "              ";
    if (!m->compiled) {
        sb_printf(b, "# not compiled yet in nnlab; before training, e.g.:\n"
                     "# model.compile(loss=\"mse\", optimizer=\"sgd\")\n");
        return;
    }
    sb_printf(b, "model.compile(loss=");
    if (nout > 1)
        sb_printf(b, "[");
    for (int k = 0; k < nout; k++) {
        if (k)
            sb_printf(b, ", ");
        keras_loss(b, &c->loss[k]);
    }
    if (nout > 1)
        sb_printf(b, "]");
    int lw = 0;
    for (int k = 0; k < nout; k++)
        lw |= c->loss_weights[k] != 1.0;
    if (lw) {
        sb_printf(b, ",\n%sloss_weights=[", ind);
        for (int k = 0; k < nout; k++)
            sb_printf(b, "%s%s", k ? ", " : "", pynum(n1, sizeof n1, c->loss_weights[k]));
        sb_printf(b, "]");
    }
    sb_printf(b, ",\n%soptimizer=", ind);
    keras_optimizer(b, &c->opt);
    if (c->nmetrics > 0) {
        /* Keras 3 wants a list per output when there are several */
        sb_printf(b, ",\n%smetrics=[", ind);
        for (int o = 0; o < nout; o++) {
            sb_printf(b, "%s%s", o ? ", " : "", nout > 1 ? "[" : "");
            for (int k = 0; k < c->nmetrics; k++) {
                if (k)
                    sb_printf(b, ", ");
                if (c->metrics[k] == NN_MET_RMSE)
                    sb_printf(b, "keras.metrics.RootMeanSquaredError(name=\"rmse\")");
                else
                    sb_printf(b, "\"%s\"", nn_metric_names[c->metrics[k]]);
            }
            if (nout > 1)
                sb_printf(b, "]");
        }
        sb_printf(b, "]");
    }
    sb_printf(b, ")\n");
}

/* The arguments of a layer's constructor, after the class name's "(". */
static void layer_args(sbuf *b, const nn_node *nd)
{
    char n1[32], q[NN_NAMEMAX * 2 + 4];
    switch (nd->kind) {
    case NN_NODE_DENSE: {
        const nn_dense_cfg *c = &nd->dense;
        sb_printf(b, "%d", c->units);
        if (c->activation != NN_ACT_LINEAR)
            sb_printf(b, ", activation=\"%s\"", nn_act_names[c->activation]);
        if (!c->use_bias)
            sb_printf(b, ", use_bias=False");
        if (c->kernel_initializer == NN_INIT_CONSTANT)
            sb_printf(b, ", kernel_initializer=keras.initializers.Constant(%s)",
                      pyfloat32(n1, sizeof n1, c->kernel_value));
        else if (c->kernel_initializer != NN_INIT_GLOROT_UNIFORM)
            sb_printf(b, ", kernel_initializer=\"%s\"",
                      nn_init_names[c->kernel_initializer]);
        if (c->use_bias && c->bias_initializer == NN_INIT_CONSTANT)
            sb_printf(b, ", bias_initializer=keras.initializers.Constant(%s)",
                      pyfloat32(n1, sizeof n1, c->bias_value));
        else if (c->use_bias && c->bias_initializer != NN_INIT_ZEROS)
            sb_printf(b, ", bias_initializer=\"%s\"", nn_init_names[c->bias_initializer]);
        if (!c->trainable)
            sb_printf(b, ", trainable=False");
        sb_printf(b, ", ");
        break;
    }
    case NN_NODE_ACTIVATION:
        sb_printf(b, "\"%s\", ", nn_act_names[nd->act]);
        break;
    default:
        break;
    }
    sb_printf(b, "name=%s)", pystr(q, sizeof q, nd->name));
}

static const char *const layer_class[NN_NODE_KIND_COUNT] = {
    "InputLayer", "Flatten", "Dense", "Activation", "Concatenate"
};

static void shape_tuple(char *buf, size_t len, const nn_node *nd)
{
    size_t k = (size_t)snprintf(buf, len, "(");
    for (int i = 0; i < nd->ndim && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s%d", i ? ", " : "", nd->shape[i]);
    if (k < len)
        snprintf(buf + k, len - k, nd->ndim == 1 ? ",)" : ")");
}

/* Python variable names for the nodes of a Functional model: the layer
 * names made identifiers, never a keyword or a name the code uses. */
static void var_names(const nn_model *m, char (*var)[NN_NAMEMAX + 16])
{
    static const char *const taken[] = {
        "False", "None", "True", "and", "as", "assert", "async", "await",
        "break", "class", "continue", "def", "del", "elif", "else", "except",
        "finally", "for", "from", "global", "if", "import", "in", "is",
        "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
        "while", "with", "yield", "keras", "np", "os", "model", "load",
        "HERE", "history", "input", "X_check", "y_check", "y_keras", NULL
    };
    for (int i = 0; i < m->n; i++) {
        char *v = var[i];
        const char *s = m->nodes[i].name;
        size_t k = 0;
        if (*s >= '0' && *s <= '9')
            v[k++] = '_';
        for (; *s && k < NN_NAMEMAX + 2; s++)
            v[k++] = ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                      (*s >= '0' && *s <= '9') || *s == '_') ? *s : '_';
        v[k] = 0;
        if (nn_lookup(taken, v) >= 0)
            v[k++] = '_', v[k] = 0;
        for (int n = 2; n < 100000; n++) {
            int dup = 0;
            for (int j = 0; j < i && !dup; j++)
                dup = strcmp(var[j], v) == 0;
            if (!dup)
                break;
            snprintf(v + k, 12, "_%d", n);
        }
    }
}

/* The model: keras.Sequential([...]) or the Functional API's calls. */
static void keras_model(sbuf *b, const nn_model *m)
{
    char sh[128], q[NN_NAMEMAX * 2 + 4];
    if (m->sequential) {
        sb_printf(b, "model = keras.Sequential([\n");
        for (int i = 0; i < m->n; i++) {
            const nn_node *nd = &m->nodes[i];
            if (nd->kind == NN_NODE_INPUT) {
                shape_tuple(sh, sizeof sh, nd);
                sb_printf(b, "    keras.Input(shape=%s),\n", sh);
                continue;
            }
            sb_printf(b, "    keras.layers.%s(", layer_class[nd->kind]);
            layer_args(b, nd);
            sb_printf(b, ",\n");
        }
        sb_printf(b, "], name=%s)\n", pystr(q, sizeof q, m->name));
        return;
    }
    char (*var)[NN_NAMEMAX + 16] = calloc((size_t)(m->n ? m->n : 1), sizeof *var);
    if (!var) {
        b->oom = 1;
        return;
    }
    var_names(m, var);
    /* layers whose weights other nodes share are made once, then called */
    for (int i = 0; i < m->n; i++) {
        const nn_node *nd = &m->nodes[i];
        int shared = 0;
        for (int j = i + 1; j < m->n && !shared; j++)
            shared = m->nodes[j].shared == i;
        if (nd->kind == NN_NODE_INPUT) {
            shape_tuple(sh, sizeof sh, nd);
            sb_printf(b, "%s = keras.Input(shape=%s, name=%s)\n", var[i], sh,
                      pystr(q, sizeof q, nd->name));
            continue;
        }
        if (shared) {
            sb_printf(b, "%s_layer = keras.layers.%s(", var[i], layer_class[nd->kind]);
            layer_args(b, nd);
            sb_printf(b, "\n%s = %s_layer(", var[i], var[i]);
        } else if (nd->shared != i) {
            sb_printf(b, "%s = %s_layer(", var[i], var[nd->shared]);
        } else {
            sb_printf(b, "%s = keras.layers.%s(", var[i], layer_class[nd->kind]);
            layer_args(b, nd);
            sb_printf(b, "(");
        }
        if (nd->kind == NN_NODE_CONCAT) {
            sb_printf(b, "[");
            for (int k = 0; k < nd->nin; k++)
                sb_printf(b, "%s%s", k ? ", " : "", var[nd->in[k]]);
            sb_printf(b, "]");
        } else
            sb_printf(b, "%s", var[nd->in[0]]);
        sb_printf(b, ")\n");
    }
    int outs[NN_MAXOUT], nout = nn_model_outputs(m, outs);
    int nin = nn_model_ninputs(m);
    sb_printf(b, "model = keras.Model(inputs=");
    if (nin > 1)
        sb_printf(b, "[");
    for (int i = 0, k = 0; i < m->n; i++)
        if (m->nodes[i].kind == NN_NODE_INPUT)
            sb_printf(b, "%s%s", k++ ? ", " : "", var[i]);
    if (nin > 1)
        sb_printf(b, "]");
    sb_printf(b, ", outputs=");
    if (nout > 1)
        sb_printf(b, "[");
    for (int k = 0; k < nout; k++)
        sb_printf(b, "%s%s", k ? ", " : "", var[outs[k]]);
    if (nout > 1)
        sb_printf(b, "]");
    sb_printf(b, ", name=%s)\n", pystr(q, sizeof q, m->name));
    free(var);
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

/* ---- export keras DIR ---- */

static int write_text(const char *path, const char *text, size_t len, nn_err *e)
{
    nn_afile f;
    if (nn_afile_open(&f, path, e) != NN_OK)
        return NN_FAIL;
    nn_afile_write(&f, text, len);
    return nn_afile_commit(&f, e);
}

/* Up to 8 samples to check Keras's predictions against nnlab's: the first
 * rows of the training data when they fit the model, else U(-1, 1) values
 * from a fixed seed.  x is (rows, d). */
static int check_inputs(const repl_session *s, int d, float *x, int *rows)
{
    if (s->have_data && s->train.d == d && s->train.n > 0) {
        *rows = s->train.n < 8 ? s->train.n : 8;
        memcpy(x, s->train.x, (size_t)*rows * d * sizeof *x);
        return 1;
    }
    nn_rng r;
    nn_rng_seed(&r, 42);
    *rows = 8;
    for (size_t k = 0; k < (size_t)8 * d; k++)
        x[k] = (float)nn_rng_range(&r, -1.0, 1.0);
    return 0;
}

static const char *join(char *buf, size_t len, const char *dir, const char *name)
{
    snprintf(buf, len, "%s/%s", dir, name);
    return buf;
}

/* What Keras is given for X: the array itself, or each input's columns
 * (Keras: fit((X_train[:, :5], X_train[:, 2:]), y_train)). */
static const char *keras_x(char *buf, size_t len, const nn_model *m,
                           const char *x)
{
    int nin = m ? nn_model_ninputs(m) : 0, in = m ? nn_model_input(m) : -1;
    if (nin == 0 || (nin == 1 && m->nodes[in].col_from == 0)) {
        snprintf(buf, len, "%s", x);
        return buf;
    }
    size_t k = 0;
    if (nin > 1)
        k += (size_t)snprintf(buf + k, len - k, "(");
    int j = 0;
    for (int i = 0; i < m->n && k < len; i++) {
        const nn_node *nd = &m->nodes[i];
        if (nd->kind != NN_NODE_INPUT)
            continue;
        int from = nd->col_from - 1;
        if (nd->col_from == 0)
            k += (size_t)snprintf(buf + k, len - k, "%s%s", j ? ", " : "", x);
        else
            k += (size_t)snprintf(buf + k, len - k, "%s%s[:, %d:%d]", j ? ", " : "",
                                  x, from, from + nd->size);
        j++;
    }
    if (nin > 1 && k < len)
        snprintf(buf + k, len - k, ")");
    return buf;
}

static int cmd_export(repl_session *s, const repl_args *a)
{
    if (strcmp(a->pos[0], "keras") != 0)
        return repl_error(s, "export", "unknown format '%s'; give: export keras DIR",
                          a->pos[0]);
    if (a->npos != 2)
        return repl_error(s, "export", "give a folder: export keras DIR");
    const char *dir = a->pos[1];
    nn_model *m = s->model;
    if (!m || m->n - nn_model_ninputs(m) == 0)
        return repl_error(s, "export", "there is no model to export; build one first");
    if (strlen(dir) > 3000)
        return repl_error(s, "export", "folder name too long");
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return repl_error(s, "export", "%s exists and is not a folder", dir);
    } else if (mkdir(dir, 0777) != 0)
        return repl_error(s, "export", "cannot make the folder %s: %s", dir,
                          strerror(errno));
    nn_err e;
    char path[4096], q[NN_NAMEMAX * 2 + 4];
    int nfiles = 0, rc = 0;
    sbuf py = {0}, rd = {0};
    nn_model *c = NULL;
    float *x = NULL, *y = NULL;

    /* the weights, as layer.get_weights() gives them */
    for (int i = 0; i < m->n; i++) {
        const nn_node *nd = &m->nodes[i];
        if (nd->kind != NN_NODE_DENSE || nd->shared != i)
            continue;
        char name[NN_NAMEMAX + 16];
        long ks[2] = {nd->fan_in, nd->dense.units}, bs[1] = {nd->dense.units};
        snprintf(name, sizeof name, "%s_kernel.npy", nd->name);
        if (nn_npy_save(join(path, sizeof path, dir, name), m->params + nd->w_off, 2,
                        ks, &e) != NN_OK)
            goto fail;
        nfiles++;
        if (nd->dense.use_bias) {
            snprintf(name, sizeof name, "%s_bias.npy", nd->name);
            if (nn_npy_save(join(path, sizeof path, dir, name), m->params + nd->b_off,
                            1, bs, &e) != NN_OK)
                goto fail;
            nfiles++;
        }
    }
    /* a few inputs and nnlab's outputs, for model.py to compare */
    int outs[NN_MAXOUT], nout = nn_model_outputs(m, outs);
    int in = nn_model_input(m), check = nn_model_ninputs(m) == 1 && nout == 1 &&
                                        m->nodes[in].col_from == 0;
    int from_data = 0, rows = 0;
    if (check) {
        int d = m->nodes[in].size, od = m->nodes[outs[0]].size;
        x = calloc((size_t)8 * d, sizeof *x);
        y = calloc((size_t)8 * od, sizeof *y);
        c = nn_model_clone(m, &e);     /* predicting must not touch m's activations */
        if (!x || !y || !c) {
            if (!c)
                goto fail;
            nn_fail(&e, "out of memory");
            goto fail;
        }
        from_data = check_inputs(s, d, x, &rows);
        if (nn_model_predict(c, x, d, rows, y, &e) != NN_OK)
            goto fail;
        long xs[NN_MAXDIMS + 1], ys[2] = {rows, od};
        xs[0] = rows;
        for (int k = 0; k < m->nodes[in].ndim; k++)
            xs[k + 1] = m->nodes[in].shape[k];
        if (nn_npy_save(join(path, sizeof path, dir, "check_x.npy"), x,
                        m->nodes[in].ndim + 1, xs, &e) != NN_OK ||
            nn_npy_save(join(path, sizeof path, dir, "check_y.npy"), y, 2, ys, &e) != NN_OK)
            goto fail;
        nfiles += 2;
    }

    /* model.py */
    sb_printf(&py, "# model.py - written by nnlab's `export keras`: the model %s\n"
                   "# rebuilt with Keras, compiled as in nnlab, with nnlab's weights.\n"
                   "# Run it:  python3 model.py   (README.txt says more)\n",
              pystr(q, sizeof q, m->name));
    sb_printf(&py, "import os\n\nimport numpy as np\n\n"
                   "try:\n    import keras  # Keras 3\n"
                   "except ImportError:\n    from tensorflow import keras  # TensorFlow 2's Keras\n\n"
                   "HERE = os.path.dirname(os.path.abspath(__file__))\n\n\n"
                   "def load(name):\n    return np.load(os.path.join(HERE, name))\n\n\n");
    keras_model(&py, m);
    sb_printf(&py, "\n# the weights: kernel (fan_in, units) and bias (units,), as "
                   "layer.get_weights()\n");
    char *used = malloc((size_t)m->n + 1);
    if (!used) {
        nn_fail(&e, "out of memory");
        goto fail;
    }
    used_nodes(m, used);
    for (int i = 0; i < m->n; i++) {
        const nn_node *nd = &m->nodes[i];
        if (nd->kind != NN_NODE_DENSE || nd->shared != i || !used[i])
            continue;   /* a layer no output depends on is not in Keras's model */
        const char *qn = pystr(q, sizeof q, nd->name);
        sb_printf(&py, "model.get_layer(%s).set_weights([load(\"%s_kernel.npy\")", qn,
                  nd->name);
        if (nd->dense.use_bias)
            sb_printf(&py, ", load(\"%s_bias.npy\")", nd->name);
        sb_printf(&py, "])\n");
    }
    free(used);
    sb_printf(&py, "\n");
    keras_compile(&py, m);
    sb_printf(&py, "\nif __name__ == \"__main__\":\n    model.summary()\n");
    if (check)
        sb_printf(&py, "    X_check, y_check = load(\"check_x.npy\"), load(\"check_y.npy\")\n"
                       "    y_keras = model.predict(X_check, verbose=0)\n"
                       "    diff = float(np.abs(y_keras - y_check).max())\n"
                       "    print(\"largest difference from nnlab's predictions on %d "
                       "samples: %%.3g\" %% diff)\n"
                       "    assert diff < 1e-4, \"Keras and nnlab disagree\"\n", rows);
    if (py.oom || write_text(join(path, sizeof path, dir, "model.py"), py.s, py.n, &e)
        != NN_OK) {
        if (py.oom)
            nn_fail(&e, "out of memory");
        goto fail;
    }
    nfiles++;

    /* README.txt */
    sb_printf(&rd, "This folder holds the model %s, exported by nnlab (export keras).\n\n"
                   "  model.py            rebuilds it with Keras, sets the weights and "
                   "compiles it\n"
                   "  LAYER_kernel.npy    each Dense layer's kernel, shape (fan_in, "
                   "units)\n"
                   "  LAYER_bias.npy      and its bias, shape (units,)\n",
              pystr(q, sizeof q, m->name));
    if (check)
        sb_printf(&rd, "  check_x.npy         %d input samples (%s)\n"
                       "  check_y.npy         nnlab's predictions for them\n",
                  rows, from_data ? "the first rows of the training data"
                                  : "random values in [-1, 1)");
    char xnew[4096];
    sb_printf(&rd, "\nRun it (needs Python 3 with NumPy and Keras 3, or TensorFlow 2):\n"
                   "  pip install keras tensorflow numpy\n"
                   "  python3 model.py\n"
                   "It prints model.summary()%s.\n\n"
                   "Use it from Python:\n"
                   "  import sys; sys.path.insert(0, \"%s\")\n"
                   "  from model import model\n"
                   "  model.predict(%s)\n"
                   "Read one array:  np.load(\"LAYER_kernel.npy\")\n"
                   "Save it as a Keras file:  model.save(\"my_model.keras\")\n",
              check ? " and the largest difference between Keras's\npredictions "
                      "and nnlab's on the check samples (it should be about 1e-7)" : "",
              dir, keras_x(xnew, sizeof xnew, m, "X_new"));
    if (rd.oom || write_text(join(path, sizeof path, dir, "README.txt"), rd.s, rd.n, &e)
        != NN_OK) {
        if (rd.oom)
            nn_fail(&e, "out of memory");
        goto fail;
    }
    nfiles++;
    printf("exported \"%s\" to %s/: model.py, README.txt and %d .npy file%s; run: "
           "python3 %s/model.py\n", m->name, dir, nfiles - 2, nfiles - 2 == 1 ? "" : "s",
           dir);
    goto out;
fail:
    rc = repl_error(s, "export", "%s", e.msg);
out:
    free(py.s);
    free(rd.s);
    free(x);
    free(y);
    nn_model_free(c);
    return rc;
}

/* ---- keras: the session as Keras code ---- */

static void data_shape(char *buf, size_t len, const nn_dataset *d)
{
    size_t k = (size_t)snprintf(buf, len, "(%d", d->n);
    if (d->ndim > 0)
        for (int i = 0; i < d->ndim && k < len; i++)
            k += (size_t)snprintf(buf + k, len - k, ", %d", d->shape[i]);
    else if (k < len)
        k += (size_t)snprintf(buf + k, len - k, ", %d", d->d);
    if (k < len)
        snprintf(buf + k, len - k, ")");
}

static void y_shape(char *buf, size_t len, const nn_dataset *d)
{
    if (d->ycols == 1)
        snprintf(buf, len, "(%d,)", d->n);
    else
        snprintf(buf, len, "(%d, %d)", d->n, d->ycols);
}

static void keras_data(sbuf *b, const repl_session *s)
{
    if (!s->have_data) {
        sb_printf(b, "# no data loaded yet: X_train, y_train are yours\n");
        return;
    }
    if (strcmp(s->data_name, "fashion_mnist") == 0) {
        sb_printf(b, "fashion_mnist = keras.datasets.fashion_mnist.load_data()\n"
                     "(X_train_full, y_train_full), (X_test, y_test) = fashion_mnist\n"
                     "X_train, y_train = X_train_full[:-5000], y_train_full[:-5000]\n"
                     "X_valid, y_valid = X_train_full[-5000:], y_train_full[-5000:]\n");
    } else {
        const char *const names[] = {"train", "valid", "test"};
        const nn_dataset *sets[] = {&s->train, &s->valid, &s->test};
        char xs[96], ys[64];
        sb_printf(b, "# data: %s, made or read by nnlab; load yours in arrays of these "
                     "shapes:\n", s->data_name);
        for (int k = 0; k < 3; k++) {
            if (sets[k]->n == 0)
                continue;
            data_shape(xs, sizeof xs, sets[k]);
            y_shape(ys, sizeof ys, sets[k]);
            sb_printf(b, "#   X_%s %s, y_%s %s%s\n", names[k], xs, names[k], ys,
                      sets[k]->nclasses > 0 && k == 0 ? "  (class numbers)" : "");
        }
    }
    const nn_model *m = s->model;
    int in = m ? nn_model_input(m) : -1;
    nn_err ce;
    if (in >= 0 && nn_model_check_columns(m, s->train.d, &ce) != NN_OK)
        sb_printf(b, "# note: %s\n", ce.msg);
    if (s->scaled)
        sb_printf(b, "# scaled in nnlab as scikit-learn's %s does (fitted on "
                     "X_train):\n# scaler = %s(); X_train = scaler.fit_transform(X_train)"
                     "; X_valid = scaler.transform(X_valid), ...\n",
                  s->scaled == 2 ? "MinMaxScaler" : "StandardScaler",
                  s->scaled == 2 ? "MinMaxScaler" : "StandardScaler");
}

/* The targets: y itself, or one per output, all the same (Keras:
 * fit(X, (y_train, y_train)) for the book's auxiliary output). */
static const char *keras_y(char *buf, size_t len, const nn_model *m, const char *y)
{
    int nout = m && m->nout > 1 ? m->nout : 1;
    size_t k = 0;
    if (nout > 1)
        k += (size_t)snprintf(buf + k, len - k, "(");
    for (int i = 0; i < nout && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? ", " : "", y);
    if (nout > 1 && k < len)
        snprintf(buf + k, len - k, ")");
    return buf;
}

static void keras_fit(sbuf *b, const repl_session *s)
{
    const nn_model *m = s->model;
    char xb[4096], yb[128];
    if (!s->last_fit.set || !m || m->epochs_done == 0) {
        /* a fit of an earlier model says nothing of this one */
        if (m && m->epochs_done > 0)
            sb_printf(b, "# trained %d epoch%s before it was saved; to train more, "
                         "e.g.:\n", m->epochs_done, m->epochs_done == 1 ? "" : "s");
        else
            sb_printf(b, "# not trained yet; e.g.:\n");
        sb_printf(b, "# history = model.fit(%s, %s, epochs=10",
                  keras_x(xb, sizeof xb, m, "X_train"), keras_y(yb, sizeof yb, m, "y_train"));
        if (s->valid.n > 0)
            sb_printf(b, ", validation_data=(%s, %s)", keras_x(xb, sizeof xb, m, "X_valid"),
                      keras_y(yb, sizeof yb, m, "y_valid"));
        sb_printf(b, ")\n");
        return;
    }
    char n1[32];
    sb_printf(b, "history = model.fit(%s, %s, epochs=%d",
              keras_x(xb, sizeof xb, m, "X_train"), keras_y(yb, sizeof yb, m, "y_train"),
              s->last_fit.epochs);
    if (s->last_fit.batch_size != 32)
        sb_printf(b, ", batch_size=%d", s->last_fit.batch_size);
    if (!s->last_fit.shuffle)
        sb_printf(b, ", shuffle=False");
    if (s->last_fit.validation_split > 0)
        sb_printf(b, ",\n                    validation_split=%s",
                  pynum(n1, sizeof n1, s->last_fit.validation_split));
    else if (s->last_fit.validation_data == 1)
        sb_printf(b, ",\n                    validation_data=(%s, %s)",
                  keras_x(xb, sizeof xb, m, "X_valid"), keras_y(yb, sizeof yb, m, "y_valid"));
    else if (s->last_fit.validation_data == 2)
        sb_printf(b, ",\n                    validation_data=(%s, %s)",
                  keras_x(xb, sizeof xb, m, "X_test"), keras_y(yb, sizeof yb, m, "y_test"));
    if (s->last_fit.class_weight[0]) {
        /* "0:1,1:5" -> {0: 1, 1: 5} */
        sb_printf(b, ",\n                    class_weight={");
        char cw[256];
        snprintf(cw, sizeof cw, "%s", s->last_fit.class_weight);
        char *save = NULL;
        int k = 0;
        for (char *t = strtok_r(cw, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            char *colon = strchr(t, ':');
            if (colon)
                *colon = 0;
            sb_printf(b, "%s%s: %s", k++ ? ", " : "", t, colon ? colon + 1 : "1");
        }
        sb_printf(b, "}");
    }
    char cb[2048];
    int ncb = 0;
    repl_callbacks_keras(s, cb, sizeof cb, &ncb);
    if (ncb > 0 && cb[0])
        sb_printf(b, ",\n                    callbacks=%s", cb);
    sb_printf(b, ")\n");
    if (m && m->epochs_done > s->last_fit.epochs)
        sb_printf(b, "# (nnlab trained %d epochs in all over several fit calls; this "
                     "was the last)\n", m->epochs_done);
    if (s->test.n > 0)
        sb_printf(b, "model.evaluate(%s, %s)\n", keras_x(xb, sizeof xb, m, "X_test"),
                  keras_y(yb, sizeof yb, m, "y_test"));
}

static int cmd_keras(repl_session *s, const repl_args *a)
{
    const nn_model *m = s->model;
    if (!m || m->n - nn_model_ninputs(m) == 0)
        return repl_error(s, "keras", "there is no model yet; build one (input, dense "
                          "...) and keras prints it as Keras code");
    sbuf b = {0};
    sb_printf(&b, "import keras  # or: from tensorflow import keras\n\n");
    keras_data(&b, s);
    sb_printf(&b, "\n");
    keras_model(&b, m);
    sb_printf(&b, "\n");
    keras_compile(&b, m);
    if (m->compiled) {
        sb_printf(&b, "\n");
        keras_fit(&b, s);
    }
    if (b.oom) {
        free(b.s);
        return repl_error(s, "keras", "out of memory");
    }
    fputs(b.s, stdout);
    free(b.s);
    return 0;
}

/* ---- the table ---- */

static const char *const export_formats[] = {"keras", NULL};

const repl_cmd repl_cmds_io[] = {
    {"save", "files", cmd_save, "save FILE",
     "save the model, its weights, optimizer state and history",
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
     "", 1, 1, REPL_POS_FILE, NULL},
    {"load", "files", cmd_load, "load FILE [layers=N|FROM..TO]",
     "load a saved model (or reuse its lower layers: transfer learning)",
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
     "layers", 1, 1, REPL_POS_FILE, NULL},
    {"export", "files", cmd_export, "export keras DIR",
     "write the model as Keras code plus .npy weights",
     "Makes the folder DIR (when needed) and writes into it:\n"
     "  model.py          Python that rebuilds the model with Keras (Sequential\n"
     "                    or Functional), sets nnlab's weights with\n"
     "                    layer.set_weights and compiles it the same way\n"
     "  LAYER_kernel.npy  each Dense layer's kernel (fan_in, units) and\n"
     "  LAYER_bias.npy    bias (units,), in NumPy's .npy format (float32)\n"
     "  check_x.npy       a few inputs and nnlab's predictions for them,\n"
     "  check_y.npy       which model.py compares with Keras's\n"
     "  README.txt        how to run it\n"
     "The optimizer's state and the history stay behind (Keras starts a new\n"
     "optimizer).  Run: python3 DIR/model.py\n"
     "\n"
     "Example:\n"
     "  export keras my_model_keras\n"
     "\n"
     "Keras: model.get_layer(\"dense\").set_weights([np.load(\"dense_kernel.npy\"),\n"
     "                                             np.load(\"dense_bias.npy\")])",
     "", 2, 2, REPL_POS_WORDS, export_formats},
    {"keras", "files", cmd_keras, "keras",
     "print the session as Keras code: data, model, compile, fit",
     "Prints the Python code that does in Keras what this session did: the\n"
     "data's shapes (Fashion-MNIST loaded as the book does), the model\n"
     "(keras.Sequential or the Functional API), compile with the same loss,\n"
     "optimizer and metrics, and the last fit with its settings and\n"
     "callbacks.  Weights are not in it: export keras DIR writes them too.\n"
     "\n"
     "Example:\n"
     "  keras\n"
     "\n"
     "Keras: the code it prints, e.g. model = keras.Sequential([...]);\n"
     "       model.compile(...); history = model.fit(X_train, y_train, ...)",
     "", 0, 0, REPL_POS_NONE, NULL},
    {NULL},
};
