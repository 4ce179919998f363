/* check_metrics.c - each metric on hand-made batches; running means over
 * several batches (the mean of all samples, not of batch means), weights,
 * rmse as the root of the total, and accuracy resolved from the loss. */
#include "check_util.h"
#include <math.h>
#include "loss.h"
#include "metrics.h"

START_TEST(test_metric_names)
{
    for (int k = 0; k < NN_MET_COUNT; k++) {
        nn_metric_kind got = NN_MET_COUNT;
        ck_assert_msg(nn_metric_names[k] != NULL, "name %d missing", k);
        ck_assert_msg(nn_metric_parse(nn_metric_names[k], &got) == 0
                      && got == (nn_metric_kind)k,
                      "%s does not parse back", nn_metric_names[k]);
    }
    ck_assert_ptr_null(nn_metric_names[NN_MET_COUNT]);
    static const struct { const char *name; nn_metric_kind k; } alias[] = {
        { "acc", NN_MET_ACCURACY }, { "mean_squared_error", NN_MET_MSE },
        { "mean_absolute_error", NN_MET_MAE },
        { "root_mean_squared_error", NN_MET_RMSE },
    };
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++) {
        nn_metric_kind k = NN_MET_COUNT;
        ck_assert_msg(nn_metric_parse(alias[i].name, &k) == 0 && k == alias[i].k,
                      "%s parses to %d, want %d", alias[i].name, k, alias[i].k);
    }
    const char *bad[] = { "Accuracy", "", "loss", "top_k", "f1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        nn_metric_kind k = NN_MET_MAE;
        ck_assert_msg(nn_metric_parse(bad[i], &k) == -1 && k == NN_MET_MAE,
                      "\"%s\" accepted", bad[i]);
    }
}
END_TEST

START_TEST(test_metric_resolve)
{
    static const struct { nn_loss_kind loss; int ok; nn_metric_kind want; } t[] = {
        { NN_LOSS_BCE, 0, NN_MET_BINARY_ACCURACY },
        { NN_LOSS_CCE, 0, NN_MET_CATEGORICAL_ACCURACY },
        { NN_LOSS_SCCE, 0, NN_MET_SPARSE_CATEGORICAL_ACCURACY },
        { NN_LOSS_MSE, -1, NN_MET_COUNT },
        { NN_LOSS_MAE, -1, NN_MET_COUNT },
        { NN_LOSS_HUBER, -1, NN_MET_COUNT },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        for (int fl = 0; fl < 2; fl++) {
            nn_loss L = { t[i].loss, fl, 1 };
            nn_metric_kind got = NN_MET_COUNT;
            int rc = nn_metric_resolve(NN_MET_ACCURACY, &L, &got);
            ck_assert_msg(rc == t[i].ok && (rc != 0 || got == t[i].want),
                          "accuracy with %s (from_logits %d): rc %d kind %d, "
                          "want rc %d kind %d", nn_loss_names[t[i].loss], fl,
                          rc, got, t[i].ok, t[i].want);
            /* every other kind passes through, whatever the loss */
            for (int k = 1; k < NN_MET_COUNT; k++) {
                got = NN_MET_COUNT;
                ck_assert_msg(nn_metric_resolve((nn_metric_kind)k, &L, &got) == 0
                              && got == (nn_metric_kind)k,
                              "%s with %s did not pass through",
                              nn_metric_names[k], nn_loss_names[t[i].loss]);
            }
        }
}
END_TEST

/* One batch of 3 rows, by hand. */
typedef struct met_case {
    const char *what;
    nn_metric_kind k;
    nn_loss L;
    int cols;
    float out[9], y[9];
    double want;          /* unweighted */
    double want_w;        /* with w = {1, 2, 5} */
} met_case;

static const met_case cases[] = {
    /* rows: (1, 1) right, (0.51 -> 1 vs 1, 0.5 -> 0 vs 1) half,
     * (0.2 -> 0 vs 0, 0.9 -> 1 vs 0) half: p > 0.5, strictly */
    { "binary_accuracy", NN_MET_BINARY_ACCURACY, { NN_LOSS_BCE, 0, 1 }, 2,
      { 0.9f, 0.1f, 0.51f, 0.5f, 0.2f, 0.9f }, { 1, 0, 1, 1, 0, 0 },
      2.0 / 3, (1 + 1 + 2.5) / 8 },
    /* logits: threshold 0; 0.3 counts as 1 (would be 0 at 0.5) */
    { "binary_accuracy from_logits", NN_MET_BINARY_ACCURACY,
      { NN_LOSS_BCE, 1, 1 }, 2,
      { 2, -1, 0.3f, -0.4f, -3, 0.2f }, { 1, 0, 1, 0, 0, 1 },
      1, 1 },
    /* "accuracy" with bce resolves to binary_accuracy */
    { "accuracy (bce)", NN_MET_ACCURACY, { NN_LOSS_BCE, 0, 1 }, 1,
      { 0.7f, 0.2f, 0.6f }, { 1, 1, 0 }, 1.0 / 3, 1.0 / 8 },
    /* argmax 1 vs 1, 0 vs 2, tie (0.4, 0.4) -> first = 0 vs 0 */
    { "categorical_accuracy", NN_MET_CATEGORICAL_ACCURACY,
      { NN_LOSS_CCE, 0, 1 }, 3,
      { 0.1f, 0.8f, 0.1f, 0.5f, 0.2f, 0.3f, 0.4f, 0.4f, 0.2f },
      { 0, 1, 0, 0, 0, 1, 1, 0, 0 }, 2.0 / 3, 6.0 / 8 },
    { "accuracy (cce)", NN_MET_ACCURACY, { NN_LOSS_CCE, 1, 1 }, 3,
      { 1, 5, 2, 9, 0, -1, 0, 0, 3 }, { 0, 1, 0, 0, 0, 1, 0, 0, 1 },
      2.0 / 3, 6.0 / 8 },
    { "sparse_categorical_accuracy", NN_MET_SPARSE_CATEGORICAL_ACCURACY,
      { NN_LOSS_SCCE, 0, 1 }, 3,
      { 0.1f, 0.8f, 0.1f, 0.5f, 0.2f, 0.3f, 0.2f, 0.3f, 0.5f },
      { 1, 2, 2 }, 2.0 / 3, 6.0 / 8 },
    { "accuracy (scce)", NN_MET_ACCURACY, { NN_LOSS_SCCE, 0, 1 }, 3,
      { 0.1f, 0.8f, 0.1f, 0.5f, 0.2f, 0.3f, 0.2f, 0.3f, 0.5f },
      { 0, 0, 1 }, 1.0 / 3, 2.0 / 8 },
    /* errors (1, -1), (0.5, 0), (2, 4): per-sample means over columns */
    { "mse", NN_MET_MSE, { NN_LOSS_MSE, 0, 1 }, 2,
      { 1, 0, 0.5f, 1, 2, 4 }, { 0, 1, 0, 1, 0, 0 },
      (1 + 0.125 + 10) / 3, (1 + 0.25 + 50) / 8 },
    { "mae", NN_MET_MAE, { NN_LOSS_MSE, 0, 1 }, 2,
      { 1, 0, 0.5f, 1, 2, 4 }, { 0, 1, 0, 1, 0, 0 },
      (1 + 0.25 + 3) / 3, (1 + 0.5 + 15) / 8 },
    { "rmse", NN_MET_RMSE, { NN_LOSS_MSE, 0, 1 }, 2,
      { 1, 0, 0.5f, 1, 2, 4 }, { 0, 1, 0, 1, 0, 0 },
      1.925703334715224 /* sqrt(11.125/3) */,
      2.5310570914145734 /* sqrt(51.25/8) */ },
};
#define NCASES ((int)(sizeof cases / sizeof cases[0]))

START_TEST(test_metric_hand)
{
    const met_case *c = &cases[_i];
    const float w[3] = { 1, 2, 5 };
    nn_metric_acc acc = { 0 }, accw = { 0 };
    nn_metric_update(c->k, &c->L, &acc, c->out, c->y, NULL, 3, c->cols);
    nn_metric_update(c->k, &c->L, &accw, c->out, c->y, w, 3, c->cols);
    double v = nn_metric_value(c->k, &acc), vw = nn_metric_value(c->k, &accw);
    ck_assert_msg(fabs(v - c->want) <= 1e-6, "%s: %.9g, want %.9g", c->what,
                  v, c->want);
    ck_assert_msg(fabs(vw - c->want_w) <= 1e-6, "%s weighted: %.9g, want "
                  "%.9g", c->what, vw, c->want_w);
    ck_assert_msg(acc.count == 3 && accw.count == 8,
                  "%s: counts %g and %g, want 3 and 8 (the weights)", c->what,
                  acc.count, accw.count);
}
END_TEST

START_TEST(test_metric_running)
{
    /* batch 1: 1 of 2 right; batch 2: 3 of 3 right.  Running mean over
     * the samples: 4/5, not the mean of the batch values (0.75). */
    nn_loss L = { NN_LOSS_SCCE, 0, 1 };
    float o1[4] = { 0.9f, 0.1f, 0.8f, 0.2f }, y1[2] = { 0, 1 };
    float o2[6] = { 0.3f, 0.7f, 0.6f, 0.4f, 0.1f, 0.9f }, y2[3] = { 1, 0, 1 };
    nn_metric_acc acc = { 0 };
    nn_metric_update(NN_MET_ACCURACY, &L, &acc, o1, y1, NULL, 2, 2);
    ck_assert_double_eq_tol(nn_metric_value(NN_MET_ACCURACY, &acc), 0.5, 1e-12);
    nn_metric_update(NN_MET_ACCURACY, &L, &acc, o2, y2, NULL, 3, 2);
    ck_assert_msg(fabs(nn_metric_value(NN_MET_ACCURACY, &acc) - 0.8) < 1e-12,
                  "running accuracy %g, want 0.8",
                  nn_metric_value(NN_MET_ACCURACY, &acc));
    /* weighted: w = (3, 1) on batch 1 -> (3 + 3) / (4 + 3) */
    float w1[2] = { 3, 1 };
    nn_metric_acc accw = { 0 };
    nn_metric_update(NN_MET_SPARSE_CATEGORICAL_ACCURACY, &L, &accw, o1, y1,
                     w1, 2, 2);
    ck_assert_double_eq_tol(nn_metric_value(NN_MET_SPARSE_CATEGORICAL_ACCURACY,
                                            &accw), 0.75, 1e-12);
    nn_metric_update(NN_MET_SPARSE_CATEGORICAL_ACCURACY, &L, &accw, o2, y2,
                     NULL, 3, 2);
    ck_assert_double_eq_tol(nn_metric_value(NN_MET_SPARSE_CATEGORICAL_ACCURACY,
                                            &accw), 6.0 / 7, 1e-12);
}
END_TEST

START_TEST(test_metric_rmse_total)
{
    /* batch 1 errors (1, 3), batch 2 error (2): sqrt(14 / 3) = 2.1602,
     * not the mean of the batch roots (sqrt 5 + 2) / 2 = 2.1180 */
    nn_loss L = { NN_LOSS_MSE, 0, 1 };
    float o1[2] = { 1, 3 }, y1[2] = { 0, 0 }, o2[1] = { -1 }, y2[1] = { 1 };
    nn_metric_acc acc = { 0 }, mse = { 0 };
    nn_metric_update(NN_MET_RMSE, &L, &acc, o1, y1, NULL, 2, 1);
    ck_assert_double_eq_tol(nn_metric_value(NN_MET_RMSE, &acc), sqrt(5), 1e-12);
    nn_metric_update(NN_MET_RMSE, &L, &acc, o2, y2, NULL, 1, 1);
    ck_assert_msg(fabs(nn_metric_value(NN_MET_RMSE, &acc) - sqrt(14.0 / 3)) < 1e-12,
                  "rmse over two batches %.9g, want %.9g",
                  nn_metric_value(NN_MET_RMSE, &acc), sqrt(14.0 / 3));
    nn_metric_update(NN_MET_MSE, &L, &mse, o1, y1, NULL, 2, 1);
    nn_metric_update(NN_MET_MSE, &L, &mse, o2, y2, NULL, 1, 1);
    ck_assert_double_eq_tol(nn_metric_value(NN_MET_MSE, &mse), 14.0 / 3, 1e-12);
}
END_TEST

START_TEST(test_metric_empty)
{
    /* nothing seen: 0 (Keras's divide_no_nan); accuracy of a regression
     * loss is not counted */
    nn_metric_acc acc = { 0 };
    for (int k = 0; k < NN_MET_COUNT; k++)
        ck_assert_msg(nn_metric_value((nn_metric_kind)k, &acc) == 0.0,
                      "%s of nothing is not 0", nn_metric_names[k]);
    nn_loss L = { NN_LOSS_MSE, 0, 1 };
    float o[2] = { 1, 2 }, y[2] = { 1, 2 };
    nn_metric_update(NN_MET_ACCURACY, &L, &acc, o, y, NULL, 2, 1);
    ck_assert_msg(acc.sum == 0 && acc.count == 0,
                  "accuracy with mse counted something");
}
END_TEST

/* top_k with k set: on rows (0.1, 0.5, 0.4) label 2 and (0.6, 0.3, 0.1)
 * label 1, k = 1 hits neither, k = 2 both (2 is second, 1 is second),
 * k = 0 means Keras's 5 (all). */
START_TEST(test_metric_top_k)
{
    const float o[6] = {0.1f, 0.5f, 0.4f, 0.6f, 0.3f, 0.1f};
    const float ys[2] = {2, 1};
    const float y1h[6] = {0, 0, 1, 0, 1, 0};
    nn_loss L = {.kind = NN_LOSS_SCCE, .delta = 1.0f, .gamma = 2.0f, .alpha = 0.25f};
    nn_loss C = L;
    C.kind = NN_LOSS_CCE;
    const int ks[3] = {1, 2, 0};
    const double want[3] = {0.0, 1.0, 1.0};
    for (int i = 0; i < 3; i++) {
        nn_metric_acc a, b;
        nn_metric_acc_init(&a, NN_MET_SPARSE_TOP_K, 3, NULL);
        nn_metric_acc_init(&b, NN_MET_TOP_K, 3, NULL);
        a.top_k = b.top_k = ks[i];
        nn_metric_update(NN_MET_SPARSE_TOP_K, &L, &a, o, ys, NULL, 2, 3);
        nn_metric_update(NN_MET_TOP_K, &C, &b, o, y1h, NULL, 2, 3);
        ck_assert_double_eq_tol(nn_metric_value(NN_MET_SPARSE_TOP_K, &a), want[i], 1e-12);
        ck_assert_double_eq_tol(nn_metric_value(NN_MET_TOP_K, &b), want[i], 1e-12);
        nn_metric_acc_free(&a);
        nn_metric_acc_free(&b);
    }
    /* k = 1 on the first row alone with label 1: a hit */
    nn_metric_acc a;
    nn_metric_acc_init(&a, NN_MET_SPARSE_TOP_K, 3, NULL);
    a.top_k = 1;
    const float y1[1] = {1};
    nn_metric_update(NN_MET_SPARSE_TOP_K, &L, &a, o, y1, NULL, 1, 3);
    ck_assert_double_eq_tol(nn_metric_value(NN_MET_SPARSE_TOP_K, &a), 1.0, 1e-12);
    nn_metric_acc_free(&a);
}
END_TEST

/* Keras 3's other losses as metrics: the weighted mean of the loss's
 * per-sample values (loss.c's per_sample), and accuracy with the focal
 * losses resolved as with their cross-entropies. */
START_TEST(test_metric_losses)
{
    static const struct { nn_metric_kind m; nn_loss_kind l; } pairs[] = {
        {NN_MET_KLD, NN_LOSS_KLD}, {NN_MET_POISSON, NN_LOSS_POISSON},
        {NN_MET_LOGCOSH, NN_LOSS_LOG_COSH}, {NN_MET_HINGE, NN_LOSS_HINGE},
        {NN_MET_SQUARED_HINGE, NN_LOSS_SQUARED_HINGE},
        {NN_MET_CATEGORICAL_HINGE, NN_LOSS_CATEGORICAL_HINGE},
    };
    const float o[6] = {0.2f, 0.7f, 0.1f, 0.5f, 0.25f, 0.25f};
    const float y[6] = {0, 1, 0, 1, 0, 0};
    const float w[2] = {1.0f, 3.0f};
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        nn_loss L = {.kind = NN_LOSS_MSE, .delta = 1.0f, .gamma = 2.0f, .alpha = 0.25f};
        nn_loss_kind lk;
        ck_assert_int_eq(nn_metric_loss(pairs[i].m, &lk), 0);
        ck_assert_int_eq(lk, pairs[i].l);
        nn_loss M = L;
        M.kind = pairs[i].l;
        float per[2];
        nn_loss_forward(&M, o, y, NULL, 2, 3, per);
        double want = (w[0] * per[0] + w[1] * per[1]) / (w[0] + w[1]);
        nn_metric_acc a;
        nn_metric_acc_init(&a, pairs[i].m, 3, NULL);
        nn_metric_update(pairs[i].m, &L, &a, o, y, w, 2, 3);
        ck_assert_msg(fabs(nn_metric_value(pairs[i].m, &a) - want) < 1e-6,
                      "%s: %g, want %g", nn_metric_names[pairs[i].m],
                      nn_metric_value(pairs[i].m, &a), want);
        ck_assert_msg(per[0] != 0.0f || per[1] != 0.0f, "%s: a zero table proves nothing",
                      nn_metric_names[pairs[i].m]);
        nn_metric_acc_free(&a);
        /* class numbers would be read past their one column: refused */
        nn_loss S = L;
        S.kind = NN_LOSS_SCCE;
        ck_assert_int_eq(nn_metric_check(pairs[i].m, &S, NULL), NN_FAIL);
        ck_assert_int_eq(nn_metric_check(pairs[i].m, &L, NULL), NN_OK);
    }
    nn_loss F = {.kind = NN_LOSS_BINARY_FOCAL};
    nn_metric_kind got;
    ck_assert_int_eq(nn_metric_resolve(NN_MET_ACCURACY, &F, &got), 0);
    ck_assert_int_eq(got, NN_MET_BINARY_ACCURACY);
    F.kind = NN_LOSS_CATEGORICAL_FOCAL;
    ck_assert_int_eq(nn_metric_resolve(NN_MET_ACCURACY, &F, &got), 0);
    ck_assert_int_eq(got, NN_MET_CATEGORICAL_ACCURACY);
    F.kind = NN_LOSS_HINGE;
    ck_assert_int_eq(nn_metric_resolve(NN_MET_ACCURACY, &F, &got), -1);
}
END_TEST

Suite *suite_metrics(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("metrics");
    tcase_add_test(tc, test_metric_names);
    tcase_add_test(tc, test_metric_resolve);
    tcase_add_loop_test(tc, test_metric_hand, 0, NCASES);
    tcase_add_test(tc, test_metric_running);
    tcase_add_test(tc, test_metric_rmse_total);
    tcase_add_test(tc, test_metric_empty);
    tcase_add_test(tc, test_metric_top_k);
    tcase_add_test(tc, test_metric_losses);
    suite_add_tcase(s, tc);
    return s;
}
