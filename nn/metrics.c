/* metrics.c - Keras's metrics as weighted running means.
 *
 * Each metric gives a per-sample value m_i (keras/src/metrics/
 * accuracy_metrics.py, regression_metrics.py), then Keras's Mean:
 *   sum += w_i m_i,  count += w_i,  value = sum / count (0 when count = 0)
 * RootMeanSquaredError is the same mean of the per-sample squared error,
 * with value sqrt(sum / count): the root of the total, never a mean of
 * per-batch roots.
 *   binary_accuracy      m_i = mean_j [ (p_ij > 0.5) == y_ij ]
 *                        (threshold 0 on logits when from_logits)
 *   categorical_accuracy m_i = [ argmax_j p_ij == argmax_j y_ij ]
 *   sparse_categorical   m_i = [ argmax_j p_ij == y_i ]
 *   mse, rmse            m_i = mean_j (p_ij - y_ij)^2
 *   mae                  m_i = mean_j |p_ij - y_ij|
 * argmax takes the first of equal maxima, as tf.argmax does.
 * The means after rmse (keras/src/metrics/, eps = 1e-7):
 *   top_k_categorical_accuracy, sparse_top_k_categorical_accuracy
 *                        m_i = [ #{j: p_ij > p_i,c} < k ], c the label
 *                        (tf.math.in_top_k: ties at the k-th place count)
 *   mape                 m_i = 100 mean_j |y - p| / max(|y|, eps)
 *   msle                 m_i = mean_j (ln(max(p, eps) + 1) - ln(max(y, eps) + 1))^2
 *   cosine_similarity    m_i = sum_j y_j p_j / (max(||y||, eps) max(||p||, eps))
 *   binary_crossentropy, categorical_crossentropy,
 *   sparse_categorical_crossentropy   m_i = the loss's l_i (loss.c), with
 *                        the compiled loss's from_logits
 *   kl_divergence, poisson, logcosh, hinge, squared_hinge,
 *   categorical_hinge    m_i = that loss's l_i (loss_more.c; Keras's
 *                        metrics.KLDivergence, Poisson, LogCoshError,
 *                        Hinge, SquaredHinge, CategoricalHinge)
 * The totals (metrics_conf.c): precision, recall, auc, f1_score,
 * r2_score. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "nn.h"
#include "metrics.h"
#include "metrics_conf.h"

const char *const nn_metric_names[] = {
    "accuracy", "binary_accuracy", "categorical_accuracy",
    "sparse_categorical_accuracy", "mse", "mae", "rmse",
    "precision", "recall", "auc", "f1_score", "top_k_categorical_accuracy",
    "sparse_top_k_categorical_accuracy", "r2_score", "mape", "msle",
    "cosine_similarity", "binary_crossentropy", "categorical_crossentropy",
    "sparse_categorical_crossentropy", "kl_divergence", "poisson", "logcosh",
    "hinge", "squared_hinge", "categorical_hinge", NULL
};
_Static_assert(sizeof nn_metric_names / sizeof *nn_metric_names == NN_MET_COUNT + 1,
               "a name per metric");

int nn_metric_parse(const char *name, nn_metric_kind *out)
{
    static const nn_alias aliases[] = {
        { "acc", NN_MET_ACCURACY },
        { "mean_squared_error", NN_MET_MSE },
        { "mean_absolute_error", NN_MET_MAE },
        { "root_mean_squared_error", NN_MET_RMSE },
        { "mean_absolute_percentage_error", NN_MET_MAPE },
        { "mean_squared_logarithmic_error", NN_MET_MSLE },
        { "AUC", NN_MET_AUC },
    };
    int i = nn_lookup_alias(nn_metric_names, aliases, sizeof aliases / sizeof aliases[0],
                            name);
    if (i < 0)
        return -1;
    *out = (nn_metric_kind)i;
    return 0;
}

int nn_metric_resolve(nn_metric_kind k, const nn_loss *L, nn_metric_kind *out)
{
    if (k != NN_MET_ACCURACY) {
        *out = k;
        return 0;
    }
    if (!L)
        return -1;
    switch (L->kind) {
    case NN_LOSS_BCE:  *out = NN_MET_BINARY_ACCURACY; return 0;
    case NN_LOSS_CCE:  *out = NN_MET_CATEGORICAL_ACCURACY; return 0;
    case NN_LOSS_SCCE: *out = NN_MET_SPARSE_CATEGORICAL_ACCURACY; return 0;
    case NN_LOSS_BINARY_FOCAL:      *out = NN_MET_BINARY_ACCURACY; return 0;
    case NN_LOSS_CATEGORICAL_FOCAL: *out = NN_MET_CATEGORICAL_ACCURACY; return 0;
    default:           return -1;   /* accuracy of a regression: nothing */
    }
}

/* The losses that are metrics too (Keras's metrics.BinaryCrossentropy,
 * ...): m_i is the loss's l_i.  A loss added to loss.c becomes a metric
 * with a row here, its name in nn_metric_names and its kind in the enum
 * (and keras_names.c's class name for from_logits). */
static const struct { nn_metric_kind m; nn_loss_kind l; } loss_metrics[] = {
    { NN_MET_BCE, NN_LOSS_BCE },
    { NN_MET_CCE, NN_LOSS_CCE },
    { NN_MET_SCCE, NN_LOSS_SCCE },
    { NN_MET_KLD, NN_LOSS_KLD },
    { NN_MET_POISSON, NN_LOSS_POISSON },
    { NN_MET_LOGCOSH, NN_LOSS_LOG_COSH },
    { NN_MET_HINGE, NN_LOSS_HINGE },
    { NN_MET_SQUARED_HINGE, NN_LOSS_SQUARED_HINGE },
    { NN_MET_CATEGORICAL_HINGE, NN_LOSS_CATEGORICAL_HINGE },
};

int nn_metric_loss(nn_metric_kind k, nn_loss_kind *out)
{
    for (size_t i = 0; i < sizeof loss_metrics / sizeof loss_metrics[0]; i++)
        if (loss_metrics[i].m == k) {
            *out = loss_metrics[i].l;
            return 0;
        }
    return -1;
}

int nn_metric_check(nn_metric_kind k, const nn_loss *L, nn_err *e)
{
    int sparse = L && L->kind == NN_LOSS_SCCE;
    if ((k == NN_MET_SPARSE_TOP_K || k == NN_MET_SCCE ||
         k == NN_MET_SPARSE_CATEGORICAL_ACCURACY) && !sparse)
        return nn_fail(e, "metric %s needs integer labels (loss="
                          "sparse_categorical_crossentropy); with one-hot "
                          "labels use %s", nn_metric_names[k],
                       k == NN_MET_SPARSE_TOP_K ? "top_k_categorical_accuracy" :
                       k == NN_MET_SCCE ? "categorical_crossentropy" :
                       "categorical_accuracy");
    if (k == NN_MET_BCE && sparse)
        return nn_fail(e, "metric binary_crossentropy needs 0/1 targets, not "
                          "class numbers; use sparse_categorical_crossentropy");
    if (k >= NN_MET_KLD && sparse)   /* they read one target per output unit */
        return nn_fail(e, "metric %s needs one target per output unit, not class "
                          "numbers (loss=sparse_categorical_crossentropy); use "
                          "sparse_categorical_crossentropy or accuracy",
                       nn_metric_names[k]);
    return NN_OK;
}

static int argmax(const float *v, int n)
{
    int best = 0;
    for (int j = 1; j < n; j++)
        if (v[j] > v[best])
            best = j;
    return best;
}

/* Row t of the targets as a value for column j: t[j], or, with integer
 * labels (t[0] the class), 1 for that column and 0 for the others. */
static double target(const float *t, int j, int sparse)
{
    return sparse ? (double)((float)j == t[0]) : (double)t[j];
}

/* The label of a row: the integer, or argmax of the one-hot row. */
static int label_of(const float *t, int cols, int sparse)
{
    return sparse ? (int)t[0] : argmax(t, cols);
}

/* [ #{j: o_j > o_c} < k ] */
static double in_top_k(const float *o, int cols, int c, int k)
{
    if (c < 0 || c >= cols)
        return 0.0;
    int above = 0;
    for (int j = 0; j < cols; j++)
        above += o[j] > o[c];
    return above < k;
}

/* m_i of the means after rmse. */
static double sample_more(nn_metric_kind k, const nn_loss *L, const float *o,
                          const float *t, int cols, int sparse)
{
    const double eps = 1e-7;
    double s = 0.0;
    switch (k) {
    case NN_MET_MAPE:
        for (int j = 0; j < cols; j++) {
            double y = target(t, j, sparse);
            s += fabs(y - o[j]) / fmax(fabs(y), eps);
        }
        return 100.0 * s / cols;
    case NN_MET_MSLE:
        for (int j = 0; j < cols; j++) {
            double d = log(fmax(o[j], eps) + 1.0) - log(fmax(target(t, j, sparse), eps) + 1.0);
            s += d * d;
        }
        return s / cols;
    case NN_MET_COSINE_SIMILARITY: {
        double yy = 0.0, pp = 0.0;
        for (int j = 0; j < cols; j++) {
            double y = target(t, j, sparse);
            s += y * o[j];
            yy += y * y;
            pp += (double)o[j] * o[j];
        }
        /* keras.ops.normalize: x min(1 / ||x||, 1 / eps) */
        return s * fmin(1.0 / sqrt(yy), 1.0 / eps) * fmin(1.0 / sqrt(pp), 1.0 / eps);
    }
    default: {
        nn_loss_kind lk;
        if (nn_metric_loss(k, &lk) != 0)
            return 0.0;
        nn_loss M = {.kind = lk, .from_logits = L ? L->from_logits : 0,
                     .delta = L ? L->delta : 1.0f, .gamma = L ? L->gamma : 2.0f,
                     .alpha = L ? L->alpha : 0.25f,
                     .apply_class_balancing = L ? L->apply_class_balancing : 0};
        if (lk == NN_LOSS_CCE && sparse)
            M.kind = NN_LOSS_SCCE;   /* -sum_j y_j ln p_j of the one-hot row */
        float l = 0.0f;
        nn_loss_forward(&M, o, t, NULL, 1, cols, &l);
        return l;
    }
    }
}

/* m_i for one row; o is out's row, t is y's row (1 value when sparse). */
static double sample_metric(nn_metric_kind k, const nn_loss *L, double threshold,
                            const float *o, const float *t, int cols, int sparse)
{
    double s = 0.0;
    switch (k) {
    case NN_MET_BINARY_ACCURACY:
        for (int j = 0; j < cols; j++) {
            float pred = o[j] > threshold ? 1.0f : 0.0f;
            s += pred == t[j];
        }
        return s / cols;
    case NN_MET_CATEGORICAL_ACCURACY:
        return argmax(o, cols) == label_of(t, cols, sparse);
    case NN_MET_SPARSE_CATEGORICAL_ACCURACY:
        return (float)argmax(o, cols) == t[0];
    case NN_MET_MSE:
    case NN_MET_RMSE:
        for (int j = 0; j < cols; j++) {
            double e = (double)o[j] - target(t, j, sparse);
            s += e * e;
        }
        return s / cols;
    case NN_MET_MAE:
        for (int j = 0; j < cols; j++)
            s += fabs((double)o[j] - target(t, j, sparse));
        return s / cols;
    default:
        return sample_more(k, L, o, t, cols, sparse);
    }
}

int nn_metric_acc_init(nn_metric_acc *acc, nn_metric_kind k, int cols, nn_err *e)
{
    memset(acc, 0, sizeof *acc);
    return nn_metric_conf_init(acc, k, cols, e);
}

void nn_metric_acc_free(nn_metric_acc *acc)
{
    free(acc->tab);
    memset(acc, 0, sizeof *acc);
}

void nn_metric_update(nn_metric_kind k, const nn_loss *L, nn_metric_acc *acc,
                      const float *out, const float *y, const float *w,
                      int rows, int cols)
{
    if (nn_metric_resolve(k, L, &k) != 0 || rows <= 0 || cols <= 0)
        return;
    /* y is (rows, 1) of labels for the sparse metrics and with
     * sparse_categorical_crossentropy, else (rows, cols). */
    int sparse = k == NN_MET_SPARSE_CATEGORICAL_ACCURACY || k == NN_MET_SPARSE_TOP_K ||
                 k == NN_MET_SCCE || (L && L->kind == NN_LOSS_SCCE);
    int ys = sparse ? 1 : cols;
    if (nn_metric_is_total(k)) {
        nn_metric_conf_update(k, L, acc, out, y, w, rows, cols, sparse);
        return;
    }
    if (k == NN_MET_TOP_K || k == NN_MET_SPARSE_TOP_K) {
        int topk = acc->top_k > 0 ? acc->top_k : NN_TOP_K;
        for (int i = 0; i < rows; i++) {
            double wi = w ? w[i] : 1.0;
            acc->sum += wi * in_top_k(out + (size_t)i * cols, cols,
                                      label_of(y + (size_t)i * ys, cols, sparse), topk);
            acc->count += wi;
        }
        return;
    }
    double threshold = L && L->from_logits ? 0.0 : 0.5;
    for (int i = 0; i < rows; i++) {
        double wi = w ? w[i] : 1.0;
        acc->sum += wi * sample_metric(k, L, threshold, out + (size_t)i * cols,
                                       y + (size_t)i * ys, cols, sparse);
        acc->count += wi;
    }
}

double nn_metric_value(nn_metric_kind k, const nn_metric_acc *acc)
{
    if (nn_metric_is_total(k))
        return nn_metric_conf_value(k, acc);
    if (acc->count == 0.0)
        return 0.0;   /* Keras's divide_no_nan */
    double v = acc->sum / acc->count;
    return k == NN_MET_RMSE ? sqrt(v) : v;
}
