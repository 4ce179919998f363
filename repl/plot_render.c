/* plot_render.c - where a built figure goes: one gnuplot per session,
 * looked for at every plot (so installing it mid-session works), started
 * on the first and restarted when it has died, which is said once; the
 * output chosen (plots/output.c); the gnuplot script saved with its data
 * (script=); gnuplot's text output cleaned for the terminal.  Without
 * gnuplot, one line says how to get it and nnlab's own text drawing is
 * shown.  Also fit's plot=live: the learning curves redrawn after each
 * epoch. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "cmd_plot.h"
#include "gnuplot.h"

/* The session's plotting state (s->plot). */
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

/* gnuplot running (or known missing), and the output chosen
 * (cmd_plot.h). */
int repl_plot_prepare(repl_session *s, const char *cmd, const char *want,
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

/* Draws job on o (cmd_plot.h). */
int repl_plot_render(repl_session *s, const char *cmd, plot_job *job,
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
        if (o->quiet)
            ;
        else if (!strcmp(o->term, "dumb"))
            printf("plot: wrote %s (%dx%d characters)\n", o->path, w, h);
        else
            printf("plot: wrote %s (%dx%d)\n", o->path, w, h);
    }
    return 0;
}

/* ---- fit plot=live: the learning curves after each epoch ---- */

int repl_plot_live_begin(repl_session *s)
{
    plot_state *st = state(s);
    if (!st)
        return repl_error(s, "fit", "out of memory");
    st->live = 0;
    char note[256];
    if (repl_plot_prepare(s, "fit", s->plot_terminal, NULL, s->plot_w, s->plot_h, 0,
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
        if (repl_plot_render(s, "fit", &job, &st->live_out, NULL, NULL, 1) < 0)
            st->live_failed = 1;
    }
    plot_job_free(&job);
}
