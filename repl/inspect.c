/* inspect.c - what the inspect commands share (inspect.h): the model,
 * a layer by name, whether data fits the model's input. */
#include <stdlib.h>
#include "inspect.h"
#include "buf.h"

int repl_need_model(repl_session *s, const char *cmd)
{
    if (s->model && s->model->n > 0)
        return 0;
    return repl_error(s, cmd, "no model yet; start one with: input N (the "
                      "number of features), then dense UNITS");
}

/* Index of layer name in the model, or -1 after saying which exist. */
int repl_find_layer(repl_session *s, const char *cmd, const char *name)
{
    if (repl_need_model(s, cmd) < 0)
        return -1;
    const nn_model *m = s->model;
    int i = nn_model_find(m, name);
    if (i >= 0)
        return i;
    const char **names = malloc(((size_t)m->n + 1) * sizeof *names);
    nn_buf list;
    nn_buf_init(&list);
    for (int k = 0; k < m->n; k++)
        nn_buf_printf(&list, "%s%s", k ? ", " : "", m->nodes[k].name);
    if (!names || list.oom) {
        free(names);
        nn_buf_free(&list);
        return repl_error(s, cmd, "no layer named '%s'", name);
    }
    for (int k = 0; k < m->n; k++)
        names[k] = m->nodes[k].name;
    names[m->n] = NULL;
    const char *hint = repl_suggest(name, names);
    repl_error(s, cmd, "no layer named '%s'%s%s%s; layers: %s (summary shows "
               "them)", name, *hint ? " (" : "", hint, *hint ? ")" : "",
               nn_buf_str(&list));
    free(names);
    nn_buf_free(&list);
    return -1;
}

/* The model's single input must take the data's rows. */
int repl_check_input(repl_session *s, const char *cmd, const nn_dataset *ds)
{
    nn_err e;
    if (nn_model_check_columns(s->model, ds->d, &e) != NN_OK)
        return repl_error(s, cmd, "%s", e.msg);
    return 0;
}
