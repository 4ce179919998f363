/* check_search.c - hyperparameter search: folds against scikit-learn's
 * KFold and StratifiedKFold (vectors computed with scikit-learn 1.2),
 * ParameterGrid's order, sampling from ranges (bounds, reproducibility,
 * log-uniform spread, no repeats from an all-list space), Keras Tuner's
 * Hyperband plan, rankdata's "min" ranking with NaN, the population std,
 * candidate models built from a template, the runs (cross-validation and
 * successive halving) and the `search` command end to end: the better
 * candidate wins and is refitted, Ctrl-C and refit=false leave the model
 * alone, every bad input is one error that changes nothing.  Its own
 * runner; the last line reads "check_search: N passed, N failed". */
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <check.h>
#include "repl.h"
#include "search.h"

/* ---- helpers ---- */

static int is_sorted_unique(const int *a, int n)
{
    for (int i = 1; i < n; i++)
        if (a[i] <= a[i - 1])
            return 0;
    return 1;
}

/* A Sequential template: input 2, dense 4 relu, dense 1 sigmoid, compiled
 * with binary cross-entropy and the optimizer given. */
static nn_model *template_model(nn_opt_kind opt, double lr)
{
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_model *m = nn_model_new(NULL, 1, &e);
    ck_assert_ptr_nonnull(m);
    int shape[1] = {2};
    ck_assert_int_ge(nn_model_add_input(m, shape, 1, NULL, &e), 0);
    nn_dense_cfg c;
    nn_dense_defaults(&c, 4);
    c.activation = NN_ACT_RELU;
    ck_assert_int_ge(nn_model_add_dense(m, 1 - 1, &c, NULL, &r, &e), 0);
    nn_dense_defaults(&c, 1);
    c.activation = NN_ACT_SIGMOID;
    ck_assert_int_ge(nn_model_add_dense(m, 1, &c, NULL, &r, &e), 0);
    nn_compile_cfg cc;
    nn_compile_defaults(&cc);
    cc.loss[0].kind = NN_LOSS_BCE;
    nn_opt_defaults(&cc.opt, opt);
    cc.opt.learning_rate = lr;
    ck_assert_msg(nn_model_compile(m, &cc, &e) == NN_OK, "%s", e.msg);
    return m;
}

static void add_ok(nn_space *sp, const char *key, const char *text, const nn_model *m)
{
    nn_err e;
    ck_assert_msg(nn_space_add(sp, key, text, m, &e) == NN_OK, "%s=%s: %s", key, text,
                  e.msg);
}

/* ---- folds ---- */

START_TEST(test_kfold_sklearn)
{
    /* KFold(3).split(range(10)): test folds 0 0 0 0 1 1 1 2 2 2 */
    static const int want[10] = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
    int fold[10];
    nn_err e;
    ck_assert_int_eq(nn_kfold(10, 3, NULL, fold, NULL, &e), NN_OK);
    for (int i = 0; i < 10; i++)
        ck_assert_msg(fold[i] == want[i], "sample %d in fold %d, sklearn %d", i,
                      fold[i], want[i]);
    /* sizes, disjointness and cover for many n and k */
    for (int n = 2; n <= 41; n++)
        for (int k = 2; k <= 6 && k <= n; k++) {
            int f[41], tr[41], te[41], ntr, nte, seen[41] = {0};
            ck_assert_int_eq(nn_kfold(n, k, NULL, f, NULL, &e), NN_OK);
            for (int j = 0; j < k; j++) {
                nn_fold_split(f, n, j, tr, &ntr, te, &nte);
                ck_assert_msg(nte == n / k + (j < n % k), "n=%d k=%d fold %d has %d",
                              n, k, j, nte);
                ck_assert_int_eq(ntr + nte, n);
                ck_assert(is_sorted_unique(tr, ntr) && is_sorted_unique(te, nte));
                for (int i = 0; i < nte; i++)
                    seen[te[i]]++;
                /* train and test disjoint: a test sample is no train sample */
                for (int i = 0, t = 0; i < ntr; i++) {
                    while (t < nte && te[t] < tr[i])
                        t++;
                    ck_assert_msg(t == nte || te[t] != tr[i], "n=%d k=%d overlap", n, k);
                }
            }
            for (int i = 0; i < n; i++)
                ck_assert_msg(seen[i] == 1, "n=%d k=%d: sample %d tested %d times", n,
                              k, i, seen[i]);
        }
}
END_TEST

START_TEST(test_kfold_errors)
{
    int fold[8];
    nn_err e;
    ck_assert_int_eq(nn_kfold(8, 1, NULL, fold, NULL, &e), NN_FAIL);
    ck_assert(strstr(e.msg, "at least 2") != NULL);
    ck_assert_int_eq(nn_kfold(8, 9, NULL, fold, NULL, &e), NN_FAIL);
    ck_assert(strstr(e.msg, "n_splits=9") != NULL);
    /* stratified: more folds than any class has members */
    static const int y[8] = {0, 1, 0, 1, 2, 2, 0, 1};
    ck_assert_int_eq(nn_kfold(8, 4, y, fold, NULL, &e), NN_FAIL);
    ck_assert(strstr(e.msg, "each class") != NULL);
    int least = -1;
    ck_assert_int_eq(nn_kfold(8, 3, y, fold, &least, &e), NN_OK);
    ck_assert_int_eq(least, 2);
}
END_TEST

/* StratifiedKFold(n_splits=k).split(X, y), vectors from scikit-learn 1.2 */
typedef struct strat_case {
    int n, k;
    int y[32];
    int want[32];
} strat_case;

static const strat_case strat_cases[] = {
    {25, 3,
     {2, 2, 0, 1, 0, 2, 1, 1, 0, 0, 2, 1, 1, 0, 2, 0, 0, 1, 2, 0, 1, 1, 0, 2, 0},
     {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2}},
    {25, 4,
     {2, 2, 0, 1, 0, 2, 1, 1, 0, 0, 2, 1, 1, 0, 2, 0, 0, 1, 2, 0, 1, 1, 0, 2, 0},
     {0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 1, 1, 2, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3}},
    {12, 2, {1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1},
     {0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1}},
    {12, 3, {1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1},
     {0, 0, 0, 1, 1, 1, 2, 0, 1, 2, 2, 2}},
    /* k = 4 > the 3 members of class 0: scikit-learn warns, splits anyway */
    {12, 4, {1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1},
     {0, 0, 0, 1, 1, 2, 2, 1, 2, 3, 3, 3}},
};

START_TEST(test_stratified_sklearn)
{
    const strat_case *c = &strat_cases[_i];
    int fold[32], least;
    nn_err e;
    ck_assert_msg(nn_kfold(c->n, c->k, c->y, fold, &least, &e) == NN_OK, "%s", e.msg);
    for (int i = 0; i < c->n; i++)
        ck_assert_msg(fold[i] == c->want[i], "case %d: sample %d in fold %d, sklearn %d",
                      _i, i, fold[i], c->want[i]);
    if (_i == 4)
        ck_assert_int_eq(least, 3);
}
END_TEST

START_TEST(test_stratified_proportions)
{
    /* 3 classes, 600/300/100 in a scrambled order: every fold of 5 keeps
     * 60%/30%/10% (each class count within one of count / k) */
    enum { N = 1000, K = 5 };
    static int y[N], fold[N], tr[N], te[N];
    nn_rng r;
    nn_rng_seed(&r, 3);
    for (int i = 0; i < N; i++)
        y[i] = i < 600 ? 0 : i < 900 ? 1 : 2;
    for (int i = N - 1; i > 0; i--) {
        int j = (int)nn_rng_below(&r, (uint32_t)(i + 1)), t = y[i];
        y[i] = y[j];
        y[j] = t;
    }
    nn_err e;
    ck_assert_int_eq(nn_kfold(N, K, y, fold, NULL, &e), NN_OK);
    static const int total[3] = {600, 300, 100};
    for (int f = 0; f < K; f++) {
        int ntr, nte, cnt[3] = {0};
        nn_fold_split(fold, N, f, tr, &ntr, te, &nte);
        ck_assert_int_eq(nte, N / K);
        for (int i = 0; i < nte; i++)
            cnt[y[te[i]]]++;
        for (int c = 0; c < 3; c++)
            ck_assert_msg(abs(cnt[c] - total[c] / K) <= 1,
                          "fold %d has %d of class %d, want %d", f, cnt[c], c,
                          total[c] / K);
    }
    /* class labels of a data set: the class number, or the one-hot arg max */
    nn_dataset ds = {0};
    ck_assert_int_eq(nn_dataset_alloc(&ds, 3, 1, 1, &e), NN_OK);
    ds.nclasses = 3;
    ds.y[0] = 2;
    ds.y[1] = 0;
    ds.y[2] = 1;
    int lab[3];
    ck_assert_int_eq(nn_class_labels(&ds, lab), 0);
    ck_assert(lab[0] == 2 && lab[1] == 0 && lab[2] == 1);
    ds.nclasses = 0;
    ck_assert_int_eq(nn_class_labels(&ds, lab), -1);
    nn_dataset_free(&ds);
}
END_TEST

/* ---- candidates ---- */

START_TEST(test_grid_order)
{
    nn_model *m = template_model(NN_OPT_SGD, 0.01);
    nn_space sp = {0};
    /* given in any order; sorted as Python sorts dict keys */
    add_ok(&sp, "optimizer", "sgd,adam", m);
    add_ok(&sp, "learning_rate", "0.01,0.1", m);
    add_ok(&sp, "dense.units", "8,16,32", m);
    ck_assert_str_eq(sp.p[0].name, "dense.units");
    ck_assert_str_eq(sp.p[1].name, "learning_rate");
    ck_assert_str_eq(sp.p[2].name, "optimizer");
    ck_assert(nn_space_grid_size(&sp) == 12);
    /* list(ParameterGrid({...})) from scikit-learn 1.2 */
    static const double want[12][3] = {
        {8, 0.01, NN_OPT_SGD},  {8, 0.01, NN_OPT_ADAM},  {8, 0.1, NN_OPT_SGD},
        {8, 0.1, NN_OPT_ADAM},  {16, 0.01, NN_OPT_SGD},  {16, 0.01, NN_OPT_ADAM},
        {16, 0.1, NN_OPT_SGD},  {16, 0.1, NN_OPT_ADAM},  {32, 0.01, NN_OPT_SGD},
        {32, 0.01, NN_OPT_ADAM}, {32, 0.1, NN_OPT_SGD},  {32, 0.1, NN_OPT_ADAM},
    };
    for (int i = 0; i < 12; i++) {
        double v[3];
        nn_space_grid_at(&sp, (uint64_t)i, v);
        for (int j = 0; j < 3; j++)
            ck_assert_msg(v[j] == want[i][j], "grid point %d key %d: %g, want %g", i, j,
                          v[j], want[i][j]);
    }
    char buf[128];
    nn_hp_format(&sp.p[2], NN_OPT_ADAM, buf, sizeof buf);
    ck_assert_str_eq(buf, "adam");
    nn_hp_describe(&sp.p[0], buf, sizeof buf);
    ck_assert_str_eq(buf, "[8, 16, 32]");
    ck_assert_int_eq(nn_space_has_range(&sp), 0);
    nn_model_free(m);
}
END_TEST

START_TEST(test_random_ranges)
{
    nn_model *m = template_model(NN_OPT_SGD, 0.01);
    nn_space sp = {0};
    add_ok(&sp, "learning_rate", "1e-4:1e-1:log", m);
    add_ok(&sp, "dense.units", "16:128", m);
    add_ok(&sp, "momentum", "0:0.9", m);
    add_ok(&sp, "optimizer", "sgd", m);
    ck_assert_int_eq(nn_space_has_range(&sp), 1);
    ck_assert(nn_space_grid_size(&sp) == 0);
    char buf[128];
    nn_hp_describe(&sp.p[nn_space_find(&sp, "learning_rate")], buf, sizeof buf);
    ck_assert_str_eq(buf, "loguniform(0.0001, 0.1)");
    nn_hp_describe(&sp.p[nn_space_find(&sp, "dense.units")], buf, sizeof buf);
    ck_assert_str_eq(buf, "randint(16, 129)");
    nn_hp_describe(&sp.p[nn_space_find(&sp, "momentum")], buf, sizeof buf);
    ck_assert_str_eq(buf, "uniform(loc=0, scale=0.9)");
    enum { N = 3000 };
    static double a[N * 4], b[N * 4];
    nn_rng r;
    nn_err e;
    nn_rng_seed(&r, 11);
    ck_assert_int_eq(nn_space_sample(&sp, N, &r, a, &e), N);
    int ju = nn_space_find(&sp, "dense.units"), jl = nn_space_find(&sp, "learning_rate"),
        jm = nn_space_find(&sp, "momentum");
    int lo_hit = 0, hi_hit = 0, below = 0;
    for (int i = 0; i < N; i++) {
        double u = a[i * 4 + ju], lr = a[i * 4 + jl], mo = a[i * 4 + jm];
        ck_assert_msg(u >= 16 && u <= 128 && u == floor(u), "units %g", u);
        ck_assert_msg(lr >= 1e-4 && lr <= 1e-1, "learning_rate %g", lr);
        ck_assert_msg(mo >= 0 && mo <= 0.9, "momentum %g", mo);
        lo_hit += u == 16;
        hi_hit += u == 128;
        below += lr < 1e-3;   /* log-uniform: a third of the draws per decade */
    }
    ck_assert_msg(lo_hit > 0 && hi_hit > 0, "ends of randint not reached: %d %d", lo_hit,
                  hi_hit);
    ck_assert_msg(fabs(below / (double)N - 1.0 / 3) < 0.04, "%d of %d below 1e-3", below,
                  N);
    /* reproducible by seed, different for another */
    nn_rng_seed(&r, 11);
    ck_assert_int_eq(nn_space_sample(&sp, N, &r, b, &e), N);
    ck_assert(memcmp(a, b, sizeof a) == 0);
    nn_rng_seed(&r, 12);
    ck_assert_int_eq(nn_space_sample(&sp, N, &r, b, &e), N);
    ck_assert(memcmp(a, b, sizeof a) != 0);
    ck_assert_int_eq(nn_space_sample(&sp, 0, &r, b, &e), NN_FAIL);
    /* an integer log range stays within its ends */
    nn_space s2 = {0};
    add_ok(&s2, "batch_size", "8:256:log", m);
    for (int i = 0; i < 1000; i++) {
        double v = nn_hp_sample(&s2.p[0], &r);
        ck_assert(v >= 8 && v <= 256 && v == floor(v));
    }
    nn_model_free(m);
}
END_TEST

START_TEST(test_random_lists_no_repeats)
{
    nn_model *m = template_model(NN_OPT_SGD, 0.01);
    nn_space sp = {0};
    add_ok(&sp, "dense.units", "2,4,8", m);
    add_ok(&sp, "dense.activation", "relu,tanh", m);
    double v[10 * 2];
    nn_rng r;
    nn_err e;
    nn_rng_seed(&r, 5);
    /* 6 grid points: n_iter=10 runs 6, each point once (sklearn warns) */
    ck_assert_int_eq(nn_space_sample(&sp, 10, &r, v, &e), 6);
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < i; j++)
            ck_assert_msg(v[i * 2] != v[j * 2] || v[i * 2 + 1] != v[j * 2 + 1],
                          "candidates %d and %d are the same", i, j);
    ck_assert_int_eq(nn_space_sample(&sp, 4, &r, v, &e), 4);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < i; j++)
            ck_assert(v[i * 2] != v[j * 2] || v[i * 2 + 1] != v[j * 2 + 1]);
    nn_model_free(m);
}
END_TEST

/* ---- Hyperband ---- */

typedef struct hb_case {
    int max_epochs, factor, nb;
    int rounds[8][8][2];   /* per bracket, per round: trials, epochs; 0 ends */
} hb_case;

/* REFERENCE.md for (10, 3); the others from Keras Tuner's HyperbandOracle
 * (_get_num_brackets, _get_size, _get_epochs) run in Python. */
static const hb_case hb_cases[] = {
    {10, 3, 3, {{{12, 2}, {4, 4}, {2, 10}}, {{6, 4}, {2, 10}}, {{4, 10}}}},
    {100, 3, 5,
     {{{98, 2}, {33, 4}, {11, 12}, {4, 34}, {2, 100}},
      {{41, 4}, {14, 12}, {5, 34}, {2, 100}},
      {{18, 12}, {6, 34}, {2, 100}},
      {{9, 34}, {3, 100}},
      {{6, 100}}}},
    {27, 3, 4,
     {{{27, 1}, {9, 3}, {3, 9}, {1, 27}}, {{12, 3}, {4, 9}, {2, 27}},
      {{6, 9}, {2, 27}}, {{4, 27}}}},
    {81, 3, 5,
     {{{81, 1}, {27, 3}, {9, 9}, {3, 27}, {1, 81}}, {{34, 3}, {12, 9}, {4, 27}, {2, 81}},
      {{15, 9}, {5, 27}, {2, 81}}, {{8, 27}, {3, 81}}, {{5, 81}}}},
    {30, 2, 5,
     {{{20, 2}, {10, 4}, {5, 8}, {3, 15}, {2, 30}},
      {{12, 4}, {6, 8}, {3, 15}, {2, 30}},
      {{8, 8}, {4, 15}, {2, 30}},
      {{6, 15}, {3, 30}},
      {{6, 30}}}},
    {2, 2, 2, {{{2, 1}, {1, 2}}, {{2, 2}}}},
    {1, 3, 1, {{{1, 1}}}},
};

START_TEST(test_hyperband_plan)
{
    const hb_case *c = &hb_cases[_i];
    nn_hb_bracket b[NN_HB_MAXBRACKETS];
    nn_err e;
    int nb = nn_hyperband_plan(c->max_epochs, c->factor, b, NN_HB_MAXBRACKETS, &e);
    ck_assert_msg(nb == c->nb, "(%d, %d): %d brackets, want %d", c->max_epochs,
                  c->factor, nb, c->nb);
    for (int k = 0; k < nb; k++) {
        ck_assert_int_eq(b[k].nrounds, nb - k);
        for (int r = 0; r < b[k].nrounds; r++)
            ck_assert_msg(b[k].trials[r] == c->rounds[k][r][0] &&
                              b[k].epochs[r] == c->rounds[k][r][1],
                          "(%d, %d) bracket %d round %d: %dx%d, want %dx%d",
                          c->max_epochs, c->factor, k, r, b[k].trials[r], b[k].epochs[r],
                          c->rounds[k][r][0], c->rounds[k][r][1]);
    }
}
END_TEST

START_TEST(test_hyperband_plan_errors)
{
    nn_hb_bracket b[NN_HB_MAXBRACKETS];
    nn_err e;
    ck_assert_int_eq(nn_hyperband_plan(10, 1, b, NN_HB_MAXBRACKETS, &e), NN_FAIL);
    ck_assert_int_eq(nn_hyperband_plan(0, 3, b, NN_HB_MAXBRACKETS, &e), NN_FAIL);
    ck_assert_int_eq(nn_hyperband_plan(100001, 3, b, NN_HB_MAXBRACKETS, &e), NN_FAIL);
    ck_assert_int_eq(nn_hyperband_plan(100000, 2, b, NN_HB_MAXBRACKETS, &e), 17);
}
END_TEST

/* ---- statistics ---- */

START_TEST(test_rank_min)
{
    /* rankdata(-means, "min") after NaN -> nanmin - 1 (scikit-learn) */
    static const double m[6] = {0.9, 0.8, 0.9, NAN, 0.7, 0.8};
    static const int want[6] = {1, 3, 1, 6, 5, 3};
    int rank[6];
    nn_search_rank(m, 6, rank);
    for (int i = 0; i < 6; i++)
        ck_assert_msg(rank[i] == want[i], "rank[%d] = %d, want %d", i, rank[i], want[i]);
    static const double all_nan[3] = {NAN, NAN, NAN};
    nn_search_rank(all_nan, 3, rank);
    ck_assert(rank[0] == 1 && rank[1] == 1 && rank[2] == 1);
    static const double neg[4] = {-0.5, -0.25, -0.25, -1};   /* neg_loss scores */
    static const int wneg[4] = {3, 1, 1, 4};
    nn_search_rank(neg, 4, rank);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(rank[i], wneg[i]);
}
END_TEST

START_TEST(test_mean_std)
{
    /* np.mean, np.std (ddof 0) of [0.1, 0.4, 0.35] */
    static const double x[3] = {0.1, 0.4, 0.35};
    double mean, std;
    nn_search_mean_std(x, 3, &mean, &std);
    ck_assert_double_eq_tol(mean, 0.2833333333333333, 1e-15);
    ck_assert_double_eq_tol(std, 0.13123346456686352, 1e-15);
    static const double y[3] = {0.5, NAN, 0.5};
    nn_search_mean_std(y, 3, &mean, &std);
    ck_assert(isnan(mean) && isnan(std));
    static const double z[2] = {0.75, 0.75};
    nn_search_mean_std(z, 2, &mean, &std);
    ck_assert(mean == 0.75 && std == 0);
}
END_TEST

/* ---- the space: bad keys and values ---- */

static void add_fails(const nn_model *m, const char *key, const char *text,
                      const char *needle)
{
    nn_space sp = {0};
    nn_err e;
    ck_assert_msg(nn_space_add(&sp, key, text, m, &e) == NN_FAIL, "%s=%s accepted", key,
                  text);
    ck_assert_msg(strstr(e.msg, needle) != NULL, "%s=%s: '%s' lacks '%s'", key, text,
                  e.msg, needle);
    ck_assert_int_eq(sp.n, 0);
}

START_TEST(test_space_errors)
{
    nn_model *m = template_model(NN_OPT_SGD, 0.01);
    add_fails(m, "foo", "1,2", "unknown key 'foo'");
    add_fails(m, "units", "8,16", "LAYER.units");
    add_fails(m, "nolayer.units", "8,16", "no layer named 'nolayer'");
    add_fails(m, "input_layer.units", "8,16", "Dense layers do");
    add_fails(m, "dense.bias", "8,16", "searchable settings");
    add_fails(m, ".units", "8,16", "unknown key");
    add_fails(m, "learning_rate", "0.1,abc", "'abc' is not a number");
    add_fails(m, "learning_rate", "0", "> 0");
    add_fails(m, "learning_rate", "nan", "is not a number");
    add_fails(m, "momentum", "1.5", "from 0 to");
    add_fails(m, "dense.units", "16.5", "whole number");
    add_fails(m, "dense.units", "8,,16", "empty value");
    add_fails(m, "dense.units", "8,16,", "empty value");
    add_fails(m, "dense.units", "", "no values");
    add_fails(m, "dense.activation", "relu,relux", "unknown activation 'relux'");
    add_fails(m, "optimizer", "sgd,adamx", "unknown optimizer 'adamx'");
    add_fails(m, "nesterov", "maybe", "true or false");
    add_fails(m, "optimizer", "1:3", "not a range");
    add_fails(m, "dense.activation", "a:b", "not a range");
    add_fails(m, "learning_rate", "1e-4:1e-1:ln", "log");
    add_fails(m, "learning_rate", "0.1:0.01", "empty");
    add_fails(m, "learning_rate", "1e-4:x", "high end");
    add_fails(m, "momentum", "0:0.9:log", "LOW > 0");
    add_fails(m, "dense.units", "1:2:3:4", "LOW:HIGH");
    add_fails(m, "epochs", "0,5", "whole number from 1");
    nn_space sp = {0};
    nn_err e;
    add_ok(&sp, "dense.units", "8,16", m);
    ck_assert_int_eq(nn_space_add(&sp, "dense.units", "4", m, &e), NN_FAIL);
    ck_assert(strstr(e.msg, "twice") != NULL);
    /* swish and None are activations, as in Keras */
    add_ok(&sp, "dense_1.activation", "swish,None,sigmoid", m);
    nn_model_free(m);
}
END_TEST

START_TEST(test_space_check)
{
    nn_model *m = template_model(NN_OPT_ADAM, 0.01);
    nn_err e;
    nn_space sp = {0};
    add_ok(&sp, "momentum", "0.5,0.9", m);
    ck_assert_int_eq(nn_space_check(&sp, m, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "momentum is a setting of sgd") != NULL, "%s", e.msg);
    add_ok(&sp, "optimizer", "adam,sgd", m);
    ck_assert_msg(nn_space_check(&sp, m, &e) == NN_OK, "%s", e.msg);
    nn_space s2 = {0};
    add_ok(&s2, "n_hidden", "1,2", m);
    add_ok(&s2, "dense.units", "4,8", m);
    ck_assert_int_eq(nn_space_check(&s2, m, &e), NN_FAIL);
    ck_assert(strstr(e.msg, "not both") != NULL);
    /* n_hidden on a Functional model */
    nn_model *f = nn_model_new(NULL, 0, &e);
    nn_rng r;
    nn_rng_seed(&r, 2);
    int shape[1] = {2};
    int in = nn_model_add_input(f, shape, 1, NULL, &e);
    nn_dense_cfg c;
    nn_dense_defaults(&c, 1);
    int d = nn_model_add_dense(f, in, &c, NULL, &r, &e);
    ck_assert_int_eq(nn_model_set_outputs(f, &d, 1, &e), NN_OK);
    nn_compile_cfg cc;
    nn_compile_defaults(&cc);
    ck_assert_int_eq(nn_model_compile(f, &cc, &e), NN_OK);
    nn_space s3 = {0};
    add_ok(&s3, "n_neurons", "4,8", f);
    ck_assert_int_eq(nn_space_check(&s3, f, &e), NN_FAIL);
    ck_assert(strstr(e.msg, "Functional") != NULL);
    nn_model_free(f);
    nn_model_free(m);
}
END_TEST

/* ---- candidate models ---- */

START_TEST(test_build_layers)
{
    nn_model *m = template_model(NN_OPT_SGD, 0.05);
    nn_space sp = {0};
    add_ok(&sp, "dense.units", "16", m);
    add_ok(&sp, "dense.activation", "tanh", m);
    add_ok(&sp, "dense.kernel_initializer", "he_normal", m);
    add_ok(&sp, "optimizer", "adam", m);
    add_ok(&sp, "momentum", "0.9", m);
    add_ok(&sp, "beta_1", "0.8", m);
    double v[6];
    nn_space_grid_at(&sp, 0, v);
    nn_rng r;
    nn_err e;
    nn_rng_seed(&r, 9);
    nn_model *c = nn_search_build(m, &sp, v, NN_SCORE_ACCURACY, &r, &e);
    ck_assert_msg(c != NULL, "%s", e.msg);
    ck_assert_int_eq(c->n, 3);
    ck_assert_str_eq(c->nodes[1].name, "dense");
    ck_assert_int_eq(c->nodes[1].dense.units, 16);
    ck_assert_int_eq(c->nodes[1].dense.activation, NN_ACT_TANH);
    ck_assert_int_eq(c->nodes[1].dense.kernel_initializer, NN_INIT_HE_NORMAL);
    ck_assert_int_eq(c->nodes[2].fan_in, 16);
    ck_assert_int_eq(c->nodes[2].dense.activation, NN_ACT_SIGMOID);
    ck_assert_uint_eq(c->nparams, 2 * 16 + 16 + 16 + 1);
    ck_assert(c->compiled);
    /* adam from Keras's defaults, with the template's learning rate, its
     * beta_1 searched, sgd's momentum ignored */
    ck_assert_int_eq(c->cc.opt.kind, NN_OPT_ADAM);
    ck_assert_double_eq(c->cc.opt.learning_rate, 0.05);
    ck_assert_double_eq(c->cc.opt.beta_1, 0.8);
    ck_assert_double_eq(c->cc.opt.beta_2, 0.999);
    /* scoring=accuracy adds the metric */
    ck_assert_int_eq(c->cc.nmetrics, 1);
    ck_assert_int_eq(c->cc.metrics[0], NN_MET_ACCURACY);
    /* the template is untouched */
    ck_assert_int_eq(m->nodes[1].dense.units, 4);
    ck_assert_int_eq(m->cc.nmetrics, 0);
    nn_model_free(c);
    /* the template as it is, fresh weights */
    c = nn_search_build(m, NULL, NULL, NN_SCORE_COUNT, &r, &e);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(c->nparams, m->nparams);
    ck_assert(memcmp(c->params, m->params, m->nparams * sizeof(float)) != 0);
    ck_assert_int_eq(c->cc.nmetrics, 0);
    ck_assert_int_eq(c->cc.opt.kind, NN_OPT_SGD);
    nn_model_free(c);
    nn_model_free(m);
}
END_TEST

START_TEST(test_build_stack)
{
    /* Géron's build_model(n_hidden, n_neurons) on input-dense(4)-dense(1) */
    nn_model *m = template_model(NN_OPT_SGD, 0.01);
    nn_space sp = {0};
    add_ok(&sp, "n_hidden", "0,1,3", m);
    add_ok(&sp, "n_neurons", "7", m);
    nn_err e;
    ck_assert_msg(nn_space_check(&sp, m, &e) == NN_OK, "%s", e.msg);
    nn_rng r;
    nn_rng_seed(&r, 4);
    static const int nodes[3] = {2, 3, 5};
    for (int i = 0; i < 3; i++) {
        double v[2];
        nn_space_grid_at(&sp, (uint64_t)i, v);
        nn_model *c = nn_search_build(m, &sp, v, NN_SCORE_COUNT, &r, &e);
        ck_assert_msg(c != NULL, "%s", e.msg);
        ck_assert_int_eq(c->n, nodes[i]);
        for (int k = 1; k < c->n - 1; k++) {
            ck_assert_int_eq(c->nodes[k].kind, NN_NODE_DENSE);
            ck_assert_int_eq(c->nodes[k].dense.units, 7);
            ck_assert_int_eq(c->nodes[k].dense.activation, NN_ACT_RELU);
            for (int j = 0; j < k; j++)
                ck_assert_str_ne(c->nodes[j].name, c->nodes[k].name);
        }
        const nn_node *out = &c->nodes[c->n - 1];
        ck_assert_str_eq(out->name, "dense_1");   /* the template's output keeps its name */
        ck_assert_int_eq(out->dense.units, 1);
        ck_assert_int_eq(out->fan_in, i == 0 ? 2 : 7);
        nn_model_free(c);
    }
    /* a template without hidden layers gets Dense(30, relu) ones */
    nn_model *t = nn_model_new(NULL, 1, &e);
    int shape[1] = {2};
    nn_model_add_input(t, shape, 1, NULL, &e);
    nn_dense_cfg dc;
    nn_dense_defaults(&dc, 1);
    nn_model_add_dense(t, 0, &dc, NULL, &r, &e);
    nn_compile_cfg cc;
    nn_compile_defaults(&cc);
    ck_assert_int_eq(nn_model_compile(t, &cc, &e), NN_OK);
    nn_space s2 = {0};
    add_ok(&s2, "n_hidden", "2", t);
    double v = 2;
    nn_model *c = nn_search_build(t, &s2, &v, NN_SCORE_COUNT, &r, &e);
    ck_assert_msg(c != NULL, "%s", e.msg);
    ck_assert_int_eq(c->n, 4);
    ck_assert_int_eq(c->nodes[1].dense.units, 30);
    ck_assert_int_eq(c->nodes[2].dense.activation, NN_ACT_RELU);
    ck_assert_int_eq(c->nodes[3].dense.units, 1);
    nn_model_free(c);
    nn_model_free(t);
    nn_model_free(m);
}
END_TEST

/* ---- the runs ---- */

static void moons(nn_dataset *ds, int n, uint64_t seed)
{
    nn_rng r;
    nn_err e;
    nn_rng_seed(&r, seed);
    ck_assert_int_eq(nn_datagen(ds, "moons", n, 0.1, &r, &e), NN_OK);
}

typedef struct step_log {
    int n;
    nn_search_step st[64];
    int stop_after;      /* set the flag after this many steps (0: never) */
    volatile sig_atomic_t *flag;
} step_log;

static int log_step(void *ctx, const nn_search_step *st)
{
    step_log *l = ctx;
    if (l->n < 64)
        l->st[l->n++] = *st;
    if (l->stop_after && l->n == l->stop_after)
        *l->flag = 1;
    return 0;
}

START_TEST(test_cv_run)
{
    nn_dataset ds = {0};
    moons(&ds, 150, 7);
    nn_model *m = template_model(NN_OPT_ADAM, 0.01);
    nn_space sp = {0};
    add_ok(&sp, "learning_rate", "0.00001,0.05", m);
    double vals[2];
    nn_space_grid_at(&sp, 0, vals);
    nn_space_grid_at(&sp, 1, vals + 1);
    int fold[150], lab[150];
    nn_err e;
    ck_assert_int_eq(nn_class_labels(&ds, lab), 0);
    ck_assert_int_eq(nn_kfold(150, 3, lab, fold, NULL, &e), NN_OK);
    nn_search_opts o;
    nn_search_defaults(&o);
    o.epochs = 15;
    step_log lg = {0};
    o.step = log_step;
    o.ctx = &lg;
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_cv_result res;
    ck_assert_msg(nn_search_cv(m, &ds, &sp, vals, 2, fold, 3, &o, &r, &res, &e) == NN_OK,
                  "%s", e.msg);
    ck_assert_int_eq(res.ndone, 2);
    ck_assert_int_eq(res.stopped, 0);
    ck_assert_int_eq(lg.n, 6);
    for (int i = 0; i < 6; i++) {
        ck_assert_int_eq(lg.st[i].cand, i / 3);    /* candidate by candidate */
        ck_assert_int_eq(lg.st[i].fold, i % 3);
        ck_assert_double_eq(res.scores[i], lg.st[i].score);
    }
    /* the obviously better learning rate wins */
    ck_assert_int_eq(res.best, 1);
    ck_assert_int_eq(res.rank[1], 1);
    ck_assert_int_eq(res.rank[0], 2);
    ck_assert_msg(res.mean[1] > 0.8 && res.mean[1] > res.mean[0] + 0.1,
                  "means %g %g", res.mean[0], res.mean[1]);
    double mean, std;
    nn_search_mean_std(res.scores + 3, 3, &mean, &std);
    ck_assert_double_eq(res.mean[1], mean);
    ck_assert_double_eq(res.std[1], std);
    nn_cv_result_free(&res);

    /* an interrupt during the 4th fit: candidate 0 complete, 1 dropped */
    volatile sig_atomic_t flag = 0;
    lg.n = 0;
    lg.stop_after = 3;
    lg.flag = &flag;
    o.interrupt = &flag;
    ck_assert_int_eq(nn_search_cv(m, &ds, &sp, vals, 2, fold, 3, &o, &r, &res, &e), NN_OK);
    ck_assert_int_eq(res.stopped, 1);
    ck_assert_int_eq(res.ndone, 1);
    ck_assert_int_eq(res.best, 0);
    ck_assert_int_eq(lg.n, 3);
    nn_cv_result_free(&res);
    nn_model_free(m);
    nn_dataset_free(&ds);
}
END_TEST

/* Fits two at a time give what one after another gives: every score,
 * every step in order, and the generator's state after; with a candidate
 * whose loss goes NaN in its first epoch (its fit draws fewer shuffles,
 * so the guess of where the next fit starts is wrong and it runs again),
 * and with the step hook stopping the search in the middle of a pair. */
START_TEST(test_cv_parallel_same)
{
    nn_dataset ds = {0};
    moons(&ds, 150, 7);
    /* 2 -> 8 relu -> 1 linear, mean squared error: a learning rate of
     * 1000 overflows within the first epoch */
    nn_err e;
    nn_rng ri;
    nn_rng_seed(&ri, 1);
    nn_model *m = nn_model_new(NULL, 1, &e);
    int shape[1] = {2};
    ck_assert_int_ge(nn_model_add_input(m, shape, 1, NULL, &e), 0);
    nn_dense_cfg c;
    nn_dense_defaults(&c, 8);
    c.activation = NN_ACT_RELU;
    ck_assert_int_ge(nn_model_add_dense(m, 0, &c, NULL, &ri, &e), 0);
    nn_dense_defaults(&c, 1);
    ck_assert_int_ge(nn_model_add_dense(m, 1, &c, NULL, &ri, &e), 0);
    nn_compile_cfg cc;
    nn_compile_defaults(&cc);
    cc.loss[0].kind = NN_LOSS_MSE;
    nn_opt_defaults(&cc.opt, NN_OPT_SGD);
    ck_assert_msg(nn_model_compile(m, &cc, &e) == NN_OK, "%s", e.msg);
    nn_space sp = {0};
    add_ok(&sp, "learning_rate", "0.01,1000,0.1", m);
    double vals[3];
    for (int i = 0; i < 3; i++)
        nn_space_grid_at(&sp, (uint64_t)i, vals + i);
    int fold[150];
    ck_assert_int_eq(nn_kfold(150, 3, NULL, fold, NULL, &e), NN_OK);
    for (int stop = 0; stop < 2; stop++) {
        nn_cv_result res[2];
        step_log lg[2];
        nn_rng r[2];
        volatile sig_atomic_t flag[2] = {0, 0};
        for (int jobs = 1; jobs <= 2; jobs++) {
            nn_search_opts o;
            nn_search_defaults(&o);
            o.epochs = 4;
            o.jobs = jobs;
            o.scoring = NN_SCORE_R2;
            memset(&lg[jobs - 1], 0, sizeof lg[0]);
            lg[jobs - 1].stop_after = stop ? 5 : 0;   /* 5: inside the pair 4, 5 */
            lg[jobs - 1].flag = &flag[jobs - 1];
            o.interrupt = &flag[jobs - 1];
            o.step = log_step;
            o.ctx = &lg[jobs - 1];
            nn_rng_seed(&r[jobs - 1], 3);
            ck_assert_msg(nn_search_cv(m, &ds, &sp, vals, 3, fold, 3, &o, &r[jobs - 1],
                                       &res[jobs - 1], &e) == NN_OK, "%s", e.msg);
        }
        ck_assert_int_eq(res[0].ndone, stop ? 1 : 3);
        ck_assert_int_eq(res[1].ndone, res[0].ndone);
        ck_assert_int_eq(res[1].stopped, res[0].stopped);
        ck_assert_int_eq(lg[1].n, lg[0].n);
        ck_assert_int_eq(lg[0].n, stop ? 5 : 9);
        int nans = 0;
        for (int i = 0; i < lg[0].n; i++) {
            ck_assert_int_eq(lg[1].st[i].cand, lg[0].st[i].cand);
            ck_assert_int_eq(lg[1].st[i].fold, lg[0].st[i].fold);
            ck_assert_int_eq(lg[1].st[i].nan, lg[0].st[i].nan);
            nans += lg[0].st[i].nan;
            double a = lg[0].st[i].score, b = lg[1].st[i].score;
            ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "step %d: %.17g vs %.17g",
                          i, a, b);
        }
        ck_assert_msg(nans >= 1, "the learning rate 1000 did not go NaN");
        ck_assert_msg(memcmp(&r[0], &r[1], sizeof r[0]) == 0, "generator differs");
        ck_assert_int_eq(res[1].best, res[0].best);
        nn_cv_result_free(&res[0]);
        nn_cv_result_free(&res[1]);
    }
    nn_model_free(m);
    nn_dataset_free(&ds);
}
END_TEST

START_TEST(test_hyperband_run)
{
    nn_dataset ds = {0}, tr, va;
    moons(&ds, 200, 8);
    nn_dataset_view(&tr, &ds, 0, 150);
    nn_dataset_view(&va, &ds, 150, 50);
    nn_model *m = template_model(NN_OPT_ADAM, 0.01);
    nn_space sp = {0};
    add_ok(&sp, "learning_rate", "1e-5:1e-1:log", m);
    nn_hb_bracket plan[NN_HB_MAXBRACKETS];
    nn_err e;
    /* (3, 3): 3x1 -> 1x3, then 2x3 */
    int nb = nn_hyperband_plan(3, 3, plan, NN_HB_MAXBRACKETS, &e);
    ck_assert_int_eq(nb, 2);
    nn_search_opts o;
    nn_search_defaults(&o);
    step_log lg = {0};
    o.step = log_step;
    o.ctx = &lg;
    nn_rng r, sr;
    nn_rng_seed(&r, 1);
    nn_rng_seed(&sr, 2);
    nn_hb_result res;
    ck_assert_msg(nn_search_hyperband(m, &tr, &va, &sp, plan, nb, &o, &sr, &r, &res, &e) ==
                      NN_OK, "%s", e.msg);
    ck_assert_int_eq(res.ntrials, 5);
    ck_assert_int_eq(lg.n, 6);
    static const int from[6] = {0, 0, 0, 1, 0, 0}, to[6] = {1, 1, 1, 3, 3, 3};
    for (int i = 0; i < 6; i++) {
        ck_assert_int_eq(lg.st[i].epochs_from, from[i]);
        ck_assert_int_eq(lg.st[i].epochs_to, to[i]);
    }
    /* the trial that went on was the best of the first round */
    int best0 = 0;
    for (int i = 1; i < 3; i++)
        if (lg.st[i].score > lg.st[best0].score)
            best0 = i;
    ck_assert_int_eq(lg.st[3].cand, lg.st[best0].cand);
    ck_assert_int_eq(res.rounds[lg.st[3].cand], 2);
    ck_assert_int_eq(res.epochs[lg.st[3].cand], 3);
    for (int t = 0; t < 5; t++) {
        double lr = res.vals[t];
        ck_assert(lr >= 1e-5 && lr <= 1e-1);
        ck_assert_int_eq(res.bracket[t], t < 3 ? 0 : 1);
    }
    ck_assert(res.best >= 0 && res.rank[res.best] == 1);
    nn_hb_result_free(&res);
    nn_model_free(m);
    nn_dataset_free(&ds);
}
END_TEST

START_TEST(test_score_r2)
{
    /* a zero model predicts 0: r2 = 1 - sum y^2 / sum (y - mean)^2 */
    nn_err e;
    nn_model *m = nn_model_new(NULL, 1, &e);
    int shape[1] = {1};
    nn_model_add_input(m, shape, 1, NULL, &e);
    nn_dense_cfg c;
    nn_dense_defaults(&c, 1);
    c.kernel_initializer = NN_INIT_ZEROS;
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_model_add_dense(m, 0, &c, NULL, &r, &e);
    nn_compile_cfg cc;
    nn_compile_defaults(&cc);
    ck_assert_int_eq(nn_model_compile(m, &cc, &e), NN_OK);
    nn_dataset ds = {0};
    ck_assert_int_eq(nn_dataset_alloc(&ds, 4, 1, 1, &e), NN_OK);
    static const float y[4] = {1, 2, 3, 4};
    memcpy(ds.y, y, sizeof y);
    double s;
    ck_assert_int_eq(nn_search_score(m, &ds, NN_SCORE_R2, &s, &e), NN_OK);
    ck_assert_double_eq_tol(s, 1 - 30.0 / 5.0, 1e-12);
    ck_assert_int_eq(nn_search_score(m, &ds, NN_SCORE_LOSS, &s, &e), NN_OK);
    ck_assert_double_eq_tol(s, -30.0 / 4.0, 1e-6);   /* -mse */
    /* perfect predictions score 1, constant targets predicted wrong 0 */
    for (int i = 0; i < 4; i++)
        ds.y[i] = 0;
    ck_assert_int_eq(nn_search_score(m, &ds, NN_SCORE_R2, &s, &e), NN_OK);
    ck_assert_double_eq(s, 1.0);
    for (int i = 0; i < 4; i++)
        ds.y[i] = 2;
    ck_assert_int_eq(nn_search_score(m, &ds, NN_SCORE_R2, &s, &e), NN_OK);
    ck_assert_double_eq(s, 0.0);
    nn_dataset_free(&ds);
    nn_model_free(m);
}
END_TEST

/* ---- the command ---- */

static repl_session sess;

static void run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
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

/* moons, a small MLP compiled with adam */
static void session_moons(void)
{
    repl_session_init(&sess, 42);
    run("data moons n=150 noise=0.1");
    run("input 2");
    run("dense 4 activation=tanh");
    run("dense 1 activation=sigmoid");
    run("compile loss=binary_crossentropy optimizer=adam learning_rate=0.01 "
        "metrics=accuracy");
}

START_TEST(test_command_grid_refit)
{
    session_moons();
    nn_model *before = sess.model;
    run("search grid learning_rate=0.00001,0.05 cv=3 epochs=15 verbose=0");
    ck_assert_ptr_ne(sess.model, before);   /* the refitted best */
    ck_assert_double_eq(sess.model->cc.opt.learning_rate, 0.05);
    ck_assert_int_eq(sess.hist.nepochs, 15);
    ck_assert_int_eq(sess.model->epochs_done, 15);
    ck_assert_int_eq(sess.model->cc.nmetrics, 1);   /* as compiled: accuracy */
    run("expect accuracy min=0.8");
    /* layers, n_hidden and random search through the command */
    run("search grid dense.units=1,8 dense.activation=tanh,relu cv=2 epochs=3 verbose=0");
    run("search random dense.units=2:16 learning_rate=1e-3:1e-1:log n_iter=3 cv=2 "
        "epochs=2 seed=3 verbose=0");
    run("search grid n_hidden=0,2 n_neurons=5 cv=2 epochs=2 refit=true verbose=0");
    ck_assert(sess.model->n == 2 || sess.model->n == 4);
    run("search hyperband learning_rate=1e-3:1e-1:log max_epochs=3 verbose=0");
    /* the best trial's epochs: 1 or 3 in the plan 3x1 -> 1x3, 2x3 */
    ck_assert(sess.model->epochs_done == 1 || sess.model->epochs_done == 3);
    repl_session_free(&sess);
}
END_TEST

/* Model, weights, history and generator as they were. */
typedef struct snap {
    nn_model *m;
    float *p;
    size_t np;
    int nepochs;
    nn_rng rng;
} snap;

static void snap_take(snap *k)
{
    k->m = sess.model;
    k->np = sess.model ? sess.model->nparams : 0;
    k->p = malloc(k->np * sizeof(float) + 1);
    if (k->np)
        memcpy(k->p, sess.model->params, k->np * sizeof(float));
    k->nepochs = sess.hist.nepochs;
    k->rng = sess.rng;
}

static void snap_check(const snap *k, const char *what, int rng_too)
{
    ck_assert_msg(sess.model == k->m, "%s: the model was replaced", what);
    if (k->m)
        ck_assert_msg(sess.model->nparams == k->np &&
                          memcmp(sess.model->params, k->p, k->np * sizeof(float)) == 0,
                      "%s: the weights changed", what);
    ck_assert_msg(sess.hist.nepochs == k->nepochs, "%s: the history changed", what);
    if (rng_too)
        ck_assert_msg(memcmp(&sess.rng, &k->rng, sizeof k->rng) == 0,
                      "%s: the generator moved", what);
}

START_TEST(test_command_no_refit)
{
    session_moons();
    run("fit epochs=2 verbose=0");
    snap k;
    snap_take(&k);
    run("search grid learning_rate=0.01,0.1 cv=2 epochs=2 refit=false verbose=0");
    snap_check(&k, "refit=false", 0);
    /* Ctrl-C before the first fit: nothing to show, nothing changed */
    const repl_cmd *c = repl_find("search");
    repl_args a;
    char msg[160];
    ck_assert_int_eq(repl_split("search grid learning_rate=0.01,0.1 cv=2 epochs=2", &a,
                                msg, sizeof msg), 0);
    repl_interrupted = 1;
    int before = sess.errors;
    ck_assert_int_eq(c->run(&sess, &a), 0);
    repl_interrupted = 0;
    ck_assert_int_eq(sess.errors, before);
    repl_args_free(&a);
    snap_check(&k, "interrupted search", 0);
    free(k.p);
    repl_session_free(&sess);
}
END_TEST

static void on_alarm(int sig)
{
    (void)sig;
    repl_interrupted = 1;
}

START_TEST(test_command_ctrl_c)
{
    /* Ctrl-C at some moment of a long search (a fit or between fits): the
     * search stops and the session's model stays as it was */
    session_moons();
    snap k;
    snap_take(&k);
    const repl_cmd *c = repl_find("search");
    repl_args a;
    char msg[160];
    ck_assert_int_eq(repl_split("search grid learning_rate=0.001,0.002,0.003,0.004,0.005,"
                                "0.006,0.007,0.008 dense.units=2,3,4,5,6,7,8,9 cv=5 "
                                "epochs=1000 verbose=0", &a, msg, sizeof msg), 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 50000}};   /* 50 ms */
    repl_interrupted = 0;
    setitimer(ITIMER_REAL, &it, NULL);
    int before = sess.errors;
    ck_assert_int_eq(c->run(&sess, &a), 0);
    ck_assert_msg(repl_interrupted == 1, "the search ended before the Ctrl-C");
    repl_interrupted = 0;
    ck_assert_int_eq(sess.errors, before);
    repl_args_free(&a);
    snap_check(&k, "Ctrl-C", 0);
    free(k.p);
    repl_session_free(&sess);
}
END_TEST

/* Each bad line: one error, nothing changed (not even the generator). */
static const char *const bad_lines[] = {
    "search",
    "search grid grid learning_rate=0.1,0.2",
    "search foo learning_rate=0.1,0.2",
    "search grid foo=1,2",
    "search grid units=8,16",
    "search grid nolayer.units=8,16",
    "search grid input_layer.units=8,16",
    "search grid dense.bias=8,16",
    "search grid learning_rate=0.1,abc",
    "search grid learning_rate=0.1,-1",
    "search grid dense.activation=relu,relux",
    "search grid dense.units=8,,16",
    "search grid optimizer=sgd,adamx",
    "search grid learning_rate=0.1,0.2 cv=1",
    "search grid learning_rate=0.1,0.2 cv=151",
    "search grid learning_rate=0.1,0.2 cv=76",     /* more than each class's 75 */
    "search grid learning_rate=0.1,0.2 cv=abc",
    "search random learning_rate=0.1,0.2 n_iter=0",
    "search grid learning_rate=0.1,0.2 n_iter=5",
    "search grid learning_rate=1e-4:1e-1:log",
    "search grid dense.units=8:64",
    "search random learning_rate=1e-1:1e-4:log",
    "search random learning_rate=0:1:log",
    "search random optimizer=1:2",
    "search grid momentum=0.5,0.9",                /* adam has no momentum */
    "search grid n_hidden=1,2 dense.units=4,8",
    "search grid learning_rate=0.1,0.2 scoring=r2",
    "search grid learning_rate=0.1,0.2 scoring=f1",
    "search grid learning_rate=0.1,0.2 refit=maybe",
    "search grid learning_rate=0.1,0.2 max_epochs=5",
    "search grid learning_rate=0.1,0.2 seed=3",
    "search hyperband learning_rate=0.1,0.2 cv=3",
    "search hyperband learning_rate=0.1,0.2 epochs=5",
    "search hyperband learning_rate=0.1,0.2 factor=1",
    "search hyperband learning_rate=0.1,0.2 max_epochs=0",
    "search hyperband learning_rate=0.1,0.2 validation_split=1.5",
    "search grid learning_rate=0.1,0.2 validation_split=0.2",
    "search grid learning_rate=0.1,0.2 epochs=0",
    "search grid learning_rate=0.1,0.2 batch_size=0,32",
    "search grid learning_rate=0.1,0.2 learning_rate=0.3",
    "search grid learning_rate=0.1,0.2 file=",
};

START_TEST(test_command_bad_input)
{
    session_moons();
    run("fit epochs=1 verbose=0");
    snap k;
    snap_take(&k);
    for (size_t i = 0; i < sizeof bad_lines / sizeof bad_lines[0]; i++) {
        int before = sess.errors;
        ck_assert_msg(repl_run_line(&sess, bad_lines[i]) != 0, "'%s' was accepted",
                      bad_lines[i]);
        ck_assert_msg(sess.errors == before + 1, "'%s': %d errors", bad_lines[i],
                      sess.errors - before);
        snap_check(&k, bad_lines[i], 1);
    }
    free(k.p);
    repl_session_free(&sess);
}
END_TEST

START_TEST(test_command_needs)
{
    /* no data, no model, not compiled, a regression scored by accuracy */
    repl_session_init(&sess, 42);
    static const char *const steps[] = {
        NULL, "data sine n=60", "input 1", "dense 1", "compile loss=mse",
    };
    static const char *const lines[] = {
        "search grid learning_rate=0.1,0.2",
        "search grid learning_rate=0.1,0.2",
        "search grid learning_rate=0.1,0.2",
        "search grid learning_rate=0.1,0.2",
        "search grid learning_rate=0.1,0.2 scoring=accuracy",
    };
    for (int i = 0; i < 5; i++) {
        if (steps[i])
            run("%s", steps[i]);
        int before = sess.errors;
        ck_assert_msg(repl_run_line(&sess, lines[i]) != 0 && sess.errors == before + 1,
                      "step %d: '%s' should fail", i, lines[i]);
    }
    /* regression: KFold and r2 by default */
    run("search grid learning_rate=0.001,0.01 cv=3 epochs=2 verbose=0 refit=false");
    repl_session_free(&sess);
}
END_TEST

START_TEST(test_command_csv)
{
    session_moons();
    char path[256];
    snprintf(path, sizeof path, "%s/check_search.%ld.csv",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
    run("search grid dense.units=2,4 learning_rate=0.01 cv=2 epochs=1 verbose=0 "
        "refit=false file=%s", path);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char line[512];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    /* the searched keys (learning_rate and epochs are fixed here) */
    ck_assert_str_eq(line, "mean_fit_time,std_fit_time,param_dense.units,"
                           "split0_test_score,split1_test_score,"
                           "mean_test_score,std_test_score,rank_test_score\n");
    int rows = 0;
    while (fgets(line, sizeof line, f))
        rows++;
    ck_assert_int_eq(rows, 2);
    fclose(f);
    remove(path);
    repl_session_free(&sess);
}
END_TEST

static Suite *suite_search(void)
{
    Suite *s = suite_create("search");
    TCase *tc = tcase_create("pure");
    tcase_add_test(tc, test_kfold_sklearn);
    tcase_add_test(tc, test_kfold_errors);
    tcase_add_loop_test(tc, test_stratified_sklearn, 0,
                        (int)(sizeof strat_cases / sizeof strat_cases[0]));
    tcase_add_test(tc, test_stratified_proportions);
    tcase_add_test(tc, test_grid_order);
    tcase_add_test(tc, test_random_ranges);
    tcase_add_test(tc, test_random_lists_no_repeats);
    tcase_add_loop_test(tc, test_hyperband_plan, 0,
                        (int)(sizeof hb_cases / sizeof hb_cases[0]));
    tcase_add_test(tc, test_hyperband_plan_errors);
    tcase_add_test(tc, test_rank_min);
    tcase_add_test(tc, test_mean_std);
    tcase_add_test(tc, test_space_errors);
    tcase_add_test(tc, test_space_check);
    tcase_add_test(tc, test_build_layers);
    tcase_add_test(tc, test_build_stack);
    tcase_add_test(tc, test_score_r2);
    suite_add_tcase(s, tc);
    tc = tcase_create("runs");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_cv_run);
    tcase_add_test(tc, test_cv_parallel_same);
    tcase_add_test(tc, test_hyperband_run);
    tcase_add_test(tc, test_command_grid_refit);
    tcase_add_test(tc, test_command_no_refit);
    tcase_add_test(tc, test_command_ctrl_c);
    tcase_add_test(tc, test_command_bad_input);
    tcase_add_test(tc, test_command_needs);
    tcase_add_test(tc, test_command_csv);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_search());
    srunner_run_all(sr, CK_NORMAL);
    int run_n = srunner_ntests_run(sr);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    printf("check_search: %d passed, %d failed\n", run_n - failed, failed);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
