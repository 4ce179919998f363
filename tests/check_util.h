/* check_util.h - what the Check suites share: the suite constructors and
 * small helpers for numeric comparisons. */
#ifndef CHECK_UTIL_H
#define CHECK_UTIL_H

#include <check.h>
#include <math.h>

Suite *suite_rng(void);
Suite *suite_buf(void);
Suite *suite_mat(void);
Suite *suite_init(void);
Suite *suite_activation(void);
Suite *suite_loss(void);
Suite *suite_metrics(void);
Suite *suite_metrics_conf(void);
Suite *suite_optim(void);
Suite *suite_optim_opts(void);
Suite *suite_model(void);
Suite *suite_merge(void);
Suite *suite_fit(void);
Suite *suite_dataset(void);
Suite *suite_csv(void);
Suite *suite_idx(void);
Suite *suite_bytes(void);
Suite *suite_perceptron(void);

/* Relative error as the gradient checks use it. */
static inline double ck_rel_err(double a, double b)
{
    double d = fabs(a - b), s = fabs(a) + fabs(b);
    return s < 1e-8 ? d : d / s;
}

/* Source-tree path of a test data file: $NNLAB_SRCDIR/rel. */
const char *ck_srcpath(const char *rel);

/* Backprop of m on rows samples (x: rows of d values, or of the first
 * input's size when d <= 0) against finite differences (nn_gradcheck, h
 * 1e-3): every tensor's worst relative error under tol, or its absolute
 * error under 1e-4 (float32 rounding). */
struct nn_model;
void ck_assert_gradcheck(struct nn_model *m, const float *x, int d, const float *y,
                         int rows, double tol, const char *what);

#endif
