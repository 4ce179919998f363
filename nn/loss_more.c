/* loss_more.c - Keras 3's other losses, per row: value and gradient.
 *
 * Sources: keras/src/losses/losses.py (kl_divergence, poisson, log_cosh,
 * hinge, squared_hinge, categorical_hinge, cosine_similarity,
 * binary_focal_crossentropy, categorical_focal_crossentropy,
 * mean_absolute_percentage_error, mean_squared_logarithmic_error), with
 * eps = keras.config.epsilon() = 1e-7 and ops.normalize's norm floor
 * max(||v||, eps).  In double, one row at a time.  Where a clip or a max
 * is active the gradient is zero through it (TensorFlow's gradients of
 * clip_by_value and maximum); at a tie, the first index wins (argmax). */
#include <math.h>
#include <string.h>
#include "nn.h"
#include "loss_more.h"

#define EPS 1e-7
#define LN2 0.69314718055994530942

static inline double sigmoid(double z)
{
    if (z >= 0.0)
        return 1.0 / (1.0 + exp(-z));
    double e = exp(z);
    return e / (1.0 + e);
}

static inline double softplus(double x)
{
    return fmax(x, 0.0) + log1p(exp(-fabs(x)));
}

static inline double clip01(double p)   /* [eps, 1 - eps], NaN kept */
{
    return p < EPS ? EPS : p > 1.0 - EPS ? 1.0 - EPS : p;
}

int nn_loss_hinge01(const nn_loss *L, const float *y, int rows, int cols)
{
    if (L->kind != NN_LOSS_HINGE && L->kind != NN_LOSS_SQUARED_HINGE)
        return 0;
    for (size_t i = 0; i < (size_t)rows * cols; i++)
        if (y[i] != 0.0f && y[i] != 1.0f)
            return 0;
    return 1;
}

/* sqrt(sum v^2), floored at eps (ops.normalize). */
static double norm_floor(const float *v, int cols)
{
    double s = 0.0;
    for (int j = 0; j < cols; j++)
        s += (double)v[j] * v[j];
    return fmax(sqrt(s), EPS);
}

/* The probabilities the focal losses see: sigmoid(z) or softmax(z) with
 * from_logits, else the outputs; q[cols] (cols <= what the caller has). */
static void focal_probs(const nn_loss *L, const float *o, int cols, double *q)
{
    if (L->kind == NN_LOSS_BINARY_FOCAL) {
        for (int j = 0; j < cols; j++)
            q[j] = L->from_logits ? sigmoid(o[j]) : o[j];
        return;
    }
    double S = 0.0;
    if (L->from_logits) {
        double m = o[0];
        for (int j = 1; j < cols; j++)
            m = fmax(m, o[j]);
        for (int j = 0; j < cols; j++)
            S += (q[j] = exp(o[j] - m));
    } else
        for (int j = 0; j < cols; j++)
            S += (q[j] = o[j]);
    for (int j = 0; j < cols; j++)   /* Keras: y_pred / sum(y_pred) */
        q[j] /= S;
}

/* binary focal for one value: (1 - p_t)^gamma bce (x the class weight),
 * and its derivative in p into *d. */
static double bfocal(const nn_loss *L, double p, double y, double *d)
{
    double g = L->gamma, pc = clip01(p);
    double bce = -(y * log(pc) + (1.0 - y) * log(1.0 - pc));
    double dbce = p >= EPS && p <= 1.0 - EPS ? -y / pc + (1.0 - y) / (1.0 - pc) : 0.0;
    double u = 1.0 - (y * p + (1.0 - y) * (1.0 - p));   /* 1 - p_t */
    double F = pow(u, g);
    /* d u^g / dp = g u^(g-1) (1 - 2y); 0 at u = 0 unless g == 1 */
    double dF = g == 0.0 ? 0.0 : u > 0.0 ? g * pow(u, g - 1.0) * (1.0 - 2.0 * y)
              : g == 1.0 ? 1.0 - 2.0 * y : 0.0;
    double wa = L->apply_class_balancing ? y * L->alpha + (1.0 - y) * (1.0 - L->alpha)
                                         : 1.0;
    *d = wa * (dF * bce + F * dbce);
    return wa * F * bce;
}

/* categorical focal: dl/dq_j where the clip passes, and l. */
static double cfocal_term(const nn_loss *L, double q, double y, double *dq)
{
    double qc = clip01(q), g = L->gamma, a = L->alpha;
    double m = pow(1.0 - qc, g);
    double dm = g == 0.0 ? 0.0 : -g * pow(1.0 - qc, g - 1.0);
    double pass = q >= EPS && q <= 1.0 - EPS;
    *dq = y == 0.0 ? 0.0 : -a * y * (dm * log(qc) + m / qc) * pass;
    return y == 0.0 ? 0.0 : -a * m * y * log(qc);
}

#define QMAX 256   /* focal rows up to this width on the stack */

double nn_loss_more_sample(const nn_loss *L, const float *o, const float *t,
                           int cols, int hinge01)
{
    double s = 0.0;
    switch (L->kind) {
    case NN_LOSS_KLD:            /* sum_j Y ln(Y / P), both clipped to [eps, 1] */
        for (int j = 0; j < cols; j++) {
            double Y = fmin(fmax(t[j], EPS), 1.0), P = fmin(fmax(o[j], EPS), 1.0);
            s += Y * log(Y / P);
        }
        return s;
    case NN_LOSS_POISSON:        /* mean_j p - y ln(p + eps) */
        for (int j = 0; j < cols; j++)
            s += (double)o[j] - t[j] * log((double)o[j] + EPS);
        return s / cols;
    case NN_LOSS_LOG_COSH:       /* mean_j e + softplus(-2e) - ln 2 */
        for (int j = 0; j < cols; j++) {
            double e = (double)o[j] - t[j];
            s += e + softplus(-2.0 * e) - LN2;
        }
        return s / cols;
    case NN_LOSS_HINGE:
    case NN_LOSS_SQUARED_HINGE:  /* mean_j max(1 - y p, 0) (squared) */
        for (int j = 0; j < cols; j++) {
            double y = hinge01 ? 2.0 * t[j] - 1.0 : t[j];
            double h = fmax(1.0 - y * o[j], 0.0);
            s += L->kind == NN_LOSS_HINGE ? h : h * h;
        }
        return s / cols;
    case NN_LOSS_CATEGORICAL_HINGE: {   /* max(neg - pos + 1, 0) */
        double pos = 0.0, neg = -INFINITY;
        for (int j = 0; j < cols; j++) {
            pos += (double)t[j] * o[j];
            neg = fmax(neg, (1.0 - t[j]) * o[j]);
        }
        return fmax(neg - pos + 1.0, 0.0);
    }
    case NN_LOSS_COSINE: {       /* -sum_j y_j p_j / (|y| |p|) */
        double ny = norm_floor(t, cols), np = norm_floor(o, cols);
        for (int j = 0; j < cols; j++)
            s += (double)t[j] * o[j];
        return -s / (ny * np);
    }
    case NN_LOSS_BINARY_FOCAL:
    case NN_LOSS_CATEGORICAL_FOCAL: {
        double q[QMAX], d;
        if (cols > QMAX)
            return NAN;
        focal_probs(L, o, cols, q);
        for (int j = 0; j < cols; j++)
            s += L->kind == NN_LOSS_BINARY_FOCAL ? bfocal(L, q[j], t[j], &d)
                                                 : cfocal_term(L, q[j], t[j], &d);
        return L->kind == NN_LOSS_BINARY_FOCAL ? s / cols : s;
    }
    case NN_LOSS_MAPE:           /* 100 mean_j |y - p| / max(|y|, eps) */
        for (int j = 0; j < cols; j++)
            s += fabs((double)t[j] - o[j]) / fmax(fabs((double)t[j]), EPS);
        return 100.0 * s / cols;
    case NN_LOSS_MSLE:           /* mean_j (ln(max(p,eps)+1) - ln(max(y,eps)+1))^2 */
        for (int j = 0; j < cols; j++) {
            double e = log(fmax(o[j], EPS) + 1.0) - log(fmax(t[j], EPS) + 1.0);
            s += e * e;
        }
        return s / cols;
    default:
        return NAN;
    }
}

void nn_loss_more_grad(const nn_loss *L, float *g, const float *o,
                       const float *t, int cols, double a, int hinge01)
{
    switch (L->kind) {
    case NN_LOSS_KLD:            /* -Y / P where the clip of p passes */
        for (int j = 0; j < cols; j++) {
            double Y = fmin(fmax(t[j], EPS), 1.0), p = o[j];
            g[j] = p >= EPS && p <= 1.0 ? (float)(a * -Y / p) : 0.0f;
        }
        break;
    case NN_LOSS_POISSON:        /* (1 - y / (p + eps)) / cols */
        for (int j = 0; j < cols; j++)
            g[j] = (float)(a * (1.0 - t[j] / ((double)o[j] + EPS)) / cols);
        break;
    case NN_LOSS_LOG_COSH:       /* tanh(e) / cols */
        for (int j = 0; j < cols; j++)
            g[j] = (float)(a * tanh((double)o[j] - t[j]) / cols);
        break;
    case NN_LOSS_HINGE:
    case NN_LOSS_SQUARED_HINGE:  /* -y [h > 0] / cols, squared: -2 y h / cols */
        for (int j = 0; j < cols; j++) {
            double y = hinge01 ? 2.0 * t[j] - 1.0 : t[j];
            double h = 1.0 - y * o[j];
            double d = h <= 0.0 ? 0.0 : L->kind == NN_LOSS_HINGE ? -y : -2.0 * y * h;
            g[j] = (float)(a * d / cols);
        }
        break;
    case NN_LOSS_CATEGORICAL_HINGE: {   /* (1 - y_m) [j == m] - y_j when > 0 */
        double pos = 0.0, neg = -INFINITY;
        int m = 0;
        for (int j = 0; j < cols; j++) {
            pos += (double)t[j] * o[j];
            double v = (1.0 - t[j]) * o[j];
            if (v > neg) {
                neg = v;
                m = j;
            }
        }
        int on = neg - pos + 1.0 > 0.0;
        for (int j = 0; j < cols; j++)
            g[j] = on ? (float)(a * ((j == m ? 1.0 - t[j] : 0.0) - t[j])) : 0.0f;
        break;
    }
    case NN_LOSS_COSINE: {
        /* l = -yn . p / |p|: dl/dp = -(yn - (yn . pn) pn) / |p| when
         * ||p|| > eps, else -yn / eps (the floor is constant) */
        double ny = norm_floor(t, cols), np = norm_floor(o, cols), dot = 0.0, pp = 0.0;
        for (int j = 0; j < cols; j++) {
            dot += (double)t[j] * o[j];
            pp += (double)o[j] * o[j];
        }
        int floored = !(sqrt(pp) > EPS);
        double c = floored ? 0.0 : dot / (ny * np * np);   /* yn . pn / |p| */
        for (int j = 0; j < cols; j++)
            g[j] = (float)(a * -((double)t[j] / (ny * np) - c * o[j] / np));
        break;
    }
    case NN_LOSS_BINARY_FOCAL:
    case NN_LOSS_CATEGORICAL_FOCAL: {
        double q[QMAX], dq[QMAX];
        if (cols > QMAX) {
            memset(g, 0, (size_t)cols * sizeof *g);
            break;
        }
        focal_probs(L, o, cols, q);
        if (L->kind == NN_LOSS_BINARY_FOCAL) {
            for (int j = 0; j < cols; j++) {
                double d;
                bfocal(L, q[j], t[j], &d);
                if (L->from_logits)   /* dp/dz = p (1 - p) */
                    d *= q[j] * (1.0 - q[j]);
                g[j] = (float)(a * d / cols);
            }
            break;
        }
        /* q = o / S: dl/do_k = (dq_k - sum_j dq_j q_j) / S; from logits
         * q = softmax(z): dl/dz_k = q_k (dq_k - sum_j dq_j q_j) */
        double S = 0.0, qd = 0.0;
        for (int j = 0; j < cols; j++) {
            cfocal_term(L, q[j], t[j], &dq[j]);
            qd += dq[j] * q[j];
            S += o[j];
        }
        for (int j = 0; j < cols; j++)
            g[j] = (float)(a * (L->from_logits ? q[j] * (dq[j] - qd)
                                               : (dq[j] - qd) / S));
        break;
    }
    case NN_LOSS_MAPE:           /* 100 sign(p - y) / max(|y|, eps) / cols */
        for (int j = 0; j < cols; j++) {
            double e = (double)o[j] - t[j];
            g[j] = (float)(a * 100.0 * ((e > 0.0) - (e < 0.0)) /
                           fmax(fabs((double)t[j]), EPS) / cols);
        }
        break;
    case NN_LOSS_MSLE:           /* 2 e / (p + 1) / cols where p > eps */
        for (int j = 0; j < cols; j++) {
            double p = o[j];
            double e = log(fmax(p, EPS) + 1.0) - log(fmax(t[j], EPS) + 1.0);
            g[j] = p > EPS ? (float)(a * 2.0 * e / (p + 1.0) / cols) : 0.0f;
        }
        break;
    default:
        memset(g, 0, (size_t)cols * sizeof *g);
        break;
    }
}
