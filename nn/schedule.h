/* schedule.h - learning-rate schedules and the state machines of the
 * callbacks that watch a metric (Keras 3, keras/src/callbacks and
 * keras/src/optimizers/schedules), as pure functions: each takes one
 * value at a time, so a test can feed a hand-made history.
 *
 *   ExponentialDecay  lr(step) = lr0 * rate^(step / decay_steps)
 *                     (staircase: the exponent floored)
 *   PiecewiseConstantDecay  values[0] while step <= b[0], values[i] while
 *                     b[i-1] < step <= b[i], values[n] after b[n-1]
 *   1cycle (Smith, arXiv:1803.09820; Geron's OneCycleScheduler), per batch
 *                     with it counted from 0 over `iterations` batches:
 *                     last = iterations // 10 + 1, half = (iterations - last) // 2
 *                     it <  half:      start_lr -> max_lr   (linear)
 *                     it <  2 half:    max_lr   -> start_lr
 *                     else:            start_lr -> last_lr  (at it = iterations)
 *                     start_lr = max_lr / 10, last_lr = start_lr / 1000 by
 *                     default; momentum moves the other way, max_m -> min_m
 *                     -> max_m, then stays at max_m.
 *   EarlyStopping     improvement: value - min_delta > best (max) or
 *                     value + min_delta < best (min); wait counts epochs
 *                     since the last one; stop when wait >= patience (not
 *                     on the first epoch of a fit).  A baseline must also be
 *                     beaten for wait to restart.
 *   ReduceLROnPlateau improvement: value < best - min_delta (min) or
 *                     value > best + min_delta (max); after `patience`
 *                     epochs without one, lr = max(lr * factor, min_lr) and
 *                     `cooldown` epochs pass before counting again. */
#ifndef NN_SCHEDULE_H
#define NN_SCHEDULE_H

/* 1 when higher is better for this monitored key under mode "auto"
 * (accuracies, with or without "val_"), 0 for losses and errors. */
int nn_monitor_maximize(const char *monitor);

/* ---- schedules ---- */
double nn_exp_decay(double lr0, double decay_rate, double decay_steps,
                    int staircase, long step);
/* boundaries has nb entries (increasing), values nb + 1. */
double nn_piecewise_constant(const double *boundaries, const double *values,
                             int nb, long step);

typedef struct nn_onecycle {
    long iterations;        /* batches in all */
    long last_iterations;   /* the final decay: iterations // 10 + 1 */
    long half;              /* (iterations - last_iterations) // 2 */
    double max_lr, start_lr, last_lr;
    double max_momentum, min_momentum;   /* 0.95, 0.85 */
} nn_onecycle;

/* Geron's defaults for arguments given as 0: start_lr = max_lr / 10,
 * last_lr = start_lr / 1000, last_iterations = iterations // 10 + 1.
 * iterations >= 1, max_lr > 0. */
void nn_onecycle_init(nn_onecycle *c, long iterations, double max_lr,
                      double start_lr, double last_lr, long last_iterations);
/* The rate and the momentum for batch it (0-based); past the end, last_lr. */
double nn_onecycle_lr(const nn_onecycle *c, long it);
double nn_onecycle_momentum(const nn_onecycle *c, long it);

/* ---- EarlyStopping ---- */
typedef struct nn_earlystop_cfg {
    double min_delta;          /* >= 0 (Keras takes its absolute value) */
    int patience;              /* >= 0 */
    int maximize;              /* 1: higher is better */
    int has_baseline;
    double baseline;
    int start_from_epoch;      /* epochs of the fit not watched */
    int restore_best_weights;
} nn_earlystop_cfg;

typedef struct nn_earlystop {
    nn_earlystop_cfg c;
    int wait;
    double best;               /* +-inf before the first value */
    int best_epoch;            /* epoch of the fit, or -1 */
    int stopped_epoch;         /* epoch of the fit that stopped it, or -1 */
    int have_weights;          /* a best epoch's weights were taken */
} nn_earlystop;

#define NN_ES_SAVE 1           /* take the current weights as the best */
#define NN_ES_STOP 2           /* stop training after this epoch */

/* At the start of each fit (Keras's on_train_begin). */
void nn_earlystop_begin(nn_earlystop *s, const nn_earlystop_cfg *c);
/* End of epoch `epoch` (0-based within the fit).  have = 0 when the
 * monitored key is not in the logs (nothing happens, as Keras).  A NaN
 * value never counts as an improvement.  Returns NN_ES_* bits. */
int nn_earlystop_epoch(nn_earlystop *s, int epoch, int have, double value);

/* ---- ReduceLROnPlateau ---- */
typedef struct nn_plateau_cfg {
    double factor;             /* in (0, 1) */
    double min_delta;          /* >= 0 */
    double min_lr;             /* >= 0 */
    int patience, cooldown;    /* >= 0 */
    int maximize;
} nn_plateau_cfg;

typedef struct nn_plateau {
    nn_plateau_cfg c;
    double best;
    int wait, cooldown_counter;
} nn_plateau;

void nn_plateau_begin(nn_plateau *p, const nn_plateau_cfg *c);
/* End of an epoch: returns the learning rate to use from now on (lr when
 * unchanged); *reduced is set to 1 when it was lowered, else 0. */
double nn_plateau_epoch(nn_plateau *p, int have, double value, double lr,
                        int *reduced);

#endif
