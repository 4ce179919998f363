/* plot_curves.c - the plot command's curves: history (loss and metrics
 * per epoch), activation (the functions and their derivatives) and lr
 * (loss against the learning rate). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_plot.h"

/* Splits "a,b,c" into at most max words (in buf). */
static int split_list(char *buf, const char **words, int max)
{
    int n = 0;
    for (char *w = strtok(buf, ","); w && n < max; w = strtok(NULL, ","))
        if (*w)
            words[n++] = w;
    return n;
}

/* plot history [KEY,...]: the keys named, or all. */
int repl_plot_history(repl_session *s, const repl_args *a, plot_job *job,
                      const plot_out *o, nn_err *e)
{
    const char *keys[NN_MAXKEYS];
    char buf[NN_MAXKEYS * NN_KEYMAX];
    int nk = 0;
    if (a->npos > 1) {
        snprintf(buf, sizeof buf, "%s", a->pos[1]);
        nk = split_list(buf, keys, NN_MAXKEYS);
    }
    return plot_history(job, &s->hist, nk ? keys : NULL, nk, o, e);
}

/* plot activation [NAME,...|all] [derivative=yes] [range=-5:5] */
int repl_plot_activation(repl_session *s, const repl_args *a, plot_job *job,
                         const plot_out *o, nn_err *e)
{
    nn_act acts[NN_ACT_COUNT];
    int n = 0, deriv;
    if (repl_opt_bool(s, a, "derivative", &deriv) < 0)
        return -1;
    double lo = -5, hi = 5;
    const char *range = repl_arg_str(a, "range");
    if (range) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", range);
        char *colon = strchr(buf + 1, ':');
        if (colon)
            *colon = 0;
        if (!colon || repl_parse_double(buf, &lo) != 0 ||
            repl_parse_double(colon + 1, &hi) != 0 || !(lo < hi) ||
            hi - lo > 1e6)
            return repl_error(s, "plot", "range must be FROM:TO with FROM < TO, "
                              "like range=-5:5 (got '%s')", range);
    }
    const char *list = a->npos > 1 ? a->pos[1] : "sigmoid,tanh,relu,softplus";
    if (!strcmp(list, "all")) {
        for (int k = 0; k < NN_ACT_COUNT; k++)
            if (k != NN_ACT_SOFTMAX)
                acts[n++] = (nn_act)k;
    } else {
        char buf[512];
        const char *words[NN_ACT_COUNT * 2];
        snprintf(buf, sizeof buf, "%s", list);
        int nw = split_list(buf, words, NN_ACT_COUNT * 2);
        for (int i = 0; i < nw; i++) {
            nn_act k;
            if (nn_act_parse(words[i], &k) != 0) {
                const char *hint = repl_suggest(words[i], nn_act_names);
                const char *curves[NN_ACT_COUNT + 1];
                int nc = 0;
                for (int c = 0; c < NN_ACT_COUNT; c++)
                    if (c != NN_ACT_SOFTMAX)
                        curves[nc++] = nn_act_names[c];
                curves[nc] = NULL;
                char *names = repl_join(curves, ", ");
                int r = repl_error(s, "plot", "unknown activation '%s'%s%s%s; "
                                   "activations: %s (or all)", words[i],
                                   *hint ? " (" : "", hint, *hint ? ")" : "",
                                   names ? names : "see help dense");
                free(names);
                return r;
            }
            int dup = 0;
            for (int j = 0; j < n; j++)
                dup |= acts[j] == k;
            if (!dup && n < NN_ACT_COUNT)
                acts[n++] = k;
        }
        if (n == 0)
            return repl_error(s, "plot", "name at least one activation, like "
                              "plot activation relu,tanh");
    }
    return plot_activation(job, acts, n, deriv, lo, hi, o, e);
}

/* plot lr: the last lrfind, or a history whose rate changed. */
int repl_plot_lr(repl_session *s, plot_job *job, const plot_out *o, nn_err *e)
{
    if (s->nlr > 0 && s->lr_rates && s->lr_losses)
        return plot_lr(job, s->lr_rates, s->lr_losses, s->lr_smooth, s->nlr,
                       s->lr_suggest, "lrfind", o, e);
    /* no range test: a history whose rate changed (a schedule) will do */
    const nn_history *h = &s->hist;
    int key = nn_history_key(h, "loss"), changed = 0;
    for (int i = 1; h->lr && i < h->nepochs; i++)
        changed |= h->lr[i] != h->lr[0];
    if (key < 0 || !changed)
        return repl_error(s, "plot", "no learning-rate test yet: run lrfind "
                          "first (it trains briefly with a growing learning "
                          "rate, then puts the model back as it was)");
    double *loss = malloc((size_t)h->nepochs * sizeof *loss);
    if (!loss)
        return repl_error(s, "plot", "out of memory");
    for (int i = 0; i < h->nepochs; i++)
        loss[i] = nn_history_at(h, i, key);
    int rc = plot_lr(job, h->lr, loss, NULL, h->nepochs, 0,
                     "loss per epoch from the history", o, e);
    free(loss);
    return rc;
}
