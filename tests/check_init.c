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
        nn_init_fill((nn_init_kind)k, 0.5f, a, N, 20, 30, &r);
        nn_rng_seed(&r, 99);
        nn_init_fill((nn_init_kind)k, 0.5f, b, N, 20, 30, &r);
        nn_rng_seed(&r, 100);
        nn_init_fill((nn_init_kind)k, 0.5f, c, N, 20, 30, &r);
        ck_assert_msg(memcmp(a, b, sizeof a) == 0,
                      "%s: same seed, different weights", nn_init_names[k]);
        int random = k < NN_INIT_ZEROS;
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

Suite *suite_init(void)
{
    Suite *s = suite_create("init");
    TCase *tc = tcase_create("init");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_init_names);
    tcase_add_loop_test(tc, test_init_distribution, 0, NCASES);
    tcase_add_test(tc, test_init_seed);
    tcase_add_test(tc, test_init_stream);
    suite_add_tcase(s, tc);
    return s;
}
