/* loss_more.h - Keras 3's losses beyond the six of loss.c (engine-internal:
 * loss.c calls these per row).  Formulas in loss.h. */
#ifndef NN_LOSS_MORE_H
#define NN_LOSS_MORE_H

#include "loss.h"

/* 1 when L is hinge or squared_hinge and every label of y (rows, cols) is
 * 0 or 1: they are then taken as -1 and 1 (Keras's
 * convert_binary_labels_to_hinge, over the batch it is given). */
int nn_loss_hinge01(const nn_loss *L, const float *y, int rows, int cols);
/* l_i of one row for a kind >= NN_LOSS_KLD. */
double nn_loss_more_sample(const nn_loss *L, const float *o, const float *t,
                           int cols, int hinge01);
/* g = a dl_i/do for one row, a = w_i / rows, overwritten. */
void nn_loss_more_grad(const nn_loss *L, float *g, const float *o,
                       const float *t, int cols, double a, int hinge01);

#endif
