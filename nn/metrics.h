/* metrics.h - Keras's metrics, stateful over an epoch as Keras's are:
 * running means of per-sample values, or (precision, recall, auc,
 * f1_score, r2_score) totals the value is computed from at the end.
 *
 * "accuracy" is resolved from the loss as Keras's compile() does:
 * binary_crossentropy -> binary_accuracy (p > 0.5, or logit > 0 when
 * from_logits), categorical_crossentropy -> categorical_accuracy (argmax
 * equal), sparse_categorical_crossentropy -> sparse_categorical_accuracy
 * (argmax equals the integer label); regression losses -> error.
 * mse, mae: mean over columns per sample.  rmse: sqrt(sum sq err / count)
 * over everything seen so far (Keras RootMeanSquaredError).
 * The metrics after rmse (metrics.c gives each formula and source):
 * precision, recall (threshold 0.5, 0 on logits), auc (ROC, 200
 * thresholds), f1_score (Keras's F1Score(average="macro"), threshold 0.5
 * for binary_crossentropy, argmax otherwise), top_k_categorical_accuracy,
 * sparse_top_k_categorical_accuracy (k = 5), r2_score, mape, msle,
 * cosine_similarity, and the cross-entropy losses as metrics.  Integer
 * labels (sparse_categorical_crossentropy) count as one-hot rows. */
#ifndef NN_METRICS_H
#define NN_METRICS_H

#include "nn.h"
#include "loss.h"

typedef enum nn_metric_kind {
    NN_MET_ACCURACY,            /* resolved into one of the three below */
    NN_MET_BINARY_ACCURACY,
    NN_MET_CATEGORICAL_ACCURACY,
    NN_MET_SPARSE_CATEGORICAL_ACCURACY,
    NN_MET_MSE,
    NN_MET_MAE,
    NN_MET_RMSE,
    NN_MET_PRECISION,
    NN_MET_RECALL,
    NN_MET_AUC,
    NN_MET_F1_SCORE,
    NN_MET_TOP_K,
    NN_MET_SPARSE_TOP_K,
    NN_MET_R2_SCORE,
    NN_MET_MAPE,
    NN_MET_MSLE,
    NN_MET_COSINE_SIMILARITY,
    NN_MET_BCE,                 /* the losses as metrics */
    NN_MET_CCE,
    NN_MET_SCCE,
    NN_MET_KLD,                 /* Keras 3's other losses as metrics */
    NN_MET_POISSON,
    NN_MET_LOGCOSH,
    NN_MET_HINGE,
    NN_MET_SQUARED_HINGE,
    NN_MET_CATEGORICAL_HINGE,
    NN_MET_COUNT
} nn_metric_kind;

/* "accuracy", "binary_accuracy", "categorical_accuracy",
 * "sparse_categorical_accuracy", "mse", "mae", "rmse", "precision", ...,
 * in enum order; NULL-terminated.  These are the keys in the logs. */
extern const char *const nn_metric_names[];
int nn_metric_parse(const char *name, nn_metric_kind *out);

/* Resolves NN_MET_ACCURACY for the loss; returns 0, or -1 when accuracy
 * means nothing for that loss (regression).  Other kinds pass through. */
int nn_metric_resolve(nn_metric_kind k, const nn_loss *L, nn_metric_kind *out);
/* Whether metric k (resolved) can read the targets of loss L: the sparse
 * metrics need integer labels (sparse_categorical_crossentropy).  NN_OK,
 * or NN_FAIL with e saying why. */
int nn_metric_check(nn_metric_kind k, const nn_loss *L, nn_err *e);
/* The loss a loss-as-metric computes (NN_MET_BCE -> NN_LOSS_BCE, ...):
 * 0, or -1 when k is not one. */
int nn_metric_loss(nn_metric_kind k, nn_loss_kind *out);

#define NN_AUC_THRESHOLDS 200    /* Keras's AUC(num_thresholds=200) */
#define NN_TOP_K 5               /* Keras's TopKCategoricalAccuracy(k=5) */

/* Running state: value = sum / count (rmse: sqrt(sum / count)); tp, fp,
 * fn for precision and recall; tab for auc (positive and negative weight
 * per bucket, 2 x NN_AUC_THRESHOLDS), f1_score (tp, fp, fn, support per
 * class) and r2_score (sum y, sum y^2, sum (y - p)^2, sum w per column),
 * ntab classes or columns.  A zeroed one is empty and needs no freeing
 * for the kinds without tab. */
typedef struct nn_metric_acc {
    double sum;
    double count;
    double tp, fp, fn;
    double *tab;
    int ntab;
    int top_k;         /* k of the top_k metrics (compile's top_k=; 0: NN_TOP_K) */
} nn_metric_acc;

/* An empty state for metric k (resolved) on an output of cols columns:
 * allocates tab when k needs one.  acc_free after. */
int nn_metric_acc_init(nn_metric_acc *acc, nn_metric_kind k, int cols, nn_err *e);
void nn_metric_acc_free(nn_metric_acc *acc);

/* Adds a batch: out (rows, cols), y as for the loss, w (rows) or NULL.
 * Weighted as Keras does: sum += w_i m_i, count += w_i. */
void nn_metric_update(nn_metric_kind k, const nn_loss *L, nn_metric_acc *acc,
                      const float *out, const float *y, const float *w,
                      int rows, int cols);
double nn_metric_value(nn_metric_kind k, const nn_metric_acc *acc);

#endif
