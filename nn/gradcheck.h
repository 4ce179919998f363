/* gradcheck.h - backpropagation checked against central finite
 * differences, per parameter tensor (kann's kad_check_grad as a library
 * function).
 *
 * For each parameter p: numeric = (L(p + h) - L(p - h)) / 2h with the loss
 * evaluated in double-accumulated float; relative error
 * |analytic - numeric| / max(|analytic| + |numeric|, 1e-8).  The report
 * gives the worst relative error per tensor (kernel and bias of each
 * Dense layer). */
#ifndef NN_GRADCHECK_H
#define NN_GRADCHECK_H

#include "model.h"

typedef struct nn_gradcheck_row {
    char tensor[NN_NAMEMAX + 8];  /* "dense_1/kernel" */
    int node;
    size_t count;                 /* parameters checked */
    double max_rel;               /* worst relative error */
    double max_abs;               /* worst absolute difference */
    size_t worst;                 /* index within the tensor */
} nn_gradcheck_row;

#define NN_GRADCHECK_MAXROWS 64

typedef struct nn_gradcheck_report {
    int nrows;
    nn_gradcheck_row rows[NN_GRADCHECK_MAXROWS];
} nn_gradcheck_report;

/* Checks m (compiled) on rows samples of x (rows, d) and y (rows, ycols),
 * at most max_per_tensor parameters per tensor (evenly spread; 0 = all),
 * with step h (e.g. 1e-3).  Leaves the parameters as they were. */
int nn_gradcheck(nn_model *m, const float *x, int d, const float *y, int rows,
                 double h, size_t max_per_tensor, nn_gradcheck_report *rep,
                 nn_err *e);
/* The same with each output's own targets ys[k] (rows, its columns:
 * nn_outmap_batch); nn_gradcheck gives every output y. */
int nn_gradcheck_ys(nn_model *m, const float *x, int d, const float *const *ys,
                    int rows, double h, size_t max_per_tensor,
                    nn_gradcheck_report *rep, nn_err *e);

#endif
