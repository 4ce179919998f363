/* dataset.c - a data set in memory: allocation, copies, views, the
 * train/test split and feature scaling.  Readers and generators live in
 * csv.c, idx.c and datagen.c. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include "dataset.h"

/* A copy of s through nn_calloc (the cap applies to names too). */
static char *dup_str(const char *s, nn_err *e)
{
    size_t len = strlen(s);
    char *p = nn_calloc(len + 1, 1, e);
    if (p)
        memcpy(p, s, len + 1);
    return p;
}

static void free_names(char **names, int count)
{
    if (!names)
        return;
    for (int i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

/* A NULL-safe copy of count names; *out is NULL when names is NULL. */
static int copy_names(char ***out, const char *const *names, int count,
                      nn_err *e)
{
    *out = NULL;
    if (!names || count <= 0)
        return NN_OK;
    char **p = nn_calloc((size_t)count, sizeof *p, e);
    if (!p)
        return NN_FAIL;
    for (int i = 0; i < count; i++) {
        p[i] = dup_str(names[i] ? names[i] : "", e);
        if (!p[i]) {
            free_names(p, i);
            return NN_FAIL;
        }
        /* names come from files and are printed: no control characters
         * (an escape sequence in a CSV must not reach the terminal) */
        for (char *c = p[i]; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                *c = '?';
    }
    *out = p;
    return NN_OK;
}

static void free_targets(nn_target *t, int count)
{
    if (!t)
        return;
    for (int k = 0; k < count; k++)
        free_names(t[k].class_names, t[k].nclasses);
    free(t);
}

/* A deep copy of count targets (NULL stays NULL). */
static int copy_targets(nn_target **out, const nn_target *src, int count,
                        nn_err *e)
{
    *out = NULL;
    if (!src || count <= 0)
        return NN_OK;
    nn_target *t = nn_calloc((size_t)count, sizeof *t, e);
    if (!t)
        return NN_FAIL;
    for (int k = 0; k < count; k++) {
        t[k] = src[k];
        t[k].class_names = NULL;
        if (copy_names(&t[k].class_names, (const char *const *)src[k].class_names,
                       src[k].nclasses, e) != NN_OK) {
            free_targets(t, k);
            return NN_FAIL;
        }
    }
    *out = t;
    return NN_OK;
}

void nn_advise_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    /* the whole 2 MiB pages inside [p, p + len): a set of tens of MB is
     * then faulted in a few dozen times instead of thousands (Linux's
     * transparent huge pages in their default "madvise" mode) */
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t b = ((uintptr_t)p + len) & ~(huge - 1);
    if (len >= 4 * huge && b > a)
        madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
    (void)p;
    (void)len;
#endif
}

/* The buffers of an owning set of n samples: x of n*d elements of xsize
 * bytes (4: float32, 1: bytes) into *xp, y (n, ycols) float32.  The whole
 * size is checked first, so a set over the cap is refused before either
 * buffer is allocated: bytes = n*d*xsize + n*ycols*4. */
static int alloc_store(nn_dataset *ds, int n, int d, int ycols, size_t xsize,
                       void **xp, nn_err *e)
{
    size_t xb = nn_mul3((size_t)n, (size_t)d, xsize);
    size_t yb = ycols ? nn_mul3((size_t)n, (size_t)ycols, sizeof(float)) : 0;
    if (xb == 0 || (ycols && yb == 0) || xb > SIZE_MAX - yb)
        return nn_fail(e, "data set of %d x %d overflows memory", n, d);
    if (xb + yb > nn_memcap()) {
        char b1[NN_SIZETEXT], b2[NN_SIZETEXT];
        return nn_fail(e, "data set of %d x %d needs %s, over the memory "
                          "cap of %s (raise it with: set memory_cap=BYTES)",
                       n, d, nn_size_text((double)(xb + yb), b1),
                       nn_size_text((double)nn_memcap(), b2));
    }
    void *x = nn_calloc(xb / xsize, xsize, e);
    if (!x)
        return NN_FAIL;
    nn_advise_huge(x, xb);
    if (ycols) {
        ds->y = nn_calloc((size_t)n * (size_t)ycols, sizeof(float), e);
        if (!ds->y) {
            free(x);
            return NN_FAIL;
        }
    }
    *xp = x;
    ds->n = n;
    ds->d = d;
    ds->ndim = 1;
    ds->shape[0] = d;
    ds->ycols = ycols;
    ds->owns = 1;
    return NN_OK;
}

int nn_dataset_alloc(nn_dataset *ds, int n, int d, int ycols, nn_err *e)
{
    memset(ds, 0, sizeof *ds);
    if (n <= 0 || d <= 0 || ycols < 0)
        return nn_fail(e, "a data set needs n > 0 samples and d > 0 features "
                          "(got n=%d, d=%d, ycols=%d)", n, d, ycols);
    void *x = NULL;
    int rc = alloc_store(ds, n, d, ycols, sizeof(float), &x, e);
    ds->x = x;
    return rc;
}

int nn_dataset_alloc_u8(nn_dataset *ds, int n, int d, int ycols, float div,
                        nn_err *e)
{
    memset(ds, 0, sizeof *ds);
    if (n <= 0 || d <= 0 || ycols < 0 || !(div > 0))
        return nn_fail(e, "a data set needs n > 0 samples and d > 0 features "
                          "(got n=%d, d=%d, ycols=%d)", n, d, ycols);
    void *x = NULL;
    int rc = alloc_store(ds, n, d, ycols, 1, &x, e);
    ds->x8 = x;
    if (rc == NN_OK)
        ds->x8_div = div;
    return rc;
}

void nn_dataset_free(nn_dataset *ds)
{
    if (!ds)
        return;
    if (ds->owns) {
        free(ds->x);
        free(ds->x8);
        free(ds->y);
        free(ds->sw);
        free_names(ds->class_names, ds->nclasses);
        free_names(ds->feature_names, ds->d);
        free_targets(ds->targets, ds->ycols);
    }
    memset(ds, 0, sizeof *ds);
}

int nn_dataset_set_classes(nn_dataset *ds, int nclasses,
                           const char *const *names, nn_err *e)
{
    if (!ds->owns)
        return nn_fail(e, "cannot set the classes of a view; copy it first");
    if (nclasses < 0)
        return nn_fail(e, "number of classes must be >= 0, got %d", nclasses);
    char **p;
    if (copy_names(&p, names, nclasses, e) != NN_OK)
        return NN_FAIL;
    free_names(ds->class_names, ds->nclasses);
    ds->class_names = p;
    ds->nclasses = nclasses;
    return NN_OK;
}

int nn_dataset_set_features(nn_dataset *ds, const char *const *names,
                            nn_err *e)
{
    if (!ds->owns)
        return nn_fail(e, "cannot set the feature names of a view; copy it first");
    char **p;
    if (copy_names(&p, names, ds->d, e) != NN_OK)
        return NN_FAIL;
    free_names(ds->feature_names, ds->d);
    ds->feature_names = p;
    return NN_OK;
}

/* Everything but the rows: name, shape, classes and names. */
static int copy_meta(nn_dataset *dst, const nn_dataset *src, nn_err *e)
{
    memcpy(dst->name, src->name, sizeof dst->name);
    dst->name[sizeof dst->name - 1] = '\0';
    dst->ndim = src->ndim;
    memcpy(dst->shape, src->shape, sizeof dst->shape);
    dst->nclasses = src->nclasses;
    if (copy_names(&dst->class_names, (const char *const *)src->class_names,
                   src->nclasses, e) != NN_OK)
        return NN_FAIL;
    if (copy_names(&dst->feature_names, (const char *const *)src->feature_names,
                   src->d, e) != NN_OK)
        return NN_FAIL;
    if (copy_targets(&dst->targets, src->targets, src->ycols, e) != NN_OK)
        return NN_FAIL;
    if (src->sw) {
        dst->sw = nn_calloc((size_t)dst->n, sizeof(float), e);
        if (!dst->sw)
            return NN_FAIL;
    }
    return NN_OK;
}

int nn_dataset_take(nn_dataset *dst, const nn_dataset *src, const int *idx,
                    int count, nn_err *e)
{
    nn_dataset t;
    memset(dst, 0, sizeof *dst);
    if (count <= 0)
        return nn_fail(e, "cannot take %d rows: need at least one", count);
    for (int i = 0; idx && i < count; i++)
        if (idx[i] < 0 || idx[i] >= src->n)
            return nn_fail(e, "row %d is out of range (the set has %d rows)",
                           idx[i], src->n);
    int rc = src->x8 ? nn_dataset_alloc_u8(&t, count, src->d, src->ycols,
                                           src->x8_div, e)
                     : nn_dataset_alloc(&t, count, src->d, src->ycols, e);
    if (rc != NN_OK)
        return NN_FAIL;
    if (copy_meta(&t, src, e) != NN_OK) {
        nn_dataset_free(&t);
        return NN_FAIL;
    }
    size_t d = (size_t)src->d, yc = (size_t)src->ycols;
    for (int i = 0; i < count; i++) {
        size_t r = (size_t)(idx ? idx[i] : i);
        if (src->x8)
            memcpy(t.x8 + (size_t)i * d, src->x8 + r * d, d);
        else
            memcpy(t.x + (size_t)i * d, src->x + r * d, d * sizeof(float));
        if (yc)
            memcpy(t.y + (size_t)i * yc, src->y + r * yc, yc * sizeof(float));
        if (src->sw)
            t.sw[i] = src->sw[r];
    }
    *dst = t;
    return NN_OK;
}

int nn_dataset_copy(nn_dataset *dst, const nn_dataset *src, nn_err *e)
{
    return nn_dataset_take(dst, src, NULL, src->n, e);
}

void nn_dataset_view(nn_dataset *view, const nn_dataset *src, int from,
                     int count)
{
    /* Clamped to the rows that exist: a view never points past src. */
    if (from < 0)
        from = 0;
    if (from > src->n)
        from = src->n;
    if (count < 0)
        count = 0;
    if (count > src->n - from)
        count = src->n - from;
    *view = *src;
    view->n = count;
    view->x = src->x ? src->x + (size_t)from * (size_t)src->d : NULL;
    view->x8 = src->x8 ? src->x8 + (size_t)from * (size_t)src->d : NULL;
    view->y = src->y ? src->y + (size_t)from * (size_t)src->ycols : NULL;
    view->sw = src->sw ? src->sw + from : NULL;
    view->owns = 0;
}

void nn_dataset_class_counts(const nn_dataset *ds, int *counts)
{
    for (int c = 0; c < ds->nclasses; c++)
        counts[c] = 0;
    if (!ds->y || ds->ycols < 1)
        return;
    for (int i = 0; i < ds->n; i++) {
        float v = ds->y[(size_t)i * (size_t)ds->ycols];
        if (v >= 0 && v < (float)ds->nclasses)
            counts[(int)v]++;
    }
}

/* The split rule (scikit-learn's train_test_split where it can be):
 *   plain: n_test = ceil(test_fraction * n) (scikit-learn's rounding), the
 *     first n - n_test rows of a seeded permutation go to train, the rest
 *     to test;
 *   stratified: per class c with n_c rows, test_c = round(test_fraction *
 *     n_c) (halves up), so each class keeps its proportion in both parts;
 *     the totals may differ by a row or two from the plain rule.  The rows
 *     of each class are again taken in the order of one seeded permutation
 *     of all rows, so train and test come out shuffled, not grouped by
 *     class (fit's validation_split takes the last rows unshuffled).
 * Both parts must get at least one row. */
int nn_dataset_split(const nn_dataset *src, double test_fraction, int stratify,
                     nn_rng *r, nn_dataset *train, nn_dataset *test, nn_err *e)
{
    memset(train, 0, sizeof *train);
    memset(test, 0, sizeof *test);
    if (!(test_fraction > 0.0 && test_fraction < 1.0))
        return nn_fail(e, "test fraction must be between 0 and 1 (exclusive), "
                          "got %g (e.g. 0.2 keeps 80%% for training)", test_fraction);
    int n = src->n;
    if (n < 2)
        return nn_fail(e, "cannot split %d sample(s): need at least 2", n);
    /* on the first classification target */
    int sc = nn_dataset_class_target(src);
    int strat = stratify && sc >= 0 && src->y;
    int nc = strat ? nn_dataset_target_classes(src, sc, NULL) : 0;
    size_t yc = (size_t)src->ycols;
    if (strat)
        for (int i = 0; i < n; i++) {
            float v = src->y[(size_t)i * yc + (size_t)sc];
            if (!(v >= 0 && v < (float)nc) || v != floorf(v))
                return nn_fail(e, "row %d has label %g, not a class index in "
                                  "0..%d; cannot stratify", i, v, nc - 1);
        }

    int *perm = nn_calloc((size_t)n, sizeof *perm, e);
    int *quota = NULL;
    int *tr = NULL, *te = NULL;
    int ntr = 0, nte = 0, rc = NN_FAIL;
    if (!perm)
        return NN_FAIL;
    for (int i = 0; i < n; i++)
        perm[i] = i;
    nn_rng_shuffle(r, perm, n);
    tr = nn_calloc((size_t)n, sizeof *tr, e);
    te = nn_calloc((size_t)n, sizeof *te, e);
    if (!tr || !te)
        goto out;

    if (!strat) {
        /* ceil with a little slack so 0.2 * 150 (= 30.000000000000004) is 30 */
        int nt = (int)ceil(test_fraction * n - 1e-9);
        for (int i = 0; i < n; i++) {
            if (i < n - nt)
                tr[ntr++] = perm[i];
            else
                te[nte++] = perm[i];
        }
    } else {
        /* quota[c] = rows of class c still to put in train */
        quota = nn_calloc((size_t)nc, sizeof *quota, e);
        if (!quota)
            goto out;
        for (int i = 0; i < n; i++)
            quota[(int)src->y[(size_t)i * yc + (size_t)sc]]++;
        for (int c = 0; c < nc; c++)
            quota[c] -= (int)floor(test_fraction * quota[c] + 0.5);
        for (int i = 0; i < n; i++) {
            int c = (int)src->y[(size_t)perm[i] * yc + (size_t)sc];
            if (quota[c] > 0) {
                quota[c]--;
                tr[ntr++] = perm[i];
            } else
                te[nte++] = perm[i];
        }
    }
    if (ntr == 0 || nte == 0) {
        nn_fail(e, "a test fraction of %g leaves %s empty (%d samples); "
                   "choose a fraction nearer 0.5", test_fraction,
                ntr == 0 ? "the training set" : "the test set", n);
        goto out;
    }
    if (nn_dataset_take(train, src, tr, ntr, e) != NN_OK)
        goto out;
    if (nn_dataset_take(test, src, te, nte, e) != NN_OK) {
        nn_dataset_free(train);
        goto out;
    }
    rc = NN_OK;
out:
    free(perm);
    free(quota);
    free(tr);
    free(te);
    return rc;
}

/* StandardScaler: a = mean, b = population std (ddof 0); MinMaxScaler:
 * a = min, b = max - min.  A scale under 10 float epsilons becomes 1, as
 * scikit-learn's _handle_zeros_in_scale does, so a constant column maps
 * to 0 instead of dividing by zero.  Sums in double. */
int nn_scaler_fit(nn_scaler *s, nn_scale_kind kind, const nn_dataset *ds,
                  nn_err *e)
{
    memset(s, 0, sizeof *s);
    if (kind != NN_SCALE_STANDARD && kind != NN_SCALE_MINMAX)
        return nn_fail(e, "unknown scaler kind %d (standard or minmax)", (int)kind);
    if (ds->n < 1 || ds->d < 1 || (!ds->x && !ds->x8))
        return nn_fail(e, "cannot fit a scaler on an empty data set");
    int n = ds->n, d = ds->d;
    float *a = nn_calloc((size_t)d, sizeof *a, e);
    float *b = a ? nn_calloc((size_t)d, sizeof *b, e) : NULL;
    if (!b) {
        free(a);
        return NN_FAIL;
    }
    for (int j = 0; j < d; j++) {
        double lo, hi;
        if (kind == NN_SCALE_STANDARD) {
            double sum = 0, ss = 0;
            for (int i = 0; i < n; i++)
                sum += nn_dataset_at(ds, (size_t)i * (size_t)d + (size_t)j);
            lo = sum / n;
            for (int i = 0; i < n; i++) {
                double t = nn_dataset_at(ds, (size_t)i * (size_t)d + (size_t)j) - lo;
                ss += t * t;
            }
            hi = sqrt(ss / n);
        } else {
            double mn = nn_dataset_at(ds, (size_t)j), mx = mn;
            for (int i = 1; i < n; i++) {
                double v = nn_dataset_at(ds, (size_t)i * (size_t)d + (size_t)j);
                if (v < mn)
                    mn = v;
                if (v > mx)
                    mx = v;
            }
            lo = mn;
            hi = mx - mn;
        }
        a[j] = (float)lo;
        b[j] = hi < 10.0 * FLT_EPSILON ? 1.0f : (float)hi;
    }
    s->kind = kind;
    s->d = d;
    s->a = a;
    s->b = b;
    return NN_OK;
}

/* x = (x - a) / b per column; a scaler fitted on a different d does
 * nothing (the caller checks d before). */
void nn_scaler_apply(const nn_scaler *s, nn_dataset *ds)
{
    if (!s->a || !s->b || s->d != ds->d || !ds->x)
        return;
    size_t d = (size_t)s->d;
    for (int i = 0; i < ds->n; i++) {
        float *row = ds->x + (size_t)i * d;
        for (size_t j = 0; j < d; j++)
            row[j] = (row[j] - s->a[j]) / s->b[j];
    }
}

void nn_scaler_free(nn_scaler *s)
{
    if (!s)
        return;
    free(s->a);
    free(s->b);
    memset(s, 0, sizeof *s);
}

/* ---- targets and sample weights ---- */

int nn_dataset_ntargets(const nn_dataset *ds)
{
    return ds->targets ? ds->ycols : 1;
}

const char *nn_dataset_target_name(const nn_dataset *ds, int k)
{
    return ds->targets && k >= 0 && k < ds->ycols ? ds->targets[k].name : "";
}

int nn_dataset_target_classes(const nn_dataset *ds, int k, char *const **names)
{
    if (names)
        *names = NULL;
    if (k == 0) {
        if (names)
            *names = ds->class_names;
        return ds->nclasses;
    }
    if (!ds->targets || k < 0 || k >= ds->ycols)
        return 0;
    if (names)
        *names = ds->targets[k].class_names;
    return ds->targets[k].nclasses;
}

int nn_dataset_target_onehot(const nn_dataset *ds, int k)
{
    return ds->targets && k >= 0 && k < ds->ycols && ds->targets[k].onehot;
}

int nn_dataset_find_target(const nn_dataset *ds, const char *name)
{
    for (int k = 0; ds->targets && k < ds->ycols; k++)
        if (strcmp(ds->targets[k].name, name) == 0)
            return k;
    return -1;
}

int nn_dataset_class_target(const nn_dataset *ds)
{
    for (int k = 0; k < nn_dataset_ntargets(ds); k++)
        if (nn_dataset_target_classes(ds, k, NULL) > 0)
            return k;
    return -1;
}

/* The targets array of an owning set, made when missing. */
static int need_targets(nn_dataset *ds, nn_err *e)
{
    if (!ds->owns)
        return nn_fail(e, "cannot change the targets of a view; copy it first");
    if (ds->ycols < 1 || ds->ycols > NN_MAXTARGETS)
        return nn_fail(e, "a set of %d target columns cannot name them "
                          "(1 to %d)", ds->ycols, NN_MAXTARGETS);
    if (!ds->targets) {
        ds->targets = nn_calloc((size_t)ds->ycols, sizeof *ds->targets, e);
        if (!ds->targets)
            return NN_FAIL;
    }
    return NN_OK;
}

int nn_dataset_set_target_names(nn_dataset *ds, const char *const *names,
                                nn_err *e)
{
    if (need_targets(ds, e) != NN_OK)
        return NN_FAIL;
    for (int k = 0; k < ds->ycols; k++) {
        snprintf(ds->targets[k].name, sizeof ds->targets[k].name, "%s",
                 names[k] ? names[k] : "");
        for (char *c = ds->targets[k].name; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                *c = '?';
    }
    return NN_OK;
}

int nn_dataset_set_target_classes(nn_dataset *ds, int k, int nclasses,
                                  const char *const *names, nn_err *e)
{
    if (k == 0)
        return nn_dataset_set_classes(ds, nclasses, names, e);
    if (need_targets(ds, e) != NN_OK)
        return NN_FAIL;
    if (k < 0 || k >= ds->ycols || nclasses < 0)
        return nn_fail(e, "no target %d of %d", k, ds->ycols);
    char **p;
    if (copy_names(&p, names, nclasses, e) != NN_OK)
        return NN_FAIL;
    free_names(ds->targets[k].class_names, ds->targets[k].nclasses);
    ds->targets[k].class_names = p;
    ds->targets[k].nclasses = nclasses;
    return NN_OK;
}

int nn_dataset_to_categorical(nn_dataset *ds, int k, nn_err *e)
{
    if (k < 0 || k >= nn_dataset_ntargets(ds))
        return nn_fail(e, "no target %d", k);
    const char *name = nn_dataset_target_name(ds, k);
    if (nn_dataset_target_classes(ds, k, NULL) < 2)
        return nn_fail(e, "target '%s' is a regression target: only class "
                          "labels become one-hot", *name ? name : "y");
    if (nn_dataset_target_onehot(ds, k))
        return nn_fail(e, "target '%s' is one-hot already", *name ? name : "y");
    if (need_targets(ds, e) != NN_OK)
        return NN_FAIL;
    ds->targets[k].onehot = 1;
    return NN_OK;
}

int nn_dataset_set_weights(nn_dataset *ds, const float *w, nn_err *e)
{
    if (!ds->owns)
        return nn_fail(e, "cannot set the weights of a view; copy it first");
    if (!w) {
        free(ds->sw);
        ds->sw = NULL;
        return NN_OK;
    }
    for (int i = 0; i < ds->n; i++)
        if (!isfinite(w[i]) || !(w[i] >= 0))
            return nn_fail(e, "sample weight %g of row %d is not a finite "
                              "number >= 0", (double)w[i], i + 1);
    float *p = nn_calloc((size_t)ds->n, sizeof *p, e);
    if (!p)
        return NN_FAIL;
    memcpy(p, w, (size_t)ds->n * sizeof *p);
    free(ds->sw);
    ds->sw = p;
    return NN_OK;
}
