/* commands.c - every command table of the shell, in the order `help`
 * lists them and `nnlab --commands` prints them.  A new command file adds
 * its table here (one line). */
#include "repl.h"

const repl_cmd *const repl_cmd_tables[] = {
    repl_cmds_data,
    repl_cmds_split,
    repl_cmds_scale,
    repl_cmds_show,
    repl_cmds_model,
    repl_cmds_compile,
    repl_cmds_fit,
    repl_cmds_step,
    repl_cmds_evaluate,
    repl_cmds_predict,
    repl_cmds_history,
    repl_cmds_expect,
    repl_cmds_callback,
    repl_cmds_lrfind,
    repl_cmds_search,
    repl_cmds_save,
    repl_cmds_export,
    repl_cmds_weights,
    repl_cmds_grads,
    repl_cmds_activations,
    repl_cmds_gradcheck,
    repl_cmds_perceptron,
    repl_cmds_plot,
    repl_cmds_lesson,
    repl_cmds_session,
    NULL
};
