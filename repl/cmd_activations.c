/* cmd_activations.c - activations LAYER: a layer's outputs on the first
 * samples of a split (inference mode), with the fraction of zeros, dead
 * ReLU units and saturated sigmoid/tanh values, where the gradient is
 * near 0.  The forward pass overwrites the per-batch buffers only. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "repl.h"
#include "inspect.h"
#include "print.h"
#include "progress.h"


static const nn_dataset *split_set(const repl_session *s, int which)
{
    return which == 0 ? &s->train : which == 1 ? &s->valid : &s->test;
}

static int cmd_activations(repl_session *s, const repl_args *a)
{
    int li = repl_find_layer(s, "activations", a->pos[0]);
    if (li < 0)
        return -1;
    int which;
    long n;
    if (repl_opt_enum(s, a, "split", &which) < 0 ||
        repl_opt_int(s, a, "n", &n) < 0)
        return -1;
    if (repl_need_data(s, "activations") < 0)
        return -1;
    const nn_dataset *ds = split_set(s, which);
    if (ds->n <= 0)
        return repl_error(s, "activations", "there is no %s set; %s",
                          repl_split_names[which],
                          which == 2 ? "make one with split (or data NAME "
                                       "test_split=0.2)"
                                     : "make one with split valid_size=0.1");
    if (repl_check_input(s, "activations", ds) < 0)
        return -1;
    nn_model *m = s->model;
    int rows = n < ds->n ? (int)n : ds->n;
    nn_err e = {{0}};
    /* a byte set's rows as floats, kept while the layer's outputs are read */
    float *buf = ds->x8 ? malloc((size_t)rows * ds->d * sizeof *buf) : NULL;
    if (ds->x8 && !buf)
        return repl_error(s, "activations", "out of memory");
    if (nn_model_forward_data(m, nn_dataset_rows(ds, 0, rows, buf), ds->d, rows,
                              0, &e) != NN_OK) {
        free(buf);
        return repl_error(s, "activations", "%s", e.msg);
    }
    const nn_node *nd = &m->nodes[li];
    int units = nd->size;
    const float *A = nd->a;
    /* the pre-activation, for dead units: Dense keeps z; an Activation
     * layer's input is its z */
    const float *Z = NULL;
    int has_act = nd->kind == NN_NODE_DENSE || nd->kind == NN_NODE_ACTIVATION;
    nn_act act = has_act ? nd->act : NN_ACT_LINEAR;
    if (nd->kind == NN_NODE_DENSE)
        Z = nd->z;
    else if (nd->kind == NN_NODE_ACTIVATION)
        Z = m->nodes[nd->in[0]].a;

    char desc[96], shape[64];
    repl_layer_desc(nd, desc, sizeof desc);
    snprintf(shape, sizeof shape, "(%d, %d)", rows, units);
    printf("%s: %s, output %s on the first %d of %d %s samples\n", nd->name,
           desc, shape, rows, ds->n, repl_split_names[which]);
    size_t total = (size_t)rows * units;
    repl_stats st = repl_stats_of(A, total);
    repl_print_stats(&st);
    size_t zeros = 0;
    for (size_t i = 0; i < total; i++)
        zeros += A[i] == 0.0f;
    char b[32];
    printf("  fraction of zeros: %s\n", repl_num(b, sizeof b, (double)zeros / total));
    if (Z && (act == NN_ACT_RELU || act == NN_ACT_RELU6 ||
              act == NN_ACT_LEAKY_RELU)) {
        /* dead: z <= 0 for every sample of the pass, so the unit outputs
         * 0 (leaky: 0.2 z) and passes no gradient back (leaky: 0.2) */
        int dead = 0;
        char list[256] = "";
        size_t ll = 0;
        for (int j = 0; j < units; j++) {
            int alive = 0;
            for (int r = 0; r < rows && !alive; r++)
                alive = Z[(size_t)r * units + j] > 0.0f;
            if (!alive) {
                if (ll < sizeof list - 16)
                    ll += (size_t)snprintf(list + ll, sizeof list - ll,
                                           "%s%d", dead ? ", " : "", j);
                else if (ll < sizeof list - 4)
                    ll += (size_t)snprintf(list + ll, sizeof list - ll, ", ...");
                dead++;
            }
        }
        printf("  dead units (z <= 0 for every sample): %d of %d (fraction "
               "%s)%s%s\n", dead, units,
               repl_num(b, sizeof b, (double)dead / units), dead ? ": units " : "",
               dead ? list : "");
        if (act == NN_ACT_LEAKY_RELU && dead)
            printf("  (leaky_relu still passes 0.2 of the gradient there, so "
                   "they can recover)\n");
    }
    if (act == NN_ACT_SIGMOID || act == NN_ACT_TANH ||
        act == NN_ACT_HARD_SIGMOID) {
        size_t sat = 0;
        for (size_t i = 0; i < total; i++) {
            float v = A[i];
            if (act == NN_ACT_SIGMOID)
                sat += v < 0.01f || v > 0.99f;
            else if (act == NN_ACT_TANH)
                sat += fabsf(v) > 0.99f;
            else
                sat += v <= 0.0f || v >= 1.0f;
        }
        const char *rule = act == NN_ACT_SIGMOID ? "a < 0.01 or a > 0.99"
                           : act == NN_ACT_TANH  ? "|a| > 0.99"
                                                 : "a = 0 or a = 1";
        printf("  fraction saturated (%s, gradient near 0): %s\n", rule,
               repl_num(b, sizeof b, (double)sat / total));
    }
    if (rows <= 8 && units <= 8)
        repl_print_matrix(stdout, A, rows, units, 8, 8);
    free(buf);
    return 0;
}

static const repl_opt activations_opts[] = {
    {.name = "split", .type = REPL_T_ENUM, .values = repl_split_names,
     .shown = "train|valid|test",
     .def = "train",
     .help = "train, valid or test"},
    {.name = "n", .type = REPL_T_INT, .min = 1, .max = 1000000, .shown = "500",
     .def = "500",
     .help = "number of samples shown"},
    REPL_END
};

const repl_cmd repl_cmds_activations[] = {
    {.name = "activations", .topic = "inspect", .run = cmd_activations,
     .args = "LAYER",
     .opts = activations_opts,
     .summary = "a layer's outputs on some data: dead ReLUs, saturation",
     .help =
     "Runs the first n samples of a split (default train) through the\n"
     "model (inference mode) and describes the output of LAYER: its\n"
     "shape, mean, std, min, max and fraction of zeros.  For relu,\n"
     "relu6 and leaky_relu it counts dead units (z <= 0 for every\n"
     "sample, so no gradient flows through them); for sigmoid, tanh\n"
     "and hard_sigmoid the fraction of saturated values (sigmoid below\n"
     "0.01 or above 0.99, tanh beyond +-0.99), where the gradient is\n"
     "nearly 0.  Small outputs (up to 8 x 8) are printed in full.\n"
     "\n"
     "Example:\n"
     "  activations dense split=test n=200\n"
     "\n"
     "Keras: keras.Model(model.inputs,\n"
     "  model.get_layer(\"dense\").output).predict(X[:200])",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_LAYER, .pos_values = NULL},
    {NULL},
};
