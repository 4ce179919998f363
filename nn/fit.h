/* fit.h - training, evaluation, and the hooks the shell hangs progress
 * bars and callbacks on (Keras Model.fit / evaluate / train_on_batch).
 *
 * fit (Keras semantics, REFERENCE.md):
 *   batch_size 32, epochs 1, shuffle 1, validation_split 0.
 *   validation_split takes the LAST fraction of the samples, before any
 *   shuffling: split_at = floor(n * (1 - validation_split)).
 *   Sample weight = class_weight[label] * sample_weight[i] (Keras 2
 *   multiplies the two; the chapter notes the product).
 *   Logs during an epoch are running means over the batches so far
 *   (each batch's loss weighted by its size); at the epoch end the
 *   validation loss and metrics are added as "val_*".
 *   A non-finite loss stops training before that batch's update is
 *   applied, so the weights stay those of the last good batch
 *   (TerminateOnNaN, stricter than Keras: it never applies a NaN step). */
#ifndef NN_FIT_H
#define NN_FIT_H

#include <signal.h>
#include "model.h"
#include "history.h"

typedef struct nn_fit_hooks {
    void *ctx;
    /* Each returns 0 to go on, non-zero to stop training (after the
     * current batch for batch hooks).  Any may be NULL.  epoch is 0-based
     * within this fit plus initial_epoch; the learning rate may be changed
     * in m->opt.cfg.learning_rate by the begin hooks. */
    int (*epoch_begin)(void *ctx, nn_model *m, int epoch);
    int (*batch_begin)(void *ctx, nn_model *m, int epoch, int batch);
    int (*batch_end)(void *ctx, nn_model *m, int epoch, int batch,
                     int nbatches, const nn_logs *logs);
    int (*epoch_end)(void *ctx, nn_model *m, int epoch, const nn_logs *logs);
    /* Whether the coming step (m->steps + 1) must leave its gradients in
     * m->grads; NULL: every step does.  A step nothing reads may fold
     * plain SGD into backward (nn_model_backward_sgd: faster, one pass
     * less over the weights); the last batch of every epoch always keeps
     * them, so they are the last batch's after fit. */
    int (*keep_grads)(void *ctx, const nn_model *m);
} nn_fit_hooks;

typedef struct nn_fit_opts {
    int epochs;                 /* default 1 */
    int initial_epoch;          /* default m->epochs_done */
    int batch_size;             /* default 32 */
    int shuffle;                /* default 1 */
    double validation_split;    /* default 0, in [0, 1) */
    const nn_dataset *validation_data;   /* wins over validation_split */
    const float *class_weight;  /* (nclasses) or NULL */
    int nclass_weight;
    const float *sample_weight; /* (n) or NULL; validation_split's rows
                                   weigh the validation too (Keras) */
    const float *validation_weight;  /* (validation_data's n) or NULL */
    int terminate_on_nan;       /* default 1 */
    const volatile sig_atomic_t *interrupt;  /* Ctrl-C flag, or NULL */
    nn_fit_hooks hooks;
} nn_fit_opts;

void nn_fit_defaults(nn_fit_opts *o);

/* Why fit stopped. */
typedef enum nn_stop {
    NN_STOP_DONE,        /* all epochs */
    NN_STOP_HOOK,        /* a hook asked (early stopping, ...) */
    NN_STOP_INTERRUPT,   /* the interrupt flag */
    NN_STOP_NAN          /* a non-finite loss */
} nn_stop;

typedef struct nn_fit_result {
    nn_stop stop;
    int epochs_run;      /* complete epochs */
    int nan_epoch, nan_batch;   /* where the loss went non-finite (1-based) */
} nn_fit_result;

/* Trains m (compiled) on train, appending each epoch to h (may be NULL).
 * Checks the data against the model (features, labels and loss) before
 * touching anything.  r drives shuffling. */
int nn_fit(nn_model *m, const nn_dataset *train, const nn_fit_opts *o,
           nn_history *h, nn_rng *r, nn_fit_result *res, nn_err *e);

/* Checks that ds fits m's input and its loss (labels in range for sparse
 * cross-entropy, targets columns for the others). */
int nn_check_data(const nn_model *m, const nn_dataset *ds, nn_err *e);

/* One optimizer step on rows samples given as (rows, d) and (rows, ycols)
 * (Keras train_on_batch), x (rows, d) fed to the inputs as
 * nn_model_forward_data does; writes the batch loss.  Fails on non-finite
 * loss without updating. */
int nn_train_batch(nn_model *m, const float *x, int d, const float *y,
                   const float *w, int rows, double *loss, nn_err *e);
/* The same with each output's own targets ys[k] (rows, its columns:
 * nn_outmap_batch); nn_train_batch gives every output y. */
int nn_train_batch_ys(nn_model *m, const float *x, int d,
                      const float *const *ys, const float *w, int rows,
                      double *loss, nn_err *e);

/* Loss and metrics on ds in batches (Keras evaluate): logs get "loss" and
 * the metric names. */
int nn_evaluate(nn_model *m, const nn_dataset *ds, int batch_size,
                nn_logs *logs, nn_err *e);
/* The same with per-sample weights w (ds->n) or NULL (Keras's
 * evaluate(sample_weight=w)): loss and metrics weighted. */
int nn_evaluate_weighted(nn_model *m, const nn_dataset *ds, int batch_size,
                         const float *w, nn_logs *logs, nn_err *e);

/* nn_model_predict on rows [from, from+count) of ds, whatever its storage
 * (a byte set decoded 256 rows at a time): out (count, output units). */
int nn_predict_set(nn_model *m, const nn_dataset *ds, int from, int count,
                   float *out, nn_err *e);

/* Names of the metrics after resolution, as the logs show them:
 * "accuracy" stays "accuracy" when the user said so (Keras 3). */
const char *nn_metric_key(nn_metric_kind k);

#endif
