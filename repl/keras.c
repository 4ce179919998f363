/* keras.c - the Keras code generator: Python that rebuilds a model
 * (keras.Sequential or the Functional API), compiles it as nnlab did, fits
 * it as the last fit did with the session's callbacks
 * (keras.callbacks.X(...)), and the model.py of export keras DIR.
 *
 * Numbers are written as the shortest %g that reads back the same
 * (learning_rate=0.001), weights' constants as float32 digits, the
 * callbacks' numbers as Python's repr() (pyfmt.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "keras.h"
#include "callbacks.h"
#include "pyfmt.h"
#include "schedule.h"

/* ---- the model and its compile ---- */

/* ", " before a keyword argument, none right after the "(". */
static const char *sep(const nn_buf *b)
{
    return b->len && b->s[b->len - 1] == '(' ? "" : ", ";
}

/* ", name=V" (or "name=V" right after the "("), V in the given style
 * (keras.h). */
void repl_keras_kwarg(nn_buf *b, const char *name, double v, int style)
{
    char f[48];
    nn_buf_printf(b, "%s%s=%s", sep(b), name, repl_py_float(f, sizeof f, v, style));
}

static void keras_loss(nn_buf *b, const nn_loss *L)
{
    static const char *const cls[NN_LOSS_COUNT] = {
        "MeanSquaredError", "MeanAbsoluteError", "Huber", "BinaryCrossentropy",
        "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
        "KLDivergence", "Poisson", "LogCosh", "Hinge", "SquaredHinge",
        "CategoricalHinge", "CosineSimilarity", "BinaryFocalCrossentropy",
        "CategoricalFocalCrossentropy", "MeanAbsolutePercentageError",
        "MeanSquaredLogarithmicError"
    };
    char n1[32], n2[32];
    if (nn_loss_is_focal(L->kind) &&
        (L->from_logits || L->gamma != 2.0f || L->alpha != 0.25f ||
         L->apply_class_balancing))
        /* Keras 3: BinaryFocalCrossentropy(apply_class_balancing=False,
         * alpha=0.25, gamma=2.0, from_logits=False, ...) */
        nn_buf_printf(b, "keras.losses.%s(%salpha=%s, gamma=%s%s)", cls[L->kind],
                      L->apply_class_balancing ? "apply_class_balancing=True, " : "",
                      repl_py_float(n1, sizeof n1, L->alpha, REPL_PY_F32),
                      repl_py_float(n2, sizeof n2, L->gamma, REPL_PY_F32),
                      L->from_logits ? ", from_logits=True" : "");
    else if (L->from_logits)
        nn_buf_printf(b, "keras.losses.%s(from_logits=True)", cls[L->kind]);
    else if (L->kind == NN_LOSS_HUBER && L->delta != 1.0f)
        nn_buf_printf(b, "keras.losses.Huber(delta=%s)",
                      repl_py_float(n1, sizeof n1, L->delta, REPL_PY_F32));
    else
        nn_buf_printf(b, "\"%s\"", nn_loss_names[L->kind]);
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

static void keras_compile(nn_buf *b, const nn_model *m)
{
    const nn_compile_cfg *c = &m->cc;
    int outs[NN_MAXOUT], nout = nn_model_outputs(m, outs);
    char n1[32];
    const char *ind = "              ";
    if (!m->compiled) {
        nn_buf_printf(b, "# not compiled yet in nnlab; before training, e.g.:\n"
                         "# model.compile(loss=\"mse\", optimizer=\"sgd\")\n");
        return;
    }
    nn_buf_printf(b, "model.compile(loss=");
    if (nout > 1)
        nn_buf_printf(b, "[");
    for (int k = 0; k < nout; k++) {
        if (k)
            nn_buf_printf(b, ", ");
        keras_loss(b, &c->loss[k]);
    }
    if (nout > 1)
        nn_buf_printf(b, "]");
    int lw = 0;
    for (int k = 0; k < nout; k++)
        lw |= c->loss_weights[k] != 1.0;
    if (lw) {
        nn_buf_printf(b, ",\n%sloss_weights=[", ind);
        for (int k = 0; k < nout; k++)
            nn_buf_printf(b, "%s%s", k ? ", " : "",
                          repl_py_float(n1, sizeof n1, c->loss_weights[k], REPL_PY_SHORT));
        nn_buf_printf(b, "]");
    }
    nn_buf_printf(b, ",\n%soptimizer=", ind);
    repl_keras_optimizer(b, &c->opt);
    if (c->nmetrics > 0) {
        /* Keras 3 wants a list per output when there are several */
        nn_buf_printf(b, ",\n%smetrics=[", ind);
        for (int o = 0; o < nout; o++) {
            nn_buf_printf(b, "%s%s", o ? ", " : "", nout > 1 ? "[" : "");
            for (int k = 0; k < c->nmetrics; k++) {
                if (k)
                    nn_buf_printf(b, ", ");
                repl_keras_metric(b, c->metrics[k], &c->loss[o], c->top_k);
            }
            if (nout > 1)
                nn_buf_printf(b, "]");
        }
        nn_buf_printf(b, "]");
    }
    nn_buf_printf(b, ")\n");
}

/* The arguments of a layer's constructor, after the class name's "(". */
static void layer_args(nn_buf *b, const nn_node *nd)
{
    char q[NN_NAMEMAX * 2 + 4];
    switch (nd->kind) {
    case NN_NODE_DENSE: {
        const nn_dense_cfg *c = &nd->dense;
        nn_buf_printf(b, "%d", c->units);
        if (c->activation != NN_ACT_LINEAR)
            nn_buf_printf(b, ", activation=\"%s\"", nn_act_names[c->activation]);
        if (!c->use_bias)
            nn_buf_printf(b, ", use_bias=False");
        if (c->kernel_initializer != NN_INIT_GLOROT_UNIFORM ||
            !nn_init_args_are_default(c->kernel_initializer, &c->kernel_args)) {
            nn_buf_printf(b, ", kernel_initializer=");
            repl_keras_init(b, c->kernel_initializer, &c->kernel_args, c->kernel_value);
        }
        if (c->use_bias && (c->bias_initializer != NN_INIT_ZEROS ||
                            !nn_init_args_are_default(c->bias_initializer, &c->bias_args))) {
            nn_buf_printf(b, ", bias_initializer=");
            repl_keras_init(b, c->bias_initializer, &c->bias_args, c->bias_value);
        }
        if (!c->trainable)
            nn_buf_printf(b, ", trainable=False");
        nn_buf_printf(b, ", ");
        break;
    }
    case NN_NODE_ACTIVATION:
        nn_buf_printf(b, "\"%s\", ", nn_act_names[nd->act]);
        break;
    default:
        break;
    }
    nn_buf_printf(b, "name=%s)", repl_py_str(q, sizeof q, nd->name));
}

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
static void keras_model(nn_buf *b, const nn_model *m)
{
    char sh[128], q[NN_NAMEMAX * 2 + 4];
    if (m->sequential) {
        nn_buf_printf(b, "model = keras.Sequential([\n");
        for (int i = 0; i < m->n; i++) {
            const nn_node *nd = &m->nodes[i];
            if (nd->kind == NN_NODE_INPUT) {
                shape_tuple(sh, sizeof sh, nd);
                nn_buf_printf(b, "    keras.Input(shape=%s),\n", sh);
                continue;
            }
            nn_buf_printf(b, "    keras.layers.%s(", nn_node_class[nd->kind]);
            layer_args(b, nd);
            nn_buf_printf(b, ",\n");
        }
        nn_buf_printf(b, "], name=%s)\n", repl_py_str(q, sizeof q, m->name));
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
            nn_buf_printf(b, "%s = keras.Input(shape=%s, name=%s)\n", var[i], sh,
                          repl_py_str(q, sizeof q, nd->name));
            continue;
        }
        if (shared) {
            nn_buf_printf(b, "%s_layer = keras.layers.%s(", var[i], nn_node_class[nd->kind]);
            layer_args(b, nd);
            nn_buf_printf(b, "\n%s = %s_layer(", var[i], var[i]);
        } else if (nd->shared != i) {
            nn_buf_printf(b, "%s = %s_layer(", var[i], var[nd->shared]);
        } else {
            nn_buf_printf(b, "%s = keras.layers.%s(", var[i], nn_node_class[nd->kind]);
            layer_args(b, nd);
            nn_buf_printf(b, "(");
        }
        if (nd->kind == NN_NODE_CONCAT || NN_NODE_IS_MERGE(nd->kind)) {
            nn_buf_printf(b, "[");
            for (int k = 0; k < nd->nin; k++)
                nn_buf_printf(b, "%s%s", k ? ", " : "", var[nd->in[k]]);
            nn_buf_printf(b, "]");
        } else
            nn_buf_printf(b, "%s", var[nd->in[0]]);
        nn_buf_printf(b, ")\n");
    }
    int outs[NN_MAXOUT], nout = nn_model_outputs(m, outs);
    int nin = nn_model_ninputs(m);
    nn_buf_printf(b, "model = keras.Model(inputs=");
    if (nin > 1)
        nn_buf_printf(b, "[");
    for (int i = 0, k = 0; i < m->n; i++)
        if (m->nodes[i].kind == NN_NODE_INPUT)
            nn_buf_printf(b, "%s%s", k++ ? ", " : "", var[i]);
    if (nin > 1)
        nn_buf_printf(b, "]");
    nn_buf_printf(b, ", outputs=");
    if (nout > 1)
        nn_buf_printf(b, "[");
    for (int k = 0; k < nout; k++)
        nn_buf_printf(b, "%s%s", k ? ", " : "", var[outs[k]]);
    if (nout > 1)
        nn_buf_printf(b, "]");
    nn_buf_printf(b, ", name=%s)\n", repl_py_str(q, sizeof q, m->name));
    free(var);
}/* What Keras is given for X: the array itself, or each input's columns
 * (Keras: fit((X_train[:, :5], X_train[:, 2:]), y_train)). */
const char *repl_keras_x(char *buf, size_t len, const nn_model *m,
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
/* ---- the callbacks: keras.callbacks.X(...) ---- */

static void keras_earlystopping(nn_buf *b, const cb *c)
{
    nn_buf_printf(b, "keras.callbacks.EarlyStopping(");
    if (strcmp(c->monitor, "val_loss"))
        nn_buf_printf(b, "%smonitor=\"%s\"", sep(b), c->monitor);
    if (c->min_delta)
        repl_keras_kwarg(b, "min_delta", c->min_delta, REPL_PY_REPR);
    if (c->patience)
        nn_buf_printf(b, "%spatience=%d", sep(b), c->patience);
    if (c->mode)
        nn_buf_printf(b, "%smode=\"%s\"", sep(b), cb_mode_names[c->mode]);
    if (c->has_baseline)
        repl_keras_kwarg(b, "baseline", c->baseline, REPL_PY_REPR);
    if (c->restore)
        nn_buf_printf(b, "%srestore_best_weights=True", sep(b));
    if (c->start_from_epoch)
        nn_buf_printf(b, "%sstart_from_epoch=%d", sep(b), c->start_from_epoch);
    if (c->verbose)
        nn_buf_printf(b, "%sverbose=1", sep(b));
    nn_buf_printf(b, ")");
}

static void keras_checkpoint(nn_buf *b, const cb *c)
{
    /* Keras insists on .keras (.weights.h5 for weights only) */
    char kp[PATHLEN + 16], q[2 * PATHLEN + 40];
    snprintf(kp, sizeof kp, "%s", c->path);
    char *dot = strrchr(kp, '.'), *slash = strrchr(kp, '/');
    if (dot && dot > kp && (!slash || dot > slash + 1) && !strchr(dot, '}'))
        *dot = 0;
    strcat(kp, c->save_weights_only ? ".weights.h5" : ".keras");
    nn_buf_printf(b, "keras.callbacks.ModelCheckpoint(%s", repl_py_str(q, sizeof q, kp));
    if (strcmp(c->monitor, "val_loss"))
        nn_buf_printf(b, ", monitor=\"%s\"", c->monitor);
    if (c->save_best_only)
        nn_buf_printf(b, ", save_best_only=True");
    if (c->save_weights_only)
        nn_buf_printf(b, ", save_weights_only=True");
    if (c->mode)
        nn_buf_printf(b, ", mode=\"%s\"", cb_mode_names[c->mode]);
    if (c->verbose)
        nn_buf_printf(b, ", verbose=1");
    nn_buf_printf(b, ")");
}

static void keras_reduce_lr(nn_buf *b, const cb *c)
{
    nn_buf_printf(b, "keras.callbacks.ReduceLROnPlateau(");
    if (strcmp(c->monitor, "val_loss"))
        nn_buf_printf(b, "%smonitor=\"%s\"", sep(b), c->monitor);
    if (c->factor != 0.1)
        repl_keras_kwarg(b, "factor", c->factor, REPL_PY_REPR);
    if (c->patience != 10)
        nn_buf_printf(b, "%spatience=%d", sep(b), c->patience);
    if (c->min_delta != 1e-4)
        repl_keras_kwarg(b, "min_delta", c->min_delta, REPL_PY_REPR);
    if (c->cooldown)
        nn_buf_printf(b, "%scooldown=%d", sep(b), c->cooldown);
    if (c->min_lr)
        repl_keras_kwarg(b, "min_lr", c->min_lr, REPL_PY_REPR);
    if (c->mode)
        nn_buf_printf(b, "%smode=\"%s\"", sep(b), cb_mode_names[c->mode]);
    if (c->verbose)
        nn_buf_printf(b, "%sverbose=1", sep(b));
    nn_buf_printf(b, ")");
}

/* Keras puts per-step schedules in the optimizer; as a callback they set
 * the rate before each batch from optimizer.iterations. */
static void keras_schedule(nn_buf *b, const repl_session *s, const cb *c)
{
    char f[64];
    double lr0 = c->lr0 > 0 ? c->lr0
                 : s->model && s->model->compiled ? s->model->cc.opt.learning_rate : 0.001;
    nn_buf_printf(b, "keras.callbacks.LambdaCallback(on_train_batch_begin=lambda batch, "
                     "logs: model.optimizer.learning_rate.assign(");
    if (c->sched == SCHED_EXP) {
        nn_buf_printf(b, "keras.optimizers.schedules.ExponentialDecay(");
        repl_keras_kwarg(b, "initial_learning_rate", lr0, REPL_PY_REPR);
        repl_keras_kwarg(b, "decay_steps", c->decay_steps, REPL_PY_REPR);
        repl_keras_kwarg(b, "decay_rate", c->decay_rate, REPL_PY_REPR);
        nn_buf_printf(b, "%s)(model.optimizer.iterations)))",
                      c->staircase ? ", staircase=True" : "");
    } else if (c->sched == SCHED_PIECEWISE) {
        nn_buf_printf(b, "keras.optimizers.schedules.PiecewiseConstantDecay(boundaries=[");
        for (int i = 0; i < c->nb; i++)
            nn_buf_printf(b, "%s%ld", i ? ", " : "", (long)c->bounds[i]);
        nn_buf_printf(b, "], values=[");
        for (int i = 0; i <= c->nb; i++)
            nn_buf_printf(b, "%s%s", i ? ", " : "",
                          repl_py_float(f, sizeof f, c->values[i], REPL_PY_REPR));
        nn_buf_printf(b, "])(model.optimizer.iterations)))");
    } else {
        /* 1cycle as np.interp over its corners (Geron's OneCycleScheduler) */
        long its = 1;
        if (s->last_fit.set && s->last_fit.batch_size > 0) {
            int ntr = s->last_fit.validation_split > 0
                          ? (int)floor(s->train.n * (1 - s->last_fit.validation_split))
                          : s->train.n;
            its = (long)s->last_fit.epochs * ((ntr + s->last_fit.batch_size - 1) /
                                              s->last_fit.batch_size);
        }
        nn_onecycle oc;
        double max_lr = c->max_lr > 0 ? c->max_lr : lr0;
        nn_onecycle_init(&oc, its, max_lr, c->start_lr, c->last_lr, 0);
        char a1[64], a2[64], a3[64];
        repl_py_float(a1, sizeof a1, oc.start_lr, REPL_PY_REPR);
        repl_py_float(a2, sizeof a2, oc.max_lr, REPL_PY_REPR);
        repl_py_float(a3, sizeof a3, oc.last_lr, REPL_PY_REPR);
        nn_buf_printf(b, "float(np.interp(int(keras.ops.convert_to_numpy("
                         "model.optimizer.iterations)), [0, %ld, %ld, %ld], "
                         "[%s, %s, %s, %s]))))", oc.half, 2 * oc.half, oc.iterations,
                      a1, a2, a1, a3);
    }
}

static void keras_one(nn_buf *b, const repl_session *s, const cb *c)
{
    char q[2 * PATHLEN + 40];
    switch (c->kind) {
    case CB_EARLYSTOP:
        keras_earlystopping(b, c);
        break;
    case CB_CHECKPOINT:
        keras_checkpoint(b, c);
        break;
    case CB_REDUCE_LR:
        keras_reduce_lr(b, c);
        break;
    case CB_SCHEDULE:
        keras_schedule(b, s, c);
        break;
    case CB_CSV:
        nn_buf_printf(b, "keras.callbacks.CSVLogger(%s", repl_py_str(q, sizeof q, c->path));
        if (c->sep != ',')
            nn_buf_printf(b, ", separator=\"%c\"", c->sep);
        if (c->append)
            nn_buf_printf(b, ", append=True");
        nn_buf_printf(b, ")");
        break;
    case CB_TENSORBOARD:
        nn_buf_printf(b, "keras.callbacks.TensorBoard(log_dir=%s",
                      repl_py_str(q, sizeof q, c->log_dir));
        if (c->histogram_freq)
            nn_buf_printf(b, ", histogram_freq=%d", c->histogram_freq);
        if (c->update_freq == 1)
            nn_buf_printf(b, ", update_freq=\"batch\"");
        else if (c->update_freq > 1)
            nn_buf_printf(b, ", update_freq=%d", c->update_freq);
        nn_buf_printf(b, ")");
        break;
    }
}

/* before, then "[cb1, cb2]" for the session's callbacks (nothing when
 * there are none); returns their count. */
static int keras_callbacks(nn_buf *b, const repl_session *s, const char *before)
{
    const cb_list *l = s->callbacks;
    int count = (l ? l->n : 0) + (s->terminate_on_nan ? 1 : 0);
    if (count == 0)
        return 0;
    nn_buf_printf(b, "%s[", before);
    for (int i = 0; l && i < l->n; i++) {
        nn_buf_printf(b, "%s", i ? ", " : "");
        keras_one(b, s, l->items[i]);
    }
    /* nnlab stops on a NaN loss by default; Keras needs the callback */
    if (s->terminate_on_nan)
        nn_buf_printf(b, "%skeras.callbacks.TerminateOnNaN()", l && l->n ? ", " : "");
    nn_buf_printf(b, "]");
    return count;
}

void repl_callbacks_keras(const repl_session *s, char *buf, size_t len, int *n)
{
    *n = 0;
    if (!len)
        return;
    nn_buf b;
    nn_buf_init(&b);
    *n = keras_callbacks(&b, s, "");
    snprintf(buf, len, "%s", nn_buf_str(&b));
    nn_buf_free(&b);
}
/* "X_split, y_split" as Keras is given them: X as repl_keras_x, y itself
 * or one per output, all the same (Keras: fit(X, (y_train, y_train)) for
 * the book's auxiliary output). */
static void keras_xy(nn_buf *b, const nn_model *m, const char *split)
{
    char xb[4096], x[16];
    snprintf(x, sizeof x, "X_%s", split);
    nn_buf_printf(b, "%s, ", repl_keras_x(xb, sizeof xb, m, x));
    int nout = m && m->nout > 1 ? m->nout : 1;
    if (nout > 1)
        nn_buf_printf(b, "(");
    for (int i = 0; i < nout; i++)
        nn_buf_printf(b, "%sy_%s", i ? ", " : "", split);
    if (nout > 1)
        nn_buf_printf(b, ")");
}

/* The last fit's call, or a commented one when this model has none. */
static void keras_fit(nn_buf *b, const repl_session *s)
{
    const nn_model *m = s->model;
    const char *more = ",\n                    ";
    if (!s->last_fit.set || !m || m->epochs_done == 0) {
        /* a fit of an earlier model says nothing of this one */
        if (m && m->epochs_done > 0)
            nn_buf_printf(b, "# trained %d epoch%s before it was saved; to train more, "
                             "e.g.:\n", m->epochs_done, m->epochs_done == 1 ? "" : "s");
        else
            nn_buf_printf(b, "# not trained yet; e.g.:\n");
        nn_buf_printf(b, "# history = model.fit(");
        keras_xy(b, m, "train");
        nn_buf_printf(b, ", epochs=10");
        if (s->valid.n > 0) {
            nn_buf_printf(b, ", validation_data=(");
            keras_xy(b, m, "valid");
            nn_buf_printf(b, ")");
        }
        nn_buf_printf(b, ")\n");
        return;
    }
    nn_buf_printf(b, "history = model.fit(");
    keras_xy(b, m, "train");
    nn_buf_printf(b, ", epochs=%d", s->last_fit.epochs);
    if (s->last_fit.batch_size != 32)
        nn_buf_printf(b, ", batch_size=%d", s->last_fit.batch_size);
    if (!s->last_fit.shuffle)
        nn_buf_printf(b, ", shuffle=False");
    if (s->last_fit.validation_split > 0) {
        char n1[32];
        nn_buf_printf(b, "%svalidation_split=%s", more,
                      repl_py_float(n1, sizeof n1, s->last_fit.validation_split,
                                    REPL_PY_SHORT));
    } else if (s->last_fit.validation_data == 1 || s->last_fit.validation_data == 2) {
        nn_buf_printf(b, "%svalidation_data=(", more);
        keras_xy(b, m, s->last_fit.validation_data == 1 ? "valid" : "test");
        nn_buf_printf(b, ")");
    }
    if (s->last_fit.class_weight[0]) {
        /* "0:1,1:5" -> {0: 1, 1: 5} */
        nn_buf_printf(b, "%sclass_weight={", more);
        char cw[256];
        snprintf(cw, sizeof cw, "%s", s->last_fit.class_weight);
        char *save = NULL;
        int k = 0;
        for (char *t = strtok_r(cw, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            char *colon = strchr(t, ':');
            if (colon)
                *colon = 0;
            nn_buf_printf(b, "%s%s: %s", k++ ? ", " : "", t, colon ? colon + 1 : "1");
        }
        nn_buf_printf(b, "}");
    }
    char cbs[64];
    snprintf(cbs, sizeof cbs, "%scallbacks=", more);
    keras_callbacks(b, s, cbs);
    nn_buf_printf(b, ")\n");
    if (m && m->epochs_done > s->last_fit.epochs)
        nn_buf_printf(b, "# (nnlab trained %d epochs in all over several fit calls; this "
                         "was the last)\n", m->epochs_done);
    if (s->test.n > 0) {
        nn_buf_printf(b, "model.evaluate(");
        keras_xy(b, m, "test");
        nn_buf_printf(b, ")\n");
    }
}

/* ---- the session ---- */

void repl_keras_session(nn_buf *b, const repl_session *s)
{
    const nn_model *m = s->model;
    nn_buf body;
    nn_buf_init(&body);
    repl_keras_data(&body, s);
    int in = m ? nn_model_input(m) : -1;
    nn_err ce;
    if (s->have_data && in >= 0 && nn_model_check_columns(m, s->train.d, &ce) != NN_OK)
        nn_buf_printf(&body, "# note: %s\n", ce.msg);
    nn_buf_printf(&body, "\n");
    keras_model(&body, m);
    nn_buf_printf(&body, "\n");
    keras_compile(&body, m);
    if (m->compiled) {
        nn_buf_printf(&body, "\n");
        keras_fit(&body, s);
    }
    /* the imports the code needs, then the code */
    repl_keras_imports(b, nn_buf_str(&body));
    nn_buf_printf(b, "import keras  # or: from tensorflow import keras\n\n");
    nn_buf_puts(b, nn_buf_str(&body));
    if (body.oom)
        b->oom = 1;
    nn_buf_free(&body);
}

/* ---- model.py of export keras DIR ---- */

void repl_keras_model_py(nn_buf *py, const nn_model *m, int check, int rows)
{
    char q[NN_NAMEMAX * 2 + 4];
    nn_buf_printf(py, "# model.py - written by nnlab's `export keras`: the model %s\n"
                      "# rebuilt with Keras, compiled as in nnlab, with nnlab's weights.\n"
                      "# Run it:  python3 model.py   (README.txt says more)\n",
                  repl_py_str(q, sizeof q, m->name));
    nn_buf_puts(py, "import os\n\nimport numpy as np\n\n"
                    "try:\n    import keras  # Keras 3\n"
                    "except ImportError:\n"
                    "    from tensorflow import keras  # TensorFlow 2's Keras\n\n"
                    "HERE = os.path.dirname(os.path.abspath(__file__))\n\n\n"
                    "def load(name):\n"
                    "    return np.load(os.path.join(HERE, name))\n\n\n");
    keras_model(py, m);
    nn_buf_printf(py, "\n# the weights: kernel (fan_in, units) and bias (units,), as "
                      "layer.get_weights()\n");
    char *used = malloc((size_t)m->n + 1);
    if (!used) {
        py->oom = 1;
        return;
    }
    used_nodes(m, used);
    for (int i = 0; i < m->n; i++) {
        const nn_node *nd = &m->nodes[i];
        if (nd->kind != NN_NODE_DENSE || nd->shared != i || !used[i])
            continue;   /* a layer no output depends on is not in Keras's model */
        const char *qn = repl_py_str(q, sizeof q, nd->name);
        nn_buf_printf(py, "model.get_layer(%s).set_weights([load(\"%s_kernel.npy\")", qn,
                      nd->name);
        if (nd->dense.use_bias)
            nn_buf_printf(py, ", load(\"%s_bias.npy\")", nd->name);
        nn_buf_printf(py, "])\n");
    }
    free(used);
    nn_buf_printf(py, "\n");
    keras_compile(py, m);
    nn_buf_printf(py, "\nif __name__ == \"__main__\":\n    model.summary()\n");
    if (check)
        nn_buf_printf(py, "    X_check, y_check = load(\"check_x.npy\"), "
                          "load(\"check_y.npy\")\n"
                          "    y_keras = model.predict(X_check, verbose=0)\n"
                          "    diff = float(np.abs(y_keras - y_check).max())\n"
                          "    print(\"largest difference from nnlab's predictions on %d "
                          "samples: %%.3g\" %% diff)\n"
                          "    assert diff < 1e-4, \"Keras and nnlab disagree\"\n", rows);
}
