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
    };
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++) {
        nn_act k = NN_ACT_COUNT;
        ck_assert_msg(nn_act_parse(alias[i].name, &k) == 0 && k == alias[i].k,
                      "%s parses to %d, want %d", alias[i].name, k, alias[i].k);
    }
    const char *bad[] = { "Relu", "mish", "", "relu ", "sigmoid2" };
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
    if (a == NN_ACT_SOFTMAX)
        return;   /* not elementwise: test_act_softmax */
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
    if (a == NN_ACT_SOFTMAX)
        return;   /* test_act_softmax_backward */
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
    nn_act_forward(a, y, x, 4, 1);  /* 4 rows of 1: softmax too */
    nn_act_backward(a, dx, dy, x, y, 4, 1);
    for (int i = 0; i < 4; i++) {
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
    suite_add_tcase(s, tc);
    return s;
}
