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
 *   clip(0.2x+0.5, 0, 1));
 * and Keras 3's newer ones (keras/src/activations/activations.py, their
 * formulas in keras/src/ops/nn.py):
 *   celu x>=0 ? x : alpha(e^(x/alpha)-1), alpha 1; hard_silu (hard_swish)
 *   x relu6(x+3)/6; hard_tanh clip(x,-1,1); hard_shrink |x|>0.5 ? x : 0;
 *   soft_shrink x-0.5 (x>0.5), x+0.5 (x<-0.5), else 0; tanh_shrink
 *   x-tanh x; log_sigmoid -softplus(-x); mish x tanh(softplus x);
 *   sparse_plus 0 (x<=-1), (x+1)^2/4 (|x|<1), x (x>=1); squareplus
 *   (x+sqrt(x^2+b))/2, b 4;
 * and three more over each row, as softmax: log_softmax x_j - lse(x);
 * sparsemax max(x_j - tau, 0), tau so the row sums to 1 (Martins &
 * Astudillo 2016); glu a sigmoid(b), a and b the two halves of the row
 * (Dauphin et al. 2017), so its output is half as wide as its input. */
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
    /* Keras 3's newer ones: appended, so saved files keep their numbers */
    NN_ACT_CELU,
    NN_ACT_HARD_SILU,
    NN_ACT_HARD_TANH,
    NN_ACT_HARD_SHRINK,
    NN_ACT_SOFT_SHRINK,
    NN_ACT_TANH_SHRINK,
    NN_ACT_LOG_SIGMOID,
    NN_ACT_LOG_SOFTMAX,
    NN_ACT_MISH,
    NN_ACT_SPARSE_PLUS,
    NN_ACT_SQUAREPLUS,
    NN_ACT_SPARSEMAX,
    NN_ACT_GLU,
    NN_ACT_COUNT
} nn_act;

/* Names in enum order, NULL-terminated ("linear", ..., "hard_sigmoid"). */
extern const char *const nn_act_names[];

/* Name to kind; accepts "swish" for silu, "hard_swish" for hard_silu and
 * "None" for linear.
 * Returns 0, or -1 for an unknown name. */
int nn_act_parse(const char *name, nn_act *out);

/* 1 for the activations that work on a whole row (softmax, log_softmax,
 * sparsemax, glu), 0 for the elementwise ones. */
int nn_act_rowwise(nn_act a);
/* Width of the output for an input of cols values: cols, but cols / 2
 * for glu (0 when cols is odd: glu needs an even width). */
int nn_act_out_cols(nn_act a, int cols);

/* y = f(x), x is (rows, cols) and y (rows, nn_act_out_cols(a, cols)),
 * row-major; softmax, log_softmax and sparsemax work per row (max
 * subtracted first), glu on the row's two halves.  y may equal x (in
 * place), except for glu. */
void nn_act_forward(nn_act a, float *y, const float *x, int rows, int cols);

/* dx += dy * f'(x): accumulates, as backward functions do everywhere in the
 * engine.  x is the input (rows, cols) and y = f(x) the output of the
 * forward pass (both are kept; each function uses whichever is cheaper);
 * dx is (rows, cols) and dy is shaped as y.  For softmax:
 * dx_j += y_j * (dy_j - sum_k dy_k y_k) per row.  dx must not alias dy. */
void nn_act_backward(nn_act a, float *dx, const float *dy, const float *x,
                     const float *y, int rows, int cols);

/* Scalar f(x) and f'(x) in double, for plots and tests.  The row-wise
 * ones are not functions of one number: softmax is taken as the 1-class
 * case (1 and 0); log_softmax and sparsemax as the first of the two
 * scores (x, 0), as the 2-class softmax is sigmoid (log_sigmoid(x) and
 * clip((x+1)/2, 0, 1)); glu as glu(x, x) = x sigmoid(x), each half the
 * same number. */
double nn_act_eval(nn_act a, double x);
double nn_act_deriv(nn_act a, double x);

#endif
