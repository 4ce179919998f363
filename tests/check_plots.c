/* check_plots.c - the figures: their data against the engine, renders to
 * PNG and to text, gnuplot missing, killed, dying mid-plot and hanging.
 *
 * Most cases run the shell's own lines (repl_run_line) in a session, with
 * standard output and error captured, in a scratch directory; the data a
 * figure sent to gnuplot is read back from its script=FILE.gp and compared
 * with what the engine computes.  Without gnuplot only the cases that do
 * not need it run, and the program exits 77 (skipped) when they pass.
 * Ends with one line: "plots: N passed, N failed". */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "repl.h"
#include "plots.h"
#include "gnuplot.h"
#include "output.h"


static char scratch[512];

/* ---- helpers ---- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    for (size_t r; b && (r = fread(b + n, 1, cap - n - 1, f)) > 0;) {
        n += r;
        if (n + 1 == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                b = NULL;
            }
            b = nb;
        }
    }
    fclose(f);
    if (b)
        b[n] = 0;
    if (len)
        *len = n;
    return b;
}

/* Runs line in s with stdout and stderr captured; returns the handler's
 * status, the text in *out (malloc'd). */
static int run(repl_session *s, const char *line, char **out)
{
    char path[600];
    snprintf(path, sizeof path, "%s/capture.txt", scratch);
    fflush(stdout);
    fflush(stderr);
    int o1 = dup(1), o2 = dup(2);
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    dup2(fileno(f), 1);
    dup2(fileno(f), 2);
    int rc = repl_run_line(s, line);
    fflush(stdout);
    fflush(stderr);
    dup2(o1, 1);
    dup2(o2, 2);
    close(o1);
    close(o2);
    fclose(f);
    char *text = slurp(path, NULL);
    if (out)
        *out = text ? text : strdup("");
    else
        free(text);
    return rc;
}

static void ok(repl_session *s, const char *line)
{
    char *out;
    int rc = run(s, line, &out);
    ck_assert_msg(rc == 0, "'%s' failed:\n%s", line, out);
    free(out);
}

/* Runs line, expects success and that the output has every word. */
static char *ok_has(repl_session *s, const char *line, const char *const *words)
{
    char *out;
    int rc = run(s, line, &out);
    ck_assert_msg(rc == 0, "'%s' failed:\n%s", line, out);
    for (int i = 0; words && words[i]; i++)
        ck_assert_msg(strstr(out, words[i]) != NULL,
                      "'%s': output lacks '%s':\n%s", line, words[i], out);
    return out;
}

static int have_gnuplot(void)
{
    char p[1024];
    return plot_gp_find(getenv("NNLAB_GNUPLOT"), p, sizeof p);
}

/* A session in the scratch directory with the moons classifier trained. */
static void moons_session(repl_session *s)
{
    repl_session_init(s, 42);
    ok(s, "data moons n=300 noise=0.2");
    ok(s, "split test_size=0.2");
    ok(s, "input 2");
    ok(s, "dense 8 activation=relu");
    ok(s, "dense 2 activation=softmax");
    ok(s, "compile loss=sparse_categorical_crossentropy optimizer=adam "
          "learning_rate=0.02 metrics=accuracy");
    ok(s, "fit epochs=6 validation_split=0.1 verbose=0");
}

static void end_session(repl_session *s)
{
    repl_session_free(s);   /* closes gnuplot too */
}

/* PNG: signature, IHDR width and height, more than min bytes. */
static void check_png(const char *path, int w, int h, size_t min)
{
    size_t n;
    unsigned char *b = (unsigned char *)slurp(path, &n);
    ck_assert_msg(b != NULL, "%s was not written", path);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    ck_assert_msg(n > 24 && memcmp(b, sig, 8) == 0, "%s is not a PNG", path);
    ck_assert_msg(memcmp(b + 12, "IHDR", 4) == 0, "%s: no IHDR", path);
    int pw = b[16] << 24 | b[17] << 16 | b[18] << 8 | b[19];
    int ph = b[20] << 24 | b[21] << 16 | b[22] << 8 | b[23];
    ck_assert_msg(pw == w && ph == h, "%s is %dx%d, expected %dx%d", path, pw,
                  ph, w, h);
    ck_assert_msg(n > min, "%s has only %zu bytes (a blank figure?)", path, n);
    free(b);
}

/* The rows of datablock $name in a saved script: up to max rows of up to
 * 64 columns into v (row-major, 64 a row); returns the row count, -1 when
 * there is no such block.  ncols gets the columns of the first row. */
static int read_block(const char *script, const char *name, double *v,
                      int max, int *ncols)
{
    char head[80];
    snprintf(head, sizeof head, "$%s << EOD\n", name);
    const char *p = strstr(script, head);
    if (!p)
        return -1;
    p += strlen(head);
    int rows = 0;
    *ncols = 0;
    while (*p && strncmp(p, "EOD\n", 4) != 0) {
        const char *e = strchr(p, '\n');
        if (!e)
            break;
        if (*p != '#' && e > p && rows < max) {
            int c = 0;
            char *q = (char *)p;
            while (q < e && c < 64) {
                char *end;
                double x = strtod(q, &end);
                if (end == q)
                    break;
                v[(size_t)rows * 64 + c++] = x;
                q = end;
            }
            if (c) {
                if (!rows)
                    *ncols = c;
                rows++;
            }
        }
        p = e + 1;
    }
    return rows;
}

static char *script_text(const char *name)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", scratch, name);
    char *t = slurp(path, NULL);
    ck_assert_msg(t != NULL, "script %s was not saved", path);
    return t;
}

/* ---- no gnuplot needed ---- */

START_TEST(test_buf)
{
    plot_buf b;
    plot_buf_init(&b);
    plot_buf_quote(&b, "it's");
    plot_buf_putc(&b, ' ');
    plot_buf_num(&b, NAN);
    plot_buf_putc(&b, ' ');
    plot_buf_num(&b, INFINITY);
    plot_buf_putc(&b, ' ');
    plot_buf_num(&b, 0.1f);
    ck_assert_str_eq(plot_buf_str(&b), "'it''s' NaN NaN 0.100000001");
    for (int i = 0; i < 10000; i++)
        plot_buf_printf(&b, "%d\n", i);
    ck_assert(!b.oom && strstr(b.s, "9999\n") != NULL);
    plot_buf_free(&b);
}
END_TEST

START_TEST(test_choose)
{
    static const struct {
        const char *want, *to, *terms;
        int display, cols;
        plot_dest dest;
        const char *term;         /* NULL: an error */
    } cases[] = {
        {"auto", "a.png", "dumb png pngcairo svg", 0, 80, PLOT_DEST_FILE, "pngcairo"},
        {"auto", "a.png", "dumb png svg", 0, 80, PLOT_DEST_FILE, "png"},
        {"auto", "a.SVG", "dumb png svg", 0, 80, PLOT_DEST_FILE, "svg"},
        {"auto", "a.pdf", "dumb pdfcairo", 0, 80, PLOT_DEST_FILE, "pdfcairo"},
        {"auto", "a.pdf", "dumb png", 0, 80, PLOT_DEST_FILE, NULL},
        {"auto", "a.txt", "dumb png", 0, 80, PLOT_DEST_FILE, "dumb"},
        {"auto", "a.jpg", "dumb png", 0, 80, PLOT_DEST_FILE, NULL},
        {"auto", NULL, "dumb png qt x11", 1, 80, PLOT_DEST_WINDOW, "qt"},
        {"auto", NULL, "dumb png wxt x11", 1, 80, PLOT_DEST_WINDOW, "wxt"},
        {"auto", NULL, "dumb png qt x11", 0, 80, PLOT_DEST_TEXT, "dumb"},
        {"auto", NULL, "dumb png aqua", 0, 80, PLOT_DEST_WINDOW, "aqua"},
        {"auto", NULL, "dumb png pngcairo sixelgd", 1, 80, PLOT_DEST_TEXT, "dumb"},
        {"window", NULL, "dumb png sixelgd", 1, 80, PLOT_DEST_WINDOW, NULL},
        {"window", NULL, "dumb png qt", 0, 80, PLOT_DEST_WINDOW, NULL},
        {"text", NULL, "dumb png qt", 1, 80, PLOT_DEST_TEXT, "dumb"},
        {"sixel", NULL, "dumb png sixelgd", 0, 80, PLOT_DEST_SIXEL, "sixelgd"},
        {"sixel", NULL, "dumb png", 0, 80, PLOT_DEST_SIXEL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        plot_env env = {0};
        env.want = cases[i].want;
        env.to = cases[i].to;
        env.terminals = cases[i].terms;
        env.display = cases[i].display;
        env.cols = cases[i].cols;
        env.rows = 40;
        plot_out o;
        char msg[256] = "";
        int rc = plot_out_choose(&env, &o, msg, sizeof msg);
        if (!cases[i].term) {
            ck_assert_msg(rc < 0 && msg[0], "case %zu: expected an error", i);
            continue;
        }
        ck_assert_msg(rc == 0, "case %zu: %s", i, msg);
        ck_assert_msg(o.dest == cases[i].dest && !strcmp(o.term, cases[i].term),
                      "case %zu: got %d %s, expected %d %s", i, o.dest, o.term,
                      cases[i].dest, cases[i].term);
    }
    /* text sizes: the terminal's, capped; 80x24 without one */
    plot_env env = {0};
    env.terminals = "dumb";
    plot_out o;
    char msg[256];
    ck_assert(plot_out_choose(&env, &o, msg, sizeof msg) == 0);
    ck_assert_int_eq(o.w, 80);
    ck_assert_int_eq(o.h, 24);
    env.cols = 300;
    env.rows = 100;
    ck_assert(plot_out_choose(&env, &o, msg, sizeof msg) == 0);
    ck_assert_int_eq(o.w, 160);
    ck_assert_int_eq(o.h, 64);
    /* no gnuplot: the fallback */
    env.terminals = NULL;
    env.to = "x.png";
    ck_assert(plot_out_choose(&env, &o, msg, sizeof msg) == 0);
    ck_assert(o.fallback && o.dest == PLOT_DEST_TEXT && !strcmp(o.path, "x.png"));
    /* image sizes: a session size in characters (60x20) leaves an image
     * at the figure's own size; the same size given to the plot is an
     * error; 200x150 and up are pixels */
    env.terminals = "dumb pngcairo svg qt";
    env.to = "x.png";
    env.w = 60;
    env.h = 20;
    env.size_for_text = 0;
    ck_assert(plot_out_choose(&env, &o, msg, sizeof msg) == 0);
    ck_assert(o.dest == PLOT_DEST_FILE && o.w == 0 && o.h == 0);
    env.size_for_text = 1;
    msg[0] = 0;
    ck_assert(plot_out_choose(&env, &o, msg, sizeof msg) < 0);
    ck_assert_msg(strstr(msg, "too small for an image"), "%s", msg);
    env.to = NULL;
    env.want = "window";
    env.display = 1;
    ck_assert(plot_out_choose(&env, &o, msg, sizeof msg) < 0);
    env.w = 200;
    env.h = 150;
    ck_assert(plot_out_choose(&env, &o, msg, sizeof msg) == 0);
    ck_assert(o.dest == PLOT_DEST_WINDOW && o.w == 200 && o.h == 150);
    env.to = "x.txt";                 /* text files keep characters */
    env.w = 60;
    env.h = 20;
    ck_assert(plot_out_choose(&env, &o, msg, sizeof msg) == 0);
    ck_assert(o.w == 60 && o.h == 20);
}
END_TEST

/* 3 inputs, then Dense layers of units[0..n), compiled with MSE. */
static nn_model *dense_chain(const int *units, int n)
{
    nn_err e;
    nn_model *m = nn_model_new("m", 1, &e);
    nn_rng r;
    nn_rng_seed(&r, 1);
    int shape[1] = {3};
    ck_assert(nn_model_add_input(m, shape, 1, NULL, &e) >= 0);
    for (int i = 0; i < n; i++) {
        nn_dense_cfg c;
        nn_dense_defaults(&c, units[i]);
        ck_assert(nn_model_add_dense(m, i, &c, NULL, &r, &e) >= 0);
    }
    nn_compile_cfg cc;
    nn_compile_defaults(&cc);
    cc.loss[0].kind = NN_LOSS_MSE;
    ck_assert_msg(nn_model_compile(m, &cc, &e) == NN_OK, "%s", e.msg);
    return m;
}

START_TEST(test_gradlog)
{
    static const int units[2] = {4, 2};
    nn_model *m = dense_chain(units, 2);
    ck_assert(m->grads != NULL);
    plot_gradlog *g = plot_gradlog_new();
    /* kernel 1: 3x4 of 0.5 -> norm sqrt(12)/2; kernel 2: 4x2 of 2 -> 4 sqrt 2 */
    for (size_t i = 0; i < m->nparams; i++)
        m->grads[i] = 0;
    for (int i = 0; i < 12; i++)
        m->grads[m->nodes[1].w_off + i] = 0.5f;
    for (int i = 0; i < 8; i++)
        m->grads[m->nodes[2].w_off + i] = 2.0f;
    m->grads[m->nodes[1].b_off] = 100;   /* biases are left out */
    int total = PLOT_GRADLOG_CAP * 2 + 100;
    for (int s = 1; s <= total; s++) {
        m->steps = s;
        plot_gradlog_record(g, m);
    }
    int n = plot_gradlog_count(g, m);
    ck_assert_msg(n > PLOT_GRADLOG_CAP / 2 && n <= PLOT_GRADLOG_CAP,
                  "%d records", n);
    long stride = plot_gradlog_stride(g);
    ck_assert_int_eq(stride, 4);
    long prev = 0;
    for (int i = 0; i < n; i++) {
        long step;
        double norms[2];
        ck_assert_int_eq(plot_gradlog_get(g, i, &step, norms, 2), 2);
        ck_assert_msg(step % 4 == 0 && step > prev, "record %d: step %ld", i, step);
        prev = step;
        ck_assert_double_eq_tol(norms[0], sqrt(12.0) / 2, 1e-6);
        ck_assert_double_eq_tol(norms[1], 4 * sqrt(2.0), 1e-6);
    }
    ck_assert_int_eq(prev, total - total % 4);
    /* a step count that went back: another model, a new record */
    m->steps = 1;
    ck_assert_int_eq(plot_gradlog_count(g, m), 0);
    plot_gradlog_record(g, m);
    ck_assert_int_eq(plot_gradlog_count(g, m), 1);
    plot_gradlog_free(g);
    nn_model_free(m);
}
END_TEST

/* What fit asks before each step (keep_grads): the record wants exactly
 * the steps it keeps, for a new model (every step), after prepare with a
 * minimum stride (multiples of it, older records thinned to it), and
 * when full (the stride it will double to). */
START_TEST(test_gradlog_wants)
{
    static const int units[1] = {2};
    nn_model *m = dense_chain(units, 1);
    plot_gradlog *g = plot_gradlog_new();
    ck_assert(plot_gradlog_wants(NULL, m, 5));      /* no record yet */
    ck_assert(plot_gradlog_wants(g, m, 5));         /* of no model yet */
    for (long st = 1; st <= 40; st++) {             /* stride 1: all */
        ck_assert(plot_gradlog_wants(g, m, st));
        m->steps = st;
        plot_gradlog_record(g, m);
    }
    ck_assert_int_eq(plot_gradlog_count(g, m), 40);
    ck_assert_int_eq(plot_gradlog_prepare(g, m, 16), 0);
    ck_assert_int_eq(plot_gradlog_stride(g), 16);
    ck_assert_int_eq(plot_gradlog_count(g, m), 2);  /* steps 16 and 32 */
    int kept = 0;
    for (long st = 41; st <= 200; st++) {
        int want = plot_gradlog_wants(g, m, st);
        ck_assert_int_eq(want, st % 16 == 0);
        m->steps = st;
        int before = plot_gradlog_count(g, m);
        plot_gradlog_record(g, m);
        ck_assert_int_eq(plot_gradlog_count(g, m) - before, want);
        kept += want;
    }
    ck_assert_int_eq(kept, 10);
    ck_assert_int_eq(plot_gradlog_prepare(g, m, 4), 0);   /* never lowers */
    ck_assert_int_eq(plot_gradlog_stride(g), 16);
    /* full: the next kept step is a multiple of 32 */
    long st = m->steps;
    while (plot_gradlog_count(g, m) < PLOT_GRADLOG_CAP) {
        st++;
        m->steps = st;
        plot_gradlog_record(g, m);
    }
    for (long k = st + 1; k <= st + 64; k++)
        ck_assert_int_eq(plot_gradlog_wants(g, m, k), k % 32 == 0);
    plot_gradlog_free(g);
    nn_model_free(m);
}
END_TEST

/* gnuplot hidden: every line plot says so once and draws in characters;
 * the others too; the session goes on. */
START_TEST(test_no_gnuplot)
{
    setenv("NNLAB_GNUPLOT", "/nonexistent/gnuplot", 1);
    repl_session s;
    moons_session(&s);
    static const char *const w1[] = {"plot: gnuplot not found; install it with: "
                                     "sudo apt-get install gnuplot",
                                     "Learning curves", "epoch",
                                     "loss and metrics", "val_loss", NULL};
    char *out = ok_has(&s, "plot history", w1);
    free(out);
    static const struct {
        const char *line;
        const char *words[6];
    } cases[] = {
        {"plot activation relu,tanh derivative=yes",
         {"Activation functions", "f(z)", "f'(z)", "tanh"}},
        {"plot grads", {"Gradient norm per layer", "training step", "dense_1", NULL}},
        {"plot boundary", {"Decision boundary", "x1", "x2", "class 1"}},
        {"plot confusion", {"Confusion matrix on test", "true class", NULL}},
        {"plot hist weights", {"Kernel weights", "weight", "dense", NULL}},
        {"plot history to=h.png", {"h.png not written (no gnuplot)",
                                   "Learning curves", NULL}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        out = ok_has(&s, cases[i].line, cases[i].words);
        ck_assert_msg(strstr(out, "gnuplot not found") == NULL,
                      "'%s' repeats the message", cases[i].line);
        free(out);
    }
    /* regression and lr draw too */
    ok(&s, "data sine n=100");
    ok(&s, "model");
    ok(&s, "input 1");
    ok(&s, "dense 1");
    static const char *const w2[] = {"Regression", "train", NULL};
    free(ok_has(&s, "plot regression", w2));
    s.nlr = 3;
    double rates[3] = {1e-4, 1e-2, 1}, losses[3] = {1, 0.5, 3};
    s.lr_rates = malloc(sizeof rates);
    s.lr_losses = malloc(sizeof losses);
    memcpy(s.lr_rates, rates, sizeof rates);
    memcpy(s.lr_losses, losses, sizeof losses);
    s.lr_suggest = 1e-3;
    static const char *const w3[] = {"Learning-rate range test",
                                     "learning rate (log scale)",
                                     "suggested 0.001", NULL};
    free(ok_has(&s, "plot lr", w3));
    /* the script is saved all the same */
    ok(&s, "plot activation sigmoid script=nogp.gp");
    char *t = script_text("nogp.gp");
    ck_assert(strstr(t, "$activation << EOD") && strstr(t, "set output 'nogp.png'"));
    free(t);
    /* and the session goes on */
    ok(&s, "summary");
    end_session(&s);
    unsetenv("NNLAB_GNUPLOT");
}
END_TEST

/* Wrong requests: one error line, nothing drawn (no gnuplot needed). */
START_TEST(test_errors)
{
    setenv("NNLAB_GNUPLOT", "/nonexistent/gnuplot", 1);
    repl_session s;
    repl_session_init(&s, 42);
    static const struct {
        const char *line, *msg;
    } cases[] = {
        {"plot history", "no history yet"},
        {"plot boundary", "no data yet"},
        {"plot pictures", "unknown figure 'pictures'"},
        {"plot histroy", "did you mean history?"},
        {"plot activation relu,blah", "unknown activation 'blah'"},
        {"plot activation softmax", "softmax works on a whole row"},
        {"plot activation relu range=5:1", "range must be FROM:TO"},
        {"plot history range=1:2", "history takes no range="},
        {"plot history to=x.jpg", "to= takes a file name ending in .png"},
        {"plot history to=x.png terminal=text", "not both"},
        {"plot history size=5x5", "size must be WIDTHxHEIGHT"},
        {"plot grads", "no model yet"},
        {"plot lr", "run lrfind first"},
        {"plot hist", "missing word"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out;
        int rc = run(&s, cases[i].line, &out);
        ck_assert_msg(rc != 0, "'%s' did not fail:\n%s", cases[i].line, out);
        ck_assert_msg(strstr(out, "error: plot: ") && strstr(out, cases[i].msg),
                      "'%s': expected '%s' in:\n%s", cases[i].line, cases[i].msg,
                      out);
        ck_assert_msg(strchr(out, '\n') == out + strlen(out) - 1,
                      "'%s': more than one line:\n%s", cases[i].line, out);
        free(out);
    }
    ok(&s, "data iris");
    ok(&s, "input 4");
    ok(&s, "dense 3 activation=softmax");
    static const struct {
        const char *line, *msg;
    } more[] = {
        {"plot boundary", "needs data with 2 input features"},
        {"plot regression", "needs data with 1 input feature"},
        {"plot images", "needs image data"},
        {"plot boundary layer=nope", "no layer named 'nope'"},
        {"plot hist weights nope", "no layer named 'nope'"},
        {"plot hist grads", "no gradients yet"},
        {"plot hist pixels", "weights, grads or activations"},
        {"plot grads", "no gradients recorded"},
        {"plot boundary unit=1", "unit= goes with layer="},
    };
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        char *out;
        int rc = run(&s, more[i].line, &out);
        ck_assert_msg(rc != 0 && strstr(out, more[i].msg), "'%s': expected "
                      "'%s' in:\n%s", more[i].line, more[i].msg, out);
        free(out);
    }
    ok(&s, "data sine n=50");
    ok(&s, "model");
    ok(&s, "input 1");
    ok(&s, "dense 1");
    char *out;
    ck_assert(run(&s, "plot confusion", &out) != 0);
    ck_assert_msg(strstr(out, "needs a classification data set"), "%s", out);
    free(out);
    end_session(&s);
    unsetenv("NNLAB_GNUPLOT");
}
END_TEST

/* ---- with gnuplot ---- */

/* Every figure to PNG: valid, the asked size, not blank. */
START_TEST(test_png)
{
    repl_session s;
    moons_session(&s);
    static const char *const lines[] = {
        "plot history to=history.png",
        "plot activation all derivative=yes to=activation.png size=900x400",
        "plot boundary to=boundary.png",
        "plot boundary layer=dense unit=2 to=unit.png",
        "plot grads to=grads.png",
        "plot hist weights to=hw.png",
        "plot hist grads dense_1 to=hg.png",
        "plot hist activations split=test to=ha.png",
        "plot confusion to=confusion.png",
    };
    static const struct { const char *file; int w, h; } want[] = {
        {"history.png", 800, 500}, {"activation.png", 900, 400},
        {"boundary.png", 800, 600}, {"unit.png", 800, 600},
        {"grads.png", 800, 500}, {"hw.png", 800, 500}, {"hg.png", 800, 500},
        {"ha.png", 800, 500}, {"confusion.png", 760, 680},
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        static const char *const w[] = {"plot: wrote ", NULL};
        free(ok_has(&s, lines[i], w));
        char path[600];
        snprintf(path, sizeof path, "%s/%s", scratch, want[i].file);
        check_png(path, want[i].w, want[i].h, 8000);
    }
    /* lr, regression, images */
    s.nlr = 50;
    s.lr_rates = calloc(50, sizeof(double));
    s.lr_losses = calloc(50, sizeof(double));
    s.lr_smooth = calloc(50, sizeof(double));
    for (int i = 0; i < 50; i++) {
        s.lr_rates[i] = 1e-5 * pow(10, i / 8.0);
        s.lr_losses[i] = 1 + 0.3 * sin(i) * 0.1 - (i < 35 ? i / 50.0 : -(i - 35) / 5.0);
        s.lr_smooth[i] = 1 - (i < 35 ? i / 50.0 : -(i - 35) / 5.0);
    }
    s.lr_suggest = 3e-2;
    ok(&s, "plot lr to=lr.png size=640x400");
    check_png("lr.png", 640, 400, 8000);
    ok(&s, "data outliers n=200");
    ok(&s, "model");
    ok(&s, "input 1");
    ok(&s, "dense 16 activation=relu");
    ok(&s, "dense 1");
    ok(&s, "compile loss=huber optimizer=adam learning_rate=0.05");
    ok(&s, "fit epochs=5 verbose=0");
    ok(&s, "plot regression to=regression.png");
    check_png("regression.png", 800, 500, 8000);
    ok(&s, "plot history to=history.svg");
    char *svg = slurp("history.svg", NULL);
    ck_assert(svg && strstr(svg, "<svg") && strstr(svg, "Learning curves"));
    free(svg);
    end_session(&s);
}
END_TEST

/* A made-up image set: n 8x8 images of class i % 3. */
static void image_set(repl_session *s, int n)
{
    nn_err e;
    nn_dataset_free(&s->train);
    ck_assert(nn_dataset_alloc(&s->train, n, 64, 1, &e) == NN_OK);
    s->train.ndim = 2;
    s->train.shape[0] = s->train.shape[1] = 8;
    static const char *const names[] = {"Bar", "Cross", "Box"};
    ck_assert(nn_dataset_set_classes(&s->train, 3, names, &e) == NN_OK);
    snprintf(s->train.name, sizeof s->train.name, "shapes");
    for (int i = 0; i < n; i++) {
        int c = i % 3;
        s->train.y[i] = (float)c;
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++) {
                int on = c == 0 ? (x == 3 || x == 4)
                       : c == 1 ? (x == y || x == 7 - y)
                                : (x == 1 || x == 6 || y == 1 || y == 6);
                s->train.x[i * 64 + y * 8 + x] = on ? 0.9f : 0.05f * (float)((x + i) % 3);
            }
    }
    s->have_data = 1;
}

START_TEST(test_images)
{
    repl_session s;
    repl_session_init(&s, 42);
    image_set(&s, 30);
    ok(&s, "plot images n=12 to=images.png");
    size_t n;
    char *png = slurp("images.png", &n);
    ck_assert(png && n > 3000 && !memcmp(png + 1, "PNG", 3));
    free(png);
    static const char *const w[] = {"shapes images", "Bar", "Cross", "Box", "%", NULL};
    free(ok_has(&s, "plot images terminal=text size=60x20 n=4", w));
    /* with a model: predictions; a .txt file gets the drawing */
    ok(&s, "input 8x8");
    ok(&s, "flatten");
    ok(&s, "dense 3 activation=softmax");
    ok(&s, "compile loss=sparse_categorical_crossentropy");
    static const char *const w2[] = {"wrong", NULL};
    free(ok_has(&s, "plot images terminal=text n=6", w2));
    ok(&s, "plot images to=images.txt n=3");
    char *t = slurp("images.txt", NULL);
    ck_assert(t && strstr(t, "Cross"));
    free(t);
    ok(&s, "plot images to=images2.png n=9");
    end_session(&s);
}
END_TEST

/* Every figure as text (gnuplot's dumb terminal): title and axis labels. */
START_TEST(test_text)
{
    repl_session s;
    moons_session(&s);
    static const struct {
        const char *line;
        const char *words[7];
    } cases[] = {
        {"plot history terminal=text size=90x30",
         {"Learning curves (6 epochs)", "epoch", "loss and metrics", "val_accuracy"}},
        {"plot activation sigmoid,relu derivative=yes terminal=text size=80x24",
         {"Activation functions", "f(z)", "f'(z)", "vanishing", "sigmoid"}},
        {"plot boundary terminal=text size=80x30",
         {"Decision boundary", "x1", "x2", "class 1 (test)"}},
        {"plot boundary layer=dense unit=0 terminal=text size=80x30",
         {"What unit 0 of layer dense", "x1", "x2", "dense unit 0 from"}},
        {"plot grads terminal=text size=80x24",
         {"Gradient norm per layer", "training step", "dL/dW", "dense_1"}},
        {"plot hist activations terminal=text size=80x24",
         {"Activations per layer", "activation (layer output)", "fraction", "dense_1"}},
        {"plot confusion terminal=text size=60x20",
         {"Confusion matrix on test", "predicted class", "true class", NULL}},
        {"plot history to=history.txt size=70x20", {"wrote history.txt", NULL}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = ok_has(&s, cases[i].line, cases[i].words);
        /* plain text: no escapes, no form feed, no blanks at line ends */
        ck_assert_msg(!strchr(out, '\033') && !strchr(out, '\f') &&
                      !strstr(out, " \n"), "'%s': not plain text", cases[i].line);
        free(out);
    }
    char *t = slurp("history.txt", NULL);
    ck_assert(t && strstr(t, "Learning curves"));
    free(t);
    /* live: the curves after every epoch */
    ok(&s, "set terminal=text size=70x20");
    char *out;
    ck_assert(run(&s, "fit epochs=3 verbose=0 plot=live", &out) == 0);
    int count = 0;
    for (char *p = out; (p = strstr(p, "Learning curves")) != NULL; p++)
        count++;
    ck_assert_msg(count == 3, "%d live plots:\n%s", count, out);
    ck_assert(strstr(out, "Learning curves (9 epochs)"));
    free(out);
    /* lr (a made-up range test) and regression */
    s.nlr = 30;
    s.lr_rates = calloc(30, sizeof(double));
    s.lr_losses = calloc(30, sizeof(double));
    for (int i = 0; i < 30; i++) {
        s.lr_rates[i] = 1e-4 * pow(10, i / 6.0);
        s.lr_losses[i] = 1 - 0.02 * i + (i > 22 ? 0.3 * (i - 22) : 0);
    }
    s.lr_suggest = 0.01;
    static const char *const wl[] = {"Learning-rate range test", "loss",
                                     "learning rate (log scale)",
                                     "suggested 0.01", NULL};
    free(ok_has(&s, "plot lr terminal=text size=80x24", wl));
    ok(&s, "data sine n=80");
    ok(&s, "model");
    ok(&s, "input 1");
    ok(&s, "dense 4 activation=tanh");
    ok(&s, "dense 1");
    static const char *const wr[] = {"Regression: the data and the model", "x",
                                     "y", "train", "model", NULL};
    free(ok_has(&s, "plot regression terminal=text size=80x24", wr));
    end_session(&s);
}
END_TEST

/* What reaches gnuplot is what the engine has. */
START_TEST(test_data)
{
    repl_session s;
    moons_session(&s);
    static double v[20000 * 64];
    int nc;
    /* history: epoch, then every key */
    ok(&s, "plot history to=h.png script=h.gp");
    char *t = script_text("h.gp");
    int rows = read_block(t, "history", v, 20000, &nc);
    ck_assert_int_eq(rows, s.hist.nepochs);
    ck_assert_int_eq(nc, 1 + s.hist.nkeys);
    for (int r = 0; r < rows; r++) {
        ck_assert_double_eq(v[r * 64], s.hist.epoch[r]);
        for (int k = 0; k < s.hist.nkeys; k++)
            ck_assert_double_eq_tol(v[r * 64 + 1 + k], nn_history_at(&s.hist, r, k),
                                    1e-8 * fabs(nn_history_at(&s.hist, r, k)) + 1e-12);
    }
    ck_assert(strstr(t, "set terminal pngcairo size 800,500") &&
              strstr(t, "set output 'h.png'"));
    free(t);
    /* boundary: the grid is the model's predict on the grid */
    ok(&s, "plot boundary to=b.png script=b.gp");
    t = script_text("b.gp");
    rows = read_block(t, "grid", v, 20000, &nc);
    ck_assert_int_gt(rows, 1000);
    ck_assert_int_eq(nc, 5);              /* x1 x2 out_0 out_1 class */
    float *x = malloc((size_t)rows * 2 * sizeof *x);
    float *y = malloc((size_t)rows * 2 * sizeof *y);
    for (int r = 0; r < rows; r++) {
        x[2 * r] = (float)v[r * 64];
        x[2 * r + 1] = (float)v[r * 64 + 1];
    }
    nn_err e;
    ck_assert(nn_model_predict(s.model, x, 2, rows, y, &e) == NN_OK);
    int ones = 0;
    for (int r = 0; r < rows; r++) {
        ck_assert_msg(fabs(y[2 * r] - v[r * 64 + 2]) < 1e-6 &&
                      fabs(y[2 * r + 1] - v[r * 64 + 3]) < 1e-6,
                      "grid row %d: predict (%g, %g), plotted (%g, %g)", r,
                      y[2 * r], y[2 * r + 1], v[r * 64 + 2], v[r * 64 + 3]);
        ck_assert_int_eq((int)v[r * 64 + 4], y[2 * r + 1] > y[2 * r]);
        ones += y[2 * r + 1] > y[2 * r];
    }
    ck_assert_msg(ones > rows / 10 && ones < rows * 9 / 10, "a boundary with "
                  "%d of %d points in class 1", ones, rows);
    /* and the points are the data */
    rows = read_block(t, "train", v, 20000, &nc);
    ck_assert_int_eq(rows, s.train.n);
    ck_assert_msg((float)v[0] == s.train.x[0] && (float)v[1] == s.train.x[1] &&
                  v[2] == s.train.y[0], "first point (%g %g %g), data (%g %g %g)",
                  v[0], v[1], v[2], s.train.x[0], s.train.x[1], s.train.y[0]);
    free(x);
    free(y);
    free(t);
    /* confusion: counts add up to the split, the diagonal to accuracy */
    ok(&s, "plot confusion to=c.png script=c.gp");
    t = script_text("c.gp");
    rows = read_block(t, "confusion", v, 100, &nc);
    ck_assert_int_eq(rows, 4);
    double sum = 0, diag = 0;
    for (int r = 0; r < 4; r++) {
        sum += v[r * 64 + 2];
        if (v[r * 64] == v[r * 64 + 1])
            diag += v[r * 64 + 2];
    }
    ck_assert_int_eq((int)sum, s.test.n);
    float *out = malloc((size_t)s.test.n * 2 * sizeof *out);
    ck_assert(nn_model_predict(s.model, s.test.x, s.test.d, s.test.n, out, &e) == NN_OK);
    int right = 0;
    for (int i = 0; i < s.test.n; i++)
        right += (out[2 * i + 1] > out[2 * i]) == (int)s.test.y[i];
    ck_assert_int_eq((int)diag, right);
    free(out);
    free(t);
    /* activation: nn_act_eval and nn_act_deriv */
    ok(&s, "plot activation elu,gelu derivative=yes range=-3:3 to=a.png script=a.gp");
    t = script_text("a.gp");
    rows = read_block(t, "activation", v, 20000, &nc);
    ck_assert_int_eq(rows, 401);
    ck_assert_int_eq(nc, 5);
    ck_assert_double_eq_tol(v[0], -3, 1e-9);
    ck_assert_double_eq_tol(v[400 * 64], 3, 1e-9);
    for (int r = 0; r < rows; r++) {
        double z = v[r * 64];
        ck_assert_double_eq_tol(v[r * 64 + 1], nn_act_eval(NN_ACT_ELU, z), 1e-7);
        ck_assert_double_eq_tol(v[r * 64 + 2], nn_act_eval(NN_ACT_GELU, z), 1e-7);
        ck_assert_double_eq_tol(v[r * 64 + 3], nn_act_deriv(NN_ACT_ELU, z), 1e-7);
        ck_assert_double_eq_tol(v[r * 64 + 4], nn_act_deriv(NN_ACT_GELU, z), 1e-7);
    }
    free(t);
    /* grads: the record */
    ok(&s, "plot grads to=g.png script=g.gp");
    t = script_text("g.gp");
    rows = read_block(t, "grads", v, 20000, &nc);
    int n = plot_gradlog_count(s.gradlog, s.model);
    ck_assert_int_eq(rows, n);
    ck_assert_int_eq(n, (int)s.model->steps);     /* every step so far */
    for (int r = 0; r < rows; r++) {
        long step;
        double norms[2];
        plot_gradlog_get(s.gradlog, r, &step, norms, 2);
        ck_assert_double_eq(v[r * 64], (double)step);
        ck_assert_double_eq_tol(v[r * 64 + 1], norms[0], 1e-6 * norms[0]);
        ck_assert_double_eq_tol(v[r * 64 + (nc == 5 ? 3 : 2)], norms[1], 1e-6 * norms[1]);
    }
    free(t);
    /* the last step's record is the gradient `grads` shows */
    {
        long step;
        double norms[2];
        plot_gradlog_get(s.gradlog, n - 1, &step, norms, 2);
        const nn_node *d = &s.model->nodes[1];
        double ss = 0;
        for (int i = 0; i < d->fan_in * d->dense.units; i++)
            ss += (double)s.model->grads[d->w_off + i] * s.model->grads[d->w_off + i];
        ck_assert_double_eq_tol(norms[0], sqrt(ss), 1e-5 * sqrt(ss));
    }
    /* lr: the session's range test */
    s.nlr = 4;
    s.lr_rates = calloc(4, sizeof(double));
    s.lr_losses = calloc(4, sizeof(double));
    for (int i = 0; i < 4; i++) {
        s.lr_rates[i] = pow(10, i - 4);
        s.lr_losses[i] = 2 - i * 0.25;
    }
    ok(&s, "plot lr to=l.png script=l.gp");
    t = script_text("l.gp");
    rows = read_block(t, "lr", v, 100, &nc);
    ck_assert_int_eq(rows, 4);
    for (int r = 0; r < 4; r++) {
        ck_assert_double_eq_tol(v[r * 64], s.lr_rates[r], 1e-12);
        ck_assert_double_eq_tol(v[r * 64 + 1], s.lr_losses[r], 1e-12);
    }
    ck_assert(strstr(t, "set logscale x") != NULL);
    free(t);
    /* regression: the curve is predict on its x */
    ok(&s, "data sine n=100");
    ok(&s, "model");
    ok(&s, "input 1");
    ok(&s, "dense 8 activation=tanh");
    ok(&s, "dense 1");
    ok(&s, "plot regression to=r.png script=r.gp");
    t = script_text("r.gp");
    rows = read_block(t, "regression_model", v, 1000, &nc);
    ck_assert_int_eq(rows, 300);
    float xs[300], ys[300];
    for (int r = 0; r < 300; r++)
        xs[r] = (float)v[r * 64];
    ck_assert(nn_model_predict(s.model, xs, 1, 300, ys, &e) == NN_OK);
    for (int r = 0; r < 300; r++)
        ck_assert_double_eq_tol(v[r * 64 + 1], ys[r], 1e-6);
    free(t);
    end_session(&s);
}
END_TEST

/* A killed gnuplot is said once and restarted by the next plot. */
START_TEST(test_restart)
{
    repl_session s;
    moons_session(&s);
    ok(&s, "plot history to=k1.png");
    long pid = repl_plot_pid(&s);
    ck_assert(pid > 0);
    ck_assert(kill((pid_t)pid, SIGKILL) == 0);
    usleep(100000);
    static const char *const w[] = {"plot: gnuplot had stopped (killed by signal 9); "
                                    "starting a new one", "wrote k2.png", NULL};
    free(ok_has(&s, "plot history to=k2.png", w));
    long pid2 = repl_plot_pid(&s);
    ck_assert(pid2 > 0 && pid2 != pid);
    check_png("k2.png", 800, 500, 8000);
    /* said once: the next plot is quiet */
    char *out;
    ck_assert(run(&s, "plot history to=k3.png", &out) == 0);
    ck_assert_msg(!strstr(out, "stopped"), "%s", out);
    free(out);
    end_session(&s);
}
END_TEST

/* A gnuplot that dies while drawing, or hangs: an error, the session goes
 * on, the next plot starts a new one. */
static void write_fake(const char *path, const char *on_plot)
{
    FILE *f = fopen(path, "w");
    ck_assert(f != NULL);
    fprintf(f,
        "#!/bin/sh\n"
        "# a gnuplot that answers the marker protocol and %s\n"
        "to=2\n"
        "while IFS= read -r line; do\n"
        "  case $line in\n"
        "  'set print \"-\"') to=1 ;;\n"
        "  'set print') to=2 ;;\n"
        "  'print GPVAL_TERMINALS') echo 'dumb png pngcairo svg' ;;\n"
        "  print\\ \\\"*) m=${line#print \\\"}; m=${m%%\\\"}\n"
        "     if [ $to = 1 ]; then echo \"$m\"; else echo \"$m\" >&2; fi ;;\n"
        "  plot\\ *) %s ;;\n"
        "  esac\n"
        "done\n", on_plot, on_plot);
    fclose(f);
    chmod(path, 0755);
}

START_TEST(test_dying)
{
    char fake[600], hang[600];
    snprintf(fake, sizeof fake, "%s/dying-gnuplot", scratch);
    snprintf(hang, sizeof hang, "%s/hanging-gnuplot", scratch);
    write_fake(fake, "exit 3");
    write_fake(hang, "sleep 30");
    repl_session s;
    moons_session(&s);
    setenv("NNLAB_GNUPLOT", fake, 1);
    char *out;
    ck_assert(run(&s, "plot history to=d.png", &out) != 0);
    ck_assert_msg(strstr(out, "error: plot: gnuplot stopped while drawing "
                              "(exited with status 3); the next plot starts a "
                              "new one"), "%s", out);
    free(out);
    ok(&s, "evaluate test");                       /* the session goes on */
    setenv("NNLAB_GNUPLOT", hang, 1);
    setenv("NNLAB_GNUPLOT_TIMEOUT", "1", 1);
    ck_assert(run(&s, "plot history to=d.png", &out) != 0);
    ck_assert_msg(strstr(out, "did not finish in 1 s"), "%s", out);
    free(out);
    unsetenv("NNLAB_GNUPLOT_TIMEOUT");
    unsetenv("NNLAB_GNUPLOT");
    /* the real one again: a new process, no stale message */
    ck_assert(run(&s, "plot history to=d.png", &out) == 0);
    ck_assert_msg(strstr(out, "wrote d.png") && !strstr(out, "had stopped"), "%s", out);
    free(out);
    check_png("d.png", 800, 500, 8000);
    end_session(&s);
}
END_TEST

/* A file that cannot be written, and gnuplot's own complaints. */
START_TEST(test_bad_output)
{
    repl_session s;
    moons_session(&s);
    char *out;
    ck_assert(run(&s, "plot history to=/nonexistent/dir/x.png", &out) != 0);
    ck_assert_msg(strstr(out, "error: plot: cannot write '/nonexistent/dir/x.png'"),
                  "%s", out);
    free(out);
    ck_assert(run(&s, "plot history terminal=window", &out) != 0);
    ck_assert_msg(strstr(out, "error: plot: no window"), "%s", out);
    free(out);
    ok(&s, "plot history to=after.png");
    end_session(&s);
}
END_TEST

static Suite *suite_plots(int gnuplot)
{
    Suite *su = suite_create("plots");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_buf);
    tcase_add_test(tc, test_choose);
    tcase_add_test(tc, test_gradlog);
    tcase_add_test(tc, test_gradlog_wants);
    tcase_add_test(tc, test_no_gnuplot);
    tcase_add_test(tc, test_errors);
    suite_add_tcase(su, tc);
    if (gnuplot) {
        TCase *tg = tcase_create("gnuplot");
        tcase_set_timeout(tg, 300);
        tcase_add_test(tg, test_png);
        tcase_add_test(tg, test_images);
        tcase_add_test(tg, test_text);
        tcase_add_test(tg, test_data);
        tcase_add_test(tg, test_restart);
        tcase_add_test(tg, test_dying);
        tcase_add_test(tg, test_bad_output);
        suite_add_tcase(su, tg);
    }
    return su;
}

/* The scratch directory holds files only. */
static void rm_scratch(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char path[1024];
    while (d && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    if (rmdir(dir) != 0)
        fprintf(stderr, "check_plots: could not remove %s\n", dir);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    unsetenv("DISPLAY");              /* windows are not for tests */
    unsetenv("WAYLAND_DISPLAY");
    unsetenv("NNLAB_GNUPLOT_TIMEOUT");
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/nnlab-plots.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(scratch) || chdir(scratch) != 0) {
        fprintf(stderr, "check_plots: no scratch directory: %s\n", strerror(errno));
        return 99;
    }
    int gnuplot = have_gnuplot();
    if (!gnuplot)
        printf("check_plots: no gnuplot on PATH: only the cases without it run\n");
    SRunner *sr = srunner_create(suite_plots(gnuplot));
    srunner_run_all(sr, CK_NORMAL);
    int run_n = srunner_ntests_run(sr), failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (chdir("/") == 0)
        rm_scratch(scratch);
    printf("plots: %d passed, %d failed\n", run_n - failed, failed);
    if (failed)
        return 1;
    return gnuplot ? 0 : 77;
}
