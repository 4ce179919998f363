/* check_metrics_conf.c - the metrics after rmse against hand-counted
 * tables and direct computations: precision and recall from a confusion
 * table counted by hand, over two batches (the epoch's totals, not a mean
 * of batch values) and weighted; auc against the pairs of a small table
 * and against Keras's formula evaluated threshold by threshold; f1_score
 * (macro) per class by hand; top_k with ties; r2_score, mape, msle,
 * cosine_similarity and the cross-entropies as metrics. */
#include <string.h>
#include "check_util.h"
#include "loss.h"
#include "metrics.h"
#include "schedule.h"

/* The metric k of loss L over the rows of out/y, fed in two batches
 * (split rows first), with weights w or NULL. */
static double run(nn_metric_kind k, nn_loss L, const float *out, const float *y,
                  const float *w, int rows, int cols, int ycols, int split)
{
    nn_metric_acc acc;
    nn_err e = {{0}};
    ck_assert_msg(nn_metric_acc_init(&acc, k, cols, &e) == NN_OK, "%s", e.msg);
    nn_metric_update(k, &L, &acc, out, y, w, split, cols);
    nn_metric_update(k, &L, &acc, out + (size_t)split * cols, y + (size_t)split * ycols,
                     w ? w + split : NULL, rows - split, cols);
    double v = nn_metric_value(k, &acc);
    nn_metric_acc_free(&acc);
    return v;
}

/* 8 binary samples: p > 0.5 predicts 1.
 *   i   p     y  pred          i   p     y  pred
 *   0  0.9    1   1  tp        4  0.3    0   0  tn
 *   1  0.8    1   1  tp        5  0.7    0   1  fp
 *   2  0.6    0   1  fp        6  0.2    0   0  tn
 *   3  0.4    1   0  fn        7  0.55   1   1  tp
 * tp 3, fp 2, fn 1: precision 3/5, recall 3/4.  Weights 1 2 1 1 1 3 1 2:
 * tp 1+2+2 = 5, fp 1+3 = 4, fn 1: precision 5/9, recall 5/6. */
static const float BP[8] = { 0.9f, 0.8f, 0.6f, 0.4f, 0.3f, 0.7f, 0.2f, 0.55f };
static const float BY[8] = { 1, 1, 0, 1, 0, 0, 0, 1 };
static const float BW[8] = { 1, 2, 1, 1, 1, 3, 1, 2 };

START_TEST(test_precision_recall)
{
    nn_loss L = { NN_LOSS_BCE, 0, 1 };
    ck_assert_double_eq_tol(run(NN_MET_PRECISION, L, BP, BY, NULL, 8, 1, 1, 3), 0.6, 1e-12);
    ck_assert_double_eq_tol(run(NN_MET_RECALL, L, BP, BY, NULL, 8, 1, 1, 3), 0.75, 1e-12);
    ck_assert_double_eq_tol(run(NN_MET_PRECISION, L, BP, BY, BW, 8, 1, 1, 3), 5.0 / 9, 1e-12);
    ck_assert_double_eq_tol(run(NN_MET_RECALL, L, BP, BY, BW, 8, 1, 1, 3), 5.0 / 6, 1e-12);
    /* batch 1 (rows 0-2) alone has precision 2/3 and batch 2 1/2: their
     * mean 0.583 is not the epoch's 0.6 */
    ck_assert_double_eq_tol(run(NN_MET_PRECISION, L, BP, BY, NULL, 3, 1, 1, 3), 2.0 / 3, 1e-12);
    /* logits: threshold 0 (log-odds of BP) gives the same table */
    float z[8];
    for (int i = 0; i < 8; i++)
        z[i] = logf(BP[i] / (1 - BP[i]));
    nn_loss Lz = { NN_LOSS_BCE, 1, 1 };
    ck_assert_double_eq_tol(run(NN_MET_PRECISION, Lz, z, BY, NULL, 8, 1, 1, 3), 0.6, 1e-12);
    /* nothing predicted positive, no positive: 0 (divide_no_nan) */
    float lo[2] = { 0.1f, 0.2f }, zero[2] = { 0, 0 };
    ck_assert(run(NN_MET_PRECISION, L, lo, zero, NULL, 2, 1, 1, 1) == 0.0);
    ck_assert(run(NN_MET_RECALL, L, lo, zero, NULL, 2, 1, 1, 1) == 0.0);
    /* integer labels count as one-hot rows: 3 classes, rows (label, p)
     * 0 (0.7 0.6 0.1), 2 (0.2 0.1 0.9): predicted 1s at (0,0) tp, (0,1)
     * fp, (1,2) tp: precision 2/3, recall 2/2 */
    nn_loss Ls = { NN_LOSS_SCCE, 0, 1 };
    float p3[6] = { 0.7f, 0.6f, 0.1f, 0.2f, 0.1f, 0.9f }, y3[2] = { 0, 2 };
    ck_assert_double_eq_tol(run(NN_MET_PRECISION, Ls, p3, y3, NULL, 2, 3, 1, 1), 2.0 / 3, 1e-12);
    ck_assert_double_eq_tol(run(NN_MET_RECALL, Ls, p3, y3, NULL, 2, 3, 1, 1), 1.0, 1e-12);
}
END_TEST

/* Keras's AUC, written out threshold by threshold (no buckets):
 * thresholds t_0 = -1e-7, t_i = i / 199, t_199 = 1 + 1e-7; tp_i, fp_i
 * the weights of positives and negatives with p > t_i; recall = tp / P,
 * fpr = fp / N; trapezoids between consecutive thresholds. */
static double keras_auc(const float *p, const float *y, const float *w, int n)
{
    double tp[200], fp[200], P = 0, N = 0;
    for (int i = 0; i < 200; i++) {
        double t = i == 0 ? -1e-7 : i == 199 ? 1 + 1e-7 : (double)i / 199;
        tp[i] = fp[i] = 0;
        for (int s = 0; s < n; s++)
            if (p[s] > t) {
                tp[i] += (w ? w[s] : 1) * y[s];
                fp[i] += (w ? w[s] : 1) * (1 - y[s]);
            }
    }
    for (int s = 0; s < n; s++)
        P += (w ? w[s] : 1) * y[s], N += (w ? w[s] : 1) * (1 - y[s]);
    double a = 0;
    for (int i = 0; i < 199; i++)
        a += (fp[i] / N - fp[i + 1] / N) * (tp[i] / P + tp[i + 1] / P) / 2;
    return a;
}

START_TEST(test_auc)
{
    nn_loss L = { NN_LOSS_BCE, 0, 1 };
    /* positives 0.9 0.7 0.2, negatives 0.8 0.3 0.1: of the 9 pairs 6 put
     * the positive higher (0.9 > all, 0.7 > 0.3 and 0.1, 0.2 > 0.1) */
    float p[6] = { 0.9f, 0.8f, 0.7f, 0.3f, 0.2f, 0.1f }, y[6] = { 1, 0, 1, 0, 1, 0 };
    ck_assert_double_eq_tol(run(NN_MET_AUC, L, p, y, NULL, 6, 1, 1, 2), 6.0 / 9, 1e-12);
    /* 0.5012 (positive) and 0.5015 (negative) share Keras's bucket 99
     * (ceil(199 p) - 1): a tie, half a pair: (2 + 1 + 0.5) / 4, where the
     * exact ranking would give 3/4 */
    float q[4] = { 0.9f, 0.5012f, 0.5015f, 0.1f }, yq[4] = { 1, 1, 0, 0 };
    ck_assert_double_eq_tol(run(NN_MET_AUC, L, q, yq, NULL, 4, 1, 1, 1), 3.5 / 4, 1e-12);
    /* 500 weighted pseudo-random samples against the formula */
    float r[500], yr[500], wr[500];
    unsigned x = 12345;
    for (int i = 0; i < 500; i++) {
        x = x * 1103515245u + 12345u;
        r[i] = (float)((x >> 8) % 100000) / 100000.0f;
        yr[i] = (float)(((x >> 4) % 100) < 30 + 50 * r[i]);
        wr[i] = 0.5f + (float)(i % 3);
    }
    double want = keras_auc(r, yr, wr, 500);
    double got = run(NN_MET_AUC, L, r, yr, wr, 500, 1, 1, 137);
    ck_assert_msg(fabs(got - want) < 1e-9, "auc %.12g, formula %.12g", got, want);
    ck_assert_msg(want > 0.6 && want < 0.95, "test data too easy or hard: %g", want);
    /* logits: the sigmoid first */
    float z[6];
    for (int i = 0; i < 6; i++)
        z[i] = logf(p[i] / (1 - p[i]));
    nn_loss Lz = { NN_LOSS_BCE, 1, 1 };
    ck_assert_double_eq_tol(run(NN_MET_AUC, Lz, z, y, NULL, 6, 1, 1, 2), 6.0 / 9, 1e-12);
}
END_TEST

/* F1Score(average="macro"), argmax per row (threshold=None):
 *   row  p               label  predicted
 *   0    0.7 0.2 0.1     0      0
 *   1    0.2 0.5 0.3     1      1
 *   2    0.3 0.3 0.4     1      2
 *   3    0.6 0.3 0.1     2      0
 *   4    0.1 0.1 0.8     2      2
 * class 0: tp 1 fp 1 fn 0 -> P 1/2 R 1   F 2/3
 * class 1: tp 1 fp 0 fn 1 -> P 1   R 1/2 F 2/3
 * class 2: tp 1 fp 1 fn 1 -> P 1/2 R 1/2 F 1/2;  mean 11/18 */
START_TEST(test_f1)
{
    float p[15] = { 0.7f, 0.2f, 0.1f, 0.2f, 0.5f, 0.3f, 0.3f, 0.3f, 0.4f,
                    0.6f, 0.3f, 0.1f, 0.1f, 0.1f, 0.8f };
    float lab[5] = { 0, 1, 1, 2, 2 }, oh[15] = { 0 };
    for (int i = 0; i < 5; i++)
        oh[i * 3 + (int)lab[i]] = 1;
    nn_loss Lc = { NN_LOSS_CCE, 0, 1 }, Ls = { NN_LOSS_SCCE, 0, 1 };
    ck_assert_double_eq_tol(run(NN_MET_F1_SCORE, Lc, p, oh, NULL, 5, 3, 3, 2), 11.0 / 18, 1e-6);
    ck_assert_double_eq_tol(run(NN_MET_F1_SCORE, Ls, p, lab, NULL, 5, 3, 1, 2), 11.0 / 18, 1e-6);
    /* binary (threshold 0.5) on the 8-sample table: P 3/5, R 3/4,
     * F = 2 PR / (P + R) = 2/3 */
    nn_loss Lb = { NN_LOSS_BCE, 0, 1 };
    ck_assert_double_eq_tol(run(NN_MET_F1_SCORE, Lb, BP, BY, NULL, 8, 1, 1, 3), 2.0 / 3, 1e-6);
}
END_TEST

/* top_k (k = 5) on 7 classes: the label's score with 4 higher is in,
 * with 5 higher out, and a tie at the 5th place counts in
 * (tf.math.in_top_k). */
START_TEST(test_top_k)
{
    float p[21] = { 0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f,
                    0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f,
                    0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.3f, 0.1f };
    float lab[3] = { 4, 5, 5 }, oh[21] = { 0 };
    for (int i = 0; i < 3; i++)
        oh[i * 7 + (int)lab[i]] = 1;
    nn_loss Lc = { NN_LOSS_CCE, 0, 1 }, Ls = { NN_LOSS_SCCE, 0, 1 };
    ck_assert_double_eq_tol(run(NN_MET_TOP_K, Lc, p, oh, NULL, 3, 7, 7, 1), 2.0 / 3, 1e-12);
    ck_assert_double_eq_tol(run(NN_MET_SPARSE_TOP_K, Ls, p, lab, NULL, 3, 7, 1, 1), 2.0 / 3, 1e-12);
    float w[3] = { 1, 3, 1 };
    ck_assert_double_eq_tol(run(NN_MET_SPARSE_TOP_K, Ls, p, lab, w, 3, 7, 1, 2), 2.0 / 5, 1e-12);
}
END_TEST

/* r2_score, mape, msle, cosine_similarity, by hand. */
START_TEST(test_regression)
{
    nn_loss L = { NN_LOSS_MSE, 0, 1 };
    /* y 1 2 3 4, p 1.1 1.9 3.2 3.7: mean 2.5, total 5, residual
     * 0.01 + 0.01 + 0.04 + 0.09 = 0.15: r2 = 0.97 */
    float y[4] = { 1, 2, 3, 4 }, p[4] = { 1.1f, 1.9f, 3.2f, 3.7f };
    ck_assert_double_eq_tol(run(NN_MET_R2_SCORE, L, p, y, NULL, 4, 1, 1, 2), 0.97, 1e-6);
    /* two columns averaged: the second y (0 0 0 1) p (0 0 0 0): total
     * 0.75, residual 1 -> 1 - 4/3 */
    float y2[8] = { 1, 0, 2, 0, 3, 0, 4, 1 }, p2[8] = { 1.1f, 0, 1.9f, 0, 3.2f, 0, 3.7f, 0 };
    ck_assert_double_eq_tol(run(NN_MET_R2_SCORE, L, p2, y2, NULL, 4, 2, 2, 1),
                            (0.97 + (1 - 4.0 / 3)) / 2, 1e-6);
    /* weights 1 1 1 3 on the first: S = 1+2+3+12 = 18, W = 6, Q =
     * 1+4+9+48 = 62, total = 62 - 18*3 = 8, residual .01+.01+.04+.27 */
    float w[4] = { 1, 1, 1, 3 };
    ck_assert_double_eq_tol(run(NN_MET_R2_SCORE, L, p, y, w, 4, 1, 1, 3),
                            1 - 0.33 / 8, 1e-6);
    /* mape: one row y (2, -4), p (1, -5): 100 (1/2 + 1/4) / 2; y = 0
     * divides by 1e-7 */
    float ym[2] = { 2, -4 }, pm[2] = { 1, -5 };
    ck_assert_double_eq_tol(run(NN_MET_MAPE, L, pm, ym, NULL, 1, 2, 2, 1), 37.5, 1e-9);
    float y0[1] = { 0 }, p0[1] = { 1e-3f };
    ck_assert_double_eq_tol(run(NN_MET_MAPE, L, p0, y0, NULL, 1, 1, 1, 1),
                            100 * (double)p0[0] / 1e-7, 1e-6 * 1e6);
    /* msle: y 1, p 3: (ln 4 - ln 2)^2 = ln(2)^2; p < 0 counts as 1e-7 */
    float ys[2] = { 1, 1 }, ps[2] = { 3, -5 };
    double l2 = log(2.0) * log(2.0), l0 = pow(log(1 + 1e-7) - log(2.0), 2);
    ck_assert_double_eq_tol(run(NN_MET_MSLE, L, ps, ys, NULL, 2, 1, 1, 1), (l2 + l0) / 2, 1e-9);
    /* cosine: (1, 0) and (1, 1): 1/sqrt 2; (0, 2) and (0, -3): -1 */
    float yc[4] = { 1, 0, 0, 2 }, pc[4] = { 1, 1, 0, -3 };
    ck_assert_double_eq_tol(run(NN_MET_COSINE_SIMILARITY, L, pc, yc, NULL, 2, 2, 2, 1),
                            (1 / sqrt(2.0) - 1) / 2, 1e-7);
}
END_TEST

/* The cross-entropies as metrics: the weighted mean of the loss's
 * per-sample values (Keras's MeanMetricWrapper: sum w l / sum w). */
START_TEST(test_losses_as_metrics)
{
    nn_loss L = { NN_LOSS_BCE, 0, 1 };
    float per[8];
    nn_loss_forward(&L, BP, BY, NULL, 8, 1, per);
    double s = 0, sw = 0;
    for (int i = 0; i < 8; i++)
        s += BW[i] * per[i], sw += BW[i];
    ck_assert_double_eq_tol(run(NN_MET_BCE, L, BP, BY, BW, 8, 1, 1, 3), s / sw, 1e-6);
    /* row 3 (p 0.4, y 1) by hand: -ln 0.4 */
    ck_assert_double_eq_tol(per[3], -log(0.4), 1e-6);
    /* categorical with integer labels: -ln p_label */
    nn_loss Ls = { NN_LOSS_SCCE, 0, 1 };
    float p[6] = { 0.7f, 0.2f, 0.1f, 0.2f, 0.5f, 0.3f }, lab[2] = { 0, 2 };
    double want = (-log(0.7) - log(0.3)) / 2;
    ck_assert_double_eq_tol(run(NN_MET_SCCE, Ls, p, lab, NULL, 2, 3, 1, 1), want, 1e-6);
    ck_assert_double_eq_tol(run(NN_MET_CCE, Ls, p, lab, NULL, 2, 3, 1, 1), want, 1e-6);
    /* the sparse metrics need integer labels */
    nn_err e = {{0}};
    nn_loss Lc = { NN_LOSS_CCE, 0, 1 };
    ck_assert(nn_metric_check(NN_MET_SPARSE_TOP_K, &Lc, &e) == NN_FAIL);
    ck_assert(strstr(e.msg, "integer labels") != NULL);
    ck_assert(nn_metric_check(NN_MET_SCCE, &Ls, &e) == NN_OK);
    ck_assert(nn_metric_check(NN_MET_BCE, &Ls, &e) == NN_FAIL);
    /* callbacks' mode="auto": the direction Keras 3's metrics carry */
    static const char *const up[] = {"val_precision", "recall", "val_auc", "f1_score",
                                     "val_r2_score", "top_k_categorical_accuracy",
                                     "cosine_similarity"};
    static const char *const down[] = {"val_mape", "msle", "val_binary_crossentropy"};
    for (size_t i = 0; i < sizeof up / sizeof up[0]; i++)
        ck_assert_msg(nn_monitor_maximize(up[i]) == 1, "%s not maximized", up[i]);
    for (size_t i = 0; i < sizeof down / sizeof down[0]; i++)
        ck_assert_msg(nn_monitor_maximize(down[i]) == 0, "%s maximized", down[i]);
}
END_TEST

Suite *suite_metrics_conf(void)
{
    Suite *s = suite_create("metrics_conf");
    TCase *tc = tcase_create("epoch");
    tcase_add_test(tc, test_precision_recall);
    tcase_add_test(tc, test_auc);
    tcase_add_test(tc, test_f1);
    tcase_add_test(tc, test_top_k);
    tcase_add_test(tc, test_regression);
    tcase_add_test(tc, test_losses_as_metrics);
    suite_add_tcase(s, tc);
    return s;
}
