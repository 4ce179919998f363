/* lrfind.h - the learning-rate range test (Smith 2015; Geron ch. 10 and
 * 11; fastai's lr_find), run on a copy of the model so the model itself,
 * its optimizer state and the caller's random generator never change.
 *
 * Batch i of n (i = 0 .. steps-1) trains the copy with
 *     lr_i = start * (end / start)^(i / (steps - 1))
 * i.e. the rate grows by the constant factor (end/start)^(1/(steps-1))
 * per batch (Geron: exp(ln(1e6) / 500) from 1e-5 to 10 over 500).  The
 * batches are drawn as fit draws them (shuffled passes over the data).
 * Each batch's loss (before its update) is recorded with its smoothed
 * value (fastai: avg = beta avg + (1 - beta) loss, smooth = avg / (1 -
 * beta^(i+1)), beta 0.98).  The sweep stops early when
 *   - the loss is NaN or infinite (that batch is not recorded), or
 *   - the smoothed loss passes `diverge` (4) times its lowest value so far,
 *     checked once the first tenth of the steps (at most 10) have run, or
 *   - the interrupt flag is set.
 *
 * Suggestion ("minimum", fastai's rule, Geron's "about 10x below where
 * the loss starts to climb"): the rate at the lowest smoothed loss,
 * divided by 10.  The first tenth of the planned steps is left out of the
 * search, so an early spike or a lucky first batch cannot win; non-finite
 * values are never recorded, so a NaN cannot either. */
#ifndef NN_LRFIND_H
#define NN_LRFIND_H

#include <signal.h>
#include "model.h"
#include "dataset.h"
#include "rng.h"

typedef struct nn_lrfind_opts {
    double start_lr, end_lr;   /* 1e-5, 10 (0 < start < end) */
    int steps;                 /* 500 (>= 2) */
    int batch_size;            /* 32 */
    double beta;               /* 0.98 */
    double diverge;            /* 4; 0 never stops on divergence */
    const volatile sig_atomic_t *interrupt;
} nn_lrfind_opts;

void nn_lrfind_defaults(nn_lrfind_opts *o);

typedef enum nn_lrfind_stop {
    NN_LRF_DONE,               /* all steps ran */
    NN_LRF_DIVERGED,           /* smoothed loss > diverge x its minimum */
    NN_LRF_NAN,                /* a non-finite loss */
    NN_LRF_INTERRUPT           /* the interrupt flag */
} nn_lrfind_stop;

typedef struct nn_lrfind_result {
    int n;                     /* batches recorded */
    double *lr, *loss, *smooth;   /* (n) each, malloc'd */
    nn_lrfind_stop stop;
    double stop_lr;            /* rate of the batch that stopped it */
    double factor;             /* per-batch factor */
    int min_index;             /* lowest smoothed loss searched, or -1 */
    double suggestion;         /* lr[min_index] / 10, or 0 when none */
} nn_lrfind_result;

/* Runs the test on a copy of m (compiled) over train.  r is copied, not
 * advanced.  NN_OK with res filled (free with nn_lrfind_result_free), or
 * NN_FAIL with e filled and res empty. */
int nn_lrfind(const nn_model *m, const nn_dataset *train,
              const nn_lrfind_opts *o, const nn_rng *r,
              nn_lrfind_result *res, nn_err *e);
void nn_lrfind_result_free(nn_lrfind_result *res);

/* The "minimum" suggestion over recorded rates and smoothed losses, the
 * first `skip` points left out (all searched when fewer remain): writes
 * the index of the lowest finite smoothed loss (or -1) and returns its
 * rate / 10 (or 0). */
double nn_lrfind_suggest(const double *lr, const double *smooth, int n,
                         int skip, int *index);

#endif
