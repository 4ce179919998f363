/* callbacks_fit.c - the session's callbacks during one fit: the hooks
 * cmd_fit.c's fit calls (repl_callbacks_*), the files they write (CSV
 * logs, TensorBoard event files, checkpoints) and Keras's messages. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "callbacks.h"
#include "save.h"
#include "schedule.h"
#include "tfevents.h"

typedef struct cb_state {
    cb *c;
    nn_earlystop es;
    float *best_w;                /* restore_best_weights: (nparams) */
    nn_plateau pl;
    nn_onecycle oc;
    long it;                      /* 1cycle's batch counter */
    double lr0;                   /* exponential: the initial rate */
    int cycling;
    double momentum0;
    int csv_header;               /* the header is still to be written */
    nn_tfwriter tb_train, tb_val;
    int warned;
} cb_state;

struct repl_cb_run {
    repl_session *s;
    nn_model *m;
    int first;                    /* epochs done when the fit began */
    int n;
    cb_state st[CB_NKINDS];
    int failed;                   /* a file could not be written */
};

static int csv_start(repl_session *s, cb *c);

static void run_close(repl_cb_run *r)
{
    for (int i = 0; i < r->n; i++) {
        cb_state *t = &r->st[i];
        free(t->best_w);
        t->best_w = NULL;
        nn_tfwriter_close(&t->tb_train, NULL);
        nn_tfwriter_close(&t->tb_val, NULL);
    }
}

/* A monitored metric the model is not compiled with never shows up in
 * the logs, validation or not: say so before training (the other missing
 * keys, val_ ones without validation data, are reported at the end of the
 * first epoch, as Keras does). */
static void check_monitor(cb_state *t, const nn_model *m)
{
    const cb *c = t->c;
    int watches = c->kind == CB_EARLYSTOP || c->kind == CB_REDUCE_LR ||
                  (c->kind == CB_CHECKPOINT && c->save_best_only);
    if (!watches)
        return;
    const char *base = strncmp(c->monitor, "val_", 4) == 0 ? c->monitor + 4 : c->monitor;
    if (strcmp(base, "loss") == 0)
        return;
    for (int j = 0; j < m->cc.nmetrics; j++)
        if (strcmp(nn_metric_key(m->cc.metrics[j]), base) == 0)
            return;
    if (cb_output_key(m, c->monitor, 1))   /* <output>_loss, <output>_<metric> */
        return;
    printf("warning: %s monitors `%s`, which this fit will never log: the model "
           "is compiled without the metric %s (compile ... metrics=%s)\n",
           cb_kind_names[c->kind], c->monitor, base, base);
    t->warned = 1;
}

static int begin_one(repl_cb_run *r, cb_state *t, int epochs, int nbatches)
{
    repl_session *s = r->s;
    nn_model *m = r->m;
    cb *c = t->c;
    nn_err e;
    check_monitor(t, m);
    switch (c->kind) {
    case CB_EARLYSTOP: {
        nn_earlystop_cfg ec = {c->min_delta, c->patience, cb_maximize(c),
                               c->has_baseline, c->baseline, c->start_from_epoch,
                               c->restore};
        nn_earlystop_begin(&t->es, &ec);
        if (c->restore) {
            t->best_w = nn_calloc(m->nparams, sizeof(float), &e);
            if (!t->best_w)
                return repl_error(s, "fit", "earlystopping: %s", e.msg);
        }
        break;
    }
    case CB_REDUCE_LR: {
        nn_plateau_cfg pc = {c->factor, c->min_delta, c->min_lr, c->patience,
                             c->cooldown, cb_maximize(c)};
        nn_plateau_begin(&t->pl, &pc);
        break;
    }
    case CB_SCHEDULE:
        t->lr0 = c->lr0 > 0 ? c->lr0 : m->cc.opt.learning_rate;
        if (c->sched == SCHED_ONECYCLE) {
            double max_lr = c->max_lr > 0 ? c->max_lr : m->cc.opt.learning_rate;
            if (c->start_lr >= max_lr)
                return repl_error(s, "fit", "lr_schedule onecycle: start_lr=%g is not "
                                  "below max_lr=%g (the compiled rate); give max_lr=",
                                  c->start_lr, max_lr);
            nn_onecycle_init(&t->oc, (long)epochs * nbatches, max_lr, c->start_lr,
                             c->last_lr, 0);
            t->it = 0;
            if (c->cycle_momentum) {
                if (m->opt.cfg.kind == NN_OPT_SGD) {
                    t->cycling = 1;
                    t->momentum0 = m->opt.cfg.momentum;
                } else
                    printf("warning: lr_schedule onecycle: cycle_momentum moves sgd's "
                           "momentum; %s has none, so only the rate cycles\n",
                           nn_opt_names[m->opt.cfg.kind]);
            }
        }
        break;
    case CB_CSV:
        if (!c->started && csv_start(s, c) != 0)
            return -1;
        t->csv_header = c->csv.len == 0;
        break;
    case CB_TENSORBOARD: {
        char dir[PATHLEN + 16];
        snprintf(dir, sizeof dir, "%s/train", c->log_dir);
        if (nn_tfwriter_open(&t->tb_train, dir, nn_tfevents_now(), NULL, &e) != NN_OK)
            return repl_error(s, "fit", "tensorboard: %s", e.msg);
        break;
    }
    default:
        break;
    }
    return 0;
}

int repl_callbacks_begin(repl_session *s, nn_model *m, int epochs, int nbatches,
                         repl_cb_run **run)
{
    *run = NULL;
    cb_list *l = s->callbacks;
    if (!l || l->n == 0)
        return 0;
    repl_cb_run *r = calloc(1, sizeof *r);
    if (!r)
        return repl_error(s, "fit", "out of memory");
    r->s = s;
    r->m = m;
    r->first = m->epochs_done;
    for (int i = 0; i < l->n; i++) {
        r->st[i].c = l->items[i];
        r->n = i + 1;
        if (begin_one(r, &r->st[i], epochs, nbatches) != 0) {
            run_close(r);
            free(r);
            return -1;
        }
    }
    *run = r;
    return 0;
}

int repl_callbacks_epoch_begin(repl_cb_run *r, nn_model *m, int epoch)
{
    (void)m;
    (void)epoch;
    return r->failed;
}

int repl_callbacks_batch_begin(repl_cb_run *r, nn_model *m, int epoch, int batch)
{
    (void)epoch;
    (void)batch;
    for (int i = 0; i < r->n; i++) {
        cb_state *t = &r->st[i];
        const cb *c = t->c;
        if (c->kind != CB_SCHEDULE)
            continue;
        double lr;
        /* Keras's schedules take optimizer.iterations: the updates so far */
        if (c->sched == SCHED_EXP)
            lr = nn_exp_decay(t->lr0, c->decay_rate, c->decay_steps, c->staircase,
                              m->opt.t);
        else if (c->sched == SCHED_PIECEWISE)
            lr = nn_piecewise_constant(c->bounds, c->values, c->nb, m->opt.t);
        else {
            lr = nn_onecycle_lr(&t->oc, t->it);
            if (t->cycling)
                m->opt.cfg.momentum = nn_onecycle_momentum(&t->oc, t->it);
            t->it++;
        }
        if (lr > 0 && isfinite(lr))
            m->opt.cfg.learning_rate = lr;
    }
    return r->failed;
}

static int tb_scalar(repl_cb_run *r, cb_state *t, nn_tfwriter *w, long step,
                     const char *prefix, const char *name, double v)
{
    char tag[NN_KEYMAX + 32];
    nn_err e;
    snprintf(tag, sizeof tag, "%s%s", prefix, name);
    if (nn_tfwriter_scalar(w, nn_tfevents_now(), step, tag, v, &e) != NN_OK) {
        repl_error(r->s, "fit", "tensorboard: %s; training stopped", e.msg);
        r->failed = 1;
        return -1;
    }
    (void)t;
    return 0;
}

int repl_callbacks_batch_end(repl_cb_run *r, nn_model *m, int epoch, int batch,
                             int nbatches, const nn_logs *logs)
{
    (void)epoch;
    (void)batch;
    (void)nbatches;
    for (int i = 0; i < r->n && !r->failed; i++) {
        cb_state *t = &r->st[i];
        const cb *c = t->c;
        if (c->kind != CB_TENSORBOARD || c->update_freq == 0 ||
            m->steps % c->update_freq != 0)
            continue;
        /* Keras: "batch_" + each log, step = the train batches so far */
        for (int k = 0; k < logs->n; k++)
            if (tb_scalar(r, t, &t->tb_train, m->steps, "batch_", logs->names[k],
                          logs->values[k]) != 0)
                break;
    }
    return r->failed;
}

static void warn_missing(cb_state *t, const char *what, const nn_logs *logs)
{
    if (t->warned)
        return;
    t->warned = 1;
    char keys[512];
    cb_logs_keys(logs, keys, sizeof keys);
    printf("warning: %s `%s` which is not available. Available metrics are: %s\n",
           what, t->c->monitor, keys);
}

static int save_checkpoint(repl_cb_run *r, cb *c, const char *path)
{
    nn_err e;
    char dir[PATHLEN];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = 0;
        if (nn_mkdirs(dir, &e) != NN_OK) {
            r->failed = 1;
            return repl_error(r->s, "fit", "checkpoint: %s; training stopped", e.msg);
        }
    }
    if (nn_model_save(r->m, c->save_weights_only ? NULL : &r->s->hist, path, &e) != NN_OK) {
        r->failed = 1;
        return repl_error(r->s, "fit", "checkpoint: %s; training stopped", e.msg);
    }
    return 0;
}

static void epoch_checkpoint(repl_cb_run *r, cb_state *t, int epoch1,
                             const nn_logs *logs, double lr)
{
    cb *c = t->c;
    char path[PATHLEN], msg[256];
    if (cb_format_path(c->path, epoch1, logs, lr, path, sizeof path, msg, sizeof msg) != 0) {
        repl_error(r->s, "fit", "checkpoint: %s; training stopped", msg);
        r->failed = 1;
        return;
    }
    if (!c->save_best_only) {
        if (c->verbose)
            printf("Epoch %d: saving model to %s\n", epoch1, path);
        save_checkpoint(r, c, path);
        return;
    }
    if (!cb_logs_has(logs, c->monitor)) {
        if (!t->warned)
            printf("warning: Can save best model only with %s available.\n", c->monitor);
        t->warned = 1;
        if (c->verbose)                /* as Keras 3: save anyway */
            printf("Epoch %d: saving model to %s\n", epoch1, path);
        save_checkpoint(r, c, path);
        return;
    }
    double v = nn_logs_get(logs, c->monitor);
    int better = cb_maximize(c) ? v > c->best : v < c->best;
    if (better) {
        if (c->verbose)
            printf("Epoch %d: %s improved from %.5f to %.5f, saving model to %s\n",
                   epoch1, c->monitor, c->best, v, path);
        if (save_checkpoint(r, c, path) == 0)
            c->best = v;
    } else if (c->verbose)
        printf("Epoch %d: %s did not improve from %.5f\n", epoch1, c->monitor, c->best);
}

/* Appends n bytes to the file's text; 0, or -1 (the text unchanged) when
 * out of memory. */
static int csv_put(cb *c, const char *data, size_t n)
{
    nn_buf_add(&c->csv, data, n);
    if (!c->csv.oom)
        return 0;
    c->csv.oom = 0;   /* nothing was added */
    return -1;
}

/* The first fit after `callback csvlogger`: append=true starts from what
 * the file holds, append=false from nothing.  Either way the file is
 * written (atomically) at once, so a name that cannot be written is
 * refused before training. */
static int csv_start(repl_session *s, cb *c)
{
    nn_buf_clear(&c->csv);
    if (c->append) {
        FILE *f = fopen(c->path, "rb");
        if (f) {
            char buf[65536];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, f)) > 0)
                if (c->csv.len + n > ((size_t)256 << 20) || csv_put(c, buf, n) != 0) {
                    fclose(f);
                    return repl_error(s, "fit", "csvlogger: %s is too large to "
                                      "append to", c->path);
                }
            int bad = ferror(f);
            fclose(f);
            if (bad)
                return repl_error(s, "fit", "csvlogger: cannot read %s", c->path);
            if (c->csv.len && c->csv.s[c->csv.len - 1] != '\n' && csv_put(c, "\n", 1) != 0)
                return repl_error(s, "fit", "out of memory");
        } else if (errno != ENOENT)
            return repl_error(s, "fit", "csvlogger: cannot read %s: %s", c->path,
                              strerror(errno));
    }
    nn_afile f;
    nn_err e;
    if (nn_afile_open(&f, c->path, &e) != NN_OK)
        return repl_error(s, "fit", "csvlogger: %s", e.msg);
    nn_afile_write(&f, nn_buf_str(&c->csv), c->csv.len);
    if (nn_afile_commit(&f, &e) != NN_OK)
        return repl_error(s, "fit", "csvlogger: %s", e.msg);
    c->started = 1;
    return 0;
}

/* CSV columns: Keras's sorted log keys (with val_ ones added when the
 * first epoch has none, so a later fit with validation fits the header),
 * plus learning_rate in its sorted place. */
static void csv_decide_keys(cb *c, const nn_logs *logs)
{
    int n = 0, haveval = 0;
    for (int i = 0; i < logs->n; i++)
        haveval |= strncmp(logs->names[i], "val_", 4) == 0;
    for (int i = 0; i < logs->n && n < CSVKEYS; i++)
        snprintf(c->keys[n++], NN_KEYMAX, "%s", logs->names[i]);
    if (!haveval)
        for (int i = 0; i < logs->n && n < CSVKEYS; i++)
            snprintf(c->keys[n++], NN_KEYMAX, "val_%.*s", NN_KEYMAX - 5, logs->names[i]);
    if (n < CSVKEYS && !cb_logs_has(logs, CB_LR_KEY))
        snprintf(c->keys[n++], NN_KEYMAX, CB_LR_KEY);
    qsort(c->keys, (size_t)n, NN_KEYMAX, (int (*)(const void *, const void *))strcmp);
    c->nkeys = n;
}

/* The file's text back to its first old bytes (a row that was not written). */
static void csv_undo(cb *c, size_t old)
{
    c->csv.oom = 0;
    c->csv.len = old;
    if (c->csv.s)
        c->csv.s[old] = 0;
}

static void epoch_csv(repl_cb_run *r, cb_state *t, int epoch, const nn_logs *logs,
                      double lr)
{
    cb *c = t->c;
    nn_buf *b = &c->csv;
    if (c->nkeys == 0)
        csv_decide_keys(c, logs);
    size_t old = b->len;
    if (t->csv_header) {
        nn_buf_puts(b, "epoch");
        for (int k = 0; k < c->nkeys; k++)
            nn_buf_printf(b, "%c%s", c->sep, c->keys[k]);
        nn_buf_putc(b, '\n');
        t->csv_header = 0;
    }
    nn_buf_printf(b, "%d", epoch);
    for (int k = 0; k < c->nkeys; k++) {
        char v[64];
        if (strcmp(c->keys[k], CB_LR_KEY) == 0 && !cb_logs_has(logs, CB_LR_KEY))
            repl_py_float(v, sizeof v, lr, REPL_PY_REPR);
        else if (cb_logs_has(logs, c->keys[k]))
            repl_py_float(v, sizeof v, nn_logs_get(logs, c->keys[k]), REPL_PY_REPR);
        else
            strcpy(v, "NA");
        nn_buf_printf(b, "%c%s", c->sep, v);
    }
    nn_buf_putc(b, '\n');
    if (b->oom) {
        csv_undo(c, old);
        repl_error(r->s, "fit", "csvlogger: out of memory; training stopped");
        r->failed = 1;
        return;
    }
    /* the whole file, atomically: a crash or a full disk leaves the file
     * of the epoch before, never half a line */
    nn_afile f;
    nn_err e;
    if (nn_afile_open(&f, c->path, &e) == NN_OK) {
        nn_afile_write(&f, b->s, b->len);
        if (nn_afile_commit(&f, &e) == NN_OK)
            return;
    }
    csv_undo(c, old);             /* the row was not written */
    if (t->csv_header == 0 && old == 0)
        t->csv_header = 1;
    repl_error(r->s, "fit", "csvlogger: %s; training stopped", e.msg);
    r->failed = 1;
}

static void epoch_tensorboard(repl_cb_run *r, cb_state *t, int epoch,
                              const nn_logs *logs, double lr)
{
    cb *c = t->c;
    nn_model *m = r->m;
    nn_err e;
    /* train: every key without val_, then learning_rate; step = epoch */
    for (int k = 0; k < logs->n; k++)
        if (strncmp(logs->names[k], "val_", 4) != 0 &&
            tb_scalar(r, t, &t->tb_train, epoch, "epoch_", logs->names[k],
                      logs->values[k]) != 0)
            return;
    if (!cb_logs_has(logs, CB_LR_KEY) &&
        tb_scalar(r, t, &t->tb_train, epoch, "epoch_", CB_LR_KEY, lr) != 0)
        return;
    /* validation: the val_ keys without their prefix, in log_dir/validation */
    int haveval = 0;
    for (int k = 0; k < logs->n; k++)
        haveval |= strncmp(logs->names[k], "val_", 4) == 0;
    if (haveval && !t->tb_val.f) {
        char dir[PATHLEN + 16];
        snprintf(dir, sizeof dir, "%s/validation", c->log_dir);
        if (nn_tfwriter_open(&t->tb_val, dir, nn_tfevents_now(), NULL, &e) != NN_OK) {
            repl_error(r->s, "fit", "tensorboard: %s; training stopped", e.msg);
            r->failed = 1;
            return;
        }
    }
    for (int k = 0; k < logs->n; k++)
        if (strncmp(logs->names[k], "val_", 4) == 0) {
            if (tb_scalar(r, t, &t->tb_val, epoch, "epoch_", logs->names[k] + 4,
                          logs->values[k]) != 0)
                return;
            /* Keras 3's on_test_end: evaluation_<name>_vs_iterations */
            char tag[NN_KEYMAX + 32];
            snprintf(tag, sizeof tag, "%s_vs_iterations", logs->names[k] + 4);
            if (tb_scalar(r, t, &t->tb_val, m->opt.t, "evaluation_", tag,
                          logs->values[k]) != 0)
                return;
        }
    /* weight histograms: each Dense layer's kernel and bias */
    if (c->histogram_freq > 0 && epoch % c->histogram_freq == 0)
        for (int i = 0; i < m->n; i++) {
            const nn_node *nd = &m->nodes[i];
            if (nd->kind != NN_NODE_DENSE || nd->shared != i)
                continue;
            char tag[NN_NAMEMAX + 32];
            double now = nn_tfevents_now();
            snprintf(tag, sizeof tag, "%s/kernel/histogram", nd->name);
            int bad = nn_tfwriter_histogram(&t->tb_train, now, epoch, tag,
                                            m->params + nd->w_off,
                                            (size_t)nd->fan_in * nd->dense.units,
                                            &e) != NN_OK;
            if (!bad && nd->dense.use_bias) {
                snprintf(tag, sizeof tag, "%s/bias/histogram", nd->name);
                bad = nn_tfwriter_histogram(&t->tb_train, now, epoch, tag,
                                            m->params + nd->b_off,
                                            (size_t)nd->dense.units, &e) != NN_OK;
            }
            if (bad) {
                repl_error(r->s, "fit", "tensorboard: %s; training stopped", e.msg);
                r->failed = 1;
                return;
            }
        }
    if (nn_tfwriter_flush(&t->tb_train, &e) != NN_OK ||
        nn_tfwriter_flush(&t->tb_val, &e) != NN_OK) {
        repl_error(r->s, "fit", "tensorboard: %s; training stopped", e.msg);
        r->failed = 1;
    }
}

int repl_callbacks_epoch_end(repl_cb_run *r, nn_model *m, int epoch,
                             const nn_logs *logs)
{
    double lr = m->opt.cfg.learning_rate;   /* the rate this epoch ended with */
    int rel = epoch - r->first, stop = 0;
    for (int i = 0; i < r->n && !r->failed; i++) {
        cb_state *t = &r->st[i];
        cb *c = t->c;
        int have = c->kind == CB_EARLYSTOP || c->kind == CB_REDUCE_LR
                       ? cb_logs_has(logs, c->monitor) : 0;
        double v = have ? nn_logs_get(logs, c->monitor) : 0;
        switch (c->kind) {
        case CB_EARLYSTOP: {
            if (!have && rel >= c->start_from_epoch)
                warn_missing(t, "Early stopping conditioned on metric", logs);
            int f = nn_earlystop_epoch(&t->es, rel, have, v);
            if ((f & NN_ES_SAVE) && t->best_w)
                memcpy(t->best_w, m->params, m->nparams * sizeof(float));
            if (f & NN_ES_STOP)
                stop = 1;
            break;
        }
        case CB_CHECKPOINT:
            epoch_checkpoint(r, t, epoch + 1, logs, lr);
            break;
        case CB_REDUCE_LR: {
            if (!have)
                warn_missing(t, "Learning rate reduction is conditioned on metric", logs);
            int reduced;
            double nl = nn_plateau_epoch(&t->pl, have, v, m->opt.cfg.learning_rate,
                                         &reduced);
            if (reduced) {
                m->opt.cfg.learning_rate = nl;
                if (c->verbose)
                    printf("Epoch %d: ReduceLROnPlateau reducing learning rate to %g.\n",
                           epoch + 1, nl);
            }
            break;
        }
        case CB_CSV:
            epoch_csv(r, t, epoch, logs, lr);
            break;
        case CB_TENSORBOARD:
            epoch_tensorboard(r, t, epoch, logs, lr);
            break;
        default:
            break;
        }
    }
    fflush(stdout);
    return stop || r->failed;
}

void repl_callbacks_end(repl_cb_run *r, repl_session *s, const nn_fit_result *res)
{
    (void)s;
    int normal = res && (res->stop == NN_STOP_DONE || res->stop == NN_STOP_HOOK);
    nn_model *m = r->m;
    for (int i = 0; i < r->n; i++) {
        cb_state *t = &r->st[i];
        const cb *c = t->c;
        if (c->kind == CB_EARLYSTOP) {
            if (normal && t->es.stopped_epoch >= 0 && c->verbose)
                printf("Epoch %d: early stopping\n", r->first + t->es.stopped_epoch + 1);
            if (c->restore && t->es.have_weights && t->best_w) {
                if (normal) {
                    if (c->verbose)
                        printf("Restoring model weights from the end of the best "
                               "epoch: %d.\n", r->first + t->es.best_epoch + 1);
                    memcpy(m->params, t->best_w, m->nparams * sizeof(float));
                } else if (res && c->verbose)
                    printf("note: earlystopping did not restore the best weights "
                           "(epoch %d): training did not end normally\n",
                           r->first + t->es.best_epoch + 1);
            }
        }
        if (c->kind == CB_SCHEDULE && t->cycling)
            m->opt.cfg.momentum = t->momentum0;
        if (c->kind == CB_TENSORBOARD) {
            nn_err e;
            if (nn_tfwriter_close(&t->tb_train, &e) != NN_OK ||
                nn_tfwriter_close(&t->tb_val, &e) != NN_OK)
                repl_error(r->s, "fit", "tensorboard: %s", e.msg);
        }
    }
    fflush(stdout);
    run_close(r);
    free(r);
}
