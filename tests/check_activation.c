/* check_activation.c - every activation: hand values of f and f', the
 * batch forward against the scalar, backward against central finite
 * differences of forward (softmax as a Jacobian-vector product), that
 * backward accumulates, and finite results at |x| = 1e3 and 1e4. */
#include <stdlib.h>
#include <string.h>
#include "check_util.h"
#include "activation.h"
#include "rng.h"

START_TEST(test_act_names)
{
    for (int a = 0; a < NN_ACT_COUNT; a++) {
        nn_act k = NN_ACT_COUNT;
        ck_assert_msg(nn_act_names[a] != NULL, "name %d missing", a);
        ck_assert_msg(nn_act_parse(nn_act_names[a], &k) == 0 && k == (nn_act)a,
                      "%s does not parse back to itself", nn_act_names[a]);
    }
    ck_assert_ptr_null(nn_act_names[NN_ACT_COUNT]);
    static const struct { const char *name; nn_act k; } alias[] = {
        { "swish", NN_ACT_SILU }, { "None", NN_ACT_LINEAR },
        { "none", NN_ACT_LINEAR }, { "relu", NN_ACT_RELU },
        { "hard_sigmoid", NN_ACT_HARD_SIGMOID }, { "gelu", NN_ACT_GELU },
        { "hard_swish", NN_ACT_HARD_SILU }, { "mish", NN_ACT_MISH },
        { "glu", NN_ACT_GLU }, { "squareplus", NN_ACT_SQUAREPLUS },
    };
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++) {
        nn_act k = NN_ACT_COUNT;
        ck_assert_msg(nn_act_parse(alias[i].name, &k) == 0 && k == alias[i].k,
                      "%s parses to %d, want %d", alias[i].name, k, alias[i].k);
    }
    const char *bad[] = { "Relu", "Mish", "", "relu ", "sigmoid2", "hardswish" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        nn_act k = NN_ACT_TANH;
        ck_assert_msg(nn_act_parse(bad[i], &k) == -1 && k == NN_ACT_TANH,
                      "\"%s\" accepted", bad[i]);
    }
}
END_TEST

/* f(x) and f'(x) by hand (or from Python's math module). */
static const struct { nn_act a; double x, f, d; } hand[] = {
    { NN_ACT_LINEAR, -3.5, -3.5, 1 },
    { NN_ACT_SIGMOID, 0, 0.5, 0.25 },
    { NN_ACT_SIGMOID, 2, 0.8807970779778823, 0.10499358540350662 },
    { NN_ACT_TANH, 0.5, 0.46211715726000974, 0.7864477329659274 },
    { NN_ACT_RELU, -1, 0, 0 },
    { NN_ACT_RELU, 2, 2, 1 },
    { NN_ACT_RELU, 0, 0, 0 },                       /* TF: relu'(0) = 0 */
    { NN_ACT_SOFTPLUS, 0, 0.6931471805599453, 0.5 },
    { NN_ACT_SOFTPLUS, 30, 30.000000000000092, 0.9999999999999065 },
    { NN_ACT_SOFTMAX, 3, 1, 0 },                    /* one class */
    { NN_ACT_ELU, -1, -0.6321205588285577, 0.36787944117144233 },
    { NN_ACT_ELU, 2, 2, 1 },
    { NN_ACT_SELU, -1, -1.1113307378125625, 0.646768603034814 },
    { NN_ACT_SELU, 2, 2.101401974710961, 1.0507009873554805 },
    { NN_ACT_LEAKY_RELU, -1, -0.2, 0.2 },
    { NN_ACT_LEAKY_RELU, 3, 3, 1 },
    { NN_ACT_RELU6, 7, 6, 0 },
    { NN_ACT_RELU6, 3, 3, 1 },
    { NN_ACT_RELU6, -2, 0, 0 },
    { NN_ACT_SOFTSIGN, 1, 0.5, 0.25 },
    { NN_ACT_SOFTSIGN, -3, -0.75, 0.0625 },
    { NN_ACT_SILU, 1, 0.7310585786300049, 0.9276705118714869 },
    { NN_ACT_GELU, 1, 0.8413447460685429, 1.0833154705876864 },
    { NN_ACT_GELU, -0.5, -0.15426876936299344, 0.13250487534383712 },
    { NN_ACT_EXPONENTIAL, 1, 2.718281828459045, 2.718281828459045 },
    { NN_ACT_HARD_SIGMOID, 1, 4.0 / 6, 1.0 / 6 },
    { NN_ACT_HARD_SIGMOID, -4, 0, 0 },
    { NN_ACT_HARD_SIGMOID, 3.5, 1, 0 },
    /* Keras 3's newer ones, from the formulas in Keras's docstrings with
     * Python's math module (mish' from its closed form e^x w / d^2,
     * w = 4(x+1) + 4e^2x + e^3x + e^x (4x+6), d = 2e^x + e^2x + 2) */
    { NN_ACT_CELU, -1.5, -0.7768698398515702, 0.22313016014842982 },
    { NN_ACT_CELU, 2.0, 2, 1.0 },
    { NN_ACT_HARD_SILU, 1.0, 0.6666666666666666, 0.8333333333333334 },
    { NN_ACT_HARD_SILU, -4.0, 0.0, 0.0 },
    { NN_ACT_HARD_SILU, 4.0, 4.0, 1.0 },
    { NN_ACT_HARD_SILU, -1.0, -0.3333333333333333, 0.16666666666666666 },
    { NN_ACT_HARD_TANH, 0.3, 0.3, 1.0 },
    { NN_ACT_HARD_TANH, -2.0, -1, 0.0 },
    { NN_ACT_HARD_SHRINK, 0.7, 0.7, 1.0 },
    { NN_ACT_HARD_SHRINK, -0.3, 0, 0.0 },
    { NN_ACT_SOFT_SHRINK, 0.7, 0.19999999999999996, 1.0 },
    { NN_ACT_SOFT_SHRINK, -1.5, -1.0, 1.0 },
    { NN_ACT_SOFT_SHRINK, 0.2, 0, 0.0 },
    { NN_ACT_TANH_SHRINK, 1.0, 0.23840584404423515, 0.5800256583859739 },
    { NN_ACT_LOG_SIGMOID, 1.0, -0.3132616875182228, 0.2689414213699951 },
    { NN_ACT_LOG_SIGMOID, -2.0, -2.1269280110429727, 0.8807970779778824 },
    { NN_ACT_MISH, 1.0, 0.8650983882673103, 1.0490362200997918 },
    { NN_ACT_MISH, -1.0, -0.30340146137410895, 0.05921675587739495 },
    { NN_ACT_SPARSE_PLUS, 0.0, 0.25, 0.5 },
    { NN_ACT_SPARSE_PLUS, 0.5, 0.5625, 0.75 },
    { NN_ACT_SPARSE_PLUS, -2.0, 0, 0.0 },
    { NN_ACT_SPARSE_PLUS, 3.0, 3, 1.0 },
    { NN_ACT_SQUAREPLUS, 0.0, 1.0, 0.5 },
    { NN_ACT_SQUAREPLUS, 1.5, 2.0, 0.8 },
    /* the row-wise ones' curves: log_softmax(1, 0)_0 = log sigmoid(1),
     * sparsemax(0.4, 0)_0 = 0.7, glu(1, 1) = silu(1) */
    { NN_ACT_LOG_SOFTMAX, 1.0, -0.3132616875182228, 0.2689414213699951 },
    { NN_ACT_SPARSEMAX, 0.4, 0.7, 0.5 },
    { NN_ACT_SPARSEMAX, 1.5, 1, 0 },
    { NN_ACT_GLU, 1, 0.7310585786300049, 0.9276705118714869 },
};
#define NHAND ((int)(sizeof hand / sizeof hand[0]))

START_TEST(test_act_hand)
{
    nn_act a = hand[_i].a;
    double x = hand[_i].x;
    double f = nn_act_eval(a, x), d = nn_act_deriv(a, x);
    ck_assert_msg(fabs(f - hand[_i].f) <= 1e-12 * (1 + fabs(hand[_i].f)),
                  "%s(%g) = %.17g, want %.17g", nn_act_names[a], x, f,
                  hand[_i].f);
    ck_assert_msg(fabs(d - hand[_i].d) <= 1e-12 * (1 + fabs(hand[_i].d)),
                  "%s'(%g) = %.17g, want %.17g", nn_act_names[a], x, d,
                  hand[_i].d);
}
END_TEST

/* Points away from every kink (0 for relu-likes, 6 for relu6, +-3 for
 * hard_sigmoid) by at least 0.1, spread over the interesting ranges. */
static const float pts[] = {
    -7.5f, -3.7f, -2.5f, -1.2f, -0.45f, -0.1f, 0.15f, 0.8f, 1.9f, 2.6f,
    3.4f, 5.2f, 6.8f
};
#define NPTS ((int)(sizeof pts / sizeof pts[0]))

/* forward of the batch equals the double scalar, to float rounding; the
 * output is also right when computed in place. */
START_TEST(test_act_forward_scalar)
{
    nn_act a = (nn_act)_i;
    if (nn_act_rowwise(a))
        return;   /* not elementwise: test_act_softmax, test_act_rows */
    float y[NPTS], z[NPTS];
    memcpy(z, pts, sizeof z);
    nn_act_forward(a, y, pts, 1, NPTS);
    nn_act_forward(a, z, z, 1, NPTS);
    for (int i = 0; i < NPTS; i++) {
        double want = nn_act_eval(a, pts[i]);
        ck_assert_msg(fabs(y[i] - want) <= 1e-6 * (1 + fabs(want)),
                      "%s(%g): forward %.9g, eval %.9g", nn_act_names[a],
                      pts[i], y[i], want);
        ck_assert_msg(z[i] == y[i], "%s(%g): in place %.9g, not %.9g",
                      nn_act_names[a], pts[i], z[i], y[i]);
    }
}
END_TEST

/* nn_act_backward against (f(x+h) - f(x-h)) / 2h of nn_act_forward, with
 * dx pre-filled so that an overwrite instead of += fails; and nn_act_deriv
 * against the same differences. */
START_TEST(test_act_backward_fd)
{
    nn_act a = (nn_act)_i;
    if (nn_act_rowwise(a))
        return;   /* test_act_softmax_backward, test_act_rows_backward */
    const double h = 1e-2;
    enum { R = 1, C = NPTS };
    float x[C], y[C], dy[C], dx[C], xp[C], xm[C], yp[C], ym[C];
    nn_rng r;
    nn_rng_seed(&r, 7 + (uint64_t)_i);
    for (int i = 0; i < C; i++) {
        x[i] = pts[i];
        dy[i] = (float)nn_rng_range(&r, -2.0, 2.0);
        dx[i] = 0.5f;
        xp[i] = (float)(x[i] + h);
        xm[i] = (float)(x[i] - h);
    }
    nn_act_forward(a, y, x, R, C);
    nn_act_forward(a, yp, xp, R, C);
    nn_act_forward(a, ym, xm, R, C);
    nn_act_backward(a, dx, dy, x, y, R, C);
    for (int i = 0; i < C; i++) {
        /* the real float step, so rounding of x +- h costs nothing */
        double num = ((double)yp[i] - ym[i]) / ((double)xp[i] - xm[i]);
        double tol = 2e-3 * (1 + fabs(num));
        double got = (double)dx[i] - 0.5;
        ck_assert_msg(fabs(got - dy[i] * num) <= tol * (1 + fabs(dy[i])),
                      "%s at x=%g: backward gives dx - 0.5 = %.7g, finite "
                      "difference dy f' = %.7g", nn_act_names[a], x[i], got,
                      dy[i] * num);
        double d = nn_act_deriv(a, x[i]);
        ck_assert_msg(fabs(d - num) <= tol, "%s'(%g) = %.7g, finite "
                      "difference %.7g", nn_act_names[a], x[i], d, num);
    }
}
END_TEST

START_TEST(test_act_softmax)
{
    /* rows sum to 1, hand values, shift invariance, in place, and no
     * overflow at large logits */
    float x[3 * 3] = { 0, 0, 0,   1, 2, 3,   1000, -1000, 999 };
    float y[9];
    nn_act_forward(NN_ACT_SOFTMAX, y, x, 3, 3);
    for (int i = 0; i < 9; i++)
        ck_assert_msg(isfinite(y[i]), "softmax y[%d] = %g", i, y[i]);
    for (int j = 0; j < 3; j++)
        ck_assert_float_eq_tol(y[j], 1.0 / 3, 1e-7);
    double e = exp(1) + exp(2) + exp(3);
    ck_assert_float_eq_tol(y[3], exp(1) / e, 1e-7);
    ck_assert_float_eq_tol(y[4], exp(2) / e, 1e-7);
    ck_assert_float_eq_tol(y[5], exp(3) / e, 1e-7);
    ck_assert_float_eq_tol(y[6], 1 / (1 + exp(-1)), 1e-7);
    ck_assert_float_eq_tol(y[7], 0, 1e-30);
    ck_assert_float_eq_tol(y[8], exp(-1) / (1 + exp(-1)), 1e-7);
    for (int i = 0; i < 3; i++)
        ck_assert_float_eq_tol(y[3 * i] + y[3 * i + 1] + y[3 * i + 2], 1.0,
                               1e-6);
    float big[3] = { 1e4f, 1e4f - 1.0f, -1e4f }, yb[3];
    nn_act_forward(NN_ACT_SOFTMAX, yb, big, 1, 3);
    ck_assert_float_eq_tol(yb[0], 1 / (1 + exp(-1)), 1e-6);
    ck_assert_float_eq_tol(yb[2], 0, 1e-30);
    nn_act_forward(NN_ACT_SOFTMAX, x, x, 3, 3);   /* in place */
    ck_assert_msg(memcmp(x, y, sizeof y) == 0, "softmax in place differs");
    /* one column: always 1 */
    float one[2] = { -5, 7 }, yo[2];
    nn_act_forward(NN_ACT_SOFTMAX, yo, one, 2, 1);
    ck_assert_msg(yo[0] == 1.0f && yo[1] == 1.0f, "softmax of one column");
}
END_TEST

/* (J^T dy)_k against the finite difference of s(x) = sum_j dy_j softmax(x)_j
 * in x_k, for every entry of a random (rows, cols) batch, dx pre-filled. */
START_TEST(test_act_softmax_backward)
{
    enum { R = 3, C = 5 };
    const double h = 1e-2;
    float x[R * C], y[R * C], dy[R * C], dx[R * C], xs[R * C], ys[R * C];
    nn_rng r;
    nn_rng_seed(&r, 11);
    for (int i = 0; i < R * C; i++) {
        x[i] = (float)nn_rng_range(&r, -3.0, 3.0);
        dy[i] = (float)nn_rng_range(&r, -1.0, 1.0);
        dx[i] = -0.25f;
    }
    nn_act_forward(NN_ACT_SOFTMAX, y, x, R, C);
    nn_act_backward(NN_ACT_SOFTMAX, dx, dy, x, y, R, C);
    for (int i = 0; i < R; i++)
        for (int k = 0; k < C; k++) {
            double s[2], step[2];
            for (int sign = 0; sign < 2; sign++) {
                memcpy(xs, x, sizeof x);
                xs[i * C + k] = (float)(x[i * C + k] + (sign ? -h : h));
                step[sign] = xs[i * C + k];
                nn_act_forward(NN_ACT_SOFTMAX, ys, xs, R, C);
                s[sign] = 0;
                for (int j = 0; j < C; j++)
                    s[sign] += (double)dy[i * C + j] * ys[i * C + j];
            }
            double num = (s[0] - s[1]) / (step[0] - step[1]);
            double got = (double)dx[i * C + k] + 0.25;
            ck_assert_msg(fabs(got - num) <= 1e-3 * (1 + fabs(num)),
                          "softmax backward row %d col %d: %.7g, finite "
                          "difference %.7g", i, k, got, num);
        }
}
END_TEST

START_TEST(test_act_accumulates)
{
    /* two backward calls add up: dx = 2 dy f'(x) from a zero start */
    nn_act a = (nn_act)_i;
    float x[4] = { -1.3f, 0.4f, 2.2f, -0.2f }, y[4], dy[4] = { 1, -2, 0.5f, 3 };
    float once[4] = { 0 }, twice[4] = { 0 };
    nn_act_forward(a, y, x, 2, 2);
    nn_act_backward(a, once, dy, x, y, 2, 2);
    nn_act_backward(a, twice, dy, x, y, 2, 2);
    nn_act_backward(a, twice, dy, x, y, 2, 2);
    for (int i = 0; i < 4; i++)
        ck_assert_msg(fabs(twice[i] - 2 * once[i]) <= 1e-6 * (1 + fabs(once[i])),
                      "%s: second backward gave %g, want 2 x %g",
                      nn_act_names[a], twice[i], once[i]);
}
END_TEST

/* Finite f, f' and backward at |x| = 1e3 and 1e4 (exponential at +x is
 * e^x itself and overflows, as in Keras), with the right limits. */
START_TEST(test_act_stable)
{
    nn_act a = (nn_act)_i;
    float x[4] = { 1000, -1000, 1e4f, -1e4f }, y[4], dx[4] = { 0 };
    float dy[4] = { 1, 1, 1, 1 };
    /* 4 rows of 1: softmax too; glu 2 rows of 2, 2 values out */
    int glu = a == NN_ACT_GLU, rows = glu ? 2 : 4, cols = glu ? 2 : 1;
    nn_act_forward(a, y, x, rows, cols);
    nn_act_backward(a, dx, dy, x, y, rows, cols);
    for (int i = 0; i < 4; i++) {
        if (glu && i >= 2)
            y[i] = 0;   /* the output has 2 values */
        if (a == NN_ACT_EXPONENTIAL && x[i] > 0)
            continue;
        ck_assert_msg(isfinite(y[i]) && isfinite(dx[i]),
                      "%s(%g): forward %g, backward %g", nn_act_names[a],
                      x[i], y[i], dx[i]);
        ck_assert_msg(isfinite(nn_act_eval(a, x[i]))
                      && isfinite(nn_act_deriv(a, x[i])),
                      "%s(%g): eval/deriv not finite", nn_act_names[a], x[i]);
    }
}
END_TEST

START_TEST(test_act_limits)
{
    static const struct { nn_act a; double x, f, d; } lim[] = {
        { NN_ACT_SIGMOID, 1000, 1, 0 }, { NN_ACT_SIGMOID, -1000, 0, 0 },
        { NN_ACT_SOFTPLUS, 1000, 1000, 1 }, { NN_ACT_SOFTPLUS, -1000, 0, 0 },
        { NN_ACT_SOFTPLUS, 1e4, 1e4, 1 }, { NN_ACT_TANH, -1e4, -1, 0 },
        { NN_ACT_SILU, -1000, 0, 0 }, { NN_ACT_SILU, 1000, 1000, 1 },
        { NN_ACT_GELU, -1000, 0, 0 }, { NN_ACT_GELU, 1000, 1000, 1 },
        { NN_ACT_ELU, -1e4, -1, 0 }, { NN_ACT_SELU, -1e4, -1.7580993408473766, 0 },
        { NN_ACT_SOFTSIGN, 1e4, 1e4 / (1 + 1e4), 1 / ((1 + 1e4) * (1 + 1e4)) },
        { NN_ACT_EXPONENTIAL, -1000, 0, 0 },
    };
    for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++) {
        double f = nn_act_eval(lim[i].a, lim[i].x);
        double d = nn_act_deriv(lim[i].a, lim[i].x);
        ck_assert_msg(fabs(f - lim[i].f) <= 1e-12 * (1 + fabs(lim[i].f))
                      && fabs(d - lim[i].d) <= 1e-12,
                      "%s(%g) = %.17g, f' = %.17g; want %.17g, %.17g",
                      nn_act_names[lim[i].a], lim[i].x, f, d, lim[i].f,
                      lim[i].d);
    }
}
END_TEST

/* log_softmax, sparsemax and glu by hand (and sparsemax against the
 * sorted algorithm of Martins & Astudillo: k = max{k : 1 + k z_(k) >
 * sum_{j<=k} z_(j)}, tau = (sum_{j<=k} z_(j) - 1) / k). */
static int desc(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x < y) - (x > y);
}

START_TEST(test_act_rows)
{
    float x[2 * 3] = { 1, 2, 3,   0.1f, 1.2f, -0.5f }, y[6];
    nn_act_forward(NN_ACT_LOG_SOFTMAX, y, x, 2, 3);
    double lse = log(exp(1) + exp(2) + exp(3));
    for (int j = 0; j < 3; j++)
        ck_assert_float_eq_tol(y[j], x[j] - lse, 1e-6);
    float big[3] = { 1e4f, 1e4f - 1.0f, -1e4f }, yb[3];
    nn_act_forward(NN_ACT_LOG_SOFTMAX, yb, big, 1, 3);
    ck_assert_float_eq_tol(yb[0], -log1p(exp(-1)), 1e-6);
    ck_assert_msg(isfinite(yb[2]), "log_softmax of -1e4 is %g", yb[2]);
    /* sparsemax (0.5, 0.2, -1): tau = (0.7 - 1)/2 = -0.15: (0.65, 0.35, 0) */
    float s3[3] = { 0.5f, 0.2f, -1.0f }, ys[3];
    nn_act_forward(NN_ACT_SPARSEMAX, ys, s3, 1, 3);
    ck_assert_float_eq_tol(ys[0], 0.65, 1e-6);
    ck_assert_float_eq_tol(ys[1], 0.35, 1e-6);
    ck_assert_msg(ys[2] == 0.0f, "sparsemax gives %g, not 0", ys[2]);
    nn_rng r;
    nn_rng_seed(&r, 5);
    enum { C = 9 };
    for (int t = 0; t < 200; t++) {
        float z[C], zs[C], out[C];
        double scale = t < 100 ? 1.0 : 0.05;
        for (int j = 0; j < C; j++)
            z[j] = (float)nn_rng_range(&r, -3 * scale, 3 * scale);
        memcpy(zs, z, sizeof z);
        qsort(zs, C, sizeof *zs, desc);
        double cum = 0, cumk = 0;
        int k = 0;
        for (int j = 0; j < C; j++) {
            cum += zs[j];
            if (1 + (j + 1) * (double)zs[j] > cum) {
                k = j + 1;
                cumk = cum;
            }
        }
        double tau = (cumk - 1) / k, sum = 0;
        nn_act_forward(NN_ACT_SPARSEMAX, out, z, 1, C);
        for (int j = 0; j < C; j++) {
            double want = fmax(z[j] - tau, 0);
            ck_assert_msg(fabs(out[j] - want) <= 1e-6, "sparsemax case %d col %d: "
                          "%.7g, sorted algorithm %.7g", t, j, out[j], want);
            sum += out[j];
        }
        ck_assert_float_eq_tol(sum, 1.0, 1e-5);
    }
    /* glu: (a | b) -> a sigmoid(b), rows (1, 2 | 0, -1) and (3, -2 | 4, 0.5) */
    float g[2 * 4] = { 1, 2, 0, -1,   3, -2, 4, 0.5f }, yg[4];
    ck_assert_int_eq(nn_act_out_cols(NN_ACT_GLU, 4), 2);
    ck_assert_int_eq(nn_act_out_cols(NN_ACT_GLU, 5), 0);
    ck_assert_int_eq(nn_act_out_cols(NN_ACT_MISH, 5), 5);
    nn_act_forward(NN_ACT_GLU, yg, g, 2, 4);
    ck_assert_float_eq_tol(yg[0], 0.5, 1e-7);
    ck_assert_float_eq_tol(yg[1], 2 / (1 + exp(1)), 1e-6);
    ck_assert_float_eq_tol(yg[2], 3 / (1 + exp(-4)), 1e-6);
    ck_assert_float_eq_tol(yg[3], -2 / (1 + exp(-0.5)), 1e-6);
}
END_TEST

/* (J^T dy)_k against the finite difference of sum_j dy_j f(x)_j in x_k
 * for the row-wise ones (softmax has its own test above), dx pre-filled;
 * glu's dy is half as wide as x. */
START_TEST(test_act_rows_backward)
{
    static const nn_act rw[] = { NN_ACT_LOG_SOFTMAX, NN_ACT_SPARSEMAX, NN_ACT_GLU };
    nn_act a = rw[_i];
    enum { R = 3, C = 6 };
    const double h = 1e-3;
    int oc = nn_act_out_cols(a, C);
    float x[R * C], y[R * C], dy[R * C], dx[R * C], xs[R * C], ys[R * C];
    nn_rng r;
    nn_rng_seed(&r, 13 + (uint64_t)_i);
    for (int i = 0; i < R * C; i++) {
        x[i] = (float)nn_rng_range(&r, -1.5, 1.5);
        dy[i] = (float)nn_rng_range(&r, -1.0, 1.0);
        dx[i] = -0.25f;
    }
    nn_act_forward(a, y, x, R, C);
    nn_act_backward(a, dx, dy, x, y, R, C);
    for (int i = 0; i < R; i++)
        for (int k = 0; k < C; k++) {
            double s[2], step[2];
            for (int sign = 0; sign < 2; sign++) {
                memcpy(xs, x, sizeof x);
                xs[i * C + k] = (float)(x[i * C + k] + (sign ? -h : h));
                step[sign] = xs[i * C + k];
                nn_act_forward(a, ys, xs, R, C);
                s[sign] = 0;
                for (int j = 0; j < oc; j++)
                    s[sign] += (double)dy[i * oc + j] * ys[i * oc + j];
            }
            double num = (s[0] - s[1]) / (step[0] - step[1]);
            double got = (double)dx[i * C + k] + 0.25;
            ck_assert_msg(fabs(got - num) <= 2e-3 * (1 + fabs(num)),
                          "%s backward row %d col %d: %.7g, finite "
                          "difference %.7g", nn_act_names[a], i, k, got, num);
        }
}
END_TEST

/* The curves nn_act_eval gives the row-wise ones are what forward gives
 * on (z, 0) (glu: (z, z)), and nn_act_deriv is their slope. */
START_TEST(test_act_rows_curve)
{
    static const nn_act rw[] = { NN_ACT_LOG_SOFTMAX, NN_ACT_SPARSEMAX, NN_ACT_GLU };
    for (size_t t = 0; t < sizeof rw / sizeof rw[0]; t++)
        for (int i = 0; i < NPTS; i++) {
            nn_act a = rw[t];
            float z = pts[i] / 3, row[2] = { z, a == NN_ACT_GLU ? z : 0 }, y[2];
            nn_act_forward(a, y, row, 1, 2);
            ck_assert_msg(fabs(y[0] - nn_act_eval(a, z)) <= 1e-6,
                          "%s curve at %g: forward %.7g, eval %.7g",
                          nn_act_names[a], z, y[0], nn_act_eval(a, z));
            const double h = 1e-4;
            double num = (nn_act_eval(a, z + h) - nn_act_eval(a, z - h)) / (2 * h);
            ck_assert_msg(fabs(nn_act_deriv(a, z) - num) <= 1e-6,
                          "%s' curve at %g: %.7g, finite difference %.7g",
                          nn_act_names[a], z, nn_act_deriv(a, z), num);
        }
}
END_TEST

Suite *suite_activation(void)
{
    Suite *s = suite_create("activation");
    TCase *tc = tcase_create("activation");
    tcase_add_test(tc, test_act_names);
    tcase_add_loop_test(tc, test_act_hand, 0, NHAND);
    tcase_add_loop_test(tc, test_act_forward_scalar, 0, NN_ACT_COUNT);
    tcase_add_loop_test(tc, test_act_backward_fd, 0, NN_ACT_COUNT);
    tcase_add_test(tc, test_act_softmax);
    tcase_add_test(tc, test_act_softmax_backward);
    tcase_add_loop_test(tc, test_act_accumulates, 0, NN_ACT_COUNT);
    tcase_add_loop_test(tc, test_act_stable, 0, NN_ACT_COUNT);
    tcase_add_test(tc, test_act_limits);
    tcase_add_test(tc, test_act_rows);
    tcase_add_loop_test(tc, test_act_rows_backward, 0, 3);
    tcase_add_test(tc, test_act_rows_curve);
    suite_add_tcase(s, tc);
    return s;
}
