/* activation.h - Keras's activation functions and their derivatives.
 *
 * Formulas follow Keras 3 (keras/src/activations/activations.py):
 *   linear x; sigmoid 1/(1+e^-x); tanh; relu max(0,x); softplus ln(1+e^x);
 *   softmax over each row; elu x>0 ? x : e^x-1 (alpha 1);
 *   selu scale*(x>0 ? x : alpha*(e^x-1)), alpha 1.67326324, scale 1.05070098;
 *   leaky_relu x>0 ? x : 0.2x (Keras 3 negative_slope 0.2);
 *   relu6 min(max(0,x),6); softsign x/(1+|x|); silu (swish) x*sigmoid(x);
 *   gelu x*Phi(x) exact, with erf (Keras approximate=False);
 *   exponential e^x; hard_sigmoid relu6(x+3)/6 (Keras 3; Keras 2 used
 *   clip(0.2x+0.5, 0, 1)). */
#ifndef NN_ACTIVATION_H
#define NN_ACTIVATION_H

typedef enum nn_act {
    NN_ACT_LINEAR,
    NN_ACT_SIGMOID,
    NN_ACT_TANH,
    NN_ACT_RELU,
    NN_ACT_SOFTPLUS,
    NN_ACT_SOFTMAX,
    NN_ACT_ELU,
    NN_ACT_SELU,
    NN_ACT_LEAKY_RELU,
    NN_ACT_RELU6,
    NN_ACT_SOFTSIGN,
    NN_ACT_SILU,
    NN_ACT_GELU,
    NN_ACT_EXPONENTIAL,
    NN_ACT_HARD_SIGMOID,
    NN_ACT_COUNT
} nn_act;

/* Names in enum order, NULL-terminated ("linear", ..., "hard_sigmoid"). */
extern const char *const nn_act_names[];

/* Name to kind; accepts "swish" for silu and "None" for linear.
 * Returns 0, or -1 for an unknown name. */
int nn_act_parse(const char *name, nn_act *out);

/* y = f(x), x and y are (rows, cols), row-major; softmax works per row
 * (max subtracted first).  y may equal x (in place). */
void nn_act_forward(nn_act a, float *y, const float *x, int rows, int cols);

/* dx += dy * f'(x): accumulates, as backward functions do everywhere in the
 * engine.  x is the input and y = f(x) the output of the forward pass
 * (both are kept; each function uses whichever is cheaper).  For softmax:
 * dx_j += y_j * (dy_j - sum_k dy_k y_k) per row.  dx must not alias dy. */
void nn_act_backward(nn_act a, float *dx, const float *dy, const float *x,
                     const float *y, int rows, int cols);

/* Scalar f(x) and f'(x) in double, for plots and tests (softmax: not
 * elementwise; these treat it as the 1-class case, returning 1 and 0). */
double nn_act_eval(nn_act a, double x);
double nn_act_deriv(nn_act a, double x);

#endif
