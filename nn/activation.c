/* activation.c - Keras's activations, forward and backward.
 *
 * Elementwise functions are written once, as double scalars (f and f'),
 * which nn_act_eval/nn_act_deriv expose and the batch loops call; the
 * common cheap ones (linear, relu) have plain float loops.  Every formula is
 * arranged so that |x| up to 1e4 gives finite values (only exponential,
 * e^x itself, overflows, as it does in Keras).
 *
 * Derivatives at kinks follow TensorFlow's gradient kernels: relu'(0) = 0,
 * leaky_relu'(0) = 0.2, relu6' is 1 on (0, 6) only, hard_sigmoid' is 1/6 on
 * (-3, 3) only; likewise hard_tanh', hard_shrink', soft_shrink' are 1 on the
 * open intervals only, hard_silu' is (2x+3)/6 on [-3, 3].
 *
 * Keras 3's newer activations (keras/src/activations/activations.py, with
 * the formulas of keras/src/ops/nn.py and keras/src/backend/numpy/nn.py):
 * celu alpha 1, hard_shrink and soft_shrink threshold 0.5, squareplus b 4,
 * as Keras's defaults (a string activation= takes them).  The row-wise
 * ones (log_softmax, sparsemax, glu) are written below softmax. */
#include <math.h>
#include <string.h>
#include "nn.h"
#include "activation.h"

const char *const nn_act_names[] = {
    "linear", "sigmoid", "tanh", "relu", "softplus", "softmax", "elu",
    "selu", "leaky_relu", "relu6", "softsign", "silu", "gelu",
    "exponential", "hard_sigmoid", "celu", "hard_silu", "hard_tanh",
    "hard_shrink", "soft_shrink", "tanh_shrink", "log_sigmoid",
    "log_softmax", "mish", "sparse_plus", "squareplus", "sparsemax", "glu",
    NULL
};
_Static_assert(sizeof nn_act_names / sizeof nn_act_names[0] == NN_ACT_COUNT + 1,
               "one name per activation");

int nn_act_parse(const char *name, nn_act *out)
{
    int i = nn_lookup(nn_act_names, name);
    if (i < 0 && name) {
        if (strcmp(name, "swish") == 0)
            i = NN_ACT_SILU;
        else if (strcmp(name, "hard_swish") == 0)   /* Keras 3's alias */
            i = NN_ACT_HARD_SILU;
        else if (strcmp(name, "None") == 0 || strcmp(name, "none") == 0)
            i = NN_ACT_LINEAR;
    }
    if (i < 0)
        return -1;
    *out = (nn_act)i;
    return 0;
}

#define SELU_ALPHA 1.6732632423543772   /* Klambauer et al. 2017; Keras */
#define SELU_SCALE 1.0507009873554805
#define LEAKY_SLOPE 0.2                 /* Keras 3 LeakyReLU negative_slope */
#define INV_SQRT2 0.70710678118654752440
#define INV_SQRT2PI 0.39894228040143267794
#define CELU_ALPHA 1.0                  /* Keras 3 celu alpha */
#define SHRINK_T 0.5                    /* hard_shrink, soft_shrink threshold */
#define SQUAREPLUS_B 4.0                /* Keras 3 squareplus b */
#define LN2 0.69314718055994530942

int nn_act_rowwise(nn_act a)
{
    return a == NN_ACT_SOFTMAX || a == NN_ACT_LOG_SOFTMAX ||
           a == NN_ACT_SPARSEMAX || a == NN_ACT_GLU;
}

int nn_act_out_cols(nn_act a, int cols)
{
    if (a == NN_ACT_GLU)
        return cols % 2 ? 0 : cols / 2;
    return cols;
}

/* 1 / (1 + e^-x), never computing e^(large positive). */
static inline double sigmoid(double x)
{
    if (x >= 0.0)
        return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}

/* ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|). */
static inline double softplus(double x)
{
    return fmax(x, 0.0) + log1p(exp(-fabs(x)));
}

double nn_act_eval(nn_act a, double x)
{
    switch (a) {
    case NN_ACT_LINEAR:      return x;
    case NN_ACT_SIGMOID:     return sigmoid(x);
    case NN_ACT_TANH:        return tanh(x);
    case NN_ACT_RELU:        return x > 0.0 ? x : 0.0;
    case NN_ACT_SOFTPLUS:    return softplus(x);
    case NN_ACT_SOFTMAX:     return 1.0;   /* one class: e^x / e^x */
    case NN_ACT_ELU:         return x > 0.0 ? x : expm1(x);
    case NN_ACT_SELU:
        return SELU_SCALE * (x > 0.0 ? x : SELU_ALPHA * expm1(x));
    case NN_ACT_LEAKY_RELU:  return x > 0.0 ? x : LEAKY_SLOPE * x;
    case NN_ACT_RELU6:       return fmin(fmax(x, 0.0), 6.0);
    case NN_ACT_SOFTSIGN:    return x / (1.0 + fabs(x));
    case NN_ACT_SILU:        return x * sigmoid(x);
    /* x Phi(x), Phi(x) = 0.5 (1 + erf(x / sqrt 2)) = 0.5 erfc(-x / sqrt 2);
     * erfc keeps the left tail accurate where 1 + erf cancels. */
    case NN_ACT_GELU:        return 0.5 * x * erfc(-x * INV_SQRT2);
    case NN_ACT_EXPONENTIAL: return exp(x);
    case NN_ACT_HARD_SIGMOID: return fmin(fmax(x + 3.0, 0.0), 6.0) / 6.0;
    /* max(x, 0) + alpha expm1(min(x, 0) / alpha)   (ops.celu) */
    case NN_ACT_CELU:
        return fmax(x, 0.0) + CELU_ALPHA * expm1(fmin(x, 0.0) / CELU_ALPHA);
    case NN_ACT_HARD_SILU:   /* x relu6(x + 3) / 6   (ops.hard_silu) */
        return x * fmin(fmax(x + 3.0, 0.0), 6.0) / 6.0;
    case NN_ACT_HARD_TANH:   return fmin(fmax(x, -1.0), 1.0);
    case NN_ACT_HARD_SHRINK: return fabs(x) > SHRINK_T ? x : 0.0;
    case NN_ACT_SOFT_SHRINK:
        return x > SHRINK_T ? x - SHRINK_T : x < -SHRINK_T ? x + SHRINK_T : 0.0;
    case NN_ACT_TANH_SHRINK: return x - tanh(x);
    case NN_ACT_LOG_SIGMOID: return -softplus(-x);   /* ops.log_sigmoid */
    case NN_ACT_MISH:        return x * tanh(softplus(x));
    case NN_ACT_SPARSE_PLUS: /* ops.sparse_plus */
        return x <= -1.0 ? 0.0 : x >= 1.0 ? x : 0.25 * (x + 1.0) * (x + 1.0);
    case NN_ACT_SQUAREPLUS:  /* (x + sqrt(x^2 + b)) / 2   (ops.squareplus) */
        return 0.5 * (x + sqrt(x * x + SQUAREPLUS_B));
    /* the row-wise ones on the row (x, 0), or (x, x) for glu */
    case NN_ACT_LOG_SOFTMAX: return -softplus(-x);
    case NN_ACT_SPARSEMAX:   return fmin(fmax(0.5 * (x + 1.0), 0.0), 1.0);
    case NN_ACT_GLU:         return x * sigmoid(x);
    default:                 return x;
    }
}

double nn_act_deriv(nn_act a, double x)
{
    switch (a) {
    case NN_ACT_LINEAR:      return 1.0;
    case NN_ACT_SIGMOID: {   /* s (1 - s) */
        double s = sigmoid(x);
        return s * (1.0 - s);
    }
    case NN_ACT_TANH: {      /* 1 - tanh^2 */
        double t = tanh(x);
        return 1.0 - t * t;
    }
    case NN_ACT_RELU:        return x > 0.0 ? 1.0 : 0.0;
    case NN_ACT_SOFTPLUS:    return sigmoid(x);
    case NN_ACT_SOFTMAX:     return 0.0;
    case NN_ACT_ELU:         return x > 0.0 ? 1.0 : exp(x);
    case NN_ACT_SELU:
        return x > 0.0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * exp(x);
    case NN_ACT_LEAKY_RELU:  return x > 0.0 ? 1.0 : LEAKY_SLOPE;
    case NN_ACT_RELU6:       return x > 0.0 && x < 6.0 ? 1.0 : 0.0;
    case NN_ACT_SOFTSIGN: {  /* 1 / (1 + |x|)^2 */
        double d = 1.0 + fabs(x);
        return 1.0 / (d * d);
    }
    case NN_ACT_SILU: {      /* s + x s (1 - s) */
        double s = sigmoid(x);
        return s * (1.0 + x * (1.0 - s));
    }
    case NN_ACT_GELU:        /* Phi(x) + x phi(x) */
        return 0.5 * erfc(-x * INV_SQRT2)
             + x * INV_SQRT2PI * exp(-0.5 * x * x);
    case NN_ACT_EXPONENTIAL: return exp(x);
    case NN_ACT_HARD_SIGMOID: return x > -3.0 && x < 3.0 ? 1.0 / 6.0 : 0.0;
    case NN_ACT_CELU:        return x > 0.0 ? 1.0 : exp(x / CELU_ALPHA);
    case NN_ACT_HARD_SILU:   /* 0, (2x + 3) / 6, 1 */
        return x < -3.0 ? 0.0 : x > 3.0 ? 1.0 : (2.0 * x + 3.0) / 6.0;
    case NN_ACT_HARD_TANH:   return x > -1.0 && x < 1.0 ? 1.0 : 0.0;
    case NN_ACT_HARD_SHRINK:
    case NN_ACT_SOFT_SHRINK: return fabs(x) > SHRINK_T ? 1.0 : 0.0;
    case NN_ACT_TANH_SHRINK: {   /* 1 - (1 - tanh^2) = tanh^2 */
        double t = tanh(x);
        return t * t;
    }
    case NN_ACT_LOG_SIGMOID:     /* sigmoid(-x) */
    case NN_ACT_LOG_SOFTMAX:     /* on (x, 0): the same */
        return sigmoid(-x);
    case NN_ACT_MISH: {      /* t + x (1 - t^2) sigmoid(x), t = tanh(softplus x) */
        double t = tanh(softplus(x));
        return t + x * (1.0 - t * t) * sigmoid(x);
    }
    case NN_ACT_SPARSE_PLUS:
        return x <= -1.0 ? 0.0 : x >= 1.0 ? 1.0 : 0.5 * (x + 1.0);
    case NN_ACT_SQUAREPLUS:  /* (1 + x / sqrt(x^2 + b)) / 2 */
        return 0.5 * (1.0 + x / sqrt(x * x + SQUAREPLUS_B));
    case NN_ACT_SPARSEMAX:   return x > -1.0 && x < 1.0 ? 0.5 : 0.0;
    case NN_ACT_GLU: {       /* glu(x, x) = silu(x) */
        double sg = sigmoid(x);
        return sg * (1.0 + x * (1.0 - sg));
    }
    default:                 return 1.0;
    }
}

/* y_j = e^(x_j - m) / sum_k e^(x_k - m), m = max_k x_k, per row: every
 * exponent is <= 0 and the largest term is 1, so the sum is in [1, cols]. */
static void softmax_rows(float *y, const float *x, int rows, int cols)
{
    for (int i = 0; i < rows; i++) {
        const float *xi = x + (size_t)i * cols;
        float *yi = y + (size_t)i * cols;
        float m = xi[0];
        for (int j = 1; j < cols; j++)
            if (xi[j] > m)
                m = xi[j];
        double sum = 0.0;
        for (int j = 0; j < cols; j++) {
            float e = expf(xi[j] - m);
            yi[j] = e;
            sum += e;
        }
        float inv = (float)(1.0 / sum);
        for (int j = 0; j < cols; j++)
            yi[j] *= inv;
    }
}

/* log_softmax: y_j = x_j - m - log sum_k e^(x_k - m), m = max_k x_k, per
 * row (ops.log_softmax: x - logsumexp(x)). */
static void log_softmax_rows(float *y, const float *x, int rows, int cols)
{
    for (int i = 0; i < rows; i++) {
        const float *xi = x + (size_t)i * cols;
        float *yi = y + (size_t)i * cols;
        float m = xi[0];
        for (int j = 1; j < cols; j++)
            if (xi[j] > m)
                m = xi[j];
        double sum = 0.0;
        for (int j = 0; j < cols; j++)
            sum += exp((double)xi[j] - m);
        double lse = m + log(sum);
        for (int j = 0; j < cols; j++)
            yi[j] = (float)((double)xi[j] - lse);
    }
}

/* sparsemax (ops.sparsemax; Martins & Astudillo 2016): y_j = max(x_j -
 * tau, 0) with tau such that the row sums to 1.  tau is found as
 * Michelot's projection does, without sorting: start with every j in the
 * support S, tau = (sum_S x_j - 1) / |S|, drop the j with x_j <= tau and
 * repeat; S only shrinks and tau only grows, so at most cols rounds, and
 * the last tau is the sorted algorithm's.  In double; y may be x. */
static double sparsemax_tau(const float *xi, int cols)
{
    double tau = -INFINITY;
    for (int round = 0; round <= cols; round++) {
        double sum = 0.0;
        int k = 0;
        for (int j = 0; j < cols; j++)
            if (xi[j] > tau) {
                sum += xi[j];
                k++;
            }
        double t = (sum - 1.0) / k;   /* k >= 1: the max is always above tau */
        if (t <= tau)
            break;
        tau = t;
    }
    return tau;
}

static void sparsemax_rows(float *y, const float *x, int rows, int cols)
{
    for (int i = 0; i < rows; i++) {
        const float *xi = x + (size_t)i * cols;
        float *yi = y + (size_t)i * cols;
        double tau = sparsemax_tau(xi, cols);
        for (int j = 0; j < cols; j++) {
            double v = (double)xi[j] - tau;
            yi[j] = v > 0.0 ? (float)v : 0.0f;
        }
    }
}

/* glu (ops.glu, axis -1): a, b = the two halves of the row, y = a
 * sigmoid(b); x (rows, 2h), y (rows, h). */
static void glu_rows(float *y, const float *x, int rows, int cols)
{
    int h = cols / 2;
    for (int i = 0; i < rows; i++) {
        const float *xi = x + (size_t)i * cols;
        float *yi = y + (size_t)i * h;
        for (int j = 0; j < h; j++)
            yi[j] = (float)(xi[j] * sigmoid(xi[h + j]));
    }
}

void nn_act_forward(nn_act a, float *y, const float *x, int rows, int cols)
{
    size_t n = (size_t)rows * (size_t)cols;
    if (rows <= 0 || cols <= 0)
        return;
    switch (a) {
    case NN_ACT_LINEAR:
        if (y != x)
            memcpy(y, x, n * sizeof *y);
        break;
    case NN_ACT_RELU:
        for (size_t i = 0; i < n; i++)
            y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        break;
    case NN_ACT_SOFTMAX:
        softmax_rows(y, x, rows, cols);
        break;
    case NN_ACT_LOG_SOFTMAX:
        log_softmax_rows(y, x, rows, cols);
        break;
    case NN_ACT_SPARSEMAX:
        sparsemax_rows(y, x, rows, cols);
        break;
    case NN_ACT_GLU:
        if (cols % 2 == 0)
            glu_rows(y, x, rows, cols);
        break;
    default:
        for (size_t i = 0; i < n; i++)
            y[i] = (float)nn_act_eval(a, x[i]);
        break;
    }
}

void nn_act_backward(nn_act a, float *dx, const float *dy, const float *x,
                     const float *y, int rows, int cols)
{
    size_t n = (size_t)rows * (size_t)cols;
    if (rows <= 0 || cols <= 0)
        return;
    switch (a) {
    case NN_ACT_LINEAR:      /* dx += dy */
        for (size_t i = 0; i < n; i++)
            dx[i] += dy[i];
        break;
    case NN_ACT_RELU:        /* dx += dy [x > 0] */
        for (size_t i = 0; i < n; i++)
            dx[i] += x[i] > 0.0f ? dy[i] : 0.0f;
        break;
    case NN_ACT_SOFTMAX:
        /* Jacobian dy_j/dx_k = y_j ([j==k] - y_k), symmetric, so per row
         * dx_j += y_j (dy_j - sum_k dy_k y_k). */
        for (int i = 0; i < rows; i++) {
            const float *yi = y + (size_t)i * cols;
            const float *gi = dy + (size_t)i * cols;
            float *di = dx + (size_t)i * cols;
            double dot = 0.0;
            for (int j = 0; j < cols; j++)
                dot += (double)gi[j] * yi[j];
            for (int j = 0; j < cols; j++)
                di[j] += (float)(yi[j] * (gi[j] - dot));
        }
        break;
    case NN_ACT_LOG_SOFTMAX:
        /* dy_j/dx_k = [j==k] - softmax_k, softmax = e^y: per row
         * dx_k += dy_k - e^(y_k) sum_j dy_j */
        for (int i = 0; i < rows; i++) {
            const float *yi = y + (size_t)i * cols;
            const float *gi = dy + (size_t)i * cols;
            float *di = dx + (size_t)i * cols;
            double sum = 0.0;
            for (int j = 0; j < cols; j++)
                sum += gi[j];
            for (int j = 0; j < cols; j++)
                di[j] += (float)(gi[j] - exp((double)yi[j]) * sum);
        }
        break;
    case NN_ACT_SPARSEMAX:
        /* on the support S = {y_j > 0}: dy_j/dx_k = [j==k] - 1/|S|, so
         * dx_k += [k in S] (dy_k - mean_S dy) (Martins & Astudillo, eq. 14) */
        for (int i = 0; i < rows; i++) {
            const float *yi = y + (size_t)i * cols;
            const float *gi = dy + (size_t)i * cols;
            float *di = dx + (size_t)i * cols;
            double sum = 0.0;
            int k = 0;
            for (int j = 0; j < cols; j++)
                if (yi[j] > 0.0f) {
                    sum += gi[j];
                    k++;
                }
            double mean = k ? sum / k : 0.0;
            for (int j = 0; j < cols; j++)
                if (yi[j] > 0.0f)
                    di[j] += (float)(gi[j] - mean);
        }
        break;
    case NN_ACT_GLU: {
        /* y = a s(b): da += dy s(b), db += dy a s(b) (1 - s(b)) */
        int h = cols / 2;
        if (cols % 2)
            break;
        for (int i = 0; i < rows; i++) {
            const float *xi = x + (size_t)i * cols;
            const float *gi = dy + (size_t)i * h;
            float *di = dx + (size_t)i * cols;
            for (int j = 0; j < h; j++) {
                double sg = sigmoid(xi[h + j]);
                di[j] += (float)(gi[j] * sg);
                di[h + j] += (float)(gi[j] * xi[j] * sg * (1.0 - sg));
            }
        }
        break;
    }
    default:                 /* dx += dy f'(x), f' from x in double */
        for (size_t i = 0; i < n; i++)
            dx[i] += (float)(dy[i] * nn_act_deriv(a, x[i]));
        break;
    }
}
