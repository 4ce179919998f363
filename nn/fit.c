/* fit.c - the training loop (Keras's Model.fit) and evaluation: the
 * checks of the data against the model, the running means of loss and
 * metrics, the epochs and their batches.  One step (forward, loss,
 * backward, the optimizer, the NaN undo) is in step.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fit.h"
#include "mat.h"
#include "outmap.h"
#include "step.h"

void nn_fit_defaults(nn_fit_opts *o)
{
    memset(o, 0, sizeof *o);
    o->epochs = 1;
    o->initial_epoch = -1;     /* -1: continue from m->epochs_done */
    o->batch_size = 32;
    o->shuffle = 1;
    o->terminate_on_nan = 1;
}

const char *nn_metric_key(nn_metric_kind k)
{
    return (unsigned)k < NN_MET_COUNT ? nn_metric_names[k] : "?";
}

/* ---- checks ---- */

static int check_output(const nn_model *m, int k, int o, const nn_dataset *ds,
                        const nn_outmap *om, nn_err *e);

int nn_check_data(const nn_model *m, const nn_dataset *ds, nn_err *e)
{
    if (!ds || ds->n <= 0)
        return nn_fail(e, "no data");
    int in = nn_model_input(m), on = nn_model_output(m);
    if (in < 0 || on < 0 || on == in)
        return nn_fail(e, "the model has no layers after its input");
    if (nn_model_check_columns(m, ds->d, e) != NN_OK)
        return NN_FAIL;
    nn_outmap om;
    if (nn_outmap_make(&om, m, ds, e) != NN_OK)
        return NN_FAIL;
    int outs[NN_MAXOUT], nout = nn_model_outputs(m, outs);
    for (int k = 0; k < nout; k++)
        if (check_output(m, k, outs[k], ds, &om, e) != NN_OK)
            return NN_FAIL;
    return NN_OK;
}

/* What output k's targets are: one target t (or -1 for several), its
 * classes (0: regression) and whether it is one-hot. */
typedef struct out_targets {
    int t, nclasses, onehot, maxclasses;   /* maxclasses: over all its targets */
    int anyreg;                            /* one of them is regression */
    char names[96];
} out_targets;

static void describe(const nn_outmap *om, const nn_dataset *ds, int k,
                     out_targets *d)
{
    memset(d, 0, sizeof *d);
    d->t = om->nt[k] == 1 ? (ds->targets ? om->t[k][0] : 0) : -1;
    if (d->t >= 0) {
        d->nclasses = nn_dataset_target_classes(ds, d->t, NULL);
        d->onehot = nn_dataset_target_onehot(ds, d->t);
    }
    for (int j = 0; j < om->nt[k]; j++) {
        int t = ds->targets ? om->t[k][j] : 0;
        int nc = nn_dataset_target_classes(ds, t, NULL);
        d->maxclasses = nc > d->maxclasses ? nc : d->maxclasses;
        d->anyreg |= nc == 0;
    }
    if (ds->targets)
        nn_outmap_names(om, ds, k, d->names, sizeof d->names);
}

/* " (target 'species')" for a named target, "" for the one unnamed. */
static const char *which(const nn_dataset *ds, const out_targets *d, char *buf,
                         size_t len)
{
    if (nn_dataset_ntargets(ds) < 2)
        return "";
    snprintf(buf, len, " (target%s '%s')", strchr(d->names, ',') ? "s" : "",
             d->names);
    return buf;
}

/* Class numbers of target t of ds in 0 .. size-1. */
static int check_labels(const nn_dataset *ds, int t, int size, const char *tw,
                        nn_err *e)
{
    int nc = nn_dataset_target_classes(ds, t, NULL);
    for (int i = 0; i < ds->n; i++) {
        float y = ds->y[(size_t)i * (size_t)ds->ycols + (size_t)t];
        if (!(y >= 0) || y != floorf(y) || y >= size)
            return nn_fail(e, "label %g of sample %d%s is not a class of the "
                              "%d-unit output; the output layer needs one "
                              "unit per class%s", (double)y, i, tw, size,
                           nc ? "" : " (is this a regression set?)");
    }
    return NN_OK;
}

/* Output k (node o, loss cc.loss[k]) against its targets in ds. */
static int check_output(const nn_model *m, int k, int o, const nn_dataset *ds,
                        const nn_outmap *om, nn_err *e)
{
    const nn_node *O = &m->nodes[o];
    const nn_loss *L = &m->cc.loss[k];
    const char *ln = nn_loss_names[L->kind];
    out_targets d;
    describe(om, ds, k, &d);
    char tb[128];
    const char *tw = which(ds, &d, tb, sizeof tb);
    const char *tn = nn_dataset_ntargets(ds) > 1 ? d.names : "";
    nn_act act = O->kind == NN_NODE_DENSE ? O->dense.activation
               : O->kind == NN_NODE_ACTIVATION ? O->act : NN_ACT_LINEAR;
    if (act == NN_ACT_SOFTMAX && d.anyreg && ds->targets)
        return nn_fail(e, "output '%s' is a softmax but%s is a regression "
                          "target; use a linear output with mse", O->name, tw);
    int cols = om->cols[k];
    switch (L->kind) {
    case NN_LOSS_SCCE:
        if (d.onehot)
            return nn_fail(e, "%s needs class numbers but%s is one-hot "
                              "(to_categorical); use categorical_crossentropy",
                           ln, tw);
        if (d.t < 0 || (ds->targets == NULL && ds->ycols != 1))
            return nn_fail(e, "%s needs one integer label per sample but the "
                              "targets%s have %d columns; use "
                              "categorical_crossentropy for one-hot labels",
                           ln, tw, cols);
        return check_labels(ds, d.t, O->size, tw, e);
    case NN_LOSS_CCE:
    case NN_LOSS_CATEGORICAL_FOCAL:
    case NN_LOSS_CATEGORICAL_HINGE:
    case NN_LOSS_KLD:
        /* a one-unit output of a 2-class set is Keras's degenerate but
         * accepted case, except for categorical_crossentropy */
        if (d.t >= 0 && d.nclasses > 0 && !d.onehot && cols == 1 &&
            (O->size > 1 || L->kind == NN_LOSS_CCE))
            return nn_fail(e, "%s needs one-hot labels but these are class "
                              "numbers%s; turn them one-hot with "
                              "to_categorical%s%s%s", ln, tw, *tn ? " " : "", tn,
                           L->kind == NN_LOSS_CCE
                               ? ", or use sparse_categorical_crossentropy" : "");
        if (cols != O->size)
            return nn_fail(e, "%s: targets%s have %d columns but the output "
                              "has %d units; use dense %d", ln, tw, cols,
                           O->size, cols);
        return NN_OK;
    case NN_LOSS_BCE:
    case NN_LOSS_BINARY_FOCAL:
        if (d.maxclasses > 2 && !d.onehot)
            return nn_fail(e, "%s is for 2 classes but the data has %d%s; use "
                              "sparse_categorical_crossentropy with a softmax "
                              "output of %d units", ln, d.maxclasses, tw,
                           d.maxclasses);
        if (cols != O->size)
            return nn_fail(e, "%s: targets%s have %d columns but the output "
                              "has %d units; use dense %d activation=sigmoid",
                           ln, tw, cols, O->size, cols);
        for (int i = 0; i < ds->n; i++)
            for (int j = 0; j < om->nt[k]; j++) {
                int t = ds->targets ? om->t[k][j] : 0;
                if (nn_dataset_target_onehot(ds, t))
                    continue;
                for (int c = 0; c < (ds->targets ? 1 : ds->ycols); c++) {
                    float y = ds->y[(size_t)i * (size_t)ds->ycols + (size_t)(t + c)];
                    if (!(y >= 0 && y <= 1))
                        return nn_fail(e, "%s needs targets in [0, 1] (got %g%s)",
                                       ln, (double)y, tw);
                }
            }
        return NN_OK;
    default:
        if (cols != O->size)
            return nn_fail(e, "%s: targets%s have %d columns but the output "
                              "has %d units; use dense %d", ln, tw, cols,
                           O->size, cols);
        return NN_OK;
    }
}

/* ---- running means of loss and metrics ---- */

/* With several outputs, as Keras 3: "loss" (the weighted total), then
 * "<output>_loss" for each output and "<output>_<metric>" for each
 * metric on each output.  One output: "loss" and "<metric>". */
typedef struct meter {
    double loss_sum, rows;
    int nout;                               /* outputs */
    int outs[NN_MAXOUT];
    double out_sum[NN_MAXOUT];              /* each output's loss x rows */
    int nmet;
    nn_metric_kind kind[NN_MAXOUT][NN_MAXMETRICS];
    nn_metric_kind shown[NN_MAXMETRICS];
    nn_metric_acc acc[NN_MAXOUT][NN_MAXMETRICS];
} meter;

static void meter_free(meter *t)
{
    for (int k = 0; k < t->nout; k++)
        for (int j = 0; j < t->nmet; j++)
            nn_metric_acc_free(&t->acc[k][j]);
}

/* NN_FAIL (t freed) when a metric's totals find no memory. */
static int meter_init(meter *t, const nn_model *m, nn_err *e)
{
    memset(t, 0, sizeof *t);
    t->nout = nn_model_outputs(m, t->outs);
    t->nmet = m->cc.nmetrics;
    for (int j = 0; j < t->nmet; j++) {
        t->shown[j] = m->cc.metrics[j];
        for (int k = 0; k < t->nout; k++) {
            if (nn_metric_resolve(m->cc.metrics[j], &m->cc.loss[k], &t->kind[k][j]) != 0)
                t->kind[k][j] = m->cc.metrics[j];
            if (nn_metric_acc_init(&t->acc[k][j], t->kind[k][j],
                                   m->nodes[t->outs[k]].size, e) != NN_OK) {
                meter_free(t);
                return NN_FAIL;
            }
            t->acc[k][j].top_k = m->cc.top_k;
        }
    }
    return NN_OK;
}

/* After a forward and nn_model_loss on rows samples: per_out[k] is output
 * k's loss, ys[k] its targets. */
static void meter_add(meter *t, const nn_model *m, double loss, const double *per_out,
                      const float *const *ys, const float *w, int rows)
{
    t->loss_sum += loss * rows;
    t->rows += rows;
    for (int k = 0; k < t->nout; k++) {
        const nn_node *o = &m->nodes[t->outs[k]];
        t->out_sum[k] += per_out[k] * rows;
        for (int j = 0; j < t->nmet; j++)
            nn_metric_update(t->kind[k][j], &m->cc.loss[k], &t->acc[k][j], o->a,
                             ys[k], w, rows, o->size);
    }
}

static void meter_logs(const meter *t, const nn_model *m, nn_logs *l,
                       const char *prefix)
{
    char key[NN_KEYMAX];
    snprintf(key, sizeof key, "%sloss", prefix);
    nn_logs_set(l, key, t->rows > 0 ? t->loss_sum / t->rows : NAN);
    if (t->nout > 1)
        for (int k = 0; k < t->nout; k++) {
            snprintf(key, sizeof key, "%s%s_loss", prefix, m->nodes[t->outs[k]].name);
            nn_logs_set(l, key, t->rows > 0 ? t->out_sum[k] / t->rows : NAN);
        }
    for (int k = 0; k < t->nout; k++)
        for (int j = 0; j < t->nmet; j++) {
            if (t->nout > 1)
                snprintf(key, sizeof key, "%s%s_%s", prefix, m->nodes[t->outs[k]].name,
                         nn_metric_key(t->shown[j]));
            else
                snprintf(key, sizeof key, "%s%s", prefix, nn_metric_key(t->shown[j]));
            nn_logs_set(l, key, nn_metric_value(t->kind[k][j], &t->acc[k][j]));
        }
}

/* ---- evaluate ---- */

/* Loss and metrics of m on ds into logs (keys with prefix), each sample
 * weighted by w[i] (n) when w is not NULL (Keras's evaluate with
 * sample_weight: the loss sum_i w_i l_i / rows, the metrics weighted). */
static int eval_logs(nn_model *m, const nn_dataset *ds, int batch_size,
                     const float *w, nn_logs *logs, const char *prefix, nn_err *e)
{
    nn_outmap om;
    if (nn_outmap_make(&om, m, ds, e) != NN_OK)
        return NN_FAIL;
    meter t;
    if (meter_init(&t, m, e) != NN_OK)
        return NN_FAIL;
    if (batch_size < 256)
        batch_size = 256;   /* the same numbers, fewer calls */
    if (batch_size > ds->n)
        batch_size = ds->n;
    /* a byte set is decoded a batch at a time into buf; targets gathered
     * into ybuf when an output is not fed y as it is */
    int room = nn_outmap_room(&om);
    float *buf = ds->x8 ? nn_calloc((size_t)batch_size * (size_t)ds->d,
                                    sizeof(float), e) : NULL;
    float *ybuf = room ? nn_calloc((size_t)batch_size * (size_t)room,
                                   sizeof(float), e) : NULL;
    if ((ds->x8 && !buf) || (room && !ybuf)) {
        free(buf);
        meter_free(&t);
        return NN_FAIL;
    }
    int rc = NN_OK;
    for (int s = 0; s < ds->n; s += batch_size) {
        int rows = ds->n - s < batch_size ? ds->n - s : batch_size;
        const float *x = nn_dataset_rows(ds, s, rows, buf);
        const float *y = ds->y + (size_t)s * ds->ycols;
        if (nn_model_forward_data(m, x, ds->d, rows, 0, e) != NN_OK) {
            rc = NN_FAIL;
            break;
        }
        const float *ys[NN_MAXOUT];
        nn_outmap_batch(&om, ds, y, rows, ybuf, ys);
        const float *ws = w ? w + s : NULL;
        double per[NN_MAXOUT];
        double loss = nn_model_loss(m, ys, ws, per, 0);
        meter_add(&t, m, loss, per, ys, ws, rows);
    }
    free(buf);
    free(ybuf);
    if (rc == NN_OK)
        meter_logs(&t, m, logs, prefix);
    meter_free(&t);
    return rc;
}

int nn_predict_set(nn_model *m, const nn_dataset *ds, int from, int count,
                   float *out, nn_err *e)
{
    if (!ds->x8)
        return nn_model_predict(m, ds->x + (size_t)from * ds->d, ds->d, count,
                                out, e);
    int on = nn_model_output(m);
    if (on < 0)
        return nn_fail(e, "the model has no layers to predict with");
    size_t od = (size_t)m->nodes[on].size;
    const int chunk = 256;   /* nn_model_predict's: the same numbers */
    float *buf = nn_calloc((size_t)chunk * (size_t)ds->d, sizeof(float), e);
    if (!buf)
        return NN_FAIL;
    int rc = NN_OK;
    for (int s = 0; s < count && rc == NN_OK; s += chunk) {
        int rows = count - s < chunk ? count - s : chunk;
        const float *x = nn_dataset_rows(ds, from + s, rows, buf);
        rc = nn_model_predict(m, x, ds->d, rows, out + (size_t)s * od, e);
    }
    free(buf);
    return rc;
}

int nn_evaluate(nn_model *m, const nn_dataset *ds, int batch_size,
                nn_logs *logs, nn_err *e)
{
    return nn_evaluate_weighted(m, ds, batch_size, NULL, logs, e);
}

int nn_evaluate_weighted(nn_model *m, const nn_dataset *ds, int batch_size,
                         const float *w, nn_logs *logs, nn_err *e)
{
    if (!m->compiled)
        return nn_fail(e, "the model is not compiled");
    if (nn_check_data(m, ds, e) != NN_OK)
        return NN_FAIL;
    for (int i = 0; w && i < ds->n; i++)
        if (!(w[i] >= 0) || !isfinite(w[i]))
            return nn_fail(e, "sample_weight values must be finite and >= 0");
    memset(logs, 0, sizeof *logs);
    return eval_logs(m, ds, batch_size > 0 ? batch_size : 32, w, logs, "", e);
}

/* ---- fit ---- */

static int check_opts(const nn_model *m, const nn_dataset *train,
                      const nn_fit_opts *o, nn_err *e)
{
    if (o->epochs < 1 || o->epochs > 1000000)
        return nn_fail(e, "epochs must be between 1 and 1000000 (got %d)", o->epochs);
    if (o->batch_size < 1)
        return nn_fail(e, "batch_size must be at least 1 (got %d)", o->batch_size);
    if (!(o->validation_split >= 0 && o->validation_split < 1))
        return nn_fail(e, "validation_split must be in [0, 1) (got %g)",
                       o->validation_split);
    if (o->class_weight) {
        if (train->nclasses <= 0 || train->ycols != 1)
            return nn_fail(e, "class_weight needs a classification set with "
                              "integer labels");
        for (int c = 0; c < o->nclass_weight; c++)
            if (!(o->class_weight[c] >= 0) || !isfinite(o->class_weight[c]))
                return nn_fail(e, "class_weight values must be finite and >= 0");
    }
    if (o->sample_weight)
        for (int i = 0; i < train->n; i++)
            if (!(o->sample_weight[i] >= 0) || !isfinite(o->sample_weight[i]))
                return nn_fail(e, "sample_weight values must be finite and >= 0");
    (void)m;
    return NN_OK;
}


/* One fit: the split of the data, the batch buffers and the stepper. */
typedef struct fit_run {
    nn_model *m;
    const nn_fit_opts *o;
    nn_fit_result *res;
    nn_dataset tr, val;    /* views of the training and validation data */
    int have_val;
    int n, bs, nb;         /* training samples, batch size, batches */
    float *x, *y, *w;      /* the batch, gathered */
    float *ybuf;           /* outputs' targets not fed y as it is */
    nn_outmap om;          /* each output's targets */
    float *sw;             /* per-sample weights of the training set, or NULL */
    const float *val_w;    /* the validation's weights, or NULL */
    int *idx;              /* the order of the samples (shuffled) */
    nn_stepper st;
} fit_run;

static void run_free(fit_run *f)
{
    free(f->x);
    free(f->y);
    free(f->ybuf);
    free(f->w);
    free(f->sw);
    free(f->idx);
    nn_stepper_free(&f->st);
}

/* validation: the LAST fraction, before shuffling (Keras), or
 * validation_data */
static int split_data(fit_run *f, const nn_dataset *train, nn_err *e)
{
    const nn_fit_opts *o = f->o;
    f->tr = *train;
    f->tr.owns = 0;
    if (o->validation_data && o->validation_data->n > 0) {
        if (nn_check_data(f->m, o->validation_data, e) != NN_OK)
            return NN_FAIL;
        f->val = *o->validation_data;
        f->val.owns = 0;
        f->have_val = 1;
        f->val_w = o->validation_weight;
    } else if (o->validation_split > 0) {
        int split_at = (int)floor(train->n * (1.0 - o->validation_split));
        if (split_at < 1 || split_at >= train->n)
            return nn_fail(e, "validation_split=%g leaves %d training and %d "
                              "validation samples of %d", o->validation_split,
                           split_at, train->n - split_at, train->n);
        nn_dataset_view(&f->tr, train, 0, split_at);
        nn_dataset_view(&f->val, train, split_at, train->n - split_at);
        f->have_val = 1;
        f->val_w = o->sample_weight ? o->sample_weight + split_at : NULL;
    }
    return NN_OK;
}

/* The batch buffers, the stepper's, and the per-sample weights
 * class_weight[label] * sample_weight[i]. */
static int run_alloc(fit_run *f, nn_err *e)
{
    const nn_fit_opts *o = f->o;
    const nn_dataset *tr = &f->tr;
    int n = f->n, bs = f->bs;
    f->x = nn_calloc((size_t)bs * tr->d, sizeof(float), e);
    f->y = f->x ? nn_calloc((size_t)bs * tr->ycols, sizeof(float), e) : NULL;
    f->w = f->y ? nn_calloc((size_t)bs, sizeof(float), e) : NULL;
    f->idx = f->w ? nn_calloc((size_t)n, sizeof(int), e) : NULL;
    if (!f->idx || nn_outmap_make(&f->om, f->m, tr, e) != NN_OK)
        return NN_FAIL;
    int room = nn_outmap_room(&f->om);
    if (room) {
        f->ybuf = nn_calloc((size_t)bs * (size_t)room, sizeof(float), e);
        if (!f->ybuf)
            return NN_FAIL;
    }
    if (nn_stepper_init(&f->st, f->m, o->terminate_on_nan,
                        o->hooks.keep_grads != NULL, e) != NN_OK)
        return NN_FAIL;
    if (o->class_weight || o->sample_weight) {
        f->sw = nn_calloc((size_t)n, sizeof(float), e);
        if (!f->sw)
            return NN_FAIL;
        for (int i = 0; i < n; i++) {
            float w = 1.0f;
            if (o->class_weight) {
                int c = (int)tr->y[i];
                w *= c < o->nclass_weight ? o->class_weight[c] : 1.0f;
            }
            if (o->sample_weight)
                w *= o->sample_weight[i];
            f->sw[i] = w;
        }
    }
    for (int i = 0; i < n; i++)
        f->idx[i] = i;
    return NN_OK;
}

/* Batch rows samples from position s of the shuffled order into x, y, w. */
static void gather_batch(fit_run *f, int s, int rows)
{
    const nn_dataset *tr = &f->tr;
    nn_dataset_gather(tr, f->idx + s, rows, f->x);
    for (int k = 0; k < rows; k++) {
        int i = f->idx[s + k];
        memcpy(f->y + (size_t)k * tr->ycols, tr->y + (size_t)i * tr->ycols,
               (size_t)tr->ycols * sizeof(float));
        if (f->sw)
            f->w[k] = f->sw[i];
    }
}

/* The batches of epoch ep, their losses and metrics into t (logs for the
 * batch hook).  *stop is set when training must stop after this epoch
 * (res->stop says why); NN_FAIL on an error. */
static int run_batches(fit_run *f, int ep, meter *t, nn_logs *logs,
                       int *stop, nn_err *e)
{
    nn_model *m = f->m;
    const nn_fit_opts *o = f->o;
    nn_fit_result *res = f->res;
    int n = f->n, bs = f->bs, nb = f->nb;
    *stop = 0;
    for (int bi = 0; bi < nb && !*stop; bi++) {
        if (o->interrupt && *o->interrupt) {
            res->stop = NN_STOP_INTERRUPT;
            *stop = 1;
            break;
        }
        if (o->hooks.batch_begin && o->hooks.batch_begin(o->hooks.ctx, m, ep, bi)) {
            res->stop = NN_STOP_HOOK;
            *stop = 1;
            break;
        }
        int s = bi * bs, rows = n - s < bs ? n - s : bs;
        gather_batch(f, s, rows);
        /* fold when nothing reads this step's gradients: not the last
         * batch of an epoch (grads after fit), not a step the hook wants
         * (the shell's gradient log) */
        int fold = bi < nb - 1 && nn_stepper_can_fold(&f->st, m) &&
                   !o->hooks.keep_grads(o->hooks.ctx, m);
        const float *w = f->sw ? f->w : NULL;
        const float *ys[NN_MAXOUT];
        nn_outmap_batch(&f->om, &f->tr, f->y, rows, f->ybuf, ys);
        double loss, per[NN_MAXOUT];
        int rc = nn_step_batch(m, &f->st, fold, f->x, f->tr.d, ys, w, rows,
                               &loss, per, e);
        if (rc < 0) {
            *stop = 1;
            return NN_FAIL;
        }
        if (rc > 0 && o->terminate_on_nan) {
            /* back to the weights that gave the last finite loss */
            nn_stepper_undo(&f->st, m);
            res->stop = NN_STOP_NAN;
            res->nan_epoch = ep + 1;
            res->nan_batch = bi + 1;
            *stop = 1;
            break;
        }
        meter_add(t, m, loss, per, ys, w, rows);
        if (o->hooks.batch_end) {
            meter_logs(t, m, logs, "");
            if (o->hooks.batch_end(o->hooks.ctx, m, ep, bi, nb, logs)) {
                res->stop = NN_STOP_HOOK;
                *stop = 1;
            }
        }
    }
    return NN_OK;
}

/* The epochs from first on, each ended with its validation, history and
 * hook. */
static int run_epochs(fit_run *f, int first, nn_history *h, nn_rng *r,
                      nn_err *e)
{
    nn_model *m = f->m;
    const nn_fit_opts *o = f->o;
    nn_fit_result *res = f->res;
    res->stop = NN_STOP_DONE;
    for (int ep = first; ep < first + o->epochs; ep++) {
        if (o->interrupt && *o->interrupt) {
            res->stop = NN_STOP_INTERRUPT;
            break;
        }
        if (o->hooks.epoch_begin && o->hooks.epoch_begin(o->hooks.ctx, m, ep)) {
            res->stop = NN_STOP_HOOK;
            break;
        }
        if (o->shuffle)
            nn_rng_shuffle(r, f->idx, f->n);
        meter t;
        if (meter_init(&t, m, e) != NN_OK)
            return NN_FAIL;
        nn_logs logs;
        memset(&logs, 0, sizeof logs);
        int stop;
        int status = run_batches(f, ep, &t, &logs, &stop, e);
        meter_logs(&t, m, &logs, "");
        meter_free(&t);
        if (status != NN_OK)
            return NN_FAIL;
        if (res->stop == NN_STOP_NAN || res->stop == NN_STOP_INTERRUPT ||
            (stop && t.rows == 0))
            break;
        /* an epoch stopped by a batch hook still ends: its logs count */
        if (f->have_val && eval_logs(m, &f->val, f->bs, f->val_w, &logs, "val_", e) != NN_OK)
            return NN_FAIL;
        m->epochs_done = ep + 1;
        res->epochs_run++;
        if (h && nn_history_add(h, ep + 1, &logs, m->opt.cfg.learning_rate, e) != NN_OK)
            return NN_FAIL;
        if (o->hooks.epoch_end && o->hooks.epoch_end(o->hooks.ctx, m, ep, &logs))
            res->stop = NN_STOP_HOOK;
        if (res->stop != NN_STOP_DONE)
            break;
    }
    return NN_OK;
}

int nn_fit(nn_model *m, const nn_dataset *train, const nn_fit_opts *o,
           nn_history *h, nn_rng *r, nn_fit_result *res, nn_err *e)
{
    nn_fit_result dummy;
    if (!res)
        res = &dummy;
    memset(res, 0, sizeof *res);
    if (!m->compiled)
        return nn_fail(e, "the model is not compiled");
    if (nn_check_data(m, train, e) != NN_OK || check_opts(m, train, o, e) != NN_OK)
        return NN_FAIL;
    fit_run f;
    memset(&f, 0, sizeof f);
    f.m = m;
    f.o = o;
    f.res = res;
    if (split_data(&f, train, e) != NN_OK || nn_step_ready(m, e) != NN_OK)
        return NN_FAIL;
    f.n = f.tr.n;
    f.bs = o->batch_size < f.n ? o->batch_size : f.n;
    f.nb = (f.n + f.bs - 1) / f.bs;
    int status = run_alloc(&f, e);
    if (status == NN_OK)
        status = run_epochs(&f, o->initial_epoch >= 0 ? o->initial_epoch
                                                      : m->epochs_done, h, r, e);
    /* use_ema: the moving average becomes the weights (Keras) */
    if (status == NN_OK && res->epochs_run > 0)
        status = nn_step_finalize(m, e);
    run_free(&f);
    return status;
}
