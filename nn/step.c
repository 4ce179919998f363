/* step.c - one training step and the state fit keeps across steps (see
 * step.h): the trainable ranges the optimizer updates, the NaN-undo
 * transaction (nn_tx), plain SGD folded into backward, and Keras's
 * train_on_batch (nn_train_batch). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fit.h"
#include "mat.h"
#include "step.h"

/* Trainable parameter ranges, merged where contiguous, in increasing
 * order (off, len: room for 2 m->n).  When the optimizer clips each
 * tensor apart (clipnorm), one range per kernel and per bias instead. */
static int trainable_ranges(const nn_model *m, size_t *off, size_t *len)
{
    int n = 0, apart = nn_opt_per_tensor(&m->opt.cfg);
    for (int i = 0; i < m->n; i++) {
        const nn_node *nd = &m->nodes[i];
        size_t p = nn_node_params(m, i);
        if (!p || !nd->dense.trainable)
            continue;
        if (apart) {
            size_t kw = (size_t)nd->fan_in * nd->dense.units;
            off[n] = nd->w_off, len[n++] = kw;
            if (p > kw)
                off[n] = nd->b_off, len[n++] = p - kw;
            continue;
        }
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
    if (2 * m->n > 64) {
        off = nn_calloc(4 * (size_t)m->n, sizeof *off, e);
        if (!off)
            return NN_FAIL;
        len = off + 2 * (size_t)m->n;
    }
    int n = trainable_ranges(m, off, len);
    nn_opt_step(&m->opt, m->params, m->grads, off, len, n);
    m->steps++;
    if (off != off_s)
        free(off);
    return NN_OK;
}

int nn_step_ready(nn_model *m, nn_err *e)
{
    if (!m->compiled)
        return nn_fail(e, "the model is not compiled");
    if (m->opt.n != m->nparams)
        return nn_model_compile(m, &m->cc, e);
    return NN_OK;
}

/* ---- the stepper's buffers ---- */

int nn_stepper_init(nn_stepper *s, const nn_model *m, int undo, int fold,
                    nn_err *e)
{
    memset(s, 0, sizeof *s);
    s->off = nn_calloc(4 * (size_t)m->n, sizeof *s->off, e);
    if (!s->off)
        return NN_FAIL;
    s->len = s->off + 2 * (size_t)m->n;
    s->nroom = m->n;
    if (undo) {
        nn_tx *tx = &s->tx;
        tx->nw = m->nparams;
        tx->nstate = nn_opt_state_floats(&m->opt);
        tx->w = nn_calloc(tx->nw, sizeof(float), e);
        tx->state = tx->w && tx->nstate ? nn_calloc(tx->nstate, sizeof(float), e)
                                        : NULL;
        if (!tx->w || (tx->nstate && !tx->state)) {
            nn_stepper_free(s);
            return NN_FAIL;
        }
    }
    if (fold && nn_model_can_fold_sgd(m)) {
        s->fold_room = nn_model_fold_room(m);
        s->fold_db = nn_calloc((size_t)s->fold_room, sizeof(float), e);
        if (!s->fold_db) {
            nn_stepper_free(s);
            return NN_FAIL;
        }
    }
    return NN_OK;
}

void nn_stepper_free(nn_stepper *s)
{
    free(s->off);
    free(s->tx.w);
    free(s->tx.state);
    free(s->fold_db);
    memset(s, 0, sizeof *s);
}

int nn_stepper_can_fold(const nn_stepper *s, const nn_model *m)
{
    return s && s->fold_db && nn_model_can_fold_sgd(m) &&
           nn_model_fold_room(m) <= s->fold_room;
}

/* ---- the transaction ---- */

/* The step as a transaction; in place when the buffers no longer fit the
 * model (a hook rebuilt it). */
static int tx_ready(const nn_stepper *s, const nn_model *m)
{
    return s->tx.w && s->tx.nw == m->nparams &&
           s->tx.nstate == nn_opt_state_floats(&m->opt) &&
           m->opt.n == m->nparams && m->n <= s->nroom;
}

/* The optimizer's step counters before the step, for the undo. */
static void tx_begin(nn_tx *tx, const nn_model *m)
{
    tx->undo.t = m->opt.t;
    tx->undo.u_prod = m->opt.u_prod;
}

/* The transaction's end, once the new weights (and, with new_state, the
 * optimizer's state) are in the alternate buffers: they become current,
 * and what was current is kept for the undo. */
static void tx_commit(nn_tx *tx, nn_model *m, int new_state)
{
    float *w = m->params;
    m->params = tx->w;
    tx->w = w;
    tx->undo.swapped_state = new_state;
    if (new_state)
        nn_opt_swap_state(&m->opt, &tx->state);
    tx->undo.w = m->params;
    tx->undo.state = nn_opt_state(&m->opt);
}

int nn_stepper_undo(nn_stepper *s, nn_model *m)
{
    nn_tx *tx = &s->tx;
    if (!tx->undo.w || m->params != tx->undo.w ||
        nn_opt_state(&m->opt) != tx->undo.state)
        return 0;
    float *w = m->params;
    m->params = tx->w;
    tx->w = w;
    if (tx->undo.swapped_state)
        nn_opt_swap_state(&m->opt, &tx->state);
    m->opt.t = tx->undo.t;
    m->opt.u_prod = tx->undo.u_prod;
    m->steps--;
    tx->undo.w = NULL;
    return 1;
}

/* The optimizer's step over m->grads: out of place into the alternate
 * buffers when the transaction is ready, else in place. */
static int tx_step(nn_stepper *s, nn_model *m, nn_err *e)
{
    s->tx.undo.w = NULL;
    if (!tx_ready(s, m))
        return opt_step(m, e);
    int nr = trainable_ranges(m, s->off, s->len);
    tx_begin(&s->tx, m);
    tx_commit(&s->tx, m, nn_opt_step_to(&m->opt, s->tx.w, m->params, m->grads,
                                        s->tx.state, s->off, s->len, nr));
    m->steps++;
    return NN_OK;
}

/* Backward and plain SGD in one pass (nn_model_backward_sgd), when the
 * step's gradients are not wanted: in place, or, with the transaction,
 * into the alternate buffer holding a copy of the weights (the copy is
 * what the undo costs).  m->grads keep the last step that wrote them. */
static void fold_step(nn_stepper *s, nn_model *m)
{
    float lr = (float)m->opt.cfg.learning_rate;
    s->tx.undo.w = NULL;
    if (!tx_ready(s, m)) {
        nn_model_backward_sgd(m, lr, m->params, s->fold_db);
    } else {
        tx_begin(&s->tx, m);
        nn_copy_floats(s->tx.w, m->params, m->nparams);
        nn_model_backward_sgd(m, lr, s->tx.w, s->fold_db);
        tx_commit(&s->tx, m, 0);     /* plain SGD has no state to swap */
    }
    m->opt.t++;
    m->steps++;
}

/* ---- one batch ---- */

int nn_step_batch(nn_model *m, nn_stepper *s, int fold, const float *x,
                  int d, const float *const *ys, const float *w, int rows,
                  double *loss, double *per, nn_err *e)
{
    if (nn_model_forward_data(m, x, d, rows, 1, e) != NN_OK)
        return -1;
    *loss = nn_model_loss(m, ys, w, per, 1);
    if (!isfinite(*loss))
        return 1;
    if (fold) {
        fold_step(s, m);
        return 0;
    }
    nn_model_backward(m);
    if ((s ? tx_step(s, m, e) : opt_step(m, e)) != NN_OK)
        return -1;
    m->grads_step = m->steps;       /* the step these gradients made */
    return 0;
}

int nn_step_finalize(nn_model *m, nn_err *e)
{
    size_t off_s[64], len_s[64], *off = off_s, *len = len_s;
    if (!m->opt.ema || m->opt.n != m->nparams)
        return NN_OK;
    if (2 * m->n > 64) {
        off = nn_calloc(4 * (size_t)m->n, sizeof *off, e);
        if (!off)
            return NN_FAIL;
        len = off + 2 * (size_t)m->n;
    }
    nn_opt_finalize(&m->opt, m->params, off, len, trainable_ranges(m, off, len));
    if (off != off_s)
        free(off);
    return NN_OK;
}

int nn_train_batch(nn_model *m, const float *x, int d, const float *y,
                   const float *w, int rows, double *loss, nn_err *e)
{
    const float *ys[NN_MAXOUT];
    for (int k = 0; k < NN_MAXOUT; k++)
        ys[k] = y;               /* every output, the same */
    return nn_train_batch_ys(m, x, d, ys, w, rows, loss, e);
}

int nn_train_batch_ys(nn_model *m, const float *x, int d,
                      const float *const *ys, const float *w, int rows,
                      double *loss, nn_err *e)
{
    if (nn_step_ready(m, e) != NN_OK)
        return NN_FAIL;
    if (nn_model_check_columns(m, d, e) != NN_OK)
        return NN_FAIL;
    double per[NN_MAXOUT];
    int r = nn_step_batch(m, NULL, 0, x, d, ys, w, rows, loss, per, e);
    if (r < 0)
        return NN_FAIL;
    if (r > 0)
        return nn_fail(e, "the loss is %g: nothing was updated; try a lower "
                          "learning_rate", *loss);
    return NN_OK;
}
