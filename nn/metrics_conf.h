/* metrics_conf.h - inside the engine only: the metrics computed from
 * totals over the epoch rather than as a mean of per-sample values
 * (metrics_conf.c): precision, recall, auc, f1_score, r2_score. */
#ifndef NN_METRICS_CONF_H
#define NN_METRICS_CONF_H

#include "metrics.h"

/* Whether k (resolved) is one of them. */
int nn_metric_is_total(nn_metric_kind k);
/* acc zeroed; allocates acc->tab for auc, f1_score, r2_score. */
int nn_metric_conf_init(nn_metric_acc *acc, nn_metric_kind k, int cols, nn_err *e);
/* Adds a batch: out (rows, cols), y (rows, cols), or (rows, 1) of class
 * numbers when sparse; w (rows) or NULL. */
void nn_metric_conf_update(nn_metric_kind k, const nn_loss *L, nn_metric_acc *acc,
                           const float *out, const float *y, const float *w,
                           int rows, int cols, int sparse);
double nn_metric_conf_value(nn_metric_kind k, const nn_metric_acc *acc);

#endif
