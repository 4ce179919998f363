/* cmd_train.c - compile, fit, step, evaluate, predict, history. */
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "progress.h"
#include "repl.h"
#include "hints.h"

/* ---- compile ---- */

/* Which optimizer takes which setting (Keras's constructor arguments). */
static const char *const opt_keys[NN_OPT_COUNT] = {
    "learning_rate momentum nesterov",
    "learning_rate rho epsilon",
    "learning_rate beta_1 beta_2 epsilon",
    "learning_rate initial_accumulator_value epsilon",
    "learning_rate beta_1 beta_2 epsilon",
};

static int cmd_compile(repl_session *s, const repl_args *a)
{
    if (!s->model)
        return repl_error(s, "compile", "there is no model; build one first "
                          "(input, dense, ...)");
    const char *lname = repl_arg_str(a, "loss");
    if (!lname)
        return repl_error(s, "compile", "loss= is required, e.g. "
                          "loss=sparse_categorical_crossentropy; losses: mse mae "
                          "huber binary_crossentropy categorical_crossentropy "
                          "sparse_categorical_crossentropy");
    nn_compile_cfg c;
    nn_compile_defaults(&c);
    /* one loss for every output, or one per output (Keras: loss=["mse",
     * "mse"]), and loss_weights (Keras: loss_weights=[0.9, 0.1]) */
    int nout = s->model->nout > 0 ? s->model->nout : 1;
    nn_loss_kind lks[NN_MAXOUT];
    int nl = 0;
    char lb[256];
    snprintf(lb, sizeof lb, "%s", lname);
    char *save = NULL;
    for (char *t = strtok_r(lb, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (nl == NN_MAXOUT)
            return repl_error(s, "compile", "at most %d losses (one per output)",
                              NN_MAXOUT);
        if (nn_loss_parse(t, &lks[nl]) != 0)
            return repl_error(s, "compile", "unknown loss '%s'%s%s; losses: mse mae huber "
                              "binary_crossentropy categorical_crossentropy "
                              "sparse_categorical_crossentropy", t,
                              *repl_suggest(t, nn_loss_names) ? "; " : "",
                              repl_suggest(t, nn_loss_names));
        nl++;
    }
    if (nl == 0 || (nl != 1 && nl != nout))
        return repl_error(s, "compile", "give one loss, or one per output: the model "
                          "has %d output%s (got %d losses)", nout, nout == 1 ? "" : "s", nl);
    const char *lwl = repl_arg_str(a, "loss_weights");
    double lw[NN_MAXOUT];
    int nw = 0;
    if (lwl) {
        snprintf(lb, sizeof lb, "%s", lwl);
        save = NULL;
        for (char *t = strtok_r(lb, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            if (nw == NN_MAXOUT || repl_parse_double(t, &lw[nw]) != 0 ||
                !(lw[nw] >= 0) || !isfinite(lw[nw]) || lw[nw] > 1e6)
                return repl_error(s, "compile", "loss_weights takes one number >= 0 "
                                  "per output, e.g. loss_weights=0.9,0.1 (got '%s')", lwl);
            nw++;
        }
        if (nw != nout)
            return repl_error(s, "compile", "loss_weights needs one weight per output: "
                              "the model has %d (got %d)", nout, nw);
    }
    nn_loss_kind lk = lks[0];
    for (int k = 0; k < nout; k++) {
        c.loss[k].kind = lks[nl == 1 ? 0 : k];
        if (nw)
            c.loss_weights[k] = lw[k];
    }
    int opt, from_logits;
    double delta;
    /* Keras's compile() defaults to rmsprop */
    if (repl_arg_enum(s, a, "optimizer", nn_opt_names, NN_OPT_RMSPROP, &opt) < 0 ||
        repl_arg_bool(s, a, "from_logits", 0, &from_logits) < 0 ||
        repl_arg_pos_double(s, a, "delta", 1.0, &delta) < 0)
        return -1;
    int huber = 0;
    for (int k = 0; k < nl; k++)
        huber |= lks[k] == NN_LOSS_HUBER;
    if (repl_arg_str(a, "delta") && !huber)
        return repl_error(s, "compile", "delta= is huber's setting, not %s's",
                          nn_loss_names[lk]);
    for (int k = 0; k < nl; k++) {
        if (from_logits && lks[k] != NN_LOSS_BCE && lks[k] != NN_LOSS_CCE &&
            lks[k] != NN_LOSS_SCCE)
            return repl_error(s, "compile", "from_logits= applies to the "
                              "cross-entropy losses only");
    }
    for (int k = 0; k < nout; k++) {
        c.loss[k].from_logits = from_logits;
        c.loss[k].delta = (float)delta;
    }
    nn_opt_defaults(&c.opt, (nn_opt_kind)opt);
    static const char *const settings[] = {
        "learning_rate", "momentum", "nesterov", "rho", "beta_1", "beta_2",
        "epsilon", "initial_accumulator_value", NULL};
    for (int i = 0; settings[i]; i++)
        if (repl_arg_str(a, settings[i]) && !repl_word_in(opt_keys[opt], settings[i]))
            return repl_error(s, "compile", "%s is not a setting of %s; it takes: %s",
                              settings[i], nn_opt_names[opt], opt_keys[opt]);
    if (repl_arg_pos_double(s, a, "learning_rate", c.opt.learning_rate,
                            &c.opt.learning_rate) < 0 ||
        repl_arg_double(s, a, "momentum", c.opt.momentum, 0, 0.999999, &c.opt.momentum) < 0 ||
        repl_arg_bool(s, a, "nesterov", c.opt.nesterov, &c.opt.nesterov) < 0 ||
        repl_arg_double(s, a, "rho", c.opt.rho, 0, 0.999999, &c.opt.rho) < 0 ||
        repl_arg_double(s, a, "beta_1", c.opt.beta_1, 0, 0.999999, &c.opt.beta_1) < 0 ||
        repl_arg_double(s, a, "beta_2", c.opt.beta_2, 0, 0.999999, &c.opt.beta_2) < 0 ||
        repl_arg_double(s, a, "epsilon", c.opt.epsilon, 0, 1, &c.opt.epsilon) < 0 ||
        repl_arg_double(s, a, "initial_accumulator_value",
                        c.opt.initial_accumulator_value, 0, 1e6,
                        &c.opt.initial_accumulator_value) < 0)
        return -1;
    if (c.opt.learning_rate > 1e3)
        return repl_error(s, "compile", "learning_rate must be at most 1000 (got %g)",
                          c.opt.learning_rate);
    const char *mlist = repl_arg_str(a, "metrics");
    if (mlist && *mlist) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", mlist);
        save = NULL;
        for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            nn_metric_kind mk;
            if (nn_metric_parse(t, &mk) != 0)
                return repl_error(s, "compile", "unknown metric '%s'%s%s; metrics: "
                                  "accuracy binary_accuracy categorical_accuracy "
                                  "sparse_categorical_accuracy mse mae rmse", t,
                                  *repl_suggest(t, nn_metric_names) ? "; " : "",
                                  repl_suggest(t, nn_metric_names));
            if (c.nmetrics == NN_MAXMETRICS)
                return repl_error(s, "compile", "at most %d metrics", NN_MAXMETRICS);
            c.metrics[c.nmetrics++] = mk;
        }
    }
    nn_err e;
    if (nn_model_compile(s->model, &c, &e) != NN_OK)
        return repl_error(s, "compile", "%s%s", e.msg, repl_hint(e.msg));
    snprintf(s->loss_name, sizeof s->loss_name, "%s", nn_loss_names[lk]);
    printf("compiled: loss=");
    for (int k = 0; k < nl; k++)
        printf("%s%s", k ? "," : "", nn_loss_names[lks[k]]);
    if (nw) {
        printf(" loss_weights=");
        for (int k = 0; k < nw; k++)
            printf("%s%g", k ? "," : "", lw[k]);
    }
    printf("%s optimizer=%s(learning_rate=%g", from_logits ? " (from_logits)" : "",
           nn_opt_names[opt], c.opt.learning_rate);
    switch (opt) {
    case NN_OPT_SGD:
        if (c.opt.momentum > 0)
            printf(", momentum=%g%s", c.opt.momentum, c.opt.nesterov ? ", nesterov" : "");
        break;
    case NN_OPT_RMSPROP:
        printf(", rho=%g", c.opt.rho);
        break;
    case NN_OPT_ADAM:
    case NN_OPT_NADAM:
        printf(", beta_1=%g, beta_2=%g", c.opt.beta_1, c.opt.beta_2);
        break;
    default:
        break;
    }
    printf(")");
    for (int j = 0; j < c.nmetrics; j++)
        printf("%s%s", j ? "," : " metrics=", nn_metric_names[c.metrics[j]]);
    printf("\n");
    return 0;
}

/* ---- shared checks ---- */

static int need_model_data(repl_session *s, const char *cmd, int compiled)
{
    if (repl_need_data(s, cmd) < 0)
        return -1;
    if (!s->model || s->model->nparams == 0)
        return repl_error(s, cmd, "no model to %s; build one first, e.g. input, "
                          "dense 8 activation=relu, dense 1 activation=sigmoid", cmd);
    if (compiled && !s->model->compiled)
        return repl_error(s, cmd, "the model is not compiled; run compile loss=... "
                          "optimizer=... first");
    return 0;
}

static const char *const split_names[] = {"train", "valid", "test", NULL};

static nn_dataset *split_of(repl_session *s, int k)
{
    return k == 0 ? &s->train : k == 1 ? &s->valid : &s->test;
}

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
    return f->cb ? repl_callbacks_epoch_end(f->cb, m, epoch, logs) : 0;
}

static int cmd_fit(repl_session *s, const repl_args *a)
{
    if (need_model_data(s, "fit", 1) != 0)
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
    static const char *const vd_names[] = {"none", "valid", "test", NULL};
    if (repl_arg_int(s, a, "epochs", 1, 1, 100000, &epochs) < 0 ||
        repl_arg_int(s, a, "batch_size", 32, 1, 1 << 20, &bs) < 0 ||
        repl_arg_double(s, a, "validation_split", 0, 0, 0.99, &vs) < 0 ||
        repl_arg_bool(s, a, "shuffle", 1, &shuffle) < 0 ||
        repl_arg_int(s, a, "verbose", s->verbose, 0, 2, &verbose) < 0 ||
        repl_arg_enum(s, a, "validation_data", vd_names, vd_def, &vd) < 0)
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
    case NN_STOP_NAN:
        printf("%sBatch %d: Invalid loss, terminating training\n",
               tty_bar ? "\n" : "", res.nan_batch - 1);
        printf("The loss became NaN or infinite in epoch %d; the weights are those "
               "of the last batch with a finite loss.  Try a lower learning_rate "
               "(now %g) or scale the data.\n", res.nan_epoch,
               s->model->opt.cfg.learning_rate);
        break;
    default:
        break;
    }
    return 0;
}

/* ---- step ---- */

static int cmd_step(repl_session *s, const repl_args *a)
{
    if (need_model_data(s, "step", 1) != 0)
        return -1;
    long n = 1, bs;
    if (a->npos == 1 && (repl_parse_long(a->pos[0], &n) != 0 || n < 1 || n > 100000))
        return repl_error(s, "step", "N must be a whole number from 1 to 100000 "
                          "(got '%s')", a->pos[0]);
    if (repl_arg_int(s, a, "batch_size", 32, 1, 1 << 20, &bs) < 0)
        return -1;
    nn_err e;
    if (nn_check_data(s->model, &s->train, &e) != NN_OK)
        return repl_error(s, "step", "%s", e.msg);
    const nn_dataset *d = &s->train;
    if (bs > d->n)
        bs = d->n;
    int *idx = malloc((size_t)d->n * sizeof *idx);
    float *x = malloc((size_t)bs * d->d * sizeof *x + 1);
    float *y = malloc((size_t)bs * d->ycols * sizeof *y + 1);
    int rc = 0;
    if (!idx || !x || !y) {
        rc = repl_error(s, "step", "out of memory");
        goto out;
    }
    for (int i = 0; i < d->n; i++)
        idx[i] = i;
    for (long k = 0; k < n; k++) {
        if (repl_interrupted) {
            printf("Interrupted after %ld step%s.\n", k, k == 1 ? "" : "s");
            break;
        }
        /* a random mini-batch: the first bs of a partial Fisher-Yates */
        for (int j = 0; j < bs; j++) {
            int r = j + (int)nn_rng_below(&s->rng, (uint32_t)(d->n - j));
            int t = idx[j];
            idx[j] = idx[r];
            idx[r] = t;
            memcpy(x + (size_t)j * d->d, d->x + (size_t)idx[j] * d->d,
                   (size_t)d->d * sizeof *x);
            memcpy(y + (size_t)j * d->ycols, d->y + (size_t)idx[j] * d->ycols,
                   (size_t)d->ycols * sizeof *y);
        }
        double loss;
        if (nn_train_batch(s->model, x, d->d, y, NULL, (int)bs, &loss, &e) != NN_OK) {
            rc = repl_error(s, "step", "%s", e.msg);
            goto out;
        }
        repl_plot_record_step(s, s->model);
        char v[32];
        repl_format_value(v, sizeof v, loss);
        printf("step %ld: loss %s (batch of %ld)\n", s->model->steps, v, bs);
    }
out:
    free(idx);
    free(x);
    free(y);
    return rc;
}

/* ---- evaluate ---- */

static int default_split(const repl_session *s)
{
    return s->test.n > 0 ? 2 : s->valid.n > 0 ? 1 : 0;
}

static int cmd_evaluate(repl_session *s, const repl_args *a)
{
    if (need_model_data(s, "evaluate", 1) != 0)
        return -1;
    int k = default_split(s);
    if (a->npos == 1) {
        k = nn_lookup(split_names, a->pos[0]);
        if (k < 0)
            return repl_error(s, "evaluate", "unknown split '%s'; give train, valid "
                              "or test", a->pos[0]);
    }
    nn_dataset *d = split_of(s, k);
    if (d->n == 0)
        return repl_error(s, "evaluate", "the %s split is empty; see show data",
                          split_names[k]);
    nn_logs l;
    nn_err e;
    if (nn_evaluate(s->model, d, 32, &l, &e) != NN_OK)
        return repl_error(s, "evaluate", "%s", e.msg);
    char buf[1024];
    repl_format_logs(buf, sizeof buf, &l);
    printf("%s (%d samples)%s\n", split_names[k], d->n, buf);
    return 0;
}

/* ---- predict ---- */

static int is_classifier(const repl_session *s)
{
    const nn_model *m = s->model;
    if (m->compiled) {
        nn_loss_kind k = m->cc.loss[0].kind;
        return k == NN_LOSS_BCE || k == NN_LOSS_CCE || k == NN_LOSS_SCCE;
    }
    return s->train.nclasses > 0;
}

/* "a:b" into [a, b) */
/* Rows as a Python slice of n rows: FROM:TO, FROM:, :TO or one row I;
 * negative numbers count from the end (-5: is the last five), and ends
 * past the data are clipped, as NumPy's X_test[-5:] and X_test[:1000].
 * 0 with [*a, *b) inside [0, n]; -1 when w is not a slice. */
static int parse_range(const char *w, long n, long *a, long *b)
{
    const char *c = strchr(w, ':');
    char buf[64];
    if (strlen(w) >= sizeof buf)
        return -1;
    if (!c) {                          /* one row */
        if (repl_parse_long(w, a) != 0)
            return -1;
        if (*a < 0)
            *a += n;
        if (*a < 0 || *a >= n)
            return -2;
        *b = *a + 1;
        return 0;
    }
    memcpy(buf, w, (size_t)(c - w));
    buf[c - w] = 0;
    if (buf[0] == 0)
        *a = 0;
    else if (repl_parse_long(buf, a) != 0)
        return -1;
    if (c[1] == 0)
        *b = n;
    else if (repl_parse_long(c + 1, b) != 0)
        return -1;
    long *e[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        if (*e[i] < 0)
            *e[i] += n;
        if (*e[i] < 0)
            *e[i] = 0;
        if (*e[i] > n)
            *e[i] = n;
    }
    return 0;
}

/* A class's name when it says more than its number. */
static const char *class_name(const nn_dataset *d, int c)
{
    if (!d->class_names || c < 0 || c >= d->nclasses)
        return NULL;
    char num[16];
    snprintf(num, sizeof num, "%d", c);
    return strcmp(num, d->class_names[c]) == 0 ? NULL : d->class_names[c];
}

static void print_prediction(const repl_session *s, int row, const float *p,
                             int k, const float *truth, int ycols)
{
    const nn_dataset *d = &s->train;
    printf("%5d ", row);
    if (is_classifier(s)) {
        int best = 0;
        float pb;
        if (k == 1) {
            best = p[0] > 0.5f;
            pb = best ? p[0] : 1 - p[0];
            printf(" %8.4f", p[0]);
        } else {
            for (int j = 0; j < k; j++) {
                printf(" %8.4f", p[j]);
                if (p[j] > p[best])
                    best = j;
            }
            pb = p[best];
        }
        const char *name = class_name(d, best);
        printf("  -> %d", best);
        if (name)
            printf(" (%s)", name);
        printf(" %.0f%%", pb * 100);
        if (truth) {
            int t = (int)truth[0];
            const char *tn = class_name(d, t);
            printf("   true %d%s%s%s%s", t, tn ? " (" : "", tn ? tn : "", tn ? ")" : "",
                   t == best ? "" : "  wrong");
        }
    } else {
        for (int j = 0; j < k; j++)
            printf(" %10.4f", p[j]);
        if (truth) {
            printf("   true");
            for (int j = 0; j < ycols; j++)
                printf(" %10.4f", truth[j]);
        }
    }
    printf("\n");
}

static void predict_header(const repl_session *s, int k)
{
    const nn_dataset *d = &s->train;
    printf("%5s ", "row");
    if (is_classifier(s) && k > 1) {
        for (int j = 0; j < k; j++) {
            char h[16];
            if (d->class_names && j < d->nclasses)
                snprintf(h, sizeof h, "%.8s", d->class_names[j]);
            else
                snprintf(h, sizeof h, "p(%d)", j);
            printf(" %8s", h);
        }
        printf("  -> class\n");
    } else if (is_classifier(s))
        printf(" %8s  -> class\n", "p(1)");
    else
        printf(" %10s\n", "prediction");
}

/* Values per sample the model reads: its input's size, or, when its
 * inputs read columns of the data, the data's width (the columns' end
 * without data). */
static int sample_width(const repl_session *s, const nn_model *m)
{
    int in = nn_model_input(m);
    if (nn_model_ninputs(m) == 1 && m->nodes[in].col_from == 0)
        return m->nodes[in].size;
    if (s->have_data && s->train.d > 0)
        return s->train.d;
    int end = 0;
    for (int i = 0; i < m->n; i++)
        if (m->nodes[i].kind == NN_NODE_INPUT && m->nodes[i].col_from > 0 &&
            m->nodes[i].col_from - 1 + m->nodes[i].size > end)
            end = m->nodes[i].col_from - 1 + m->nodes[i].size;
    return end;
}

/* Runs n samples of d values (x) and prints each output's table (a
 * model of several outputs: one table per output, under its name, as
 * Keras's y_pred_main, y_pred_aux = model.predict(...)); rows are
 * numbered from row0, with the true targets when truth is not NULL. */
static int predict_print(repl_session *s, nn_model *m, const float *x, int d, int n,
                         int row0, const float *truth, int ycols)
{
    int outs[NN_MAXOUT], nout = nn_model_outputs(m, outs);
    float *out[NN_MAXOUT] = {NULL};
    int rc = 0;
    for (int k = 0; k < nout && rc == 0; k++)
        if (!(out[k] = malloc((size_t)n * m->nodes[outs[k]].size * sizeof(float) + 1)))
            rc = repl_error(s, "predict", "out of memory");
    nn_err e;
    for (int at = 0; at < n && rc == 0; at += 256) {   /* in chunks, as predict */
        int rows = n - at < 256 ? n - at : 256;
        if (nn_model_forward_data(m, x + (size_t)at * d, d, rows, 0, &e) != NN_OK) {
            rc = repl_error(s, "predict", "%s", e.msg);
            break;
        }
        for (int k = 0; k < nout; k++) {
            const nn_node *o = &m->nodes[outs[k]];
            memcpy(out[k] + (size_t)at * o->size, o->a,
                   (size_t)rows * o->size * sizeof(float));
        }
    }
    for (int k = 0; k < nout && rc == 0; k++) {
        int c = m->nodes[outs[k]].size;
        if (nout > 1)
            printf("%s%s:\n", k ? "\n" : "", m->nodes[outs[k]].name);
        predict_header(s, c);
        for (int i = 0; i < n; i++)
            print_prediction(s, row0 + i, out[k] + (size_t)i * c, c,
                             truth ? truth + (size_t)i * ycols : NULL, ycols);
    }
    for (int k = 0; k < nout; k++)
        free(out[k]);
    return rc;
}

static int cmd_predict(repl_session *s, const repl_args *a)
{
    if (!s->model || s->model->nparams == 0)
        return repl_error(s, "predict", "no model to predict with; build one first");
    nn_model *m = s->model;
    int d = sample_width(s, m);
    nn_err e;
    if (nn_model_check_columns(m, d, &e) != NN_OK)
        return repl_error(s, "predict", "%s", e.msg);
    int split = nn_lookup(split_names, a->pos[0]);
    if (split >= 0) {
        nn_dataset *ds = split_of(s, split);
        if (ds->n == 0)
            return repl_error(s, "predict", "the %s split is empty; see show data",
                              split_names[split]);
        if (ds->d != d)
            return repl_error(s, "predict", "the model takes %d value%s per sample "
                              "but the data has %d", d, d == 1 ? "" : "s", ds->d);
        long from = 0, to = ds->n < 5 ? ds->n : 5;
        int rc = a->npos == 2 ? parse_range(a->pos[1], ds->n, &from, &to) : 0;
        if (rc == -1)
            return repl_error(s, "predict", "give rows as FROM:TO or one row, e.g. "
                              "predict test 0:5, predict test -3: (got '%s')", a->pos[1]);
        if (a->npos > 2)
            return repl_error(s, "predict", "give one range of rows, e.g. predict test 0:5");
        if (rc == -2)
            return repl_error(s, "predict", "row %s is not in the %s split (rows 0 to %d, "
                              "or -1 for the last)", a->pos[1], split_names[split], ds->n - 1);
        if (from >= to)
            return repl_error(s, "predict", "rows %s select no row of the %s split "
                              "(it has %d: 0:%d; -5: is the last five)", a->pos[1],
                              split_names[split], ds->n, ds->n);
        if (to - from > 1000)
            return repl_error(s, "predict", "at most 1000 rows at a time (asked %ld)",
                              to - from);
        return predict_print(s, m, ds->x + (size_t)from * d, d, (int)(to - from),
                             (int)from, ds->y + (size_t)from * ds->ycols, ds->ycols);
    }
    /* typed rows: each positional word is one sample, values comma-separated */
    if (d > 4096)
        return repl_error(s, "predict", "the model reads %d values per sample: too "
                          "many to type; use predict SPLIT ROWS", d);
    int n = a->npos;
    float *x = calloc((size_t)n * d + 1, sizeof *x);
    int rc = 0;
    if (!x) {
        rc = repl_error(s, "predict", "out of memory");
        goto done;
    }
    for (int r = 0; r < n; r++) {
        const char *w = a->pos[r];
        int j = 0;
        while (*w) {
            char num[64];
            size_t len = strcspn(w, ",");
            if (len >= sizeof num || j >= d) {
                rc = repl_error(s, "predict", "sample %d has more than the %d values "
                                "the model takes", r + 1, d);
                goto done;
            }
            memcpy(num, w, len);
            num[len] = 0;
            double v;
            if (repl_parse_double(num, &v) != 0) {
                rc = repl_error(s, "predict", "'%s' is not a number (sample %d); give "
                                "values like 0.5,-1.2 or a split: predict test 0:5",
                                num, r + 1);
                goto done;
            }
            if (fabs(v) > FLT_MAX) {
                rc = repl_error(s, "predict", "'%s' is too large for a float (sample %d); "
                                "values must be within +-3.4e38", num, r + 1);
                goto done;
            }
            x[(size_t)r * d + j++] = (float)v;
            w += len;
            if (*w == ',')
                w++;
        }
        if (j != d) {
            rc = repl_error(s, "predict", "sample %d has %d value%s but the model "
                            "takes %d", r + 1, j, j == 1 ? "" : "s", d);
            goto done;
        }
    }
    if (s->scaled) {
        repl_scale_rows(s, x, n, d);
        printf("(scaled as the training data, %s)\n",
               s->scaled == 2 ? "minmax" : "standard");
    }
    rc = predict_print(s, m, x, d, n, 0, NULL, 0);
done:
    free(x);
    return rc;
}

/* ---- history ---- */

static int write_history_csv(FILE *f, const nn_history *h)
{
    fprintf(f, "epoch");
    for (int k = 0; k < h->nkeys; k++)
        fprintf(f, ",%s", h->keys[k]);
    fprintf(f, ",learning_rate\n");
    for (int r = 0; r < h->nepochs; r++) {
        fprintf(f, "%d", h->epoch[r] - 1);   /* Keras's CSVLogger counts from 0 */
        for (int k = 0; k < h->nkeys; k++)
            fprintf(f, ",%.17g", nn_history_at(h, r, k));
        fprintf(f, ",%.17g\n", h->lr[r]);
    }
    return ferror(f) ? -1 : 0;
}

static int cmd_history(repl_session *s, const repl_args *a)
{
    static const char *const fmts[] = {"table", "csv", NULL};
    int fmt;
    if (repl_arg_enum(s, a, "format", fmts, 0, &fmt) < 0)
        return -1;
    const char *file = repl_arg_str(a, "file");
    const nn_history *h = &s->hist;
    if (h->nepochs == 0)
        return repl_error(s, "history", "no epochs trained yet; run fit");
    if (file) {
        char tmp[4096];
        if (snprintf(tmp, sizeof tmp, "%s.tmp%ld", file, (long)getpid()) >= (int)sizeof tmp)
            return repl_error(s, "history", "file name too long");
        FILE *f = fopen(tmp, "w");
        if (!f)
            return repl_error(s, "history", "cannot write %s: %s", file, strerror(errno));
        int bad = write_history_csv(f, h);
        bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
        bad |= fclose(f) != 0;
        if (bad || rename(tmp, file) != 0) {
            int err = errno;
            unlink(tmp);
            return repl_error(s, "history", "cannot write %s: %s", file, strerror(err));
        }
        printf("history: %d epochs written to %s\n", h->nepochs, file);
        return 0;
    }
    if (fmt == 1)
        return write_history_csv(stdout, h) == 0 ? 0 : repl_error(s, "history", "write failed");
    printf("%5s", "epoch");
    for (int k = 0; k < h->nkeys; k++)
        printf("  %*s", (int)(strlen(h->keys[k]) > 10 ? strlen(h->keys[k]) : 10), h->keys[k]);
    printf("\n");
    for (int r = 0; r < h->nepochs; r++) {
        printf("%5d", h->epoch[r]);
        for (int k = 0; k < h->nkeys; k++) {
            char v[32];
            double x = nn_history_at(h, r, k);
            if (isnan(x))
                snprintf(v, sizeof v, "-");
            else
                repl_format_value(v, sizeof v, x);
            printf("  %*s", (int)(strlen(h->keys[k]) > 10 ? strlen(h->keys[k]) : 10), v);
        }
        printf("\n");
    }
    return 0;
}

/* ---- expect: a lesson or test checks a result ---- */

static int cmd_expect(repl_session *s, const repl_args *a)
{
    if (need_model_data(s, "expect", 1) != 0)
        return -1;
    double lo, hi;
    int k;
    if (repl_arg_double(s, a, "min", -INFINITY, -1e30, 1e30, &lo) < 0 ||
        repl_arg_double(s, a, "max", INFINITY, -1e30, 1e30, &hi) < 0 ||
        repl_arg_enum(s, a, "split", split_names, default_split(s), &k) < 0)
        return -1;
    if (!repl_arg_str(a, "min") && !repl_arg_str(a, "max"))
        return repl_error(s, "expect", "give min= or max=, e.g. expect accuracy min=0.95");
    if (lo > hi)
        return repl_error(s, "expect", "min=%g is above max=%g; nothing could pass",
                          lo, hi);
    nn_dataset *d = split_of(s, k);
    if (d->n == 0)
        return repl_error(s, "expect", "the %s split is empty", split_names[k]);
    nn_logs l;
    nn_err e;
    if (nn_evaluate(s->model, d, 32, &l, &e) != NN_OK)
        return repl_error(s, "expect", "%s", e.msg);
    double v = nn_logs_get(&l, a->pos[0]);
    if (isnan(v)) {
        char keys[512] = "";
        size_t n = 0;
        for (int i = 0; i < l.n && n < sizeof keys; i++)
            n += (size_t)snprintf(keys + n, sizeof keys - n, " %s", l.names[i]);
        return repl_error(s, "expect", "'%s' is not measured; this model reports:%s",
                          a->pos[0], keys);
    }
    char vs[32];
    repl_format_value(vs, sizeof vs, v);
    if (!(v >= lo && v <= hi))
        return repl_error(s, "expect", "%s on %s is %s, outside [%g, %g]", a->pos[0],
                          split_names[k], vs, lo, hi);
    printf("ok: %s on %s is %s\n", a->pos[0], split_names[k], vs);
    return 0;
}

const repl_cmd repl_cmds_train[] = {
    {"compile", "train", cmd_compile,
     "compile loss=NAME[,NAME...] [loss_weights=W,...] [optimizer=NAME] "
     "[learning_rate=X] [momentum=X] [nesterov=BOOL] [rho=X] [beta_1=X] [beta_2=X] "
     "[epsilon=X] [initial_accumulator_value=X] [metrics=NAME,...] "
     "[from_logits=BOOL] [delta=X]",
     "choose the loss, the optimizer and the metrics",
     "Sets what training minimises (the loss), how (the optimizer and its\n"
     "settings) and what it reports besides (metrics).  Defaults as Keras:\n"
     "optimizer=rmsprop; sgd learning_rate=0.01 momentum=0; rmsprop 0.001\n"
     "rho=0.9; adam and nadam 0.001 beta_1=0.9 beta_2=0.999; adagrad 0.001\n"
     "initial_accumulator_value=0.1; epsilon=1e-7.\n"
     "Losses: mse mae huber (delta=1) binary_crossentropy\n"
     "categorical_crossentropy (one-hot labels)\n"
     "sparse_categorical_crossentropy (class numbers); from_logits=true when\n"
     "the last layer has no sigmoid/softmax.  Metrics: accuracy (chosen from\n"
     "the loss, as Keras does) binary_accuracy categorical_accuracy\n"
     "sparse_categorical_accuracy mse mae rmse.  Compiling again resets the\n"
     "optimizer's state (momentum, Adam's moments), not the weights.\n"
     "A model of several outputs (see outputs) takes one loss for all or one\n"
     "per output (loss=mse,mse) and loss_weights=0.9,0.1: the loss trained\n"
     "is the weighted sum, and fit shows each output's loss apart.\n"
     "\n"
     "Example:\n"
     "  compile loss=sparse_categorical_crossentropy optimizer=sgd metrics=accuracy\n"
     "\n"
     "Keras: model.compile(loss=\"sparse_categorical_crossentropy\",\n"
     "                     optimizer=\"sgd\", metrics=[\"accuracy\"])",
     "loss loss_weights optimizer learning_rate momentum nesterov rho beta_1 beta_2 "
     "epsilon initial_accumulator_value metrics from_logits delta",
     0, 0, REPL_POS_NONE, NULL},
    {"fit", "train", cmd_fit,
     "fit [epochs=1] [batch_size=32] [validation_split=0] [validation_data=valid|test|none] "
     "[shuffle=true] [class_weight=C:W,...] [verbose=1] [plot=live]",
     "train for some epochs, with Keras's progress bar",
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
     "epochs batch_size validation_split validation_data shuffle class_weight verbose plot",
     0, 0, REPL_POS_NONE, NULL},
    {"step", "train", cmd_step, "step [N] [batch_size=32]",
     "train on N single random mini-batches, printing each loss",
     "Runs N training steps, each on a fresh random mini-batch: forward pass,\n"
     "loss, backpropagation, one optimizer update.  Use it to watch the loss\n"
     "move batch by batch, then look inside with grads and activations.\n"
     "Steps are not epochs: they do not enter history.\n"
     "\n"
     "Example:\n"
     "  step 5 batch_size=16\n"
     "\n"
     "Keras: model.train_on_batch(X_batch, y_batch)",
     "batch_size", 0, 1, REPL_POS_NONE, NULL},
    {"evaluate", "train", cmd_evaluate, "evaluate [train|valid|test]",
     "loss and metrics on a whole split",
     "Computes the loss and the metrics on every sample of a split with the\n"
     "current weights (no training).  Default: test if there is one, else\n"
     "valid, else train.\n"
     "\n"
     "Example:\n"
     "  evaluate test\n"
     "\n"
     "Keras: model.evaluate(X_test, y_test)",
     "", 0, 1, REPL_POS_WORDS, split_names},
    {"predict", "train", cmd_predict, "predict X1,X2,... [X1,X2,... ...] | predict SPLIT [FROM:TO|ROW]",
     "the model's output for typed samples or stored rows",
     "Runs the model forward.  Give samples as comma-separated values (one\n"
     "word per sample), or a split and a range of rows.  A classifier shows\n"
     "the probability of each class and the most likely one; stored rows\n"
     "also show the true label.  Rows are a Python slice: 0:3, -5: (the\n"
     "last five), :10, or one row (7, -1); without one, the first five.\n"
     "\n"
     "Example:\n"
     "  predict test 0:3\n"
     "  predict 0.5,-1.2 1,1\n"
     "\n"
     "Keras: y_proba = model.predict(X_new); y_proba.round(2)",
     "", 1, REPL_MAXARGS, REPL_POS_WORDS, split_names},
    {"history", "train", cmd_history, "history [format=table|csv] [file=FILE.csv]",
     "loss and metrics of every epoch trained",
     "Shows history.history as a table: one row per epoch, one column per\n"
     "loss or metric (val_ ones on the validation data).  format=csv prints\n"
     "CSV; file= writes it (as Keras's CSVLogger, epochs counted from 0).\n"
     "\n"
     "Example:\n"
     "  history\n"
     "\n"
     "Keras: pd.DataFrame(history.history)",
     "format file", 0, 0, REPL_POS_NONE, NULL},
    {"expect", "train", cmd_expect, "expect METRIC [min=X] [max=X] [split=train|valid|test]",
     "check a result: an error when the metric is out of range",
     "Evaluates the model on a split and checks that METRIC (loss, or a\n"
     "compiled metric such as accuracy) lies within [min, max].  Outside it\n"
     "is an error, so a lesson or a teacher's script stops there, and the\n"
     "test suite uses it to check that training works.\n"
     "\n"
     "Example:\n"
     "  expect accuracy min=0.95\n"
     "\n"
     "Python: assert model.evaluate(X_test, y_test)[1] >= 0.95",
     "min max split", 1, 1, REPL_POS_NONE, NULL},
    {NULL},
};
