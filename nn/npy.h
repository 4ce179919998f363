/* npy.h - NumPy's .npy files for float32 arrays: a writer of format
 * version 1.0 and a strict reader, so weights go to and come from Python
 * (np.save / np.load, Keras's layer.get_weights / set_weights).
 *
 * The format (numpy/lib/format.py): the magic "\x93NUMPY", the version
 * (major, minor bytes), the header length (u16 little-endian in 1.0, u32
 * in 2.0), then the header: a Python dict literal
 *     {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
 * padded with spaces and ended by '\n' so that the data starts at a
 * multiple of 64 bytes; then the values in C (row-major) order.
 *
 * The reader accepts versions 1.0 and 2.0, the three keys in any order,
 * and refuses any other dtype (the message names it: '<f8' is float64,
 * use a.astype(np.float32)), Fortran order, a header that is not such a
 * dict, and data that is shorter or longer than the shape says. */
#ifndef NN_NPY_H
#define NN_NPY_H

#include <stddef.h>
#include "nn.h"

#define NN_NPY_MAXDIMS 8

typedef struct nn_npy {
    int ndim;                       /* 0 for a scalar */
    long shape[NN_NPY_MAXDIMS];
    size_t n;                       /* number of values: product of shape */
    float *data;                    /* (n), C order */
} nn_npy;

/* Writes a (shape[0], ..., shape[ndim-1]) float32 array to path,
 * atomically (save.h's nn_afile).  ndim 0..NN_NPY_MAXDIMS. */
int nn_npy_save(const char *path, const float *a, int ndim, const long *shape,
                nn_err *e);
/* The header nn_npy_save writes (magic to '\n'), into buf; returns its
 * length (a multiple of 64), or 0 when it does not fit. */
size_t nn_npy_header(char *buf, size_t len, int ndim, const long *shape);

/* Reads path into a (free with nn_npy_free).  The size is checked against
 * the memory cap before allocating. */
int nn_npy_load(const char *path, nn_npy *a, nn_err *e);
int nn_npy_from_bytes(const void *buf, size_t len, nn_npy *a, nn_err *e);
void nn_npy_free(nn_npy *a);
/* "(3, 4)", "(4,)", "()": the shape as NumPy prints it. */
void nn_npy_shape_str(int ndim, const long *shape, char *buf, size_t len);

#endif
