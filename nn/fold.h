/* fold.h - inside the engine only: plain SGD folded into backward
 * (fold.c), as the passes (pass.c) call it. */
#ifndef NN_FOLD_H
#define NN_FOLD_H

#include "model.h"

/* Plain SGD folded into backward (nn_model_backward_sgd): the learning
 * rate, where the new weights go (m->params or a copy), and room for one
 * layer's db. */
typedef struct nn_fold {
    float lr;
    float *w_out;
    float *db;
} nn_fold;

/* The SGD step of Dense node i from its dz (rows, units) and db (units,
 * NULL without a trainable bias), into fold->w_out. */
void nn_fold_dense(const nn_fold *fold, nn_model *m, int i, int rows,
                   const float *db);

#endif
