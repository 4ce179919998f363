/* pass.h - inside the engine only: what the passes (pass.c), the
 * per-batch memory (batch.c) and plain SGD folded into backward (fold.c)
 * share.  The public calls are in model.h. */
#ifndef NN_PASS_H
#define NN_PASS_H

#include "model.h"
#include "fold.h"

/* Lays out the per-batch buffers for rows samples (a new slab when rows >
 * batch_cap; see batch.c for what each node gets). */
int nn_batch_grow(nn_model *m, int rows, nn_err *e);
/* Room in m->gather for every input's columns of rows samples. */
int nn_batch_gather_room(nn_model *m, int rows, nn_err *e);
/* Each input's columns of x (rows, d) into m->gather: xs[k] is the k-th
 * input node's (rows, size). */
void nn_batch_gather(nn_model *m, const float *x, int d, int rows,
                     const float **xs);


/* Backward from the gradients nn_model_loss left.  fold NULL: every
 * parameter gradient into m->grads (nn_model_backward); else no dW, each
 * trainable Dense layer's db into fold->db and nn_fold_dense after its
 * dx. */
void nn_backward(nn_model *m, const nn_fold *fold);

#endif
