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
 * argmax takes the first of equal maxima, as tf.argmax does. */
#include <math.h>
#include <string.h>
#include "nn.h"
#include "metrics.h"

const char *const nn_metric_names[] = {
    "accuracy", "binary_accuracy", "categorical_accuracy",
    "sparse_categorical_accuracy", "mse", "mae", "rmse", NULL
};

int nn_metric_parse(const char *name, nn_metric_kind *out)
{
    static const nn_alias aliases[] = {
        { "acc", NN_MET_ACCURACY },
        { "mean_squared_error", NN_MET_MSE },
        { "mean_absolute_error", NN_MET_MAE },
        { "root_mean_squared_error", NN_MET_RMSE },
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
    default:           return -1;   /* accuracy of a regression: nothing */
    }
}

static int argmax(const float *v, int n)
{
    int best = 0;
    for (int j = 1; j < n; j++)
        if (v[j] > v[best])
            best = j;
    return best;
}

/* m_i for one row; o is out's row, t is y's row (1 value when sparse). */
static double sample_metric(nn_metric_kind k, double threshold,
                            const float *o, const float *t, int cols)
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
        return argmax(o, cols) == argmax(t, cols);
    case NN_MET_SPARSE_CATEGORICAL_ACCURACY:
        return (float)argmax(o, cols) == t[0];
    case NN_MET_MSE:
    case NN_MET_RMSE:
        for (int j = 0; j < cols; j++) {
            double e = (double)o[j] - t[j];
            s += e * e;
        }
        return s / cols;
    case NN_MET_MAE:
        for (int j = 0; j < cols; j++)
            s += fabs((double)o[j] - t[j]);
        return s / cols;
    default:
        return 0.0;
    }
}

void nn_metric_update(nn_metric_kind k, const nn_loss *L, nn_metric_acc *acc,
                      const float *out, const float *y, const float *w,
                      int rows, int cols)
{
    if (nn_metric_resolve(k, L, &k) != 0 || rows <= 0 || cols <= 0)
        return;
    /* y is (rows, 1) of labels for the sparse metric, else (rows, cols). */
    int ys = k == NN_MET_SPARSE_CATEGORICAL_ACCURACY ? 1 : cols;
    double threshold = L && L->from_logits ? 0.0 : 0.5;
    for (int i = 0; i < rows; i++) {
        double wi = w ? w[i] : 1.0;
        acc->sum += wi * sample_metric(k, threshold, out + (size_t)i * cols,
                                       y + (size_t)i * ys, cols);
        acc->count += wi;
    }
}

double nn_metric_value(nn_metric_kind k, const nn_metric_acc *acc)
{
    if (acc->count == 0.0)
        return 0.0;   /* Keras's divide_no_nan */
    double v = acc->sum / acc->count;
    return k == NN_MET_RMSE ? sqrt(v) : v;
}
