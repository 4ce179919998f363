/* cmd_evaluate.c - `evaluate`: the loss and metrics on a whole split
 * (Keras's model.evaluate). */
#include <stdio.h>
#include "progress.h"
#include "coach.h"
#include "repl.h"
#include "train_common.h"

static int cmd_evaluate(repl_session *s, const repl_args *a)
{
    if (repl_need_model_data(s, "evaluate", 1) != 0)
        return -1;
    int k = repl_default_split(s);
    if (a->npos == 1) {
        k = nn_lookup(repl_split_names, a->pos[0]);
        if (k < 0)
            return repl_error(s, "evaluate", "unknown split '%s'; give train, valid "
                              "or test", a->pos[0]);
    }
    nn_dataset *d = repl_split_of(s, k);
    if (d->n == 0)
        return repl_error(s, "evaluate", "the %s split is empty; see show data",
                          repl_split_names[k]);
    nn_logs l;
    nn_err e;
    if (nn_evaluate(s->model, d, 32, &l, &e) != NN_OK)
        return repl_error(s, "evaluate", "%s", e.msg);
    char buf[1024];
    repl_format_logs(buf, sizeof buf, &l);
    printf("%s (%d samples)%s\n", repl_split_names[k], d->n, buf);
    repl_coach_evaluate(s, k);
    return 0;
}


const repl_cmd repl_cmds_evaluate[] = {
    {.name = "evaluate", .topic = "train", .run = cmd_evaluate,
     .args = "[train|valid|test]",
     .summary = "loss and metrics on a whole split",
     .help =
     "Computes the loss and the metrics on every sample of a split with the\n"
     "current weights (no training).  Default: test if there is one, else\n"
     "valid, else train.\n"
     "\n"
     "Example:\n"
     "  evaluate test\n"
     "\n"
     "Keras: model.evaluate(X_test, y_test)",
     .minpos = 0, .maxpos = 1, .pos_kind = REPL_POS_WORDS, .pos_values = repl_split_names},
    {NULL},
};
