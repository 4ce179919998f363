/* fold.c - plain SGD folded into backward (model.h: nn_model_backward_sgd):
 * for each trainable Dense layer, once backward has written dx = dz W^T
 * from the weights before the step,
 *   W_out += -lr x^T dz    (sgemm, alpha -lr, beta 1: no dW buffer)
 *   b_out -= lr db
 * so one pass over the weights replaces backward's dW and the optimizer's
 * w -= lr g.  Which models may fold: SGD without momentum, no shared
 * layer. */
#include "fold.h"
#include "mat.h"
#include "optim.h"

int nn_model_can_fold_sgd(const nn_model *m)
{
    if (!m->compiled || !nn_opt_plain_sgd(&m->opt.cfg) || m->opt.n != m->nparams)
        return 0;
    for (int i = 0; i < m->n; i++)
        if (m->nodes[i].kind == NN_NODE_DENSE && m->nodes[i].shared != i)
            return 0;
    return 1;
}

int nn_model_fold_room(const nn_model *m)
{
    int most = 1;
    for (int i = 0; i < m->n; i++)
        if (m->nodes[i].kind == NN_NODE_DENSE && m->nodes[i].dense.units > most)
            most = m->nodes[i].dense.units;
    return most;
}

void nn_fold_dense(const nn_fold *fold, nn_model *m, int i, int rows,
                   const float *db)
{
    const nn_node *nd = &m->nodes[i];
    const nn_node *own = &m->nodes[nd->shared];
    const nn_node *in = &m->nodes[nd->in[0]];
    int units = nd->dense.units, fan_in = nd->fan_in;
    nn_gemm(1, 0, fan_in, units, rows, -fold->lr, in->a, fan_in, nd->dz,
            units, 1.0f, fold->w_out + own->w_off, units);
    if (db) {
        float *b = fold->w_out + own->b_off;
        nn_opt_sgd_kernel(b, b, db, fold->lr, (size_t)units);
    }
}
