/* loss.c - Keras's losses: per-sample values, the batch reduction and the
 * gradient with respect to the model's output.
 *
 * Sources: keras/src/losses/losses.py (per-sample functions, mean over the
 * last axis) and keras/src/backend/numpy/nn.py (the crossentropies: with
 * from_logits 0 the output is first divided by its row sum (categorical and
 * sparse), then clipped to [eps, 1 - eps], eps = 1e-7).  Reduction
 * "sum_over_batch_size": L = sum_i w_i l_i / rows.
 *
 * All arithmetic is in double; every function walks one row at a time.
 * The gradient of a clipped probability is zero where the clip is active,
 * as for the clipped formula (TensorFlow's clip_by_value gradient).
 * A sparse label outside [0, cols) gives l_i = NaN (so the loss shows it)
 * and a zero gradient row (so no weight is touched by it). */
#include <math.h>
#include <string.h>
#include "nn.h"
#include "loss.h"
#include "loss_more.h"

#define EPS 1e-7   /* keras.config.epsilon() */

const char *const nn_loss_names[] = {
    "mse", "mae", "huber", "binary_crossentropy",
    "categorical_crossentropy", "sparse_categorical_crossentropy",
    "kl_divergence", "poisson", "log_cosh", "hinge", "squared_hinge",
    "categorical_hinge", "cosine_similarity", "binary_focal_crossentropy",
    "categorical_focal_crossentropy", "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error", NULL
};
_Static_assert(sizeof nn_loss_names / sizeof nn_loss_names[0] == NN_LOSS_COUNT + 1,
               "one name per loss");

int nn_loss_parse(const char *name, nn_loss_kind *out)
{
    static const nn_alias aliases[] = {
        { "mean_squared_error", NN_LOSS_MSE },
        { "mean_absolute_error", NN_LOSS_MAE },
        { "huber_loss", NN_LOSS_HUBER },          /* Keras 2's name */
        /* keras/src/losses/__init__.py's short names, and Keras 2's */
        { "kld", NN_LOSS_KLD },
        { "kullback_leibler_divergence", NN_LOSS_KLD },
        { "mape", NN_LOSS_MAPE },
        { "msle", NN_LOSS_MSLE },
        { "logcosh", NN_LOSS_LOG_COSH },
    };
    int i = nn_lookup_alias(nn_loss_names, aliases, sizeof aliases / sizeof aliases[0],
                            name);
    if (i < 0)
        return -1;
    *out = (nn_loss_kind)i;
    return 0;
}

int nn_loss_takes_logits(nn_loss_kind k)
{
    return k == NN_LOSS_BCE || k == NN_LOSS_CCE || k == NN_LOSS_SCCE ||
           nn_loss_is_focal(k);
}

int nn_loss_is_focal(nn_loss_kind k)
{
    return k == NN_LOSS_BINARY_FOCAL || k == NN_LOSS_CATEGORICAL_FOCAL;
}

/* p clipped to [eps, 1 - eps]; NaN stays NaN (fmin/fmax would hide it). */
static inline double clip_p(double p)
{
    return p < EPS ? EPS : p > 1.0 - EPS ? 1.0 - EPS : p;
}

/* 1 where the clip lets the gradient through. */
static inline double clip_pass(double p)
{
    return p >= EPS && p <= 1.0 - EPS ? 1.0 : 0.0;
}

static inline double sigmoid(double z)
{
    if (z >= 0.0)
        return 1.0 / (1.0 + exp(-z));
    double e = exp(z);
    return e / (1.0 + e);
}

static double huber_delta(const nn_loss *L)
{
    /* A zeroed struct means "not given": Keras's default 1.0. */
    return L->delta > 0.0f ? (double)L->delta : 1.0;
}

/* The class index of a sparse label, or -1 when it is not in [0, cols). */
static inline int sparse_label(float v, int cols)
{
    if (!(v >= 0.0f && v < (float)cols))
        return -1;
    return (int)v;
}

/* log sum_j e^z_j = m + log sum_j e^(z_j - m), m = max_j z_j. */
static double log_sum_exp(const float *z, int cols)
{
    double m = z[0];
    for (int j = 1; j < cols; j++)
        if (z[j] > m)
            m = z[j];
    double s = 0.0;
    for (int j = 0; j < cols; j++)
        s += exp(z[j] - m);
    return m + log(s);
}

static double row_sum(const float *o, int cols)
{
    double s = 0.0;
    for (int j = 0; j < cols; j++)
        s += o[j];
    return s;
}

/* l_i for one row: o is out's row (cols), t is y's row (cols, or 1 value
 * for the sparse loss). */
static double sample_loss(const nn_loss *L, const float *o, const float *t,
                          int cols, int hinge01)
{
    double s = 0.0;
    if (L->kind >= NN_LOSS_KLD)
        return nn_loss_more_sample(L, o, t, cols, hinge01);
    switch (L->kind) {
    case NN_LOSS_MSE:            /* mean_j (p - y)^2 */
        for (int j = 0; j < cols; j++) {
            double e = (double)o[j] - t[j];
            s += e * e;
        }
        return s / cols;
    case NN_LOSS_MAE:            /* mean_j |p - y| */
        for (int j = 0; j < cols; j++)
            s += fabs((double)o[j] - t[j]);
        return s / cols;
    case NN_LOSS_HUBER: {        /* mean_j h(p - y) */
        double d = huber_delta(L);
        for (int j = 0; j < cols; j++) {
            double e = fabs((double)o[j] - t[j]);
            s += e <= d ? 0.5 * e * e : d * e - 0.5 * d * d;
        }
        return s / cols;
    }
    case NN_LOSS_BCE:
        if (L->from_logits)      /* max(z, 0) - z y + log(1 + e^-|z|) */
            for (int j = 0; j < cols; j++) {
                double z = o[j], y = t[j];
                s += fmax(z, 0.0) - z * y + log1p(exp(-fabs(z)));
            }
        else                     /* -(y ln p + (1 - y) ln(1 - p)) */
            for (int j = 0; j < cols; j++) {
                double p = clip_p(o[j]), y = t[j];
                s -= y * log(p) + (1.0 - y) * log(1.0 - p);
            }
        return s / cols;
    case NN_LOSS_CCE:
        if (L->from_logits) {    /* -sum_j y_j (z_j - lse(z)) */
            double lse = log_sum_exp(o, cols);
            for (int j = 0; j < cols; j++)
                s -= t[j] * ((double)o[j] - lse);
        } else {                 /* -sum_j y_j ln clip(o_j / sum o) */
            double S = row_sum(o, cols);
            for (int j = 0; j < cols; j++)
                if (t[j] != 0.0f)
                    s -= t[j] * log(clip_p(o[j] / S));
        }
        return s;
    case NN_LOSS_SCCE: {
        int c = sparse_label(t[0], cols);
        if (c < 0)
            return NAN;
        if (L->from_logits)      /* lse(z) - z_c */
            return log_sum_exp(o, cols) - o[c];
        return -log(clip_p(o[c] / row_sum(o, cols)));
    }
    default:
        return NAN;
    }
}

double nn_loss_forward(const nn_loss *L, const float *out, const float *y,
                       const float *w, int rows, int cols, float *per_sample)
{
    if (rows <= 0 || cols <= 0)
        return 0.0;
    int ys = L->kind == NN_LOSS_SCCE ? 1 : cols;
    int hinge01 = nn_loss_hinge01(L, y, rows, cols);
    double total = 0.0;
    for (int i = 0; i < rows; i++) {
        double l = sample_loss(L, out + (size_t)i * cols, y + (size_t)i * ys,
                               cols, hinge01);
        if (per_sample)
            per_sample[i] = (float)l;
        total += (w ? w[i] : 1.0) * l;
    }
    return total / rows;
}

/* g = a dl_i/do for one row, where a = w_i / rows. */
static void sample_grad(const nn_loss *L, float *g, const float *o,
                        const float *t, int cols, double a, int hinge01)
{
    if (L->kind >= NN_LOSS_KLD) {
        nn_loss_more_grad(L, g, o, t, cols, a, hinge01);
        return;
    }
    switch (L->kind) {
    case NN_LOSS_MSE:            /* 2 (p - y) / cols */
        for (int j = 0; j < cols; j++)
            g[j] = (float)(a * 2.0 * ((double)o[j] - t[j]) / cols);
        break;
    case NN_LOSS_MAE:            /* sign(p - y) / cols, 0 at 0 */
        for (int j = 0; j < cols; j++) {
            double e = (double)o[j] - t[j];
            g[j] = (float)(a * ((e > 0.0) - (e < 0.0)) / cols);
        }
        break;
    case NN_LOSS_HUBER: {        /* e if |e| <= delta else delta sign(e) */
        double d = huber_delta(L);
        for (int j = 0; j < cols; j++) {
            double e = (double)o[j] - t[j];
            double h = fabs(e) <= d ? e : (e > 0.0 ? d : -d);
            g[j] = (float)(a * h / cols);
        }
        break;
    }
    case NN_LOSS_BCE:
        if (L->from_logits)      /* (sigmoid(z) - y) / cols */
            for (int j = 0; j < cols; j++)
                g[j] = (float)(a * (sigmoid(o[j]) - t[j]) / cols);
        else                     /* (-y/p + (1-y)/(1-p)) / cols, p unclipped */
            for (int j = 0; j < cols; j++) {
                double p = o[j], y = t[j];
                double pc = clip_p(p);
                double d = -y / pc + (1.0 - y) / (1.0 - pc);
                g[j] = (float)(a * clip_pass(p) * d / cols);
            }
        break;
    case NN_LOSS_CCE:
    case NN_LOSS_SCCE: {
        int c = -1;
        if (L->kind == NN_LOSS_SCCE && (c = sparse_label(t[0], cols)) < 0) {
            memset(g, 0, (size_t)cols * sizeof *g);
            break;
        }
        if (L->from_logits) {
            /* dl/dz_k = Y softmax_k - y_k, Y = sum_j y_j (1 when one-hot) */
            double lse = log_sum_exp(o, cols);
            double Y = 0.0;
            if (c >= 0)
                Y = 1.0;
            else
                for (int j = 0; j < cols; j++)
                    Y += t[j];
            for (int j = 0; j < cols; j++) {
                double yj = c >= 0 ? (j == c) : t[j];
                g[j] = (float)(a * (Y * exp(o[j] - lse) - yj));
            }
        } else {
            /* p = o / S.  With q_j = -y_j / clip(p_j) where the clip passes
             * (0 elsewhere): dl/do_k = (q_k - sum_j q_j p_j) / S. */
            double S = row_sum(o, cols), qp = 0.0;
            for (int pass = 0; pass < 2; pass++)
                for (int j = 0; j < cols; j++) {
                    double yj = c >= 0 ? (j == c) : t[j];
                    double p = o[j] / S;
                    double q = yj != 0.0 ? -yj * clip_pass(p) / clip_p(p)
                                         : 0.0;
                    if (pass == 0)
                        qp += q * p;
                    else
                        g[j] = (float)(a * (q - qp) / S);
                }
        }
        break;
    }
    default:
        memset(g, 0, (size_t)cols * sizeof *g);
        break;
    }
}

void nn_loss_backward(const nn_loss *L, float *grad, const float *out,
                      const float *y, const float *w, int rows, int cols)
{
    if (rows <= 0 || cols <= 0)
        return;
    int ys = L->kind == NN_LOSS_SCCE ? 1 : cols;
    int hinge01 = nn_loss_hinge01(L, y, rows, cols);
    for (int i = 0; i < rows; i++)
        sample_grad(L, grad + (size_t)i * cols, out + (size_t)i * cols,
                    y + (size_t)i * ys, cols, (w ? w[i] : 1.0) / rows, hinge01);
}

int nn_loss_fusable(const nn_loss *L, nn_act act)
{
    if (L->from_logits)
        return 0;
    switch (L->kind) {
    case NN_LOSS_CCE:
    case NN_LOSS_SCCE:
        return act == NN_ACT_SOFTMAX;
    case NN_LOSS_BCE:
        return act == NN_ACT_SIGMOID;
    default:
        return 0;
    }
}

/* dz for z -> act -> loss, from p = act(z), with a = w_i / rows:
 *   sigmoid + bce:          a (p - y) / cols
 *   softmax + cce:          a (Y p - y), Y = sum_j y_j (p - y when one-hot)
 *   softmax + sparse cce:   a (p_j - [j == label])
 * The chain rule of the unclipped loss, written out: no division by p, so
 * it stays exact when p saturates at 0 or 1. */
void nn_loss_backward_fused(const nn_loss *L, float *dz, const float *p,
                            const float *y, const float *w, int rows, int cols)
{
    if (rows <= 0 || cols <= 0)
        return;
    for (int i = 0; i < rows; i++) {
        double a = (w ? w[i] : 1.0) / rows;
        const float *pi = p + (size_t)i * cols;
        float *di = dz + (size_t)i * cols;
        switch (L->kind) {
        case NN_LOSS_BCE: {
            const float *yi = y + (size_t)i * cols;
            for (int j = 0; j < cols; j++)
                di[j] = (float)(a * ((double)pi[j] - yi[j]) / cols);
            break;
        }
        case NN_LOSS_CCE: {
            const float *yi = y + (size_t)i * cols;
            double Y = row_sum(yi, cols);
            for (int j = 0; j < cols; j++)
                di[j] = (float)(a * (Y * pi[j] - yi[j]));
            break;
        }
        case NN_LOSS_SCCE: {
            int c = sparse_label(y[i], cols);
            for (int j = 0; j < cols; j++)
                di[j] = c < 0 ? 0.0f : (float)(a * ((double)pi[j] - (j == c)));
            break;
        }
        default:   /* not a fusable loss: nothing sensible, write zeros */
            memset(di, 0, (size_t)cols * sizeof *di);
            break;
        }
    }
}
