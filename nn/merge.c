/* merge.c - Keras's merging layers (keras.layers.Add, Subtract, Multiply,
 * Average, Maximum, Minimum): n inputs x_1 .. x_n of one shape, (rows,
 * size) each, merged element by element:
 *
 *   add       a = sum_j x_j                    da/dx_j = 1
 *   subtract  a = x_1 - x_2                    +1, -1
 *   multiply  a = prod_j x_j                   prod_{k != j} x_k
 *   average   a = (1/n) sum_j x_j              1/n
 *   maximum   a = max_j x_j                    1 for the first j that
 *   minimum   a = min_j x_j                    attains it, 0 for the others
 *
 * Maximum and minimum follow Keras 3, which folds ops.maximum(out, x_j)
 * over the inputs: on a tie the earlier input keeps the value, and
 * TensorFlow's gradient of maximum(x, y) goes to x where x >= y, so the
 * first input that attains the extremum takes the whole gradient. */
#include <string.h>
#include "model.h"

void nn_merge_forward(const nn_model *m, nn_node *nd, int rows)
{
    size_t len = (size_t)rows * nd->size;
    int n = nd->nin;
    float *restrict a = nd->a;
    memcpy(a, m->nodes[nd->in[0]].a, len * sizeof *a);
    for (int j = 1; j < n; j++) {
        const float *restrict x = m->nodes[nd->in[j]].a;
        switch (nd->kind) {
        case NN_NODE_ADD:
        case NN_NODE_AVERAGE:
            for (size_t k = 0; k < len; k++)
                a[k] += x[k];
            break;
        case NN_NODE_SUBTRACT:
            for (size_t k = 0; k < len; k++)
                a[k] -= x[k];
            break;
        case NN_NODE_MULTIPLY:
            for (size_t k = 0; k < len; k++)
                a[k] *= x[k];
            break;
        case NN_NODE_MAXIMUM:
            for (size_t k = 0; k < len; k++)
                a[k] = x[k] > a[k] ? x[k] : a[k];
            break;
        case NN_NODE_MINIMUM:
            for (size_t k = 0; k < len; k++)
                a[k] = x[k] < a[k] ? x[k] : a[k];
            break;
        default:
            break;
        }
    }
    if (nd->kind == NN_NODE_AVERAGE) {
        float inv = 1.0f / (float)n;
        for (size_t k = 0; k < len; k++)
            a[k] *= inv;
    }
}

/* The index of the first input attaining the extremum at element k. */
static int winner(const nn_model *m, const nn_node *nd, size_t k)
{
    int w = 0;
    float best = m->nodes[nd->in[0]].a[k];
    for (int j = 1; j < nd->nin; j++) {
        float v = m->nodes[nd->in[j]].a[k];
        if (nd->kind == NN_NODE_MAXIMUM ? v > best : v < best) {
            best = v;
            w = j;
        }
    }
    return w;
}

void nn_merge_backward(nn_model *m, const nn_node *nd, int rows, float *const *dx,
                       int *const *dx_set)
{
    size_t len = (size_t)rows * nd->size;
    const float *restrict da = nd->da;
    for (int j = 0; j < nd->nin; j++) {
        float *restrict d = dx[j];
        if (!d)
            continue;   /* an input with nothing to train behind it */
        if (!*dx_set[j])
            memset(d, 0, len * sizeof *d);
        *dx_set[j] = 1;
        switch (nd->kind) {
        case NN_NODE_ADD:
            for (size_t k = 0; k < len; k++)
                d[k] += da[k];
            break;
        case NN_NODE_SUBTRACT:
            if (j == 0)
                for (size_t k = 0; k < len; k++)
                    d[k] += da[k];
            else
                for (size_t k = 0; k < len; k++)
                    d[k] -= da[k];
            break;
        case NN_NODE_AVERAGE: {
            float inv = 1.0f / (float)nd->nin;
            for (size_t k = 0; k < len; k++)
                d[k] += da[k] * inv;
            break;
        }
        case NN_NODE_MULTIPLY:
            for (size_t k = 0; k < len; k++) {
                float p = da[k];
                for (int i = 0; i < nd->nin; i++)
                    if (i != j)
                        p *= m->nodes[nd->in[i]].a[k];
                d[k] += p;
            }
            break;
        case NN_NODE_MAXIMUM:
        case NN_NODE_MINIMUM:
            for (size_t k = 0; k < len; k++)
                if (winner(m, nd, k) == j)
                    d[k] += da[k];
            break;
        default:
            break;
        }
    }
}
