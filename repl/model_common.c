/* model_common.c - what the commands that build a model share (cmd_model.c,
 * cmd_merge.c): the input a new layer takes, a list of layer names, the
 * line a new layer prints, and what a new structure resets. */
#include <stdio.h>
#include <string.h>
#include "model_common.h"

/* A new structure trains from scratch: its history starts again. */
int repl_need_functional(repl_session *s, const char *cmd)
{
    if (!s->model || s->model->n == 0)
        return repl_error(s, cmd, "the model has no layers yet");
    if (s->model->sequential)
        return repl_error(s, cmd, "a Sequential model is a chain; for branches start "
                          "with: model api=functional");
    return 0;
}

void repl_model_changed(repl_session *s)
{
    nn_history_clear(&s->hist);
}

/* The node a new layer connects to: input=NAME, or the last one. */
int repl_pick_input(repl_session *s, const repl_args *a, const char *cmd, int *in)
{
    const char *name = repl_arg_str(a, "input");
    if (!s->model || s->model->n == 0)
        return repl_error(s, cmd, "the model has no input yet; start with: input %s",
                          s->have_data ? "SHAPE (or just: input, for the data's shape)"
                                       : "SHAPE, e.g. input 2");
    if (!name) {
        *in = s->model->n - 1;
        return 0;
    }
    int i = nn_model_find(s->model, name);
    if (i < 0)
        return repl_error(s, cmd, "no layer named '%s'; see summary", name);
    if (s->model->sequential && i != s->model->n - 1)
        return repl_error(s, cmd, "a Sequential model is a chain; to wire '%s' "
                          "elsewhere start with: model api=functional", name);
    *in = i;
    return 0;
}

/* What the shell prints for a new layer: name, class, shape, parameters. */
void repl_layer_added(const repl_session *s, int i)
{
    const nn_node *nd = &s->model->nodes[i];
    char sh[96];
    nn_node_shape_str(nd, sh, sizeof sh);
    printf("%s (%s): output %s, %zu parameters\n", nd->name,
           nn_node_class[nd->kind], sh, nn_node_params(s->model, i));
}

/* "a,b,c" into the indices of those layers (at most max); 0, or -1 after
 * saying what is wrong. */
int repl_layer_list(repl_session *s, const char *cmd, const char *word,
                    int *idx, int max, int *n)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", word);
    char *save = NULL;
    *n = 0;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (*n == max)
            return repl_error(s, cmd, "at most %d %s", max,
                              strcmp(cmd, "outputs") == 0 ? "outputs" : "inputs");
        int i = nn_model_find(s->model, t);
        if (i < 0)
            return repl_error(s, cmd, "no layer named '%s'; see summary", t);
        idx[(*n)++] = i;
    }
    return 0;
}
