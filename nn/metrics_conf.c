/* metrics_conf.c - Keras's metrics that keep totals over the epoch and
 * compute their value from them at the end, never a mean of batch values
 * (keras/src/metrics/confusion_metrics.py, f_score_metrics.py,
 * regression_metrics.py; keras/src/metrics/metrics_utils.py).  Targets
 * are read as 0/1 per column (an integer label as its one-hot row); the
 * sample weight w_i weighs every column of its row.
 *
 *   precision  tp / (tp + fp), 0 when nothing is predicted positive
 *   recall     tp / (tp + fn), 0 when there is no positive
 *              predicted positive: p > 0.5 (Keras's thresholds=0.5), or
 *              z > 0 on logits (from_logits; Keras: thresholds=0)
 *   auc        ROC AUC on Keras's 200 thresholds -eps, 1/199, ...,
 *              198/199, 1 + eps: each prediction p (sigmoid of the logit
 *              with from_logits; clipped to [0, 1]) goes to bucket
 *              b = max(ceil(199 p) - 1, 0), the weight w y to pos[b] and
 *              w (1 - y) to neg[b]; tp_i = sum_{b >= i} pos[b], fp_i alike,
 *              recall_i = tp_i / P, fpr_i = fp_i / N, and
 *              auc = sum_i (fpr_i - fpr_{i+1}) (recall_i + recall_{i+1}) / 2
 *              (summation_method="interpolation": the trapezoids)
 *   f1_score   Keras's F1Score(average="macro"): per class c, predicted
 *              when p_c > 0.5 (threshold 0.5; with binary_crossentropy,
 *              0 on logits) or, for the other losses, when p_c is the
 *              row's maximum (threshold=None) and |p_c| > 1e-9;
 *              P_c = tp / (tp + fp + eps), R_c = tp / (tp + fn + eps),
 *              F_c = 2 P_c R_c / (P_c + R_c + eps), eps = 1e-7; the value
 *              is the mean of F_c over the classes
 *   r2_score   Keras's R2Score(): per column, mean = S / W,
 *              total = Q - S mean, r2 = 1 - SSres / total (0 where that is
 *              infinite), averaged over the columns (uniform_average);
 *              S = sum w y, Q = sum w y^2, SSres = sum w (y - p)^2,
 *              W = sum w */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "metrics_conf.h"

#define NB NN_AUC_THRESHOLDS

int nn_metric_is_total(nn_metric_kind k)
{
    return k == NN_MET_PRECISION || k == NN_MET_RECALL || k == NN_MET_AUC ||
           k == NN_MET_F1_SCORE || k == NN_MET_R2_SCORE;
}

int nn_metric_conf_init(nn_metric_acc *acc, nn_metric_kind k, int cols, nn_err *e)
{
    size_t n = 0;
    if (k == NN_MET_AUC)
        n = 2 * NB;
    else if ((k == NN_MET_F1_SCORE || k == NN_MET_R2_SCORE) && cols > 0)
        n = 4 * (size_t)cols;
    if (!n)
        return NN_OK;
    acc->tab = nn_calloc(n, sizeof *acc->tab, e);
    if (!acc->tab)
        return NN_FAIL;
    acc->ntab = k == NN_MET_AUC ? NB : cols;
    return NN_OK;
}

static double target(const float *t, int j, int sparse)
{
    return sparse ? (double)((float)j == t[0]) : (double)t[j];
}

static void update_pr(const nn_loss *L, nn_metric_acc *acc, const float *o,
                      const float *t, double w, int cols, int sparse)
{
    double thr = L && L->from_logits ? 0.0 : 0.5;
    for (int j = 0; j < cols; j++) {
        int pred = o[j] > thr, pos = target(t, j, sparse) != 0.0;
        acc->tp += w * (pred && pos);
        acc->fp += w * (pred && !pos);
        acc->fn += w * (!pred && pos);
    }
}

static void update_auc(const nn_loss *L, nn_metric_acc *acc, const float *o,
                       const float *t, double w, int cols, int sparse)
{
    double *pos = acc->tab, *neg = acc->tab + NB;
    for (int j = 0; j < cols; j++) {
        double p = o[j];
        if (L && L->from_logits)
            p = 1.0 / (1.0 + exp(-p));
        p = p < 0.0 ? 0.0 : p > 1.0 ? 1.0 : p;
        int b = (int)ceil(p * (NB - 1)) - 1;
        b = b < 0 ? 0 : b > NB - 1 ? NB - 1 : b;
        double y = target(t, j, sparse);
        pos[b] += w * y;
        neg[b] += w * (1.0 - y);
    }
}

static void update_f1(const nn_loss *L, nn_metric_acc *acc, const float *o,
                      const float *t, double w, int cols, int sparse)
{
    int n = acc->ntab;
    double *tp = acc->tab, *fp = tp + n, *fn = fp + n, *sup = fn + n;
    int thr_mode = L && L->kind == NN_LOSS_BCE;
    double thr = L && L->from_logits ? 0.0 : 0.5;
    float mx = o[0];
    for (int j = 1; j < cols; j++)
        mx = o[j] > mx ? o[j] : mx;
    for (int j = 0; j < cols && j < n; j++) {
        double pred = thr_mode ? o[j] > thr : (o[j] >= mx && fabsf(o[j]) > 1e-9f);
        double y = target(t, j, sparse);
        tp[j] += w * pred * y;
        fp[j] += w * pred * (1.0 - y);
        fn[j] += w * (1.0 - pred) * y;
        sup[j] += w * y;
    }
}

static void update_r2(nn_metric_acc *acc, const float *o, const float *t,
                      double w, int cols, int sparse)
{
    int n = acc->ntab;
    double *sum = acc->tab, *sq = sum + n, *res = sq + n, *cnt = res + n;
    for (int j = 0; j < cols && j < n; j++) {
        double y = target(t, j, sparse), d = y - o[j];
        sum[j] += w * y;
        sq[j] += w * y * y;
        res[j] += w * d * d;
        cnt[j] += w;
    }
}

void nn_metric_conf_update(nn_metric_kind k, const nn_loss *L, nn_metric_acc *acc,
                           const float *out, const float *y, const float *w,
                           int rows, int cols, int sparse)
{
    if (k != NN_MET_PRECISION && k != NN_MET_RECALL && !acc->tab)
        return;    /* not initialized for this kind */
    int ys = sparse ? 1 : cols;
    for (int i = 0; i < rows; i++) {
        const float *o = out + (size_t)i * cols, *t = y + (size_t)i * ys;
        double wi = w ? w[i] : 1.0;
        switch (k) {
        case NN_MET_PRECISION:
        case NN_MET_RECALL: update_pr(L, acc, o, t, wi, cols, sparse); break;
        case NN_MET_AUC: update_auc(L, acc, o, t, wi, cols, sparse); break;
        case NN_MET_F1_SCORE: update_f1(L, acc, o, t, wi, cols, sparse); break;
        case NN_MET_R2_SCORE: update_r2(acc, o, t, wi, cols, sparse); break;
        default: break;
        }
    }
}

static double div_no_nan(double a, double b)
{
    return b == 0.0 ? 0.0 : a / b;
}

static double auc_value(const nn_metric_acc *acc)
{
    const double *pos = acc->tab, *neg = acc->tab + NB;
    double P = 0.0, N = 0.0;
    for (int b = 0; b < NB; b++)
        P += pos[b], N += neg[b];
    /* from the top threshold down: tp_i, fp_i as suffix sums */
    double area = 0.0, tp = 0.0, fp = 0.0;
    double r_next = 0.0, f_next = 0.0;     /* threshold i + 1 */
    for (int i = NB - 1; i >= 0; i--) {
        tp += pos[i];
        fp += neg[i];
        double r = div_no_nan(tp, P), f = div_no_nan(fp, N);
        if (i < NB - 1)
            area += (f - f_next) * (r + r_next) / 2.0;
        r_next = r;
        f_next = f;
    }
    return area;
}

static double f1_value(const nn_metric_acc *acc)
{
    const double eps = 1e-7;
    int n = acc->ntab;
    const double *tp = acc->tab, *fp = tp + n, *fn = fp + n;
    double s = 0.0;
    for (int c = 0; c < n; c++) {
        double p = tp[c] / (tp[c] + fp[c] + eps), r = tp[c] / (tp[c] + fn[c] + eps);
        s += 2.0 * (p * r / (p + r + eps));
    }
    return n ? s / n : 0.0;
}

static double r2_value(const nn_metric_acc *acc)
{
    int n = acc->ntab;
    const double *sum = acc->tab, *sq = sum + n, *res = sq + n, *cnt = res + n;
    double s = 0.0;
    for (int j = 0; j < n; j++) {
        double mean = sum[j] / cnt[j], total = sq[j] - sum[j] * mean;
        double raw = 1.0 - res[j] / total;
        s += isinf(raw) ? 0.0 : raw;
    }
    return n ? s / n : 0.0;
}

double nn_metric_conf_value(nn_metric_kind k, const nn_metric_acc *acc)
{
    switch (k) {
    case NN_MET_PRECISION: return div_no_nan(acc->tp, acc->tp + acc->fp);
    case NN_MET_RECALL: return div_no_nan(acc->tp, acc->tp + acc->fn);
    case NN_MET_AUC: return acc->tab ? auc_value(acc) : 0.0;
    case NN_MET_F1_SCORE: return acc->tab ? f1_value(acc) : 0.0;
    case NN_MET_R2_SCORE: return acc->tab ? r2_value(acc) : 0.0;
    default: return 0.0;
    }
}
