/* train_common.c - what the training commands share: the check that a
 * model and data are there, and the default split (train_common.h). */
#include "train_common.h"

int repl_need_model_data(repl_session *s, const char *cmd, int compiled)
{
    if (repl_need_data(s, cmd) < 0)
        return -1;
    if (!s->model || s->model->nparams == 0)
        return repl_error(s, cmd, "no model to %s; build one first, e.g. input, "
                          "dense 8 activation=relu, dense 1 activation=sigmoid", cmd);
    if (compiled && !s->model->compiled)
        return repl_error(s, cmd, "the model is not compiled; run compile loss=... "
                          "optimizer=... first");
    return 0;
}

int repl_default_split(const repl_session *s)
{
    return s->test.n > 0 ? 2 : s->valid.n > 0 ? 1 : 0;
}
