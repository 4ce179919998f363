/* cmd_expect.c - `expect`: a lesson or a test checks a result (an error
 * when a metric on a split is out of [min, max]). */
#include <math.h>
#include <stdio.h>
#include "progress.h"
#include "repl.h"
#include "train_common.h"

static int cmd_expect(repl_session *s, const repl_args *a)
{
    if (repl_need_model_data(s, "expect", 1) != 0)
        return -1;
    double lo, hi;
    int k;
    if (repl_opt_num_or(s, a, "min", -INFINITY, &lo) < 0 ||
        repl_opt_num_or(s, a, "max", INFINITY, &hi) < 0 ||
        repl_opt_enum_or(s, a, "split", repl_default_split(s), &k) < 0)
        return -1;
    if (!repl_arg_str(a, "min") && !repl_arg_str(a, "max"))
        return repl_error(s, "expect", "give min= or max=, e.g. expect accuracy min=0.95");
    if (lo > hi)
        return repl_error(s, "expect", "min=%g is above max=%g; nothing could pass",
                          lo, hi);
    nn_dataset *d = repl_split_of(s, k);
    if (d->n == 0)
        return repl_error(s, "expect", "the %s split is empty", repl_split_names[k]);
    nn_logs l;
    nn_err e;
    if (nn_evaluate(s->model, d, 32, &l, &e) != NN_OK)
        return repl_error(s, "expect", "%s", e.msg);
    double v = nn_logs_get(&l, a->pos[0]);
    if (isnan(v)) {
        char keys[512] = "";
        size_t n = 0;
        for (int i = 0; i < l.n && n < sizeof keys; i++)
            n += (size_t)snprintf(keys + n, sizeof keys - n, " %s", l.names[i]);
        return repl_error(s, "expect", "'%s' is not measured; this model reports:%s",
                          a->pos[0], keys);
    }
    char vs[32];
    repl_format_value(vs, sizeof vs, v);
    if (!(v >= lo && v <= hi))
        return repl_error(s, "expect", "%s on %s is %s, outside [%g, %g]", a->pos[0],
                          repl_split_names[k], vs, lo, hi);
    printf("ok: %s on %s is %s\n", a->pos[0], repl_split_names[k], vs);
    return 0;
}

static const repl_opt expect_opts[] = {
    {.name = "min", .type = REPL_T_NUM, .min = -1e30, .max = 1e30, .shown = "X",
     .help = "the smallest value allowed"},
    {.name = "max", .type = REPL_T_NUM, .min = -1e30, .max = 1e30, .shown = "X",
     .help = "the largest value allowed"},
    {.name = "split", .type = REPL_T_ENUM, .values = repl_split_names,
     .shown = "train|valid|test",
     .help = "the split evaluated"},
    REPL_END
};

const repl_cmd repl_cmds_expect[] = {
    {.name = "expect", .topic = "train", .run = cmd_expect,
     .args = "METRIC",
     .opts = expect_opts,
     .summary = "check a result: an error when the metric is out of range",
     .help =
     "Evaluates the model on a split and checks that METRIC (loss, or a\n"
     "compiled metric such as accuracy) lies within [min, max].  Outside it\n"
     "is an error, so a lesson or a teacher's script stops there, and the\n"
     "test suite uses it to check that training works.\n"
     "\n"
     "Example:\n"
     "  expect accuracy min=0.95\n"
     "\n"
     "Python: assert model.evaluate(X_test, y_test)[1] >= 0.95",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {NULL},
};
