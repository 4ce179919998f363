/* coach_train.c - the coach's training checks, hung on fit's hooks: the
 * learning rate (the loss rising, or turning NaN; the loss hardly
 * moving), overfitting without early stopping, dead relu units and
 * vanishing gradients.  The hooks only record; repl_coach_fit_end prints
 * after the progress bar.  Nothing here writes a parameter, a gradient or
 * the generator: the one forward pass (dead units) writes the per-batch
 * buffers only, as `activations` does. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "callbacks.h"
#include "coach.h"

#define EMA_BETA 0.9         /* lrfind's smoothing */
#define RISE_FACTOR 4.0      /* smoothed loss over 4 x its lowest */
#define RISE_MIN_BATCHES 5
#define LOW_EPOCHS 10        /* the first 10 epochs of a model */
#define LOW_DROP 0.01        /* fell by less than 1% */
#define OVERFIT_EPOCHS 10    /* epochs since the lowest val_loss */
#define OVERFIT_RISE 1.1     /* val_loss 10% above its lowest */
#define LOW_RATE 0.1         /* the rate under 1/10 of the Keras default */
#define DEAD_ROWS 1000       /* samples the dead-unit pass looks at */
#define DEAD_MIN_UNITS 4
#define VANISH_RATIO 1e-3    /* first / last layer gradient norm */

void repl_coach_fit_begin(repl_session *s, repl_coach_fit *c, double vs,
                          int ntrain, int batch_size)
{
    memset(c, 0, sizeof *c);
    c->on = !s->coach.off;
    c->ntrain = ntrain;
    c->bs = batch_size;
    c->best = -1;
    c->data_blamed = repl_coach_fit_data(s, vs);
    repl_coach_fit_model(s);
}

/* logs' loss is the running mean over the epoch's rows so far (fit.h);
 * this batch's own loss is the difference of the sums. */
void repl_coach_batch(repl_coach_fit *c, int batch, const nn_logs *logs)
{
    if (!c->on || c->lr_high)
        return;
    double mean = nn_logs_get(logs, "loss");
    long rows = (long)(batch + 1) * c->bs, prev = (long)batch * c->bs;
    if (rows > c->ntrain)
        rows = c->ntrain;
    if (batch == 0)
        c->prev_sum = 0;
    if (!isfinite(mean) || rows <= prev)
        return;
    double sum = mean * (double)rows, l = (sum - c->prev_sum) / (double)(rows - prev);
    c->prev_sum = sum;
    c->nseen++;
    c->ema = EMA_BETA * c->ema + (1 - EMA_BETA) * l;
    double sm = c->ema / (1 - pow(EMA_BETA, c->nseen));   /* bias-corrected */
    if (c->nseen == 1)
        c->ema_first = c->ema_min = sm;
    if (sm < c->ema_min)
        c->ema_min = sm;
    if (c->nseen >= RISE_MIN_BATCHES && c->ema_min > 0 &&
        sm > RISE_FACTOR * c->ema_min && sm > c->ema_first) {
        c->lr_high = 1;
        c->lr_from = c->ema_min;
        c->lr_to = sm;
    }
}

static int has_earlystopping(const repl_session *s)
{
    const cb_list *l = s->callbacks;
    for (int i = 0; l && i < l->n; i++)
        if (l->items[i] && l->items[i]->kind == CB_EARLYSTOP)
            return 1;
    return 0;
}

/* The lowest val_loss of the history so far (its row in c->best), from
 * row c->scanned on: each epoch looks at its own row only. */
static void track_best(const nn_history *h, int kv, repl_coach_fit *c)
{
    for (; c->scanned < h->nepochs; c->scanned++) {
        double v = nn_history_at(h, c->scanned, kv);
        if (isfinite(v) && (c->best < 0 || v < nn_history_at(h, c->best, kv)))
            c->best = c->scanned;
    }
}

/* At each epoch's end (the history has it): the lowest val_loss is
 * OVERFIT_EPOCHS epochs back or more, val_loss is now over OVERFIT_RISE
 * times it, and loss has gone on falling since (below its value then). */
void repl_coach_epoch(repl_session *s, repl_coach_fit *c)
{
    const nn_history *h = &s->hist;
    if (!c->on || c->overfit || !repl_warn_due(s, REPL_W_OVERFITTING))
        return;
    int kl = nn_history_key(h, "loss"), kv = nn_history_key(h, "val_loss");
    if (kl < 0 || kv < 0)
        return;
    track_best(h, kv, c);
    int best = c->best, last = h->nepochs - 1;
    if (best < 0 || last - best < OVERFIT_EPOCHS || has_earlystopping(s))
        return;
    double vb = nn_history_at(h, best, kv), vl = nn_history_at(h, last, kv);
    double lb = nn_history_at(h, best, kl), ll = nn_history_at(h, last, kl);
    if (vb > 0 && vl > OVERFIT_RISE * vb && ll < lb) {
        c->overfit = h->epoch[last];
        c->best_epoch = h->epoch[best];
        c->best_val = vb;
        c->last_val = vl;
    }
}

static int is_output(const nn_model *m, int i)
{
    int outs[NN_MAXOUT], n = nn_model_outputs(m, outs);
    for (int k = 0; k < n; k++)
        if (outs[k] == i)
            return 1;
    return 0;
}

/* The relu layers the dead-unit pass looks at: hidden, DEAD_MIN_UNITS
 * units or more. */
static int watched_relu(const nn_model *m, int i)
{
    const nn_node *nd = &m->nodes[i];
    return (nd->kind == NN_NODE_DENSE || nd->kind == NN_NODE_ACTIVATION) &&
           nd->act == NN_ACT_RELU && nd->size >= DEAD_MIN_UNITS && !is_output(m, i);
}

/* Relu layers where over half the units have z <= 0 on each of the first
 * DEAD_ROWS training samples, seen in inference passes of the rows the
 * model's batch buffers already hold (so they do not grow); 1 when it
 * warned. */
static int check_dead_relu(repl_session *s)
{
    nn_model *m = s->model;
    const nn_dataset *ds = &s->train;
    int rows = ds->n < DEAD_ROWS ? ds->n : DEAD_ROWS;
    size_t total = 0;
    for (int i = 0; i < m->n; i++)
        if (watched_relu(m, i))
            total += (size_t)m->nodes[i].size;
    if (total == 0 || rows <= 0 || !repl_warn_due(s, REPL_W_DEAD_RELU))
        return 0;
    unsigned char *alive = calloc(total, 1);   /* per unit of each layer */
    if (!alive)
        return 0;
    int chunk = m->batch_cap > 0 ? m->batch_cap : 32;
    nn_err e = {{0}};
    /* a byte set (images) is decoded a chunk at a time (nn_dataset_rows) */
    float *buf = ds->x ? NULL : malloc((size_t)chunk * (size_t)ds->d * sizeof *buf);
    if (!ds->x && !buf) {
        free(alive);
        return 0;
    }
    for (int r0 = 0; r0 < rows; r0 += chunk) {
        int nr = rows - r0 < chunk ? rows - r0 : chunk;
        const float *x = nn_dataset_rows(ds, r0, nr, buf);
        if (nn_model_forward_data(m, x, ds->d, nr, 0, &e) != NN_OK) {
            free(alive);
            free(buf);
            return 0;
        }
        size_t at = 0;
        for (int i = 0; i < m->n; i++) {
            if (!watched_relu(m, i))
                continue;
            const nn_node *nd = &m->nodes[i];
            /* the pre-activation: Dense keeps z; an Activation layer's
             * input is its z */
            const float *z = nd->kind == NN_NODE_DENSE ? nd->z : m->nodes[nd->in[0]].a;
            int units = nd->size;
            for (int r = 0; r < nr; r++)
                for (int j = 0; j < units; j++)
                    alive[at + j] |= z[(size_t)r * units + j] > 0;
            at += (size_t)units;
        }
    }
    free(buf);
    size_t at = 0;
    int warned = 0;
    for (int i = 0; i < m->n && !warned; i++) {
        if (!watched_relu(m, i))
            continue;
        const nn_node *nd = &m->nodes[i];
        int units = nd->size, dead = 0;
        for (int j = 0; j < units; j++)
            dead += !alive[at + j];
        at += (size_t)units;
        if (2 * dead > units) {
            repl_warn(s, REPL_W_DEAD_RELU, "fit",
                      "%d of the %d relu units of layer '%s' output 0 for each "
                      "of the first %d training samples: they are dead (no "
                      "gradient reaches them); try a lower learning_rate, "
                      "kernel_initializer=he_normal or activation=leaky_relu "
                      "(see activations %s)", dead, units, nd->name, rows,
                      nd->name);
            warned = 1;
        }
    }
    free(alive);
    return warned;
}

/* L2 norm of the gradients of node i's kernel and bias (the last step
 * that kept them), as `grads` shows it. */
static double grad_norm(const nn_model *m, int i)
{
    const nn_node *nd = &m->nodes[i];
    double ss = 0;
    size_t nw = (size_t)nd->fan_in * nd->size;
    for (size_t j = 0; j < nw; j++)
        ss += (double)m->grads[nd->w_off + j] * m->grads[nd->w_off + j];
    if (nd->dense.use_bias)
        for (int j = 0; j < nd->size; j++)
            ss += (double)m->grads[nd->b_off + j] * m->grads[nd->b_off + j];
    return sqrt(ss);
}

static void check_vanishing(repl_session *s)
{
    const nn_model *m = s->model;
    if (!m->grads || m->grads_step == 0 || m->grads_step != m->steps ||
        !repl_warn_due(s, REPL_W_VANISHING_GRADIENTS))
        return;
    int first = -1, last = -1;
    for (int i = 0; i < m->n; i++)
        if (m->nodes[i].kind == NN_NODE_DENSE && m->nodes[i].shared == i &&
            m->nodes[i].dense.trainable && nn_node_params(m, i) > 0) {
            if (first < 0)
                first = i;
            last = i;
        }
    if (first < 0 || first == last)
        return;
    double g0 = grad_norm(m, first), g1 = grad_norm(m, last);
    if (isfinite(g0) && isfinite(g1) && g1 > 0 && g0 < VANISH_RATIO * g1)
        repl_warn(s, REPL_W_VANISHING_GRADIENTS, "fit",
                  "the first layer's gradient ('%s', %.3g) is under 1/1000 of "
                  "the last's ('%s', %.3g): vanishing gradients, the first "
                  "layers hardly learn; use relu with "
                  "kernel_initializer=he_normal, or fewer layers (see plot "
                  "grads)", m->nodes[first].name, g0, m->nodes[last].name, g1);
}

/* The model's first LOW_EPOCHS epochs moved the loss by under LOW_DROP. */
static void check_lr_low(repl_session *s)
{
    const nn_history *h = &s->hist;
    int kl = nn_history_key(h, "loss");
    if (kl < 0 || h->nepochs < LOW_EPOCHS || h->epoch[0] != 1 ||
        !repl_warn_due(s, REPL_W_LEARNING_RATE_LOW))
        return;
    double l0 = nn_history_at(h, 0, kl), l1 = nn_history_at(h, LOW_EPOCHS - 1, kl);
    nn_opt_cfg def;
    nn_opt_defaults(&def, s->model->opt.cfg.kind);
    double lr = s->model->opt.cfg.learning_rate;
    if (isfinite(l0) && isfinite(l1) && l0 > 1e-6 && l0 - l1 < LOW_DROP * l0 &&
        lr < LOW_RATE * def.learning_rate)
        repl_warn(s, REPL_W_LEARNING_RATE_LOW, "fit",
                  "in its first %d epochs the loss went from %.4g to %.4g, "
                  "under 1%% lower, and the learning rate (%g) is under 1/10 "
                  "of Keras's default (%g): it is likely far too low; lrfind "
                  "shows the useful range", LOW_EPOCHS, l0, l1, lr,
                  def.learning_rate);
}

void repl_coach_fit_end(repl_session *s, repl_coach_fit *c,
                        const nn_fit_result *res)
{
    if (!c->on || !res || !s->model) {
        repl_coach_after_fit(s, res, 1);
        return;
    }
    int given = s->coach.ngiven;
    char b[8];
    if (res->stop == NN_STOP_NAN && !repl_coach_nan_cause(s, b, sizeof b))
        repl_warn(s, REPL_W_LEARNING_RATE_HIGH, "fit",
                  "the loss turned NaN or infinite in epoch %d: the learning "
                  "rate (now %g) is likely too high; try a lower one, or "
                  "lrfind to see the useful range", res->nan_epoch,
                  s->model->opt.cfg.learning_rate);
    else if (c->lr_high)
        repl_warn(s, REPL_W_LEARNING_RATE_HIGH, "fit",
                  "the loss rose from %.3g to %.3g over the batches (smoothed): "
                  "the learning rate (now %g) is too high; try a lower one, or "
                  "lrfind to see the useful range", c->lr_from, c->lr_to,
                  s->model->opt.cfg.learning_rate);
    else if (res->stop != NN_STOP_NAN)
        check_lr_low(s);
    if (c->overfit)
        repl_warn(s, REPL_W_OVERFITTING, "fit",
                  "val_loss was lowest in epoch %d (%.4g) and is %.4g in epoch "
                  "%d, while loss went on falling: the model is overfitting; "
                  "stop at the best epoch with callback earlystopping "
                  "patience=10 restore_best_weights=true", c->best_epoch,
                  c->best_val, c->last_val, c->overfit);
    /* a loss that went NaN with terminate_on_nan off leaves NaN weights:
     * their units and gradients say nothing */
    const nn_history *h = &s->hist;
    int kl = nn_history_key(h, "loss");
    int finite = kl >= 0 && h->nepochs > 0 &&
                 isfinite(nn_history_at(h, h->nepochs - 1, kl));
    if (res->stop != NN_STOP_NAN && finite && !c->data_blamed) {
        /* dead units pass no gradient: that, not saturation, is the cause */
        if (!check_dead_relu(s))
            check_vanishing(s);
    }
    /* a cause named in this fit explains an accuracy stuck at the majority */
    repl_coach_after_fit(s, res, c->data_blamed || s->coach.ngiven > given);
}
