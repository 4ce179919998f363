/* check_init.c - every initializer against its Keras formula: the sample
 * mean and variance of many draws, the support (uniform inside +-l,
 * truncated normal inside +-2 sd), exact constants, and the seed. */
#include <stdlib.h>
#include <string.h>
#include "check_util.h"
#include "init.h"

#define NDRAW 100000
#define TN_SD 0.87962566103423978   /* sd of N(0,1) cut at +-2 */

enum shape { UNIFORM, TRUNC, NORMAL, CONST };

typedef struct init_case {
    nn_init_kind k;
    int fan_in, fan_out;
    float value;        /* constant only */
    enum shape shape;
    double var;         /* expected variance of the drawn values */
    double bound;       /* uniform: l; truncated: 2 x the TN parameter */
} init_case;

/* Expected values written from the formulas, independently of init.c. */
static const init_case cases[] = {
    /* glorot_uniform l = sqrt(6/(300+100)), var = l^2/3 = 2/400 */
    { NN_INIT_GLOROT_UNIFORM, 300, 100, 0, UNIFORM, 2.0 / 400, 0.12247448713915890 },
    { NN_INIT_GLOROT_UNIFORM, 2, 1, 0, UNIFORM, 2.0 / 3, 1.4142135623730951 },
    /* glorot_normal: TN sd = sqrt(2/400)/0.8796, drawn var = 2/400 */
    { NN_INIT_GLOROT_NORMAL, 300, 100, 0, TRUNC, 2.0 / 400, 2 * 0.070710678118654752 / TN_SD },
    /* he_uniform l = sqrt(6/50) */
    { NN_INIT_HE_UNIFORM, 50, 10, 0, UNIFORM, 2.0 / 50, 0.34641016151377546 },
    /* he_normal: var 2/fan_in */
    { NN_INIT_HE_NORMAL, 50, 10, 0, TRUNC, 2.0 / 50, 2 * 0.2 / TN_SD },
    /* lecun_uniform l = sqrt(3/30) */
    { NN_INIT_LECUN_UNIFORM, 30, 7, 0, UNIFORM, 1.0 / 30, 0.31622776601683794 },
    { NN_INIT_LECUN_NORMAL, 30, 7, 0, TRUNC, 1.0 / 30, 2 * 0.18257418583505537 / TN_SD },
    /* Keras: fans below 1 count as 1 */
    { NN_INIT_LECUN_NORMAL, 0, 0, 0, TRUNC, 1.0, 2 / TN_SD },
    { NN_INIT_RANDOM_NORMAL, 9, 9, 0, NORMAL, 0.0025, 0 },
    { NN_INIT_RANDOM_UNIFORM, 9, 9, 0, UNIFORM, 0.0025 / 3, 0.05 },
    /* TruncatedNormal(0, 0.05): no correction, var = 0.05^2 x 0.8796^2 */
    { NN_INIT_TRUNCATED_NORMAL, 9, 9, 0, TRUNC, 0.0025 * TN_SD * TN_SD, 0.1 },
    { NN_INIT_ZEROS, 9, 9, 0, CONST, 0, 0 },
    { NN_INIT_ONES, 9, 9, 0, CONST, 0, 0 },
    { NN_INIT_CONSTANT, 9, 9, 0.37f, CONST, 0, 0 },
    { NN_INIT_CONSTANT, 9, 9, -2.5f, CONST, 0, 0 },
};
#define NCASES ((int)(sizeof cases / sizeof cases[0]))

START_TEST(test_init_names)
{
    for (int k = 0; k < NN_INIT_COUNT; k++)
        ck_assert_msg(nn_init_names[k] != NULL, "name %d missing", k);
    ck_assert_ptr_null(nn_init_names[NN_INIT_COUNT]);
    ck_assert_str_eq(nn_init_names[NN_INIT_GLOROT_UNIFORM], "glorot_uniform");
    ck_assert_str_eq(nn_init_names[NN_INIT_HE_NORMAL], "he_normal");
    ck_assert_str_eq(nn_init_names[NN_INIT_CONSTANT], "constant");
}
END_TEST

START_TEST(test_init_distribution)
{
    const init_case *c = &cases[_i];
    const char *name = nn_init_names[c->k];
    float *w = malloc(NDRAW * sizeof *w);
    ck_assert_ptr_nonnull(w);
    for (int i = 0; i < NDRAW; i++)
        w[i] = NAN;
    nn_rng r;
    nn_rng_seed(&r, 1234 + (uint64_t)_i);
    nn_init_fill(c->k, c->value, w, NDRAW, c->fan_in, c->fan_out, &r);

    if (c->shape == CONST) {
        float want = c->k == NN_INIT_ZEROS ? 0.0f
                   : c->k == NN_INIT_ONES ? 1.0f : c->value;
        for (int i = 0; i < NDRAW; i++)
            ck_assert_msg(w[i] == want, "%s: w[%d] = %g, want %g exactly",
                          name, i, w[i], want);
        free(w);
        return;
    }

    double sum = 0.0, sq = 0.0, maxabs = 0.0;
    for (int i = 0; i < NDRAW; i++) {
        ck_assert_msg(isfinite(w[i]), "%s: w[%d] not finite", name, i);
        sum += w[i];
        sq += (double)w[i] * w[i];
        if (fabs(w[i]) > maxabs)
            maxabs = fabs(w[i]);
    }
    double mean = sum / NDRAW, var = sq / NDRAW - mean * mean;
    double sd = sqrt(c->var);
    /* the mean of 1e5 draws has sd sd/316: allow 5 of those */
    ck_assert_msg(fabs(mean) < 5.0 * sd / sqrt(NDRAW),
                  "%s (fans %d,%d): mean %g, want 0 (sd %g)", name,
                  c->fan_in, c->fan_out, mean, sd);
    ck_assert_msg(fabs(var / c->var - 1.0) < 0.03,
                  "%s (fans %d,%d): variance %g, want %g", name, c->fan_in,
                  c->fan_out, var, c->var);
    if (c->shape == UNIFORM || c->shape == TRUNC) {
        ck_assert_msg(maxabs <= c->bound * (1 + 1e-6),
                      "%s: |w| reaches %g, beyond the bound %g", name,
                      maxabs, c->bound);
        /* and the support is used: the extremes come close to the bound */
        ck_assert_msg(maxabs > 0.99 * c->bound,
                      "%s: |w| only reaches %g, bound %g", name, maxabs,
                      c->bound);
    } else {
        /* an untruncated normal passes 2 sd in 4.6% of the draws */
        int beyond = 0;
        for (int i = 0; i < NDRAW; i++)
            beyond += fabs(w[i]) > 2.0 * sd;
        ck_assert_msg(beyond > NDRAW / 30,
                      "%s: only %d draws beyond 2 sd, not a plain normal",
                      name, beyond);
    }
    free(w);
}
END_TEST

START_TEST(test_init_seed)
{
    /* every kind: the same seed gives bit-identical weights; random kinds
     * differ with another seed */
    enum { N = 257 };
    for (int k = 0; k < NN_INIT_COUNT; k++) {
        float a[N], b[N], c[N];
        nn_rng r;
        nn_rng_seed(&r, 99);
        /* orthogonal and identity fill a matrix: (1, 257) */
        int mat = nn_init_needs_matrix((nn_init_kind)k);
        int fi = mat ? 1 : 20, fo = mat ? N : 30;
        nn_init_fill((nn_init_kind)k, 0.5f, a, N, fi, fo, &r);
        nn_rng_seed(&r, 99);
        nn_init_fill((nn_init_kind)k, 0.5f, b, N, fi, fo, &r);
        nn_rng_seed(&r, 100);
        nn_init_fill((nn_init_kind)k, 0.5f, c, N, fi, fo, &r);
        ck_assert_msg(memcmp(a, b, sizeof a) == 0,
                      "%s: same seed, different weights", nn_init_names[k]);
        int random = k < NN_INIT_ZEROS || k == NN_INIT_ORTHOGONAL ||
                     k == NN_INIT_VARIANCE_SCALING;
        ck_assert_msg((memcmp(a, c, sizeof a) != 0) == random,
                      "%s: another seed %s the weights", nn_init_names[k],
                      random ? "did not change" : "changed");
    }
}
END_TEST

START_TEST(test_init_stream)
{
    /* filling n then m values equals filling n + m at once: the draws
     * come in index order, one stream */
    float a[100], b[100];
    nn_rng r;
    nn_rng_seed(&r, 5);
    nn_init_fill(NN_INIT_HE_NORMAL, 0, a, 100, 10, 10, &r);
    nn_rng_seed(&r, 5);
    nn_init_fill(NN_INIT_HE_NORMAL, 0, b, 40, 10, 10, &r);
    nn_init_fill(NN_INIT_HE_NORMAL, 0, b + 40, 60, 10, 10, &r);
    ck_assert_msg(memcmp(a, b, sizeof a) == 0, "he_normal: split fill differs");
}
END_TEST

/* The keyword arguments (Keras 3's classes): mean and variance of many
 * draws and the support, from the formulas written out here. */
static const struct {
    const char *spec;          /* as typed after kernel_initializer= */
    int fan_in, fan_out;
    enum shape shape;
    double mean, var, lo, hi;  /* lo, hi: the support (UNIFORM, TRUNC) */
} arg_cases[] = {
    { "random_normal(mean=1,stddev=0.2)", 9, 9, NORMAL, 1, 0.04, 0, 0 },
    { "random_normal(1,0.2)", 9, 9, NORMAL, 1, 0.04, 0, 0 },
    /* U(-1, 3): mean 1, var 16/12 */
    { "random_uniform(minval=-1,maxval=3)", 9, 9, UNIFORM, 1, 16.0 / 12, -1, 3 },
    /* TN(-0.5, 0.1) cut at 2 sd: var 0.01 x 0.8796^2 */
    { "truncated_normal(mean=-0.5,stddev=0.1)", 9, 9, TRUNC, -0.5, 0.01 * TN_SD * TN_SD,
      -0.7, -0.3 },
    /* VarianceScaling(): scale 1 / fan_in, truncated: var 1/40 */
    { "variance_scaling", 40, 10, TRUNC, 0, 1.0 / 40, -2 * 0.15811388300841897 / TN_SD,
      2 * 0.15811388300841897 / TN_SD },
    /* scale 2, fan_out 10, uniform: l = sqrt(3 x 2 / 10), var 2/10 */
    { "variance_scaling(scale=2,mode=fan_out,distribution=uniform)", 40, 10, UNIFORM,
      0, 0.2, -0.7745966692414834, 0.7745966692414834 },
    /* scale 3, fan_avg 25, untruncated normal: var 3/25 */
    { "variance_scaling(scale=3,mode=fan_avg,distribution=untruncated_normal)", 40, 10,
      NORMAL, 0, 0.12, 0, 0 },
};
#define NARGS ((int)(sizeof arg_cases / sizeof arg_cases[0]))

START_TEST(test_init_args)
{
    nn_init_kind k;
    nn_init_args a;
    float value = 0;
    int unknown;
    nn_err e;
    ck_assert_msg(nn_init_parse(arg_cases[_i].spec, &k, &a, &value, &unknown, &e) == NN_OK,
                  "%s: %s", arg_cases[_i].spec, e.msg);
    float *w = malloc(NDRAW * sizeof *w);
    ck_assert_ptr_nonnull(w);
    nn_rng r;
    nn_rng_seed(&r, 77 + (uint64_t)_i);
    nn_init_fill_args(k, value, &a, w, NDRAW, arg_cases[_i].fan_in,
                      arg_cases[_i].fan_out, &r);
    double sum = 0, sq = 0, lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < NDRAW; i++) {
        sum += w[i];
        sq += (double)w[i] * w[i];
        lo = fmin(lo, w[i]);
        hi = fmax(hi, w[i]);
    }
    double mean = sum / NDRAW, var = sq / NDRAW - mean * mean;
    double want = arg_cases[_i].var, sd = sqrt(want);
    ck_assert_msg(fabs(mean - arg_cases[_i].mean) < 5 * sd / sqrt(NDRAW),
                  "%s: mean %g, want %g", arg_cases[_i].spec, mean, arg_cases[_i].mean);
    ck_assert_msg(fabs(var / want - 1) < 0.03, "%s: variance %g, want %g",
                  arg_cases[_i].spec, var, want);
    if (arg_cases[_i].shape != NORMAL) {
        double L = arg_cases[_i].lo, H = arg_cases[_i].hi, tol = 1e-6 * (H - L);
        ck_assert_msg(lo >= L - tol && hi <= H + tol && lo < L + 0.01 * (H - L) &&
                      hi > H - 0.01 * (H - L),
                      "%s: draws in [%g, %g], want [%g, %g]", arg_cases[_i].spec,
                      lo, hi, L, H);
    }
    free(w);
}
END_TEST

/* orthogonal: W^T W = gain^2 I for a tall or square kernel, W W^T for a
 * wide one (Keras transposes); identity: gain on the diagonal. */
START_TEST(test_init_orthogonal_identity)
{
    static const int shapes[][2] = { { 8, 5 }, { 5, 8 }, { 6, 6 }, { 1, 4 } };
    nn_init_args a;
    nn_init_args_defaults(&a);
    a.gain = 1.5f;
    for (int t = 0; t < 4; t++) {
        int R = shapes[t][0], C = shapes[t][1];
        float w[64];
        nn_rng r;
        nn_rng_seed(&r, 3 + (uint64_t)t);
        nn_init_fill_args(NN_INIT_ORTHOGONAL, 0, &a, w, (size_t)R * C, R, C, &r);
        int tall = R >= C, m = tall ? C : R;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) {
                double d = 0;
                for (int k = 0; k < (tall ? R : C); k++)
                    d += tall ? (double)w[k * C + i] * w[k * C + j]
                              : (double)w[i * C + k] * w[j * C + k];
                double want = i == j ? 2.25 : 0;
                ck_assert_msg(fabs(d - want) < 1e-5, "orthogonal %dx%d: (%d,%d) "
                              "of the Gram matrix is %.7g, want %g", R, C, i, j, d, want);
            }
        nn_init_fill_args(NN_INIT_IDENTITY, 0, &a, w, (size_t)R * C, R, C, &r);
        for (int i = 0; i < R; i++)
            for (int j = 0; j < C; j++)
                ck_assert_msg(w[i * C + j] == (i == j ? 1.5f : 0.0f),
                              "identity %dx%d: w[%d][%d] = %g", R, C, i, j, w[i * C + j]);
    }
}
END_TEST

START_TEST(test_init_parse)
{
    nn_init_kind k;
    nn_init_args a;
    float value = 7;
    int unknown;
    nn_err e;
    ck_assert_int_eq(nn_init_parse("he_normal", &k, &a, &value, &unknown, &e), NN_OK);
    ck_assert_int_eq(k, NN_INIT_HE_NORMAL);
    ck_assert(value == 7);
    ck_assert_int_eq(nn_init_parse("constant(0.5)", &k, &a, &value, &unknown, &e), NN_OK);
    ck_assert(k == NN_INIT_CONSTANT && value == 0.5f);
    ck_assert_int_eq(nn_init_parse("constant(value=-2)", &k, &a, &value, &unknown, &e), NN_OK);
    ck_assert(value == -2.0f);
    ck_assert_int_eq(nn_init_parse("orthogonal(gain=3)", &k, &a, &value, &unknown, &e), NN_OK);
    ck_assert(k == NN_INIT_ORTHOGONAL && a.gain == 3.0f);
    ck_assert(!nn_init_args_are_default(k, &a));
    ck_assert_int_eq(nn_init_parse("variance_scaling(2,fan_out,uniform)", &k, &a, &value,
                                   &unknown, &e), NN_OK);
    ck_assert(a.scale == 2.0f && a.mode == NN_FAN_OUT && a.distribution == NN_DIST_UNIFORM);
    static const char *const bad[] = {
        "random_normal(std=1)", "random_normal(stddev=-1)", "random_normal(stddev=x)",
        "random_uniform(minval=1,maxval=0)", "variance_scaling(scale=0)",
        "variance_scaling(mode=fan)", "variance_scaling(distribution=poisson)",
        "orthogonal(gain=1", "zeros(1)", "random_normal(mean=1,0.2)",
        "random_normal(1,2,3)", "orthogonal(gain=inf)", "glorot", "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(nn_init_parse(bad[i], &k, &a, &value, &unknown, &e) == NN_FAIL,
                      "\"%s\" accepted", bad[i]);
    ck_assert_int_eq(nn_init_parse("glorot(1)", &k, &a, &value, &unknown, &e), NN_FAIL);
    ck_assert_int_eq(unknown, 1);
}
END_TEST

Suite *suite_init(void)
{
    Suite *s = suite_create("init");
    TCase *tc = tcase_create("init");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_init_names);
    tcase_add_loop_test(tc, test_init_distribution, 0, NCASES);
    tcase_add_test(tc, test_init_seed);
    tcase_add_test(tc, test_init_stream);
    tcase_add_loop_test(tc, test_init_args, 0, NARGS);
    tcase_add_test(tc, test_init_orthogonal_identity);
    tcase_add_test(tc, test_init_parse);
    suite_add_tcase(s, tc);
    return s;
}
