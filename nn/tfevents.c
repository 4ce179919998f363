/* tfevents.c - TensorBoard event files: CRC-32C, TFRecord framing and the
 * few protobuf messages a scalar or a histogram needs (see tfevents.h). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "tfevents.h"

/* ---- CRC-32C (Castagnoli), reflected, one table of 256 ---- */

static uint32_t crc_table[256];
static int crc_ready;

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        crc_table[i] = c;
    }
    crc_ready = 1;
}

uint32_t nn_crc32c_update(uint32_t crc, const void *data, size_t n)
{
    if (!crc_ready)
        crc_init();
    const uint8_t *p = data;
    crc = ~crc;
    for (size_t i = 0; i < n; i++)
        crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

uint32_t nn_crc32c(const void *data, size_t n)
{
    return nn_crc32c_update(0, data, n);
}

uint32_t nn_crc32c_mask(uint32_t crc)
{
    return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
}

/* ---- bytes ---- */

void nn_bytes_free(nn_bytes *b)
{
    nn_buf_free(&b->buf);
}

static void put(nn_bytes *b, const void *data, size_t n)
{
    nn_buf_add(&b->buf, data, n);
}

static void put_le(nn_bytes *b, uint64_t v, int nbytes)
{
    uint8_t t[8];
    for (int i = 0; i < nbytes; i++)
        t[i] = (uint8_t)(v >> (8 * i));
    put(b, t, (size_t)nbytes);
}

/* ---- protobuf wire format: varints, fixed64/32, length-delimited ---- */

static void pb_varint(nn_bytes *b, uint64_t v)
{
    uint8_t t[10];
    int n = 0;
    do {
        t[n] = v & 0x7f;
        v >>= 7;
        if (v)
            t[n] |= 0x80;
        n++;
    } while (v);
    put(b, t, (size_t)n);
}

static void pb_key(nn_bytes *b, int field, int wire)
{
    pb_varint(b, (uint64_t)field << 3 | (uint64_t)wire);
}

static void pb_double(nn_bytes *b, int field, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    pb_key(b, field, 1);
    put_le(b, u, 8);
}

static void pb_float(nn_bytes *b, int field, float v)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    pb_key(b, field, 5);
    put_le(b, u, 4);
}

static void pb_bytes(nn_bytes *b, int field, const void *data, size_t n)
{
    pb_key(b, field, 2);
    pb_varint(b, n);
    put(b, data, n);
}

static void pb_message(nn_bytes *b, int field, const nn_bytes *inner)
{
    if (inner->failed)
        b->failed = 1;
    pb_bytes(b, field, inner->p, inner->len);
}

/* Event{wall_time, step, summary{value{...}}} around one encoded Value. */
static int event_with_value(nn_bytes *out, double wall_time, int64_t step,
                            const nn_bytes *value)
{
    nn_bytes summary = {0};
    pb_message(&summary, 1, value);          /* Summary.value */
    pb_double(out, 1, wall_time);            /* Event.wall_time */
    if (step != 0) {                         /* Event.step */
        pb_key(out, 2, 0);
        pb_varint(out, (uint64_t)step);
    }
    pb_message(out, 5, &summary);            /* Event.summary */
    int bad = summary.failed || out->failed;
    nn_bytes_free(&summary);
    return bad ? NN_FAIL : NN_OK;
}

int nn_tfevent_version(nn_bytes *out, double wall_time)
{
    static const char v[] = "brain.Event:2";
    pb_double(out, 1, wall_time);
    pb_bytes(out, 3, v, sizeof v - 1);
    return out->failed ? NN_FAIL : NN_OK;
}

int nn_tfevent_scalar(nn_bytes *out, double wall_time, int64_t step,
                      const char *tag, float value)
{
    nn_bytes val = {0};
    pb_bytes(&val, 1, tag, strlen(tag));     /* Value.tag */
    pb_float(&val, 2, value);                /* Value.simple_value */
    int r = event_with_value(out, wall_time, step, &val);
    nn_bytes_free(&val);
    return r;
}

int nn_tfevent_histogram(nn_bytes *out, double wall_time, int64_t step,
                         const char *tag, const float *v, size_t n,
                         int nbuckets)
{
    if (nbuckets <= 0)
        nbuckets = 30;
    double lo = INFINITY, hi = -INFINITY, sum = 0, sum2 = 0, num = 0;
    for (size_t i = 0; i < n; i++) {
        double x = v[i];
        if (!isfinite(x))
            continue;
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
        sum += x;
        sum2 += x * x;
        num++;
    }
    if (num == 0)
        lo = hi = 0, nbuckets = 1;
    if (hi == lo)
        nbuckets = 1;
    double *limit = calloc((size_t)nbuckets, sizeof *limit);
    double *count = calloc((size_t)nbuckets, sizeof *count);
    if (!limit || !count) {
        free(limit);
        free(count);
        return NN_FAIL;
    }
    /* right edges lo + (i+1) w, the last exactly hi */
    double w = (hi - lo) / nbuckets;
    for (int i = 0; i < nbuckets; i++)
        limit[i] = i == nbuckets - 1 ? hi : lo + (i + 1) * w;
    for (size_t j = 0; j < n; j++) {
        double x = v[j];
        if (!isfinite(x))
            continue;
        int i = w > 0 ? (int)((x - lo) / w) : 0;
        i = i < 0 ? 0 : i >= nbuckets ? nbuckets - 1 : i;
        /* x belongs to (limit[i-1], limit[i]]: fix rounding either way */
        while (i > 0 && x <= limit[i - 1])
            i--;
        while (i < nbuckets - 1 && x > limit[i])
            i++;
        count[i]++;
    }
    nn_bytes h = {0}, packed = {0}, val = {0};
    pb_double(&h, 1, lo);
    pb_double(&h, 2, hi);
    pb_double(&h, 3, num);
    pb_double(&h, 4, sum);
    pb_double(&h, 5, sum2);
    for (int i = 0; i < nbuckets; i++) {
        uint64_t u;
        memcpy(&u, &limit[i], 8);
        put_le(&packed, u, 8);
    }
    pb_message(&h, 6, &packed);
    packed.len = 0;
    for (int i = 0; i < nbuckets; i++) {
        uint64_t u;
        memcpy(&u, &count[i], 8);
        put_le(&packed, u, 8);
    }
    pb_message(&h, 7, &packed);
    pb_bytes(&val, 1, tag, strlen(tag));     /* Value.tag */
    pb_message(&val, 5, &h);                 /* Value.histo */
    int r = event_with_value(out, wall_time, step, &val);
    nn_bytes_free(&h);
    nn_bytes_free(&packed);
    nn_bytes_free(&val);
    free(limit);
    free(count);
    return r;
}

int nn_tfrecord(nn_bytes *out, const void *data, size_t n)
{
    uint8_t len[8];
    for (int i = 0; i < 8; i++)
        len[i] = (uint8_t)((uint64_t)n >> (8 * i));
    put(out, len, 8);
    put_le(out, nn_crc32c_mask(nn_crc32c(len, 8)), 4);
    put(out, data, n);
    put_le(out, nn_crc32c_mask(nn_crc32c(data, n)), 4);
    return out->failed ? NN_FAIL : NN_OK;
}

/* ---- files ---- */

double nn_tfevents_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

int nn_mkdirs(const char *path, nn_err *e)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0)
        return nn_fail(e, "empty directory name");
    if (n >= sizeof buf)
        return nn_fail(e, "directory name too long");
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != 0)
            continue;
        char c = buf[i];
        buf[i] = 0;
        struct stat st;
        if (stat(buf, &st) != 0) {
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return nn_fail(e, "cannot create directory %s: %s", buf,
                               strerror(errno));
        } else if (!S_ISDIR(st.st_mode))
            return nn_fail(e, "%s is not a directory", buf);
        buf[i] = c;
    }
    return NN_OK;
}

static int write_record(nn_tfwriter *w, const nn_bytes *event, nn_err *e)
{
    nn_bytes rec = {0};
    if (event->failed || nn_tfrecord(&rec, event->p, event->len) != NN_OK) {
        nn_bytes_free(&rec);
        return nn_fail(e, "out of memory writing %s", w->path);
    }
    size_t want = rec.len, put_n = fwrite(rec.p, 1, rec.len, w->f);
    nn_bytes_free(&rec);
    if (put_n != want || ferror(w->f))
        return nn_fail(e, "cannot write %s: %s", w->path, strerror(errno));
    return NN_OK;
}

int nn_tfwriter_open(nn_tfwriter *w, const char *dir, double wall_time,
                     const char *host, nn_err *e)
{
    memset(w, 0, sizeof *w);
    if (nn_mkdirs(dir, e) != NN_OK)
        return NN_FAIL;
    char hbuf[256];
    if (!host) {
        if (gethostname(hbuf, sizeof hbuf) != 0)
            strcpy(hbuf, "localhost");
        hbuf[sizeof hbuf - 1] = 0;
        host = hbuf;
    }
    char hostname[256];
    size_t k = 0;
    for (const char *p = host; *p && k < sizeof hostname - 1; p++)
        hostname[k++] = *p == '/' ? '_' : *p;
    hostname[k] = 0;
    int fd = -1;
    for (int attempt = 0; attempt < 1000 && fd < 0; attempt++) {
        char suffix[16] = "";
        if (attempt)
            snprintf(suffix, sizeof suffix, ".%d", attempt);
        int len = snprintf(w->path, sizeof w->path,
                           "%s/events.out.tfevents.%010lld.%s%s", dir,
                           (long long)floor(wall_time), hostname, suffix);
        if (len < 0 || (size_t)len >= sizeof w->path)
            return nn_fail(e, "log directory name too long");
        fd = open(w->path, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno != EEXIST)
            return nn_fail(e, "cannot create %s: %s", w->path, strerror(errno));
    }
    if (fd < 0)
        return nn_fail(e, "cannot create an event file in %s", dir);
    w->f = fdopen(fd, "wb");
    if (!w->f) {
        close(fd);
        return nn_fail(e, "cannot open %s: %s", w->path, strerror(errno));
    }
    nn_bytes ev = {0};
    nn_tfevent_version(&ev, wall_time);
    int r = write_record(w, &ev, e);
    nn_bytes_free(&ev);
    if (r == NN_OK)
        r = nn_tfwriter_flush(w, e);
    if (r != NN_OK) {
        fclose(w->f);
        w->f = NULL;
    }
    return r;
}

int nn_tfwriter_scalar(nn_tfwriter *w, double wall_time, int64_t step,
                       const char *tag, double value, nn_err *e)
{
    nn_bytes ev = {0};
    nn_tfevent_scalar(&ev, wall_time, step, tag, (float)value);
    int r = write_record(w, &ev, e);
    nn_bytes_free(&ev);
    return r;
}

int nn_tfwriter_histogram(nn_tfwriter *w, double wall_time, int64_t step,
                          const char *tag, const float *v, size_t n,
                          nn_err *e)
{
    nn_bytes ev = {0};
    if (nn_tfevent_histogram(&ev, wall_time, step, tag, v, n, 0) != NN_OK) {
        nn_bytes_free(&ev);
        return nn_fail(e, "out of memory writing %s", w->path);
    }
    int r = write_record(w, &ev, e);
    nn_bytes_free(&ev);
    return r;
}

int nn_tfwriter_flush(nn_tfwriter *w, nn_err *e)
{
    if (w->f && fflush(w->f) != 0)
        return nn_fail(e, "cannot write %s: %s", w->path, strerror(errno));
    return NN_OK;
}

int nn_tfwriter_close(nn_tfwriter *w, nn_err *e)
{
    if (!w->f)
        return NN_OK;
    int bad = fflush(w->f) != 0;
    int err = errno;
    bad |= fclose(w->f) != 0;
    w->f = NULL;
    if (bad)
        return nn_fail(e, "cannot write %s: %s", w->path, strerror(err));
    return NN_OK;
}
