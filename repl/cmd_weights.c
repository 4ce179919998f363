/* cmd_weights.c - weights LAYER: a Dense layer's kernel and bias, in full
 * when small, else their corners, with their statistics; save= and load=
 * take them to and from NumPy files (cmd_save.c). */
#include <stdio.h>
#include "repl.h"
#include "inspect.h"
#include "print.h"
#include "progress.h"

static int cmd_weights(repl_session *s, const repl_args *a)
{
    int i = repl_find_layer(s, "weights", a->pos[0]);
    if (i < 0)
        return -1;
    const char *save = repl_arg_str(a, "save"), *load = repl_arg_str(a, "load");
    if (save && load)
        return repl_error(s, "weights", "give save= or load=, not both");
    if (save)
        return repl_weights_save(s, a->pos[0], save);
    if (load && repl_weights_load(s, a->pos[0], load) != 0)
        return -1;
    const nn_model *m = s->model;
    const nn_node *nd = &m->nodes[i];
    if (nd->kind != NN_NODE_DENSE)
        return repl_error(s, "weights", "'%s' has no weights (%s; only "
                          "Dense layers have them)", nd->name,
                          nn_node_class[nd->kind]);
    const nn_node *own = &m->nodes[nd->shared];
    char desc[96];
    repl_layer_desc(nd, desc, sizeof desc);
    printf("%s: %s, kernel_initializer=%s", nd->name, desc,
           nn_init_names[own->dense.kernel_initializer]);
    if (own != nd)
        printf(", shares the weights of '%s'", own->name);
    printf("\n");
    int fan_in = own->fan_in, units = own->dense.units;
    const float *W = m->params + own->w_off;
    printf("kernel (%d x %d): row i holds input i's weights, column j unit "
           "j's\n", fan_in, units);
    repl_print_matrix(stdout, W, fan_in, units, 10, 8);
    repl_stats st = repl_stats_of(W, (size_t)fan_in * units);
    repl_print_stats(&st);
    if (!own->dense.use_bias) {
        printf("bias: none (use_bias=false)\n");
        return 0;
    }
    const float *B = m->params + own->b_off;
    printf("bias (%d):\n", units);
    repl_print_matrix(stdout, B, 1, units, 1, 8);
    st = repl_stats_of(B, (size_t)units);
    repl_print_stats(&st);
    return 0;
}

static const repl_opt weights_opts[] = {
    {.name = "save", .type = REPL_T_FILE, .shown = "FILE.npy",
     .help = "write the weights to this .npy file"},
    {.name = "load", .type = REPL_T_FILE, .shown = "FILE.npy", .join = " | ",
     .help = "read the weights from this .npy file"},
    REPL_END
};

const repl_cmd repl_cmds_weights[] = {
    {.name = "weights", .topic = "inspect", .run = cmd_weights,
     .args = "LAYER",
     .opts = weights_opts,
     .summary = "print a Dense layer's kernel and bias",
     .help =
     "Prints the kernel (fan_in x units: row i holds the weights from\n"
     "input i, column j those into unit j) and the bias of a Dense\n"
     "layer, in full when small, else the corners around '...', with\n"
     "their mean, std, min and max.  Right after dense the kernel shows\n"
     "its initializer's spread (glorot_uniform: U(-l, l), l =\n"
     "sqrt(6 / (fan_in + fan_out))) and the bias is 0.\n"
     "save=w.npy writes the kernel to w.npy and the bias to w_bias.npy\n"
     "(NumPy's format: np.load reads them).  load=w.npy reads them back,\n"
     "checking their shapes (a 1-D file is a bias alone), then prints the\n"
     "layer: set weights by hand and see what changes.\n"
     "\n"
     "Example:\n"
     "  weights dense\n"
     "  weights dense save=w.npy\n"
     "\n"
     "Keras: kernel, bias = model.get_layer(\"dense\").get_weights()\n"
     "       np.save(\"w.npy\", kernel); layer.set_weights([kernel, bias])",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_LAYER, .pos_values = NULL},
    {NULL},
};
