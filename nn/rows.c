/* rows.c - a data set's features read as floats whatever their storage
 * (dataset.h): float sets are read in place, byte sets (images) decoded
 * row by row as x = byte / x8_div, in float, when they are read.  The
 * division is the one the float path did at load time (p / 255.0f), so
 * a byte set gives the same floats bit for bit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dataset.h"

/* len bytes into floats: out[k] = p[k] / div (vectorizes). */
static void decode(const unsigned char *p, size_t len, float div, float *out)
{
    for (size_t k = 0; k < len; k++)
        out[k] = (float)p[k] / div;
}

const float *nn_dataset_rows(const nn_dataset *ds, int from, int count,
                             float *buf)
{
    size_t d = (size_t)ds->d;
    if (!ds->x8)
        return ds->x + (size_t)from * d;
    decode(ds->x8 + (size_t)from * d, (size_t)count * d, ds->x8_div, buf);
    return buf;
}

void nn_dataset_gather(const nn_dataset *ds, const int *idx, int count,
                       float *out)
{
    size_t d = (size_t)ds->d;
    for (int k = 0; k < count; k++) {
        size_t r = (size_t)(idx ? idx[k] : k);
        if (ds->x8)
            decode(ds->x8 + r * d, d, ds->x8_div, out + (size_t)k * d);
        else
            memcpy(out + (size_t)k * d, ds->x + r * d, d * sizeof(float));
    }
}

float nn_dataset_at(const nn_dataset *ds, size_t k)
{
    return ds->x8 ? (float)ds->x8[k] / ds->x8_div : ds->x[k];
}

int nn_dataset_to_float(nn_dataset *ds, nn_err *e)
{
    if (!ds->x8)
        return NN_OK;
    if (!ds->owns)
        return nn_fail(e, "cannot convert a view; copy it first");
    size_t len = nn_mul3((size_t)ds->n, (size_t)ds->d, 1);
    float *x = nn_calloc(len, sizeof(float), e);
    if (!x)
        return NN_FAIL;
    decode(ds->x8, len, ds->x8_div, x);
    free(ds->x8);
    ds->x8 = NULL;
    ds->x8_div = 0;
    ds->x = x;
    return NN_OK;
}

const char *nn_dataset_storage(const nn_dataset *ds, char *buf, size_t len)
{
    if (ds->x8)
        snprintf(buf, len, "uint8 (x / %g when a batch is read)",
                 (double)ds->x8_div);
    else
        snprintf(buf, len, "float32");
    return buf;
}

size_t nn_dataset_bytes(const nn_dataset *ds)
{
    size_t cells = (size_t)ds->n * (size_t)ds->d;
    return cells * (ds->x8 ? 1 : sizeof(float)) +
           (size_t)ds->n * (size_t)ds->ycols * sizeof(float);
}
