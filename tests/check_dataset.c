/* check_dataset.c - data sets in memory (alloc, view, copy, take, the
 * split and its stratification, scalers against hand-computed values, the
 * memory cap) and the generators (sizes, classes, ranges and the shape of
 * each set against its formula, seeds, noise). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "check_util.h"
#include "dataset.h"

static int is_zeroed(const nn_dataset *ds)
{
    static const nn_dataset zero;
    return memcmp(ds, &zero, sizeof zero) == 0;
}

/* A small labelled set: n rows, x = (i, 10 i), y = label[i]. */
static void make_set(nn_dataset *ds, int n, const int *label, int nclasses)
{
    nn_err e;
    ck_assert_msg(nn_dataset_alloc(ds, n, 2, 1, &e) == NN_OK, "alloc: %s", e.msg);
    for (int i = 0; i < n; i++) {
        ds->x[2 * i] = (float)i;
        ds->x[2 * i + 1] = 10.0f * i;
        ds->y[i] = label ? (float)label[i] : 0.5f * i;
    }
    ds->nclasses = nclasses;
}

START_TEST(test_alloc_free)
{
    nn_dataset ds;
    nn_err e;
    ck_assert_int_eq(nn_dataset_alloc(&ds, 3, 4, 2, &e), NN_OK);
    ck_assert_int_eq(ds.n, 3);
    ck_assert_int_eq(ds.d, 4);
    ck_assert_int_eq(ds.ycols, 2);
    ck_assert_int_eq(ds.ndim, 1);
    ck_assert_int_eq(ds.shape[0], 4);
    ck_assert_int_eq(ds.owns, 1);
    for (int i = 0; i < 12; i++)
        ck_assert_msg(ds.x[i] == 0.0f, "x[%d] not zeroed", i);
    for (int i = 0; i < 6; i++)
        ck_assert_msg(ds.y[i] == 0.0f, "y[%d] not zeroed", i);
    nn_dataset_free(&ds);
    ck_assert_msg(is_zeroed(&ds), "free does not zero the struct");
    nn_dataset_free(&ds);   /* twice is harmless */

    static const int bad[][3] = {{0, 1, 1}, {1, 0, 1}, {-1, 2, 1}, {2, 2, -1}};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        memset(&ds, 0xab, sizeof ds);
        e.msg[0] = '\0';
        ck_assert_msg(nn_dataset_alloc(&ds, bad[k][0], bad[k][1], bad[k][2], &e)
                      == NN_FAIL, "alloc(%d, %d, %d) accepted",
                      bad[k][0], bad[k][1], bad[k][2]);
        ck_assert_msg(is_zeroed(&ds), "alloc case %zu leaves ds dirty", k);
        ck_assert_msg(strstr(e.msg, "n > 0"), "case %zu: message '%s'", k, e.msg);
    }
}
END_TEST

/* Sizes in messages, in the largest unit that leaves a number >= 1. */
START_TEST(test_bytes_text)
{
    char b[NN_SIZETEXT];
    ck_assert_str_eq(nn_size_text(0, b), "0 bytes");
    ck_assert_str_eq(nn_size_text(1, b), "1 byte");
    ck_assert_str_eq(nn_size_text(1023, b), "1023 bytes");
    ck_assert_str_eq(nn_size_text(1024, b), "1.0 KiB");
    ck_assert_str_eq(nn_size_text(1536, b), "1.5 KiB");
    ck_assert_str_eq(nn_size_text(1048575, b), "1.0 MiB");    /* not 1024.0 KiB */
    ck_assert_str_eq(nn_size_text(1048576.0 * 3, b), "3.0 MiB");
    ck_assert_str_eq(nn_size_text(1073741824.0 * 1.25, b), "1.2 GiB");
    ck_assert_str_eq(nn_size_text(18446744073709551615.0, b), "16.0 EiB");
}
END_TEST

/* The cap is on the whole set: x alone fits, x + y does not. */
START_TEST(test_memcap)
{
    nn_dataset ds;
    nn_err e;
    size_t old = nn_memcap();
    /* x = 1000*255*4 = 1,020,000 bytes, y = 4,000: total 1,024,000 */
    nn_set_memcap(1022000);
    memset(&ds, 0xab, sizeof ds);
    int rc = nn_dataset_alloc(&ds, 1000, 255, 1, &e);
    ck_assert_msg(rc == NN_FAIL, "x + y over the cap accepted");
    ck_assert_msg(strstr(e.msg, "memory cap"), "message '%s'", e.msg);
    ck_assert_msg(strstr(e.msg, "needs 1000.0 KiB, over the memory cap of 998.0 KiB"),
                  "sizes in the message: '%s'", e.msg);
    ck_assert_msg(is_zeroed(&ds), "refused alloc leaves ds dirty");
    ck_assert_int_eq(nn_dataset_alloc(&ds, 1000, 254, 1, &e), NN_OK);
    nn_dataset_free(&ds);

    /* a generator asked for far too much is refused, not attempted */
    nn_set_memcap(1 << 20);
    nn_rng r;
    nn_rng_seed(&r, 1);
    rc = nn_datagen(&ds, "moons", 1000000, 0.1, &r, &e);
    ck_assert_msg(rc == NN_FAIL && strstr(e.msg, "memory cap"),
                  "moons n=1e6 under a 1 MiB cap: rc %d '%s'", rc, e.msg);
    ck_assert(is_zeroed(&ds));
    /* sizes that overflow size_t arithmetic */
    nn_set_memcap(old);
    rc = nn_dataset_alloc(&ds, 2000000000, 2000000000, 1, &e);
    ck_assert_msg(rc == NN_FAIL && (strstr(e.msg, "overflow") ||
                                    strstr(e.msg, "memory cap")),
                  "2e9 x 2e9: rc %d '%s'", rc, e.msg);
    ck_assert_int_eq(nn_memcap(), old);
}
END_TEST

START_TEST(test_view_copy_take)
{
    static const int lab[6] = {0, 1, 2, 0, 1, 2};
    static const char *const cls[] = {"a", "b", "c"};
    static const char *const feat[] = {"f0", "f1"};
    nn_dataset ds, v, c, t;
    nn_err e;
    make_set(&ds, 6, lab, 0);
    ck_assert_int_eq(nn_dataset_set_classes(&ds, 3, cls, &e), NN_OK);
    ck_assert_int_eq(nn_dataset_set_features(&ds, feat, &e), NN_OK);
    ck_assert_int_eq(ds.nclasses, 3);
    ck_assert_str_eq(ds.class_names[2], "c");
    ck_assert_msg(ds.class_names[0] != cls[0], "class names not copied");
    strcpy(ds.name, "six");

    nn_dataset_view(&v, &ds, 2, 3);
    ck_assert_int_eq(v.n, 3);
    ck_assert_int_eq(v.owns, 0);
    ck_assert_msg(v.x == ds.x + 4 && v.y == ds.y + 2, "view points elsewhere");
    ck_assert_msg(v.class_names == ds.class_names, "view does not share names");
    ck_assert_msg(nn_dataset_set_classes(&v, 2, cls, &e) == NN_FAIL,
                  "a view changed its classes");
    nn_dataset_view(&v, &ds, 4, 10);   /* clamped */
    ck_assert_int_eq(v.n, 2);
    nn_dataset_view(&v, &ds, 9, 1);
    ck_assert_int_eq(v.n, 0);
    nn_dataset_free(&v);               /* frees nothing */
    ck_assert_float_eq(ds.x[11], 50.0f);

    ck_assert_int_eq(nn_dataset_copy(&c, &ds, &e), NN_OK);
    ck_assert_int_eq(c.n, 6);
    ck_assert_int_eq(c.owns, 1);
    ck_assert_str_eq(c.name, "six");
    ck_assert_msg(c.x != ds.x && c.class_names != ds.class_names &&
                  c.class_names[1] != ds.class_names[1], "copy is shallow");
    ck_assert_str_eq(c.class_names[1], "b");
    ck_assert_str_eq(c.feature_names[1], "f1");
    ck_assert_msg(memcmp(c.x, ds.x, 12 * sizeof(float)) == 0, "copy x differs");
    nn_dataset_free(&c);

    static const int idx[3] = {5, 0, 5};
    ck_assert_int_eq(nn_dataset_take(&t, &ds, idx, 3, &e), NN_OK);
    ck_assert_int_eq(t.n, 3);
    ck_assert_float_eq(t.x[0], 5.0f);
    ck_assert_float_eq(t.x[1], 50.0f);
    ck_assert_float_eq(t.x[2], 0.0f);
    ck_assert_float_eq(t.y[0], 2.0f);
    ck_assert_float_eq(t.y[2], 2.0f);
    ck_assert_int_eq(t.nclasses, 3);
    nn_dataset_free(&t);

    static const int badidx[2] = {1, 6};
    memset(&t, 0xab, sizeof t);
    ck_assert_int_eq(nn_dataset_take(&t, &ds, badidx, 2, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "out of range"), "message '%s'", e.msg);
    ck_assert(is_zeroed(&t));
    nn_dataset_free(&ds);
}
END_TEST

/* Every row lands in exactly one part: x[0] = row number. */
static void check_partition(const nn_dataset *tr, const nn_dataset *te, int n,
                            const char *what)
{
    char *seen = calloc((size_t)n, 1);
    ck_assert_int_eq(tr->n + te->n, n);
    for (int k = 0; k < 2; k++) {
        const nn_dataset *p = k ? te : tr;
        for (int i = 0; i < p->n; i++) {
            int r = (int)p->x[2 * i];
            ck_assert_msg(r >= 0 && r < n && !seen[r], "%s: row %d twice", what, r);
            ck_assert_msg(p->x[2 * i + 1] == 10.0f * r, "%s: row %d torn", what, r);
            seen[r] = 1;
        }
    }
    free(seen);
}

typedef struct split_case {
    const char *what;
    int n, nclasses;
    int per_class[3];     /* rows of each class, in blocks */
    double f;
    int stratify;
    int ntest;
    int test_per_class[3];
} split_case;

static const split_case splits[] = {
    /* plain: n_test = ceil(f n) as scikit-learn */
    {"150 x 0.2 plain", 150, 3, {50, 50, 50}, 0.2, 0, 30, {-1}},
    {"10 x 0.25 plain", 10, 2, {7, 3}, 0.25, 0, 3, {-1}},
    {"10 x 0.01 plain", 10, 2, {5, 5}, 0.01, 0, 1, {-1}},
    /* stratified: test_c = round(f n_c) */
    {"150 x 0.2 strat", 150, 3, {50, 50, 50}, 0.2, 1, 30, {10, 10, 10}},
    {"10 x 0.25 strat", 10, 2, {7, 3}, 0.25, 1, 3, {2, 1}},
    {"100 x 0.3 strat 90/10", 100, 2, {90, 10}, 0.3, 1, 30, {27, 3}},
    {"9 x 0.5 strat", 9, 3, {3, 3, 3}, 0.5, 1, 6, {2, 2, 2}},
};

START_TEST(test_split)
{
    const split_case *sc = &splits[_i];
    int lab[200];
    for (int c = 0, i = 0; c < sc->nclasses; c++)
        for (int k = 0; k < sc->per_class[c]; k++)
            lab[i++] = c;
    nn_dataset ds, tr, te, tr2, te2;
    nn_err e;
    nn_rng r;
    make_set(&ds, sc->n, lab, sc->nclasses);
    nn_rng_seed(&r, 42);
    ck_assert_msg(nn_dataset_split(&ds, sc->f, sc->stratify, &r, &tr, &te, &e)
                  == NN_OK, "%s: %s", sc->what, e.msg);
    ck_assert_msg(te.n == sc->ntest, "%s: test has %d rows, expected %d",
                  sc->what, te.n, sc->ntest);
    check_partition(&tr, &te, sc->n, sc->what);
    ck_assert_int_eq(tr.nclasses, sc->nclasses);
    if (sc->stratify) {
        int cnt[3], cntr[3];
        nn_dataset_class_counts(&te, cnt);
        nn_dataset_class_counts(&tr, cntr);
        for (int c = 0; c < sc->nclasses; c++) {
            ck_assert_msg(cnt[c] == sc->test_per_class[c],
                          "%s: class %d has %d test rows, expected %d",
                          sc->what, c, cnt[c], sc->test_per_class[c]);
            ck_assert_int_eq(cntr[c], sc->per_class[c] - cnt[c]);
        }
    }
    /* shuffled: the train part is not in row order */
    int sorted = 1;
    for (int i = 1; i < tr.n; i++)
        sorted &= tr.x[2 * i] > tr.x[2 * (i - 1)];
    ck_assert_msg(!sorted || tr.n < 4, "%s: train rows still in order", sc->what);

    /* same seed, same split */
    nn_rng_seed(&r, 42);
    ck_assert_int_eq(nn_dataset_split(&ds, sc->f, sc->stratify, &r, &tr2, &te2, &e),
                     NN_OK);
    ck_assert_msg(tr2.n == tr.n && memcmp(tr2.x, tr.x, (size_t)tr.n * 8) == 0,
                  "%s: same seed gives another split", sc->what);
    nn_dataset_free(&tr2);
    nn_dataset_free(&te2);
    nn_dataset_free(&tr);
    nn_dataset_free(&te);
    nn_dataset_free(&ds);
}
END_TEST

START_TEST(test_split_errors)
{
    static const int lab[4] = {0, 1, 0, 1};
    static const double bad[] = {0.0, 1.0, -0.2, 1.5, NAN};
    nn_dataset ds, tr, te;
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 1);
    make_set(&ds, 4, lab, 2);
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        memset(&tr, 0xab, sizeof tr);
        memset(&te, 0xab, sizeof te);
        ck_assert_msg(nn_dataset_split(&ds, bad[k], 1, &r, &tr, &te, &e) == NN_FAIL,
                      "fraction %g accepted", bad[k]);
        ck_assert_msg(strstr(e.msg, "between 0 and 1"), "%g: '%s'", bad[k], e.msg);
        ck_assert(is_zeroed(&tr) && is_zeroed(&te));
    }
    /* 0.1 of 4 stratified: round(0.2) = 0 per class leaves test empty */
    ck_assert_int_eq(nn_dataset_split(&ds, 0.1, 1, &r, &tr, &te, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "test set"), "'%s'", e.msg);
    /* a label that is no class index */
    ds.y[2] = 7;
    ck_assert_int_eq(nn_dataset_split(&ds, 0.5, 1, &r, &tr, &te, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "label 7"), "'%s'", e.msg);
    /* a regression set ignores stratify */
    ds.nclasses = 0;
    ck_assert_int_eq(nn_dataset_split(&ds, 0.5, 1, &r, &tr, &te, &e), NN_OK);
    ck_assert_int_eq(te.n, 2);
    nn_dataset_free(&tr);
    nn_dataset_free(&te);
    nn_dataset_free(&ds);
}
END_TEST

/* Columns (1, 2, 3, 4) and (5, 5, 5, 5): mean 2.5, population std
 * sqrt(1.25); a constant column gets scale 1. */
START_TEST(test_scaler)
{
    static const float col0[4] = {1, 2, 3, 4};
    nn_dataset ds, other;
    nn_scaler s;
    nn_err e;
    ck_assert_int_eq(nn_dataset_alloc(&ds, 4, 2, 1, &e), NN_OK);
    for (int i = 0; i < 4; i++) {
        ds.x[2 * i] = col0[i];
        ds.x[2 * i + 1] = 5;
    }
    ck_assert_int_eq(nn_scaler_fit(&s, NN_SCALE_STANDARD, &ds, &e), NN_OK);
    ck_assert_int_eq(s.d, 2);
    ck_assert_float_eq_tol(s.a[0], 2.5f, 1e-6f);
    ck_assert_float_eq_tol(s.b[0], (float)sqrt(1.25), 1e-6f);
    ck_assert_float_eq_tol(s.a[1], 5.0f, 1e-6f);
    ck_assert_float_eq(s.b[1], 1.0f);
    ck_assert_int_eq(nn_dataset_copy(&other, &ds, &e), NN_OK);
    nn_scaler_apply(&s, &ds);
    for (int i = 0; i < 4; i++) {
        ck_assert_float_eq_tol(ds.x[2 * i], (col0[i] - 2.5f) / sqrtf(1.25f), 1e-6f);
        ck_assert_float_eq(ds.x[2 * i + 1], 0.0f);
    }
    nn_scaler_free(&s);
    ck_assert_ptr_null(s.a);

    /* minmax fitted on other, applied to a row outside its range */
    ck_assert_int_eq(nn_scaler_fit(&s, NN_SCALE_MINMAX, &other, &e), NN_OK);
    ck_assert_float_eq(s.a[0], 1.0f);
    ck_assert_float_eq(s.b[0], 3.0f);
    ck_assert_float_eq(s.b[1], 1.0f);
    other.x[0] = 7;
    nn_scaler_apply(&s, &other);
    static const float want[4] = {2.0f, 1.0f / 3, 2.0f / 3, 1.0f};
    for (int i = 0; i < 4; i++) {
        ck_assert_float_eq_tol(other.x[2 * i], want[i], 1e-6f);
        ck_assert_float_eq(other.x[2 * i + 1], 0.0f);
    }
    nn_scaler_free(&s);
    ck_assert_int_eq(nn_scaler_fit(&s, (nn_scale_kind)9, &other, &e), NN_FAIL);
    nn_dataset_free(&ds);
    nn_dataset_free(&other);
}
END_TEST

/* ---- generators ---- */

typedef struct gen_case {
    const char *name;
    int d, nclasses;
} gen_case;

static const gen_case gens[] = {
    {"xor", 2, 2}, {"circles", 2, 2}, {"moons", 2, 2}, {"spiral", 2, 2},
    {"gauss", 2, 2}, {"plane", 2, 0}, {"sine", 1, 0}, {"outliers", 1, 0},
};

START_TEST(test_datagen_names)
{
    size_t k = 0;
    for (; nn_datagen_names[k]; k++)
        ck_assert_msg(k < sizeof gens / sizeof gens[0] &&
                      strcmp(nn_datagen_names[k], gens[k].name) == 0,
                      "name %zu is '%s'", k, nn_datagen_names[k]);
    ck_assert_uint_eq(k, sizeof gens / sizeof gens[0]);
}
END_TEST

/* Common to all: size, names, classes, seed and noise behaviour. */
START_TEST(test_datagen_common)
{
    const gen_case *g = &gens[_i];
    nn_dataset a, b, c;
    nn_err e;
    nn_rng r;
    for (int n = 501; n <= 1000; n += 499) {
        nn_rng_seed(&r, 7);
        ck_assert_msg(nn_datagen(&a, g->name, n, 0.2, &r, &e) == NN_OK,
                      "%s: %s", g->name, e.msg);
        ck_assert_msg(a.n == n && a.d == g->d && a.ycols == 1 &&
                      a.nclasses == g->nclasses && a.ndim == 1 &&
                      a.shape[0] == g->d && a.owns,
                      "%s n=%d: shape n=%d d=%d nclasses=%d", g->name, n, a.n,
                      a.d, a.nclasses);
        ck_assert_str_eq(a.name, g->name);
        ck_assert_str_eq(a.feature_names[0], g->d == 2 ? "x1" : "x");
        if (g->d == 2)
            ck_assert_str_eq(a.feature_names[1], "x2");
        if (g->nclasses) {
            ck_assert_str_eq(a.class_names[0], "0");
            ck_assert_str_eq(a.class_names[1], "1");
            int cnt[2];
            nn_dataset_class_counts(&a, cnt);
            ck_assert_msg(cnt[0] + cnt[1] == n, "%s: labels not 0/1", g->name);
            ck_assert_msg(cnt[0] > 0.4 * n && cnt[1] > 0.4 * n,
                          "%s n=%d: unbalanced %d/%d", g->name, n, cnt[0], cnt[1]);
        } else
            ck_assert_ptr_null(a.class_names);
        for (int i = 0; i < n * g->d; i++)
            ck_assert_msg(isfinite(a.x[i]) && fabsf(a.x[i]) < 12,
                          "%s: x[%d] = %g", g->name, i, a.x[i]);

        /* same seed, same data; another seed, other data */
        nn_rng_seed(&r, 7);
        ck_assert_int_eq(nn_datagen(&b, g->name, n, 0.2, &r, &e), NN_OK);
        ck_assert_msg(memcmp(a.x, b.x, (size_t)n * g->d * 4) == 0 &&
                      memcmp(a.y, b.y, (size_t)n * 4) == 0,
                      "%s: same seed, other data", g->name);
        nn_dataset_free(&b);
        nn_rng_seed(&r, 8);
        ck_assert_int_eq(nn_datagen(&b, g->name, n, 0.2, &r, &e), NN_OK);
        ck_assert_msg(memcmp(a.x, b.x, (size_t)n * g->d * 4) != 0,
                      "%s: seeds 7 and 8 give the same data", g->name);
        nn_dataset_free(&b);
        nn_dataset_free(&a);
    }
    /* noise 0 and 0.5 from one seed: different sets */
    nn_rng_seed(&r, 3);
    ck_assert_int_eq(nn_datagen(&b, g->name, 400, 0.0, &r, &e), NN_OK);
    nn_rng_seed(&r, 3);
    ck_assert_int_eq(nn_datagen(&c, g->name, 400, 0.5, &r, &e), NN_OK);
    ck_assert_msg(memcmp(b.x, c.x, 400 * (size_t)g->d * 4) != 0 ||
                  memcmp(b.y, c.y, 400 * 4) != 0,
                  "%s: noise 0 and 0.5 give the same data", g->name);
    nn_dataset_free(&b);
    nn_dataset_free(&c);
    /* n = 1 works */
    ck_assert_msg(nn_datagen(&a, g->name, 1, 0.1, &r, &e) == NN_OK,
                  "%s n=1: %s", g->name, e.msg);
    nn_dataset_free(&a);
}
END_TEST

START_TEST(test_datagen_errors)
{
    static const struct { const char *name; int n; double noise; const char *msg; }
    bad[] = {
        {"nope", 10, 0.1, "unknown data set 'nope'"},
        {"nope", 10, 0.1, "xor, circles, moons, spiral, gauss, plane, sine, outliers"},
        {NULL, 10, 0.1, "unknown data set"},
        {"XOR", 10, 0.1, "unknown"},
        {"xor", 0, 0.1, "must be > 0"},
        {"moons", -5, 0.1, "must be > 0"},
        {"xor", 10, -0.1, "noise must be in [0, 0.5]"},
        {"spiral", 10, 0.6, "Playground"},
        {"sine", 10, NAN, "noise must be in"},
        {"moons", 10, 11, "noise must be in [0, 10]"},
    };
    nn_rng r;
    nn_rng_seed(&r, 1);
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        nn_dataset ds;
        nn_err e = {""};
        memset(&ds, 0xab, sizeof ds);
        ck_assert_msg(nn_datagen(&ds, bad[k].name, bad[k].n, bad[k].noise, &r, &e)
                      == NN_FAIL, "case %zu accepted", k);
        ck_assert_msg(strstr(e.msg, bad[k].msg), "case %zu: '%s' lacks '%s'", k,
                      e.msg, bad[k].msg);
        ck_assert_msg(is_zeroed(&ds), "case %zu leaves ds dirty", k);
    }
}
END_TEST

/* Each set against its formula, at noise 0 where the formula is exact. */
START_TEST(test_datagen_shapes)
{
    nn_dataset ds;
    nn_err e;
    nn_rng r;
    const int n = 1000;
    int cnt[2];
#define GEN(nm, noise) do { nn_rng_seed(&r, 11); \
        ck_assert_msg(nn_datagen(&ds, nm, n, noise, &r, &e) == NN_OK, "%s", e.msg); \
    } while (0)

    /* circles: class 1 inside r < 2.5, class 0 in the ring [3.5, 5] */
    GEN("circles", 0.0);
    nn_dataset_class_counts(&ds, cnt);
    ck_assert_msg(cnt[0] == 500 && cnt[1] == 500, "circles %d/%d", cnt[0], cnt[1]);
    int first1 = 0;
    for (int i = 0; i < n; i++) {
        double rad = hypot(ds.x[2 * i], ds.x[2 * i + 1]);
        if (ds.y[i] == 1)
            ck_assert_msg(rad < 2.5 + 1e-5, "circles inner r = %g", rad);
        else
            ck_assert_msg(rad > 3.5 - 1e-5 && rad < 5 + 1e-5, "circles ring r = %g", rad);
        first1 += i < n / 2 && ds.y[i] == 1;
    }
    ck_assert_msg(first1 > 150 && first1 < 350, "circles not shuffled (%d)", first1);
    nn_dataset_free(&ds);

    /* xor: label = (x y >= 0), |x|, |y| in [0.3, 5.3] */
    GEN("xor", 0.0);
    for (int i = 0; i < n; i++) {
        float px = ds.x[2 * i], py = ds.x[2 * i + 1];
        ck_assert_msg(fabsf(px) >= 0.3f && fabsf(px) <= 5.3f &&
                      fabsf(py) >= 0.3f && fabsf(py) <= 5.3f, "xor point %g %g", px, py);
        ck_assert_msg(ds.y[i] == (px * py >= 0 ? 1.0f : 0.0f), "xor label at %d", i);
    }
    nn_dataset_free(&ds);
    /* with noise, some labels disagree with the quadrant */
    GEN("xor", 0.5);
    int flips = 0;
    for (int i = 0; i < n; i++)
        flips += ds.y[i] != (ds.x[2 * i] * ds.x[2 * i + 1] >= 0 ? 1.0f : 0.0f);
    ck_assert_msg(flips > 20 && flips < 500, "xor noise 0.5 flips %d", flips);
    nn_dataset_free(&ds);

    /* gauss: means (2, 2) and (-2, -2), variance 0.5 + 7 noise */
    for (int k = 0; k < 2; k++) {
        double noise = k ? 0.5 : 0.0, var = 0.5 + 7 * noise;
        GEN("gauss", noise);
        double s[2] = {0}, ss[2] = {0};
        nn_dataset_class_counts(&ds, cnt);
        ck_assert_msg(cnt[0] == 500 && cnt[1] == 500, "gauss %d/%d", cnt[0], cnt[1]);
        for (int i = 0; i < n; i++) {
            int c = (int)ds.y[i];
            double m = c ? 2 : -2;
            s[c] += ds.x[2 * i] + ds.x[2 * i + 1];
            ss[c] += (ds.x[2 * i] - m) * (ds.x[2 * i] - m) +
                     (ds.x[2 * i + 1] - m) * (ds.x[2 * i + 1] - m);
        }
        for (int c = 0; c < 2; c++) {
            ck_assert_msg(fabs(s[c] / 1000 - (c ? 2 : -2)) < 0.15 * sqrt(var),
                          "gauss noise %g class %d mean %g", noise, c, s[c] / 1000);
            ck_assert_msg(fabs(ss[c] / 1000 - var) < 0.15 * var,
                          "gauss noise %g class %d variance %g, expected %g",
                          noise, c, ss[c] / 1000, var);
        }
        nn_dataset_free(&ds);
    }

    /* spiral: r <= 5 and on the arm: angle t = 1.75 * 2 pi r / 5 (+ pi) */
    GEN("spiral", 0.0);
    for (int i = 0; i < n; i++) {
        double px = ds.x[2 * i], py = ds.x[2 * i + 1], rad = hypot(px, py);
        ck_assert_msg(rad <= 5 + 1e-5, "spiral r = %g", rad);
        if (rad < 0.1)
            continue;
        double t = 1.75 * 2 * M_PI * rad / 5 + (ds.y[i] == 1 ? 0 : M_PI);
        ck_assert_msg(fabs(px - rad * sin(t)) < 1e-3 && fabs(py - rad * cos(t)) < 1e-3,
                      "spiral point %d (%g, %g) class %g off its arm", i, px, py,
                      ds.y[i]);
    }
    nn_dataset_free(&ds);

    /* moons: class 0 on the unit upper half circle, class 1 on the circle
     * around (1, 0.5), lower half; n // 2 of class 0 */
    nn_rng_seed(&r, 11);
    ck_assert_int_eq(nn_datagen(&ds, "moons", 501, 0.0, &r, &e), NN_OK);
    nn_dataset_class_counts(&ds, cnt);
    ck_assert_msg(cnt[0] == 250 && cnt[1] == 251, "moons %d/%d", cnt[0], cnt[1]);
    for (int i = 0; i < 501; i++) {
        double px = ds.x[2 * i], py = ds.x[2 * i + 1];
        if (ds.y[i] == 0)
            ck_assert_msg(fabs(hypot(px, py) - 1) < 1e-5 && py >= -1e-6,
                          "moons outer (%g, %g)", px, py);
        else
            ck_assert_msg(fabs(hypot(px - 1, py - 0.5) - 1) < 1e-5 && py <= 0.5 + 1e-6,
                          "moons inner (%g, %g)", px, py);
    }
    nn_dataset_free(&ds);

    /* plane: y = (x1 + x2) / 10, x in [-6, 6] */
    GEN("plane", 0.0);
    ck_assert_int_eq(ds.nclasses, 0);
    for (int i = 0; i < n; i++) {
        ck_assert_msg(fabsf(ds.x[2 * i]) <= 6 && fabsf(ds.x[2 * i + 1]) <= 6, "plane x");
        ck_assert_float_eq_tol(ds.y[i], (ds.x[2 * i] + ds.x[2 * i + 1]) / 10, 1e-6f);
    }
    nn_dataset_free(&ds);

    /* sine: y = sin x at noise 0, residual sd = noise at 0.3 */
    GEN("sine", 0.0);
    for (int i = 0; i < n; i++) {
        ck_assert_msg(fabsf(ds.x[i]) <= 3, "sine x = %g", ds.x[i]);
        ck_assert_float_eq_tol(ds.y[i], sinf(ds.x[i]), 1e-6f);
    }
    nn_dataset_free(&ds);
    GEN("sine", 0.3);
    double ss = 0;
    for (int i = 0; i < n; i++)
        ss += (ds.y[i] - sin(ds.x[i])) * (ds.y[i] - sin(ds.x[i]));
    ck_assert_msg(fabs(sqrt(ss / n) - 0.3) < 0.03, "sine noise sd %g", sqrt(ss / n));
    nn_dataset_free(&ds);

    /* outliers: exactly round(5% n) = 50 points off the line by 5..10,
     * the rest within 5 sd (0.5) of y = 0.5 x + 1 */
    GEN("outliers", 0.0);
    int out = 0;
    for (int i = 0; i < n; i++) {
        double res = fabs(ds.y[i] - (0.5 * ds.x[i] + 1));
        if (res > 4) {
            out++;
            ck_assert_msg(res < 10.5, "outlier residual %g", res);
        } else
            ck_assert_msg(res < 0.5, "inlier residual %g", res);
    }
    ck_assert_msg(out == 50, "outliers: %d of 1000, expected 50", out);
    nn_dataset_free(&ds);
#undef GEN
}
END_TEST

Suite *suite_dataset(void)
{
    Suite *s = suite_create("dataset");
    TCase *tc = tcase_create("dataset");
    tcase_add_test(tc, test_alloc_free);
    tcase_add_test(tc, test_memcap);
    tcase_add_test(tc, test_bytes_text);
    tcase_add_test(tc, test_view_copy_take);
    tcase_add_loop_test(tc, test_split, 0, (int)(sizeof splits / sizeof splits[0]));
    tcase_add_test(tc, test_split_errors);
    tcase_add_test(tc, test_scaler);
    suite_add_tcase(s, tc);
    TCase *tg = tcase_create("datagen");
    tcase_add_test(tg, test_datagen_names);
    tcase_add_loop_test(tg, test_datagen_common, 0, (int)(sizeof gens / sizeof gens[0]));
    tcase_add_test(tg, test_datagen_errors);
    tcase_add_test(tg, test_datagen_shapes);
    suite_add_tcase(s, tg);
    return s;
}
