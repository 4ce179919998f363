/* cmd_inspect.c - looking inside a network: its weights, the gradients of
 * the last training batch, the activations of a layer on some data, a
 * gradient check against finite differences; and the table entry of
 * scikit-learn's perceptron (cmd_perceptron.c), the chapter's first model.
 *
 * These commands read the model and never change what it has learned:
 * activations and gradcheck run forward passes (which overwrite the
 * per-batch buffers), and gradcheck puts back the parameters and the
 * gradients of the last training batch when it is done. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "repl.h"
#include "progress.h"
#include "gradcheck.h"


/* ---- repl_print_matrix ---- */

/* Rows and columns shown: all, or the first and last ones around a cut
 * ("..."), as NumPy summarizes a large array. */
static void corner_plan(int n, int max, int *top, int *bot)
{
    if (max <= 0 || n <= max) {
        *top = n;
        *bot = 0;
    } else {
        *top = (max + 1) / 2;
        *bot = max - *top;
    }
}

void repl_print_matrix(FILE *f, const float *a, int rows, int cols,
                       int max_rows, int max_cols)
{
    if (!a || rows <= 0 || cols <= 0)
        return;
    int rtop, rbot, ctop, cbot;
    corner_plan(rows, max_rows, &rtop, &rbot);
    corner_plan(cols, max_cols, &ctop, &cbot);
    int rcut = rtop + rbot < rows, ccut = ctop + cbot < cols;
    /* the columns shown, -1 for the "..." one; each as wide as its
     * widest shown number */
    int nsh = ctop + cbot + ccut;
    int *col = malloc((size_t)nsh * sizeof *col);
    int *w = malloc((size_t)nsh * sizeof *w);
    if (!col || !w) {
        free(col);
        free(w);
        return;
    }
    int k = 0;
    for (int j = 0; j < ctop; j++)
        col[k++] = j;
    if (ccut)
        col[k++] = -1;
    for (int j = cols - cbot; j < cols; j++)
        col[k++] = j;
    char b[48];
    for (int c = 0; c < nsh; c++) {
        w[c] = 3;   /* "..." */
        if (col[c] < 0)
            continue;
        for (int i = 0; i < rows; i++) {
            if (i == rtop && rcut)
                i = rows - rbot;
            if (i >= rows)
                break;
            int l = (int)strlen(repl_num(b, sizeof b, a[(size_t)i * cols + col[c]]));
            if (l > w[c])
                w[c] = l;
        }
    }
    for (int i = 0; i < rows; i++) {
        if (i == rtop && rcut) {
            for (int c = 0; c < nsh; c++)
                fprintf(f, "  %*s", w[c], "...");
            fputc('\n', f);
            i = rows - rbot;
            if (i >= rows)
                break;
        }
        for (int c = 0; c < nsh; c++)
            fprintf(f, "  %*s", w[c], col[c] < 0 ? "..."
                    : repl_num(b, sizeof b, a[(size_t)i * cols + col[c]]));
        fputc('\n', f);
    }
    free(col);
    free(w);
}

/* ---- helpers ---- */

typedef struct stats {
    double mean, std, min, max, l2;
} stats;

static stats stats_of(const float *a, size_t n)
{
    stats st = {0, 0, 0, 0, 0};
    if (n == 0)
        return st;
    double sum = 0, ss = 0, mn = a[0], mx = a[0];
    for (size_t i = 0; i < n; i++) {
        double v = a[i];
        sum += v;
        ss += v * v;
        if (v < mn)
            mn = v;
        if (v > mx)
            mx = v;
    }
    st.mean = sum / (double)n;
    double var = 0;
    for (size_t i = 0; i < n; i++) {
        double t = a[i] - st.mean;
        var += t * t;
    }
    st.std = sqrt(var / (double)n);
    st.min = mn;
    st.max = mx;
    st.l2 = sqrt(ss);
    return st;
}

static void print_stats(const stats *st)
{
    char b1[32], b2[32], b3[32], b4[32];
    printf("  mean %s  std %s  min %s  max %s\n", repl_num(b1, sizeof b1, st->mean),
           repl_num(b2, sizeof b2, st->std), repl_num(b3, sizeof b3, st->min),
           repl_num(b4, sizeof b4, st->max));
}

static int need_model(repl_session *s, const char *cmd)
{
    if (s->model && s->model->n > 0)
        return 0;
    return repl_error(s, cmd, "no model yet; start one with: input N (the "
                      "number of features), then dense UNITS");
}

/* Index of layer name in the model, or -1 after saying which exist. */
static int find_layer(repl_session *s, const char *cmd, const char *name)
{
    if (need_model(s, cmd) < 0)
        return -1;
    const nn_model *m = s->model;
    int i = nn_model_find(m, name);
    if (i >= 0)
        return i;
    const char **names = malloc(((size_t)m->n + 1) * sizeof *names);
    size_t len = 1;
    for (int k = 0; k < m->n; k++)
        len += strlen(m->nodes[k].name) + 2;
    char *list = malloc(len);
    if (!names || !list) {
        free(names);
        free(list);
        return repl_error(s, cmd, "no layer named '%s'", name);
    }
    list[0] = 0;
    for (int k = 0; k < m->n; k++) {
        names[k] = m->nodes[k].name;
        if (k)
            strcat(list, ", ");
        strcat(list, m->nodes[k].name);
    }
    names[m->n] = NULL;
    const char *hint = repl_suggest(name, names);
    repl_error(s, cmd, "no layer named '%s'%s%s%s; layers: %s (summary shows "
               "them)", name, *hint ? " (" : "", hint, *hint ? ")" : "", list);
    free(names);
    free(list);
    return -1;
}

/* "Dense(8, activation=relu)" and the like. */
static void layer_desc(const nn_node *nd, char *buf, size_t len)
{
    switch (nd->kind) {
    case NN_NODE_DENSE:
        snprintf(buf, len, "Dense(%d, activation=%s)", nd->dense.units,
                 nn_act_names[nd->dense.activation]);
        break;
    case NN_NODE_ACTIVATION:
        snprintf(buf, len, "Activation(%s)", nn_act_names[nd->act]);
        break;
    default:
        snprintf(buf, len, "%s", nn_node_class[nd->kind]);
        break;
    }
}

/* ---- weights ---- */

/* cmd_io.c: weights LAYER save=FILE.npy / load=FILE.npy */
int repl_weights_save(repl_session *s, const char *layer, const char *file);
int repl_weights_load(repl_session *s, const char *layer, const char *file);

static int cmd_weights(repl_session *s, const repl_args *a)
{
    int i = find_layer(s, "weights", a->pos[0]);
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
    layer_desc(nd, desc, sizeof desc);
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
    stats st = stats_of(W, (size_t)fan_in * units);
    print_stats(&st);
    if (!own->dense.use_bias) {
        printf("bias: none (use_bias=false)\n");
        return 0;
    }
    const float *B = m->params + own->b_off;
    printf("bias (%d):\n", units);
    repl_print_matrix(stdout, B, 1, units, 1, 8);
    st = stats_of(B, (size_t)units);
    print_stats(&st);
    return 0;
}

/* ---- grads ---- */

typedef struct grow {
    char tensor[NN_NAMEMAX + 8];
    char shape[32];
    stats st;
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
        const stats *st = &rows[i].st;
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
    out[k++].st = stats_of(m->grads + nd->w_off, nw);
    if (nd->dense.use_bias) {
        snprintf(out[k].tensor, sizeof out[k].tensor, "%s/bias", nd->name);
        snprintf(out[k].shape, sizeof out[k].shape, "(%d,)", nd->dense.units);
        out[k++].st = stats_of(m->grads + nd->b_off, (size_t)nd->dense.units);
    }
    return k;
}

#define BAR_WIDTH 30

static int cmd_grads(repl_session *s, const repl_args *a)
{
    int only = -1;
    if (a->npos > 0) {
        only = find_layer(s, "grads", a->pos[0]);
        if (only < 0)
            return -1;
    } else if (need_model(s, "grads") < 0)
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

/* ---- activations ---- */

static const char *const split_words[] = {"train", "valid", "test", NULL};

static const nn_dataset *split_set(const repl_session *s, int which)
{
    return which == 0 ? &s->train : which == 1 ? &s->valid : &s->test;
}

/* The model's single input must take the data's rows. */
static int check_input(repl_session *s, const char *cmd, const nn_dataset *ds)
{
    nn_err e;
    if (nn_model_check_columns(s->model, ds->d, &e) != NN_OK)
        return repl_error(s, cmd, "%s", e.msg);
    return 0;
}

static int cmd_activations(repl_session *s, const repl_args *a)
{
    int li = find_layer(s, "activations", a->pos[0]);
    if (li < 0)
        return -1;
    int which;
    long n;
    if (repl_arg_enum(s, a, "split", split_words, 0, &which) < 0 ||
        repl_arg_int(s, a, "n", 500, 1, 1000000, &n) < 0)
        return -1;
    if (repl_need_data(s, "activations") < 0)
        return -1;
    const nn_dataset *ds = split_set(s, which);
    if (ds->n <= 0)
        return repl_error(s, "activations", "there is no %s set; %s",
                          split_words[which],
                          which == 2 ? "make one with split (or data NAME "
                                       "test_split=0.2)"
                                     : "make one with split valid_size=0.1");
    if (check_input(s, "activations", ds) < 0)
        return -1;
    nn_model *m = s->model;
    int rows = n < ds->n ? (int)n : ds->n;
    nn_err e = {{0}};
    if (nn_model_forward_data(m, ds->x, ds->d, rows, 0, &e) != NN_OK)
        return repl_error(s, "activations", "%s", e.msg);
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
    layer_desc(nd, desc, sizeof desc);
    snprintf(shape, sizeof shape, "(%d, %d)", rows, units);
    printf("%s: %s, output %s on the first %d of %d %s samples\n", nd->name,
           desc, shape, rows, ds->n, split_words[which]);
    size_t total = (size_t)rows * units;
    stats st = stats_of(A, total);
    print_stats(&st);
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
    return 0;
}

/* ---- gradcheck ---- */

#define GRADCHECK_PER_TENSOR 100

static int cmd_gradcheck(repl_session *s, const repl_args *a)
{
    long n;
    double h;
    if (repl_arg_int(s, a, "n", 8, 1, 1000, &n) < 0 ||
        repl_arg_pos_double(s, a, "h", 1e-3, &h) < 0)
        return -1;
    if (h > 1)
        return repl_error(s, "gradcheck", "h must be a small step, at most 1 "
                          "(got '%s'); 1e-3 suits float32",
                          repl_arg_str(a, "h"));
    if (need_model(s, "gradcheck") < 0)
        return -1;
    nn_model *m = s->model;
    if (!m->compiled)
        return repl_error(s, "gradcheck", "the model is not compiled; the "
                          "check needs its loss: compile loss=... first");
    if (repl_need_data(s, "gradcheck") < 0 ||
        check_input(s, "gradcheck", &s->train) < 0)
        return -1;
    nn_err e = {{0}};
    if (nn_check_data(m, &s->train, &e) != NN_OK)
        return repl_error(s, "gradcheck", "%s", e.msg);
    if (m->nparams == 0)
        return repl_error(s, "gradcheck", "the model has no weights to check; "
                          "add dense first");
    int rows = n < s->train.n ? (int)n : s->train.n;
    /* keep the last training batch's gradients for grads */
    float *keep = malloc(m->nparams * sizeof *keep);
    if (!keep)
        return repl_error(s, "gradcheck", "out of memory");
    memcpy(keep, m->grads, m->nparams * sizeof *keep);
    long keep_step = m->grads_step;
    nn_gradcheck_report rep;
    int rc = nn_gradcheck(m, s->train.x, s->train.d, s->train.y, rows, h,
                          GRADCHECK_PER_TENSOR, &rep, &e);
    memcpy(m->grads, keep, m->nparams * sizeof *keep);
    m->grads_step = keep_step;
    free(keep);
    if (rc != NN_OK)
        return repl_error(s, "gradcheck", "%s", e.msg);

    /* The loss at w, for the rounding floor: float32 keeps about 7
     * digits of L, so (L(w+h) - L(w-h)) / 2h is off by up to about
     * eps * |L| / h whatever the gradient is. */
    const float *yp = s->train.y;
    const float *ys[NN_MAXOUT] = {yp, yp, yp, yp};   /* every output */
    double L = nn_model_loss(m, ys, NULL, NULL, 0);
    double floor_abs = FLT_EPSILON * (fabs(L) > 1 ? fabs(L) : 1) / h;
    printf("gradient check on the first %d training samples, h = %g: "
           "backprop against finite differences\n", rows, h);
    int tw = 6;
    for (int i = 0; i < rep.nrows; i++)
        if ((int)strlen(rep.rows[i].tensor) > tw)
            tw = (int)strlen(rep.rows[i].tensor);
    printf("  %-*s  %7s  %16s  %16s  %s\n", tw, "tensor", "checked",
           "worst rel. error", "worst abs. error", "verdict");
    int bad = 0, noise = 0;
    for (int i = 0; i < rep.nrows; i++) {
        const nn_gradcheck_row *r = &rep.rows[i];
        char b1[32], b2[32];
        const char *verdict;
        if (r->count == 0)
            verdict = "skipped (not trainable)";
        else if (r->max_rel < 1e-2)
            verdict = "ok";
        else if (r->max_abs < floor_abs) {
            verdict = "ok (rounding)";
            noise++;
        } else {
            verdict = "check";
            bad++;
        }
        printf("  %-*s  %7zu  %16s  %16s  %s\n", tw, r->tensor, r->count,
               r->count ? repl_num(b1, sizeof b1, r->max_rel) : "-",
               r->count ? repl_num(b2, sizeof b2, r->max_abs) : "-", verdict);
    }
    char lb[32], fb[32];
    printf("numeric = (L(w+h) - L(w-h)) / 2h, one weight at a time (at most "
           "%d per tensor);\n", GRADCHECK_PER_TENSOR);
    printf("relative error = |backprop - numeric| / (|backprop| + |numeric|), "
           "ok below 1e-2.\n");
    printf("L = %s is float32 (about 7 digits): differences under eps * L / h "
           "= %s\n", repl_num(lb, sizeof lb, L), repl_num(fb, sizeof fb, floor_abs));
    printf("are rounding; the relative error of so tiny a gradient means "
           "nothing%s.\n", noise ? " (ok (rounding))" : "");
    if (bad)
        printf("check: a backprop error, or a ReLU kink (z within h of 0 for a "
               "sample);\ntry h=1e-2, another n, or tanh to tell them "
               "apart.\n");
    return 0;
}

const repl_cmd repl_cmds_inspect[] = {
    {
        .name = "weights", .topic = "inspect", .run = cmd_weights,
        .usage = "weights LAYER [save=FILE.npy | load=FILE.npy]",
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
        .keys = "save load",
        .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_LAYER,
    },
    {
        .name = "grads", .topic = "inspect", .run = cmd_grads,
        .usage = "grads [LAYER]",
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
        .keys = "",
        .minpos = 0, .maxpos = 1, .pos_kind = REPL_POS_LAYER,
    },
    {
        .name = "activations", .topic = "inspect", .run = cmd_activations,
        .usage = "activations LAYER [split=train|valid|test] [n=500]",
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
        .keys = "split n",
        .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_LAYER,
    },
    {
        .name = "gradcheck", .topic = "inspect", .run = cmd_gradcheck,
        .usage = "gradcheck [n=8] [h=1e-3]",
        .summary = "check backprop against finite differences",
        .help =
            "Checks the gradients backpropagation computes against numeric\n"
            "ones, on the first n training samples: for a weight w, numeric =\n"
            "(L(w+h) - L(w-h)) / 2h.  Prints per tensor how many weights were\n"
            "checked (at most 100, evenly spread), the worst relative error\n"
            "|backprop - numeric| / (|backprop| + |numeric|) and a verdict:\n"
            "ok below 1e-2.  In float32 errors around 1e-4 .. 1e-3 are only\n"
            "rounding.  The weights, and the gradients grads shows, are left\n"
            "as they were.  Needs data and a compiled model.\n"
            "\n"
            "Example:\n"
            "  gradcheck n=16 h=1e-3\n"
            "\n"
            "Python: the check of CS231n's gradient notes; TensorFlow's\n"
            "  tf.test.compute_gradient(f, [x])",
        .keys = "n h",
        .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE,
    },
    {
        .name = "perceptron", .topic = "train", .run = repl_cmd_perceptron,
        .usage = "perceptron [train] [eta0=1.0] [max_iter=1000] [tol=1e-3] "
                 "[penalty=none|l2|l1|elasticnet] [alpha=0.0001] "
                 "[l1_ratio=0.15] [shuffle=true] [fit_intercept=true] "
                 "[n_iter_no_change=5] | perceptron predict X1,X2,... | "
                 "perceptron predict_proba",
        .summary = "train scikit-learn's perceptron on the data; predict with "
                   "it",
        .help =
            "Trains Rosenblatt's perceptron (one linear threshold unit per\n"
            "class, one-vs-rest for more than two) on the training data with\n"
            "scikit-learn's rule: for each sample in turn, when it is on the\n"
            "wrong side, w += eta0 * y * x and b += eta0 * y (y = -1 or +1).\n"
            "It stops when the epoch's loss has not improved by tol for\n"
            "n_iter_no_change epochs, or after max_iter epochs; tol=none\n"
            "turns the check off.  Prints the epochs run, the training\n"
            "accuracy and, after split, the test accuracy, and the weights\n"
            "when there are few.  It separates classes only by a straight\n"
            "line (hyperplane): try it on xor.\n"
            "perceptron predict X1,X2,... prints the class of a sample (or of\n"
            "several, one word each).  There is no predict_proba: the output\n"
            "is a hard threshold, not a probability.\n"
            "\n"
            "Example:\n"
            "  data gauss\n"
            "  perceptron eta0=0.1\n"
            "  perceptron predict 1.5,2.0\n"
            "\n"
            "scikit-learn: p = sklearn.linear_model.Perceptron(eta0=0.1)\n"
            "  p.fit(X, y); p.predict([[1.5, 2.0]])",
        .keys = "eta0 max_iter tol penalty alpha l1_ratio shuffle "
                "fit_intercept n_iter_no_change",
        .minpos = 0, .maxpos = REPL_MAXARGS, .pos_kind = REPL_POS_WORDS,
        .pos_values = repl_perceptron_modes,
    },
    {NULL}
};
