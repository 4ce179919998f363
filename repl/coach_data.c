/* coach_data.c - the coach's data checks, run by fit before training:
 * a validation_split that leaves a class out (the data looks sorted), and
 * features on very different scales with no `scale`.  They read the data
 * only. */
#include <math.h>
#include <stdlib.h>
#include "coach.h"

#define EXPECT_MIN 5.0    /* samples of a class a random part would hold */
#define SCALE_RATIO 100.0 /* largest / smallest feature std */

/* The name of class c for a message: its name, or its number. */
static const char *class_label(const nn_dataset *ds, int c, char *buf, size_t len)
{
    if (ds->class_names && ds->class_names[c])
        return ds->class_names[c];
    snprintf(buf, len, "%d", c);
    return buf;
}

/* validation_split takes rows [at, n) before shuffling (fit.h): a class
 * that a random part of that size would hold EXPECT_MIN times or more but
 * that is missing from one part.  Class labels, one column. */
static void check_sorted_split(repl_session *s, double vs)
{
    const nn_dataset *ds = &s->train;
    if (vs <= 0 || ds->nclasses < 2 || ds->ycols != 1 || ds->nclasses > 100000 ||
        !repl_warn_due(s, REPL_W_SORTED_SPLIT))
        return;
    int n = ds->n, at = (int)floor(n * (1.0 - vs));
    if (at <= 0 || at >= n)
        return;
    int k = ds->nclasses;
    int *cnt = calloc((size_t)k * 2, sizeof *cnt);   /* train part, valid part */
    if (!cnt)
        return;
    for (int i = 0; i < n; i++) {
        float y = ds->y[i];
        if (y >= 0 && y < k)   /* a NaN label is never cast */
            cnt[(i >= at) * k + (int)y]++;
    }
    int missing = -1, where = 0, present = 0;
    for (int c = 0; c < k; c++) {
        int all = cnt[c] + cnt[k + c];
        present += cnt[k + c] > 0;
        if (missing < 0 && cnt[k + c] == 0 && all * (double)(n - at) / n >= EXPECT_MIN)
            missing = c, where = 1;
        else if (missing < 0 && cnt[c] == 0 && all * (double)at / n >= EXPECT_MIN)
            missing = c, where = 0;
    }
    if (missing >= 0) {
        char b[32], b2[32];
        int only = -1;
        for (int c = 0; c < k && present == 1; c++)
            if (cnt[k + c] > 0)
                only = c;
        if (only >= 0)
            repl_warn(s, REPL_W_SORTED_SPLIT, "fit",
                      "validation_split=%g takes the last %d samples (before "
                      "shuffling), and they are all of class %s: the data looks "
                      "sorted; shuffle the file, or split valid_size=%g and "
                      "fit without validation_split", vs, n - at,
                      class_label(ds, only, b, sizeof b), vs);
        else
            repl_warn(s, REPL_W_SORTED_SPLIT, "fit",
                      "validation_split=%g takes the last %d samples (before "
                      "shuffling), and class %s is %s them: the data looks "
                      "sorted; shuffle the file, or split valid_size=%g and "
                      "fit without validation_split", vs, n - at,
                      class_label(ds, missing, b2, sizeof b2),
                      where ? "missing from" : "only in", vs);
    }
    free(cnt);
}

/* Population std of each feature of ds (one pass, in double: the sums
 * of x and x^2 per column); the largest and smallest above 0.  1 when
 * it warned. */
static int check_scales(repl_session *s)
{
    const nn_dataset *ds = &s->train;
    if (s->scaled || ds->ndim != 1 || ds->d < 2 || ds->n < 2 || !ds->x ||
        !repl_warn_due(s, REPL_W_FEATURE_SCALES))
        return 0;
    int d = ds->d;
    double *sum = calloc((size_t)d * 2, sizeof *sum);
    if (!sum)
        return 0;
    double *sq = sum + d;
    /* shifted by the first row, so a large mean does not eat the digits */
    const float *x0 = ds->x;
    for (int i = 0; i < ds->n; i++) {
        const float *x = ds->x + (size_t)i * d;
        for (int j = 0; j < d; j++) {
            double v = (double)x[j] - x0[j];
            sum[j] += v;
            sq[j] += v * v;
        }
    }
    int jmax = -1, jmin = -1;
    double smax = 0, smin = 0;
    for (int j = 0; j < d; j++) {
        double m = sum[j] / ds->n, var = sq[j] / ds->n - m * m;
        double sd = var > 0 ? sqrt(var) : 0;
        if (!(sd > 1e-12) || !isfinite(sd))
            continue;
        if (jmax < 0 || sd > smax)
            jmax = j, smax = sd;
        if (jmin < 0 || sd < smin)
            jmin = j, smin = sd;
    }
    free(sum);
    if (jmax < 0 || jmax == jmin || smax <= SCALE_RATIO * smin)
        return 0;
    char a[64], b[64];
    if (ds->feature_names) {
        snprintf(a, sizeof a, "'%s'", ds->feature_names[jmax]);
        snprintf(b, sizeof b, "'%s'", ds->feature_names[jmin]);
    } else {
        snprintf(a, sizeof a, "feature %d", jmax);
        snprintf(b, sizeof b, "feature %d", jmin);
    }
    repl_warn(s, REPL_W_FEATURE_SCALES, "fit",
              "the features are on very different scales (std of %s %.3g, of "
              "%s %.3g: %.0f times), and gradient descent takes one learning "
              "rate for all; scale standard first (after split)", a, smax, b,
              smin, smax / smin);
    return 1;
}

int repl_coach_fit_data(repl_session *s, double vs)
{
    check_sorted_split(s, vs);
    return check_scales(s);
}
