/* plot_session.c - what the plot command's figures read from the
 * session: the splits, the model when it can run, a layer by name. */
#include <stdio.h>
#include <stdlib.h>
#include "cmd_plot.h"


/* Node named name, or -1 after an error that lists the layers. */
int repl_plot_find_layer(repl_session *s, const char *name)
{
    const nn_model *m = s->model;
    if (!m || m->n == 0) {
        repl_error(s, "plot", "no model yet; start one with: input N, then "
                   "dense UNITS");
        return -1;
    }
    int i = nn_model_find(m, name);
    if (i >= 0)
        return i;
    const char **names = calloc((size_t)m->n + 1, sizeof *names);
    char list[1024] = "";
    size_t ll = 0;
    for (int k = 0; k < m->n; k++) {
        if (names)
            names[k] = m->nodes[k].name;
        if (ll < sizeof list - NN_NAMEMAX - 8)
            ll += (size_t)snprintf(list + ll, sizeof list - ll, "%s%s",
                                   k ? ", " : "", m->nodes[k].name);
    }
    const char *hint = names ? repl_suggest(name, names) : "";
    repl_error(s, "plot", "no layer named '%s'%s%s%s; layers: %s (summary "
               "shows them)", name, *hint ? " (" : "", hint, *hint ? ")" : "",
               list);
    free(names);
    return -1;
}

int repl_plot_need_data(repl_session *s)
{
    if (s->have_data && (s->train.n > 0 || s->test.n > 0))
        return 0;
    return repl_error(s, "plot", "no data yet; load some first: data moons, "
                      "data sine, data iris, data csv FILE target=COLUMN");
}

/* The model when it has layers to run, else NULL. */
nn_model *repl_plot_model(repl_session *s)
{
    nn_model *m = s->model;
    if (!m)
        return NULL;
    int in = nn_model_input(m), on = nn_model_output(m);
    return in < 0 || on < 0 || on == in ? NULL : m;
}
