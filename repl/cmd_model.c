/* cmd_model.c - building a network layer by layer: model, input, flatten,
 * dense, activation, concat, pop, freeze, unfreeze, summary.  Keras's
 * Sequential API by default; naming a layer's input= gives the
 * Functional API's wiring with the same commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "repl.h"
#include "progress.h"
#include "model_common.h"


/* "28x28", "28,28" or "784" into shape; 0 or -1. */
static int parse_shape(const char *w, int *shape, int *ndim)
{
    char buf[128];
    size_t len = strlen(w);
    if (len == 0 || len >= sizeof buf || strchr("x,*", w[0]) ||
        strchr("x,*", w[len - 1]) || strstr(w, "xx") || strstr(w, ",,"))
        return -1;
    strcpy(buf, w);
    *ndim = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, "x,*", &save); t; t = strtok_r(NULL, "x,*", &save)) {
        long v;
        if (*ndim == NN_MAXDIMS || repl_parse_long(t, &v) != 0 || v < 1 || v > 1 << 24)
            return -1;
        shape[(*ndim)++] = (int)v;
    }
    return *ndim > 0 ? 0 : -1;
}

static int cmd_model(repl_session *s, const repl_args *a)
{
    int api;
    if (repl_opt_enum(s, a, "api", &api) < 0)
        return -1;
    const char *name = repl_arg_str(a, "name");
    nn_err e;
    nn_model *m = nn_model_new(name, api == 0, &e);
    if (!m)
        return repl_error(s, "model", "%s", e.msg);
    if (name && strlen(name) >= NN_NAMEMAX) {
        nn_model_free(m);
        return repl_error(s, "model", "name '%s' is too long (at most %d characters)",
                          name, NN_NAMEMAX - 1);
    }
    nn_model_free(s->model);
    s->model = m;
    repl_model_changed(s);
    printf("new %s model \"%s\"\n", api == 0 ? "Sequential" : "Functional", m->name);
    return 0;
}

static int ensure_model(repl_session *s, const char *cmd)
{
    if (s->model)
        return 0;
    nn_err e;
    s->model = nn_model_new(NULL, 1, &e);
    if (!s->model)
        return repl_error(s, cmd, "%s", e.msg);
    return 0;
}

/* features=FROM:TO, a Python slice of the data's d columns (d < 0: no
 * data, so both ends must be given, not negative).  0, or -1 after
 * saying what is wrong. */
static int parse_features(repl_session *s, const char *w, int d, int *from,
                          int *to)
{
    const char *c = strchr(w, ':');
    char buf[32];
    long v[2];
    if (!c || (size_t)(c - w) >= sizeof buf)
        return repl_error(s, "input", "features= takes columns as FROM:TO, e.g. "
                          "features=0:5 (the data's first five), got '%s'", w);
    const char *part[2] = {buf, c + 1};
    memcpy(buf, w, (size_t)(c - w));
    buf[c - w] = 0;
    for (int k = 0; k < 2; k++) {
        if (!*part[k]) {
            if (k == 1 && d < 0)
                return repl_error(s, "input", "features=%s: without data, give "
                                  "both ends (e.g. features=0:5)", w);
            v[k] = k == 0 ? 0 : d;
        } else if (repl_parse_long(part[k], &v[k]) != 0 || v[k] < -(1L << 28) ||
                   v[k] > (1L << 28))
            return repl_error(s, "input", "features= takes whole numbers, FROM:TO "
                              "(got '%s')", w);
        if (v[k] < 0) {
            if (d < 0)
                return repl_error(s, "input", "features=%s: negative columns count "
                                  "from the end of the data; load it first", w);
            v[k] += d;
        }
    }
    if (v[0] < 0 || v[1] <= v[0] || (d >= 0 && v[1] > d))
        return d >= 0 ? repl_error(s, "input", "features=%s is not a range of the "
                                   "data's columns (it has %d: 0:%d)", w, d, d)
                      : repl_error(s, "input", "features=%s selects no columns "
                                   "(FROM must be below TO)", w);
    *from = (int)v[0];
    *to = (int)v[1];
    return 0;
}

static int cmd_input(repl_session *s, const repl_args *a)
{
    int shape[NN_MAXDIMS], ndim;
    const char *fw = repl_arg_str(a, "features");
    int from = -1, to = -1;
    if (fw && parse_features(s, fw, s->have_data ? s->train.d : -1, &from, &to) != 0)
        return -1;
    if (a->npos == 0 && fw) {
        ndim = 1;
        shape[0] = to - from;
    } else if (a->npos == 1) {
        if (parse_shape(a->pos[0], shape, &ndim) != 0)
            return repl_error(s, "input", "bad shape '%s': give sizes like 2, "
                              "784 or 28x28", a->pos[0]);
    } else if (s->have_data) {
        ndim = s->train.ndim > 0 ? s->train.ndim : 1;
        if (s->train.ndim > 0)
            memcpy(shape, s->train.shape, sizeof shape);
        else
            shape[0] = s->train.d;
    } else
        return repl_error(s, "input", "give the shape of one sample, e.g. input 2 "
                          "or input 28x28 (or load data first)");
    if (s->model && s->model->sequential && s->model->n > 0)
        return repl_error(s, "input", "the Sequential model has its input already; "
                          "start again with: model");
    if (fw) {
        long size = 1;
        for (int k = 0; k < ndim; k++)
            size *= shape[k];
        if (size != to - from)
            return repl_error(s, "input", "features=%s gives %d values per sample "
                              "but the shape holds %ld", fw, to - from, size);
    }
    int fresh = !s->model;
    if (ensure_model(s, "input") != 0)
        return -1;
    nn_err e;
    int i = nn_model_add_input(s->model, shape, ndim, repl_arg_str(a, "name"), &e);
    if (i >= 0 && fw && nn_model_set_input_columns(s->model, i, from, &e) != NN_OK) {
        nn_model_pop(s->model, &e);
        i = -1;
    }
    if (i < 0) {
        if (fresh) {
            nn_model_free(s->model);
            s->model = NULL;
        }
        return repl_error(s, "input", "%s", e.msg);
    }
    repl_model_changed(s);
    char sh[96];
    nn_node_shape_str(&s->model->nodes[i], sh, sizeof sh);
    if (fw)
        printf("%s: input %s, the data's columns %d:%d\n", s->model->nodes[i].name,
               sh, from, to);
    else
        printf("%s: input %s\n", s->model->nodes[i].name, sh);
    return 0;
}

/* Prints the line every layer command ends with. */
static int cmd_flatten(repl_session *s, const repl_args *a)
{
    int in;
    if (repl_pick_input(s, a, "flatten", &in) != 0)
        return -1;
    nn_err e;
    int i = nn_model_add_flatten(s->model, in, repl_arg_str(a, "name"), &e);
    if (i < 0)
        return repl_error(s, "flatten", "%s", e.msg);
    repl_model_changed(s);
    repl_layer_added(s, i);
    return 0;
}

/* kernel_initializer=NAME or NAME(key=value,...), Keras's class
 * arguments (random_normal(stddev=0.1), constant(0.5)), into *k, *args
 * and *value (constant).  0, or -1 after saying what is wrong: an unknown
 * NAME gets the keyword's own message, with the nearest name. */
static int parse_init(repl_session *s, const repl_args *a, const char *key,
                      nn_init_kind *k, nn_init_args *args, float *value)
{
    const char *w = repl_arg_str(a, key);
    if (!w)
        return 0;
    int unknown, dummy;
    nn_err e;
    if (nn_init_parse(w, k, args, value, &unknown, &e) == NN_OK)
        return 0;
    if (unknown && !strchr(w, '('))
        return repl_opt_enum(s, a, key, &dummy) < 0 ? -1
               : repl_error(s, "dense", "%s: %s", key, e.msg);
    if (unknown) {
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(strchr(w, '(') - w), w);
        const char *sug = repl_suggest(name, nn_init_names);
        return repl_error(s, "dense", "%s: %s%s%s", key, e.msg, *sug ? "; " : "", sug);
    }
    return repl_error(s, "dense", "%s: %s", key, e.msg);
}

static int cmd_dense(repl_session *s, const repl_args *a)
{
    long units;
    if (repl_parse_long(a->pos[0], &units) != 0 || units < 1 || units > 1 << 24)
        return repl_error(s, "dense", "units must be a whole number from 1 to %d "
                          "(got '%s')", 1 << 24, a->pos[0]);
    nn_dense_cfg c;
    nn_dense_defaults(&c, (int)units);
    int use_bias, trainable;
    double kval, bval;
    nn_act actk = NN_ACT_LINEAR;
    const char *aw = repl_arg_str(a, "activation");
    int act;
    /* Keras's aliases (swish, hard_swish, None) as the activation command
     * takes them; any other word gets the keyword's own message */
    if ((aw && nn_act_parse(aw, &actk) != 0 &&
         repl_opt_enum(s, a, "activation", &act) <= 0) ||
        repl_opt_bool(s, a, "use_bias", &use_bias) < 0 ||
        repl_opt_bool(s, a, "trainable", &trainable) < 0 ||
        repl_opt_num(s, a, "kernel_value", &kval) < 0 ||
        repl_opt_num(s, a, "bias_value", &bval) < 0)
        return -1;
    c.activation = actk;
    c.kernel_value = (float)kval;
    c.bias_value = (float)bval;
    if (parse_init(s, a, "kernel_initializer", &c.kernel_initializer,
                   &c.kernel_args, &c.kernel_value) != 0 ||
        parse_init(s, a, "bias_initializer", &c.bias_initializer,
                   &c.bias_args, &c.bias_value) != 0)
        return -1;
    c.use_bias = use_bias;
    c.trainable = trainable;
    int in;
    if (repl_pick_input(s, a, "dense", &in) != 0)
        return -1;
    nn_err e;
    int i = nn_model_add_dense(s->model, in, &c, repl_arg_str(a, "name"), &s->rng, &e);
    if (i < 0)
        return repl_error(s, "dense", "%s", e.msg);
    repl_model_changed(s);
    repl_layer_added(s, i);
    return 0;
}

/* swish and None are accepted as Keras accepts them */
static int parse_act(repl_session *s, const char *cmd, const char *w, nn_act *out)
{
    if (nn_act_parse(w, out) == 0)
        return 0;
    const char *sug = repl_suggest(w, nn_act_names);
    char *list = repl_join(nn_act_names, " ");
    int r = repl_error(s, cmd, "unknown activation '%s'%s%s; activations: %s", w,
                       *sug ? "; " : "", sug, list ? list : "see help dense");
    free(list);
    return r;
}

static int cmd_activation(repl_session *s, const repl_args *a)
{
    nn_act act;
    if (parse_act(s, "activation", a->pos[0], &act) != 0)
        return -1;
    int in;
    if (repl_pick_input(s, a, "activation", &in) != 0)
        return -1;
    nn_err e;
    int i = nn_model_add_activation(s->model, in, act, repl_arg_str(a, "name"), &e);
    if (i < 0)
        return repl_error(s, "activation", "%s", e.msg);
    repl_model_changed(s);
    repl_layer_added(s, i);
    return 0;
}

static int cmd_concat(repl_session *s, const repl_args *a)
{
    if (repl_need_functional(s, "concat") < 0)
        return -1;
    int ins[NN_MAXIN], n = 0;
    if (repl_layer_list(s, "concat", a->pos[0], ins, NN_MAXIN, &n) != 0)
        return -1;
    nn_err e;
    int i = nn_model_add_concat(s->model, ins, n, repl_arg_str(a, "name"), &e);
    if (i < 0)
        return repl_error(s, "concat", "%s", e.msg);
    repl_model_changed(s);
    repl_layer_added(s, i);
    return 0;
}

static int cmd_outputs(repl_session *s, const repl_args *a)
{
    if (!s->model || s->model->n == 0)
        return repl_error(s, "outputs", "the model has no layers yet");
    if (s->model->sequential)
        return repl_error(s, "outputs", "a Sequential model's output is its last "
                          "layer; for several outputs start with: model api=functional");
    int outs[NN_MAXOUT], n = 0;
    if (repl_layer_list(s, "outputs", a->pos[0], outs, NN_MAXOUT, &n) != 0)
        return -1;
    nn_model *m = s->model;
    int was_compiled = m->compiled;
    nn_err e;
    if (nn_model_set_outputs(m, outs, n, &e) != NN_OK)
        return repl_error(s, "outputs", "%s", e.msg);
    repl_model_changed(s);
    m->compiled = 0;          /* a loss per output: compile again */
    printf("outputs:");
    for (int k = 0; k < n; k++)
        printf("%s %s", k ? "," : "", m->nodes[outs[k]].name);
    printf("%s\n", was_compiled ? " (compile again: a loss for each output)" : "");
    return 0;
}

static int cmd_pop(repl_session *s, const repl_args *a)
{
    if (!s->model)
        return repl_error(s, "pop", "there is no model");
    char name[NN_NAMEMAX] = "";
    if (s->model->n > 0)
        snprintf(name, sizeof name, "%s", s->model->nodes[s->model->n - 1].name);
    nn_err e;
    if (nn_model_pop(s->model, &e) != NN_OK)
        return repl_error(s, "pop", "%s", e.msg);
    repl_model_changed(s);
    printf("removed %s\n", name);
    return 0;
}

static int set_trainable(repl_session *s, const repl_args *a, const char *cmd, int on)
{
    if (!s->model)
        return repl_error(s, cmd, "there is no model");
    int i = nn_model_find(s->model, a->pos[0]);
    if (i < 0)
        return repl_error(s, cmd, "no layer named '%s'; see summary", a->pos[0]);
    nn_node *nd = &s->model->nodes[i];
    if (nd->kind != NN_NODE_DENSE)
        return repl_error(s, cmd, "'%s' has no weights to %s", nd->name, cmd);
    /* a shared layer's weights are one: its owner and every use */
    for (int j = 0; j < s->model->n; j++)
        if (s->model->nodes[j].kind == NN_NODE_DENSE &&
            s->model->nodes[j].shared == nd->shared)
            s->model->nodes[j].dense.trainable = on;
    size_t total, tr;
    nn_model_count(s->model, &total, &tr);
    printf("%s: trainable=%s; trainable params %zu of %zu\n", nd->name,
           on ? "True" : "False", tr, total);
    return 0;
}

static int cmd_freeze(repl_session *s, const repl_args *a)
{
    return set_trainable(s, a, "freeze", 0);
}

static int cmd_unfreeze(repl_session *s, const repl_args *a)
{
    return set_trainable(s, a, "unfreeze", 1);
}

static void rule(char c, int n)
{
    for (int i = 0; i < n; i++)
        putchar(c);
    putchar('\n');
}

/* Keras 2's layout, as printed in the book: 65 columns for Sequential
 * (fields at 0, 29, 55), 98 with "Connected to" for Functional. */
static int cmd_summary(repl_session *s, const repl_args *a)
{
    nn_model *m = s->model;
    if (!m || m->n == 0)
        return repl_error(s, "summary", "there is no model; start with: input SHAPE");
    int func = !m->sequential;
    int width = func ? 98 : 65;
    char field[160], sh[96], num[32];
    printf("Model: \"%s\"\n", m->name);
    rule('_', width);
    if (func)
        printf(" %-27s %-25s %-11s %s\n", "Layer (type)", "Output Shape", "Param #",
               "Connected to");
    else
        printf(" %-27s %-25s %s\n", "Layer (type)", "Output Shape", "Param #");
    rule('=', width);
    for (int i = 0; i < m->n; i++) {
        const nn_node *nd = &m->nodes[i];
        if (!func && nd->kind == NN_NODE_INPUT)
            continue;
        snprintf(field, sizeof field, "%s (%s)", nd->name, nn_node_class[nd->kind]);
        nn_node_shape_str(nd, sh, sizeof sh);
        size_t p = nn_node_params(m, i);
        if (func) {
            char conn[256] = "";
            size_t k = 0;
            for (int j = 0; j < nd->nin && k < sizeof conn; j++)
                k += (size_t)snprintf(conn + k, sizeof conn - k, "%s%s", j ? ", " : "",
                                      m->nodes[nd->in[j]].name);
            for (int j = i + 1; j < m->n && nd->kind == NN_NODE_DENSE; j++)
                if (m->nodes[j].shared == i && j != i && k < sizeof conn)
                    k += (size_t)snprintf(conn + k, sizeof conn - k, "; %s as %s",
                                          m->nodes[m->nodes[j].in[0]].name,
                                          m->nodes[j].name);
            if (nd->kind == NN_NODE_DENSE && nd->shared != i)   /* a shared layer */
                snprintf(conn + k, k < sizeof conn ? sizeof conn - k : 0,
                         " (the weights of %s)", m->nodes[nd->shared].name);
            if (nd->kind == NN_NODE_INPUT && nd->col_from > 0)   /* nnlab's own */
                snprintf(conn, sizeof conn, "data columns %d:%d", nd->col_from - 1,
                         nd->col_from - 1 + nd->size);
            char shb[100];
            snprintf(shb, sizeof shb, nd->kind == NN_NODE_INPUT ? "[%s]" : "%s", sh);
            if (conn[0])
                printf(" %-27s %-25s %-11zu %s", field, shb, p, conn);
            else
                printf(" %-27s %-25s %zu", field, shb, p);
        } else
            printf(" %-27s %-25s %zu", field, sh, p);
        if (nd->kind == NN_NODE_DENSE && !nd->dense.trainable)
            printf("  (frozen)");
        printf("\n\n");
    }
    rule('=', width);
    size_t total, tr;
    nn_model_count(m, &total, &tr);
    printf("Total params: %s\n", repl_commas(total, num));
    printf("Trainable params: %s\n", repl_commas(tr, num));
    printf("Non-trainable params: %s\n", repl_commas(total - tr, num));
    rule('_', width);
    return 0;
}

static const repl_opt model_opts[] = {
    {.name = "name", .type = REPL_T_TEXT, .shown = "NAME",
     .help = "the name to give it"},
    {.name = "api", .type = REPL_T_ENUM, .values = repl_api_values,
     .shown = "sequential|functional",
     .def = "sequential",
     .help = "sequential: a chain of layers; functional: layers name their input="},
    REPL_END
};

static const repl_opt input_opts[] = {
    {.name = "name", .type = REPL_T_TEXT, .shown = "NAME",
     .help = "the name to give it"},
    {.name = "features", .type = REPL_T_TEXT, .shown = "FROM:TO",
     .help = "the data columns this input reads, a Python slice"},
    REPL_END
};

static const repl_opt flatten_opts[] = {
    {.name = "name", .type = REPL_T_TEXT, .shown = "NAME",
     .help = "the name to give it"},
    {.name = "input", .type = REPL_T_TEXT, .shown = "LAYER",
     .help = "the layer this one takes its input from (Functional API)"},
    REPL_END
};

static const repl_opt dense_opts[] = {
    {.name = "activation", .type = REPL_T_ENUM, .values = nn_act_names, .shown = "NAME",
     .def = "linear",
     .help = "the activation function f in a = f(x W + b)"},
    {.name = "kernel_initializer", .type = REPL_T_ENUM, .values = nn_init_names,
     .shown = "NAME",
     .def = "glorot_uniform",
     .help = "how the weights W start; NAME(key=value,...) gives Keras's arguments"},
    {.name = "bias_initializer", .type = REPL_T_ENUM, .values = nn_init_names,
     .shown = "NAME",
     .def = "zeros",
     .help = "how the biases start"},
    {.name = "kernel_value", .type = REPL_T_NUM, .min = -1e6, .max = 1e6,
     .shown = NULL, .def = "0",
     .help = "the value of kernel_initializer=constant"},
    {.name = "bias_value", .type = REPL_T_NUM, .min = -1e6, .max = 1e6, .shown = NULL,
     .def = "0",
     .help = "the value of bias_initializer=constant"},
    {.name = "use_bias", .type = REPL_T_BOOL, .shown = "true", .def = "true",
     .help = "add the bias b"},
    {.name = "trainable", .type = REPL_T_BOOL, .shown = "true", .def = "true",
     .help = "let fit change the weights"},
    {.name = "name", .type = REPL_T_TEXT, .shown = "NAME",
     .help = "the name to give it"},
    {.name = "input", .type = REPL_T_TEXT, .shown = "LAYER",
     .help = "the layer this one takes its input from (Functional API)"},
    REPL_END
};

static const repl_opt activation_opts[] = {
    {.name = "name", .type = REPL_T_TEXT, .shown = "NAME",
     .help = "the name to give it"},
    {.name = "input", .type = REPL_T_TEXT, .shown = "LAYER",
     .help = "the layer this one takes its input from (Functional API)"},
    REPL_END
};

static const repl_opt concat_opts[] = {
    {.name = "name", .type = REPL_T_TEXT, .shown = "NAME",
     .help = "the name to give it"},
    REPL_END
};

const repl_cmd repl_cmds_model[] = {
    {.name = "model", .topic = "model", .run = cmd_model,
     .opts = model_opts,
     .summary = "start a new, empty model",
     .help =
     "Starts a new model, dropping the current one and its history.  Layers\n"
     "are then added one at a time (input, flatten, dense, activation).  With\n"
     "api=functional each layer may name the layer it takes as input=, and\n"
     "concat joins branches (the Wide & Deep network of chapter 10).\n"
     "\n"
     "Example:\n"
     "  model name=my_mlp\n"
     "\n"
     "Keras: model = keras.Sequential(name=\"my_mlp\")\n"
     "       (functional: keras.Model(inputs=[...], outputs=[...]))",
     .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {.name = "input", .topic = "model", .run = cmd_input,
     .args = "[SHAPE]",
     .opts = input_opts,
     .summary = "the shape of one sample: 2, 784, 28x28",
     .help =
     "Declares the input of the model: the shape of ONE sample, without the\n"
     "batch axis.  Without SHAPE it takes the shape of the loaded data.  When\n"
     "no model exists yet, a Sequential one is started.\n"
     "\n"
     "A Functional model may have several inputs, each reading some columns\n"
     "of the data: features=FROM:TO is a Python slice of the columns (0:5,\n"
     "2:, -3:), and the shape, when not given, is their number.  fit,\n"
     "evaluate and predict then give each input its columns, as Keras's\n"
     "fit((X_train[:, :5], X_train[:, 2:]), y_train) does.\n"
     "\n"
     "Example:\n"
     "  input 28x28\n"
     "  input features=0:5 name=input_wide\n"
     "\n"
     "Keras: model.add(keras.layers.Input(shape=(28, 28)))\n"
     "       input_wide = keras.layers.Input(shape=[5], name=\"input_wide\")",
     .minpos = 0, .maxpos = 1, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {.name = "flatten", .topic = "model", .run = cmd_flatten,
     .opts = flatten_opts,
     .summary = "turn each sample into a flat vector (28x28 -> 784)",
     .help =
     "Adds a Flatten layer: each sample's values in one row, no weights.\n"
     "Dense layers need flat inputs.\n"
     "\n"
     "Example:\n"
     "  flatten\n"
     "\n"
     "Keras: model.add(keras.layers.Flatten())",
     .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {.name = "dense", .topic = "model", .run = cmd_dense,
     .args = "UNITS",
     .opts = dense_opts,
     .summary = "a fully connected layer: z = x W + b, a = activation(z)",
     .help =
     "Adds a Dense layer of UNITS neurons.  Each computes a weighted sum of\n"
     "all its inputs plus a bias, then the activation:  a = f(x W + b), with\n"
     "W of shape (inputs, UNITS).  Defaults as Keras: activation=linear,\n"
     "kernel_initializer=glorot_uniform, bias_initializer=zeros.\n"
     "Activations (Keras 3's names and defaults; swish is silu, hard_swish\n"
     "hard_silu; glu halves the width, so it is a layer of its own:\n"
     "activation glu): {{activation}}.\n"
     "Initializers: {{kernel_initializer}}.\n"
     "Their arguments as Keras's classes take them, in parentheses without\n"
     "spaces: random_normal(mean=0,stddev=0.05) truncated_normal(mean=0,\n"
     "stddev=0.05) random_uniform(minval=-0.05,maxval=0.05) constant(value=0)\n"
     "(or kernel_value=, bias_value=) variance_scaling(scale=1,mode=fan_in,\n"
     "distribution=truncated_normal) (mode fan_in|fan_out|fan_avg;\n"
     "distribution truncated_normal|untruncated_normal|uniform)\n"
     "orthogonal(gain=1) identity(gain=1) (these two for kernels only);\n"
     "positional values go in Keras's order: random_normal(0,0.1).\n"
     "Try kernel_initializer=zeros to see why weights must be random: every\n"
     "neuron of the layer stays the same.\n"
     "\n"
     "Example:\n"
     "  dense 300 activation=relu kernel_initializer=he_normal\n"
     "  dense 10 kernel_initializer=random_normal(stddev=0.1)\n"
     "\n"
     "Keras: model.add(keras.layers.Dense(300, activation=\"relu\",\n"
     "                                    kernel_initializer=\"he_normal\"))\n"
     "       keras.layers.Dense(10, kernel_initializer=\n"
     "                          keras.initializers.RandomNormal(stddev=0.1))",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {.name = "activation", .topic = "model", .run = cmd_activation,
     .args = "NAME",
     .opts = activation_opts,
     .summary = "an activation as a layer of its own",
     .help =
     "Adds an Activation layer applying NAME to its input, elementwise\n"
     "(softmax, log_softmax, sparsemax: per sample; glu splits each sample\n"
     "in two halves a, b and gives a * sigmoid(b), half as wide: summary\n"
     "shows it).  The same as dense's activation=, but as a separate layer,\n"
     "so activations LAYER can show z and f(z) apart.\n"
     "Activations: {{activation}}.\n"
     "\n"
     "Example:\n"
     "  activation relu\n"
     "\n"
     "Keras: model.add(keras.layers.Activation(\"relu\"))",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_WORDS, .pos_values = nn_act_names},
    {.name = "concat", .topic = "model", .run = cmd_concat,
     .args = "LAYER,LAYER[,...]",
     .opts = concat_opts,
     .summary = "join the outputs of several layers (Functional API)",
     .help =
     "Adds a Concatenate layer whose output is its inputs side by side.\n"
     "Only in a Functional model (model api=functional).\n"
     "\n"
     "Example (Wide & Deep, Géron ch. 10):\n"
     "  model api=functional\n"
     "  input 8 name=input_\n"
     "  dense 30 activation=relu name=hidden1\n"
     "  dense 30 activation=relu name=hidden2\n"
     "  concat input_,hidden2\n"
     "  dense 1 name=output\n"
     "\n"
     "Keras: concat = keras.layers.Concatenate()([input_, hidden2])",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_LAYER, .pos_values = NULL},
    {.name = "outputs", .topic = "model", .run = cmd_outputs,
     .args = "LAYER[,LAYER...]",
     .summary = "the model's outputs, when not only its last layer (Functional API)",
     .help =
     "Names the layers whose outputs the model gives, in order (at most 4);\n"
     "without it a model's output is its last layer.  Every output is\n"
     "trained against the same targets, each with its loss (compile\n"
     "loss=mse,mse loss_weights=0.9,0.1); fit and evaluate show the\n"
     "weighted total as loss and each output's loss apart, predict shows\n"
     "each output.  Géron's auxiliary output: a second output on the deep\n"
     "path, weighted 0.1, checks that the deep part learns on its own.\n"
     "\n"
     "Example:\n"
     "  dense 1 input=hidden2 name=aux_output\n"
     "  outputs output,aux_output\n"
     "\n"
     "Keras: model = keras.Model(inputs=[...], outputs=[output, aux_output])",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_LAYER, .pos_values = NULL},
    {.name = "pop", .topic = "model", .run = cmd_pop,
     .summary = "remove the last layer",
     .help =
     "Removes the last layer added (and its weights).\n"
     "\n"
     "Example:\n"
     "  pop\n"
     "\n"
     "Keras: model.pop()",
     .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {.name = "freeze", .topic = "model", .run = cmd_freeze,
     .args = "LAYER",
     .summary = "keep a layer's weights fixed during training",
     .help =
     "Marks a Dense layer as not trainable: fit leaves its weights as they\n"
     "are (transfer learning reuses lower layers this way).  summary shows\n"
     "the trainable and non-trainable counts.\n"
     "\n"
     "Example:\n"
     "  freeze dense\n"
     "\n"
     "Keras: model.get_layer(\"dense\").trainable = False  (then compile again)",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_LAYER, .pos_values = NULL},
    {.name = "unfreeze", .topic = "model", .run = cmd_unfreeze,
     .args = "LAYER",
     .summary = "let a frozen layer train again",
     .help =
     "Marks a Dense layer as trainable again.\n"
     "\n"
     "Example:\n"
     "  unfreeze dense\n"
     "\n"
     "Keras: model.get_layer(\"dense\").trainable = True",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_LAYER, .pos_values = NULL},
    {.name = "summary", .topic = "model", .run = cmd_summary,
     .summary = "the layers, their output shapes and parameter counts",
     .help =
     "Prints the model as Keras 2's model.summary() does in the book: each\n"
     "layer with its output shape (None stands for the batch size) and its\n"
     "number of parameters: a Dense layer of n inputs and u units has\n"
     "n*u weights plus u biases.\n"
     "\n"
     "Example:\n"
     "  summary\n"
     "\n"
     "Keras: model.summary()",
     .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {NULL},
};
