/* session.c - the session's state: data, model, history, settings. */
#include <stdlib.h>
#include <string.h>
#include "repl.h"

volatile sig_atomic_t repl_interrupted = 0;

void repl_session_init(repl_session *s, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    s->seed = seed;
    nn_rng_seed(&s->rng, seed);
    nn_history_init(&s->hist);
    s->verbose = 1;
    s->terminate_on_nan = 1;
    strcpy(s->plot_terminal, "auto");
}

static void drop_lr(repl_session *s)
{
    free(s->lr_rates);
    free(s->lr_losses);
    free(s->lr_smooth);
    s->lr_rates = s->lr_losses = s->lr_smooth = NULL;
    s->nlr = 0;
    s->lr_suggest = 0;
}

void repl_session_reset(repl_session *s)
{
    nn_dataset_free(&s->train);
    nn_dataset_free(&s->valid);
    nn_dataset_free(&s->test);
    s->have_data = 0;
    s->data_name[0] = 0;
    s->scaled = 0;
    nn_scaler_free(&s->scaler);
    nn_model_free(s->model);
    s->model = NULL;
    nn_history_clear(&s->hist);
    s->loss_name[0] = 0;
    s->last_fit.set = 0;
    repl_callbacks_free(s);
    if (s->perc) {
        nn_perceptron_free(s->perc);
        free(s->perc);
        s->perc = NULL;
    }
    drop_lr(s);
}

void repl_session_free(repl_session *s)
{
    repl_session_reset(s);
    repl_callbacks_free(s);
    repl_plot_free(s);
    nn_history_free(&s->hist);
    for (int i = 0; i < s->nlog; i++)
        free(s->log[i]);
    free(s->log);
    s->log = NULL;
    s->nlog = s->caplog = 0;
}

int repl_need_data(repl_session *s, const char *cmd)
{
    if (s->have_data && s->train.n > 0)
        return 0;
    return repl_error(s, cmd, "no data yet; load some first: data xor, data "
                      "iris, data csv FILE target=COLUMN");
}

void repl_scale_rows(const repl_session *s, float *x, int n, int d)
{
    if (!s->scaled || s->scaler.d != d)
        return;
    nn_dataset rows = {0};
    rows.n = n;
    rows.d = d;
    rows.x = x;
    nn_scaler_apply(&s->scaler, &rows);
}

nn_dataset *repl_split_of(repl_session *s, int k)
{
    return k == 0 ? &s->train : k == 1 ? &s->valid : &s->test;
}
