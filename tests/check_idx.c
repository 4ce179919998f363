/* check_idx.c - the IDX loader on small files written here (plain and
 * gzip), every kind of broken file (magic, truncation at many offsets,
 * count mismatch, trailing data, zero dimensions, garbage, a broken gzip
 * stream), the memory cap checked from the header, and the real
 * Fashion-MNIST files when the Debian package is installed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "check_util.h"
#include "dataset.h"

#define FMNIST "/usr/share/datasets/fashion-mnist"

static char tmpdir[64];

static void setup(void)
{
    strcpy(tmpdir, "/tmp/nnlab-idx-XXXXXX");
    ck_assert_msg(mkdtemp(tmpdir) != NULL, "mkdtemp failed");
}

static const char *const names[] = {"img", "lab", "img.gz", "lab.gz", "x",
                                    "good-img", "good-lab", NULL};

static void teardown(void)
{
    char p[128];
    for (int i = 0; names[i]; i++) {
        snprintf(p, sizeof p, "%s/%s", tmpdir, names[i]);
        unlink(p);
    }
    rmdir(tmpdir);
}

static const char *tpath(const char *name)
{
    static char p[4][128];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
    return p[k];
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Writes len bytes, through zlib when gz. */
static void write_bytes(const char *path, const unsigned char *b, size_t len,
                        int gz)
{
    if (gz) {
        gzFile g = gzopen(path, "wb");
        ck_assert_msg(g != NULL, "gzopen %s", path);
        ck_assert(len == 0 || gzwrite(g, b, (unsigned)len) == (int)len);
        ck_assert(gzclose(g) == Z_OK);
    } else {
        FILE *f = fopen(path, "wb");
        ck_assert_msg(f != NULL, "fopen %s", path);
        ck_assert(fwrite(b, 1, len, f) == len);
        fclose(f);
    }
}

/* The test images: 3 images of 2 x 3, pixel i*6+j = (i*6+j)*15 % 256,
 * so 0 and 255 both appear; labels 0, 9, 12. */
enum { N = 3, R = 2, C = 3 };
static const unsigned char labels[N] = {0, 9, 12};

static size_t image_file(unsigned char *b, uint32_t magic, uint32_t n,
                         uint32_t rows, uint32_t cols)
{
    put32(b, magic);
    put32(b + 4, n);
    put32(b + 8, rows);
    put32(b + 12, cols);
    for (int i = 0; i < N * R * C; i++)
        b[16 + i] = (unsigned char)(i * 15 % 256);
    b[16 + N * R * C - 1] = 255;
    return 16 + N * R * C;
}

static size_t label_file(unsigned char *b, uint32_t magic, uint32_t n)
{
    put32(b, magic);
    put32(b + 4, n);
    memcpy(b + 8, labels, N);
    return 8 + N;
}

static int is_zeroed(const nn_dataset *ds)
{
    static const nn_dataset zero;
    return memcmp(ds, &zero, sizeof zero) == 0;
}

static void check_small(const nn_dataset *ds, const char *what)
{
    ck_assert_msg(ds->n == N && ds->d == R * C && ds->ndim == 2 &&
                  ds->shape[0] == R && ds->shape[1] == C && ds->ycols == 1,
                  "%s: n=%d d=%d shape %dx%d", what, ds->n, ds->d,
                  ds->shape[0], ds->shape[1]);
    ck_assert_msg(ds->nclasses == 13, "%s: nclasses %d (max label + 1 = 13)",
                  what, ds->nclasses);
    ck_assert_ptr_null(ds->class_names);
    for (int i = 0; i < N * R * C; i++) {
        unsigned p = i == N * R * C - 1 ? 255u : (unsigned)(i * 15 % 256);
        ck_assert_msg(ds->x[i] == p / 255.0f, "%s: x[%d] = %g, expected %u/255",
                      what, i, ds->x[i], p);
    }
    for (int i = 0; i < N; i++)
        ck_assert_msg(ds->y[i] == labels[i], "%s: y[%d] = %g", what, i, ds->y[i]);
}

/* The same checks on a set kept as bytes: x NULL, x8 the file's pixels,
 * read back as the float loader's values bit for bit. */
static void check_small_u8(const nn_dataset *ds, const char *what)
{
    ck_assert_msg(ds->x == NULL && ds->x8 != NULL && ds->x8_div == 255.0f,
                  "%s: not stored as bytes", what);
    nn_dataset f = *ds;
    float x[N * R * C];
    nn_dataset_gather(ds, NULL, N, x);
    f.x = x;
    f.x8 = NULL;
    check_small(&f, what);
    for (int i = 0; i < N * R * C; i++)
        ck_assert_msg(nn_dataset_at(ds, (size_t)i) == x[i], "%s: at(%d)", what, i);
}

/* Plain and gzip files, in every combination. */
START_TEST(test_good)
{
    unsigned char ib[64], lb[16];
    size_t il = image_file(ib, 0x803, N, R, C), ll = label_file(lb, 0x801, N);
    for (int combo = 0; combo < 4; combo++) {
        int igz = combo & 1, lgz = combo >> 1;
        const char *ip = tpath(igz ? "img.gz" : "img");
        const char *lp = tpath(lgz ? "lab.gz" : "lab");
        write_bytes(ip, ib, il, igz);
        write_bytes(lp, lb, ll, lgz);
        nn_dataset ds;
        nn_err e;
        char what[32];
        snprintf(what, sizeof what, "images %s, labels %s", igz ? "gz" : "plain",
                 lgz ? "gz" : "plain");
        ck_assert_msg(nn_idx_load(&ds, ip, lp, &e) == NN_OK, "%s: %s", what, e.msg);
        check_small(&ds, what);
        ck_assert_str_eq(ds.name, igz ? "img.gz" : "img");
        nn_dataset_free(&ds);
        /* as bytes, one pair and the same pair twice on two threads */
        nn_dataset two[2];
        const char *ips[2] = {ip, ip}, *lps[2] = {lp, lp};
        for (int count = 1; count <= 2; count++) {
            ck_assert_msg(nn_idx_load_u8(two, ips, lps, count, &e) == NN_OK, "%s: %s",
                          what, e.msg);
            for (int k = 0; k < count; k++) {
                check_small_u8(&two[k], what);
                ck_assert_str_eq(two[k].name, igz ? "img.gz" : "img");
                nn_dataset_free(&two[k]);
            }
        }
    }
}
END_TEST

static void expect_fail(const char *ip, const char *lp, const char *what,
                        const char *m1, const char *m2)
{
    nn_dataset ds;
    nn_err e = {""};
    memset(&ds, 0xab, sizeof ds);
    int rc = nn_idx_load(&ds, ip, lp, &e);
    ck_assert_msg(rc == NN_FAIL, "%s: accepted", what);
    ck_assert_msg(is_zeroed(&ds), "%s: ds not zeroed", what);
    ck_assert_msg(!m1 || strstr(e.msg, m1), "%s: '%s' lacks '%s'", what, e.msg, m1);
    ck_assert_msg(!m2 || strstr(e.msg, m2), "%s: '%s' lacks '%s'", what, e.msg, m2);
    /* the byte loader: the same message, alone or beside a good pair (in
     * either place), and every set it was given left empty */
    char ipc[128], lpc[128];   /* tpath's buffers are reused below */
    snprintf(ipc, sizeof ipc, "%s", ip ? ip : "");
    snprintf(lpc, sizeof lpc, "%s", lp ? lp : "");
    unsigned char ib[64], lb[16];
    write_bytes(tpath("good-img"), ib, image_file(ib, 0x803, N, R, C), 0);
    write_bytes(tpath("good-lab"), lb, label_file(lb, 0x801, N), 0);
    for (int bad = 0; bad < 3; bad++) {
        nn_dataset two[2];
        const char *ips[2], *lps[2];
        for (int k = 0; k < 2; k++) {
            int is_bad = bad == 2 || k == bad;
            ips[k] = is_bad ? (ip ? ipc : NULL) : tpath("good-img");
            lps[k] = is_bad ? (lp ? lpc : NULL) : tpath("good-lab");
        }
        nn_err e2 = {""};
        memset(two, 0xab, sizeof two);
        rc = nn_idx_load_u8(two, ips, lps, 2, &e2);
        ck_assert_msg(rc == NN_FAIL, "%s (bytes, case %d): accepted", what, bad);
        ck_assert_msg(is_zeroed(&two[0]) && is_zeroed(&two[1]),
                      "%s (bytes, case %d): not zeroed", what, bad);
        ck_assert_msg(strcmp(e2.msg, e.msg) == 0, "%s (bytes, case %d): '%s' is "
                      "not '%s'", what, bad, e2.msg, e.msg);
    }
}

typedef struct hdr_case {
    const char *what;
    uint32_t imagic, n, rows, cols, lmagic, ln;
    const char *m1, *m2;
} hdr_case;

static const hdr_case hdrs[] = {
    {"labels as images", 0x801, N, R, C, 0x801, N, "wrong magic number 0x00000801",
     "a label file"},
    {"images as labels", 0x803, N, R, C, 0x803, N, "lab: wrong magic", "an image file"},
    {"random magic", 0x12345678, N, R, C, 0x801, N, "0x12345678", "not an IDX file"},
    {"2-D images magic", 0x802, N, R, C, 0x801, N, "wrong magic", "expected 0x00000803"},
    {"fewer labels", 0x803, N, R, C, 0x801, N - 1, "2 labels", "3 images"},
    {"more labels", 0x803, N, R, C, 0x801, N + 1, "4 labels", "3 images"},
    {"zero images", 0x803, 0, R, C, 0x801, 0, "dimension 0 is 0", NULL},
    {"zero rows", 0x803, N, 0, C, 0x801, N, "dimension 1 is 0", NULL},
    {"huge n", 0x803, 0xffffffffu, R, C, 0x801, N, "dimension 0 is 4294967295", NULL},
    /* header says fewer images than the file has */
    {"trailing image data", 0x803, N - 1, R, C, 0x801, N - 1, "img: data after", NULL},
};

START_TEST(test_headers)
{
    const hdr_case *h = &hdrs[_i];
    unsigned char ib[64], lb[16];
    size_t il = image_file(ib, h->imagic, h->n, h->rows, h->cols);
    size_t ll = label_file(lb, h->lmagic, h->ln);
    if (h->ln < N)
        ll -= N - h->ln;
    write_bytes(tpath("img"), ib, il, 0);
    write_bytes(tpath("lab"), lb, ll, _i % 2);
    expect_fail(tpath("img"), tpath("lab"), h->what, h->m1, h->m2);
}
END_TEST

/* Cut the image file, then the label file, at every offset. */
START_TEST(test_truncated)
{
    unsigned char ib[64], lb[16];
    size_t il = image_file(ib, 0x803, N, R, C), ll = label_file(lb, 0x801, N);
    int gz = _i;
    for (size_t cut = 0; cut < il; cut++) {
        char what[48];
        snprintf(what, sizeof what, "images cut at %zu (%s)", cut, gz ? "gz" : "plain");
        write_bytes(tpath("img"), ib, cut, gz);
        write_bytes(tpath("lab"), lb, ll, gz);
        expect_fail(tpath("img"), tpath("lab"), what, "img: truncated",
                    cut < 16 ? "header" : "pixel bytes");
    }
    write_bytes(tpath("img"), ib, il, gz);
    for (size_t cut = 0; cut < ll; cut++) {
        char what[48];
        snprintf(what, sizeof what, "labels cut at %zu (%s)", cut, gz ? "gz" : "plain");
        write_bytes(tpath("lab"), lb, cut, gz);
        expect_fail(tpath("img"), tpath("lab"), what, "lab: truncated",
                    cut < 8 ? "header" : "labels");
    }
}
END_TEST

/* A gzip stream cut short or damaged, and plain garbage. */
START_TEST(test_garbage)
{
    unsigned char ib[64], lb[16];
    size_t il = image_file(ib, 0x803, N, R, C), ll = label_file(lb, 0x801, N);
    write_bytes(tpath("lab"), lb, ll, 0);

    /* the compressed bytes of the image file, cut or with a flipped byte */
    write_bytes(tpath("img.gz"), ib, il, 1);
    unsigned char z[256];
    FILE *f = fopen(tpath("img.gz"), "rb");
    size_t zl = fread(z, 1, sizeof z, f);
    fclose(f);
    ck_assert(zl > 20 && zl < sizeof z);
    for (size_t cut = 10; cut < zl; cut += 3) {
        char what[40];
        snprintf(what, sizeof what, "gzip cut at %zu of %zu", cut, zl);
        write_bytes(tpath("img.gz"), z, cut, 0);
        expect_fail(tpath("img.gz"), tpath("lab"), what, "img.gz", NULL);
    }
    z[zl - 6] ^= 0xff;   /* in the CRC-32 trailer */
    write_bytes(tpath("img.gz"), z, zl, 0);
    expect_fail(tpath("img.gz"), tpath("lab"), "gzip with a bad CRC", "img.gz", NULL);

    /* random bytes, not gzip */
    unsigned char g[200];
    for (size_t i = 0; i < sizeof g; i++)
        g[i] = (unsigned char)(i * 97 + 13);
    write_bytes(tpath("x"), g, sizeof g, 0);
    expect_fail(tpath("x"), tpath("lab"), "garbage images", "/x: wrong magic", NULL);
    write_bytes(tpath("img"), ib, il, 0);
    expect_fail(tpath("img"), tpath("x"), "garbage labels", "/x: wrong magic", NULL);
    /* gzip magic, then junk */
    g[0] = 0x1f;
    g[1] = 0x8b;
    write_bytes(tpath("x"), g, sizeof g, 0);
    expect_fail(tpath("x"), tpath("lab"), "gzip magic then junk", "/x: ", NULL);

    expect_fail(tpath("nothere"), tpath("lab"), "missing images", "cannot open",
                "nothere");
    write_bytes(tpath("img"), ib, il, 0);
    expect_fail(tpath("img"), tpath("nothere"), "missing labels", "cannot open",
                "nothere");
    expect_fail(NULL, tpath("lab"), "NULL path", "need an image file", NULL);
}
END_TEST

/* A header of 1,000,000 28 x 28 images under a 1 MiB cap is refused from
 * the header alone: the file has no pixels at all. */
START_TEST(test_memcap)
{
    unsigned char ib[16], lb[8];
    put32(ib, 0x803);
    put32(ib + 4, 1000000);
    put32(ib + 8, 28);
    put32(ib + 12, 28);
    put32(lb, 0x801);
    put32(lb + 4, 1000000);
    write_bytes(tpath("img"), ib, 16, 0);
    write_bytes(tpath("lab"), lb, 8, 0);
    size_t old = nn_memcap();
    nn_set_memcap(1 << 20);
    nn_dataset ds;
    nn_err e = {""};
    memset(&ds, 0xab, sizeof ds);
    int rc = nn_idx_load(&ds, tpath("img"), tpath("lab"), &e);
    nn_set_memcap(old);
    ck_assert_int_eq(rc, NN_FAIL);
    ck_assert_msg(strstr(e.msg, "memory cap"), "'%s'", e.msg);
    ck_assert(is_zeroed(&ds));
    /* with the default cap the same header is only truncated */
    expect_fail(tpath("img"), tpath("lab"), "header only", "truncated", NULL);
}
END_TEST

/* The real thing: 60,000 + 10,000 images of 28 x 28, 10 classes; the
 * first training label is 9 (ankle boot), the first test label 9 too. */
START_TEST(test_fashion_mnist)
{
    static const struct { const char *img, *lab; int n; } sets[] = {
        {FMNIST "/train-images-idx3-ubyte.gz", FMNIST "/train-labels-idx1-ubyte.gz", 60000},
        {FMNIST "/t10k-images-idx3-ubyte.gz", FMNIST "/t10k-labels-idx1-ubyte.gz", 10000},
    };
    const int k = _i;
    nn_dataset ds;
    nn_err e;
    ck_assert_msg(nn_idx_load(&ds, sets[k].img, sets[k].lab, &e) == NN_OK, "%s", e.msg);
    ck_assert_int_eq(ds.n, sets[k].n);
    ck_assert_int_eq(ds.d, 784);
    ck_assert_int_eq(ds.ndim, 2);
    ck_assert_int_eq(ds.shape[0], 28);
    ck_assert_int_eq(ds.shape[1], 28);
    ck_assert_int_eq(ds.nclasses, 10);
    ck_assert_float_eq(ds.y[0], 9.0f);
    int cnt[10];
    nn_dataset_class_counts(&ds, cnt);
    for (int c = 0; c < 10; c++)
        ck_assert_msg(cnt[c] == sets[k].n / 10, "class %d has %d", c, cnt[c]);
    float lo = 1, hi = 0;
    for (size_t i = 0; i < (size_t)ds.n * 784; i++) {
        lo = ds.x[i] < lo ? ds.x[i] : lo;
        hi = ds.x[i] > hi ? ds.x[i] : hi;
    }
    ck_assert_float_eq(lo, 0.0f);
    ck_assert_float_eq(hi, 1.0f);
    /* kept as bytes (train and test on two threads): the same floats when
     * read, bit for bit, and the same labels */
    nn_dataset b[2];
    const char *ips[2] = {sets[k].img, sets[1 - k].img};
    const char *lps[2] = {sets[k].lab, sets[1 - k].lab};
    ck_assert_msg(nn_idx_load_u8(b, ips, lps, 2, &e) == NN_OK, "%s", e.msg);
    ck_assert_int_eq(b[0].n, ds.n);
    ck_assert_int_eq(b[1].n, sets[1 - k].n);
    float *x = malloc((size_t)ds.n * 784 * sizeof *x);
    ck_assert_ptr_nonnull(x);
    nn_dataset_gather(&b[0], NULL, ds.n, x);
    ck_assert_msg(memcmp(x, ds.x, (size_t)ds.n * 784 * sizeof *x) == 0,
                  "byte storage reads other floats");
    ck_assert_msg(memcmp(b[0].y, ds.y, (size_t)ds.n * sizeof *ds.y) == 0, "labels");
    ck_assert_int_eq(b[0].nclasses, 10);
    ck_assert_uint_eq(nn_dataset_bytes(&b[0]), (size_t)ds.n * (784 + 4));
    free(x);
    nn_dataset_free(&b[0]);
    nn_dataset_free(&b[1]);
    nn_dataset_free(&ds);
}
END_TEST

Suite *suite_idx(void)
{
    Suite *s = suite_create("idx");
    TCase *tc = tcase_create("idx");
    /* test_memcap reads a header of 1,000,000 images under the default
     * cap (3 GiB of floats asked for): under AddressSanitizer it takes up
     * to 4 s, Check's default limit, and timed out once in CI */
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_good);
    tcase_add_loop_test(tc, test_headers, 0, (int)(sizeof hdrs / sizeof hdrs[0]));
    tcase_add_loop_test(tc, test_truncated, 0, 2);
    tcase_add_test(tc, test_garbage);
    tcase_add_test(tc, test_memcap);
    suite_add_tcase(s, tc);
    if (access(FMNIST "/train-labels-idx1-ubyte.gz", R_OK) == 0) {
        TCase *tf = tcase_create("fashion-mnist");
        tcase_set_timeout(tf, 120);
        tcase_add_loop_test(tf, test_fashion_mnist, 0, 2);
        suite_add_tcase(s, tf);
    } else
        fprintf(stderr, "idx: %s not found, Fashion-MNIST tests skipped "
                        "(apt install dataset-fashion-mnist)\n", FMNIST);
    return s;
}
