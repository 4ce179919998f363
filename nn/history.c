/* history.c - loss and metrics per epoch (Keras's History callback). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "history.h"

double nn_logs_get(const nn_logs *l, const char *key)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->names[i], key) == 0)
            return l->values[i];
    return NAN;
}

void nn_logs_set(nn_logs *l, const char *key, double v)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->names[i], key) == 0) {
            l->values[i] = v;
            return;
        }
    if (l->n >= NN_MAXKEYS)
        return;
    snprintf(l->names[l->n], NN_KEYMAX, "%s", key);
    l->values[l->n++] = v;
}

void nn_history_init(nn_history *h)
{
    memset(h, 0, sizeof *h);
}

void nn_history_free(nn_history *h)
{
    free(h->epoch);
    free(h->values);
    free(h->lr);
    memset(h, 0, sizeof *h);
}

void nn_history_clear(nn_history *h)
{
    nn_history_free(h);
}

int nn_history_key(const nn_history *h, const char *key)
{
    for (int i = 0; i < h->nkeys; i++)
        if (strcmp(h->keys[i], key) == 0)
            return i;
    return -1;
}

double nn_history_at(const nn_history *h, int row, int key)
{
    if (row < 0 || row >= h->nepochs || key < 0 || key >= h->nkeys)
        return NAN;
    return h->values[(size_t)row * NN_MAXKEYS + key];
}

static int reserve(nn_history *h, int rows, nn_err *e)
{
    if (rows <= h->cap)
        return NN_OK;
    int cap = h->cap ? h->cap * 2 : 16;
    while (cap < rows)
        cap *= 2;
    int *ep = nn_calloc((size_t)cap, sizeof *ep, e);
    double *v = nn_calloc((size_t)cap * NN_MAXKEYS, sizeof *v, e);
    double *lr = nn_calloc((size_t)cap, sizeof *lr, e);
    if (!ep || !v || !lr) {
        free(ep);
        free(v);
        free(lr);
        return NN_FAIL;
    }
    if (h->nepochs) {
        memcpy(ep, h->epoch, (size_t)h->nepochs * sizeof *ep);
        memcpy(v, h->values, (size_t)h->nepochs * NN_MAXKEYS * sizeof *v);
        memcpy(lr, h->lr, (size_t)h->nepochs * sizeof *lr);
    }
    free(h->epoch);
    free(h->values);
    free(h->lr);
    h->epoch = ep;
    h->values = v;
    h->lr = lr;
    h->cap = cap;
    return NN_OK;
}

int nn_history_add(nn_history *h, int epoch, const nn_logs *l, double lr,
                   nn_err *e)
{
    if (reserve(h, h->nepochs + 1, e) != NN_OK)
        return NN_FAIL;
    /* new keys get NaN in the rows before */
    for (int i = 0; i < l->n; i++) {
        if (nn_history_key(h, l->names[i]) >= 0 || h->nkeys >= NN_MAXKEYS)
            continue;
        int k = h->nkeys++;
        snprintf(h->keys[k], NN_KEYMAX, "%s", l->names[i]);
        for (int r = 0; r < h->nepochs; r++)
            h->values[(size_t)r * NN_MAXKEYS + k] = NAN;
    }
    double *row = h->values + (size_t)h->nepochs * NN_MAXKEYS;
    for (int k = 0; k < h->nkeys; k++)
        row[k] = nn_logs_get(l, h->keys[k]);
    h->epoch[h->nepochs] = epoch;
    h->lr[h->nepochs] = lr;
    h->nepochs++;
    return NN_OK;
}

int nn_history_copy(nn_history *dst, const nn_history *src, nn_err *e)
{
    nn_history tmp;
    nn_history_init(&tmp);
    if (reserve(&tmp, src->nepochs ? src->nepochs : 1, e) != NN_OK)
        return NN_FAIL;
    tmp.nkeys = src->nkeys;
    memcpy(tmp.keys, src->keys, sizeof tmp.keys);
    tmp.nepochs = src->nepochs;
    if (src->nepochs) {
        memcpy(tmp.epoch, src->epoch, (size_t)src->nepochs * sizeof *tmp.epoch);
        memcpy(tmp.values, src->values,
               (size_t)src->nepochs * NN_MAXKEYS * sizeof *tmp.values);
        memcpy(tmp.lr, src->lr, (size_t)src->nepochs * sizeof *tmp.lr);
    }
    nn_history_free(dst);
    *dst = tmp;
    return NN_OK;
}
