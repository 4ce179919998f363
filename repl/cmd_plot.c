/* cmd_plot.c - the plot command: the session's data, model and history to
 * the figures of plots/, through one gnuplot per session.
 *
 * A plot checks everything it was asked before it draws (a wrong request
 * changes nothing and prints one error line), then chooses where the
 * figure goes (plots/output.c), builds it (plots/<figure>.c) and sends it.
 * gnuplot is looked for at every plot (so installing it mid-session
 * works), started on the first and restarted when it has died, which is
 * said once.  Without gnuplot, one line says how to get it and nnlab draws
 * the figure in characters itself; the session goes on.
 *
 * Also the hooks fit calls: plot=live redraws the learning curves after
 * each epoch, and every training step records the gradient norms that
 * `plot grads` shows. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "repl.h"
#include "plots.h"
#include "gnuplot.h"

typedef struct plot_state {
    plot_gp *gp;
    int told_missing;          /* "gnuplot not found" was said */
    int live;                  /* fit plot=live is drawing */
    int live_failed;           /* ... and gave up after a failure */
    plot_out live_out;
} plot_state;

static plot_state *state(repl_session *s)
{
    if (!s->plot)
        s->plot = calloc(1, sizeof(plot_state));
    return s->plot;
}

void repl_plot_free(repl_session *s)
{
    plot_state *st = s->plot;
    if (st) {
        plot_gp_free(st->gp);
        free(st);
        s->plot = NULL;
    }
    plot_gradlog_free(s->gradlog);
    s->gradlog = NULL;
}

long repl_plot_pid(const repl_session *s)
{
    const plot_state *st = s->plot;
    return st && st->gp ? plot_gp_pid(st->gp) : 0;
}

/* ---- the figures and their words ---- */

enum { F_HISTORY, F_ACTIVATION, F_LR, F_BOUNDARY, F_REGRESSION, F_GRADS,
       F_HIST, F_CONFUSION, F_IMAGES, F_COUNT };

static const char *const subjects[] = {
    "history", "activation", "lr", "boundary", "regression", "grads", "hist",
    "confusion", "images", NULL
};

/* Keywords each figure takes besides to= script= size= terminal=, and its
 * extra positional words (min, max). */
static const struct {
    const char *keys;
    int minpos, maxpos;
    const char *usage;
} figure[F_COUNT] = {
    {"", 0, 1, "plot history [KEY,...]"},
    {"derivative range", 0, 1, "plot activation [NAME,...|all] [derivative=yes] "
                               "[range=-5:5]"},
    {"", 0, 0, "plot lr"},
    {"layer unit split", 0, 0, "plot boundary [layer=LAYER unit=U] "
                               "[split=all|train|valid|test]"},
    {"split", 0, 0, "plot regression [split=all|train|valid|test]"},
    {"", 0, 0, "plot grads"},
    {"split n", 1, 2, "plot hist weights|grads|activations [LAYER] "
                      "[split=train|valid|test] [n=500]"},
    {"split", 0, 0, "plot confusion [split=train|valid|test]"},
    {"split n", 0, 0, "plot images [split=train|valid|test] [n=16]"},
};

static const char *const common_keys[] = {"to", "script", "size", "terminal", NULL};
static const char *const terminal_words[] = {"auto", "window", "text", "sixel", NULL};
static const char *const split_words[] = {"train", "valid", "test", NULL};
static const char *const split_all_words[] = {"all", "train", "valid", "test", NULL};

static int has_word(const char *list, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = list; (p = strstr(p, w)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0))
            return 1;
    return 0;
}

/* The figures that take keyword k, for a hint: "activation, boundary". */
static void who_takes(const char *k, char *buf, size_t len)
{
    buf[0] = 0;
    for (int f = 0; f < F_COUNT; f++)
        if (has_word(figure[f].keys, k)) {
            size_t l = strlen(buf);
            snprintf(buf + l, len - l, "%s%s", l ? ", " : "", subjects[f]);
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

/* Node named name, or -1 after an error that lists the layers. */
static int find_layer(repl_session *s, const char *name)
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

static nn_dataset *split_set(repl_session *s, int k)
{
    return k == 0 ? &s->train : k == 1 ? &s->valid : &s->test;
}

static int need_data(repl_session *s)
{
    if (s->have_data && (s->train.n > 0 || s->test.n > 0))
        return 0;
    return repl_error(s, "plot", "no data yet; load some first: data moons, "
                      "data sine, data iris, data csv FILE target=COLUMN");
}

/* The model when it has layers to run, else NULL. */
static nn_model *usable_model(repl_session *s)
{
    nn_model *m = s->model;
    if (!m)
        return NULL;
    int in = nn_model_input(m), on = nn_model_output(m);
    return in < 0 || on < 0 || on == in ? NULL : m;
}

/* ---- where a figure goes ---- */

static void terminal_size(int *cols, int *rows)
{
    *cols = *rows = 0;
    if (!repl_out_is_tty())
        return;
    *cols = repl_term_width();
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
        *rows = ws.ws_row;
    else {
        long n;
        const char *l = getenv("LINES");
        *rows = l && repl_parse_long(l, &n) == 0 && n > 0 && n < 10000 ? (int)n : 24;
    }
}

static plot_color terminal_color(void)
{
    const char *term = getenv("TERM"), *ct = getenv("COLORTERM");
    if (!repl_out_is_tty() || getenv("NO_COLOR") || !term || !*term ||
        !strcmp(term, "dumb"))
        return PLOT_MONO;
    if (ct && (!strcmp(ct, "truecolor") || !strcmp(ct, "24bit")))
        return PLOT_ANSIRGB;
    if (strstr(term, "256color"))
        return PLOT_ANSI256;
    return PLOT_ANSI;
}

/* gnuplot running (or known missing), and the output chosen.  note gets a
 * line to print once the figure is known to be drawable. */
static int prepare(repl_session *s, const char *cmd, const char *want,
                   const char *to, int w, int h, int size_for_text,
                   plot_out *o, char *note, size_t notelen)
{
    plot_state *st = state(s);
    note[0] = 0;
    if (!st)
        return repl_error(s, cmd, "out of memory");
    char path[1024], msg[512];
    const char *terms = NULL;
    if (plot_gp_find(getenv("NNLAB_GNUPLOT"), path, sizeof path)) {
        if (!st->gp && !(st->gp = plot_gp_new()))
            return repl_error(s, cmd, "out of memory");
        /* how long a figure may take (tests shorten it) */
        const char *t = getenv("NNLAB_GNUPLOT_TIMEOUT");
        long secs;
        if (!t || repl_parse_long(t, &secs) != 0 || secs <= 0 || secs > 100000)
            secs = 60;
        plot_gp_set_timeout(st->gp, (int)secs * 1000);
        char why[128];
        if (!plot_gp_alive(st->gp, why, sizeof why) && why[0])
            snprintf(note, notelen, "plot: gnuplot had stopped (%s); starting "
                     "a new one\n", why);
        if (plot_gp_start(st->gp, path, msg, sizeof msg) < 0)
            return repl_error(s, cmd, "%s; check the gnuplot installation, or "
                              "set NNLAB_GNUPLOT to another gnuplot", msg);
        terms = plot_gp_terminals(st->gp);
    }
    plot_env env = {0};
    env.want = want;
    env.to = to;
    env.w = w;
    env.h = h;
    env.size_for_text = size_for_text;
    env.terminals = terms;
    const char *d = getenv("DISPLAY"), *wd = getenv("WAYLAND_DISPLAY");
    env.display = (d && *d) || (wd && *wd);
    terminal_size(&env.cols, &env.rows);
    env.color = terminal_color();
    if (plot_out_choose(&env, o, msg, sizeof msg) < 0)
        return repl_error(s, cmd, "%s", msg);
    if (o->dest == PLOT_DEST_FILE) {
        /* refuse an unwritable file now, with the reason */
        char dir[1024];
        snprintf(dir, sizeof dir, "%s", o->path);
        char *slash = strrchr(dir, '/');
        if (slash)
            slash[slash == dir ? 1 : 0] = 0;
        else
            snprintf(dir, sizeof dir, ".");
        if (access(dir, W_OK) != 0 ||
            (access(o->path, F_OK) == 0 && access(o->path, W_OK) != 0))
            return repl_error(s, cmd, "cannot write '%s': %s", o->path,
                              strerror(errno));
    }
    return 0;
}

/* gnuplot's text output for a terminal: no form feeds, no blank lines
 * around the figure; plain text also loses the blanks at line ends.
 * Colour text (ANSI escapes) is reset to the default colours at the end. */
static int visible_blank(const char *p, const char *e)
{
    while (p < e) {
        if (*p == '\033') {               /* ESC [ ... letter */
            p++;
            if (p < e && *p == '[')
                p++;
            while (p < e && !((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
                p++;
            p++;
        } else if (*p == ' ' || *p == '\f' || *p == '\r') {
            p++;
        } else {
            return 0;
        }
    }
    return 1;
}

static void write_text(const char *t, size_t n, int mono)
{
    int started = 0;
    size_t blank = 0;              /* blank lines held back */
    const char *p = t, *end = t + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *b = p, *q = le;
        while (b < q && *b == '\f')
            b++;
        if (mono)
            while (q > b && (q[-1] == ' ' || q[-1] == '\f' || q[-1] == '\r'))
                q--;
        if (visible_blank(b, q)) {
            if (started)
                blank++;
        } else {
            for (; blank; blank--)
                putchar('\n');
            for (const char *c = b; c < q; c++)
                if (*c != '\f')
                    putchar(*c);
            putchar('\n');
            started = 1;
        }
        p = nl ? nl + 1 : end;
    }
    if (!mono)
        fputs("\033[0m", stdout);
}

static int save_script(repl_session *s, const char *cmd, const char *path,
                       const plot_job *job, const plot_out *o, int w, int h)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return repl_error(s, cmd, "cannot write '%s': %s", path, strerror(errno));
    plot_buf b;
    plot_buf_init(&b);
    plot_buf_printf(&b, "# %s: `plot %s` from nnlab, with its data inline.\n"
                    "# Restyle it, then draw it again with: gnuplot %s\n",
                    path, job->name, path);
    plot_out so = *o;
    if (o->fallback) {
        /* no gnuplot here: the script writes a PNG next to itself */
        memset(&so, 0, sizeof so);
        so.dest = PLOT_DEST_FILE;
        snprintf(so.term, sizeof so.term, "pngcairo");
        snprintf(so.path, sizeof so.path, "%.*s.png",
                 (int)(strlen(path) > 3 && !strcmp(path + strlen(path) - 3, ".gp")
                           ? strlen(path) - 3 : strlen(path)), path);
        plot_out_size(&so, job->w, job->h, &w, &h);
    }
    plot_out_begin(&b, &so, w, h, job->title);
    plot_buf_add(&b, plot_buf_str(&job->gp), job->gp.len);
    plot_out_end(&b, &so);
    if (so.dest == PLOT_DEST_WINDOW)
        plot_buf_puts(&b, "pause mouse close\n");
    int bad = b.oom || fwrite(plot_buf_str(&b), 1, b.len, f) != b.len;
    bad |= fclose(f) != 0;
    plot_buf_free(&b);
    if (bad)
        return repl_error(s, cmd, "could not write all of '%s'", path);
    printf("plot: saved the gnuplot script to %s (gnuplot %s draws it again)\n",
           path, path);
    return 0;
}

/* Draws job on o.  live: a redraw during fit (clears a text screen first;
 * failures are notes, not errors, so training goes on). */
static int render(repl_session *s, const char *cmd, plot_job *job,
                  const plot_out *o, const char *script, const char *note,
                  int live)
{
    plot_state *st = state(s);
    int w, h;
    plot_out_size(o, job->w, job->h, &w, &h);
    if (job->tall && plot_out_is_text(o))
        h *= 2;
    if (script && save_script(s, cmd, script, job, o, w, h) < 0)
        return -1;
    if (o->fallback) {
        if (!st->told_missing) {
            printf("plot: gnuplot not found; install it with: sudo apt-get "
                   "install gnuplot\n");
            st->told_missing = 1;
        }
        if (o->path[0])
            printf("plot: %s not written (no gnuplot); the figure as text:\n",
                   o->path);
        if (live && repl_out_is_tty())
            fputs("\033[H\033[2J", stdout);
        fputs(plot_buf_str(&job->text), stdout);
        fflush(stdout);
        return 0;
    }
    st->told_missing = 0;
    if (note && *note)
        fputs(note, stdout);
    if (job->own_text && plot_out_is_text(o)) {
        /* a figure gnuplot's dumb terminal cannot draw: nnlab's drawing */
        if (o->dest == PLOT_DEST_FILE) {
            FILE *f = fopen(o->path, "w");
            int bad = !f || fputs(plot_buf_str(&job->text), f) < 0;
            if (f)
                bad |= fclose(f) != 0;
            if (bad)
                return repl_error(s, cmd, "cannot write '%s': %s", o->path,
                                  strerror(errno));
            printf("plot: wrote %s\n", o->path);
        } else {
            fputs(plot_buf_str(&job->text), stdout);
        }
        fflush(stdout);
        return 0;
    }
    plot_buf full;
    plot_buf_init(&full);
    plot_out_begin(&full, o, w, h, job->title);
    plot_buf_add(&full, plot_buf_str(&job->gp), job->gp.len);
    plot_out_end(&full, o);
    if (full.oom) {
        plot_buf_free(&full);
        return repl_error(s, cmd, "out of memory");
    }
    plot_gp_set_interrupt(st->gp, live ? NULL : &repl_interrupted);
    const char *out;
    size_t outlen;
    char msg[512];
    fflush(stdout);
    int rc = plot_gp_run(st->gp, plot_buf_str(&full), full.len, &out, &outlen,
                         msg, sizeof msg);
    plot_buf_free(&full);
    if (outlen) {
        if (live && o->dest == PLOT_DEST_TEXT && repl_out_is_tty())
            fputs("\033[H\033[2J", stdout);
        write_text(out, outlen, o->dest != PLOT_DEST_TEXT || o->color == PLOT_MONO);
        fflush(stdout);
    }
    if (rc == PLOT_GP_DIED) {
        if (live) {
            printf("plot: %s; the live plot stops, training goes on\n", msg);
            return -1;
        }
        return repl_error(s, cmd, "%s; the next plot starts a new one", msg);
    }
    if (rc == PLOT_GP_ERROR) {
        if (live) {
            printf("plot: gnuplot: %s\n", msg);
            return -1;
        }
        return repl_error(s, cmd, "gnuplot: %s", msg);
    }
    if (rc == PLOT_GP_WARN && !live)
        printf("plot: gnuplot warns: %s\n", msg);
    if (o->dest == PLOT_DEST_FILE && !live) {
        FILE *f = fopen(o->path, "rb");
        long size = -1;
        if (f && fseek(f, 0, SEEK_END) == 0)
            size = ftell(f);
        if (f)
            fclose(f);
        if (size <= 0)
            return repl_error(s, cmd, "gnuplot wrote nothing to '%s'", o->path);
        if (!strcmp(o->term, "dumb"))
            printf("plot: wrote %s (%dx%d characters)\n", o->path, w, h);
        else
            printf("plot: wrote %s (%dx%d)\n", o->path, w, h);
    }
    return 0;
}

/* ---- building each figure ---- */

/* Splits "a,b,c" into at most max words (in buf). */
static int split_list(char *buf, const char **words, int max)
{
    int n = 0;
    for (char *w = strtok(buf, ","); w && n < max; w = strtok(NULL, ","))
        if (*w)
            words[n++] = w;
    return n;
}

static int build_activation(repl_session *s, const repl_args *a, plot_job *job,
                            const plot_out *o, nn_err *e)
{
    nn_act acts[NN_ACT_COUNT];
    int n = 0, deriv;
    if (repl_arg_bool(s, a, "derivative", 0, &deriv) < 0)
        return -1;
    double lo = -5, hi = 5;
    const char *range = repl_arg_str(a, "range");
    if (range) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", range);
        char *colon = strchr(buf + 1, ':');
        if (colon)
            *colon = 0;
        if (!colon || repl_parse_double(buf, &lo) != 0 ||
            repl_parse_double(colon + 1, &hi) != 0 || !(lo < hi) ||
            hi - lo > 1e6)
            return repl_error(s, "plot", "range must be FROM:TO with FROM < TO, "
                              "like range=-5:5 (got '%s')", range);
    }
    const char *list = a->npos > 1 ? a->pos[1] : "sigmoid,tanh,relu,softplus";
    if (!strcmp(list, "all")) {
        for (int k = 0; k < NN_ACT_COUNT; k++)
            if (k != NN_ACT_SOFTMAX)
                acts[n++] = (nn_act)k;
    } else {
        char buf[512];
        const char *words[NN_ACT_COUNT * 2];
        snprintf(buf, sizeof buf, "%s", list);
        int nw = split_list(buf, words, NN_ACT_COUNT * 2);
        for (int i = 0; i < nw; i++) {
            nn_act k;
            if (nn_act_parse(words[i], &k) != 0) {
                const char *hint = repl_suggest(words[i], nn_act_names);
                return repl_error(s, "plot", "unknown activation '%s'%s%s%s; "
                                  "activations: linear, sigmoid, tanh, relu, "
                                  "softplus, elu, selu, leaky_relu, relu6, "
                                  "softsign, silu, gelu, exponential, "
                                  "hard_sigmoid (or all)", words[i],
                                  *hint ? " (" : "", hint, *hint ? ")" : "");
            }
            int dup = 0;
            for (int j = 0; j < n; j++)
                dup |= acts[j] == k;
            if (!dup && n < NN_ACT_COUNT)
                acts[n++] = k;
        }
        if (n == 0)
            return repl_error(s, "plot", "name at least one activation, like "
                              "plot activation relu,tanh");
    }
    return plot_activation(job, acts, n, deriv, lo, hi, o, e);
}

static int build_lr(repl_session *s, plot_job *job, const plot_out *o, nn_err *e)
{
    if (s->nlr > 0 && s->lr_rates && s->lr_losses)
        return plot_lr(job, s->lr_rates, s->lr_losses, s->lr_smooth, s->nlr,
                       s->lr_suggest, "lrfind", o, e);
    /* no range test: a history whose rate changed (a schedule) will do */
    const nn_history *h = &s->hist;
    int key = nn_history_key(h, "loss"), changed = 0;
    for (int i = 1; h->lr && i < h->nepochs; i++)
        changed |= h->lr[i] != h->lr[0];
    if (key < 0 || !changed)
        return repl_error(s, "plot", "no learning-rate test yet: run lrfind "
                          "first (it trains briefly with a growing learning "
                          "rate, then puts the model back as it was)");
    double *loss = malloc((size_t)h->nepochs * sizeof *loss);
    if (!loss)
        return repl_error(s, "plot", "out of memory");
    for (int i = 0; i < h->nepochs; i++)
        loss[i] = nn_history_at(h, i, key);
    int rc = plot_lr(job, h->lr, loss, NULL, h->nepochs, 0,
                     "loss per epoch from the history", o, e);
    free(loss);
    return rc;
}

/* The points a figure shows: split=all (train and test), or one split. */
static int points_of(repl_session *s, const repl_args *a, const nn_dataset **tr,
                     const nn_dataset **te)
{
    int k;
    if (repl_arg_enum(s, a, "split", split_all_words, 0, &k) < 0)
        return -1;
    static nn_dataset none;
    *tr = &s->train;
    *te = &s->test;
    if (k > 0) {
        nn_dataset *d = split_set(s, k - 1);
        if (d->n == 0)
            return repl_error(s, "plot", "there is no %s set; %s",
                              split_words[k - 1],
                              k == 3 ? "make one with split test_size=0.2" :
                              k == 2 ? "make one with split valid_size=0.1"
                                     : "load data first");
        *tr = d;
        *te = &none;
    }
    return 0;
}

static int build_hist(repl_session *s, const repl_args *a, plot_job *job,
                      const plot_out *o, nn_err *e)
{
    static const char *const kinds[] = {"weights", "grads", "activations", NULL};
    int kind = nn_lookup(kinds, a->pos[1]);
    if (kind < 0) {
        const char *hint = repl_suggest(a->pos[1], kinds);
        return repl_error(s, "plot", "hist shows weights, grads or activations "
                          "(got '%s'%s%s%s); e.g. plot hist weights", a->pos[1],
                          *hint ? "; " : "", hint, "");
    }
    nn_model *m = s->model;
    if (!m || m->n == 0)
        return repl_error(s, "plot", "no model yet; start one with: input N, "
                          "then dense UNITS");
    int only = -1;
    if (a->npos > 2 && (only = find_layer(s, a->pos[2])) < 0)
        return -1;
    if (kind < 2 && only >= 0 && m->nodes[only].kind != NN_NODE_DENSE)
        return repl_error(s, "plot", "'%s' has no weights (%s; only Dense "
                          "layers have them)", m->nodes[only].name,
                          nn_node_class[m->nodes[only].kind]);
    if (kind == 1 && (m->grads_step == 0 || !m->grads))
        return repl_error(s, "plot", "no gradients yet: train first (fit or "
                          "step)%s", m->steps > 0 ? "; no step of this model "
                          "kept them (loaded, or a fit stopped early)" : "");
    long nsamp = 500;
    int sp = 0;
    if (repl_arg_int(s, a, "n", 500, 1, 100000, &nsamp) < 0 ||
        repl_arg_enum(s, a, "split", split_words, 0, &sp) < 0)
        return -1;
    if (kind < 2 && (repl_arg_str(a, "n") || repl_arg_str(a, "split")))
        return repl_error(s, "plot", "n= and split= go with plot hist "
                          "activations (weights and grads need no data)");
    int rows = 0;
    if (kind == 2) {
        if (need_data(s) < 0)
            return -1;
        nn_dataset *ds = split_set(s, sp);
        if (ds->n == 0)
            return repl_error(s, "plot", "there is no %s set; %s",
                              split_words[sp], sp == 2 ? "make one with split "
                              "test_size=0.2" : "make one with split "
                              "valid_size=0.1");
        if (nn_model_check_columns(m, ds->d, e) != NN_OK)
            return repl_error(s, "plot", "%s", e->msg);
        rows = nsamp < ds->n ? (int)nsamp : ds->n;
        if (nn_model_forward_data(m, ds->x, ds->d, rows, 0, e) != NN_OK) {
            repl_error(s, "plot", "%s", e->msg);
            return -2;         /* said */
        }
    }
    const char *names[64];
    const float *vals[64];
    size_t counts[64];
    int ns = 0;
    for (int i = 0; i < m->n && ns < 64; i++) {
        const nn_node *nd = &m->nodes[i];
        if (only >= 0 ? i != only
                      : kind < 2 ? nd->kind != NN_NODE_DENSE || nd->shared != i
                                 : nd->kind != NN_NODE_DENSE &&
                                   nd->kind != NN_NODE_ACTIVATION)
            continue;
        const nn_node *own = &m->nodes[nd->shared];
        names[ns] = nd->name;
        if (kind == 0) {
            vals[ns] = m->params + own->w_off;
            counts[ns] = (size_t)own->fan_in * own->dense.units;
        } else if (kind == 1) {
            vals[ns] = m->grads + own->w_off;
            counts[ns] = (size_t)own->fan_in * own->dense.units;
        } else {
            vals[ns] = nd->a;
            counts[ns] = (size_t)rows * nd->size;
        }
        ns++;
    }
    if (ns == 0)
        return repl_error(s, "plot", "the model has no Dense layer yet");
    char title[160], xl[64], gwhat[64];
    if (m->grads_step == m->steps)
        snprintf(gwhat, sizeof gwhat, "Kernel gradients (last training batch)");
    else
        snprintf(gwhat, sizeof gwhat, "Kernel gradients (batch of step %ld)",
                 m->grads_step);
    const char *what = kind == 0 ? "Kernel weights" : kind == 1
                       ? gwhat : "Activations";
    if (kind == 2 && ns == 1) {
        /* one layer: say how many outputs are exactly 0 (dead ReLUs) */
        size_t zeros = 0;
        for (size_t i = 0; i < counts[0]; i++)
            zeros += vals[0][i] == 0.0f;
        snprintf(title, sizeof title, "%s of %s on %d %s samples (%.0f%% "
                 "exactly 0)", what, names[0], rows, split_words[sp],
                 counts[0] ? 100.0 * zeros / counts[0] : 0.0);
    } else if (kind == 2)
        snprintf(title, sizeof title, "%s per layer on %d %s samples", what,
                 rows, split_words[sp]);
    else
        snprintf(title, sizeof title, "%s %s%s", what,
                 only >= 0 ? "of " : "per layer", only >= 0 ? names[0] : "");
    snprintf(xl, sizeof xl, "%s", kind == 0 ? "weight" : kind == 1
             ? "gradient dL/dW" : "activation (layer output)");
    return plot_hist(job, title, xl, names, vals, counts, ns, o, e);
}

/* ---- the command ---- */

static int cmd_plot(repl_session *s, const repl_args *a)
{
    int f = nn_lookup(subjects, a->pos[0]);
    if (f < 0) {
        const char *hint = repl_suggest(a->pos[0], subjects);
        return repl_error(s, "plot", "unknown figure '%s'%s%s%s; figures: "
                          "history, activation, lr, boundary, regression, "
                          "grads, hist, confusion, images", a->pos[0],
                          *hint ? " (" : "", hint, *hint ? ")" : "");
    }
    /* the words this figure takes */
    int extra = a->npos - 1;
    if (extra < figure[f].minpos || extra > figure[f].maxpos) {
        if (extra > figure[f].maxpos)
            return repl_error(s, "plot", "too many words ('%s' is extra); "
                              "usage: %s", a->pos[1 + figure[f].maxpos],
                              figure[f].usage);
        return repl_error(s, "plot", "missing word; usage: %s", figure[f].usage);
    }
    for (int i = 0; i < a->nkv; i++)
        if (nn_lookup(common_keys, a->key[i]) < 0 &&
            !has_word(figure[f].keys, a->key[i])) {
            char who[128];
            who_takes(a->key[i], who, sizeof who);
            return repl_error(s, "plot", "%s takes no %s= (it goes with: %s); "
                              "usage: %s", subjects[f], a->key[i], who,
                              figure[f].usage);
        }
    const char *to = repl_arg_str(a, "to"), *script = repl_arg_str(a, "script");
    const char *tw = repl_arg_str(a, "terminal");
    int term;
    if (repl_arg_enum(s, a, "terminal", terminal_words, 0, &term) < 0)
        return -1;
    if (to && tw)
        return repl_error(s, "plot", "give to=FILE or terminal=, not both (a "
                          "file's extension chooses its format)");
    if (to && !*to)
        return repl_error(s, "plot", "to= needs a file name, like to=loss.png");
    if (script && !*script)
        return repl_error(s, "plot", "script= needs a file name, like "
                          "script=loss.gp");
    int w = s->plot_w, h = s->plot_h, size_given = 0;
    const char *size = repl_arg_str(a, "size");
    if (size) {
        if (parse_size(size, &w, &h) < 0)
            return repl_error(s, "plot", "size must be WIDTHxHEIGHT, each from "
                              "10 to 10000 (pixels; characters for text), like "
                              "size=800x500 (got '%s')", size);
        size_given = 1;
    }
    /* what each figure needs from the session, before anything is drawn */
    long layer = -1, unit = 0;
    switch (f) {
    case F_BOUNDARY: {
        if (need_data(s) < 0)
            return -1;
        const char *ln = repl_arg_str(a, "layer");
        if (repl_arg_str(a, "unit") && !ln)
            return repl_error(s, "plot", "unit= goes with layer=: plot boundary "
                              "layer=dense unit=0");
        if (ln && (layer = find_layer(s, ln)) < 0)
            return -1;
        if (repl_arg_int(s, a, "unit", 0, 0, 1 << 20, &unit) < 0)
            return -1;
        break;
    }
    case F_REGRESSION:
        if (need_data(s) < 0)
            return -1;
        break;
    case F_GRADS:
        if (!s->model || s->model->n == 0)
            return repl_error(s, "plot", "no model yet; start one with: input "
                              "N, then dense UNITS");
        break;
    case F_CONFUSION:
        if (need_data(s) < 0)
            return -1;
        if (!usable_model(s))
            return repl_error(s, "plot", "no model to evaluate yet; build and "
                              "train one (input, dense, compile, fit)");
        break;
    case F_IMAGES:
        if (need_data(s) < 0)
            return -1;
        break;
    default:
        break;
    }
    char note[256];
    plot_out o;
    const char *want = tw ? terminal_words[term] : s->plot_terminal;
    if (prepare(s, "plot", want, to, w, h, size_given, &o, note,
                sizeof note) < 0)
        return -1;
    plot_job job;
    plot_job_init(&job, subjects[f]);
    nn_err e = {{0}};
    int rc = 0;
    switch (f) {
    case F_HISTORY: {
        const char *keys[NN_MAXKEYS];
        char buf[NN_MAXKEYS * NN_KEYMAX];
        int nk = 0;
        if (a->npos > 1) {
            snprintf(buf, sizeof buf, "%s", a->pos[1]);
            nk = split_list(buf, keys, NN_MAXKEYS);
        }
        rc = plot_history(&job, &s->hist, nk ? keys : NULL, nk, &o, &e);
        break;
    }
    case F_ACTIVATION:
        rc = build_activation(s, a, &job, &o, &e);
        break;
    case F_LR:
        rc = build_lr(s, &job, &o, &e);
        break;
    case F_BOUNDARY:
    case F_REGRESSION: {
        const nn_dataset *tr, *te;
        if (points_of(s, a, &tr, &te) < 0) {
            rc = -2;
            break;
        }
        if (f == F_BOUNDARY)
            rc = plot_boundary(&job, usable_model(s), (int)layer, (int)unit, tr,
                               te, &o, &e);
        else
            rc = plot_regression(&job, usable_model(s), tr, te, s->loss_name,
                                 &o, &e);
        break;
    }
    case F_GRADS:
        rc = plot_grads(&job, s->gradlog, s->model, &o, &e);
        break;
    case F_HIST:
        rc = build_hist(s, a, &job, &o, &e);
        break;
    case F_CONFUSION:
    case F_IMAGES: {
        int def = f == F_CONFUSION ? (s->test.n ? 2 : s->valid.n ? 1 : 0) : 0;
        int sp;
        long n = 16;
        if (repl_arg_enum(s, a, "split", split_words, def, &sp) < 0 ||
            (f == F_IMAGES && repl_arg_int(s, a, "n", 16, 1, 200, &n) < 0)) {
            rc = -2;
            break;
        }
        nn_dataset *ds = split_set(s, sp);
        if (ds->n == 0) {
            rc = -2;
            repl_error(s, "plot", "there is no %s set; %s", split_words[sp],
                       sp == 2 ? "make one with split test_size=0.2"
                               : "make one with split valid_size=0.1");
            break;
        }
        if (f == F_CONFUSION) {
            rc = plot_confusion(&job, usable_model(s), ds, split_words[sp], &o, &e);
        } else {
            /* text: as many as fit two rows, unless n= says */
            if (plot_out_is_text(&o) && !repl_arg_str(a, "n") && ds->ndim == 2) {
                int per = (o.w + 2) / (ds->shape[1] + 2);
                n = per < 1 ? 2 : 2 * per;
            }
            rc = plot_images(&job, usable_model(s), ds, split_words[sp], (int)n,
                             &o, &e);
        }
        break;
    }
    }
    if (rc == -1 && e.msg[0])
        repl_error(s, "plot", "%s", e.msg);
    if (rc == 0)
        rc = render(s, "plot", &job, &o, script, note, 0);
    plot_job_free(&job);
    return rc < 0 ? -1 : 0;
}

/* ---- fit's hooks ---- */

int repl_plot_live_begin(repl_session *s)
{
    plot_state *st = state(s);
    if (!st)
        return repl_error(s, "fit", "out of memory");
    st->live = 0;
    char note[256];
    if (prepare(s, "fit", s->plot_terminal, NULL, s->plot_w, s->plot_h, 0,
                &st->live_out, note, sizeof note) < 0)
        return -1;
    if (note[0])
        fputs(note, stdout);
    st->live = 1;
    st->live_failed = 0;
    return 0;
}

void repl_plot_live_epoch(repl_session *s)
{
    plot_state *st = s->plot;
    if (!st || !st->live || st->live_failed)
        return;
    /* a gnuplot that died since the last epoch: start a new one */
    if (!st->live_out.fallback) {
        char path[1024], msg[256], why[128];
        if (!plot_gp_alive(st->gp, why, sizeof why)) {
            if (!plot_gp_find(getenv("NNLAB_GNUPLOT"), path, sizeof path) ||
                plot_gp_start(st->gp, path, msg, sizeof msg) < 0) {
                printf("plot: gnuplot is gone; the live plot stops, training "
                       "goes on\n");
                st->live_failed = 1;
                return;
            }
            if (why[0])
                printf("plot: gnuplot had stopped (%s); starting a new one\n", why);
        }
    }
    plot_job job;
    plot_job_init(&job, "history");
    nn_err e = {{0}};
    if (plot_history(&job, &s->hist, NULL, 0, &st->live_out, &e) == 0) {
        if (render(s, "fit", &job, &st->live_out, NULL, NULL, 1) < 0)
            st->live_failed = 1;
    }
    plot_job_free(&job);
}

int repl_plot_grads_begin(repl_session *s, const nn_model *m, int nbatches)
{
    if (!s->gradlog)
        s->gradlog = plot_gradlog_new();
    long stride = 1;                /* about 64 to 128 records an epoch */
    while (stride * 2 <= nbatches / 64)
        stride *= 2;
    return s->gradlog ? plot_gradlog_prepare(s->gradlog, m, stride) : -1;
}

int repl_plot_wants_grads(const repl_session *s, const nn_model *m)
{
    return plot_gradlog_wants(s->gradlog, m, m->steps + 1);
}

void repl_plot_record_step(repl_session *s, const nn_model *m)
{
    if (!s->gradlog)
        s->gradlog = plot_gradlog_new();
    plot_gradlog_record(s->gradlog, m);
}

/* ---- the table ---- */

const repl_cmd repl_cmds_plot[] = {
    {
        .name = "plot", .topic = "plot", .run = cmd_plot,
        .usage = "plot FIGURE [...] [to=FILE.png|.svg|.pdf|.txt] "
                 "[script=FILE.gp] [size=WxH] [terminal=auto|window|text|sixel]",
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
        .keys = "to script size terminal derivative range layer unit split n",
        .minpos = 1, .maxpos = 3, .pos_kind = REPL_POS_WORDS,
        .pos_values = subjects,
    },
    {.name = NULL},
};
