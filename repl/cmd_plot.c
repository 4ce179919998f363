/* cmd_plot.c - the plot command: the session's data, model and history to
 * the figures of plots/, through one gnuplot per session.
 *
 * A plot checks everything it was asked before it draws (a wrong request
 * changes nothing and prints one error line), then chooses where the
 * figure goes and sends it (plot_render.c), after building it with the
 * figure's builder (plot_curves.c, plot_layers.c, plot_data.c; cmd_plot.h
 * says which file holds what). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd_plot.h"
#include "figures.h"

/* ---- the figures and their words ---- */

enum { F_HISTORY, F_ACTIVATION, F_LR, F_BOUNDARY, F_REGRESSION, F_GRADS,
       F_HIST, F_CONFUSION, F_IMAGES, F_COUNT };

/* What each figure takes, in F_* order after the base form: its words,
 * its keywords (to= script= size= terminal= are the command's), and how
 * many words may follow the figure's name. */
static const repl_opt activation_opts[] = {
    {.name = "derivative", .type = REPL_T_BOOL, .shown = "yes", .def = "false",
     .help = "draw the derivative beside each function"},
    {.name = "range", .type = REPL_T_TEXT, .shown = "-5:5",
     .help = "the z range drawn, FROM:TO"},
    REPL_END
};
static const repl_opt boundary_opts[] = {
    {.name = "layer", .type = REPL_T_LAYER, .shown = "LAYER",
     .help = "show what one unit of this hidden layer computes"},
    {.name = "unit", .type = REPL_T_INT, .min = 0, .max = 1 << 20, .def = "0",
     .shown = "U", .join = " ", .help = "the unit of layer= shown"},
    {.name = "split", .type = REPL_T_ENUM, .values = repl_split_all_names,
     .def = "all", .shown = "all|train|valid|test",
     .help = "the points drawn: all (train and test) or one split"},
    REPL_END
};
static const repl_opt regression_opts[] = {
    {.name = "split", .type = REPL_T_ENUM, .values = repl_split_all_names,
     .def = "all", .shown = "all|train|valid|test",
     .help = "the points drawn: all (train and test) or one split"},
    REPL_END
};
static const repl_opt hist_opts[] = {
    {.name = "split", .type = REPL_T_ENUM, .values = repl_split_names,
     .def = "train", .shown = "train|valid|test",
     .help = "the samples the activations are of"},
    {.name = "n", .type = REPL_T_INT, .min = 1, .max = 100000, .def = "500",
     .shown = "500", .help = "number of samples the activations are of"},
    REPL_END
};
static const repl_opt confusion_opts[] = {
    {.name = "split", .type = REPL_T_ENUM, .values = repl_split_names,
     .shown = "train|valid|test",
     .help = "the split counted (default: test if there is one)"},
    REPL_END
};
static const repl_opt images_opts[] = {
    {.name = "split", .type = REPL_T_ENUM, .values = repl_split_names,
     .shown = "train|valid|test", .help = "the split shown"},
    {.name = "n", .type = REPL_T_INT, .min = 1, .max = 200, .def = "16",
     .shown = "16", .help = "number of images"},
    REPL_END
};

static const repl_form plot_forms[] = {
    {.args = "FIGURE [...]"},
    {.word = "history", .args = "[KEY,...]", .hidden = 1, .maxpos = 1},
    {.word = "activation", .args = "[NAME,...|all]", .opts = activation_opts,
     .hidden = 1, .maxpos = 1},
    {.word = "lr", .hidden = 1},
    {.word = "boundary", .opts = boundary_opts, .hidden = 1},
    {.word = "regression", .opts = regression_opts, .hidden = 1},
    {.word = "grads", .hidden = 1},
    {.word = "hist", .args = "weights|grads|activations [LAYER]", .opts = hist_opts,
     .hidden = 1, .minpos = 1, .maxpos = 2},
    {.word = "confusion", .opts = confusion_opts, .hidden = 1},
    {.word = "images", .opts = images_opts, .hidden = 1},
    {0}
};

/* the base form, one form per F_*, the end */
_Static_assert(sizeof plot_forms / sizeof plot_forms[0] == F_COUNT + 2,
               "plot_forms holds one form per figure, in F_* order");

/* The figures that take keyword k, for a hint: "activation, boundary". */
static void who_takes(const repl_cmd *c, const char *k, char *buf, size_t len)
{
    buf[0] = 0;
    for (int f = 0; f < F_COUNT; f++)
        if (repl_form_takes(c, &plot_forms[1 + f], k) &&
            !repl_form_takes(c, NULL, k)) {
            size_t l = strlen(buf);
            snprintf(buf + l, len - l, "%s%s", l ? ", " : "", plot_forms[1 + f].word);
        }
}

/* "WxH", each 10..10000. */
static int parse_size(const char *v, int *w, int *h)
{
    const char *x = strchr(v, 'x');
    if (!x || x == v || x - v > 10)
        return -1;
    char wd[16];
    memcpy(wd, v, (size_t)(x - v));
    wd[x - v] = 0;
    long lw, lh;
    if (repl_parse_long(wd, &lw) != 0 || repl_parse_long(x + 1, &lh) != 0 ||
        lw < 10 || lw > 10000 || lh < 10 || lh > 10000)
        return -1;
    *w = (int)lw;
    *h = (int)lh;
    return 0;
}


/* ---- the command ---- */

/* The figure asked for (its index), after checking its words and keywords;
 * -1 after an error. */
static int pick_figure(repl_session *s, const repl_args *a)
{
    const repl_cmd *c = repl_find("plot");
    const char *const *subjects = repl_form_words(c);
    int f = repl_form_index(c, a->pos[0]) - 1;
    if (f < 0) {
        const char *hint = repl_suggest(a->pos[0], subjects);
        char *list = repl_join(subjects, ", ");
        int r = repl_error(s, "plot", "unknown figure '%s'%s%s%s; figures: %s",
                           a->pos[0], *hint ? " (" : "", hint, *hint ? ")" : "",
                           list ? list : "");
        free(list);
        return r;
    }
    /* the words this figure takes */
    const repl_form *fig = &plot_forms[1 + f];
    int extra = a->npos - 1, r = f;
    char *usage = repl_form_usage(c, fig);
    if (!usage)
        return repl_error(s, "plot", "out of memory");
    if (extra > fig->maxpos)
        r = repl_error(s, "plot", "too many words ('%s' is extra); usage: %s",
                       a->pos[1 + fig->maxpos], usage);
    else if (extra < fig->minpos)
        r = repl_error(s, "plot", "missing word; usage: %s", usage);
    for (int i = 0; i < a->nkv && r >= 0; i++)
        if (!repl_form_takes(c, fig, a->key[i])) {
            char who[128];
            who_takes(c, a->key[i], who, sizeof who);
            r = repl_error(s, "plot", "%s takes no %s= (it goes with: %s); usage: %s",
                           fig->word, a->key[i], who, usage);
        }
    free(usage);
    return r;
}

/* Where the figure goes: to= script= terminal= size=. */
typedef struct where {
    const char *to, *script;  /* NULL when not given */
    const char *want;         /* the terminal: terminal=, or the session's */
    int w, h, size_given;
} where;

static int parse_where(repl_session *s, const repl_args *a, where *wh)
{
    const char *to = repl_arg_str(a, "to"), *script = repl_arg_str(a, "script");
    const char *tw = repl_arg_str(a, "terminal");
    int term;
    if (repl_opt_enum_or(s, a, "terminal", 0, &term) < 0)
        return -1;
    if (to && tw)
        return repl_error(s, "plot", "give to=FILE or terminal=, not both (a "
                          "file's extension chooses its format)");
    if (to && !*to)
        return repl_error(s, "plot", "to= needs a file name, like to=loss.png");
    if (script && !*script)
        return repl_error(s, "plot", "script= needs a file name, like "
                          "script=loss.gp");
    wh->to = to;
    wh->script = script;
    wh->want = tw ? repl_terminal_values[term] : s->plot_terminal;
    wh->w = s->plot_w;
    wh->h = s->plot_h;
    wh->size_given = 0;
    const char *size = repl_arg_str(a, "size");
    if (size) {
        if (parse_size(size, &wh->w, &wh->h) < 0)
            return repl_error(s, "plot", "size must be WIDTHxHEIGHT, each from "
                              "10 to 10000 (pixels; characters for text), like "
                              "size=800x500 (got '%s')", size);
        wh->size_given = 1;
    }
    return 0;
}

/* What figure f needs from the session, before anything is drawn (for
 * boundary, layer= and unit= in *layer and *unit).  0 or -1. */
static int check_needs(repl_session *s, const repl_args *a, int f,
                       long *layer, long *unit)
{
    switch (f) {
    case F_BOUNDARY: {
        if (repl_plot_need_data(s) < 0)
            return -1;
        const char *ln = repl_arg_str(a, "layer");
        if (repl_arg_str(a, "unit") && !ln)
            return repl_error(s, "plot", "unit= goes with layer=: plot boundary "
                              "layer=dense unit=0");
        if (ln && (*layer = repl_plot_find_layer(s, ln)) < 0)
            return -1;
        if (repl_opt_int(s, a, "unit", unit) < 0)
            return -1;
        break;
    }
    case F_REGRESSION:
        if (repl_plot_need_data(s) < 0)
            return -1;
        break;
    case F_GRADS:
        if (!s->model || s->model->n == 0)
            return repl_error(s, "plot", "no model yet; start one with: input "
                              "N, then dense UNITS");
        break;
    case F_CONFUSION:
        if (repl_plot_need_data(s) < 0)
            return -1;
        if (!repl_plot_model(s))
            return repl_error(s, "plot", "no model to evaluate yet; build and "
                              "train one (input, dense, compile, fit)");
        break;
    case F_IMAGES:
        if (repl_plot_need_data(s) < 0)
            return -1;
        break;
    default:
        break;
    }
    return 0;
}

/* Builds figure f into job for o (cmd_plot.h's return values). */
static int build(repl_session *s, const repl_args *a, int f, int layer,
                 int unit, plot_job *job, const plot_out *o, nn_err *e)
{
    switch (f) {
    case F_HISTORY:
        return repl_plot_history(s, a, job, o, e);
    case F_ACTIVATION:
        return repl_plot_activation(s, a, job, o, e);
    case F_LR:
        return repl_plot_lr(s, job, o, e);
    case F_BOUNDARY:
        return repl_plot_boundary(s, a, layer, unit, job, o, e);
    case F_REGRESSION:
        return repl_plot_regression(s, a, job, o, e);
    case F_GRADS:
        return plot_grads(job, s->gradlog, s->model, o, e);
    case F_HIST:
        return repl_plot_hist(s, a, job, o, e);
    case F_CONFUSION:
        return repl_plot_confusion(s, a, job, o, e);
    case F_IMAGES:
        return repl_plot_images(s, a, job, o, e);
    }
    return 0;
}

/* set plots=DIR: the figure again, as DIR/figure-NNN.png (built anew:
 * a figure is built for its output). */
static int save_copy(repl_session *s, const repl_args *a, int f, int layer,
                     int unit, const where *wh)
{
    char path[1100], note[256];
    snprintf(path, sizeof path, "%s/figure-%03d.png", s->plots_dir,
             s->plots_n + 1);
    plot_out o;
    /* a size in characters (a text plot) is not one for an image */
    int px = wh->w >= 200 && wh->h >= 150;
    if (repl_plot_prepare(s, "plot", "auto", path, px ? wh->w : 0,
                          px ? wh->h : 0, px && wh->size_given, &o, note,
                          sizeof note) < 0)
        return -1;
    if (o.fallback) {
        printf("plot: %s not saved (no gnuplot)\n", path);
        return 0;
    }
    plot_job job;
    plot_job_init(&job, plot_forms[1 + f].word);
    nn_err e = {{0}};
    int rc = build(s, a, f, layer, unit, &job, &o, &e);
    if (rc == -1 && e.msg[0])
        repl_error(s, "plot", "%s", e.msg);
    if (rc == 0)
        rc = repl_plot_render(s, "plot", &job, &o, NULL, NULL, 0);
    plot_job_free(&job);
    if (rc == 0)
        s->plots_n++;
    return rc < 0 ? -1 : 0;
}

static int cmd_plot(repl_session *s, const repl_args *a)
{
    int f = pick_figure(s, a);
    if (f < 0)
        return -1;
    where wh = {0};
    if (parse_where(s, a, &wh) < 0)
        return -1;
    long layer = -1, unit = 0;
    if (check_needs(s, a, f, &layer, &unit) < 0)
        return -1;
    char note[256], tmp[1024];
    plot_out o;
    /* the Jupyter kernel shows a figure without to= inline: a PNG made
     * for it (figures.h), unless gnuplot is missing (then the text) */
    int inl = !wh.to && repl_figures_inline() && !strcmp(wh.want, "auto") &&
              repl_figures_tmp(tmp, sizeof tmp, ".png");
    if (repl_plot_prepare(s, "plot", wh.want, inl ? tmp : wh.to, wh.w, wh.h,
                          wh.size_given, &o, note, sizeof note) < 0) {
        if (inl)
            unlink(tmp);
        return -1;
    }
    if (inl && o.fallback) {
        unlink(tmp);
        inl = 0;
        if (repl_plot_prepare(s, "plot", wh.want, NULL, wh.w, wh.h,
                              wh.size_given, &o, note, sizeof note) < 0)
            return -1;
    }
    o.quiet = inl;
    plot_job job;
    plot_job_init(&job, plot_forms[1 + f].word);
    nn_err e = {{0}};
    int rc = build(s, a, f, (int)layer, (int)unit, &job, &o, &e);
    if (rc == -1 && e.msg[0])
        repl_error(s, "plot", "%s", e.msg);
    if (rc == 0)
        rc = repl_plot_render(s, "plot", &job, &o, wh.script, note, 0);
    if (inl) {
        if (rc == 0)
            repl_figures_show(tmp, "image/png");
        unlink(tmp);
    }
    plot_job_free(&job);
    if (rc == 0 && s->plots_dir[0])
        rc = save_copy(s, a, f, (int)layer, (int)unit, &wh);
    return rc < 0 ? -1 : 0;
}

/* ---- the table ---- */

static const repl_opt plot_opts[] = {
    {.name = "to", .type = REPL_T_FILE, .shown = "FILE.png|.svg|.pdf|.txt",
     .help = "write the figure to this file (.png, .svg, .pdf, .txt)"},
    {.name = "script", .type = REPL_T_FILE, .shown = "FILE.gp",
     .help = "also save the gnuplot script to this file"},
    {.name = "size", .type = REPL_T_TEXT, .shown = "WxH",
     .help = "the size: WxH, characters for text or pixels for images"},
    {.name = "terminal", .type = REPL_T_ENUM, .values = repl_terminal_values,
     .shown = "auto|window|text|sixel",
     .help = "where plots go: auto, window, text or sixel"},
REPL_END
};

const repl_cmd repl_cmds_plot[] = {
    {.name = "plot", .topic = "plot", .run = cmd_plot,
     .args = "FIGURE [...]",
     .opts = plot_opts,
     .forms = plot_forms,
     .summary = "draw a figure: learning curves, activations, boundary, ...",
     .help =
     "Draws a figure with gnuplot: in a window when there is a display,\n"
     "as text in a bare terminal, or into a file with to=.  FIGURE is\n"
     "one of:\n"
     "\n"
     "  plot history [KEY,...]       loss and metrics per epoch, training\n"
     "                               dashed red, validation solid blue\n"
     "  plot activation [NAME,...|all] [derivative=yes] [range=-5:5]\n"
     "                               activation functions (default: sigmoid,\n"
     "                               tanh, relu, softplus) and, with\n"
     "                               derivative=yes, their derivatives: where\n"
     "                               f'(z) is near 0 the gradient vanishes\n"
     "  plot lr                      loss against learning rate (log axis)\n"
     "                               from the last lrfind, suggestion marked\n"
     "  plot boundary [layer=L unit=U] [split=all|train|valid|test]\n"
     "                               for 2 input features: the model's output\n"
     "                               over the plane with the points on top\n"
     "                               (TF Playground); layer= unit= shows what\n"
     "                               one hidden unit computes\n"
     "  plot regression [split=...]  for 1 input feature: the points and the\n"
     "                               model's curve (MSE vs Huber on outliers)\n"
     "  plot grads                   gradient L2 norm of each Dense kernel over\n"
     "                               the training steps, log scale: vanishing\n"
     "                               and exploding gradients (recorded at every\n"
     "                               step; past 4096 records every 2nd, 4th, ...)\n"
     "  plot hist weights|grads|activations [LAYER] [split=train] [n=500]\n"
     "                               histograms, one per layer, overlaid\n"
     "  plot confusion [split=test]  the confusion matrix, with class names\n"
     "  plot images [split=train] [n=16]\n"
     "                               images with their labels, and the model's\n"
     "                               wrong guesses in red\n"
     "\n"
     "Where it goes: to=FILE.png (or .svg, .pdf, .txt) writes a file;\n"
     "terminal=window|text|sixel chooses (set terminal= for the session);\n"
     "size=WxH in pixels, or characters for text.  script=FILE.gp also saves\n"
     "the gnuplot script with its data, to restyle and redraw with gnuplot.\n"
     "fit plot=live redraws the learning curves after every epoch.\n"
     "Without gnuplot, nnlab draws the figure in plain characters.\n"
     "\n"
     "Examples:\n"
     "  plot history\n"
     "  plot activation sigmoid,relu derivative=yes\n"
     "  plot boundary to=moons.png\n"
     "\n"
     "Python: pd.DataFrame(history.history).plot(); plt.plot(...);\n"
     "sklearn's ConfusionMatrixDisplay; plt.imshow(X[i], cmap=\"binary\").",
     .minpos = 1, .maxpos = 3, .pos_kind = REPL_POS_FORMS},
    {NULL},
};
