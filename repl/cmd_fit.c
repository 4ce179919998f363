/* cmd_fit.c - `fit`: training for some epochs (Keras's model.fit), its
 * class_weight= and the hooks it runs in each epoch and batch (the
 * progress bar, the live plot, the callbacks, the gradient record, the
 * coach's watch). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "coach.h"
#include "progress.h"
#include "repl.h"
#include "train_common.h"

/* "0:1,1:5" into w[nclasses] (unlisted classes get 1). */
static int parse_class_weight(repl_session *s, const char *v, float *w, int nclasses)
{
    for (int c = 0; c < nclasses; c++)
        w[c] = 1.0f;
    char buf[1024];
    if (strlen(v) >= sizeof buf)
        return repl_error(s, "fit", "class_weight is too long");
    strcpy(buf, v);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(t, ':');
        long c;
        double x;
        if (!colon)
            return repl_error(s, "fit", "class_weight takes CLASS:WEIGHT pairs, "
                              "e.g. class_weight=0:1,1:5 (got '%s')", t);
        *colon = 0;
        if (repl_parse_long(t, &c) != 0 || c < 0 || c >= nclasses)
            return repl_error(s, "fit", "class_weight: '%s' is not a class number "
                              "(0 to %d)", t, nclasses - 1);
        if (repl_parse_double(colon + 1, &x) != 0 || x < 0 || x > 1e6)
            return repl_error(s, "fit", "class_weight: weight '%s' must be a number "
                              "from 0 to 1e6", colon + 1);
        w[c] = (float)x;
    }
    return 0;
}

/* ---- fit ---- */

/* The hooks of one fit, in Keras's order: the progress bar, the live
 * plot, then the callbacks the person added. */
typedef struct fit_ctx {
    repl_session *s;
    repl_progress p;
    int live;
    repl_cb_run *cb;
    repl_coach_fit coach;
} fit_ctx;

static int hook_epoch_begin(void *ctx, nn_model *m, int epoch)
{
    fit_ctx *f = ctx;
    repl_progress_epoch_begin(&f->p, m, epoch);
    return f->cb ? repl_callbacks_epoch_begin(f->cb, m, epoch) : 0;
}

static int hook_batch_begin(void *ctx, nn_model *m, int epoch, int batch)
{
    fit_ctx *f = ctx;
    return f->cb ? repl_callbacks_batch_begin(f->cb, m, epoch, batch) : 0;
}

static int hook_batch_end(void *ctx, nn_model *m, int epoch, int batch, int nb,
                          const nn_logs *logs)
{
    fit_ctx *f = ctx;
    repl_plot_record_step(f->s, m);
    repl_progress_batch_end(&f->p, m, epoch, batch, nb, logs);
    repl_coach_batch(&f->coach, batch, logs);
    return f->cb ? repl_callbacks_batch_end(f->cb, m, epoch, batch, nb, logs) : 0;
}

/* The gradients of a step are written when the gradient record keeps
 * it (plot grads); fit keeps each epoch's last batch's for grads. */
static int hook_keep_grads(void *ctx, const nn_model *m)
{
    fit_ctx *f = ctx;
    return repl_plot_wants_grads(f->s, m);
}

static int hook_epoch_end(void *ctx, nn_model *m, int epoch, const nn_logs *logs)
{
    fit_ctx *f = ctx;
    repl_progress_epoch_end(&f->p, m, epoch, logs);
    if (f->live)
        repl_plot_live_epoch(f->s);
    repl_coach_epoch(f->s, &f->coach);
    return f->cb ? repl_callbacks_epoch_end(f->cb, m, epoch, logs) : 0;
}

static const char *const vd_names[] = {"none", "valid", "test", NULL};

static int cmd_fit(repl_session *s, const repl_args *a)
{
    if (repl_need_model_data(s, "fit", 1) != 0)
        return -1;
    nn_fit_opts o;
    nn_fit_defaults(&o);
    long epochs, bs, verbose;
    int shuffle, vd;
    double vs;
    const char *plot = repl_arg_str(a, "plot");
    if (plot && strcmp(plot, "live") != 0)
        return repl_error(s, "fit", "plot= takes live (redraw the learning curves "
                          "after each epoch); got '%s'", plot);
    int vd_def = s->valid.n > 0 ? 1 : 0;   /* 0 none, 1 valid, 2 test */
    if (repl_opt_int(s, a, "epochs", &epochs) < 0 ||
        repl_opt_int(s, a, "batch_size", &bs) < 0 ||
        repl_opt_num(s, a, "validation_split", &vs) < 0 ||
        repl_opt_bool(s, a, "shuffle", &shuffle) < 0 ||
        repl_opt_int_or(s, a, "verbose", s->verbose, &verbose) < 0 ||
        repl_opt_enum_or(s, a, "validation_data", vd_def, &vd) < 0)
        return -1;
    if (vs > 0 && repl_arg_str(a, "validation_data") && vd != 0)
        return repl_error(s, "fit", "give validation_split= or validation_data=, "
                          "not both");
    if (vs > 0)
        vd = 0;
    nn_dataset *val = vd == 1 ? &s->valid : vd == 2 ? &s->test : NULL;
    if (val && val->n == 0)
        return repl_error(s, "fit", "there is no %s split; use split or "
                          "validation_split=", vd_names[vd]);
    float cw[4096];
    const char *cws = repl_arg_str(a, "class_weight");
    if (cws) {
        if (s->model->nout > 1)
            return repl_error(s, "fit", "class_weight is for models of one output, "
                              "as in Keras (this one has %d)", s->model->nout);
        if (s->train.nclasses <= 0)
            return repl_error(s, "fit", "class_weight needs a classification data set");
        if (s->train.nclasses > 4096)
            return repl_error(s, "fit", "class_weight: too many classes");
        if (parse_class_weight(s, cws, cw, s->train.nclasses) != 0)
            return -1;
        o.class_weight = cw;
        o.nclass_weight = s->train.nclasses;
    }
    o.epochs = (int)epochs;
    o.batch_size = (int)bs;
    o.shuffle = shuffle;
    o.validation_split = vs;
    o.validation_data = val;
    o.interrupt = &repl_interrupted;
    o.terminate_on_nan = s->terminate_on_nan;
    nn_err e;
    /* everything that can be refused is checked before any hook starts */
    if (nn_check_data(s->model, &s->train, &e) != NN_OK ||
        (val && nn_check_data(s->model, val, &e) != NN_OK))
        return repl_error(s, "fit", "%s", e.msg);
    fit_ctx f = {0};
    f.s = s;
    f.p.verbose = (int)verbose;
    f.p.tty = repl_out_is_tty();
    f.p.last_epoch = s->model->epochs_done + o.epochs;
    if (plot) {
        if (repl_plot_live_begin(s) != 0)
            return -1;
        f.live = 1;
    }
    int ntrain = vs > 0 ? (int)floor(s->train.n * (1.0 - vs)) : s->train.n;
    int nb = ntrain > 0 ? (ntrain + o.batch_size - 1) / o.batch_size : 1;
    repl_coach_fit_begin(s, &f.coach, vs, ntrain, o.batch_size);
    if (repl_callbacks_begin(s, s->model, o.epochs, nb, &f.cb) != 0)
        return -1;
    o.hooks.ctx = &f;
    o.hooks.epoch_begin = hook_epoch_begin;
    o.hooks.batch_begin = hook_batch_begin;
    o.hooks.batch_end = hook_batch_end;
    o.hooks.epoch_end = hook_epoch_end;
    if (repl_plot_grads_begin(s, s->model, nb) == 0)
        o.hooks.keep_grads = hook_keep_grads;
    s->last_fit.set = 1;
    s->last_fit.epochs = o.epochs;
    s->last_fit.batch_size = o.batch_size;
    s->last_fit.shuffle = o.shuffle;
    s->last_fit.validation_split = vs;
    s->last_fit.validation_data = vs > 0 ? 0 : vd;
    snprintf(s->last_fit.class_weight, sizeof s->last_fit.class_weight, "%s",
             cws ? cws : "");
    nn_fit_result res;
    int errors_before = s->errors;   /* a callback that fails reports itself */
    int rc = nn_fit(s->model, &s->train, &o, &s->hist, &s->rng, &res, &e);
    if (rc != NN_OK && f.p.tty && verbose == 1)
        printf("\n");
    if (f.cb)
        repl_callbacks_end(f.cb, s, rc == NN_OK ? &res : NULL);
    if (rc != NN_OK)
        return repl_error(s, "fit", "%s", e.msg);
    if (s->errors > errors_before)
        return -1;   /* a callback failed and stopped training: a script stops here */
    int tty_bar = f.p.tty && verbose == 1;
    switch (res.stop) {
    case NN_STOP_INTERRUPT:
        printf("%sInterrupted: training stopped after %d complete epoch%s; the model "
               "keeps the weights of its last batch.\n", tty_bar ? "\n" : "",
               res.epochs_run, res.epochs_run == 1 ? "" : "s");
        break;
    case NN_STOP_NAN: {
        char cause[512];
        printf("%sBatch %d: Invalid loss, terminating training\n",
               tty_bar ? "\n" : "", res.nan_batch - 1);
        printf("The loss became NaN or infinite in epoch %d; the weights are those "
               "of the last batch with a finite loss.  ", res.nan_epoch);
        if (repl_coach_nan_cause(s, cause, sizeof cause))
            printf("%s\n", cause);
        else
            printf("Try a lower learning_rate (now %g) or scale the data.\n",
                   s->model->opt.cfg.learning_rate);
        break;
    }
    default:
        break;
    }
    repl_coach_fit_end(s, &f.coach, &res);
    return 0;
}

static const repl_opt fit_opts[] = {
    {.name = "epochs", .type = REPL_T_INT, .min = 1, .max = 100000, .shown = "1",
     .def = "1",
     .help = "passes over the training data"},
    {.name = "batch_size", .type = REPL_T_INT, .min = 1, .max = 1 << 20,
     .shown = "32", .def = "32",
     .help = "samples per mini-batch (one optimizer step each)"},
    {.name = "validation_split", .type = REPL_T_NUM, .min = 0, .max = 0.99,
     .shown = "0", .def = "0",
     .help = "fraction of the training samples (the last ones) held out for validation"},
    {.name = "validation_data", .type = REPL_T_ENUM, .values = vd_names,
     .shown = "valid|test|none",
     .help = "the split evaluated after each epoch"},
    {.name = "shuffle", .type = REPL_T_BOOL, .shown = "true", .def = "true",
     .help = "shuffle the samples before each epoch"},
    {.name = "class_weight", .type = REPL_T_TEXT, .shown = "C:W,...",
     .help = "weight of each class's loss, CLASS:WEIGHT pairs"},
    {.name = "verbose", .type = REPL_T_INT, .min = 0, .max = 2,
     .values = repl_verbose_values, .shown = "1",
     .help = "0 silent, 1 progress bar, 2 one line per epoch"},
    {.name = "plot", .type = REPL_T_TEXT, .shown = "live",
     .help = "live: redraw the learning curves after each epoch"},
    REPL_END
};

const repl_cmd repl_cmds_fit[] = {
    {.name = "fit", .topic = "train", .run = cmd_fit,
     .opts = fit_opts,
     .summary = "train for some epochs, with Keras's progress bar",
     .help =
     "Trains the compiled model on the training split: each epoch shuffles\n"
     "the samples, cuts them into mini-batches of batch_size, and for each\n"
     "batch runs forward, backpropagation and one optimizer step.  The\n"
     "numbers shown are running means over the epoch so far; val_ numbers\n"
     "are computed on the validation data at the end of each epoch.\n"
     "validation_split takes the LAST fraction of the samples, before\n"
     "shuffling (as Keras); by default the valid split is used when there is\n"
     "one.  class_weight=0:1,1:5 weighs each sample's loss by its class.\n"
     "Training continues from where it stopped; Ctrl-C stops it cleanly after\n"
     "the current batch.  A NaN or infinite loss stops it with the weights of\n"
     "the last good batch.  plot=live redraws the learning curves after\n"
     "every epoch.\n"
     "\n"
     "Example:\n"
     "  fit epochs=30 validation_split=0.1\n"
     "\n"
     "Keras: history = model.fit(X_train, y_train, epochs=30,\n"
     "                           validation_split=0.1)",
     .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {NULL},
};
