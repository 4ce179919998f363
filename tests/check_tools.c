/* check_tools.c - the training tools' tests (issue 5): TensorBoard event
 * files (CRC-32C, the REFERENCE.md test vectors, files decoded back by an
 * independent reader), schedules and 1cycle against their formulas, the
 * EarlyStopping and ReduceLROnPlateau state machines against hand-made
 * histories, the learning-rate range test (model bit-identical, a sane
 * suggestion, NaN handled), and the callbacks run through the shell
 * (CSV logger, TensorBoard, early stopping, checkpoints, schedules, the
 * Keras code).  Its own runner; the last line reads
 * "check_tools: N passed, N failed". */
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <check.h>
#include "repl.h"
#include "callbacks.h"
#include "lrfind.h"
#include "save.h"
#include "schedule.h"
#include "tfevents.h"

/* ---- helpers ---- */

static char tmpdir[256];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/check_tools.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        while (d && (de = readdir(d))) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            char sub[1024];
            snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
            rm_rf(sub);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else
        unlink(path);
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    unsigned char *b = malloc(cap);
    size_t k;
    while (b && (k = fread(b + len, 1, cap - len, f)) > 0) {
        len += k;
        if (len == cap)
            b = realloc(b, cap *= 2);
    }
    fclose(f);
    if (b)
        b[len < cap ? len : cap - 1] = 0;
    *n = len;
    return b;
}

/* The only file in dir whose name holds "tfevents" (NULL if not one). */
static char *event_file(const char *dir)
{
    static char path[1024];
    DIR *d = opendir(dir);
    int found = 0;
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (strstr(de->d_name, "tfevents")) {
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            found++;
        }
    if (d)
        closedir(d);
    return found == 1 ? path : NULL;
}

/* ---- an independent CRC-32C (bitwise) and event-file reader ---- */

static uint32_t crc_bitwise(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1)));
    }
    return ~c;
}

static uint32_t mask(uint32_t c)
{
    return ((c >> 15) | (c << 17)) + 0xA282EAD8u;
}

static uint64_t le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

typedef struct pb {
    const unsigned char *p, *end;
} pb;

static int pb_varint(pb *b, uint64_t *v)
{
    *v = 0;
    for (int s = 0; s < 64 && b->p < b->end; s += 7) {
        unsigned char c = *b->p++;
        *v |= (uint64_t)(c & 0x7f) << s;
        if (!(c & 0x80))
            return 0;
    }
    return -1;
}

/* Reads the next field: number, wire type, and either a scalar (varint,
 * fixed) in *v or a (pointer, length) for length-delimited ones. */
static int pb_field(pb *b, int *field, int *wire, uint64_t *v,
                    const unsigned char **data, size_t *len)
{
    uint64_t key;
    if (b->p >= b->end || pb_varint(b, &key) != 0)
        return -1;
    *field = (int)(key >> 3);
    *wire = (int)(key & 7);
    switch (*wire) {
    case 0:
        return pb_varint(b, v);
    case 1:
        if (b->end - b->p < 8)
            return -1;
        *v = le(b->p, 8);
        b->p += 8;
        return 0;
    case 5:
        if (b->end - b->p < 4)
            return -1;
        *v = le(b->p, 4);
        b->p += 4;
        return 0;
    case 2:
        if (pb_varint(b, v) != 0 || (uint64_t)(b->end - b->p) < *v)
            return -1;
        *data = b->p;
        *len = (size_t)*v;
        b->p += *len;
        return 0;
    }
    return -1;
}

typedef struct event {
    double wall_time;
    int64_t step;
    char version[32];
    char tag[128];
    int has_simple, has_histo;
    float simple;
    double hmin, hmax, hnum, hsum, hsum2;
    int nlimit, ncount;
    double limit[64], count[64];
} event;

static double as_double(uint64_t v)
{
    double d;
    memcpy(&d, &v, 8);
    return d;
}

static void decode_histo(const unsigned char *p, size_t n, event *ev)
{
    pb b = {p, p + n};
    int f, w;
    uint64_t v;
    const unsigned char *d;
    size_t len;
    while (b.p < b.end) {
        ck_assert_int_eq(pb_field(&b, &f, &w, &v, &d, &len), 0);
        if (w == 1) {
            double x = as_double(v);
            if (f == 1) ev->hmin = x;
            if (f == 2) ev->hmax = x;
            if (f == 3) ev->hnum = x;
            if (f == 4) ev->hsum = x;
            if (f == 5) ev->hsum2 = x;
        } else if (w == 2 && (f == 6 || f == 7)) {
            ck_assert_int_eq(len % 8, 0);
            for (size_t i = 0; i < len / 8 && i < 64; i++) {
                double x = as_double(le(d + 8 * i, 8));
                if (f == 6)
                    ev->limit[ev->nlimit++] = x;
                else
                    ev->count[ev->ncount++] = x;
            }
        }
    }
}

static void decode_event(const unsigned char *p, size_t n, event *ev)
{
    memset(ev, 0, sizeof *ev);
    pb b = {p, p + n};
    int f, w;
    uint64_t v;
    const unsigned char *d;
    size_t len;
    while (b.p < b.end) {
        ck_assert_int_eq(pb_field(&b, &f, &w, &v, &d, &len), 0);
        if (f == 1 && w == 1)
            ev->wall_time = as_double(v);
        else if (f == 2 && w == 0)
            ev->step = (int64_t)v;
        else if (f == 3 && w == 2)
            snprintf(ev->version, sizeof ev->version, "%.*s", (int)len, d);
        else if (f == 5 && w == 2) {         /* Summary */
            pb s = {d, d + len};
            int f2, w2;
            uint64_t v2;
            const unsigned char *d2;
            size_t l2;
            while (s.p < s.end) {
                ck_assert_int_eq(pb_field(&s, &f2, &w2, &v2, &d2, &l2), 0);
                ck_assert_int_eq(f2, 1);     /* Summary.value */
                pb val = {d2, d2 + l2};
                int f3, w3;
                uint64_t v3;
                const unsigned char *d3;
                size_t l3;
                while (val.p < val.end) {
                    ck_assert_int_eq(pb_field(&val, &f3, &w3, &v3, &d3, &l3), 0);
                    if (f3 == 1 && w3 == 2)
                        snprintf(ev->tag, sizeof ev->tag, "%.*s", (int)l3, d3);
                    else if (f3 == 2 && w3 == 5) {
                        uint32_t u = (uint32_t)v3;
                        memcpy(&ev->simple, &u, 4);
                        ev->has_simple = 1;
                    } else if (f3 == 5 && w3 == 2) {
                        ev->has_histo = 1;
                        decode_histo(d3, l3, ev);
                    }
                }
            }
        }
    }
}

/* Reads every record of an event file, checking both CRCs of each. */
static int read_events(const char *path, event *evs, int max)
{
    size_t n;
    unsigned char *b = slurp(path, &n);
    ck_assert_msg(b != NULL, "cannot read %s", path);
    size_t at = 0;
    int k = 0;
    while (at < n) {
        ck_assert_msg(n - at >= 12, "%s: a truncated record header at %zu", path, at);
        uint64_t len = le(b + at, 8);
        ck_assert_msg((uint32_t)le(b + at + 8, 4) == mask(crc_bitwise(b + at, 8)),
                      "%s: bad length CRC at %zu", path, at);
        ck_assert_msg(n - at - 12 >= len + 4, "%s: truncated record at %zu", path, at);
        const unsigned char *data = b + at + 12;
        ck_assert_msg((uint32_t)le(data + len, 4) == mask(crc_bitwise(data, len)),
                      "%s: bad data CRC at %zu", path, at);
        ck_assert_int_lt(k, max);
        decode_event(data, (size_t)len, &evs[k++]);
        at += 12 + len + 4;
    }
    free(b);
    return k;
}

static void hex(const nn_bytes *b, char *out)
{
    for (size_t i = 0; i < b->len; i++)
        sprintf(out + 2 * i, "%02x", b->p[i]);
    out[2 * b->len] = 0;
}

/* ---- CRC and records ---- */

START_TEST(test_crc32c)
{
    ck_assert_uint_eq(nn_crc32c("123456789", 9), 0xE3069283u);
    ck_assert_uint_eq(nn_crc32c("", 0), 0);
    ck_assert_uint_eq(crc_bitwise((const unsigned char *)"123456789", 9), 0xE3069283u);
    /* running form equals one call; the table agrees with the bitwise one */
    const char *t = "The quick brown fox jumps over the lazy dog";
    uint32_t c = nn_crc32c_update(0, t, 10);
    c = nn_crc32c_update(c, t + 10, strlen(t) - 10);
    ck_assert_uint_eq(c, nn_crc32c(t, strlen(t)));
    ck_assert_uint_eq(c, crc_bitwise((const unsigned char *)t, strlen(t)));
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    ck_assert_uint_eq(nn_crc32c(all, 256), crc_bitwise(all, 256));
    /* masked = rotate right by 15, plus the constant */
    ck_assert_uint_eq(nn_crc32c_mask(0), 0xA282EAD8u);
    ck_assert_uint_eq(nn_crc32c_mask(0xE3069283u), mask(0xE3069283u));
    ck_assert_uint_eq(nn_crc32c_mask(1u << 15), 0xA282EAD8u + 1);
}
END_TEST

START_TEST(test_record_vectors)
{
    /* REFERENCE.md, wall_time 1.0 */
    static const char v1[] =
        "1800000000000000a37f4b2209000000000000f03f1a0d627261696e2e4576656e743a3286bf577a";
    static const char v2[] =
        "1a00000000000000129bd82d09000000000000f03f10012a0d0a0b0a046c6f7373150000003f27f95db1";
    nn_bytes ev = {0}, rec = {0};
    char h[256];
    ck_assert_int_eq(nn_tfevent_version(&ev, 1.0), NN_OK);
    ck_assert_int_eq(nn_tfrecord(&rec, ev.p, ev.len), NN_OK);
    hex(&rec, h);
    ck_assert_str_eq(h, v1);
    nn_bytes_free(&ev);
    nn_bytes_free(&rec);
    ck_assert_int_eq(nn_tfevent_scalar(&ev, 1.0, 1, "loss", 0.5f), NN_OK);
    ck_assert_int_eq(nn_tfrecord(&rec, ev.p, ev.len), NN_OK);
    hex(&rec, h);
    ck_assert_str_eq(h, v2);
    nn_bytes_free(&ev);
    nn_bytes_free(&rec);
    /* step 0 is left out (proto3 default) and a large step is a varint */
    ck_assert_int_eq(nn_tfevent_scalar(&ev, 1.0, 0, "a", 1.0f), NN_OK);
    event e;
    decode_event(ev.p, ev.len, &e);
    ck_assert_int_eq(e.step, 0);
    ck_assert(memchr(ev.p, 0x10, ev.len) == NULL);
    nn_bytes_free(&ev);
    ck_assert_int_eq(nn_tfevent_scalar(&ev, 2.5, 300000, "epoch_loss", 0.25f), NN_OK);
    decode_event(ev.p, ev.len, &e);
    ck_assert_int_eq(e.step, 300000);
    ck_assert_str_eq(e.tag, "epoch_loss");
    ck_assert(e.wall_time == 2.5 && e.simple == 0.25f);
    nn_bytes_free(&ev);
}
END_TEST

START_TEST(test_event_file)
{
    make_tmpdir();
    char dir[512];
    snprintf(dir, sizeof dir, "%s/logs/train", tmpdir);
    nn_tfwriter w;
    nn_err e;
    ck_assert_int_eq(nn_tfwriter_open(&w, dir, 1234.75, "testhost", &e), NN_OK);
    char want[600];
    snprintf(want, sizeof want, "%s/events.out.tfevents.0000001234.testhost", dir);
    ck_assert_str_eq(w.path, want);
    for (int s = 0; s < 5; s++)
        ck_assert_int_eq(nn_tfwriter_scalar(&w, 1235.0 + s, s, "epoch_loss",
                                            1.0 / (s + 1), &e), NN_OK);
    float v[100];
    for (int i = 0; i < 100; i++)
        v[i] = (float)((i * 37) % 100) / 50.0f - 1.0f;   /* -1 .. 0.98 */
    v[7] = NAN;                                          /* left out */
    ck_assert_int_eq(nn_tfwriter_histogram(&w, 1240.0, 3, "dense/kernel/histogram",
                                           v, 100, &e), NN_OK);
    ck_assert_int_eq(nn_tfwriter_close(&w, &e), NN_OK);
    ck_assert_int_eq(nn_tfwriter_close(&w, &e), NN_OK);   /* twice is fine */
    /* a second file in the same second gets a suffix */
    nn_tfwriter w2;
    ck_assert_int_eq(nn_tfwriter_open(&w2, dir, 1234.0, "testhost", &e), NN_OK);
    ck_assert(strstr(w2.path, "tfevents.0000001234.testhost.1") != NULL);
    nn_tfwriter_close(&w2, &e);

    event evs[16];
    int n = read_events(want, evs, 16);
    ck_assert_int_eq(n, 7);
    ck_assert_str_eq(evs[0].version, "brain.Event:2");
    ck_assert(evs[0].wall_time == 1234.75);
    for (int s = 0; s < 5; s++) {
        ck_assert_str_eq(evs[1 + s].tag, "epoch_loss");
        ck_assert_int_eq(evs[1 + s].step, s);
        ck_assert(evs[1 + s].has_simple);
        ck_assert(evs[1 + s].simple == (float)(1.0 / (s + 1)));
        ck_assert(evs[1 + s].wall_time == 1235.0 + s);
    }
    event *h = &evs[6];
    ck_assert_str_eq(h->tag, "dense/kernel/histogram");
    ck_assert_int_eq(h->step, 3);
    ck_assert(h->has_histo);
    double lo = INFINITY, hi = -INFINITY, sum = 0, sum2 = 0;
    for (int i = 0; i < 100; i++)
        if (isfinite(v[i])) {
            lo = fmin(lo, v[i]);
            hi = fmax(hi, v[i]);
            sum += v[i];
            sum2 += (double)v[i] * v[i];
        }
    ck_assert(h->hmin == lo && h->hmax == hi && h->hnum == 99);
    ck_assert_double_eq_tol(h->hsum, sum, 1e-9);
    ck_assert_double_eq_tol(h->hsum2, sum2, 1e-9);
    ck_assert_int_eq(h->nlimit, 30);
    ck_assert_int_eq(h->ncount, 30);
    ck_assert(h->limit[29] == hi);
    /* every value in (limit[i-1], limit[i]], counted independently */
    double total = 0;
    for (int b = 0; b < 30; b++) {
        if (b)
            ck_assert(h->limit[b] > h->limit[b - 1]);
        int c = 0;
        for (int i = 0; i < 100; i++)
            if (isfinite(v[i]) && v[i] <= h->limit[b] && (b == 0 || v[i] > h->limit[b - 1]))
                c++;
        ck_assert_msg(h->count[b] == c, "bucket %d: %g, want %d", b, h->count[b], c);
        total += h->count[b];
    }
    ck_assert(total == 99);
    rm_rf(tmpdir);
}
END_TEST

START_TEST(test_event_file_errors)
{
    make_tmpdir();
    char f[512];
    snprintf(f, sizeof f, "%s/plain", tmpdir);
    FILE *fp = fopen(f, "w");
    fputs("x", fp);
    fclose(fp);
    nn_tfwriter w;
    nn_err e;
    char dir[600];
    snprintf(dir, sizeof dir, "%s/train", f);            /* under a file */
    ck_assert_int_eq(nn_tfwriter_open(&w, dir, 1.0, "h", &e), NN_FAIL);
    ck_assert(strstr(e.msg, "not a directory") != NULL);
    ck_assert_ptr_null(w.f);
    rm_rf(tmpdir);
}
END_TEST

/* ---- schedules ---- */

START_TEST(test_exp_piecewise)
{
    ck_assert_double_eq_tol(nn_exp_decay(0.01, 0.1, 1000, 0, 0), 0.01, 1e-15);
    ck_assert_double_eq_tol(nn_exp_decay(0.01, 0.1, 1000, 0, 1000), 0.001, 1e-15);
    ck_assert_double_eq_tol(nn_exp_decay(0.01, 0.1, 1000, 0, 500), 0.01 * pow(0.1, 0.5), 1e-15);
    ck_assert_double_eq_tol(nn_exp_decay(0.01, 0.1, 1000, 0, 2500), 0.01 * pow(0.1, 2.5), 1e-17);
    ck_assert_double_eq_tol(nn_exp_decay(0.01, 0.1, 1000, 1, 999), 0.01, 1e-15);
    ck_assert_double_eq_tol(nn_exp_decay(0.01, 0.1, 1000, 1, 2500), 0.0001, 1e-17);
    ck_assert_double_eq_tol(nn_exp_decay(1, 0.5, 10, 0, 5), sqrt(0.5), 1e-15);
    /* Keras: values[0] while step <= b[0], values[i] in (b[i-1], b[i]] */
    const double b[] = {1000, 2000}, v[] = {0.01, 0.005, 0.001};
    const struct { long step; double lr; } cases[] = {
        {0, 0.01}, {999, 0.01}, {1000, 0.01}, {1001, 0.005}, {2000, 0.005},
        {2001, 0.001}, {100000, 0.001},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(nn_piecewise_constant(b, v, 2, cases[i].step) == cases[i].lr,
                      "step %ld: %g, want %g", cases[i].step,
                      nn_piecewise_constant(b, v, 2, cases[i].step), cases[i].lr);
}
END_TEST

/* Geron's OneCycleScheduler, literally (ch. 11 notebook). */
static double geron_1cycle(long iterations, double max_lr, long it)
{
    double start_lr = max_lr / 10, last_lr = start_lr / 1000;
    long last_iterations = iterations / 10 + 1;
    long half = (iterations - last_iterations) / 2;
#define INTERP(i1, i2, l1, l2) (((l2) - (l1)) * (double)(it - (i1)) / (double)((i2) - (i1)) + (l1))
    if (it < half)
        return INTERP(0, half, start_lr, max_lr);
    if (it < 2 * half)
        return INTERP(half, 2 * half, max_lr, start_lr);
    return INTERP(2 * half, iterations, start_lr, last_lr);
#undef INTERP
}

START_TEST(test_onecycle)
{
    nn_onecycle c;
    nn_onecycle_init(&c, 100, 0.1, 0, 0, 0);
    ck_assert_int_eq(c.last_iterations, 11);
    ck_assert_int_eq(c.half, 44);
    ck_assert(c.start_lr == 0.01 && c.last_lr == 0.01 / 1000);
    /* corners by hand */
    ck_assert_double_eq_tol(nn_onecycle_lr(&c, 0), 0.01, 1e-15);
    ck_assert_double_eq_tol(nn_onecycle_lr(&c, 22), 0.01 + 0.09 * 22 / 44, 1e-15);
    ck_assert_double_eq_tol(nn_onecycle_lr(&c, 44), 0.1, 1e-15);
    ck_assert_double_eq_tol(nn_onecycle_lr(&c, 66), 0.1 - 0.09 * 22 / 44, 1e-15);
    ck_assert_double_eq_tol(nn_onecycle_lr(&c, 88), 0.01, 1e-15);
    ck_assert_double_eq_tol(nn_onecycle_lr(&c, 94), 0.01 + (1e-5 - 0.01) * 6 / 12, 1e-15);
    ck_assert_double_eq_tol(nn_onecycle_lr(&c, 100), 1e-5, 1e-18);
    ck_assert_double_eq_tol(nn_onecycle_lr(&c, 1000), 1e-5, 1e-18);
    /* every iteration of a few sizes against Geron's code */
    const long sizes[] = {1, 2, 3, 9, 10, 11, 57, 100, 1719 * 3};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        nn_onecycle_init(&c, sizes[k], 3e-3, 0, 0, 0);
        for (long it = 0; it < sizes[k]; it++) {
            double want = geron_1cycle(sizes[k], 3e-3, it);
            ck_assert_msg(fabs(nn_onecycle_lr(&c, it) - want) <= 1e-15,
                          "iterations %ld, it %ld: %g, want %g", sizes[k], it,
                          nn_onecycle_lr(&c, it), want);
            ck_assert(nn_onecycle_lr(&c, it) > 0);
        }
    }
    /* momentum: 0.95 -> 0.85 -> 0.95, then 0.95 */
    nn_onecycle_init(&c, 100, 0.1, 0, 0, 0);
    ck_assert_double_eq_tol(nn_onecycle_momentum(&c, 0), 0.95, 1e-15);
    ck_assert_double_eq_tol(nn_onecycle_momentum(&c, 22), 0.90, 1e-15);
    ck_assert_double_eq_tol(nn_onecycle_momentum(&c, 44), 0.85, 1e-15);
    ck_assert_double_eq_tol(nn_onecycle_momentum(&c, 66), 0.90, 1e-15);
    ck_assert_double_eq_tol(nn_onecycle_momentum(&c, 95), 0.95, 1e-15);
    /* given start and last */
    nn_onecycle_init(&c, 100, 0.1, 0.02, 0.001, 0);
    ck_assert_double_eq_tol(nn_onecycle_lr(&c, 0), 0.02, 1e-15);
    ck_assert_double_eq_tol(nn_onecycle_lr(&c, 100), 0.001, 1e-15);
}
END_TEST

START_TEST(test_monitor_direction)
{
    ck_assert_int_eq(nn_monitor_maximize("accuracy"), 1);
    ck_assert_int_eq(nn_monitor_maximize("val_accuracy"), 1);
    ck_assert_int_eq(nn_monitor_maximize("val_sparse_categorical_accuracy"), 1);
    ck_assert_int_eq(nn_monitor_maximize("loss"), 0);
    ck_assert_int_eq(nn_monitor_maximize("val_loss"), 0);
    ck_assert_int_eq(nn_monitor_maximize("val_mae"), 0);
    ck_assert_int_eq(nn_monitor_maximize("rmse"), 0);
    /* a model of several outputs: <output>_loss, <output>_<metric>, whatever
     * the output's name holds */
    ck_assert_int_eq(nn_monitor_maximize("val_acc_head_loss"), 0);
    ck_assert_int_eq(nn_monitor_maximize("acc_head_mae"), 0);
    ck_assert_int_eq(nn_monitor_maximize("val_aux_output_accuracy"), 1);
    ck_assert_int_eq(nn_monitor_maximize("val_loss_head_accuracy"), 1);
    ck_assert_int_eq(nn_monitor_maximize("acc"), 1);      /* Keras 2's name */
}
END_TEST

/* ---- EarlyStopping against hand-made histories ---- */

#define ABSENT 1e300   /* the monitored key is not in this epoch's logs */

typedef struct es_case {
    const char *name;
    nn_earlystop_cfg cfg;       /* min_delta patience maximize has_baseline
                                   baseline start_from_epoch restore */
    int n;
    double v[12];
    int stop_at;                /* epoch that stops it, -1: none */
    int best_epoch;             /* at the end */
    const char *saves;          /* 'S' where the weights are taken */
} es_case;

static const es_case es_cases[] = {
    {"patience 0 stops at the first worse epoch",
     {0, 0, 0, 0, 0, 0, 0}, 4, {1.0, 0.9, 0.95, 0.5}, 2, 1, "...."},
    {"patience 2 waits two epochs",
     {0, 2, 0, 0, 0, 0, 0}, 6, {1.0, 0.9, 0.95, 0.92, 0.91, 0.1}, 3, 1, "......"},
    {"patience 2, improvement resets the wait",
     {0, 2, 0, 0, 0, 0, 0}, 6, {1.0, 1.1, 0.9, 1.0, 1.0, 1.0}, 4, 2, "......"},
    {"equal is not better",
     {0, 1, 0, 0, 0, 0, 0}, 3, {1.0, 1.0, 1.0}, 1, 0, "..."},
    {"min_delta: small gains do not count",
     {0.05, 1, 0, 0, 0, 0, 0}, 4, {1.0, 0.97, 0.96, 0.9}, 1, 0, "...."},
    {"min_delta: a large enough gain counts",
     {0.05, 1, 0, 0, 0, 0, 0}, 4, {1.0, 0.94, 0.93, 0.80}, 2, 1, "...."},
    {"min_delta given negative acts as its absolute value",
     {-0.05, 1, 0, 0, 0, 0, 0}, 4, {1.0, 0.97, 0.96, 0.9}, 1, 0, "...."},
    {"mode max",
     {0, 1, 1, 0, 0, 0, 0}, 4, {0.5, 0.6, 0.6, 0.59}, 2, 1, "...."},
    {"mode max with min_delta",
     {0.01, 0, 1, 0, 0, 0, 0}, 3, {0.5, 0.505, 0.7}, 1, 0, "..."},
    {"baseline never beaten: wait grows through improvements",
     {0, 2, 0, 1, 0.5, 0, 0}, 4, {0.9, 0.95, 0.97, 0.4}, 1, 0, "...."},
    {"baseline: improvements that miss it never stop training",
     {0, 2, 0, 1, 0.5, 0, 0}, 5, {0.9, 0.8, 0.7, 0.6, 0.55}, -1, 4, "....."},
    {"baseline beaten: wait restarts",
     {0, 1, 0, 1, 0.5, 0, 0}, 4, {0.9, 0.4, 0.45, 0.46}, 2, 1, "...."},
    {"start_from_epoch: the first epochs are not watched",
     {0, 0, 0, 0, 0, 2, 0}, 5, {1.0, 2.0, 3.0, 2.5, 2.6}, 4, 3, "....."},
    {"restore_best_weights takes the best epochs' weights",
     {0, 2, 0, 0, 0, 0, 1}, 5, {1.0, 0.8, 0.9, 0.95, 0.7}, 3, 1, "SS..."},
    {"absent values change nothing",
     {0, 1, 0, 0, 0, 0, 1}, 5, {1.0, ABSENT, ABSENT, 0.9, 1.2}, 4, 3, "S..S."},
    {"NaN never improves",
     {0, 1, 0, 0, 0, 0, 0}, 3, {1.0, NAN, NAN}, 1, 0, "..."},
    {"NaN first: restore takes the first weights anyway",
     {0, 5, 0, 0, 0, 0, 1}, 3, {NAN, 1.0, 0.5}, -1, 2, "SSS"},
    {"never at the first epoch of a fit",
     {0, 0, 0, 0, 0, 0, 0}, 2, {NAN, 1.0}, -1, 1, ".."},
    {"start_from_epoch longer than the fit",
     {0, 0, 0, 0, 0, 10, 1}, 3, {1.0, 2.0, 3.0}, -1, -1, "..."},
};

START_TEST(test_earlystopping)
{
    const es_case *c = &es_cases[_i];
    nn_earlystop s;
    nn_earlystop_begin(&s, &c->cfg);
    int stop_at = -1;
    for (int ep = 0; ep < c->n; ep++) {
        int have = c->v[ep] != ABSENT;
        int f = nn_earlystop_epoch(&s, ep, have, have ? c->v[ep] : 0);
        ck_assert_msg(!!(f & NN_ES_SAVE) == (c->saves[ep] == 'S'),
                      "%s: epoch %d: save %d, want %c", c->name, ep,
                      !!(f & NN_ES_SAVE), c->saves[ep]);
        if (f & NN_ES_STOP) {
            stop_at = ep;
            break;
        }
    }
    ck_assert_msg(stop_at == c->stop_at, "%s: stopped at %d, want %d", c->name,
                  stop_at, c->stop_at);
    ck_assert_msg(s.stopped_epoch == c->stop_at, "%s: stopped_epoch %d", c->name,
                  s.stopped_epoch);
    ck_assert_msg(s.best_epoch == c->best_epoch, "%s: best epoch %d, want %d",
                  c->name, s.best_epoch, c->best_epoch);
}
END_TEST

START_TEST(test_earlystopping_reuse)
{
    /* begin resets everything: a second fit starts afresh (Keras's
     * on_train_begin) */
    nn_earlystop_cfg cfg = {0, 0, 0, 0, 0, 0, 1};
    nn_earlystop s;
    nn_earlystop_begin(&s, &cfg);
    nn_earlystop_epoch(&s, 0, 1, 0.1);
    ck_assert_int_eq(nn_earlystop_epoch(&s, 1, 1, 0.2) & NN_ES_STOP, NN_ES_STOP);
    nn_earlystop_begin(&s, &cfg);
    ck_assert(isinf(s.best) && s.wait == 0 && s.stopped_epoch == -1 && !s.have_weights);
    ck_assert_int_eq(nn_earlystop_epoch(&s, 0, 1, 0.5), NN_ES_SAVE);
}
END_TEST

/* ---- ReduceLROnPlateau against hand-made histories ---- */

typedef struct rl_case {
    const char *name;
    nn_plateau_cfg cfg;         /* factor min_delta min_lr patience cooldown maximize */
    double lr0;
    int n;
    double v[14];
    double lr[14];              /* rate after each epoch */
} rl_case;

static const rl_case rl_cases[] = {
    {"patience, cooldown and min_lr", {0.5, 0, 0.1, 2, 1, 0}, 1.0, 12,
     {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
     {1, 1, .5, .5, .25, .25, .125, .125, .1, .1, .1, .1}},
    {"no cooldown", {0.5, 0, 0, 1, 0, 0}, 1.0, 5,
     {1, 1, 1, 1, 1}, {1, .5, .25, .125, .0625}},
    {"improvements keep the rate", {0.1, 0, 0, 1, 0, 0}, 0.01, 5,
     {5, 4, 3, 2, 1}, {.01, .01, .01, .01, .01}},
    {"min_delta: small gains count as none (default 1e-4)", {0.1, 1e-4, 0, 2, 0, 0},
     0.01, 4, {1.0, 0.99995, 0.9999, 0.99}, {.01, .01, .001, .001}},
    {"mode max", {0.5, 0, 0, 1, 0, 1}, 0.2, 4,
     {0.5, 0.6, 0.6, 0.7}, {.2, .2, .1, .1}},
    {"cooldown 2 holds counting", {0.5, 0, 0, 1, 2, 0}, 1.0, 7,
     {1, 2, 2, 2, 2, 2, 2}, {1, .5, .5, .25, .25, .125, .125}},
    {"absent values change nothing", {0.5, 0, 0, 1, 0, 0}, 1.0, 4,
     {1, ABSENT, ABSENT, 2}, {1, 1, 1, .5}},
};

START_TEST(test_reduce_lr)
{
    const rl_case *c = &rl_cases[_i];
    nn_plateau p;
    nn_plateau_begin(&p, &c->cfg);
    double lr = c->lr0;
    for (int ep = 0; ep < c->n; ep++) {
        int have = c->v[ep] != ABSENT, red;
        double nl = nn_plateau_epoch(&p, have, have ? c->v[ep] : 0, lr, &red);
        ck_assert_msg(red == (nl != lr), "%s: epoch %d: reduced flag", c->name, ep);
        lr = nl;
        ck_assert_msg(fabs(lr - c->lr[ep]) < 1e-12, "%s: epoch %d: lr %g, want %g",
                      c->name, ep, lr, c->lr[ep]);
    }
}
END_TEST

/* ---- the learning-rate range test ---- */

/* A toy regression: y = 0.5 x1 - 0.3 x2 + 0.1, 256 samples, one Dense. */
static void toy(nn_dataset *d, nn_model **m, nn_opt_kind opt, int hidden)
{
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 7);
    ck_assert_int_eq(nn_dataset_alloc(d, 256, 2, 1, &e), NN_OK);
    for (int i = 0; i < d->n; i++) {
        float a = (float)nn_rng_range(&r, -1, 1), b = (float)nn_rng_range(&r, -1, 1);
        d->x[2 * i] = a;
        d->x[2 * i + 1] = b;
        d->y[i] = 0.5f * a - 0.3f * b + 0.1f;
    }
    *m = nn_model_new("toy", 1, &e);
    ck_assert_ptr_nonnull(*m);
    int shape[1] = {2};
    int in = nn_model_add_input(*m, shape, 1, NULL, &e);
    ck_assert_int_ge(in, 0);
    nn_dense_cfg c;
    int prev = in;
    if (hidden) {
        nn_dense_defaults(&c, hidden);
        c.activation = NN_ACT_TANH;
        prev = nn_model_add_dense(*m, prev, &c, NULL, &r, &e);
        ck_assert_int_ge(prev, 0);
    }
    nn_dense_defaults(&c, 1);
    ck_assert_int_ge(nn_model_add_dense(*m, prev, &c, NULL, &r, &e), 0);
    nn_compile_cfg cc;
    nn_compile_defaults(&cc);
    cc.loss[0].kind = NN_LOSS_MSE;
    nn_opt_defaults(&cc.opt, opt);
    ck_assert_int_eq(nn_model_compile(*m, &cc, &e), NN_OK);
    /* a few real steps first, so the optimizer state is not all zeros */
    double loss;
    for (int k = 0; k < 3; k++)
        ck_assert_int_eq(nn_train_batch(*m, d->x + 64 * k, d->d, d->y + 32 * k, NULL, 32,
                                        &loss, &e), NN_OK);
}

typedef struct snap {
    float *p, *m, *v;
    nn_opt opt;
    long steps;
} snap;

static void take(snap *s, const nn_model *m)
{
    size_t n = m->nparams;
    s->p = malloc(n * 4);
    s->m = malloc(n * 4);
    s->v = malloc(n * 4);
    memcpy(s->p, m->params, n * 4);
    if (m->opt.m)
        memcpy(s->m, m->opt.m, n * 4);
    if (m->opt.v)
        memcpy(s->v, m->opt.v, n * 4);
    s->opt = m->opt;
    s->steps = m->steps;
}

static void same(const snap *s, const nn_model *m, const char *what)
{
    size_t n = m->nparams;
    ck_assert_msg(memcmp(s->p, m->params, n * 4) == 0, "%s: weights changed", what);
    if (m->opt.m)
        ck_assert_msg(memcmp(s->m, m->opt.m, n * 4) == 0, "%s: m changed", what);
    if (m->opt.v)
        ck_assert_msg(memcmp(s->v, m->opt.v, n * 4) == 0, "%s: v changed", what);
    ck_assert_msg(s->opt.t == m->opt.t, "%s: t changed", what);
    ck_assert_msg(s->opt.u_prod == m->opt.u_prod, "%s: u_prod changed", what);
    ck_assert_msg(memcmp(&s->opt.cfg, &m->opt.cfg, sizeof s->opt.cfg) == 0,
                  "%s: optimizer settings changed", what);
    ck_assert_msg(s->steps == m->steps, "%s: steps changed", what);
    free(s->p);
    free(s->m);
    free(s->v);
}

static const nn_opt_kind lrf_opts[] = {NN_OPT_SGD, NN_OPT_ADAM, NN_OPT_RMSPROP,
                                       NN_OPT_NADAM, NN_OPT_ADAGRAD};

START_TEST(test_lrfind_restores)
{
    nn_dataset d;
    nn_model *m;
    toy(&d, &m, lrf_opts[_i], _i % 2 ? 8 : 0);
    snap s;
    take(&s, m);
    nn_rng r, r0;
    nn_rng_seed(&r, 99);
    r0 = r;
    nn_lrfind_opts o;
    nn_lrfind_defaults(&o);
    o.steps = 300;
    nn_lrfind_result res;
    nn_err e;
    ck_assert_int_eq(nn_lrfind(m, &d, &o, &r, &res, &e), NN_OK);
    same(&s, m, nn_opt_names[lrf_opts[_i]]);
    ck_assert(memcmp(&r, &r0, sizeof r) == 0);       /* the generator too */
    ck_assert_int_gt(res.n, 30);
    for (int i = 0; i < res.n; i++) {
        ck_assert(isfinite(res.loss[i]) && isfinite(res.smooth[i]));
        if (i)
            ck_assert(res.lr[i] > res.lr[i - 1]);
    }
    ck_assert_double_eq_tol(res.lr[0], 1e-5, 1e-20);
    ck_assert_double_eq_tol(res.factor, exp(log(1e6) / 299), 1e-12);
    if (res.n > 1)
        ck_assert_double_eq_tol(res.lr[1] / res.lr[0], res.factor, 1e-9);
    /* the sweep went up to where the loss climbs (sgd and adam on this
     * problem diverge well before 10) and the suggestion is sane */
    ck_assert_msg(res.suggestion >= 1e-4 && res.suggestion <= 1,
                  "%s: suggestion %g", nn_opt_names[lrf_opts[_i]], res.suggestion);
    if (getenv("CHECK_TOOLS_VERBOSE"))
        printf("lrfind %s: %d steps, stop %d at %g, suggestion %g\n",
               nn_opt_names[lrf_opts[_i]], res.n, res.stop, res.stop_lr, res.suggestion);
    ck_assert_int_ge(res.min_index, 30);
    ck_assert_double_eq_tol(res.suggestion, res.lr[res.min_index] / 10, 1e-15);
    /* the smoothed loss: debiased running mean with beta 0.98 */
    double avg = 0;
    for (int i = 0; i < res.n; i++) {
        avg = 0.98 * avg + 0.02 * res.loss[i];
        ck_assert_double_eq_tol(res.smooth[i], avg / (1 - pow(0.98, i + 1)),
                                1e-9 * fabs(res.smooth[i]) + 1e-12);
    }
    nn_lrfind_result_free(&res);
    nn_model_free(m);
    nn_dataset_free(&d);
}
END_TEST

START_TEST(test_lrfind_nan)
{
    /* divergence checks off, the rate up to 1e4: sgd's loss overflows
     * to inf/NaN mid-sweep; the sweep ends there and the suggestion stays
     * where the loss was lowest */
    nn_dataset d;
    nn_model *m;
    toy(&d, &m, NN_OPT_SGD, 0);
    snap s;
    take(&s, m);
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_lrfind_opts o;
    nn_lrfind_defaults(&o);
    o.end_lr = 1e4;
    o.steps = 400;
    o.diverge = 0;
    nn_lrfind_result res;
    nn_err e;
    ck_assert_int_eq(nn_lrfind(m, &d, &o, &r, &res, &e), NN_OK);
    same(&s, m, "nan sweep");
    ck_assert_int_eq(res.stop, NN_LRF_NAN);
    ck_assert_int_lt(res.n, o.steps);
    ck_assert(res.stop_lr > res.lr[res.n - 1]);
    for (int i = 0; i < res.n; i++)
        ck_assert(isfinite(res.loss[i]) && isfinite(res.smooth[i]));
    ck_assert_msg(res.suggestion >= 1e-4 && res.suggestion <= 1, "suggestion %g",
                  res.suggestion);
    nn_lrfind_result_free(&res);
    /* a NaN in the data: the first batch holding it ends the sweep */
    d.x[2 * 100] = NAN;
    ck_assert_int_eq(nn_lrfind(m, &d, &o, &r, &res, &e), NN_OK);
    ck_assert_int_eq(res.stop, NN_LRF_NAN);
    for (int i = 0; i < res.n; i++)
        ck_assert(isfinite(res.loss[i]));
    nn_lrfind_result_free(&res);
    nn_model_free(m);
    nn_dataset_free(&d);
}
END_TEST

START_TEST(test_lrfind_suggest_rule)
{
    /* lowest smoothed loss at index 6 -> lr[6] / 10; the first `skip`
     * points (a low first batch) and NaN are never chosen */
    double lr[10], sm[10] = {0.01, 0.9, 0.8, 0.7, NAN, 0.6, 0.5, 0.55, 0.9, 3.0};
    for (int i = 0; i < 10; i++)
        lr[i] = pow(10, -5 + i);
    int at;
    ck_assert_double_eq_tol(nn_lrfind_suggest(lr, sm, 10, 1, &at), lr[6] / 10, 1e-18);
    ck_assert_int_eq(at, 6);
    ck_assert_double_eq_tol(nn_lrfind_suggest(lr, sm, 10, 0, &at), lr[0] / 10, 1e-20);
    ck_assert_int_eq(at, 0);
    /* skip beyond the points: all are searched */
    ck_assert_double_eq_tol(nn_lrfind_suggest(lr, sm, 3, 5, &at), lr[0] / 10, 1e-20);
    double nan3[3] = {NAN, NAN, NAN};
    ck_assert(nn_lrfind_suggest(lr, nan3, 3, 0, &at) == 0 && at == -1);
    ck_assert(nn_lrfind_suggest(lr, sm, 0, 0, &at) == 0 && at == -1);
}
END_TEST

START_TEST(test_lrfind_errors)
{
    nn_dataset d;
    nn_model *m;
    toy(&d, &m, NN_OPT_SGD, 0);
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_lrfind_result res;
    nn_err e;
    nn_lrfind_opts o;
    struct { double start, end; int steps, bs; } bad[] = {
        {0, 10, 100, 32}, {-1, 10, 100, 32}, {1, 1, 100, 32}, {1, 0.5, 100, 32},
        {1e-5, INFINITY, 100, 32}, {1e-5, 10, 1, 32}, {1e-5, 10, 100, 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        nn_lrfind_defaults(&o);
        o.start_lr = bad[i].start;
        o.end_lr = bad[i].end;
        o.steps = bad[i].steps;
        o.batch_size = bad[i].bs;
        ck_assert_msg(nn_lrfind(m, &d, &o, &r, &res, &e) == NN_FAIL, "case %zu", i);
        ck_assert_ptr_null(res.lr);
    }
    /* interrupted before the first batch: nothing recorded, no error */
    volatile sig_atomic_t flag = 1;
    nn_lrfind_defaults(&o);
    o.interrupt = &flag;
    ck_assert_int_eq(nn_lrfind(m, &d, &o, &r, &res, &e), NN_OK);
    ck_assert_int_eq(res.stop, NN_LRF_INTERRUPT);
    ck_assert_int_eq(res.n, 0);
    ck_assert(res.suggestion == 0);
    nn_lrfind_result_free(&res);
    /* an uncompiled model */
    m->compiled = 0;
    nn_lrfind_defaults(&o);
    ck_assert_int_eq(nn_lrfind(m, &d, &o, &r, &res, &e), NN_FAIL);
    ck_assert(strstr(e.msg, "compile") != NULL);
    m->compiled = 1;
    nn_model_free(m);
    nn_dataset_free(&d);
}
END_TEST

/* ---- the callbacks through the shell ---- */

/* Two sessions, so the first stays reachable while a second runs (a
 * session re-initialized over a live one would lose what it holds). */
static repl_session sessions[2];
static repl_session *cur = &sessions[0];
#define sess (*cur)

static void run(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static void run(const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    int before = sess.errors;
    ck_assert_msg(repl_run_line(&sess, line) == 0 && sess.errors == before,
                  "'%s' failed", line);
}

static void run_fails(const char *line)
{
    int before = sess.errors;
    ck_assert_msg(repl_run_line(&sess, line) != 0 && sess.errors == before + 1,
                  "'%s' should fail", line);
}

static void session_xor(void)
{
    repl_session_init(&sess, 42);
    make_tmpdir();
    ck_assert_int_eq(chdir(tmpdir), 0);
    run("data xor n=200 noise=0");
    run("input 2");
    run("dense 8 activation=tanh");
    run("dense 1 activation=sigmoid");
    run("compile loss=binary_crossentropy optimizer=adam learning_rate=0.05 "
        "metrics=accuracy");
}

static void session_end(void)
{
    repl_session_free(&sess);
    ck_assert_int_eq(chdir("/"), 0);
    rm_rf(tmpdir);
}

/* The shortest %.Ng that reads back as v (Python's repr, for these). */
static int shortest(const char *s, double v)
{
    if (strtod(s, NULL) != v)
        return 0;
    char b[64];
    for (int p = 1; p < 17; p++) {
        snprintf(b, sizeof b, "%.*g", p, v);
        if (strtod(b, NULL) == v)
            return strlen(s) <= strlen(b) + 2;   /* "1.0" for "1", ".0" */
    }
    return 1;
}

START_TEST(test_csvlogger)
{
    session_xor();
    run("callback csvlogger log.csv");
    run("fit epochs=3 batch_size=20 verbose=0");
    size_t n;
    char *t = (char *)slurp("log.csv", &n);
    ck_assert_ptr_nonnull(t);
    /* header: epoch, then the sorted keys; val_ ones though there is no
     * validation (Keras writes NA there); learning_rate in its place */
    char *line = strtok(t, "\n");
    ck_assert_str_eq(line, "epoch,accuracy,learning_rate,loss,val_accuracy,val_loss");
    const nn_history *h = &sess.hist;
    int ka = nn_history_key(h, "accuracy"), kl = nn_history_key(h, "loss");
    for (int r = 0; r < 3; r++) {
        line = strtok(NULL, "\n");
        ck_assert_ptr_nonnull(line);
        char ep[16], acc[64], lr[64], loss[64], va[16], vl[16];
        ck_assert_int_eq(sscanf(line, "%15[^,],%63[^,],%63[^,],%63[^,],%15[^,],%15s",
                                ep, acc, lr, loss, va, vl), 6);
        ck_assert_int_eq(atoi(ep), r);
        ck_assert_msg(shortest(acc, nn_history_at(h, r, ka)), "accuracy '%s'", acc);
        ck_assert_msg(shortest(loss, nn_history_at(h, r, kl)), "loss '%s'", loss);
        ck_assert_str_eq(lr, "0.05");
        ck_assert_str_eq(va, "NA");
        ck_assert_str_eq(vl, "NA");
        ck_assert(strchr(acc, '.') != NULL);     /* 1.0, never 1 */
    }
    ck_assert_ptr_null(strtok(NULL, "\n"));
    free(t);
    /* a later fit appends (no second header), with validation filled in */
    run("fit epochs=1 batch_size=20 verbose=0 validation_split=0.2");
    t = (char *)slurp("log.csv", &n);
    int lines = 0;
    for (char *p = t; *p; p++)
        lines += *p == '\n';
    ck_assert_int_eq(lines, 5);
    ck_assert_ptr_null(strstr(t + 10, "epoch"));
    char *last = strrchr(t, '\n');
    *last = 0;
    last = strrchr(t, '\n') + 1;
    ck_assert(strncmp(last, "3,", 2) == 0 && strstr(last, "NA") == NULL);
    free(t);
    /* separator, append to an existing file, Python's float repr */
    FILE *f = fopen("other.csv", "w");
    fputs("earlier\n", f);
    fclose(f);
    run("compile loss=binary_crossentropy optimizer=sgd learning_rate=1e-05");
    run("callback csvlogger other.csv separator=; append=true");
    run("fit epochs=1 batch_size=20 verbose=0");
    t = (char *)slurp("other.csv", &n);
    ck_assert(strncmp(t, "earlier\n4;", 10) == 0);
    ck_assert_ptr_nonnull(strstr(t, ";1e-05;"));
    free(t);
    /* append=false on an existing file starts it afresh */
    run("callback csvlogger other.csv");
    run("fit epochs=1 batch_size=20 verbose=0");
    t = (char *)slurp("other.csv", &n);
    ck_assert_msg(strncmp(t, "epoch,learning_rate,loss,val_loss\n5,1e-05,", 42) == 0,
                  "other.csv: %s", t);
    free(t);
    /* a full disk mid-fit: the row is not written, the file stays as it
     * was (atomic rewrite), training stops with an error */
    size_t n0;
    char *before = (char *)slurp("other.csv", &n0);
    int e0 = sess.errors;
    setenv("NNLAB_FAULT_WRITE", "1", 1);
    /* the failed callback makes fit fail, so a script stops there */
    ck_assert_int_eq(repl_run_line(&sess, "fit epochs=3 batch_size=20 verbose=0"), -1);
    unsetenv("NNLAB_FAULT_WRITE");
    ck_assert_int_eq(sess.errors, e0 + 1);
    ck_assert_int_eq(sess.hist.nepochs, 7);         /* stopped after one epoch */
    t = (char *)slurp("other.csv", &n);
    ck_assert(n == n0 && memcmp(t, before, n) == 0);
    free(t);
    free(before);
    /* a file that cannot be written stops fit before it starts */
    run("callback csvlogger nodir/x.csv");
    int epochs = sess.hist.nepochs;
    run_fails("fit epochs=1 verbose=0");
    ck_assert_int_eq(sess.hist.nepochs, epochs);
    session_end();
}
END_TEST

START_TEST(test_tensorboard)
{
    session_xor();
    run("callback tensorboard log_dir=tb histogram_freq=2 update_freq=batch");
    run("fit epochs=3 batch_size=40 verbose=0 validation_split=0.2");
    const nn_history *h = &sess.hist;
    char *path = event_file("tb/train");
    ck_assert_ptr_nonnull(path);
    ck_assert(strstr(path, "events.out.tfevents.") != NULL);
    static event ev[256];
    int n = read_events(path, ev, 256);
    ck_assert_str_eq(ev[0].version, "brain.Event:2");
    int kl = nn_history_key(h, "loss"), ka = nn_history_key(h, "accuracy");
    int seen_loss = 0, seen_acc = 0, seen_lr = 0, seen_batch = 0, seen_hist = 0;
    long last_batch_step = 0;
    for (int i = 1; i < n; i++) {
        if (!strcmp(ev[i].tag, "epoch_loss")) {
            ck_assert(ev[i].simple == (float)nn_history_at(h, (int)ev[i].step, kl));
            ck_assert_int_eq(ev[i].step, seen_loss++);
        } else if (!strcmp(ev[i].tag, "epoch_accuracy")) {
            ck_assert(ev[i].simple == (float)nn_history_at(h, (int)ev[i].step, ka));
            seen_acc++;
        } else if (!strcmp(ev[i].tag, "epoch_learning_rate")) {
            ck_assert(ev[i].simple == 0.05f);
            seen_lr++;
        } else if (!strcmp(ev[i].tag, "batch_loss")) {
            ck_assert_int_eq(ev[i].step, last_batch_step + 1);
            last_batch_step = ev[i].step;
            seen_batch++;
        } else if (strstr(ev[i].tag, "/histogram")) {
            ck_assert(ev[i].has_histo);
            ck_assert(ev[i].step == 0 || ev[i].step == 2);
            if (!strcmp(ev[i].tag, "dense/kernel/histogram"))
                ck_assert(ev[i].hnum == 16);
            if (!strcmp(ev[i].tag, "dense_1/bias/histogram"))
                ck_assert(ev[i].hnum == 1);
            seen_hist++;
        }
    }
    ck_assert_int_eq(seen_loss, 3);
    ck_assert_int_eq(seen_acc, 3);
    ck_assert_int_eq(seen_lr, 3);
    ck_assert_int_eq(seen_batch, 3 * 4);          /* 160 samples / 40 */
    ck_assert_int_eq(seen_hist, 2 * 4);           /* epochs 0 and 2, 4 tensors */
    path = event_file("tb/validation");
    ck_assert_ptr_nonnull(path);
    n = read_events(path, ev, 256);
    int kvl = nn_history_key(h, "val_loss"), vseen = 0;
    for (int i = 1; i < n; i++)
        if (!strcmp(ev[i].tag, "epoch_loss")) {
            ck_assert(ev[i].simple == (float)nn_history_at(h, (int)ev[i].step, kvl));
            vseen++;
        }
    ck_assert_int_eq(vseen, 3);
    session_end();
}
END_TEST

START_TEST(test_earlystopping_fit)
{
    /* min_delta=100: only the first epoch improves, so patience=1 stops at
     * the second; the best weights are those after one epoch, which a
     * fresh session reaching one epoch must have bit for bit */
    session_xor();
    run("callback earlystopping monitor=loss min_delta=100 patience=1 "
        "restore_best_weights=true");
    run("fit epochs=20 batch_size=20 verbose=0");
    ck_assert_int_eq(sess.hist.nepochs, 2);
    size_t np = sess.model->nparams;
    float *w = malloc(np * 4);
    memcpy(w, sess.model->params, np * 4);
    repl_session_free(&sess);
    cur = &sessions[1];
    repl_session_init(&sess, 42);
    run("data xor n=200 noise=0");
    run("input 2");
    run("dense 8 activation=tanh");
    run("dense 1 activation=sigmoid");
    run("compile loss=binary_crossentropy optimizer=adam learning_rate=0.05 "
        "metrics=accuracy");
    run("fit epochs=1 batch_size=20 verbose=0");
    ck_assert(memcmp(w, sess.model->params, np * 4) == 0);
    free(w);
    /* monitoring a key fit does not log: a warning, training goes on */
    run("callback earlystopping monitor=val_accuracy");
    run("fit epochs=3 batch_size=20 verbose=0");
    ck_assert_int_eq(sess.hist.nepochs, 4);
    session_end();
    cur = &sessions[0];
}
END_TEST

START_TEST(test_reduce_lr_fit)
{
    session_xor();
    run("callback reduce_lr_on_plateau monitor=loss min_delta=100 patience=1 factor=0.5");
    run("fit epochs=4 batch_size=20 verbose=0");
    /* epoch 1 best, then a reduction after each epoch */
    const double want[] = {0.05, 0.05, 0.025, 0.0125};
    for (int r = 0; r < 4; r++)
        ck_assert_double_eq_tol(sess.hist.lr[r], want[r], 1e-12);
    ck_assert_double_eq_tol(sess.model->opt.cfg.learning_rate, 0.00625, 1e-12);
    /* a schedule cannot join it */
    run_fails("callback lr_schedule onecycle");
    session_end();
}
END_TEST

START_TEST(test_schedules_fit)
{
    session_xor();
    run("callback lr_schedule exponential decay_steps=10 decay_rate=0.5");
    long t0 = sess.model->opt.t;
    run("fit epochs=2 batch_size=20 verbose=0");      /* 20 steps */
    long last = sess.model->opt.t - 1;
    ck_assert_int_eq(last - t0, 19);
    ck_assert_double_eq_tol(sess.model->opt.cfg.learning_rate,
                            0.05 * pow(0.5, last / 10.0), 1e-12);
    run("callback lr_schedule piecewise boundaries=5,25 values=0.1,0.01,0.001");
    run("fit epochs=1 batch_size=20 verbose=0");      /* steps 20..29 */
    ck_assert_double_eq_tol(sess.model->opt.cfg.learning_rate, 0.001, 1e-15);
    ck_assert_double_eq_tol(sess.hist.lr[2], 0.001, 1e-15);
    run("compile loss=binary_crossentropy optimizer=sgd learning_rate=0.1 momentum=0.9");
    run("callback lr_schedule onecycle max_lr=0.5 cycle_momentum=true");
    run("fit epochs=3 batch_size=20 verbose=0");      /* 30 batches */
    nn_onecycle oc;
    nn_onecycle_init(&oc, 30, 0.5, 0, 0, 0);
    ck_assert_double_eq_tol(sess.model->opt.cfg.learning_rate, nn_onecycle_lr(&oc, 29),
                            1e-15);
    ck_assert_double_eq_tol(sess.hist.lr[3], nn_onecycle_lr(&oc, 9), 1e-15);
    ck_assert_double_eq_tol(sess.hist.lr[4], nn_onecycle_lr(&oc, 19), 1e-15);
    ck_assert(sess.model->opt.cfg.momentum == 0.9);   /* given back */
    session_end();
}
END_TEST

START_TEST(test_checkpoint_fit)
{
    session_xor();
    run("callback checkpoint \"ck/m_{epoch:02d}_{loss:.4f}.nnlab\"");
    run("fit epochs=2 batch_size=20 verbose=0");
    int kl = nn_history_key(&sess.hist, "loss");
    for (int r = 0; r < 2; r++) {
        char p[256];
        snprintf(p, sizeof p, "ck/m_%02d_%.4f.nnlab", r + 1, nn_history_at(&sess.hist, r, kl));
        nn_err e;
        nn_model *m = nn_model_load(p, NULL, &e);
        ck_assert_msg(m != NULL, "%s: %s", p, e.msg);
        if (r == 1)
            ck_assert(memcmp(m->params, sess.model->params, m->nparams * 4) == 0);
        nn_model_free(m);
    }
    /* save_best_only: only improvements are written; the best is kept
     * across fits */
    run("callback checkpoint best.nnlab monitor=loss save_best_only=true");
    run("fit epochs=3 batch_size=20 verbose=0");
    struct stat st;
    ck_assert_int_eq(stat("best.nnlab", &st), 0);
    nn_err e;
    nn_model *m = nn_model_load("best.nnlab", NULL, &e);
    ck_assert_ptr_nonnull(m);
    nn_model_free(m);
    session_end();
}
END_TEST

START_TEST(test_callback_commands)
{
    session_xor();
    /* every bad command changes nothing */
    const char *bad[] = {
        "callback", "callback nope", "callback earlystoping",
        "callback earlystopping patience=-1", "callback earlystopping patience=x",
        "callback earlystopping monitor=val_acc", "callback earlystopping mode=up",
        "callback earlystopping factor=0.5", "callback earlystopping min_delta=-1",
        "callback earlystopping baseline=nan", "callback earlystopping extra",
        "callback checkpoint", "callback checkpoint f.x filepath=g.x",
        "callback checkpoint {nope}.x", "callback checkpoint {epoch:.2d}.x",
        "callback checkpoint {loss:d}.x", "callback checkpoint {epoch.x",
        "callback reduce_lr_on_plateau factor=1", "callback reduce_lr_on_plateau factor=0",
        "callback reduce_lr_on_plateau cooldown=-1", "callback lr_schedule",
        "callback lr_schedule cosine", "callback lr_schedule exponential decay_steps=0",
        "callback lr_schedule exponential max_lr=1",
        "callback lr_schedule piecewise boundaries=10 values=1,2,3",
        "callback lr_schedule piecewise boundaries=20,10 values=1,2,3",
        "callback lr_schedule piecewise values=0,1,2",
        "callback lr_schedule onecycle max_lr=0.1 start_lr=0.2",
        "callback csvlogger", "callback csvlogger a.csv separator=ab",
        "callback csvlogger a.csv append=maybe", "callback tensorboard update_freq=0",
        "callback tensorboard histogram_freq=-1", "callback tensorboard log_dir=",
        "callback terminate_on_nan", "callback terminate_on_nan maybe",
        "callback remove", "callback remove earlystopping", "callback remove nope",
        "callbacks extra",
    };
    char buf[4096];
    int n;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run_fails(bad[i]);
        repl_callbacks_keras(&sess, buf, sizeof buf, &n);
        ck_assert_msg(n == 1, "'%s' added something: %s", bad[i], buf);
    }
    ck_assert_int_eq(sess.terminate_on_nan, 1);
    run("callback terminate_on_nan off");
    ck_assert_int_eq(sess.terminate_on_nan, 0);
    run("callback terminate_on_nan on");
    run("callback earlystopping patience=10 restore_best_weights=true");
    run("callback csvlogger log.csv");
    run("callback tensorboard histogram_freq=1");
    run("callback lr_schedule exponential decay_steps=100");
    run("callbacks");
    repl_callbacks_keras(&sess, buf, sizeof buf, &n);
    ck_assert_int_eq(n, 5);
    ck_assert_str_eq(buf,
        "[keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True, verbose=1), "
        "keras.callbacks.CSVLogger(\"log.csv\"), "
        "keras.callbacks.TensorBoard(log_dir=\"logs\", histogram_freq=1), "
        "keras.callbacks.LambdaCallback(on_train_batch_begin=lambda batch, logs: "
        "model.optimizer.learning_rate.assign(keras.optimizers.schedules.ExponentialDecay("
        "initial_learning_rate=0.05, decay_steps=100.0, decay_rate=0.1)"
        "(model.optimizer.iterations))), "
        "keras.callbacks.TerminateOnNaN()]");
    run("callback remove lr_schedule");
    run("callback reduce_lr_on_plateau factor=0.5 patience=3");
    run("callback checkpoint best.nnlab save_best_only=true");
    run("callback terminate_on_nan off");
    repl_callbacks_keras(&sess, buf, sizeof buf, &n);
    ck_assert_int_eq(n, 5);
    ck_assert(strstr(buf, "keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=3, "
                          "verbose=1)") != NULL);
    ck_assert(strstr(buf, "keras.callbacks.ModelCheckpoint(\"best.keras\", "
                          "save_best_only=True, verbose=1)") != NULL);
    ck_assert(strstr(buf, "TerminateOnNaN") == NULL);
    run("callback remove reduce_lr_on_plateau");
    run("callback lr_schedule piecewise boundaries=100,200 values=0.1,0.01,0.001");
    run("callback checkpoint \"w_{epoch:02d}.nnlab\" save_weights_only=true verbose=0");
    repl_callbacks_keras(&sess, buf, sizeof buf, &n);
    ck_assert_msg(strstr(buf, "keras.optimizers.schedules.PiecewiseConstantDecay("
                              "boundaries=[100, 200], values=[0.1, 0.01, 0.001])"
                              "(model.optimizer.iterations)") != NULL, "%s", buf);
    ck_assert_msg(strstr(buf, "keras.callbacks.ModelCheckpoint(\"w_{epoch:02d}.weights.h5\", "
                              "save_weights_only=True)") != NULL, "%s", buf);
    /* 1cycle: np.interp over the corners of the last fit's batches (3 x 10) */
    run("fit epochs=3 batch_size=20 verbose=0");
    run("callback remove checkpoint");
    run("callback lr_schedule onecycle max_lr=0.5");
    repl_callbacks_keras(&sess, buf, sizeof buf, &n);
    ck_assert_msg(strstr(buf, "[0, 13, 26, 30], [0.05, 0.5, 0.05, 5e-05]") != NULL,
                  "%s", buf);
    run("callback remove all");
    ck_assert(sess.callbacks == NULL);
    repl_callbacks_keras(&sess, buf, sizeof buf, &n);
    ck_assert_int_eq(n, 0);
    ck_assert_str_eq(buf, "");
    /* reset drops them */
    run("callback earlystopping");
    run("reset");
    ck_assert(sess.callbacks == NULL);
    session_end();
}
END_TEST

/* ---- Python's formats ---- */

START_TEST(test_py_float)
{
    /* what Python 3's repr() prints */
    static const struct { double v; const char *want; } cases[] = {
        {0.0, "0.0"}, {-0.0, "-0.0"}, {1.0, "1.0"}, {-2.0, "-2.0"}, {0.1, "0.1"},
        {0.5, "0.5"}, {100.0, "100.0"}, {1e-05, "1e-05"}, {1.5e-05, "1.5e-05"},
        {0.0001, "0.0001"}, {0.00012, "0.00012"}, {1.23e-05, "1.23e-05"},
        {123456.789, "123456.789"}, {1e15, "1000000000000000.0"},
        {1234567890123456.0, "1234567890123456.0"}, {1e16, "1e+16"},
        {1.5e16, "1.5e+16"}, {1e22, "1e+22"}, {0.30000000000000004, "0.30000000000000004"},
        {0.6931471805599453, "0.6931471805599453"}, {2.5e-300, "2.5e-300"},
        {1.7976931348623157e308, "1.7976931348623157e+308"}, {5e-324, "5e-324"},
        {(double)0.1f, "0.10000000149011612"},
    };
    char b[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cb_py_float(b, sizeof b, cases[i].v);
        ck_assert_msg(strcmp(b, cases[i].want) == 0, "%.17g: '%s', want '%s'",
                      cases[i].v, b, cases[i].want);
    }
    cb_py_float(b, sizeof b, NAN);
    ck_assert_str_eq(b, "nan");
    cb_py_float(b, sizeof b, -INFINITY);
    ck_assert_str_eq(b, "-inf");
}
END_TEST

START_TEST(test_format_path)
{
    nn_logs l = {0};
    nn_logs_set(&l, "loss", 0.123456);
    nn_logs_set(&l, "val_loss", 0.1);
    nn_logs_set(&l, "accuracy", 1.0);
    static const struct { const char *t, *want; } ok[] = {
        {"model.nnlab", "model.nnlab"},
        {"m_{epoch}.nnlab", "m_7.nnlab"},
        {"m_{epoch:02d}.nnlab", "m_07.nnlab"},
        {"m_{epoch:03d}_{val_loss:.4f}.nnlab", "m_007_0.1000.nnlab"},
        {"{loss}", "0.123456"},
        {"{loss:.2e}", "1.23e-01"},
        {"{accuracy:.1f}-{accuracy}", "1.0-1.0"},
        {"{learning_rate:g}", "0.001"},
        {"{{epoch}}_{epoch:4d}", "{epoch}_   7"},
        {"{epoch:.1f}", "7.0"},
    };
    char out[256], msg[256];
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        ck_assert_msg(cb_format_path(ok[i].t, 7, &l, 0.001, out, sizeof out, msg,
                                     sizeof msg) == 0, "'%s': %s", ok[i].t, msg);
        ck_assert_msg(strcmp(out, ok[i].want) == 0, "'%s' gave '%s', want '%s'",
                      ok[i].t, out, ok[i].want);
        /* the check alone (logs NULL) accepts it too */
        ck_assert_int_eq(cb_format_path(ok[i].t, 1, NULL, 0, out, sizeof out, msg,
                                        sizeof msg), 0);
    }
    static const char *const bad[] = {
        "{nope}", "{epoch", "epoch}", "{loss:d}", "{epoch:.2d}", "{loss:x}",
        "{loss:.f}", "{val_acc}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(cb_format_path(bad[i], 1, NULL, 0, out, sizeof out, msg,
                                     sizeof msg) == -1, "'%s' accepted", bad[i]);
    /* known to fit but absent from these logs */
    ck_assert_int_eq(cb_format_path("{val_accuracy}", 1, &l, 0, out, sizeof out, msg,
                                    sizeof msg), -1);
    ck_assert(strstr(msg, "epoch,loss,val_loss,accuracy") != NULL);
    /* too long for the buffer */
    ck_assert_int_eq(cb_format_path("abcdefgh", 1, &l, 0, out, 4, msg, sizeof msg), -1);
}
END_TEST

static Suite *suite_tools(void)
{
    Suite *s = suite_create("tools");
    TCase *tc = tcase_create("tfevents");
    tcase_add_test(tc, test_crc32c);
    tcase_add_test(tc, test_record_vectors);
    tcase_add_test(tc, test_event_file);
    tcase_add_test(tc, test_event_file_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("schedules");
    tcase_add_test(tc, test_exp_piecewise);
    tcase_add_test(tc, test_onecycle);
    tcase_add_test(tc, test_monitor_direction);
    tcase_add_loop_test(tc, test_earlystopping, 0,
                        (int)(sizeof es_cases / sizeof es_cases[0]));
    tcase_add_test(tc, test_earlystopping_reuse);
    tcase_add_loop_test(tc, test_reduce_lr, 0,
                        (int)(sizeof rl_cases / sizeof rl_cases[0]));
    suite_add_tcase(s, tc);
    tc = tcase_create("python");
    tcase_add_test(tc, test_py_float);
    tcase_add_test(tc, test_format_path);
    suite_add_tcase(s, tc);
    tc = tcase_create("lrfind");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_lrfind_restores, 0,
                        (int)(sizeof lrf_opts / sizeof lrf_opts[0]));
    tcase_add_test(tc, test_lrfind_nan);
    tcase_add_test(tc, test_lrfind_suggest_rule);
    tcase_add_test(tc, test_lrfind_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("callbacks");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_csvlogger);
    tcase_add_test(tc, test_tensorboard);
    tcase_add_test(tc, test_earlystopping_fit);
    tcase_add_test(tc, test_reduce_lr_fit);
    tcase_add_test(tc, test_schedules_fit);
    tcase_add_test(tc, test_checkpoint_fit);
    tcase_add_test(tc, test_callback_commands);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_tools());
    srunner_run_all(sr, CK_NORMAL);
    int run_n = srunner_ntests_run(sr);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    printf("check_tools: %d passed, %d failed\n", run_n - failed, failed);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
