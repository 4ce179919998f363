/* batch.c - the per-batch memory of a model: one slab holding every
 * node's a, z, da and dz for batch_cap rows, laid out by nn_batch_grow,
 * and the gather buffer that gives each input its columns of the data.
 * Per node, (rows, size) each:
 *   Dense       z, a, dz, da (linear: a is z and da is dz)
 *   Activation  a, dz, da
 *   Concatenate a, da
 *   Flatten     da is its input's (same floats, other shape)
 *   Input       a points at the caller's batch, no gradient */
#include <stdlib.h>
#include <string.h>
#include "pass.h"

/* Floats of per-batch buffers per row: what nn_batch_grow lays out. */
static size_t floats_per_row(const nn_model *m)
{
    size_t f = 0;
    for (int i = 0; i < m->n; i++) {
        const nn_node *nd = &m->nodes[i];
        switch (nd->kind) {
        case NN_NODE_DENSE:
            f += (size_t)nd->size * (nd->act == NN_ACT_LINEAR ? 2 : 4);
            break;
        case NN_NODE_ACTIVATION:
            f += (size_t)nd->size * 3;
            break;
        case NN_NODE_CONCAT:
            f += (size_t)nd->size * 2;
            break;
        default:
            if (NN_NODE_IS_MERGE(nd->kind))   /* a and da, as concatenate */
                f += (size_t)nd->size * 2;
            break;
        }
    }
    return f;
}

size_t nn_model_bytes(const nn_model *m, int rows)
{
    return m->nparams * 4 * sizeof(float) +
           floats_per_row(m) * (size_t)rows * sizeof(float);
}

int nn_batch_grow(nn_model *m, int rows, nn_err *e)
{
    if (rows <= m->batch_cap && m->slab)
        return NN_OK;
    size_t per = floats_per_row(m);
    size_t len = nn_mul3(per ? per : 1, (size_t)rows, 1);
    if (len == 0)
        return nn_fail(e, "batch too large");
    float *slab = nn_calloc(len, sizeof(float), e);
    if (!slab)
        return NN_FAIL;
    free(m->slab);
    m->slab = slab;
    m->slab_len = len;
    m->batch_cap = rows;
    float *p = slab;
    for (int i = 0; i < m->n; i++) {
        nn_node *nd = &m->nodes[i];
        size_t w = (size_t)nd->size * (size_t)rows;
        nd->a = nd->da = nd->z = nd->dz = NULL;
        switch (nd->kind) {
        case NN_NODE_INPUT:
            break;   /* a points at the caller's batch; no gradient */
        case NN_NODE_FLATTEN:
            nd->da = m->nodes[nd->in[0]].da;   /* same floats, other shape */
            break;
        case NN_NODE_DENSE:
            nd->z = p, p += w;
            if (nd->act == NN_ACT_LINEAR) {
                nd->a = nd->z;
                nd->dz = p, p += w;
                nd->da = nd->dz;     /* f' = 1: dz is da */
            } else {
                nd->a = p, p += w;
                nd->dz = p, p += w;
                nd->da = p, p += w;
            }
            break;
        case NN_NODE_ACTIVATION:
            nd->a = p, p += w;
            nd->dz = p, p += w;
            nd->da = p, p += w;
            break;
        case NN_NODE_CONCAT:
            nd->a = p, p += w;
            nd->da = p, p += w;
            break;
        default:
            if (NN_NODE_IS_MERGE(nd->kind)) {
                nd->a = p, p += w;
                nd->da = p, p += w;
            }
            break;
        }
    }
    return NN_OK;
}

/* Room in m->gather for every input's columns of rows samples. */
int nn_batch_gather_room(nn_model *m, int rows, nn_err *e)
{
    size_t total = 0;
    for (int i = 0; i < m->n; i++)
        if (m->nodes[i].kind == NN_NODE_INPUT)
            total += (size_t)m->nodes[i].size;
    size_t need = nn_mul3(total, (size_t)rows, 1);
    if (need == 0)
        return nn_fail(e, "the inputs' columns overflow memory");
    if (need > m->gather_len) {
        float *g = nn_calloc(need, sizeof(float), e);
        if (!g)
            return NN_FAIL;
        free(m->gather);
        m->gather = g;
        m->gather_len = need;
    }
    return NN_OK;
}

/* Each input's columns of x (rows, d), row by row: (rows, size) at
 * xs[k] for the k-th input node, in m->gather. */
void nn_batch_gather(nn_model *m, const float *x, int d, int rows,
                     const float **xs)
{
    /* each input's columns, row by row: (rows, size) at g */
    float *g = m->gather;
    int k = 0;
    for (int i = 0; i < m->n; i++) {
        const nn_node *nd = &m->nodes[i];
        if (nd->kind != NN_NODE_INPUT)
            continue;
        size_t from = (size_t)(nd->col_from - 1), w = (size_t)nd->size;
        for (int r = 0; r < rows; r++)
            memcpy(g + (size_t)r * w, x + (size_t)r * d + from, w * sizeof(float));
        xs[k++] = g;
        g += (size_t)rows * w;
    }
}
