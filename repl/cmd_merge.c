/* cmd_merge.c - layers that join branches element by element (add,
 * subtract, multiply, average, maximum, minimum: Keras's merging layers,
 * beside concat in cmd_model.c) and `call`, which applies a Dense layer
 * again with the same weights (a shared layer).  Functional API only. */
#include <stdio.h>
#include <string.h>
#include "repl.h"
#include "model_common.h"

static const struct merge_cmd {
    const char *name;
    nn_node_kind kind;
} merge_cmds[] = {
    {"add", NN_NODE_ADD},           {"subtract", NN_NODE_SUBTRACT},
    {"multiply", NN_NODE_MULTIPLY}, {"average", NN_NODE_AVERAGE},
    {"maximum", NN_NODE_MAXIMUM},   {"minimum", NN_NODE_MINIMUM},
};

static int cmd_merge(repl_session *s, const repl_args *a)
{
    const char *cmd = a->cmd;
    nn_node_kind kind = NN_NODE_ADD;
    for (size_t k = 0; k < sizeof merge_cmds / sizeof *merge_cmds; k++)
        if (!strcmp(merge_cmds[k].name, cmd))
            kind = merge_cmds[k].kind;
    if (repl_need_functional(s, cmd) < 0)
        return -1;
    int ins[NN_MAXIN], n = 0;
    if (repl_layer_list(s, cmd, a->pos[0], ins, NN_MAXIN, &n) != 0)
        return -1;
    nn_err e;
    int i = nn_model_add_merge(s->model, kind, ins, n, repl_arg_str(a, "name"), &e);
    if (i < 0)
        return repl_error(s, cmd, "%s", e.msg);
    repl_model_changed(s);
    repl_layer_added(s, i);
    return 0;
}

static int cmd_call(repl_session *s, const repl_args *a)
{
    if (repl_need_functional(s, "call") < 0)
        return -1;
    int layer = nn_model_find(s->model, a->pos[0]);
    if (layer < 0)
        return repl_error(s, "call", "no layer named '%s'; see summary", a->pos[0]);
    if (!repl_arg_str(a, "input"))
        return repl_error(s, "call", "say what to apply '%s' to: call %s input=LAYER",
                          a->pos[0], a->pos[0]);
    int in;
    if (repl_pick_input(s, a, "call", &in) != 0)
        return -1;
    nn_err e;
    int i = nn_model_add_call(s->model, layer, in, repl_arg_str(a, "name"), &e);
    if (i < 0)
        return repl_error(s, "call", "%s", e.msg);
    repl_model_changed(s);
    const nn_node *nd = &s->model->nodes[i];
    char sh[96];
    nn_node_shape_str(nd, sh, sizeof sh);
    printf("%s (Dense): output %s, the weights of %s (%zu parameters, counted once)\n",
           nd->name, sh, s->model->nodes[nd->shared].name,
           nn_node_params(s->model, nd->shared));
    return 0;
}

static const repl_opt merge_opts[] = {
    {.name = "name", .type = REPL_T_TEXT, .shown = "NAME",
     .help = "the name to give it"},
    REPL_END
};

static const repl_opt call_opts[] = {
    {.name = "input", .type = REPL_T_LAYER, .shown = "LAYER", .required = 1,
     .help = "the layer whose output it is applied to"},
    {.name = "name", .type = REPL_T_TEXT, .shown = "NAME",
     .help = "the name of this use of the layer"},
    REPL_END
};

#define MERGE(NAME, A, CLASS, SUMMARY, WHAT, EXAMPLE)                                 \
    {.name = NAME, .topic = "model", .run = cmd_merge, .args = "LAYER,LAYER[,...]", \
     .opts = merge_opts, .summary = SUMMARY " (Functional API)",                    \
     .help = "Adds " A " " CLASS " layer: " WHAT ".\n"                                \
             "The inputs must have one shape; the output has it too.  Only in a\n" \
             "Functional model (model api=functional).\n\n"                         \
             "Example:\n  " EXAMPLE "\n\n"                                           \
             "Keras: keras.layers." CLASS "()([a, b])",                              \
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_LAYER, .pos_values = NULL}

const repl_cmd repl_cmds_merge[] = {
    MERGE("add", "an", "Add", "add layers' outputs element-wise",
          "the sum of its inputs, element by element", "add branch_a,branch_b name=sum"),
    MERGE("subtract", "a", "Subtract", "one layer's output minus another's",
          "a - b, of exactly two inputs a and b", "subtract branch_a,branch_b"),
    MERGE("multiply", "a", "Multiply", "multiply layers' outputs element-wise",
          "the product of its inputs, element by element", "multiply gate,features"),
    MERGE("average", "an", "Average", "average layers' outputs element-wise",
          "the mean of its inputs, element by element",
          "average branch_a,branch_b,branch_c"),
    MERGE("maximum", "a", "Maximum", "the element-wise maximum of layers' outputs",
          "the largest of its inputs, element by\n"
          "element; the gradient goes to the first input that has that value",
          "maximum branch_a,branch_b"),
    MERGE("minimum", "a", "Minimum", "the element-wise minimum of layers' outputs",
          "the smallest of its inputs, element by\n"
          "element; the gradient goes to the first input that has that value",
          "minimum branch_a,branch_b"),
    {.name = "call", .topic = "model", .run = cmd_call, .args = "LAYER",
     .opts = call_opts,
     .summary = "apply a Dense layer again, with the same weights (a shared layer)",
     .help =
     "Applies an existing Dense layer to another input, with the same\n"
     "weights: both uses train one kernel and one bias, their gradients add\n"
     "up, and summary counts the parameters once.  The input must give as\n"
     "many values as the layer takes.  Only in a Functional model.\n"
     "\n"
     "Example (one encoder for two inputs):\n"
     "  model api=functional\n"
     "  input 4 name=x1\n"
     "  input 4 name=x2\n"
     "  dense 8 activation=relu input=x1 name=shared\n"
     "  call shared input=x2 name=shared_x2\n"
     "  add shared,shared_x2\n"
     "\n"
     "Keras: shared = keras.layers.Dense(8, activation=\"relu\")\n"
     "       a = shared(x1); b = shared(x2)",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_LAYER, .pos_values = NULL},
    {NULL},
};
