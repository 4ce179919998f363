/* gradlog.c - fit's record of gradient norms, which `plot grads` shows:
 * before a fit it is started (or thinned) for the model, fit asks it which
 * steps need their gradients written, and every step is offered to it
 * (plots/grads.c keeps the record). */
#include "repl.h"
#include "plots.h"

int repl_plot_grads_begin(repl_session *s, const nn_model *m, int nbatches)
{
    if (!s->gradlog)
        s->gradlog = plot_gradlog_new();
    long stride = 1;                /* about 64 to 128 records an epoch */
    while (stride * 2 <= nbatches / 64)
        stride *= 2;
    return s->gradlog ? plot_gradlog_prepare(s->gradlog, m, stride) : -1;
}

int repl_plot_wants_grads(const repl_session *s, const nn_model *m)
{
    return plot_gradlog_wants(s->gradlog, m, m->steps + 1);
}

void repl_plot_record_step(repl_session *s, const nn_model *m)
{
    if (!s->gradlog)
        s->gradlog = plot_gradlog_new();
    plot_gradlog_record(s->gradlog, m);
}
