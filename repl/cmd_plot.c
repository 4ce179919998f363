/* cmd_plot.c - placeholder until plots land. */
#include "repl.h"

const repl_cmd repl_cmds_plot[] = {{NULL}};

int repl_plot_live_begin(repl_session *s)
{
    return repl_error(s, "fit", "plot=live needs the plot commands, not built yet");
}
void repl_plot_live_epoch(repl_session *s) {}
void repl_plot_record_step(repl_session *s, const nn_model *m) {}
