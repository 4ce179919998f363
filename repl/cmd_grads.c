/* cmd_grads.c - grads [LAYER]: the gradients of the loss on the last
 * training batch, per tensor (shape, mean, std, min, max, L2 norm), then
 * each layer's L2 norm as a bar, so vanishing and exploding gradients
 * show in plain text (Géron ch. 11). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "repl.h"
#include "inspect.h"
#include "print.h"
#include "progress.h"

typedef struct grow {
    char tensor[NN_NAMEMAX + 8];
    char shape[32];
    repl_stats st;
} grow;

static void print_grad_table(const grow *rows, int n)
{
    int tw = 6, sw = 5;
    for (int i = 0; i < n; i++) {
        if ((int)strlen(rows[i].tensor) > tw)
            tw = (int)strlen(rows[i].tensor);
        if ((int)strlen(rows[i].shape) > sw)
            sw = (int)strlen(rows[i].shape);
    }
    printf("  %-*s  %-*s  %11s  %11s  %11s  %11s  %11s\n", tw, "tensor", sw,
           "shape", "mean", "std", "min", "max", "L2 norm");
    for (int i = 0; i < n; i++) {
        char b[5][32];
        const repl_stats *st = &rows[i].st;
        printf("  %-*s  %-*s  %11s  %11s  %11s  %11s  %11s\n", tw,
               rows[i].tensor, sw, rows[i].shape,
               repl_num(b[0], 32, st->mean), repl_num(b[1], 32, st->std),
               repl_num(b[2], 32, st->min), repl_num(b[3], 32, st->max),
               repl_num(b[4], 32, st->l2));
    }
}

/* The kernel and bias rows of Dense node i (its owner's gradients). */
static int grad_rows(const nn_model *m, int i, grow *out)
{
    const nn_node *nd = &m->nodes[i];
    int k = 0;
    size_t nw = (size_t)nd->fan_in * nd->dense.units;
    snprintf(out[k].tensor, sizeof out[k].tensor, "%s/kernel", nd->name);
    snprintf(out[k].shape, sizeof out[k].shape, "(%d, %d)", nd->fan_in,
             nd->dense.units);
    out[k++].st = repl_stats_of(m->grads + nd->w_off, nw);
    if (nd->dense.use_bias) {
        snprintf(out[k].tensor, sizeof out[k].tensor, "%s/bias", nd->name);
        snprintf(out[k].shape, sizeof out[k].shape, "(%d,)", nd->dense.units);
        out[k++].st = repl_stats_of(m->grads + nd->b_off, (size_t)nd->dense.units);
    }
    return k;
}

#define BAR_WIDTH 30

static int cmd_grads(repl_session *s, const repl_args *a)
{
    int only = -1;
    if (a->npos > 0) {
        only = repl_find_layer(s, "grads", a->pos[0]);
        if (only < 0)
            return -1;
    } else if (repl_need_model(s, "grads") < 0)
        return -1;
    const nn_model *m = s->model;
    if (only >= 0 && m->nodes[only].kind != NN_NODE_DENSE)
        return repl_error(s, "grads", "'%s' has no weights, so no gradients "
                          "(%s; only Dense layers have them)",
                          m->nodes[only].name,
                          nn_node_class[m->nodes[only].kind]);
    if (m->grads_step == 0 || !m->grads)
        return repl_error(s, "grads", "no gradients yet: train first (fit or "
                          "step)%s", m->steps > 0 ? "; no step of this model "
                          "kept them (loaded, or a fit stopped early)" : "");
    if (only >= 0)
        only = m->nodes[only].shared;
    int nl = 0;
    for (int i = 0; i < m->n; i++)
        nl += nn_node_params(m, i) > 0;
    grow *rows = calloc((size_t)nl * 2 + 2, sizeof *rows);
    double *norm = calloc((size_t)nl + 1, sizeof *norm);
    const char **lname = calloc((size_t)nl + 1, sizeof *lname);
    if (!rows || !norm || !lname) {
        free(rows);
        free(norm);
        free(lname);
        return repl_error(s, "grads", "out of memory");
    }
    int nr = 0, k = 0;
    for (int i = 0; i < m->n; i++) {
        if (nn_node_params(m, i) == 0 || (only >= 0 && i != only))
            continue;
        int r0 = nr;
        nr += grad_rows(m, i, rows + nr);
        double ss = 0;
        for (int r = r0; r < nr; r++)
            ss += rows[r].st.l2 * rows[r].st.l2;
        norm[k] = sqrt(ss);
        lname[k++] = m->nodes[i].name;
    }
    if (m->grads_step == m->steps)
        printf("gradients of the loss on the last training batch (step %ld):\n",
               m->steps);
    else if (m->grads_step > m->steps)
        printf("gradients of the loss on the batch of step %ld, a step "
               "TerminateOnNaN undid\n(its update made the next loss not "
               "finite):\n", m->grads_step);
    else
        printf("gradients of the loss on the batch of step %ld, the last "
               "that kept them\n(the training was stopped; fit keeps them "
               "on each epoch's last batch and\non the steps plot grads "
               "records):\n", m->grads_step);
    print_grad_table(rows, nr);
    if (only < 0 && k > 0) {
        double mx = 0;
        int nw = 5;
        for (int j = 0; j < k; j++) {
            if (norm[j] > mx)
                mx = norm[j];
            if ((int)strlen(lname[j]) > nw)
                nw = (int)strlen(lname[j]);
        }
        printf("gradient L2 norm by layer (kernel and bias together), input "
               "side first:\n");
        printf("  %-*s  %11s\n", nw, "layer", "L2 norm");
        for (int j = 0; j < k; j++) {
            char b[32];
            int bar = mx > 0 ? (int)floor(BAR_WIDTH * norm[j] / mx + 0.5) : 0;
            printf("  %-*s  %11s", nw, lname[j], repl_num(b, sizeof b, norm[j]));
            if (bar > 0) {
                printf("  ");
                for (int c = 0; c < bar; c++)
                    putchar('#');
            }
            putchar('\n');
        }
        /* the input side against the output side */
        if (k > 1 && norm[0] < norm[k - 1] * 1e-3)
            printf("the first layer's gradient is under 1/1000 of the last's: "
                   "vanishing gradients\n(try relu with he_normal, or fewer "
                   "layers; Géron ch. 11)\n");
        else if (k > 1 && norm[0] > norm[k - 1] * 1e3)
            printf("the first layer's gradient is over 1000 times the last's: "
                   "exploding gradients\n(try a smaller learning_rate, or "
                   "glorot/he initialization; Géron ch. 11)\n");
    }
    free(rows);
    free(norm);
    free(lname);
    return 0;
}


const repl_cmd repl_cmds_grads[] = {
    {.name = "grads", .topic = "inspect", .run = cmd_grads,
     .args = "[LAYER]",
     .summary = "gradients of the last training batch, by layer",
     .help =
     "For the last training batch (of fit or step), prints per Dense\n"
     "layer the gradient of the loss with respect to its kernel and\n"
     "bias: shape, mean, std, min, max and L2 norm; then the L2 norm of\n"
     "each layer's gradient with a bar scaled to the largest, so\n"
     "vanishing gradients (bars shrinking toward the input) and\n"
     "exploding ones (growing) show in plain text.  With LAYER, only\n"
     "that layer's rows.  fit writes the gradients of each epoch's last\n"
     "batch and of the steps plot grads records, and skips them on the\n"
     "others (plain SGD is faster without); after a fit stopped\n"
     "mid-epoch, grads says which step its gradients are of.\n"
     "\n"
     "Example:\n"
     "  grads\n"
     "  grads dense_1\n"
     "\n"
     "Keras: with tf.GradientTape() as tape: loss = ...;\n"
     "  grads = tape.gradient(loss, model.trainable_variables)",
     .minpos = 0, .maxpos = 1, .pos_kind = REPL_POS_LAYER, .pos_values = NULL},
    {NULL},
};
