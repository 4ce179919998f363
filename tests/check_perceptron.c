/* check_perceptron.c - scikit-learn's Perceptron: updates traced by hand
 * (shuffle off, so the order of updates is scikit-learn's), penalties,
 * the stopping rule, one-vs-rest, prediction, and refused options.  The
 * data sets are built by hand over static or local arrays (owns = 0). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_util.h"
#include "perceptron.h"

static nn_dataset make_ds(float *x, float *y, int n, int d, int nclasses)
{
    nn_dataset ds;
    memset(&ds, 0, sizeof ds);
    snprintf(ds.name, sizeof ds.name, "test");
    ds.n = n;
    ds.d = d;
    ds.ndim = 1;
    ds.shape[0] = d;
    ds.x = x;
    ds.ycols = 1;
    ds.y = y;
    ds.nclasses = nclasses;
    ds.owns = 0;
    return ds;
}

/* Options for a hand trace: no shuffle, eta0 1, 2 epochs, no tolerance. */
static nn_perceptron_opts trace_opts(void)
{
    nn_perceptron_opts o;
    nn_perceptron_defaults(&o);
    o.shuffle = 0;
    o.eta0 = 1.0;
    o.max_iter = 2;
    o.tol = -1;
    return o;
}

/* The traced data: 4 samples, 2 features; class 1 is +1, class 0 is -1. */
static float trace_x[] = { 2, 1,   1, 3,   -1, -2,   3, -1 };
static float trace_y[] = { 1, 0, 0, 1 };

/* Each case below was traced by hand from the update rule
 *   p = w.x + b; if y p <= 0: w += y x, b += y   (eta0 = 1)
 * with the penalty applied per sample as scikit-learn's _plain_sgd does:
 * l2 scales w by (1 - (1 - l1_ratio) alpha) before the step; l1 adds
 * l1_ratio alpha to u after it and truncates each w[j] towards 0 by
 * u + q[j] (w > 0) or u - q[j] (w < 0), q[j] += the change. */
static const struct {
    const char *name;
    nn_penalty penalty;
    double alpha, l1_ratio;
    int fit_intercept;
    double w0, w1, b;
} trace_cases[] = {
    /* none:
     * epoch 1  s1 p=0          -> w=(2,1)  b=1
     *          s2 p=2+3+1=6    -> w=(1,-2) b=0
     *          s3 p=-1+4+0=3   -> w=(2,0)  b=-1
     *          s4 p=6+0-1=5    ok
     * epoch 2  s1 p=4-1=3      ok
     *          s2 p=2+0-1=1    -> w=(1,-3) b=-2
     *          s3 p=-1+6-2=3   -> w=(2,-1) b=-3
     *          s4 p=6+1-3=4    ok                       w=(2,-1) b=-3 */
    { "none", NN_PEN_NONE, 1e-4, 0.15, 1, 2.0, -1.0, -3.0 },
    /* l2, alpha 0.5: scale 0.5 before each step
     * epoch 1  s1 p=0      w=0.5*(0,0)+(2,1)=(2,1)            b=1
     *          s2 p=6      w=(1,0.5)-(1,3)=(0,-2.5)           b=0
     *          s3 p=5      w=(0,-1.25)-(-1,-2)=(1,0.75)       b=-1
     *          s4 p=3-0.75-1=1.25 ok  w=(0.5,0.375)
     * epoch 2  s1 p=1+0.375-1=0.375 ok  w=(0.25,0.1875)
     *          s2 p=0.25+0.5625-1=-0.1875 ok  w=(0.125,0.09375)
     *          s3 p=-0.125-0.1875-1=-1.3125 ok  w=(0.0625,0.046875)
     *          s4 p=0.1875-0.046875-1=-0.859375
     *                 -> w=(0.03125,0.0234375)+(3,-1)=(3.03125,-0.9765625) b=0 */
    { "l2", NN_PEN_L2, 0.5, 0.15, 1, 3.03125, -0.9765625, 0.0 },
    /* l1, alpha 0.25: u grows by 0.25 per sample
     * epoch 1  s1 p=0  w=(2,1) b=1; u=.25: w=(1.75,.75) q=(-.25,-.25)
     *          s2 p=1.75+2.25+1=5  w=(.75,-2.25) b=0; u=.5:
     *             w0=max(0,.75-(.5-.25))=.5, w1=min(0,-2.25+(.5+.25))=-1.5
     *             q=(-.5,.5)
     *          s3 p=-.5+3+0=2.5  w=(1.5,.5) b=-1; u=.75:
     *             w0=max(0,1.5-(.75-.5))=1.25, w1=max(0,.5-(.75+.5))=0
     *             q=(-.75,0)
     *          s4 p=3.75-1=2.75 ok; u=1: w0=max(0,1.25-(1-.75))=1, q0=-1
     * epoch 2  s1 p=2-1=1 ok;      u=1.25: w0=.75, q0=-1.25
     *          s2 p=.75-1=-.25 ok;  u=1.5:  w0=.5,  q0=-1.5
     *          s3 p=-.5-1=-1.5 ok;  u=1.75: w0=.25, q0=-1.75
     *          s4 p=.75-1=-.25  -> w=(3.25,-1) b=0; u=2:
     *             w0=max(0,3.25-(2-1.75))=3, w1=min(0,-1+(2-0))=0
     *                                                      w=(3,0) b=0 */
    { "l1", NN_PEN_L1, 0.25, 0.15, 1, 3.0, 0.0, 0.0 },
    /* elasticnet, alpha 0.5, l1_ratio 0.5: scale 1-0.25=0.75, u += 0.25
     * (traced in the same way; 16 steps)                 w=(2.69354248046875,
     *                                                       -0.69921875) b=0 */
    { "elasticnet", NN_PEN_ELASTICNET, 0.5, 0.5, 1, 2.69354248046875, -0.69921875, 0.0 },
    /* fit_intercept 0:
     * epoch 1  s1 p=0 -> w=(2,1); s2 p=5 -> (1,-2); s3 p=3 -> (2,0); s4 ok
     * epoch 2  s1 p=4 ok; s2 p=2 -> (1,-3); s3 p=5 -> (2,-1); s4 ok */
    { "no intercept", NN_PEN_NONE, 1e-4, 0.15, 0, 2.0, -1.0, 0.0 },
};

START_TEST(test_hand_trace)
{
    nn_dataset ds = make_ds(trace_x, trace_y, 4, 2, 2);
    nn_perceptron_opts o = trace_opts();
    o.penalty = trace_cases[_i].penalty;
    o.alpha = trace_cases[_i].alpha;
    o.l1_ratio = trace_cases[_i].l1_ratio;
    o.fit_intercept = trace_cases[_i].fit_intercept;
    nn_perceptron p = {0};
    nn_err e = {{0}};
    ck_assert_msg(nn_perceptron_fit(&p, &ds, &o, NULL, &e) == NN_OK, "%s: %s",
                  trace_cases[_i].name, e.msg);
    ck_assert_msg(p.d == 2 && p.nclasses == 2 && p.nw == 1, "%s: shape d %d "
                  "nclasses %d nw %d", trace_cases[_i].name, p.d, p.nclasses, p.nw);
    ck_assert_msg(p.n_iter == 2, "%s: n_iter %d, want 2", trace_cases[_i].name, p.n_iter);
    double got[3] = { p.w[0], p.w[1], p.b[0] };
    double want[3] = { trace_cases[_i].w0, trace_cases[_i].w1, trace_cases[_i].b };
    static const char *const what[3] = { "w[0]", "w[1]", "b" };
    for (int k = 0; k < 3; k++)
        ck_assert_msg(fabs(got[k] - want[k]) <= 1e-6,
                      "%s: %s = %.9g, want %.9g", trace_cases[_i].name, what[k],
                      got[k], want[k]);
    nn_perceptron_free(&p);
}
END_TEST

/* The stopping rule on the traced data (none, shuffle 0, tol 1e-3,
 * n_iter_no_change 5): epoch losses 9, 4, 2, 0, 0, 0, 0, 0, 0.  Epoch 4
 * improves on 2; epochs 5..9 have 0 > 0 - 0.004, so the count reaches 5
 * at epoch 9: n_iter 9, w = (4, -1), b = -4.  With tol 0 an epoch of
 * loss 0 is not "worse than best - 0", so it runs to max_iter. */
START_TEST(test_tolerance_stop)
{
    nn_dataset ds = make_ds(trace_x, trace_y, 4, 2, 2);
    nn_perceptron_opts o = trace_opts();
    o.max_iter = 1000;
    o.tol = 1e-3;
    nn_perceptron p = {0};
    nn_err e = {{0}};
    ck_assert_msg(nn_perceptron_fit(&p, &ds, &o, NULL, &e) == NN_OK, "%s", e.msg);
    ck_assert_msg(p.n_iter == 9, "tol 1e-3: n_iter %d, want 9", p.n_iter);
    ck_assert_msg(p.w[0] == 4.0f && p.w[1] == -1.0f && p.b[0] == -4.0f,
                  "tol 1e-3: w (%g, %g) b %g, want (4, -1) -4", (double)p.w[0],
                  (double)p.w[1], (double)p.b[0]);
    nn_perceptron_free(&p);

    o.tol = 0.0;
    o.max_iter = 50;
    ck_assert_msg(nn_perceptron_fit(&p, &ds, &o, NULL, &e) == NN_OK, "%s", e.msg);
    ck_assert_msg(p.n_iter == 50, "tol 0: n_iter %d, want 50", p.n_iter);
    nn_perceptron_free(&p);

    o.tol = 1e-3;
    o.n_iter_no_change = 1;    /* stops at the first epoch of no gain: 5 */
    ck_assert_msg(nn_perceptron_fit(&p, &ds, &o, NULL, &e) == NN_OK, "%s", e.msg);
    ck_assert_msg(p.n_iter == 5, "n_iter_no_change 1: n_iter %d, want 5", p.n_iter);
    nn_perceptron_free(&p);
}
END_TEST

/* l2 shrinks: two samples (1,1) +1 and (-1,-1) -1, no intercept.  The
 * first sample gives w = (1,1); after that no sample is misclassified.
 * Without a penalty w stays (1,1); with l2 alpha 0.1 every later sample
 * scales it by 0.9: after 5 epochs (10 samples) w = 0.9^9 (1,1). */
START_TEST(test_l2_shrinks)
{
    static float x[] = { 1, 1, -1, -1 }, y[] = { 1, 0 };
    nn_dataset ds = make_ds(x, y, 2, 2, 2);
    nn_perceptron_opts o = trace_opts();
    o.max_iter = 5;
    o.fit_intercept = 0;
    nn_perceptron p0 = {0}, p2 = {0};
    nn_err e = {{0}};
    ck_assert_int_eq(nn_perceptron_fit(&p0, &ds, &o, NULL, &e), NN_OK);
    o.penalty = NN_PEN_L2;
    o.alpha = 0.1;
    ck_assert_int_eq(nn_perceptron_fit(&p2, &ds, &o, NULL, &e), NN_OK);
    double shrunk = pow(0.9, 9);
    for (int j = 0; j < 2; j++) {
        ck_assert_msg(p0.w[j] == 1.0f, "none: w[%d] = %g, want 1", j, (double)p0.w[j]);
        ck_assert_msg(fabs(p2.w[j] - shrunk) < 1e-6, "l2: w[%d] = %.9g, want 0.9^9 = %.9g",
                      j, (double)p2.w[j], shrunk);
    }
    ck_assert_msg(nn_perceptron_score(&p2, &ds) == 1.0, "l2 model misclassifies");
    nn_perceptron_free(&p0);
    nn_perceptron_free(&p2);
}
END_TEST

/* n points in [-1, 1]^2 labelled by x1 + 2 x2 > 0.3, none closer than
 * 0.05 to the line. */
static void separable(nn_rng *r, float *x, float *y, int n)
{
    for (int i = 0; i < n;) {
        double a = nn_rng_range(r, -1, 1), b = nn_rng_range(r, -1, 1);
        double s = (a + 2 * b - 0.3) / sqrt(5.0);
        if (fabs(s) < 0.05)
            continue;
        x[2 * i] = (float)a;
        x[2 * i + 1] = (float)b;
        y[i] = s > 0 ? 1.0f : 0.0f;
        i++;
    }
}

START_TEST(test_separable_converges)
{
    enum { N = 200 };
    float x[2 * N], y[N];
    nn_rng r;
    nn_rng_seed(&r, 42 + (uint64_t)_i);
    separable(&r, x, y, N);
    nn_dataset ds = make_ds(x, y, N, 2, 2);
    nn_perceptron_opts o;
    nn_perceptron_defaults(&o);
    o.shuffle = _i != 0;       /* case 0: in order; others shuffled */
    nn_perceptron p = {0};
    nn_err e = {{0}};
    ck_assert_msg(nn_perceptron_fit(&p, &ds, &o, &r, &e) == NN_OK, "seed %d: %s",
                  _i, e.msg);
    double acc = nn_perceptron_score(&p, &ds);
    ck_assert_msg(acc == 1.0, "seed %d shuffle %d: accuracy %.3f after %d epochs",
                  _i, o.shuffle, acc, p.n_iter);
    ck_assert_msg(p.n_iter < o.max_iter, "seed %d: did not stop (n_iter %d)", _i,
                  p.n_iter);
    nn_perceptron_free(&p);
}
END_TEST

/* XOR: no line gets more than 3 of the 4 points right. */
START_TEST(test_xor_not_learnable)
{
    static float x[] = { 0, 0, 0, 1, 1, 0, 1, 1 }, y[] = { 0, 1, 1, 0 };
    nn_dataset ds = make_ds(x, y, 4, 2, 2);
    nn_perceptron_opts o;
    nn_perceptron_defaults(&o);
    o.shuffle = _i % 2;
    o.tol = _i < 2 ? 1e-3 : -1;
    o.max_iter = 200;
    nn_rng r;
    nn_rng_seed(&r, 7 + (uint64_t)_i);
    nn_perceptron p = {0};
    nn_err e = {{0}};
    ck_assert_msg(nn_perceptron_fit(&p, &ds, &o, &r, &e) == NN_OK, "case %d: %s", _i, e.msg);
    double acc = nn_perceptron_score(&p, &ds);
    ck_assert_msg(acc <= 0.75, "case %d: XOR accuracy %.2f > 0.75", _i, acc);
    if (o.tol < 0)
        ck_assert_msg(p.n_iter == 200, "case %d: n_iter %d, want max_iter 200", _i,
                      p.n_iter);
    nn_perceptron_free(&p);
}
END_TEST

/* Three Gaussian clusters in 4-D (an iris-like set), one-vs-rest. */
START_TEST(test_three_classes)
{
    enum { PER = 50, N = 3 * PER, D = 4 };
    static const double centre[3][D] = {
        { 5.0, 3.4, 1.5, 0.2 }, { 5.9, 2.2, 4.3, 1.3 }, { 6.6, 3.6, 5.6, 2.0 },
    };
    float x[N * D], y[N];
    nn_rng r;
    nn_rng_seed(&r, 2024);
    for (int i = 0; i < N; i++) {
        int c = i % 3;
        for (int j = 0; j < D; j++)
            x[i * D + j] = (float)(centre[c][j] + 0.15 * nn_rng_normal(&r));
        y[i] = (float)c;
    }
    nn_dataset ds = make_ds(x, y, N, D, 3);
    nn_perceptron_opts o;
    nn_perceptron_defaults(&o);
    nn_perceptron p = {0};
    nn_err e = {{0}};
    ck_assert_msg(nn_perceptron_fit(&p, &ds, &o, &r, &e) == NN_OK, "%s", e.msg);
    ck_assert_msg(p.nw == 3 && p.nclasses == 3, "nw %d nclasses %d, want 3, 3", p.nw,
                  p.nclasses);
    ck_assert_msg(p.n_iter >= 1 && p.n_iter <= o.max_iter, "n_iter %d", p.n_iter);
    double acc = nn_perceptron_score(&p, &ds);
    ck_assert_msg(acc >= 0.95, "three clusters: accuracy %.3f, want >= 0.95", acc);
    /* each class predicted somewhere */
    int pred[N], seen[3] = { 0, 0, 0 };
    nn_perceptron_predict(&p, x, N, pred);
    for (int i = 0; i < N; i++) {
        ck_assert_msg(pred[i] >= 0 && pred[i] < 3, "prediction %d out of range", pred[i]);
        seen[pred[i]] = 1;
    }
    ck_assert_msg(seen[0] && seen[1] && seen[2], "a class is never predicted");
    nn_perceptron_free(&p);
}
END_TEST

/* Same seed, same model; the rng is what shuffling draws from. */
START_TEST(test_shuffle_reproducible)
{
    enum { N = 100 };
    float x[2 * N], y[N];
    nn_rng r;
    nn_rng_seed(&r, 5);
    separable(&r, x, y, N);
    for (int i = 0; i < 10; i++)      /* some noise: keep updating */
        y[i * 7] = 1.0f - y[i * 7];
    nn_dataset ds = make_ds(x, y, N, 2, 2);
    nn_perceptron_opts o;
    nn_perceptron_defaults(&o);
    o.max_iter = 20;
    o.tol = -1;
    nn_perceptron a = {0}, b = {0}, c = {0};
    nn_err e = {{0}};
    nn_rng_seed(&r, 99);
    ck_assert_int_eq(nn_perceptron_fit(&a, &ds, &o, &r, &e), NN_OK);
    nn_rng_seed(&r, 99);
    ck_assert_int_eq(nn_perceptron_fit(&b, &ds, &o, &r, &e), NN_OK);
    nn_rng_seed(&r, 100);
    ck_assert_int_eq(nn_perceptron_fit(&c, &ds, &o, &r, &e), NN_OK);
    ck_assert_msg(a.w[0] == b.w[0] && a.w[1] == b.w[1] && a.b[0] == b.b[0],
                  "same seed, different weights");
    ck_assert_msg(a.w[0] != c.w[0] || a.w[1] != c.w[1] || a.b[0] != c.b[0],
                  "different seeds, same weights: shuffling has no effect");
    nn_perceptron_free(&a);
    nn_perceptron_free(&b);
    nn_perceptron_free(&c);
}
END_TEST

/* predict: score > 0 is class 1 (0 is class 0, as scikit-learn's
 * (scores > 0)); several classes: the first largest score. */
START_TEST(test_predict_rules)
{
    float w1[] = { 1, -1 }, b1[] = { 0 };
    nn_perceptron p = { 2, 2, 1, w1, b1, 1 };
    float x[] = { 1, 1, 2, 1, 0, 1 };
    int out[3];
    nn_perceptron_predict(&p, x, 3, out);
    ck_assert_msg(out[0] == 0 && out[1] == 1 && out[2] == 0,
                  "binary: got %d %d %d, want 0 1 0", out[0], out[1], out[2]);

    /* 3 classes, w rows (1,1), (1,0), (-1,0), b (0,2,0); scores w.x + b:
     * x = (1, 2): (3, 3, -1), a tie -> 0;  x = (0, 1): (1, 2, 0) -> 1;
     * x = (2, 0): (2, 4, -2) -> 1;  x = (-4, 0): (-4, -2, 4) -> 2 */
    float w3[] = { 1, 1, 1, 0, -1, 0 }, b3[] = { 0, 2, 0 };
    nn_perceptron q = { 2, 3, 3, w3, b3, 1 };
    float x3[] = { 1, 2, 0, 1, 2, 0, -4, 0 };
    int out3[4];
    nn_perceptron_predict(&q, x3, 4, out3);
    ck_assert_msg(out3[0] == 0 && out3[1] == 1 && out3[2] == 1 && out3[3] == 2,
                  "three classes: got %d %d %d %d, want 0 1 1 2", out3[0], out3[1],
                  out3[2], out3[3]);
    float y3[] = { 0, 1, 0, 2 };   /* the third is wrong */
    nn_dataset ds = make_ds(x3, y3, 4, 2, 3);
    ck_assert_msg(nn_perceptron_score(&q, &ds) == 0.75, "score %g, want 0.75",
                  nn_perceptron_score(&q, &ds));
}
END_TEST

START_TEST(test_defaults)
{
    nn_perceptron_opts o;
    memset(&o, 0x5a, sizeof o);
    nn_perceptron_defaults(&o);
    ck_assert_msg(o.eta0 == 1.0 && o.max_iter == 1000 && o.tol == 1e-3 &&
                  o.penalty == NN_PEN_NONE && o.alpha == 1e-4 && o.l1_ratio == 0.15 &&
                  o.shuffle == 1 && o.fit_intercept == 1 && o.n_iter_no_change == 5,
                  "defaults differ from sklearn.linear_model.Perceptron()");
    static const char *const names[] = { "none", "l2", "l1", "elasticnet" };
    for (int i = 0; i < 4; i++)
        ck_assert_msg(nn_penalty_names[i] && strcmp(nn_penalty_names[i], names[i]) == 0,
                      "nn_penalty_names[%d] = %s, want %s", i,
                      nn_penalty_names[i] ? nn_penalty_names[i] : "NULL", names[i]);
    ck_assert_msg(nn_penalty_names[4] == NULL, "nn_penalty_names not NULL-terminated");
}
END_TEST

/* Refused options and data: each names what is wrong; p is untouched. */
enum { B_ETA, B_ITER, B_ALPHA, B_L1R, B_NOCH, B_PEN, B_TOL, B_RNG,
       B_NCLASS, B_LABEL, B_YCOLS, B_EMPTY };
static const struct {
    const char *name;
    int what;
    double value;
    const char *want;
} bad_cases[] = {
    { "eta0 0", B_ETA, 0, "eta0" },
    { "eta0 -1", B_ETA, -1, "eta0" },
    { "eta0 nan", B_ETA, NAN, "eta0" },
    { "max_iter 0", B_ITER, 0, "max_iter" },
    { "alpha -1", B_ALPHA, -1, "alpha" },
    { "alpha inf", B_ALPHA, INFINITY, "alpha" },
    { "l1_ratio 1.5", B_L1R, 1.5, "l1_ratio" },
    { "l1_ratio -0.1", B_L1R, -0.1, "l1_ratio" },
    { "n_iter_no_change 0", B_NOCH, 0, "n_iter_no_change" },
    { "penalty 9", B_PEN, 9, "penalty" },
    { "tol nan", B_TOL, NAN, "tol" },
    { "shuffle without rng", B_RNG, 0, "random" },
    { "nclasses 1", B_NCLASS, 1, "classes" },
    { "regression set", B_NCLASS, 0, "classes" },
    { "label 2 of 2 classes", B_LABEL, 2, "label" },
    { "label -1", B_LABEL, -1, "label" },
    { "label 0.5", B_LABEL, 0.5, "label" },
    { "one class only", B_LABEL, 1, "class" },
    { "two label columns", B_YCOLS, 2, "column" },
    { "no samples", B_EMPTY, 0, "empty" },
};

START_TEST(test_bad_options)
{
    float x[] = { 2, 1, 1, 3, -1, -2, 3, -1 };
    float y[] = { 1, 0, 0, 1 };
    nn_dataset ds = make_ds(x, y, 4, 2, 2);
    nn_perceptron_opts o;
    nn_perceptron_defaults(&o);
    nn_rng r, *rp = &r;
    nn_rng_seed(&r, 1);
    double v = bad_cases[_i].value;
    switch (bad_cases[_i].what) {
    case B_ETA: o.eta0 = v; break;
    case B_ITER: o.max_iter = (int)v; break;
    case B_ALPHA: o.alpha = v; break;
    case B_L1R: o.penalty = NN_PEN_ELASTICNET; o.l1_ratio = v; break;
    case B_NOCH: o.n_iter_no_change = (int)v; break;
    case B_PEN: o.penalty = (nn_penalty)(int)v; break;
    case B_TOL: o.tol = v; break;
    case B_RNG: rp = NULL; break;
    case B_NCLASS: ds.nclasses = (int)v; break;
    case B_LABEL:
        if (v == 1) {        /* every label 1 */
            for (int i = 0; i < 4; i++)
                y[i] = 1;
        } else {
            y[2] = (float)v;
        }
        break;
    case B_YCOLS: ds.ycols = (int)v; ds.n = 2; break;
    case B_EMPTY: ds.n = 0; break;
    }
    float sentinel = 123.0f;
    nn_perceptron p = { 7, 7, 7, &sentinel, &sentinel, 7 };
    nn_err e = {{0}};
    int rc = nn_perceptron_fit(&p, &ds, &o, rp, &e);
    ck_assert_msg(rc == NN_FAIL, "%s: accepted", bad_cases[_i].name);
    ck_assert_msg(strstr(e.msg, bad_cases[_i].want) != NULL,
                  "%s: message \"%s\" does not mention %s", bad_cases[_i].name, e.msg,
                  bad_cases[_i].want);
    ck_assert_msg(p.d == 7 && p.w == &sentinel && p.n_iter == 7,
                  "%s: a refused fit changed the model", bad_cases[_i].name);
}
END_TEST

Suite *suite_perceptron(void)
{
    Suite *s = suite_create("perceptron");
    TCase *tc = tcase_create("fit");
    tcase_add_loop_test(tc, test_hand_trace, 0,
                        (int)(sizeof trace_cases / sizeof trace_cases[0]));
    tcase_add_test(tc, test_tolerance_stop);
    tcase_add_test(tc, test_l2_shrinks);
    tcase_add_loop_test(tc, test_separable_converges, 0, 4);
    tcase_add_loop_test(tc, test_xor_not_learnable, 0, 4);
    tcase_add_test(tc, test_three_classes);
    tcase_add_test(tc, test_shuffle_reproducible);
    tcase_add_test(tc, test_predict_rules);
    suite_add_tcase(s, tc);
    TCase *tc2 = tcase_create("options");
    tcase_add_test(tc2, test_defaults);
    tcase_add_loop_test(tc2, test_bad_options, 0,
                        (int)(sizeof bad_cases / sizeof bad_cases[0]));
    suite_add_tcase(s, tc2);
    return s;
}
