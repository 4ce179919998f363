/* schedule.c - learning-rate schedules, 1cycle, and the EarlyStopping and
 * ReduceLROnPlateau state machines (formulas in schedule.h). */
#include <math.h>
#include <string.h>
#include "schedule.h"

int nn_monitor_maximize(const char *monitor)
{
    /* Keras 3: metrics carry a direction (accuracies, precision, recall,
     * auc, f1_score, r2_score, cosine_similarity "up"); the losses and the
     * error metrics (mse, mae, rmse, mape, msle, the cross-entropies) go
     * down.  Decided by the key's
     * end, since a model of several outputs logs "<output>_loss" and
     * "<output>_<metric>" and an output's name may hold anything ("acc"
     * anywhere, as ReduceLROnPlateau looks, would maximize acc_head_loss). */
    size_t n = strlen(monitor);
    static const char *const up[] = {"accuracy", "acc", "precision", "recall", "auc",
                                     "f1_score", "r2_score", "cosine_similarity"};
    if (n >= 4 && strcmp(monitor + n - 4, "loss") == 0)
        return 0;
    for (int i = 0; i < (int)(sizeof up / sizeof up[0]); i++) {
        size_t l = strlen(up[i]);
        if (n >= l && strcmp(monitor + n - l, up[i]) == 0)
            return 1;
    }
    return 0;
}

/* ---- schedules ---- */

double nn_exp_decay(double lr0, double decay_rate, double decay_steps,
                    int staircase, long step)
{
    double p = (double)step / decay_steps;
    if (staircase)
        p = floor(p);
    return lr0 * pow(decay_rate, p);
}

double nn_piecewise_constant(const double *boundaries, const double *values,
                             int nb, long step)
{
    for (int i = 0; i < nb; i++)
        if ((double)step <= boundaries[i])
            return values[i];
    return values[nb];
}

void nn_onecycle_init(nn_onecycle *c, long iterations, double max_lr,
                      double start_lr, double last_lr, long last_iterations)
{
    memset(c, 0, sizeof *c);
    if (iterations < 1)
        iterations = 1;
    c->iterations = iterations;
    c->max_lr = max_lr;
    c->start_lr = start_lr > 0 ? start_lr : max_lr / 10;
    c->last_lr = last_lr > 0 ? last_lr : c->start_lr / 1000;
    c->last_iterations = last_iterations > 0 ? last_iterations : iterations / 10 + 1;
    if (c->last_iterations > iterations)
        c->last_iterations = iterations;
    c->half = (iterations - c->last_iterations) / 2;
    c->max_momentum = 0.95;
    c->min_momentum = 0.85;
}

/* Geron's _interpolate: (v2 - v1) * (it - i1) / (i2 - i1) + v1 */
static double interp(long it, long i1, long i2, double v1, double v2)
{
    return (v2 - v1) * (double)(it - i1) / (double)(i2 - i1) + v1;
}

double nn_onecycle_lr(const nn_onecycle *c, long it)
{
    if (it < 0)
        it = 0;
    if (it >= c->iterations)
        return c->last_lr;
    if (it < c->half)
        return interp(it, 0, c->half, c->start_lr, c->max_lr);
    if (it < 2 * c->half)
        return interp(it, c->half, 2 * c->half, c->max_lr, c->start_lr);
    return interp(it, 2 * c->half, c->iterations, c->start_lr, c->last_lr);
}

double nn_onecycle_momentum(const nn_onecycle *c, long it)
{
    if (it < 0)
        it = 0;
    if (it < c->half)
        return interp(it, 0, c->half, c->max_momentum, c->min_momentum);
    if (it < 2 * c->half)
        return interp(it, c->half, 2 * c->half, c->min_momentum, c->max_momentum);
    return c->max_momentum;
}

/* ---- EarlyStopping (keras/src/callbacks/early_stopping.py) ---- */

static int es_better(const nn_earlystop *s, double value, double ref)
{
    /* monitor_op(value - min_delta, ref), min_delta negated for "min" */
    return s->c.maximize ? value - s->c.min_delta > ref
                         : value + s->c.min_delta < ref;
}

void nn_earlystop_begin(nn_earlystop *s, const nn_earlystop_cfg *c)
{
    memset(s, 0, sizeof *s);
    s->c = *c;
    s->c.min_delta = fabs(c->min_delta);
    s->best = c->maximize ? -INFINITY : INFINITY;
    s->best_epoch = -1;
    s->stopped_epoch = -1;
}

int nn_earlystop_epoch(nn_earlystop *s, int epoch, int have, double value)
{
    if (!have || epoch < s->c.start_from_epoch)
        return 0;              /* no value, or still warming up */
    int r = 0;
    if (s->c.restore_best_weights && !s->have_weights) {
        /* nothing taken yet: these weights are the best so far */
        s->have_weights = 1;
        s->best_epoch = epoch;
        r |= NN_ES_SAVE;
    }
    s->wait++;
    if (!isnan(value) && es_better(s, value, s->best)) {
        s->best = value;
        s->best_epoch = epoch;
        if (s->c.restore_best_weights)
            r |= NN_ES_SAVE;
        /* wait restarts only when the baseline is beaten too */
        if (!s->c.has_baseline || es_better(s, value, s->c.baseline))
            s->wait = 0;
        return r;
    }
    if (s->wait >= s->c.patience && epoch > 0) {
        s->stopped_epoch = epoch;
        r |= NN_ES_STOP;
    }
    return r;
}

/* ---- ReduceLROnPlateau (keras/src/callbacks/reduce_lr_on_plateau.py) ---- */

void nn_plateau_begin(nn_plateau *p, const nn_plateau_cfg *c)
{
    memset(p, 0, sizeof *p);
    p->c = *c;
    p->best = c->maximize ? -INFINITY : INFINITY;
}

double nn_plateau_epoch(nn_plateau *p, int have, double value, double lr,
                        int *reduced)
{
    *reduced = 0;
    if (!have)
        return lr;
    if (p->cooldown_counter > 0) {
        p->cooldown_counter--;
        p->wait = 0;
    }
    int better = p->c.maximize ? value > p->best + p->c.min_delta
                               : value < p->best - p->c.min_delta;
    if (better) {
        p->best = value;
        p->wait = 0;
    } else if (p->cooldown_counter == 0) {
        p->wait++;
        if (p->wait >= p->c.patience && lr > p->c.min_lr) {
            double nl = lr * p->c.factor;
            if (nl < p->c.min_lr)
                nl = p->c.min_lr;
            p->cooldown_counter = p->c.cooldown;
            p->wait = 0;
            *reduced = 1;
            return nl;
        }
    }
    return lr;
}
