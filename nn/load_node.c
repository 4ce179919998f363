/* load_node.c - one node of a model file checked against the nodes before
 * it, before anything is built (load.c reads the file; save.h gives the
 * layout). */
#include <math.h>
#include <string.h>
#include "load_node.h"

/* Node i as the file gives it, checked against the nodes before it
 * (saved[0..i)) with nothing allocated: kind, input count and indices
 * (always earlier nodes), enums and flags, the shape each kind gives its
 * output, and the parameter offsets, which must tile [0, nparams) in node
 * order as the building calls lay them out.  *off is the next free
 * parameter offset. */
int nn_load_node_ok(const nn_node *saved, int i, int sequential, size_t nparams,
                    size_t *off, nn_err *e)
{
    const nn_node *nd = &saved[i];
    if ((unsigned)nd->kind >= NN_NODE_KIND_COUNT)
        return nn_fail(e, "layer %d has an unknown kind (%u)", i + 1,
                       (unsigned)nd->kind);
    int lo = 1, hi = 1;
    if (nd->kind == NN_NODE_INPUT)
        lo = hi = 0;
    else if (nd->kind == NN_NODE_CONCAT || NN_NODE_IS_MERGE(nd->kind))
        lo = 2, hi = nd->kind == NN_NODE_SUBTRACT ? 2 : NN_MAXIN;
    if (nd->nin < lo || nd->nin > hi)
        return nn_fail(e, "layer '%s' has %d inputs", nd->name, nd->nin);
    for (int k = 0; k < NN_MAXIN; k++) {
        if (k >= nd->nin) {
            if (nd->in[k] != 0)
                return nn_fail(e, "layer '%s': unused input slot set", nd->name);
            continue;
        }
        if (nd->in[k] < 0 || nd->in[k] >= i)
            return nn_fail(e, "layer '%s' takes its input from a layer that does "
                              "not come before it", nd->name);
    }
    if (sequential && i > 0 && nd->in[0] != i - 1)
        return nn_fail(e, "layer '%s' breaks the Sequential chain", nd->name);
    if (sequential && (i == 0) != (nd->kind == NN_NODE_INPUT))
        return nn_fail(e, "a Sequential model starts with its one input");
    if ((unsigned)nd->act >= NN_ACT_COUNT ||
        (unsigned)nd->dense.activation >= NN_ACT_COUNT ||
        (unsigned)nd->dense.kernel_initializer >= NN_INIT_COUNT ||
        (unsigned)nd->dense.bias_initializer >= NN_INIT_COUNT)
        return nn_fail(e, "layer '%s' has an unknown activation or initializer",
                       nd->name);
    if ((unsigned)nd->dense.use_bias > 1 || (unsigned)nd->dense.trainable > 1)
        return nn_fail(e, "layer '%s' has a bad use_bias or trainable flag", nd->name);
    if (!isfinite(nd->dense.kernel_value) || !isfinite(nd->dense.bias_value))
        return nn_fail(e, "layer '%s' has a bad constant initializer value", nd->name);
    if (nd->kind == NN_NODE_DENSE &&
        (nn_init_args_check(nd->dense.kernel_initializer, &nd->dense.kernel_args,
                            NULL) != NN_OK ||
         nn_init_args_check(nd->dense.bias_initializer, &nd->dense.bias_args,
                            NULL) != NN_OK))
        return nn_fail(e, "layer '%s' has bad initializer arguments", nd->name);
    if (nd->col_from < 0 || nd->col_from > (1 << 28) + 1 ||
        (nd->kind != NN_NODE_INPUT && nd->col_from != 0))
        return nn_fail(e, "layer '%s' has bad data columns (%d)", nd->name,
                       nd->col_from);
    if (nd->shared < 0 || nd->shared > i)
        return nn_fail(e, "layer '%s' shares weights with a later layer", nd->name);

    /* the output shape each kind makes */
    int ndim = 1, shape[NN_MAXDIMS] = {0};
    long size = 0;
    const nn_node *in = nd->nin ? &saved[nd->in[0]] : NULL;
    switch (nd->kind) {
    case NN_NODE_INPUT:
        if (nd->ndim < 1 || nd->ndim > NN_MAXDIMS)
            return nn_fail(e, "input '%s' has %d dimensions", nd->name, nd->ndim);
        ndim = nd->ndim;
        size = 1;
        for (int k = 0; k < ndim; k++) {
            if (nd->shape[k] < 1 || nd->shape[k] > 1 << 24)
                return nn_fail(e, "input '%s' has a dimension of %d", nd->name,
                               nd->shape[k]);
            shape[k] = nd->shape[k];
            size *= shape[k];
            if (size > 1L << 28)
                return nn_fail(e, "input '%s' is too large", nd->name);
        }
        break;
    case NN_NODE_FLATTEN:
        shape[0] = in->size;
        size = in->size;
        break;
    case NN_NODE_DENSE:
        if (in->ndim != 1 || nd->fan_in != in->size)
            return nn_fail(e, "layer '%s' has %d inputs but its input gives %d",
                           nd->name, nd->fan_in, in->size);
        if (nd->dense.units < 1 || nd->dense.units > 1 << 24 ||
            nd->act != nd->dense.activation)
            return nn_fail(e, "layer '%s' has bad units or activation", nd->name);
        shape[0] = nd->dense.units;
        size = nd->dense.units;
        break;
    case NN_NODE_ACTIVATION:
        ndim = in->ndim;
        memcpy(shape, in->shape, sizeof shape);
        size = in->size;
        if (nd->act == NN_ACT_GLU) {   /* halves the last axis */
            if (ndim < 1 || shape[ndim - 1] % 2)
                return nn_fail(e, "glu '%s' has an odd input", nd->name);
            shape[ndim - 1] /= 2;
            size /= 2;
        }
        break;
    case NN_NODE_CONCAT:
        for (int k = 0; k < nd->nin; k++) {
            const nn_node *x = &saved[nd->in[k]];
            if (x->ndim != 1)
                return nn_fail(e, "concatenate '%s' has an input that is not flat",
                               nd->name);
            size += x->size;
        }
        shape[0] = (int)size;
        break;
    default:
        if (NN_NODE_IS_MERGE(nd->kind)) {   /* inputs of one shape, kept */
            for (int k = 1; k < nd->nin; k++) {
                const nn_node *x = &saved[nd->in[k]];
                if (x->ndim != in->ndim || memcmp(x->shape, in->shape, sizeof x->shape))
                    return nn_fail(e, "merging layer '%s' has inputs of different "
                                      "shapes", nd->name);
            }
            ndim = in->ndim;
            memcpy(shape, in->shape, sizeof shape);
            size = in->size;
        }
        break;
    }
    if (nd->ndim != ndim || nd->size != size ||
        memcmp(nd->shape, shape, sizeof shape) != 0)
        return nn_fail(e, "layer '%s' has a shape its input does not give", nd->name);

    /* parameters */
    if (nd->kind != NN_NODE_DENSE) {
        if (nd->shared != i || nd->fan_in != 0 || nd->w_off != 0 || nd->b_off != 0)
            return nn_fail(e, "layer '%s' claims weights it cannot have", nd->name);
        return NN_OK;
    }
    if (nd->shared != i) {
        const nn_node *own = &saved[nd->shared];
        if (own->kind != NN_NODE_DENSE || own->shared != nd->shared ||
            own->fan_in != nd->fan_in || own->dense.units != nd->dense.units ||
            own->w_off != nd->w_off || own->b_off != nd->b_off)
            return nn_fail(e, "layer '%s' shares weights that do not fit it", nd->name);
        return NN_OK;
    }
    size_t nw = nn_mul3((size_t)nd->fan_in, (size_t)nd->dense.units, 1);
    size_t nb = nd->dense.use_bias ? (size_t)nd->dense.units : 0;
    if (nd->w_off != *off || nd->b_off != *off + nw || nw > nparams - *off ||
        nb > nparams - *off - nw)
        return nn_fail(e, "layer '%s': its weights are not where the file says",
                       nd->name);
    *off += nw + nb;
    return NN_OK;
}
