/* check_main.c - the one runner of the engine's Check suites
 * (libsigrok's layout): each module's file adds suite_X(). */
#include <stdio.h>
#include <stdlib.h>
#include <check.h>
#include "check_util.h"
#include "gradcheck.h"

int main(void)
{
    SRunner *sr = srunner_create(suite_rng());
    srunner_add_suite(sr, suite_buf());
    srunner_add_suite(sr, suite_mat());
    srunner_add_suite(sr, suite_init());
    srunner_add_suite(sr, suite_activation());
    srunner_add_suite(sr, suite_loss());
    srunner_add_suite(sr, suite_metrics());
    srunner_add_suite(sr, suite_metrics_conf());
    srunner_add_suite(sr, suite_optim());
    srunner_add_suite(sr, suite_optim_opts());
    srunner_add_suite(sr, suite_model());
    srunner_add_suite(sr, suite_merge());
    srunner_add_suite(sr, suite_fit());
    srunner_add_suite(sr, suite_dataset());
    srunner_add_suite(sr, suite_csv());
    srunner_add_suite(sr, suite_idx());
    srunner_add_suite(sr, suite_bytes());
    srunner_add_suite(sr, suite_perceptron());
    srunner_run_all(sr, CK_NORMAL);
    int run = srunner_ntests_run(sr);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    printf("check_nn: %d passed, %d failed\n", run - failed, failed);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

void ck_assert_gradcheck(nn_model *m, const float *x, int d, const float *y, int rows,
                         double tol, const char *what)
{
    nn_err e;
    nn_gradcheck_report rep;
    if (d <= 0)
        d = m->nodes[nn_model_input(m)].size;
    ck_assert_msg(nn_gradcheck(m, x, d, y, rows, 1e-3, 0, &rep, &e) == NN_OK,
                  "%s: %s", what, e.msg);
    ck_assert_int_gt(rep.nrows, 0);
    for (int t = 0; t < rep.nrows; t++)
        ck_assert_msg(rep.rows[t].max_rel < tol || rep.rows[t].max_abs < 1e-4,
                      "%s: %s worst relative error %g (abs %g) at %zu",
                      what, rep.rows[t].tensor, rep.rows[t].max_rel,
                      rep.rows[t].max_abs, rep.rows[t].worst);
}

const char *ck_srcpath(const char *rel)
{
    static char buf[4096];
    const char *root = getenv("NNLAB_SRCDIR");
    snprintf(buf, sizeof buf, "%s/%s", root ? root : ".", rel);
    return buf;
}
