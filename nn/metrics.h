/* metrics.h - Keras's metrics, as running means over an epoch.
 *
 * "accuracy" is resolved from the loss as Keras's compile() does:
 * binary_crossentropy -> binary_accuracy (p > 0.5, or logit > 0 when
 * from_logits), categorical_crossentropy -> categorical_accuracy (argmax
 * equal), sparse_categorical_crossentropy -> sparse_categorical_accuracy
 * (argmax equals the integer label); regression losses -> error.
 * mse, mae: mean over columns per sample.  rmse: sqrt(sum sq err / count)
 * over everything seen so far (Keras RootMeanSquaredError). */
#ifndef NN_METRICS_H
#define NN_METRICS_H

#include "loss.h"

typedef enum nn_metric_kind {
    NN_MET_ACCURACY,            /* resolved into one of the three below */
    NN_MET_BINARY_ACCURACY,
    NN_MET_CATEGORICAL_ACCURACY,
    NN_MET_SPARSE_CATEGORICAL_ACCURACY,
    NN_MET_MSE,
    NN_MET_MAE,
    NN_MET_RMSE,
    NN_MET_COUNT
} nn_metric_kind;

/* "accuracy", "binary_accuracy", "categorical_accuracy",
 * "sparse_categorical_accuracy", "mse", "mae", "rmse"; NULL-terminated. */
extern const char *const nn_metric_names[];
int nn_metric_parse(const char *name, nn_metric_kind *out);

/* Resolves NN_MET_ACCURACY for the loss; returns 0, or -1 when accuracy
 * means nothing for that loss (regression).  Other kinds pass through. */
int nn_metric_resolve(nn_metric_kind k, const nn_loss *L, nn_metric_kind *out);

/* Running state: value = sum / count (rmse: sqrt(sum / count)). */
typedef struct nn_metric_acc {
    double sum;
    double count;
} nn_metric_acc;

/* Adds a batch: out (rows, cols), y as for the loss, w (rows) or NULL.
 * Weighted as Keras does: sum += w_i m_i, count += w_i. */
void nn_metric_update(nn_metric_kind k, const nn_loss *L, nn_metric_acc *acc,
                      const float *out, const float *y, const float *w,
                      int rows, int cols);
double nn_metric_value(nn_metric_kind k, const nn_metric_acc *acc);

#endif
