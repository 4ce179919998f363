/* loss.h - Keras's losses with per-sample weights and Keras's reduction.
 *
 * Per-sample loss l_i (Keras keras/src/losses/losses.py):
 *   mse  mean_j (p_ij - y_ij)^2            mae  mean_j |p_ij - y_ij|
 *   huber mean_j h(p_ij - y_ij), h(e) = 0.5 e^2 if |e| <= delta
 *                                       else delta |e| - 0.5 delta^2
 *   binary_crossentropy       mean_j -(y ln p + (1-y) ln(1-p))
 *   categorical_crossentropy  -sum_j y_ij ln p_ij        (one-hot labels)
 *   sparse_categorical_crossentropy  -ln p_i,y_i         (integer labels)
 * and Keras 3's others (the same file; eps = 1e-7, m = mean over j):
 *   kl_divergence   sum_j Y_j ln(Y_j / P_j), Y, P clipped to [eps, 1]
 *   poisson         m (p - y ln(p + eps))
 *   log_cosh        m (e + softplus(-2e) - ln 2), e = p - y
 *   hinge           m max(1 - y p, 0)      squared_hinge  m max(1 - y p, 0)^2
 *                   (labels 0/1 become -1/1 when every label of the batch
 *                   is 0 or 1, as Keras's convert_binary_labels_to_hinge)
 *   categorical_hinge  max(max_j (1 - y_j) p_j - sum_j y_j p_j + 1, 0)
 *   cosine_similarity  -sum_j (y_j / |y|) (p_j / |p|), |v| = max(||v||, eps)
 *                   (negative: -1 is the best; Keras's ops.normalize)
 *   binary_focal_crossentropy  m (1 - p_t)^gamma bce, p_t = y p + (1-y)(1-p)
 *                   (times y alpha + (1-y)(1-alpha) with
 *                   apply_class_balancing), gamma 2, alpha 0.25
 *   categorical_focal_crossentropy  sum_j -alpha (1 - q_j)^gamma y_j ln q_j,
 *                   q = clip(p / sum p), alpha 0.25, gamma 2
 *   mean_absolute_percentage_error  100 m |y - p| / max(|y|, eps)
 *   mean_squared_logarithmic_error  m (ln(max(p, eps) + 1) - ln(max(y, eps) + 1))^2
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
    /* Keras 3's others: appended, so saved files keep their numbers */
    NN_LOSS_KLD,
    NN_LOSS_POISSON,
    NN_LOSS_LOG_COSH,
    NN_LOSS_HINGE,
    NN_LOSS_SQUARED_HINGE,
    NN_LOSS_CATEGORICAL_HINGE,
    NN_LOSS_COSINE,
    NN_LOSS_BINARY_FOCAL,
    NN_LOSS_CATEGORICAL_FOCAL,
    NN_LOSS_MAPE,
    NN_LOSS_MSLE,
    NN_LOSS_COUNT
} nn_loss_kind;

/* Keras names in enum order, NULL-terminated: "mse" (also
 * "mean_squared_error"), "mae", "huber", "binary_crossentropy",
 * "categorical_crossentropy", "sparse_categorical_crossentropy",
 * "kl_divergence", ..., "mean_squared_logarithmic_error".  A metrics
 * table may reuse it with nn_loss_forward: each name is also Keras's
 * metric function of the same name (keras.metrics.poisson, ...). */
extern const char *const nn_loss_names[];
/* Name to kind, accepting Keras's aliases (mean_squared_error,
 * mean_absolute_error, huber_loss, kld, mape, msle, logcosh,
 * kullback_leibler_divergence).  Returns 0, or -1 for an unknown name. */
int nn_loss_parse(const char *name, nn_loss_kind *out);

/* What a loss takes, for the shell's checks and the exports:
 * from_logits= (the crossentropies and focal ones), gamma=/alpha= (focal),
 * apply_class_balancing= (binary focal only). */
int nn_loss_takes_logits(nn_loss_kind k);
int nn_loss_is_focal(nn_loss_kind k);

typedef struct nn_loss {
    nn_loss_kind kind;
    int from_logits;   /* 0 (Keras default) or 1 */
    float delta;       /* huber only, default 1.0 */
    float gamma;       /* focal losses: default 2 (nn_compile_defaults) */
    float alpha;       /* focal losses: default 0.25 */
    int apply_class_balancing;   /* binary focal: default 0 */
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
