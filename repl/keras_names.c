/* keras_names.c - how the Keras code (keras.c) names an optimizer with
 * its arguments and a metric: keras.optimizers.AdamW(learning_rate=...,
 * weight_decay=...), keras.metrics.Precision(), "accuracy". */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "keras.h"
#include "pyfmt.h"

static const char *const opt_class[NN_OPT_COUNT] = {
    "SGD", "RMSprop", "Adam", "Adagrad", "Nadam", "AdamW", "Adamax", "Adadelta",
    "Ftrl", "Lion"
};

/* The settings only some optimizers take, those not at their default. */
static void keras_opt_kind(nn_buf *b, const nn_opt_cfg *c, const nn_opt_cfg *d)
{
    const int g = REPL_PY_SHORT;
    switch (c->kind) {
    case NN_OPT_SGD:
        if (c->momentum != 0)
            repl_keras_kwarg(b, "momentum", c->momentum, g);
        if (c->nesterov)
            nn_buf_printf(b, ", nesterov=True");
        break;
    case NN_OPT_RMSPROP:
    case NN_OPT_ADADELTA:
        if (c->rho != d->rho)
            repl_keras_kwarg(b, "rho", c->rho, g);
        break;
    case NN_OPT_ADAM:
    case NN_OPT_NADAM:
    case NN_OPT_ADAMW:
    case NN_OPT_ADAMAX:
    case NN_OPT_LION:
        if (c->beta_1 != d->beta_1)
            repl_keras_kwarg(b, "beta_1", c->beta_1, g);
        if (c->beta_2 != d->beta_2)
            repl_keras_kwarg(b, "beta_2", c->beta_2, g);
        break;
    case NN_OPT_ADAGRAD:
        if (c->initial_accumulator_value != d->initial_accumulator_value)
            repl_keras_kwarg(b, "initial_accumulator_value", c->initial_accumulator_value, g);
        break;
    case NN_OPT_FTRL: {
        static const struct { const char *name; size_t at; } f[] = {
            {"learning_rate_power", offsetof(nn_opt_cfg, learning_rate_power)},
            {"initial_accumulator_value", offsetof(nn_opt_cfg, initial_accumulator_value)},
            {"l1_regularization_strength", offsetof(nn_opt_cfg, l1_regularization_strength)},
            {"l2_regularization_strength", offsetof(nn_opt_cfg, l2_regularization_strength)},
            {"l2_shrinkage_regularization_strength",
             offsetof(nn_opt_cfg, l2_shrinkage_regularization_strength)},
            {"beta", offsetof(nn_opt_cfg, beta)},
        };
        for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
            double v, dv;
            memcpy(&v, (const char *)c + f[i].at, sizeof v);
            memcpy(&dv, (const char *)d + f[i].at, sizeof dv);
            if (v != dv)
                repl_keras_kwarg(b, f[i].name, v, g);
        }
        break;
    }
    default:
        break;
    }
    if (c->kind != NN_OPT_SGD && c->kind != NN_OPT_FTRL && c->kind != NN_OPT_LION &&
        c->epsilon != d->epsilon)
        repl_keras_kwarg(b, "epsilon", c->epsilon, g);
    if (c->amsgrad)
        nn_buf_printf(b, ", amsgrad=True");
}

/* keras.optimizers.Adam(learning_rate=0.001, ...): Keras's defaults left
 * out, the learning rate always shown; then the base Optimizer's
 * arguments (weight_decay, clipping, ema). */
void repl_keras_optimizer(nn_buf *b, const nn_opt_cfg *c)
{
    const int g = REPL_PY_SHORT;
    nn_opt_cfg d;
    nn_opt_defaults(&d, c->kind);
    nn_buf_printf(b, "keras.optimizers.%s(", opt_class[c->kind]);
    repl_keras_kwarg(b, "learning_rate", c->learning_rate, g);
    keras_opt_kind(b, c, &d);
    if (c->weight_decay != d.weight_decay)
        repl_keras_kwarg(b, "weight_decay", c->weight_decay, g);
    if (c->clipnorm > 0)
        repl_keras_kwarg(b, "clipnorm", c->clipnorm, g);
    if (c->clipvalue > 0)
        repl_keras_kwarg(b, "clipvalue", c->clipvalue, g);
    if (c->global_clipnorm > 0)
        repl_keras_kwarg(b, "global_clipnorm", c->global_clipnorm, g);
    if (c->use_ema) {
        nn_buf_printf(b, ", use_ema=True");
        if (c->ema_momentum != d.ema_momentum)
            repl_keras_kwarg(b, "ema_momentum", c->ema_momentum, g);
        if (c->ema_overwrite_frequency)
            nn_buf_printf(b, ", ema_overwrite_frequency=%d", c->ema_overwrite_frequency);
    }
    nn_buf_printf(b, ")");
}


/* One metric of compile's metrics=[...] as Keras writes it: the string
 * where Keras's string means what nnlab computes (its key in the logs is
 * the string), else the class with the arguments that make it so, named
 * as nnlab's key. */
void repl_keras_metric(nn_buf *b, nn_metric_kind k, const nn_loss *L, int top_k)
{
    int logits = L && L->from_logits;
    const char *name = nn_metric_names[k];
    switch (k) {
    case NN_MET_TOP_K:
    case NN_MET_SPARSE_TOP_K:
        if (top_k != NN_TOP_K) {
            nn_buf_printf(b, "keras.metrics.%s(k=%d, name=\"%s\")",
                          k == NN_MET_TOP_K ? "TopKCategoricalAccuracy"
                                            : "SparseTopKCategoricalAccuracy",
                          top_k, name);
            return;
        }
        break;
    case NN_MET_RMSE:
        nn_buf_printf(b, "keras.metrics.RootMeanSquaredError(name=\"rmse\")");
        return;
    case NN_MET_PRECISION:
    case NN_MET_RECALL:
        if (logits) {
            nn_buf_printf(b, "keras.metrics.%s(thresholds=0.0, name=\"%s\")",
                          k == NN_MET_PRECISION ? "Precision" : "Recall", name);
            return;
        }
        break;
    case NN_MET_AUC:
        if (logits) {
            nn_buf_printf(b, "keras.metrics.AUC(from_logits=True, name=\"auc\")");
            return;
        }
        break;
    case NN_MET_F1_SCORE:
        /* Keras's "f1_score" is F1Score(average=None), one value per class */
        if (L && L->kind == NN_LOSS_BCE)
            nn_buf_printf(b, "keras.metrics.F1Score(average=\"macro\", threshold=%s, "
                             "name=\"f1_score\")", logits ? "0.0" : "0.5");
        else
            nn_buf_printf(b, "keras.metrics.F1Score(average=\"macro\", name=\"f1_score\")");
        return;
    case NN_MET_BCE:
    case NN_MET_CCE:
    case NN_MET_SCCE:
        if (logits) {
            static const char *const cls[] = {
                "BinaryCrossentropy", "CategoricalCrossentropy",
                "SparseCategoricalCrossentropy"
            };
            nn_buf_printf(b, "keras.metrics.%s(from_logits=True, name=\"%s\")",
                          cls[k - NN_MET_BCE], name);
            return;
        }
        break;
    case NN_MET_KLD:
    case NN_MET_POISSON:
    case NN_MET_LOGCOSH:
    case NN_MET_HINGE:
    case NN_MET_SQUARED_HINGE:
    case NN_MET_CATEGORICAL_HINGE: {
        static const char *const cls[] = {
            "KLDivergence", "Poisson", "LogCoshError", "Hinge", "SquaredHinge",
            "CategoricalHinge"
        };
        nn_buf_printf(b, "keras.metrics.%s(name=\"%s\")", cls[k - NN_MET_KLD], name);
        return;
    }
    default:
        break;
    }
    nn_buf_printf(b, "\"%s\"", name);
}
