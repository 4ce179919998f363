/* fit.c - the training loop, evaluation and one-batch steps (Keras's
 * Model.fit, evaluate and train_on_batch). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fit.h"
#include "mat.h"

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
                        nn_err *e);

int nn_check_data(const nn_model *m, const nn_dataset *ds, nn_err *e)
{
    if (!ds || ds->n <= 0)
        return nn_fail(e, "no data: load some first (data xor, data iris, ...)");
    int in = nn_model_input(m), on = nn_model_output(m);
    if (in < 0 || on < 0 || on == in)
        return nn_fail(e, "the model has no layers after its input; add dense first");
    if (nn_model_check_columns(m, ds->d, e) != NN_OK)
        return NN_FAIL;
    /* every output is trained against the same targets (Keras: fit(X,
     * (y_train, y_train)) for the book's auxiliary output) */
    int outs[NN_MAXOUT], nout = nn_model_outputs(m, outs);
    for (int k = 0; k < nout; k++)
        if (check_output(m, k, outs[k], ds, e) != NN_OK)
            return NN_FAIL;
    return NN_OK;
}

/* Output k (node o, loss cc.loss[k]) against the targets of ds. */
static int check_output(const nn_model *m, int k, int o, const nn_dataset *ds,
                        nn_err *e)
{
    const nn_node *O = &m->nodes[o];
    const nn_loss *L = &m->cc.loss[k];
    const char *ln = nn_loss_names[L->kind];
    switch (L->kind) {
    case NN_LOSS_SCCE:
        if (ds->ycols != 1)
            return nn_fail(e, "%s needs one integer label per sample but the "
                              "targets have %d columns; use "
                              "categorical_crossentropy for one-hot labels",
                           ln, ds->ycols);
        for (int i = 0; i < ds->n; i++) {
            float y = ds->y[i];
            if (!(y >= 0) || y != floorf(y) || y >= O->size)
                return nn_fail(e, "label %g of sample %d is not a class of the "
                                  "%d-unit output; the output layer needs one "
                                  "unit per class%s", (double)y, i, O->size,
                               ds->nclasses ? "" : " (is this a regression set?)");
        }
        break;
    case NN_LOSS_CCE:
        if (ds->ycols == 1 && ds->nclasses > 0)
            return nn_fail(e, "%s needs one-hot labels but these are class "
                              "numbers; use sparse_categorical_crossentropy",
                           ln);
        if (ds->ycols != O->size)
            return nn_fail(e, "%s: targets have %d columns but the output has "
                              "%d units", ln, ds->ycols, O->size);
        break;
    case NN_LOSS_BCE:
        if (ds->nclasses > 2)
            return nn_fail(e, "%s is for 2 classes but the data has %d; use "
                              "sparse_categorical_crossentropy with a softmax "
                              "output of %d units", ln, ds->nclasses, ds->nclasses);
        if (ds->ycols != O->size)
            return nn_fail(e, "%s: targets have %d columns but the output has "
                              "%d units; use dense 1 activation=sigmoid",
                           ln, ds->ycols, O->size);
        for (size_t i = 0; i < (size_t)ds->n * ds->ycols; i++)
            if (!(ds->y[i] >= 0 && ds->y[i] <= 1))
                return nn_fail(e, "%s needs targets in [0, 1] (got %g)", ln,
                               (double)ds->y[i]);
        break;
    default:
        if (ds->ycols != O->size)
            return nn_fail(e, "%s: targets have %d columns but the output has "
                              "%d units; use dense %d", ln, ds->ycols, O->size,
                           ds->ycols);
        break;
    }
    return NN_OK;
}

/* Trainable parameter ranges, merged where contiguous, in increasing
 * order (off, len: room for m->n). */
static int trainable_ranges(const nn_model *m, size_t *off, size_t *len)
{
    int n = 0;
    for (int i = 0; i < m->n; i++) {
        const nn_node *nd = &m->nodes[i];
        size_t p = nn_node_params(m, i);
        if (!p || !nd->dense.trainable)
            continue;
        if (n > 0 && off[n - 1] + len[n - 1] == nd->w_off)
            len[n - 1] += p;
        else {
            off[n] = nd->w_off;
            len[n] = p;
            n++;
        }
    }
    return n;
}

/* One optimizer step in place over the trainable ranges. */
static int opt_step(nn_model *m, nn_err *e)
{
    size_t off_s[64], len_s[64], *off = off_s, *len = len_s;
    if (m->n > 64) {
        off = nn_calloc(2 * (size_t)m->n, sizeof *off, e);
        if (!off)
            return NN_FAIL;
        len = off + m->n;
    }
    int n = trainable_ranges(m, off, len);
    nn_opt_step(&m->opt, m->params, m->grads, off, len, n);
    m->steps++;
    if (off != off_s)
        free(off);
    return NN_OK;
}

static int ensure_opt(nn_model *m, nn_err *e)
{
    if (!m->compiled)
        return nn_fail(e, "the model is not compiled; run compile loss=... "
                          "optimizer=... first");
    if (m->opt.n != m->nparams)
        return nn_model_compile(m, &m->cc, e);
    return NN_OK;
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

static void meter_init(meter *t, const nn_model *m)
{
    memset(t, 0, sizeof *t);
    t->nout = nn_model_outputs(m, t->outs);
    t->nmet = m->cc.nmetrics;
    for (int j = 0; j < t->nmet; j++) {
        t->shown[j] = m->cc.metrics[j];
        for (int k = 0; k < t->nout; k++)
            if (nn_metric_resolve(m->cc.metrics[j], &m->cc.loss[k], &t->kind[k][j]) != 0)
                t->kind[k][j] = m->cc.metrics[j];
    }
}

/* After a forward and nn_model_loss on rows samples: per_out[k] is output
 * k's loss, y the targets every output is trained against. */
static void meter_add(meter *t, const nn_model *m, double loss, const double *per_out,
                      const float *y, const float *w, int rows)
{
    t->loss_sum += loss * rows;
    t->rows += rows;
    for (int k = 0; k < t->nout; k++) {
        const nn_node *o = &m->nodes[t->outs[k]];
        t->out_sum[k] += per_out[k] * rows;
        for (int j = 0; j < t->nmet; j++)
            nn_metric_update(t->kind[k][j], &m->cc.loss[k], &t->acc[k][j], o->a, y,
                             w, rows, o->size);
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

static int eval_logs(nn_model *m, const nn_dataset *ds, int batch_size,
                     nn_logs *logs, const char *prefix, nn_err *e)
{
    meter t;
    meter_init(&t, m);
    if (batch_size < 256)
        batch_size = 256;   /* the same numbers, fewer calls */
    for (int s = 0; s < ds->n; s += batch_size) {
        int rows = ds->n - s < batch_size ? ds->n - s : batch_size;
        const float *x = ds->x + (size_t)s * ds->d;
        const float *y = ds->y + (size_t)s * ds->ycols;
        if (nn_model_forward_data(m, x, ds->d, rows, 0, e) != NN_OK)
            return NN_FAIL;
        const float *ys[NN_MAXOUT] = {y, y, y, y};
        double per[NN_MAXOUT];
        double loss = nn_model_loss(m, ys, NULL, per, 0);
        meter_add(&t, m, loss, per, y, NULL, rows);
    }
    meter_logs(&t, m, logs, prefix);
    return NN_OK;
}

int nn_evaluate(nn_model *m, const nn_dataset *ds, int batch_size,
                nn_logs *logs, nn_err *e)
{
    if (!m->compiled)
        return nn_fail(e, "the model is not compiled; run compile first");
    if (nn_check_data(m, ds, e) != NN_OK)
        return NN_FAIL;
    memset(logs, 0, sizeof *logs);
    return eval_logs(m, ds, batch_size > 0 ? batch_size : 32, logs, "", e);
}

/* ---- one batch ---- */

/* fit's buffers.  With TerminateOnNaN, the step is a transaction: the
 * optimizer reads the weights (and its state) from the current buffers
 * and writes the new ones into the alternate buffers, and then the
 * pointers swap; a non-finite loss at the next forward swaps them back,
 * which restores the weights of the last batch with a finite loss at no
 * copy at all (a memcpy of the weights and state before every step cost
 * as much as the SGD update itself).  m->params and m->opt.m, v are the
 * current weights and state whenever fit is not inside a step. */
typedef struct fit_bufs {
    float *x, *y, *w;      /* the batch, gathered */
    float *sw;             /* per-sample weights of the training set, or NULL */
    int *idx;
    size_t *off, *len;     /* trainable ranges, (nroom) each */
    int nroom;
    /* the transaction: alternate weights and state (NULL: steps in place) */
    float *alt_w, *alt_state;
    size_t alt_n, alt_state_n;
    int can_undo;          /* the last step may be undone */
    int undo_state;        /* it swapped the state too */
    long undo_t;           /* the optimizer's t and u_prod before it */
    double undo_u_prod;
    const float *undo_w, *undo_s;   /* what it made current */
    /* plain SGD folded into backward: room for one layer's db */
    float *fold_db;
    int fold_room;
} fit_bufs;

static void bufs_free(fit_bufs *b)
{
    free(b->x);
    free(b->y);
    free(b->w);
    free(b->sw);
    free(b->idx);
    free(b->off);
    free(b->alt_w);
    free(b->alt_state);
    free(b->fold_db);
}

/* The step as a transaction (see fit_bufs); in place when the buffers no
 * longer fit the model (a hook rebuilt it). */
static int tx_ready(const fit_bufs *b, const nn_model *m)
{
    return b->alt_w && b->alt_n == m->nparams && b->alt_state_n ==
           nn_opt_state_floats(&m->opt) && m->opt.n == m->nparams &&
           m->n <= b->nroom;
}

/* The transaction's end, once the new weights (and, with new_state, the
 * optimizer's state) are in the alternate buffers: they become current,
 * and what was current is kept for tx_undo.  undo_t and undo_u_prod were
 * taken before the step. */
static void tx_commit(fit_bufs *b, nn_model *m, int new_state)
{
    float *w = m->params;
    m->params = b->alt_w;
    b->alt_w = w;
    b->undo_state = new_state;
    if (new_state)
        nn_opt_swap_state(&m->opt, &b->alt_state);
    b->undo_w = m->params;
    b->undo_s = m->opt.m ? m->opt.m : m->opt.v;
    b->can_undo = 1;
}

static int tx_step(fit_bufs *b, nn_model *m, nn_err *e)
{
    b->can_undo = 0;
    if (!tx_ready(b, m))
        return opt_step(m, e);
    int nr = trainable_ranges(m, b->off, b->len);
    b->undo_t = m->opt.t;
    b->undo_u_prod = m->opt.u_prod;
    tx_commit(b, m, nn_opt_step_to(&m->opt, b->alt_w, m->params, m->grads,
                                   b->alt_state, b->off, b->len, nr));
    m->steps++;
    return NN_OK;
}

/* Back to the weights and state before the last step; 0 when there is
 * nothing to undo (no step yet, or the model changed under it). */
static int tx_undo(fit_bufs *b, nn_model *m)
{
    if (!b->can_undo || m->params != b->undo_w ||
        (m->opt.m ? m->opt.m : m->opt.v) != b->undo_s)
        return 0;
    float *w = m->params;
    m->params = b->alt_w;
    b->alt_w = w;
    if (b->undo_state)
        nn_opt_swap_state(&m->opt, &b->alt_state);
    m->opt.t = b->undo_t;
    m->opt.u_prod = b->undo_u_prod;
    m->steps--;
    b->can_undo = 0;
    return 1;
}

/* Backward and plain SGD in one pass (nn_model_backward_sgd), when the
 * step's gradients are not wanted: in place, or, with the transaction,
 * into the alternate buffer holding a copy of the weights (the copy is
 * what the undo costs).  m->grads keep the last step that wrote them. */
static void fold_step(fit_bufs *b, int tx, nn_model *m)
{
    float lr = (float)m->opt.cfg.learning_rate;
    b->can_undo = 0;
    if (!tx || !tx_ready(b, m)) {
        nn_model_backward_sgd(m, lr, m->params, b->fold_db);
    } else {
        b->undo_t = m->opt.t;
        b->undo_u_prod = m->opt.u_prod;
        nn_copy_floats(b->alt_w, m->params, m->nparams);
        nn_model_backward_sgd(m, lr, b->alt_w, b->fold_db);
        tx_commit(b, m, 0);          /* plain SGD has no state to swap */
    }
    m->opt.t++;
    m->steps++;
}

/* forward, loss, backward, step on a gathered batch; *loss gets the loss.
 * Returns 1 when the loss is not finite (nothing updated), -1 on error.
 * With tx, the step is a transaction fit may undo.  With fold (fit's
 * buffers, SGD without momentum), backward and the update are one pass
 * and m->grads are left as they were. */
static int train_step(nn_model *m, const float *x, int d, const float *y,
                      const float *w, int rows, double *loss, double *per,
                      fit_bufs *tx, fit_bufs *fold, nn_err *e)
{
    if (nn_model_forward_data(m, x, d, rows, 1, e) != NN_OK)
        return -1;
    const float *ys[NN_MAXOUT] = {y, y, y, y};   /* every output, the same */
    *loss = nn_model_loss(m, ys, w, per, 1);
    if (!isfinite(*loss))
        return 1;
    if (fold) {
        fold_step(fold, tx != NULL, m);
        return 0;
    }
    nn_model_backward(m);
    if ((tx ? tx_step(tx, m, e) : opt_step(m, e)) != NN_OK)
        return -1;
    m->grads_step = m->steps;       /* the step these gradients made */
    return 0;
}

int nn_train_batch(nn_model *m, const float *x, int d, const float *y,
                   const float *w, int rows, double *loss, nn_err *e)
{
    if (ensure_opt(m, e) != NN_OK)
        return NN_FAIL;
    if (nn_model_check_columns(m, d, e) != NN_OK)
        return NN_FAIL;
    double per[NN_MAXOUT];
    int r = train_step(m, x, d, y, w, rows, loss, per, NULL, NULL, e);
    if (r < 0)
        return NN_FAIL;
    if (r > 0)
        return nn_fail(e, "the loss is %g: nothing was updated; try a lower "
                          "learning_rate", *loss);
    return NN_OK;
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

int nn_fit(nn_model *m, const nn_dataset *train, const nn_fit_opts *o,
           nn_history *h, nn_rng *r, nn_fit_result *res, nn_err *e)
{
    nn_fit_result dummy;
    if (!res)
        res = &dummy;
    memset(res, 0, sizeof *res);
    if (!m->compiled)
        return nn_fail(e, "the model is not compiled; run compile loss=... "
                          "optimizer=... first");
    if (nn_check_data(m, train, e) != NN_OK || check_opts(m, train, o, e) != NN_OK)
        return NN_FAIL;

    /* validation: the LAST fraction, before shuffling (Keras) */
    nn_dataset tr, val;
    int have_val = 0;
    tr = *train;
    tr.owns = 0;
    if (o->validation_data && o->validation_data->n > 0) {
        if (nn_check_data(m, o->validation_data, e) != NN_OK)
            return NN_FAIL;
        val = *o->validation_data;
        val.owns = 0;
        have_val = 1;
    } else if (o->validation_split > 0) {
        int split_at = (int)floor(train->n * (1.0 - o->validation_split));
        if (split_at < 1 || split_at >= train->n)
            return nn_fail(e, "validation_split=%g leaves %d training and %d "
                              "validation samples of %d", o->validation_split,
                           split_at, train->n - split_at, train->n);
        nn_dataset_view(&tr, train, 0, split_at);
        nn_dataset_view(&val, train, split_at, train->n - split_at);
        have_val = 1;
    }
    if (ensure_opt(m, e) != NN_OK)
        return NN_FAIL;

    int n = tr.n;
    int bs = o->batch_size < n ? o->batch_size : n;
    int nb = (n + bs - 1) / bs;
    fit_bufs b;
    memset(&b, 0, sizeof b);
    b.x = nn_calloc((size_t)bs * tr.d, sizeof(float), e);
    b.y = b.x ? nn_calloc((size_t)bs * tr.ycols, sizeof(float), e) : NULL;
    b.w = b.y ? nn_calloc((size_t)bs, sizeof(float), e) : NULL;
    b.idx = b.w ? nn_calloc((size_t)n, sizeof(int), e) : NULL;
    if (!b.idx) {
        bufs_free(&b);
        return NN_FAIL;
    }
    b.off = nn_calloc(2 * (size_t)m->n, sizeof *b.off, e);
    if (!b.off) {
        bufs_free(&b);
        return NN_FAIL;
    }
    b.len = b.off + m->n;
    b.nroom = m->n;
    if (o->terminate_on_nan) {
        /* the alternate buffers of the transactional step */
        b.alt_n = m->nparams;
        b.alt_state_n = nn_opt_state_floats(&m->opt);
        b.alt_w = nn_calloc(b.alt_n, sizeof(float), e);
        b.alt_state = b.alt_w && b.alt_state_n ?
                      nn_calloc(b.alt_state_n, sizeof(float), e) : NULL;
        if (!b.alt_w || (b.alt_state_n && !b.alt_state)) {
            bufs_free(&b);
            return NN_FAIL;
        }
    }
    if (o->hooks.keep_grads && nn_model_can_fold_sgd(m)) {
        b.fold_room = nn_model_fold_room(m);
        b.fold_db = nn_calloc((size_t)b.fold_room, sizeof(float), e);
        if (!b.fold_db) {
            bufs_free(&b);
            return NN_FAIL;
        }
    }
    if (o->class_weight || o->sample_weight) {
        b.sw = nn_calloc((size_t)n, sizeof(float), e);
        if (!b.sw) {
            bufs_free(&b);
            return NN_FAIL;
        }
        for (int i = 0; i < n; i++) {
            float w = 1.0f;
            if (o->class_weight) {
                int c = (int)tr.y[i];
                w *= c < o->nclass_weight ? o->class_weight[c] : 1.0f;
            }
            if (o->sample_weight)
                w *= o->sample_weight[i];
            b.sw[i] = w;
        }
    }
    for (int i = 0; i < n; i++)
        b.idx[i] = i;

    int first = o->initial_epoch >= 0 ? o->initial_epoch : m->epochs_done;
    int status = NN_OK;
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
            nn_rng_shuffle(r, b.idx, n);
        meter t;
        meter_init(&t, m);
        nn_logs logs;
        memset(&logs, 0, sizeof logs);
        int stop = 0;
        for (int bi = 0; bi < nb && !stop; bi++) {
            if (o->interrupt && *o->interrupt) {
                res->stop = NN_STOP_INTERRUPT;
                stop = 1;
                break;
            }
            if (o->hooks.batch_begin && o->hooks.batch_begin(o->hooks.ctx, m, ep, bi)) {
                res->stop = NN_STOP_HOOK;
                stop = 1;
                break;
            }
            int s = bi * bs, rows = n - s < bs ? n - s : bs;
            for (int k = 0; k < rows; k++) {
                int i = b.idx[s + k];
                memcpy(b.x + (size_t)k * tr.d, tr.x + (size_t)i * tr.d,
                       (size_t)tr.d * sizeof(float));
                memcpy(b.y + (size_t)k * tr.ycols, tr.y + (size_t)i * tr.ycols,
                       (size_t)tr.ycols * sizeof(float));
                if (b.sw)
                    b.w[k] = b.sw[i];
            }
            /* fold when nothing reads this step's gradients: not the
             * last batch of an epoch (grads after fit), not a step the
             * hook wants (the shell's gradient log) */
            int fold = b.fold_db && bi < nb - 1 && nn_model_can_fold_sgd(m) &&
                       nn_model_fold_room(m) <= b.fold_room &&
                       !o->hooks.keep_grads(o->hooks.ctx, m);
            double loss, per[NN_MAXOUT];
            int rc = train_step(m, b.x, tr.d, b.y, b.sw ? b.w : NULL, rows, &loss,
                                per, o->terminate_on_nan ? &b : NULL,
                                fold ? &b : NULL, e);
            if (rc < 0) {
                status = NN_FAIL;
                stop = 1;
                break;
            }
            if (rc > 0 && o->terminate_on_nan) {
                /* back to the weights that gave the last finite loss */
                tx_undo(&b, m);
                res->stop = NN_STOP_NAN;
                res->nan_epoch = ep + 1;
                res->nan_batch = bi + 1;
                stop = 1;
                break;
            }
            meter_add(&t, m, loss, per, b.y, b.sw ? b.w : NULL, rows);
            if (o->hooks.batch_end) {
                meter_logs(&t, m, &logs, "");
                if (o->hooks.batch_end(o->hooks.ctx, m, ep, bi, nb, &logs)) {
                    res->stop = NN_STOP_HOOK;
                    stop = 1;
                }
            }
        }
        meter_logs(&t, m, &logs, "");
        if (status != NN_OK || res->stop == NN_STOP_NAN ||
            res->stop == NN_STOP_INTERRUPT || (stop && t.rows == 0))
            break;
        /* an epoch stopped by a batch hook still ends: its logs count */
        if (have_val && eval_logs(m, &val, bs, &logs, "val_", e) != NN_OK) {
            status = NN_FAIL;
            break;
        }
        m->epochs_done = ep + 1;
        res->epochs_run++;
        if (h && nn_history_add(h, ep + 1, &logs, m->opt.cfg.learning_rate, e) != NN_OK) {
            status = NN_FAIL;
            break;
        }
        if (o->hooks.epoch_end && o->hooks.epoch_end(o->hooks.ctx, m, ep, &logs))
            res->stop = NN_STOP_HOOK;
        if (res->stop != NN_STOP_DONE)
            break;
    }
    bufs_free(&b);
    return status;
}
