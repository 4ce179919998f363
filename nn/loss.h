/* loss.h - Keras's losses with per-sample weights and Keras's reduction.
 *
 * Per-sample loss l_i (Keras keras/src/losses/losses.py):
 *   mse  mean_j (p_ij - y_ij)^2            mae  mean_j |p_ij - y_ij|
 *   huber mean_j h(p_ij - y_ij), h(e) = 0.5 e^2 if |e| <= delta
 *                                       else delta |e| - 0.5 delta^2
 *   binary_crossentropy       mean_j -(y ln p + (1-y) ln(1-p))
 *   categorical_crossentropy  -sum_j y_ij ln p_ij        (one-hot labels)
 *   sparse_categorical_crossentropy  -ln p_i,y_i         (integer labels)
 * Probabilities are clipped to [1e-7, 1 - 1e-7] when from_logits is 0;
 * with from_logits the outputs are logits and the loss applies sigmoid
 * (binary) or softmax (categorical) itself, stably.
 * Batch loss (reduction "sum_over_batch_size"):
 *   L = sum_i w_i l_i / rows      (divided by rows, NOT by sum of weights).
 *
 * Shapes: out (rows, cols).  y (rows, cols), except for
 * sparse_categorical_crossentropy where y is (rows, 1) holding class
 * indices as floats.  w (rows) or NULL for all ones. */
#ifndef NN_LOSS_H
#define NN_LOSS_H

#include "activation.h"

typedef enum nn_loss_kind {
    NN_LOSS_MSE,
    NN_LOSS_MAE,
    NN_LOSS_HUBER,
    NN_LOSS_BCE,
    NN_LOSS_CCE,
    NN_LOSS_SCCE,
    NN_LOSS_COUNT
} nn_loss_kind;

/* Keras names in enum order, NULL-terminated: "mse" (also
 * "mean_squared_error"), "mae", "huber", "binary_crossentropy",
 * "categorical_crossentropy", "sparse_categorical_crossentropy". */
extern const char *const nn_loss_names[];
/* Name to kind, accepting Keras's long aliases (mean_squared_error,
 * mean_absolute_error).  Returns 0, or -1 for an unknown name. */
int nn_loss_parse(const char *name, nn_loss_kind *out);

typedef struct nn_loss {
    nn_loss_kind kind;
    int from_logits;   /* 0 (Keras default) or 1 */
    float delta;       /* huber only, default 1.0 */
} nn_loss;

/* Batch loss; per_sample[rows] receives the unweighted l_i when not NULL. */
double nn_loss_forward(const nn_loss *L, const float *out, const float *y,
                       const float *w, int rows, int cols, float *per_sample);

/* grad = dL/d(out), (rows, cols), overwritten. */
void nn_loss_backward(const nn_loss *L, float *grad, const float *out,
                      const float *y, const float *w, int rows, int cols);

/* Softmax + cross-entropy and sigmoid + binary cross-entropy fused: when a
 * layer's activation act feeds this loss (from_logits 0), the gradient with
 * respect to the layer's pre-activation z is simply w_i (p - y) / rows
 * (for bce divided also by cols), which is exact and never overflows.
 * nn_loss_fusable says whether the pair fuses; nn_loss_backward_fused
 * writes dz (rows, cols), overwritten, from p = act(z). */
int nn_loss_fusable(const nn_loss *L, nn_act act);
void nn_loss_backward_fused(const nn_loss *L, float *dz, const float *p,
                            const float *y, const float *w, int rows, int cols);

#endif
