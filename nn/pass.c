/* pass.c - the passes over a model's graph: forward (nodes up the
 * array), the loss and its gradient at the outputs, backward (nodes down
 * the array), and forward on a dataset's rows (several inputs, predict).
 * Shapes are given as (rows, width); rows = samples in the batch.  A
 * Dense node computes
 *     z = x W + b      x (rows, fan_in), W (fan_in, units), b (units)
 *     a = f(z)
 * and its backward, with dz = da * f'(z) (or the fused loss gradient):
 *     dW += x^T dz     (fan_in, units)
 *     db += sum_rows dz
 *     dx += dz W^T     (rows, fan_in)
 * With plain SGD folded in (fold.c), backward skips dW and hands each
 * Dense layer's dz and db to nn_fold_dense once dx is written. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mat.h"
#include "pass.h"

/* ---- forward ---- */

/* z += b on every row (b may be NULL), then a = f(z); relu and linear in
 * the same pass.  z, a (rows, units), b (units); a may be z (linear). */
static void bias_act(nn_act act, float *a, float *z, const float *b,
                     int rows, int units)
{
    if (act == NN_ACT_RELU) {
        for (int r = 0; r < rows; r++) {
            float *restrict zr = z + (size_t)r * units;
            float *restrict ar = a + (size_t)r * units;
            if (b)
                for (int j = 0; j < units; j++) {
                    float v = zr[j] + b[j];
                    zr[j] = v;
                    ar[j] = v > 0.0f ? v : 0.0f;
                }
            else
                for (int j = 0; j < units; j++)
                    ar[j] = zr[j] > 0.0f ? zr[j] : 0.0f;
        }
        return;
    }
    if (b)
        for (int r = 0; r < rows; r++) {
            float *restrict zr = z + (size_t)r * units;
            for (int j = 0; j < units; j++)
                zr[j] += b[j];
        }
    if (act != NN_ACT_LINEAR)
        nn_act_forward(act, a, z, rows, units);
}

int nn_model_forward(nn_model *m, const float *const *x, int rows,
                     int training, nn_err *e)
{
    (void)training;
    if (rows <= 0)
        return nn_fail(e, "no samples");
    if (nn_batch_grow(m, rows, e) != NN_OK)
        return NN_FAIL;
    int k = 0;
    for (int i = 0; i < m->n; i++) {
        nn_node *nd = &m->nodes[i];
        const nn_node *in = nd->nin ? &m->nodes[nd->in[0]] : NULL;
        switch (nd->kind) {
        case NN_NODE_INPUT:
            nd->a = (float *)x[k++];
            break;
        case NN_NODE_FLATTEN:
            nd->a = in->a;
            break;
        case NN_NODE_DENSE: {
            const nn_node *own = &m->nodes[nd->shared];
            int units = nd->dense.units;
            const float *W = m->params + own->w_off;
            /* z = x W, then z += b and a = f(z) in one pass (Keras:
             * matmul, then bias_add) */
            nn_gemm(0, 0, rows, units, nd->fan_in, 1.0f, in->a, nd->fan_in, W,
                    units, 0.0f, nd->z, units);
            bias_act(nd->act, nd->a, nd->z,
                     own->dense.use_bias ? m->params + own->b_off : NULL,
                     rows, units);
            break;
        }
        case NN_NODE_ACTIVATION:   /* (rows, in->size) -> (rows, size) */
            nn_act_forward(nd->act, nd->a, in->a, rows, in->size);
            break;
        case NN_NODE_CONCAT: {
            int off = 0;
            for (int j = 0; j < nd->nin; j++) {
                const nn_node *s = &m->nodes[nd->in[j]];
                for (int r = 0; r < rows; r++)
                    memcpy(nd->a + (size_t)r * nd->size + off,
                           s->a + (size_t)r * s->size, (size_t)s->size * sizeof(float));
                off += s->size;
            }
            break;
        }
        default:
            if (NN_NODE_IS_MERGE(nd->kind))
                nn_merge_forward(m, nd, rows);
            break;
        }
    }
    m->rows = rows;
    return NN_OK;
}

const float *nn_model_out(const nn_model *m, int k)
{
    int outs[NN_MAXOUT];
    int n = nn_model_outputs(m, outs);
    return k < n ? m->nodes[outs[k]].a : NULL;
}

/* ---- loss and backward ---- */

static int has_consumers(const nn_model *m, int i)
{
    for (int j = i + 1; j < m->n; j++)
        for (int k = 0; k < m->nodes[j].nin; k++)
            if (m->nodes[j].in[k] == i)
                return 1;
    return 0;
}

/* The node whose buffer da is: flatten passes its input's through. */
static int da_owner(const nn_model *m, int i)
{
    while (m->nodes[i].kind == NN_NODE_FLATTEN)
        i = m->nodes[i].in[0];
    return i;
}

double nn_model_loss(nn_model *m, const float *const *y, const float *w,
                     double *per_out, int grad)
{
    int outs[NN_MAXOUT];
    int nout = nn_model_outputs(m, outs);
    int rows = m->rows;
    if (grad) {
        /* nothing holds a gradient of this batch yet: the first write
         * into each buffer overwrites it (backward) */
        for (int i = 0; i < m->n; i++) {
            nn_node *nd = &m->nodes[i];
            nd->fused = 0;
            nd->da_set = 0;
            nd->dw_set = 0;
        }
    }
    double total = 0;
    for (int k = 0; k < nout; k++) {
        nn_node *o = &m->nodes[outs[k]];
        const nn_loss *L = &m->cc.loss[k];
        double lw = m->cc.loss_weights[k];
        double lk = nn_loss_forward(L, o->a, y[k], w, rows, o->size, NULL);
        if (per_out)
            per_out[k] = lk;
        total += lw * lk;
        if (!grad)
            continue;
        int can_fuse = (o->kind == NN_NODE_DENSE || o->kind == NN_NODE_ACTIVATION) &&
                       nn_loss_fusable(L, o->act) && !has_consumers(m, outs[k]);
        float *g;
        if (can_fuse) {
            nn_loss_backward_fused(L, o->dz, o->a, y[k], w, rows, o->size);
            o->fused = 1;
            g = o->dz;
        } else if (!o->da) {
            continue;      /* a Flatten of an input: nothing to train above */
        } else if (m->nodes[da_owner(m, outs[k])].da_set) {
            /* another output wrote these floats (a Flatten of an output):
             * this loss's gradient adds to it */
            size_t len = (size_t)rows * o->size;
            float *t = malloc(len * sizeof *t + 1);
            if (!t)
                continue;  /* out of memory: this output's gradient is lost */
            nn_loss_backward(L, t, o->a, y[k], w, rows, o->size);
            for (size_t j = 0; j < len; j++)
                o->da[j] += (float)lw * t[j];
            free(t);
            continue;
        } else {
            nn_loss_backward(L, o->da, o->a, y[k], w, rows, o->size);
            m->nodes[da_owner(m, outs[k])].da_set = 1;
            g = o->da;
        }
        if (lw != 1.0) {
            size_t len = (size_t)rows * o->size;
            for (size_t j = 0; j < len; j++)
                g[j] *= (float)lw;
        }
    }
    return total;
}

/* dst = src (first write of a batch) or dst += src, n floats. */
static void put(float *restrict dst, const float *restrict src, size_t n,
                int add)
{
    if (add)
        for (size_t j = 0; j < n; j++)
            dst[j] += src[j];
    else
        memcpy(dst, src, n * sizeof *dst);
}

/* Makes node i's da hold a gradient: zero when nothing wrote it (a node
 * no output depends on, or a fused output whose loss wrote dz). */
static void settle_da(nn_model *m, int i, int rows)
{
    nn_node *o = &m->nodes[da_owner(m, i)];
    if (o->da && !o->da_set) {
        memset(o->da, 0, (size_t)rows * o->size * sizeof(float));
        o->da_set = 1;
    }
}

/* Dense backward.  dz = da * f'(z) (unless the loss wrote dz), then
 *   dW = x^T dz   (fan_in, units)     db = sum_rows dz   (units)
 *   dx = dz W^T   (rows, fan_in)
 * each written (beta 0) when it is the buffer's first gradient of the
 * batch, added (beta 1) after (shared layers, several consumers).  For
 * relu, dz and db come out of one pass.  With fold (no shared layers):
 * no dW; db goes to fold->db, and once dx has read the weights before the
 * step, nn_fold_dense steps the layer (fold.c). */
static void dense_backward(nn_model *m, int i, int rows, const nn_fold *fold)
{
    nn_node *nd = &m->nodes[i];
    nn_node *own = &m->nodes[nd->shared];
    nn_node *in = &m->nodes[nd->in[0]];
    nn_node *ind = &m->nodes[da_owner(m, nd->in[0])];
    int units = nd->dense.units, fan_in = nd->fan_in;
    int train = own->dense.trainable, bias = own->dense.use_bias;
    float *db = !(bias && train) ? NULL : fold ? fold->db : m->grads + own->b_off;
    int db_done = 0;
    if (!nd->fused && nd->act == NN_ACT_RELU) {
        /* dz = da [z > 0], and db (+)= dz row by row */
        for (int r = 0; r < rows; r++) {
            const float *restrict dar = nd->da + (size_t)r * units;
            const float *restrict zr = nd->z + (size_t)r * units;
            float *restrict dzr = nd->dz + (size_t)r * units;
            for (int j = 0; j < units; j++) {
                float d = dar[j];   /* loaded always: the loop vectorizes */
                dzr[j] = zr[j] > 0.0f ? d : 0.0f;
            }
            if (db)
                put(db, dzr, (size_t)units, own->dw_set || r > 0);
        }
        db_done = db != NULL;
    } else if (!nd->fused && nd->act != NN_ACT_LINEAR) {
        memset(nd->dz, 0, (size_t)rows * units * sizeof(float));
        nn_act_backward(nd->act, nd->dz, nd->da, nd->z, nd->a, rows, units);
    }
    if (train && db && !db_done)
        for (int r = 0; r < rows; r++)
            put(db, nd->dz + (size_t)r * units, (size_t)units,
                own->dw_set || r > 0);
    if (train && !fold)   /* dW (+)= x^T dz: (fan_in, rows) x (rows, units) */
        nn_gemm(1, 0, fan_in, units, rows, 1.0f, in->a, fan_in, nd->dz,
                units, own->dw_set ? 1.0f : 0.0f, m->grads + own->w_off, units);
    if (train)
        own->dw_set = 1;
    if (in->da) {   /* dx (+)= dz W^T: (rows, units) x (units, fan_in) */
        nn_gemm(0, 1, rows, fan_in, units, 1.0f, nd->dz, units,
                m->params + own->w_off, units, ind->da_set ? 1.0f : 0.0f,
                in->da, fan_in);
        ind->da_set = 1;
    }
    if (train && fold)   /* after dx, which reads the old W (in place) */
        nn_fold_dense(fold, m, i, rows, db);
}

void nn_backward(nn_model *m, const nn_fold *fold)
{
    int rows = m->rows;
    /* what no trainable layer writes reads zero: frozen layers, and
     * floats no layer owns (with fold, the gradients are not written) */
    if (!fold) {
        size_t at = 0;
        for (int i = 0; i < m->n && at <= m->nparams; i++) {
            const nn_node *nd = &m->nodes[i];
            size_t p = nn_node_params(m, i);
            if (!p)
                continue;
            if (nd->w_off < at) {   /* not in order: zero everything */
                at = m->nparams + 1;
                break;
            }
            if (!nd->dense.trainable)
                continue;   /* zeroed with the gap up to the next trainable one */
            if (nd->w_off > at)
                memset(m->grads + at, 0, (nd->w_off - at) * sizeof(float));
            at = nd->w_off + p;
        }
        if (at > m->nparams)
            memset(m->grads, 0, m->nparams * sizeof(float));
        else if (at < m->nparams)
            memset(m->grads + at, 0, (m->nparams - at) * sizeof(float));
    }
    for (int i = m->n - 1; i >= 0; i--) {
        nn_node *nd = &m->nodes[i];
        nn_node *in = nd->nin ? &m->nodes[nd->in[0]] : NULL;
        nn_node *ind = nd->nin ? &m->nodes[da_owner(m, nd->in[0])] : NULL;
        if (nd->kind != NN_NODE_FLATTEN && nd->kind != NN_NODE_INPUT)
            settle_da(m, i, rows);
        switch (nd->kind) {
        case NN_NODE_DENSE:
            dense_backward(m, i, rows, fold);
            break;
        case NN_NODE_ACTIVATION:
            if (!in->da)
                break;
            if (nd->fused) {
                put(in->da, nd->dz, (size_t)rows * nd->size, ind->da_set);
            } else {
                if (!ind->da_set)
                    memset(in->da, 0, (size_t)rows * in->size * sizeof(float));
                nn_act_backward(nd->act, in->da, nd->da, in->a, nd->a, rows, in->size);
            }
            ind->da_set = 1;
            break;
        case NN_NODE_CONCAT: {
            int off = 0;
            for (int j = 0; j < nd->nin; j++) {
                nn_node *s = &m->nodes[nd->in[j]];
                nn_node *sd = &m->nodes[da_owner(m, nd->in[j])];
                if (s->da) {
                    for (int r = 0; r < rows; r++)
                        put(s->da + (size_t)r * s->size,
                            nd->da + (size_t)r * nd->size + off,
                            (size_t)s->size, sd->da_set);
                    sd->da_set = 1;
                }
                off += s->size;
            }
            break;
        }
        default:
            if (NN_NODE_IS_MERGE(nd->kind)) {
                float *dx[NN_MAXIN];
                int *dx_set[NN_MAXIN];
                for (int j = 0; j < nd->nin; j++) {
                    dx[j] = m->nodes[nd->in[j]].da;
                    dx_set[j] = &m->nodes[da_owner(m, nd->in[j])].da_set;
                }
                nn_merge_backward(m, nd, rows, dx, dx_set);
            }
            break;
        }
    }
}

void nn_model_backward(nn_model *m)
{
    nn_backward(m, NULL);
}

int nn_model_forward_data(nn_model *m, const float *x, int d, int rows,
                          int training, nn_err *e)
{
    if (nn_model_check_columns(m, d, e) != NN_OK)
        return NN_FAIL;
    int nin = nn_model_ninputs(m), first = nn_model_input(m);
    if (nin == 1 && m->nodes[first].col_from == 0)
        return nn_model_forward(m, &x, rows, training, e);
    if (rows <= 0)
        return nn_fail(e, "no samples");
    if (nn_batch_gather_room(m, rows, e) != NN_OK)
        return NN_FAIL;
    const float *xs_s[8], **xs = xs_s;
    if (nin > 8 && !(xs = nn_calloc((size_t)nin, sizeof *xs, e)))
        return NN_FAIL;
    nn_batch_gather(m, x, d, rows, xs);
    int rc = nn_model_forward(m, xs, rows, training, e);
    if (xs != xs_s)
        free(xs);
    return rc;
}

int nn_model_predict(nn_model *m, const float *x, int d, int n, float *out,
                     nn_err *e)
{
    int in = nn_model_input(m), on = nn_model_output(m);
    if (in < 0 || on < 0 || on == in)
        return nn_fail(e, "the model has no layers to predict with");
    if (m->nout > 1)
        return nn_fail(e, "the model must have one output to predict (this one "
                          "has %d)", m->nout);
    int od = m->nodes[on].size;
    const int chunk = 256;
    for (int s = 0; s < n; s += chunk) {
        int rows = n - s < chunk ? n - s : chunk;
        const float *xs = x + (size_t)s * d;
        if (nn_model_forward_data(m, xs, d, rows, 0, e) != NN_OK)
            return NN_FAIL;
        memcpy(out + (size_t)s * od, m->nodes[on].a, (size_t)rows * od * sizeof(float));
    }
    return NN_OK;
}

/* Backward with plain SGD folded in (fold.c). */
void nn_model_backward_sgd(nn_model *m, float lr, float *w_out, float *db)
{
    nn_fold f = {lr, w_out, db};
    nn_backward(m, &f);
}
