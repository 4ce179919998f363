/* outmap.c - each output's targets (outmap.h). */
#include <stdio.h>
#include <string.h>
#include "outmap.h"

/* The data's targets as "species, petal_width" for messages. */
static void target_list(const nn_dataset *ds, char *buf, size_t len)
{
    buf[0] = '\0';
    for (int k = 0; k < nn_dataset_ntargets(ds); k++) {
        size_t used = strlen(buf);
        const char *name = nn_dataset_target_name(ds, k);
        snprintf(buf + used, len - used, "%s%s", k ? ", " : "", *name ? name : "y");
    }
}

/* Output k (node nd) names its targets: each into om->t[k]. */
static int named_targets(nn_outmap *om, int k, const nn_node *nd,
                         const nn_dataset *ds, nn_err *e)
{
    const char *p = nd->target;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char one[NN_NAMEMAX];
        snprintf(one, sizeof one, "%.*s", (int)(len < sizeof one ? len : sizeof one - 1), p);
        int t = nn_dataset_find_target(ds, one);
        if (t < 0 || len >= sizeof one) {
            char list[160];
            target_list(ds, list, sizeof list);
            return nn_fail(e, "output '%s' has target=%s but the data has no "
                              "target '%s' (its targets: %s; data csv FILE "
                              "target=A,B names them)", nd->name, nd->target,
                           one, list);
        }
        for (int j = 0; j < om->nt[k]; j++)
            if (om->t[k][j] == t)
                return nn_fail(e, "output '%s' names target '%s' twice",
                               nd->name, one);
        if (om->nt[k] == NN_MAXTARGETS)
            return nn_fail(e, "output '%s' has more than %d targets", nd->name,
                           NN_MAXTARGETS);
        om->t[k][om->nt[k]++] = t;
        p = comma ? comma + 1 : p + len;
    }
    return NN_OK;
}

int nn_outmap_make(nn_outmap *om, const nn_model *m, const nn_dataset *ds,
                   nn_err *e)
{
    memset(om, 0, sizeof *om);
    int outs[NN_MAXOUT];
    om->nout = nn_model_outputs(m, outs);
    int nt = nn_dataset_ntargets(ds);
    for (int k = 0; k < om->nout; k++) {
        const nn_node *nd = &m->nodes[outs[k]];
        if (nd->target[0]) {
            if (named_targets(om, k, nd, ds, e) != NN_OK)
                return NN_FAIL;
        } else if (om->nout == 1 && ds->targets)
            for (int t = 0; t < nt; t++)
                om->t[k][om->nt[k]++] = t;
        else if (ds->targets)
            om->t[k][om->nt[k]++] = 0;
        /* no targets array: one target of all ycols columns */
        int direct = 1;
        if (!ds->targets) {
            om->nt[k] = 1;
            om->cols[k] = ds->ycols;
        } else
            for (int j = 0; j < om->nt[k]; j++) {
                int t = om->t[k][j];
                int oh = nn_dataset_target_onehot(ds, t);
                om->cols[k] += oh ? nn_dataset_target_classes(ds, t, NULL) : 1;
                direct = direct && !oh && t == j;
            }
        om->direct[k] = direct && om->cols[k] == ds->ycols;
    }
    return NN_OK;
}

const float *nn_outmap_rows(const nn_outmap *om, const nn_dataset *ds, int k,
                            const float *y, int rows, float *out)
{
    if (om->direct[k])
        return y;
    size_t yc = (size_t)ds->ycols, oc = (size_t)om->cols[k];
    for (int i = 0; i < rows; i++) {
        const float *src = y + (size_t)i * yc;
        float *dst = out + (size_t)i * oc;
        for (int j = 0; j < om->nt[k]; j++) {
            int t = om->t[k][j];
            if (nn_dataset_target_onehot(ds, t)) {
                int nc = nn_dataset_target_classes(ds, t, NULL);
                memset(dst, 0, (size_t)nc * sizeof *dst);
                int c = (int)src[t];
                if (c >= 0 && c < nc)
                    dst[c] = 1.0f;
                dst += nc;
            } else
                *dst++ = src[t];
        }
    }
    return out;
}

int nn_outmap_room(const nn_outmap *om)
{
    int room = 0;
    for (int k = 0; k < om->nout; k++)
        if (!om->direct[k])
            room += om->cols[k];
    return room;
}

void nn_outmap_batch(const nn_outmap *om, const nn_dataset *ds, const float *y,
                     int rows, float *buf, const float **ys)
{
    for (int k = 0; k < om->nout; k++) {
        ys[k] = nn_outmap_rows(om, ds, k, y, rows, buf);
        if (!om->direct[k])
            buf += (size_t)rows * (size_t)om->cols[k];
    }
    for (int k = om->nout; k < NN_MAXOUT; k++)
        ys[k] = NULL;
}

void nn_outmap_names(const nn_outmap *om, const nn_dataset *ds, int k,
                     char *buf, size_t len)
{
    buf[0] = '\0';
    if (!ds->targets) {
        snprintf(buf, len, "y");
        return;
    }
    for (int j = 0; j < om->nt[k]; j++) {
        size_t used = strlen(buf);
        const char *name = nn_dataset_target_name(ds, om->t[k][j]);
        snprintf(buf + used, len - used, "%s%s", j ? ", " : "", *name ? name : "y");
    }
}
