/* idx.c - MNIST / Fashion-MNIST IDX files into a data set.
 *
 * The IDX format (LeCun et al., http://yann.lecun.com/exdb/mnist/): a
 * big-endian header, then the data as unsigned bytes.
 *   images: magic 0x00000803 (type 0x08 = ubyte, 3 dimensions), n, rows,
 *           cols, then n * rows * cols pixels, row-major;
 *   labels: magic 0x00000801 (ubyte, 1 dimension), n, then n labels.
 * Files are read through zlib's gzread, which reads gzip and plain files
 * alike.  Pixels become x = p / 255 in [0, 1]; labels the class index,
 * nclasses = largest label + 1 (10 for MNIST and Fashion-MNIST).  The
 * class names are the caller's to set.  Sizes are checked against the
 * memory cap from the headers, before any data is read.  nn_idx_load_u8
 * keeps the bytes (x = byte / 255 when read) and reads several pairs of
 * files at once, one thread each. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "dataset.h"

#define IDX_IMAGES 0x00000803u
#define IDX_LABELS 0x00000801u

/* zlib's error text without the "PATH: " it puts in front (our messages
 * name the file already). */
static const char *gz_message(gzFile gz, const char *path, int *zerr)
{
    const char *msg = gzerror(gz, zerr);
    size_t n = strlen(path);
    if (strncmp(msg, path, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
        msg += n + 2;
    return msg;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Reads up to len bytes (gzread takes an unsigned int); returns the count
 * read, or -1 with a message on a read or gzip error. */
static long long read_all(gzFile gz, unsigned char *buf, size_t len,
                          const char *path, nn_err *e)
{
    size_t got = 0;
    while (got < len) {
        size_t want = len - got;
        if (want > (1u << 30))
            want = 1u << 30;
        int r = gzread(gz, buf + got, (unsigned)want);
        if (r < 0) {
            int zerr;
            const char *msg = gz_message(gz, path, &zerr);
            nn_fail(e, "%s: %s (a damaged file? download it again)", path,
                    zerr == Z_ERRNO ? strerror(errno) : msg);
            return -1;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (long long)got;
}

static gzFile open_gz(const char *path, nn_err *e)
{
    errno = 0;
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        nn_fail(e, "cannot open '%s': %s (Fashion-MNIST is in "
                   "/usr/share/datasets/fashion-mnist: apt install "
                   "dataset-fashion-mnist)", path,
                errno ? strerror(errno) : "out of memory");
    return gz;
}

/* Reads a header of ndims dimensions after the magic into dims[]. */
static int read_header(gzFile gz, const char *path, uint32_t magic,
                       int ndims, uint32_t *dims, nn_err *e)
{
    unsigned char h[16];
    size_t len = 4 + 4 * (size_t)ndims;
    long long got = read_all(gz, h, len, path, e);
    if (got < 0)
        return NN_FAIL;
    if (got >= 4 && be32(h) != magic) {
        uint32_t m = be32(h);
        const char *hint = m == IDX_IMAGES ? " (an image file: images first, "
                                             "then labels)"
                         : m == IDX_LABELS ? " (a label file: images first, "
                                             "then labels)"
                         : " (not an IDX file)";
        return nn_fail(e, "%s: wrong magic number 0x%08x, expected 0x%08x%s",
                       path, (unsigned)m, (unsigned)magic, hint);
    }
    if (got < (long long)len)
        return nn_fail(e, "%s: truncated header (%lld of %zu bytes)", path,
                       got, len);
    for (int i = 0; i < ndims; i++) {
        dims[i] = be32(h + 4 + 4 * i);
        if (dims[i] == 0 || dims[i] > INT_MAX)
            return nn_fail(e, "%s: dimension %d is %u, not in 1..%d", path, i,
                           (unsigned)dims[i], INT_MAX);
    }
    return NN_OK;
}

/* After the data: one more byte means the header undercounts.  zlib
 * counts a gzip stream cut short ("unexpected end of file", Z_BUF_ERROR)
 * as a soft error that gzread does not return: ask for it, so a file that
 * lost its CRC trailer is refused too. */
static int check_end(gzFile gz, const char *path, const char *what,
                     nn_err *e)
{
    unsigned char b;
    long long got = read_all(gz, &b, 1, path, e);
    if (got < 0)
        return NN_FAIL;
    if (got > 0)
        return nn_fail(e, "%s: data after the %s the header announces "
                          "(a damaged file?)", path, what);
    int zerr;
    const char *msg = gz_message(gz, path, &zerr);
    if (zerr != Z_OK)
        return nn_fail(e, "%s: %s (the gzip file is damaged or cut short; "
                          "download it again)", path, msg);
    return NN_OK;
}

/* Pixels: total bytes into t->x8 (read in place: zlib inflates straight
 * into a buffer this large) or, for a float set, x = p / 255 through a
 * chunk. */
static int read_pixels(gzFile gi, nn_dataset *t, size_t total,
                       const char *ipath, nn_err *e)
{
    unsigned char chunk[65536];
    size_t done = 0;
    while (done < total) {
        size_t want = total - done;
        unsigned char *to = t->x8 ? t->x8 + done : chunk;
        if (!t->x8 && want > sizeof chunk)
            want = sizeof chunk;
        long long got = read_all(gi, to, want, ipath, e);
        if (got < 0)
            return NN_FAIL;
        for (long long i = 0; !t->x8 && i < got; i++)
            t->x[done + (size_t)i] = chunk[i] / 255.0f;
        done += (size_t)got;
        if ((size_t)got < want)
            return nn_fail(e, "%s: truncated: %zu of %zu pixel bytes (%d images "
                              "of %d x %d); download the file again",
                           ipath, done, total, t->n, t->shape[0], t->shape[1]);
    }
    return NN_OK;
}

static int load(gzFile gi, gzFile gl, nn_dataset *t, const char *ipath,
                const char *lpath, int as_u8, nn_err *e)
{
    uint32_t idim[3], ldim[1];
    unsigned char chunk[65536];
    if (read_header(gi, ipath, IDX_IMAGES, 3, idim, e) != NN_OK ||
        read_header(gl, lpath, IDX_LABELS, 1, ldim, e) != NN_OK)
        return NN_FAIL;
    if (ldim[0] != idim[0])
        return nn_fail(e, "%s has %u labels but %s has %u images (files "
                          "from different sets?)", base_name(lpath),
                       (unsigned)ldim[0], base_name(ipath), (unsigned)idim[0]);
    int n = (int)idim[0], rows = (int)idim[1], cols = (int)idim[2];
    size_t d = (size_t)rows * (size_t)cols;
    if (d > INT_MAX)
        return nn_fail(e, "%s: images of %d x %d are too large", ipath, rows, cols);
    /* the cap is checked here, from the header, before reading pixels;
     * the set is allocated once, at its final size */
    if ((as_u8 ? nn_dataset_alloc_u8(t, n, (int)d, 1, 255.0f, e)
               : nn_dataset_alloc(t, n, (int)d, 1, e)) != NN_OK)
        return NN_FAIL;
    t->ndim = 2;
    t->shape[0] = rows;
    t->shape[1] = cols;
    t->shape[2] = t->shape[3] = 0;
    if (read_pixels(gi, t, (size_t)n * d, ipath, e) != NN_OK)
        return NN_FAIL;
    if (check_end(gi, ipath, "images", e) != NN_OK)
        return NN_FAIL;

    /* labels: n bytes */
    int maxl = 0;
    size_t done = 0;
    while (done < (size_t)n) {
        size_t want = (size_t)n - done < sizeof chunk ? (size_t)n - done : sizeof chunk;
        long long got = read_all(gl, chunk, want, lpath, e);
        if (got < 0)
            return NN_FAIL;
        for (long long i = 0; i < got; i++) {
            t->y[done + (size_t)i] = (float)chunk[i];
            if (chunk[i] > maxl)
                maxl = chunk[i];
        }
        done += (size_t)got;
        if ((size_t)got < want)
            return nn_fail(e, "%s: truncated: %zu of %d labels; download the "
                              "file again", lpath, done, n);
    }
    if (check_end(gl, lpath, "labels", e) != NN_OK)
        return NN_FAIL;
    t->nclasses = maxl + 1;
    snprintf(t->name, sizeof t->name, "%s", base_name(ipath));
    return NN_OK;
}

/* One pair of files into ds (float or bytes). */
static int load_pair(nn_dataset *ds, const char *images_path,
                     const char *labels_path, int as_u8, nn_err *e)
{
    memset(ds, 0, sizeof *ds);
    if (!images_path || !labels_path)
        return nn_fail(e, "need an image file and a label file");
    gzFile gi = open_gz(images_path, e);
    if (!gi)
        return NN_FAIL;
    gzFile gl = open_gz(labels_path, e);
    if (!gl) {
        gzclose(gi);
        return NN_FAIL;
    }
    gzbuffer(gi, 1u << 17);
    nn_dataset t = {0};
    int rc = load(gi, gl, &t, images_path, labels_path, as_u8, e);
    gzclose(gi);
    gzclose(gl);
    if (rc != NN_OK) {
        nn_dataset_free(&t);
        return NN_FAIL;
    }
    *ds = t;
    return NN_OK;
}

int nn_idx_load(nn_dataset *ds, const char *images_path,
                const char *labels_path, nn_err *e)
{
    return load_pair(ds, images_path, labels_path, 0, e);
}

/* One pair's job for a thread. */
typedef struct pair_job {
    nn_dataset *ds;
    const char *img, *lab;
    int rc;
    nn_err e;
} pair_job;

static void *pair_thread(void *arg)
{
    pair_job *j = arg;
    j->rc = load_pair(j->ds, j->img, j->lab, 1, &j->e);
    return NULL;
}

int nn_idx_load_u8(nn_dataset *ds, const char *const *images_path,
                   const char *const *labels_path, int count, nn_err *e)
{
    enum { MAXPAIRS = 8 };
    if (count < 1 || count > MAXPAIRS)
        return nn_fail(e, "give 1 to %d pairs of IDX files (got %d)", MAXPAIRS,
                       count);
    pair_job job[MAXPAIRS];
    pthread_t th[MAXPAIRS];
    int started[MAXPAIRS] = {0};
    for (int k = 0; k < count; k++) {
        job[k] = (pair_job){ds + k, images_path[k], labels_path[k], NN_FAIL, {{0}}};
        memset(ds + k, 0, sizeof *ds);
    }
    /* pairs 1.. on threads, pair 0 (the largest, the training set) here;
     * a thread that cannot start runs its pair here after */
    for (int k = 1; k < count; k++)
        started[k] = pthread_create(&th[k], NULL, pair_thread, &job[k]) == 0;
    pair_thread(&job[0]);
    for (int k = 1; k < count; k++) {
        if (started[k])
            pthread_join(th[k], NULL);
        else
            pair_thread(&job[k]);
    }
    int bad = -1;
    for (int k = 0; k < count && bad < 0; k++)
        if (job[k].rc != NN_OK)
            bad = k;
    if (bad < 0)
        return NN_OK;
    for (int k = 0; k < count; k++)
        nn_dataset_free(ds + k);
    if (e)
        *e = job[bad].e;
    return NN_FAIL;
}
