/* gradcheck.c - backprop against central finite differences, per tensor. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gradcheck.h"

/* xs: each input's rows, as the first forward gathered them */
static double loss_at(nn_model *m, const float *const *xs,
                      const float *const *ys, int rows)
{
    nn_model_forward(m, xs, rows, 0, NULL);
    return nn_model_loss(m, ys, NULL, NULL, 0);
}

static void check_tensor(nn_model *m, const float *const *x, const float *const *y, int rows,
                         double h, size_t max_n, size_t off, size_t count,
                         const float *analytic, nn_gradcheck_row *row)
{
    size_t step = (max_n && count > max_n) ? count / max_n : 1;
    row->count = 0;
    row->max_rel = row->max_abs = 0;
    for (size_t j = 0; j < count; j += step) {
        float *p = m->params + off + j;
        float keep = *p;
        *p = keep + (float)h;
        double lp = loss_at(m, x, y, rows);
        *p = keep - (float)h;
        double lm = loss_at(m, x, y, rows);
        *p = keep;
        /* the step actually taken in float */
        double hp = (double)(keep + (float)h) - keep, hm = keep - (double)(keep - (float)h);
        double num = (lp - lm) / (hp + hm);
        double ana = analytic[j];
        double abs_d = fabs(ana - num), s = fabs(ana) + fabs(num);
        double rel = s < 1e-8 ? abs_d : abs_d / s;
        if (rel > row->max_rel) {
            row->max_rel = rel;
            row->worst = j;
        }
        if (abs_d > row->max_abs)
            row->max_abs = abs_d;
        row->count++;
    }
}

int nn_gradcheck_ys(nn_model *m, const float *x0, int d, const float *const *ys,
                    int rows,
                 double h, size_t max_per_tensor, nn_gradcheck_report *rep,
                 nn_err *e)
{
    memset(rep, 0, sizeof *rep);
    if (!m->compiled)
        return nn_fail(e, "the model is not compiled");
    if (!(h > 0))
        return nn_fail(e, "the step must be > 0");
    if (nn_model_forward_data(m, x0, d, rows, 0, e) != NN_OK)
        return NN_FAIL;
    /* the inputs' rows as gathered, for every later forward */
    int nin = nn_model_ninputs(m), k = 0;
    const float **x = malloc((size_t)nin * sizeof *x + 1);
    if (!x)
        return nn_fail(e, "out of memory");
    for (int i = 0; i < m->n; i++)
        if (m->nodes[i].kind == NN_NODE_INPUT)
            x[k++] = m->nodes[i].a;
    nn_model_loss(m, ys, NULL, NULL, 1);
    nn_model_backward(m);
    float *analytic = malloc(m->nparams * sizeof(float) + 1);
    if (!analytic) {
        free(x);
        return nn_fail(e, "out of memory");
    }
    memcpy(analytic, m->grads, m->nparams * sizeof(float));
    for (int i = 0; i < m->n && rep->nrows + 2 <= NN_GRADCHECK_MAXROWS; i++) {
        const nn_node *nd = &m->nodes[i];
        if (!nn_node_params(m, i))
            continue;
        size_t nw = (size_t)nd->fan_in * nd->dense.units;
        nn_gradcheck_row *row = &rep->rows[rep->nrows++];
        snprintf(row->tensor, sizeof row->tensor, "%s/kernel", nd->name);
        row->node = i;
        if (nd->dense.trainable)
            check_tensor(m, x, ys, rows, h, max_per_tensor, nd->w_off, nw,
                         analytic + nd->w_off, row);
        if (nd->dense.use_bias) {
            row = &rep->rows[rep->nrows++];
            snprintf(row->tensor, sizeof row->tensor, "%s/bias", nd->name);
            row->node = i;
            if (nd->dense.trainable)
                check_tensor(m, x, ys, rows, h, max_per_tensor, nd->b_off,
                             (size_t)nd->dense.units, analytic + nd->b_off, row);
        }
    }
    /* leave the gradients of the batch as backprop gave them */
    memcpy(m->grads, analytic, m->nparams * sizeof(float));
    free(analytic);
    nn_model_forward(m, x, rows, 0, NULL);
    free(x);
    return NN_OK;
}

int nn_gradcheck(nn_model *m, const float *x, int d, const float *y, int rows,
                 double h, size_t max_per_tensor, nn_gradcheck_report *rep,
                 nn_err *e)
{
    const float *ys[NN_MAXOUT];
    for (int k = 0; k < NN_MAXOUT; k++)
        ys[k] = y;               /* every output, the same */
    return nn_gradcheck_ys(m, x, d, ys, rows, h, max_per_tensor, rep, e);
}
