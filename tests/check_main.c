/* check_main.c - the one runner of the engine's Check suites
 * (libsigrok's layout): each module's file adds suite_X(). */
#include <stdio.h>
#include <stdlib.h>
#include <check.h>
#include "check_util.h"

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
    srunner_add_suite(sr, suite_fit());
    srunner_add_suite(sr, suite_dataset());
    srunner_add_suite(sr, suite_csv());
    srunner_add_suite(sr, suite_idx());
    srunner_add_suite(sr, suite_perceptron());
    srunner_run_all(sr, CK_NORMAL);
    int run = srunner_ntests_run(sr);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    printf("check_nn: %d passed, %d failed\n", run - failed, failed);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

const char *ck_srcpath(const char *rel)
{
    static char buf[4096];
    const char *root = getenv("NNLAB_SRCDIR");
    snprintf(buf, sizeof buf, "%s/%s", root ? root : ".", rel);
    return buf;
}
