/* save.c - writing the model file (save.h gives the layout) and atomic
 * writes; reading it back is load.c.
 *
 * Saving streams the file twice through one writer: a first pass only
 * counts the bytes (the header holds the file's length), the second
 * writes them through a 64 KiB buffer into an atomic file, feeding the
 * CRC-32 as it goes. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "save.h"

#define TRAILER_LEN 4

/* ---- atomic files ---- */

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

int nn_afile_open(nn_afile *f, const char *path, nn_err *e)
{
    memset(f, 0, sizeof *f);
    f->fd = -1;
    if (!path || !*path)
        return nn_fail(e, "no file name");
    struct stat st;
    char *target = NULL;
    mode_t mode;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        /* write the link's target, keep the link */
        target = realpath(path, NULL);
        if (!target && errno != ENOENT)
            return nn_fail(e, "%s: %s", path, strerror(errno));
    }
    if (!target)
        target = dupstr(path);
    if (!target)
        return nn_fail(e, "out of memory");
    if (stat(target, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            free(target);
            return nn_fail(e, "%s is a directory; give a file name inside it", path);
        }
        if (!S_ISREG(st.st_mode)) {
            free(target);
            return nn_fail(e, "%s is not a regular file (a device or a pipe); "
                              "give a file name", path);
        }
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    size_t n = strlen(target);
    char *tmp = malloc(n + 12);
    if (!tmp) {
        free(target);
        return nn_fail(e, "out of memory");
    }
    memcpy(tmp, target, n);
    memcpy(tmp + n, ".tmpXXXXXX", 11);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int err = errno;
        free(tmp);
        free(target);
        if (err == ENOENT || err == ENOTDIR)
            return nn_fail(e, "cannot write %s: the folder does not exist", path);
        if (err == ENAMETOOLONG)
            return nn_fail(e, "cannot write %s: the name is too long", path);
        return nn_fail(e, "cannot write %s: %s", path, strerror(err));
    }
    if (fchmod(fd, mode) != 0) {
        /* not fatal: the data matters more than the mode */
    }
    f->fd = fd;
    f->path = target;
    f->tmp = tmp;
    const char *fault = getenv("NNLAB_FAULT_WRITE");
    f->fault_at = fault ? strtol(fault, NULL, 10) : 0;
    return NN_OK;
}

int nn_afile_write(nn_afile *f, const void *data, size_t len)
{
    if (f->err || f->fd < 0)
        return NN_FAIL;
    const unsigned char *p = data;
    while (len > 0) {
        ssize_t k;
        if (++f->nwrites == f->fault_at) {
            k = -1;
            errno = ENOSPC;
        } else
            k = write(f->fd, p, len);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            f->err = errno;
            return NN_FAIL;
        }
        p += k;
        len -= (size_t)k;
    }
    return NN_OK;
}

static void afile_release(nn_afile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    free(f->path);
    free(f->tmp);
    f->path = f->tmp = NULL;
}

void nn_afile_abort(nn_afile *f)
{
    if (f->tmp)
        unlink(f->tmp);
    afile_release(f);
}

/* The folder of path, fsync'ed so that the rename itself is durable. */
static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    if (!slash)
        strcpy(dir, ".");
    else if (slash == path)
        strcpy(dir, "/");
    else {
        size_t n = (size_t)(slash - path);
        if (n >= sizeof dir)
            return;
        memcpy(dir, path, n);
        dir[n] = 0;
    }
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

int nn_afile_commit(nn_afile *f, nn_err *e)
{
    int err = f->err;
    if (!err && f->fd < 0)
        err = EBADF;
    if (!err && fsync(f->fd) != 0)
        err = errno;
    if (f->fd >= 0 && close(f->fd) != 0 && !err)
        err = errno;
    f->fd = -1;
    if (!err && rename(f->tmp, f->path) != 0)
        err = errno;
    if (err) {
        nn_fail(e, "cannot write %s: %s (any previous %s is unchanged)", f->path,
                strerror(err), f->path);
        nn_afile_abort(f);
        return NN_FAIL;
    }
    sync_dir(f->path);
    afile_release(f);
    return NN_OK;
}

/* ---- the writer: counts, or buffers, checksums and writes ---- */

typedef struct writer {
    nn_afile *f;                  /* NULL: count only */
    unsigned char buf[1 << 16];
    size_t used;
    uint64_t total;
    uLong crc;
    int failed;
} writer;

static void w_flush(writer *w)
{
    if (!w->f || w->used == 0)
        return;
    w->crc = crc32(w->crc, w->buf, (uInt)w->used);
    if (nn_afile_write(w->f, w->buf, w->used) != NN_OK)
        w->failed = 1;
    w->used = 0;
}

static void w_bytes(writer *w, const void *p, size_t n)
{
    w->total += n;
    if (!w->f || w->failed)
        return;
    const unsigned char *s = p;
    while (n > 0) {
        size_t room = sizeof w->buf - w->used;
        size_t k = n < room ? n : room;
        memcpy(w->buf + w->used, s, k);
        w->used += k;
        s += k;
        n -= k;
        if (w->used == sizeof w->buf)
            w_flush(w);
    }
}

static void w_u32(writer *w, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                          (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    w_bytes(w, b, 4);
}

static void w_u64(writer *w, uint64_t v)
{
    w_u32(w, (uint32_t)v);
    w_u32(w, (uint32_t)(v >> 32));
}

static void w_f32(writer *w, float x)
{
    uint32_t v;
    memcpy(&v, &x, 4);
    w_u32(w, v);
}

static void w_f64(writer *w, double x)
{
    uint64_t v;
    memcpy(&v, &x, 8);
    w_u64(w, v);
}

static void w_name(writer *w, const char *s, size_t len)
{
    char b[NN_KEYMAX] = {0};
    size_t n = strnlen(s, len - 1);
    memcpy(b, s, n);
    w_bytes(w, b, len);
}

void nn_f32_to_le(unsigned char *out, const float *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t v;
        memcpy(&v, &a[i], 4);
        out[4 * i] = (unsigned char)v;
        out[4 * i + 1] = (unsigned char)(v >> 8);
        out[4 * i + 2] = (unsigned char)(v >> 16);
        out[4 * i + 3] = (unsigned char)(v >> 24);
    }
}

/* n floats, little-endian, in chunks. */
static void w_floats(writer *w, const float *a, size_t n)
{
    unsigned char b[4096];
    while (n > 0) {
        size_t k = n < sizeof b / 4 ? n : sizeof b / 4;
        nn_f32_to_le(b, a, k);
        w_bytes(w, b, 4 * k);
        a += k;
        n -= k;
    }
}

static void w_optcfg(writer *w, const nn_opt_cfg *c, uint32_t version)
{
    w_u32(w, (uint32_t)c->kind);
    w_f64(w, c->learning_rate);
    w_f64(w, c->momentum);
    w_u32(w, (uint32_t)c->nesterov);
    w_f64(w, c->rho);
    w_f64(w, c->beta_1);
    w_f64(w, c->beta_2);
    w_f64(w, c->epsilon);
    w_f64(w, c->initial_accumulator_value);
    if (version < 3)
        return;
    w_u32(w, (uint32_t)c->amsgrad);
    w_f64(w, c->learning_rate_power);
    w_f64(w, c->l1_regularization_strength);
    w_f64(w, c->l2_regularization_strength);
    w_f64(w, c->l2_shrinkage_regularization_strength);
    w_f64(w, c->beta);
    w_f64(w, c->weight_decay);
    w_f64(w, c->clipnorm);
    w_f64(w, c->clipvalue);
    w_f64(w, c->global_clipnorm);
    w_u32(w, (uint32_t)c->use_ema);
    w_f64(w, c->ema_momentum);
    w_u32(w, (uint32_t)c->ema_overwrite_frequency);
}

/* Whether c needs version 3: an optimizer or an option older nnlab does
 * not know. */
static int optcfg_new(const nn_opt_cfg *c)
{
    return c->kind >= NN_OPT_ADAMW || c->amsgrad || c->weight_decay != 0.0 ||
           c->clipnorm != 0.0 || c->clipvalue != 0.0 || c->global_clipnorm != 0.0 ||
           c->use_ema || c->ema_momentum != 0.99 || c->ema_overwrite_frequency ||
           c->learning_rate_power != -0.5;
}

/* The whole file but the trailer; length is the file's length. */
/* 1 unless an input reads some columns of the data (see save.h). */
static uint32_t file_version(const nn_model *m)
{
    /* 3: a focal loss or an initializer with arguments (their settings);
     * the optimizers and options after nadam, the metrics after rmse */
    for (int i = 0; i < m->n; i++) {
        const nn_dense_cfg *c = &m->nodes[i].dense;
        if (m->nodes[i].kind == NN_NODE_DENSE &&
            (!nn_init_args_are_default(c->kernel_initializer, &c->kernel_args) ||
             !nn_init_args_are_default(c->bias_initializer, &c->bias_args)))
            return 3;
    }
    if (m->compiled) {
        int nw = optcfg_new(&m->cc.opt) || optcfg_new(&m->opt.cfg);
        for (int k = 0; k < m->cc.nmetrics; k++)
            nw |= m->cc.metrics[k] > NN_MET_RMSE;
        for (int k = 0; k < NN_MAXOUT; k++)
            nw |= nn_loss_is_focal(m->cc.loss[k].kind);
        nw |= m->cc.top_k != NN_TOP_K;
        if (nw)
            return 3;
    }
    for (int i = 0; i < m->n; i++)
        if (m->nodes[i].col_from != 0)
            return 2;
    return 1;
}

/* An initializer's arguments (version 3): f32 mean, stddev, minval,
 * maxval, scale, gain, u32 mode, distribution. */
static void w_init_args(writer *w, const nn_init_args *a)
{
    w_f32(w, a->mean);
    w_f32(w, a->stddev);
    w_f32(w, a->minval);
    w_f32(w, a->maxval);
    w_f32(w, a->scale);
    w_f32(w, a->gain);
    w_u32(w, (uint32_t)a->mode);
    w_u32(w, (uint32_t)a->distribution);
}

static void write_model(writer *w, const nn_model *m, const nn_history *h,
                        uint64_t length)
{
    uint32_t version = file_version(m);
    w_bytes(w, NN_SAVE_MAGIC, 8);
    w_u32(w, version);
    w_u32(w, 0);
    w_u64(w, length);

    w_name(w, m->name, NN_NAMEMAX);
    w_u32(w, (uint32_t)m->sequential);
    w_u32(w, (uint32_t)m->n);
    w_u32(w, (uint32_t)m->nout);
    for (int k = 0; k < NN_MAXOUT; k++)
        w_u32(w, k < m->nout ? (uint32_t)m->out[k] : 0);
    w_u64(w, m->nparams);
    w_u32(w, (uint32_t)(m->compiled != 0));
    w_u64(w, (uint64_t)m->steps);
    w_u32(w, (uint32_t)m->epochs_done);

    for (int i = 0; i < m->n; i++) {
        const nn_node *nd = &m->nodes[i];
        w_u32(w, (uint32_t)nd->kind);
        w_name(w, nd->name, NN_NAMEMAX);
        w_u32(w, (uint32_t)nd->nin);
        for (int k = 0; k < NN_MAXIN; k++)
            w_u32(w, k < nd->nin ? (uint32_t)nd->in[k] : 0);
        w_u32(w, (uint32_t)nd->ndim);
        for (int k = 0; k < NN_MAXDIMS; k++)
            w_u32(w, k < nd->ndim ? (uint32_t)nd->shape[k] : 0);
        w_u32(w, (uint32_t)nd->size);
        w_u32(w, (uint32_t)nd->act);
        const nn_dense_cfg *c = &nd->dense;
        w_u32(w, (uint32_t)c->units);
        w_u32(w, (uint32_t)c->activation);
        w_u32(w, (uint32_t)c->use_bias);
        w_u32(w, (uint32_t)c->kernel_initializer);
        w_u32(w, (uint32_t)c->bias_initializer);
        w_f32(w, c->kernel_value);
        w_f32(w, c->bias_value);
        w_u32(w, (uint32_t)c->trainable);
        w_u32(w, (uint32_t)nd->fan_in);
        w_u32(w, (uint32_t)nd->shared);
        w_u64(w, nd->w_off);
        w_u64(w, nd->b_off);
        if (version >= 2)
            w_u32(w, (uint32_t)nd->col_from);
        if (version >= 3) {
            w_init_args(w, &c->kernel_args);
            w_init_args(w, &c->bias_args);
        }
    }
    w_floats(w, m->params, m->nparams);

    if (m->compiled) {
        const nn_compile_cfg *cc = &m->cc;
        for (int k = 0; k < NN_MAXOUT; k++) {
            w_u32(w, (uint32_t)cc->loss[k].kind);
            w_u32(w, (uint32_t)cc->loss[k].from_logits);
            w_f32(w, cc->loss[k].delta);
            if (version >= 3) {
                w_f32(w, cc->loss[k].gamma);
                w_f32(w, cc->loss[k].alpha);
                w_u32(w, (uint32_t)cc->loss[k].apply_class_balancing);
            }
        }
        for (int k = 0; k < NN_MAXOUT; k++)
            w_f64(w, cc->loss_weights[k]);
        w_u32(w, (uint32_t)cc->nmetrics);
        for (int k = 0; k < NN_MAXMETRICS; k++)
            w_u32(w, (uint32_t)cc->metrics[k]);
        if (version >= 3)
            w_u32(w, (uint32_t)cc->top_k);
        w_optcfg(w, &cc->opt, version);

        const nn_opt *o = &m->opt;
        w_optcfg(w, &o->cfg, version);
        w_u64(w, o->n);
        w_u64(w, (uint64_t)o->t);
        w_f64(w, o->u_prod);
        w_u32(w, o->m != NULL);
        w_u32(w, o->v != NULL);
        if (version >= 3) {
            w_u32(w, o->vh != NULL);
            w_u32(w, o->ema != NULL);
        }
        if (o->m)
            w_floats(w, o->m, o->n);
        if (o->v)
            w_floats(w, o->v, o->n);
        if (o->vh)
            w_floats(w, o->vh, o->n);
        if (o->ema)
            w_floats(w, o->ema, o->n);
    }

    int nkeys = h ? h->nkeys : 0, nep = h ? h->nepochs : 0;
    w_u32(w, (uint32_t)nkeys);
    for (int k = 0; k < nkeys; k++)
        w_name(w, h->keys[k], NN_KEYMAX);
    w_u32(w, (uint32_t)nep);
    for (int r = 0; r < nep; r++) {
        w_u32(w, (uint32_t)h->epoch[r]);
        w_f64(w, h->lr[r]);
        for (int k = 0; k < nkeys; k++)
            w_f64(w, h->values[(size_t)r * NN_MAXKEYS + k]);
    }
}

int nn_model_save(const nn_model *m, const nn_history *h, const char *path,
                  nn_err *e)
{
    if (!m)
        return nn_fail(e, "no model to save");
    if (m->compiled && m->opt.n != m->nparams)
        return nn_fail(e, "the optimizer state does not match the model; "
                          "compile again");
    writer *w = calloc(1, sizeof *w);
    if (!w)
        return nn_fail(e, "out of memory");
    write_model(w, m, h, 0);            /* count */
    uint64_t length = w->total + TRAILER_LEN;
    nn_afile f;
    if (nn_afile_open(&f, path, e) != NN_OK) {
        free(w);
        return NN_FAIL;
    }
    memset(w, 0, sizeof *w);
    w->f = &f;
    w->crc = crc32(0L, Z_NULL, 0);
    write_model(w, m, h, length);
    w_flush(w);
    unsigned char t[4];
    uint32_t crc = (uint32_t)w->crc;
    for (int k = 0; k < 4; k++)
        t[k] = (unsigned char)(crc >> (8 * k));
    if (!w->failed && w->total + TRAILER_LEN == length)
        nn_afile_write(&f, t, 4);
    else if (!f.err)
        f.err = EIO;
    free(w);
    return nn_afile_commit(&f, e);
}
