/* npy.c - NumPy .npy files of float32 (npy.h gives the format).
 *
 * The writer makes the same bytes as NumPy's np.save (numpy/lib/format.py,
 * _write_array_header): the dict's keys sorted, repr of the shape, 21 -
 * len(repr(shape[0])) spare spaces when the shape is not empty (room to
 * grow the first axis in place), then spaces and '\n' up to a multiple of
 * 64 bytes (always at least one space, as NumPy pads to the next
 * boundary even when already aligned). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "npy.h"
#include "save.h"

#define MAGIC "\x93NUMPY"
#define MAGIC_LEN 6
#define ALIGN 64
#define GROWTH_AXIS_MAX_DIGITS 21

void nn_npy_shape_str(int ndim, const long *shape, char *buf, size_t len)
{
    size_t k = (size_t)snprintf(buf, len, "(");
    for (int i = 0; i < ndim && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s%ld", i ? ", " : "", shape[i]);
    if (k < len)
        snprintf(buf + k, len - k, ndim == 1 ? ",)" : ")");
}

size_t nn_npy_header(char *buf, size_t len, int ndim, const long *shape)
{
    char sh[NN_NPY_MAXDIMS * 24 + 8], dict[512];
    if (ndim < 0 || ndim > NN_NPY_MAXDIMS)
        return 0;
    nn_npy_shape_str(ndim, shape, sh, sizeof sh);
    int k = snprintf(dict, sizeof dict,
                     "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }", sh);
    if (ndim > 0) {
        char first[24];
        int d = snprintf(first, sizeof first, "%ld", shape[0]);
        for (int i = d; i < GROWTH_AXIS_MAX_DIGITS; i++)
            dict[k++] = ' ';
        dict[k] = 0;
    }
    size_t hlen = (size_t)k + 1;                       /* with the '\n' */
    size_t pad = ALIGN - (MAGIC_LEN + 2 + 2 + hlen) % ALIGN;
    size_t total = MAGIC_LEN + 2 + 2 + hlen + pad;
    if (total > len || hlen + pad > 65535)
        return 0;
    memcpy(buf, MAGIC, MAGIC_LEN);
    buf[6] = 1;
    buf[7] = 0;
    buf[8] = (char)((hlen + pad) & 0xff);
    buf[9] = (char)((hlen + pad) >> 8);
    memcpy(buf + 10, dict, (size_t)k);
    memset(buf + 10 + k, ' ', pad);
    buf[total - 1] = '\n';
    return total;
}

int nn_npy_save(const char *path, const float *a, int ndim, const long *shape,
                nn_err *e)
{
    char head[1024];
    size_t n = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0)
            return nn_fail(e, "negative dimension");
        n *= (size_t)shape[i];
    }
    size_t hl = nn_npy_header(head, sizeof head, ndim, shape);
    if (hl == 0)
        return nn_fail(e, "cannot describe an array of %d dimensions", ndim);
    nn_afile f;
    if (nn_afile_open(&f, path, e) != NN_OK)
        return NN_FAIL;
    nn_afile_write(&f, head, hl);
    unsigned char b[1 << 15];
    while (n > 0) {
        size_t k = n < sizeof b / 4 ? n : sizeof b / 4;
        nn_f32_to_le(b, a, k);
        if (nn_afile_write(&f, b, 4 * k) != NN_OK)
            break;
        a += k;
        n -= k;
    }
    return nn_afile_commit(&f, e);
}

/* ---- the reader: a small parser of the header's dict literal ---- */

typedef struct hp {
    const char *p, *end;
} hp;

static void ws(hp *h)
{
    while (h->p < h->end && (*h->p == ' ' || *h->p == '\t'))
        h->p++;
}

static int lit(hp *h, char c)
{
    ws(h);
    if (h->p < h->end && *h->p == c) {
        h->p++;
        return 1;
    }
    return 0;
}

/* A Python string literal in '...' or "...", printable ASCII without
 * escapes. */
static int str(hp *h, char *out, size_t len)
{
    ws(h);
    if (h->p >= h->end || (*h->p != '\'' && *h->p != '"'))
        return -1;
    char q = *h->p++;
    size_t n = 0;
    while (h->p < h->end && *h->p != q) {
        unsigned char c = (unsigned char)*h->p;
        if (c == '\\' || c < 0x20 || c >= 0x7f || n + 1 >= len)
            return -1;      /* no escapes; nothing unprintable in a message */
        out[n++] = *h->p++;
    }
    if (h->p >= h->end)
        return -1;
    h->p++;
    out[n] = 0;
    return 0;
}

static int word(hp *h, const char *w)
{
    ws(h);
    size_t n = strlen(w);
    if ((size_t)(h->end - h->p) >= n && memcmp(h->p, w, n) == 0) {
        h->p += n;
        return 1;
    }
    return 0;
}

/* A tuple of non-negative integers: (), (5,), (3, 4) or (3, 4,). */
static int tuple(hp *h, int *ndim, long *shape)
{
    if (!lit(h, '('))
        return -1;
    *ndim = 0;
    int comma = 0;
    for (;;) {
        if (lit(h, ')'))
            break;
        if (*ndim > 0 && !comma)
            return -1;
        ws(h);
        if (h->p >= h->end || *h->p < '0' || *h->p > '9')
            return -1;
        long v = 0;
        while (h->p < h->end && *h->p >= '0' && *h->p <= '9') {
            if (v > (1L << 40))
                return -1;
            v = v * 10 + (*h->p++ - '0');
        }
        if (h->p < h->end && *h->p == 'L')   /* Python 2's long */
            h->p++;
        if (*ndim == NN_NPY_MAXDIMS)
            return -1;
        shape[(*ndim)++] = v;
        comma = lit(h, ',');
    }
    if (*ndim == 1 && !comma)
        return -1;              /* (5) is 5, not a tuple */
    return 0;
}

static const char *dtype_name(const char *d)
{
    static const struct { const char *code, *name; } t[] = {
        {"<f8", "float64"}, {">f8", "big-endian float64"}, {">f4", "big-endian float32"},
        {"<f2", "float16"}, {"<i8", "int64"}, {"<i4", "int32"}, {"|u1", "uint8"},
        {"|b1", "bool"}, {"|O", "Python objects"}, {"<c8", "complex64"},
        {"<c16", "complex128"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(d, t[i].code) == 0)
            return t[i].name;
    return NULL;
}

int nn_npy_from_bytes(const void *buf, size_t len, nn_npy *a, nn_err *e)
{
    const unsigned char *b = buf;
    memset(a, 0, sizeof *a);
    if (len < MAGIC_LEN || memcmp(b, MAGIC, MAGIC_LEN) != 0)
        return nn_fail(e, len == 0 ? "the file is empty" :
                       "not a NumPy .npy file (it does not start with \\x93NUMPY)");
    if (len < 10)
        return nn_fail(e, "the .npy file is truncated inside its header");
    int major = b[6], minor = b[7];
    size_t hstart, hlen;
    if (major == 1 && minor == 0) {
        hstart = 10;
        hlen = (size_t)b[8] | (size_t)b[9] << 8;
    } else if ((major == 2 || major == 3) && minor == 0) {
        if (len < 12)
            return nn_fail(e, "the .npy file is truncated inside its header");
        hstart = 12;
        hlen = (size_t)b[8] | (size_t)b[9] << 8 | (size_t)b[10] << 16 |
               (size_t)b[11] << 24;
    } else
        return nn_fail(e, ".npy format version %d.%d is not supported (1.0, 2.0 "
                          "and 3.0 are)", major, minor);
    if (hlen > len - hstart)
        return nn_fail(e, "the .npy file is truncated inside its header");
    const char *h0 = (const char *)b + hstart;
    if (hlen == 0 || h0[hlen - 1] != '\n')
        return nn_fail(e, "bad .npy header: it does not end with a newline");
    hp h = {h0, h0 + hlen - 1};
    char descr[32] = "";
    int have_descr = 0, have_fo = 0, have_shape = 0, fortran = 0, ndim = 0;
    long shape[NN_NPY_MAXDIMS];
    if (!lit(&h, '{'))
        return nn_fail(e, "bad .npy header: not a dict");
    for (;;) {
        if (lit(&h, '}'))
            break;
        char key[32];
        if (str(&h, key, sizeof key) != 0 || !lit(&h, ':'))
            return nn_fail(e, "bad .npy header: expected 'key': value");
        if (strcmp(key, "descr") == 0 && !have_descr) {
            if (str(&h, descr, sizeof descr) != 0)
                return nn_fail(e, "bad .npy header: descr is not a string "
                                  "(structured arrays are not supported)");
            have_descr = 1;
        } else if (strcmp(key, "fortran_order") == 0 && !have_fo) {
            if (word(&h, "False"))
                fortran = 0;
            else if (word(&h, "True"))
                fortran = 1;
            else
                return nn_fail(e, "bad .npy header: fortran_order is not True "
                                  "or False");
            have_fo = 1;
        } else if (strcmp(key, "shape") == 0 && !have_shape) {
            if (tuple(&h, &ndim, shape) != 0)
                return nn_fail(e, "bad .npy header: shape is not a tuple of at "
                                  "most %d sizes", NN_NPY_MAXDIMS);
            have_shape = 1;
        } else
            return nn_fail(e, "bad .npy header: unexpected or repeated key '%s'",
                           key);
        if (!lit(&h, ',')) {
            if (lit(&h, '}'))
                break;
            return nn_fail(e, "bad .npy header: expected ',' or '}'");
        }
    }
    ws(&h);
    if (h.p != h.end)
        return nn_fail(e, "bad .npy header: text after the dict");
    if (!have_descr || !have_fo || !have_shape)
        return nn_fail(e, "bad .npy header: it needs descr, fortran_order and shape");
    if (strcmp(descr, "<f4") != 0) {
        const char *name = dtype_name(descr);
        if (name)
            return nn_fail(e, "the array holds %s ('%s'), not float32 ('<f4'); "
                              "in Python: np.save(path, a.astype(np.float32))",
                           name, descr);
        return nn_fail(e, "the array has dtype '%s', not float32 ('<f4'); in "
                          "Python: np.save(path, a.astype(np.float32))", descr);
    }
    if (fortran)
        return nn_fail(e, "the array is in Fortran (column-major) order; in "
                          "Python: np.save(path, np.ascontiguousarray(a))");
    size_t n = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] != 0 && n > SIZE_MAX / 4 / (size_t)shape[i])
            return nn_fail(e, "the array's shape is too large");
        n *= (size_t)shape[i];
    }
    size_t data = hstart + hlen;
    if (len - data != n * 4) {
        char sh[256];
        nn_npy_shape_str(ndim, shape, sh, sizeof sh);
        return nn_fail(e, "the .npy file is %s: shape %s needs %zu bytes of data, "
                          "it has %zu", len - data < n * 4 ? "truncated" : "corrupt",
                       sh, n * 4, len - data);
    }
    float *v = nn_calloc(n ? n : 1, sizeof(float), e);
    if (!v)
        return NN_FAIL;
    const unsigned char *d = b + data;
    for (size_t i = 0; i < n; i++, d += 4) {
        uint32_t u = (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 |
                     (uint32_t)d[3] << 24;
        memcpy(&v[i], &u, 4);
    }
    a->ndim = ndim;
    memcpy(a->shape, shape, (size_t)ndim * sizeof *shape);
    a->n = n;
    a->data = v;
    return NN_OK;
}

int nn_npy_load(const char *path, nn_npy *a, nn_err *e)
{
    memset(a, 0, sizeof *a);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        int err = errno;
        if (err == ENOENT)
            return nn_fail(e, "%s: no such file", path);
        if (err == EACCES)
            return nn_fail(e, "%s: permission denied", path);
        return nn_fail(e, "%s: %s", path, strerror(err));
    }
    struct stat st;
    if (fstat(fd, &st) != 0)
        st.st_mode = 0;
    if (!S_ISREG(st.st_mode)) {
        int dir = S_ISDIR(st.st_mode);
        close(fd);
        return nn_fail(e, "%s is %s", path, dir ? "a directory, not a .npy file"
                                                : "not a regular file");
    }
    if ((uint64_t)st.st_size > (uint64_t)nn_memcap()) {
        close(fd);
        char b1[NN_SIZETEXT], b2[NN_SIZETEXT];
        return nn_fail(e, "%s: %s, over the memory cap of %s (set "
                          "memory_cap=BYTES)", path, nn_size_text((double)st.st_size, b1),
                       nn_size_text((double)nn_memcap(), b2));
    }
    size_t len = (size_t)st.st_size, got = 0;
    unsigned char *buf = nn_calloc(len ? len : 1, 1, e);
    if (!buf) {
        close(fd);
        return NN_FAIL;
    }
    while (got < len) {
        ssize_t k = read(fd, buf + got, len - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    nn_err local;
    nn_err *ee = e ? e : &local;
    int rc = nn_npy_from_bytes(buf, got, a, ee);
    free(buf);
    if (rc != NN_OK) {
        char msg[NN_ERRMAX];
        snprintf(msg, sizeof msg, "%s", ee->msg);
        return nn_fail(e, "%s: %s", path, msg);
    }
    return NN_OK;
}

void nn_npy_free(nn_npy *a)
{
    free(a->data);
    memset(a, 0, sizeof *a);
}
