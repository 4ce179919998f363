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
 * (-3, 3) only. */
#include <math.h>
#include <string.h>
#include "nn.h"
#include "activation.h"

const char *const nn_act_names[] = {
    "linear", "sigmoid", "tanh", "relu", "softplus", "softmax", "elu",
    "selu", "leaky_relu", "relu6", "softsign", "silu", "gelu",
    "exponential", "hard_sigmoid", NULL
};

int nn_act_parse(const char *name, nn_act *out)
{
    int i = nn_lookup(nn_act_names, name);
    if (i < 0 && name) {
        if (strcmp(name, "swish") == 0)
            i = NN_ACT_SILU;
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
    default:                 /* dx += dy f'(x), f' from x in double */
        for (size_t i = 0; i < n; i++)
            dx[i] += (float)(dy[i] * nn_act_deriv(a, x[i]));
        break;
    }
}
