/* output.c - choosing where a figure goes, and telling gnuplot. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "output.h"

/* Whether word is in the space-separated list. */
static int in_list(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0))
            return 1;
    return 0;
}

static int ends_with(const char *s, const char *ext)
{
    size_t n = strlen(s), m = strlen(ext);
    return n > m && strcasecmp(s + n - m, ext) == 0;
}

/* Window terminals, best first; aqua (macOS) and windows need no X. */
static const char *const windows[] = {"qt", "wxt", "x11", "aqua", "windows", NULL};

static const char *window_term(const plot_env *env)
{
    for (int i = 0; windows[i]; i++) {
        int needs_x = i < 3;
        if (in_list(env->terminals, windows[i]) && (!needs_x || env->display))
            return windows[i];
    }
    return NULL;
}

/* Text size: asked when it is a plausible character size, else the
 * terminal's (capped so a figure stays readable), else 80 x 24. */
static void text_size(const plot_env *env, int *w, int *h)
{
    if (env->w > 0 && env->h > 0 &&
        (env->size_for_text || (env->w <= 400 && env->h <= 200))) {
        *w = env->w;
        *h = env->h;
        return;
    }
    if (env->cols > 0) {
        *w = env->cols > 160 ? 160 : env->cols < 40 ? 40 : env->cols;
        int rows = env->rows > 0 ? env->rows - 3 : 24;
        int ideal = *w * 2 / 5;        /* characters are twice as tall */
        if (ideal < 20)
            ideal = 20;
        *h = rows < ideal ? rows : ideal;
        if (*h < 12)
            *h = 12;
        return;
    }
    *w = 80;
    *h = 24;
}

/* Pixel size (files, windows, sixel): asked when it is a plausible image
 * size (at least PLOT_MIN_W x PLOT_MIN_H: gnuplot fails under about that,
 * "Check plot boundary and font sizes"); a session size under it was
 * meant for text plots, and the figure keeps its own; a size given to
 * this plot under it is an error.  0, or -1 with msg. */
#define PLOT_MIN_W 200
#define PLOT_MIN_H 150
static int pixel_size(const plot_env *env, plot_out *o, char *msg, size_t len)
{
    if (o->w <= 0 || o->h <= 0 || (o->w >= PLOT_MIN_W && o->h >= PLOT_MIN_H))
        return 0;
    if (env->size_for_text) {
        snprintf(msg, len, "size=%dx%d is too small for an image: at least "
                 "%dx%d pixels (sizes in characters are for text plots: "
                 "terminal=text or to=FILE.txt)", o->w, o->h, PLOT_MIN_W,
                 PLOT_MIN_H);
        return -1;
    }
    o->w = o->h = 0;
    return 0;
}

int plot_out_choose(const plot_env *env, plot_out *o, char *msg, size_t len)
{
    memset(o, 0, sizeof *o);
    const char *want = env->want && *env->want ? env->want : "auto";
    o->w = env->w;
    o->h = env->h;
    if (env->to && !ends_with(env->to, ".png") && !ends_with(env->to, ".svg") &&
        !ends_with(env->to, ".pdf") && !ends_with(env->to, ".txt")) {
        snprintf(msg, len, "to= takes a file name ending in .png, .svg, .pdf "
                 "or .txt (got '%s')", env->to);
        return -1;
    }
    if (!env->terminals) {                     /* no gnuplot */
        o->dest = PLOT_DEST_TEXT;
        o->fallback = 1;
        o->color = PLOT_MONO;
        text_size(env, &o->w, &o->h);
        if (env->to)
            snprintf(o->path, sizeof o->path, "%s", env->to);
        return 0;
    }
    if (env->to) {
        const char *t = NULL;
        if (ends_with(env->to, ".png"))
            t = in_list(env->terminals, "pngcairo") ? "pngcairo" : "png";
        else if (ends_with(env->to, ".svg"))
            t = "svg";
        else if (ends_with(env->to, ".pdf"))
            t = "pdfcairo";
        else
            t = "dumb";
        if (!in_list(env->terminals, t)) {
            snprintf(msg, len, "this gnuplot cannot write %s files (it has no "
                     "%s terminal); try a .png or .svg file", strrchr(env->to,
                     '.'), t);
            return -1;
        }
        o->dest = PLOT_DEST_FILE;
        snprintf(o->term, sizeof o->term, "%s", t);
        snprintf(o->path, sizeof o->path, "%s", env->to);
        if (!strcmp(t, "dumb")) {
            o->color = PLOT_MONO;
            if (o->w <= 0 || o->h <= 0 || o->w > 400 || o->h > 200) {
                o->w = 80;
                o->h = 24;
            }
            return 0;
        }
        return pixel_size(env, o, msg, len);
    }
    if (!strcmp(want, "auto") || !strcmp(want, "window")) {
        const char *t = window_term(env);
        if (t) {
            o->dest = PLOT_DEST_WINDOW;
            snprintf(o->term, sizeof o->term, "%s", t);
            return pixel_size(env, o, msg, len);
        }
        if (!strcmp(want, "window")) {
            int has = 0;
            for (int i = 0; windows[i]; i++)
                has |= in_list(env->terminals, windows[i]);
            if (has)
                snprintf(msg, len, "no window: there is no display ($DISPLAY "
                         "is not set); use terminal=text, or to=FILE.png");
            else
                snprintf(msg, len, "no window: this gnuplot has no window "
                         "terminal (gnuplot-nox?); install gnuplot-qt, or use "
                         "terminal=text, or to=FILE.png");
            return -1;
        }
    }
    if (!strcmp(want, "sixel")) {
        if (!in_list(env->terminals, "sixelgd")) {
            snprintf(msg, len, "this gnuplot has no sixel terminal (sixelgd); "
                     "use terminal=text, or to=FILE.png");
            return -1;
        }
        o->dest = PLOT_DEST_SIXEL;
        snprintf(o->term, sizeof o->term, "sixelgd");
        return pixel_size(env, o, msg, len);
    }
    o->dest = PLOT_DEST_TEXT;
    snprintf(o->term, sizeof o->term, "dumb");
    o->color = env->color;
    text_size(env, &o->w, &o->h);
    return 0;
}

int plot_out_is_text(const plot_out *o)
{
    return o->dest == PLOT_DEST_TEXT || !strcmp(o->term, "dumb");
}

void plot_out_size(const plot_out *o, int fig_w, int fig_h, int *w, int *h)
{
    if (o->w > 0 && o->h > 0) {
        *w = o->w;
        *h = o->h;
    } else {
        *w = fig_w;
        *h = fig_h;
    }
}

void plot_out_begin(plot_buf *b, const plot_out *o, int w, int h,
                    const char *title)
{
    const char *t = o->term;
    plot_buf_puts(b, "reset session\n");
    if (!strcmp(t, "dumb")) {
        static const char *const colors[] = {"mono", "ansi", "ansi256", "ansirgb"};
        plot_buf_printf(b, "set terminal dumb size %d,%d nofeed noenhanced %s\n",
                        w, h, colors[o->color]);
    } else if (!strcmp(t, "pngcairo") || !strcmp(t, "pdfcairo")) {
        if (t[0] == 'p' && t[1] == 'd')
            plot_buf_printf(b, "set terminal pdfcairo size %.2fin,%.2fin "
                            "noenhanced font ',9'\n", w / 100.0, h / 100.0);
        else
            plot_buf_printf(b, "set terminal pngcairo size %d,%d noenhanced "
                            "font ',10'\n", w, h);
    } else if (!strcmp(t, "png")) {
        plot_buf_printf(b, "set terminal png size %d,%d noenhanced\n", w, h);
    } else if (!strcmp(t, "svg")) {
        plot_buf_printf(b, "set terminal svg size %d,%d dynamic noenhanced "
                        "font 'sans,11' background rgb 'white'\n", w, h);
    } else if (!strcmp(t, "sixelgd")) {
        plot_buf_printf(b, "set terminal sixelgd size %d,%d truecolor "
                        "noenhanced\n", w, h);
    } else {                                   /* a window */
        plot_buf_printf(b, "set terminal %s 0 size %d,%d noenhanced", t, w, h);
        if (strcmp(t, "aqua") && strcmp(t, "windows"))
            plot_buf_puts(b, " persist");
        plot_buf_puts(b, " title ");
        plot_buf_quote(b, title && *title ? title : "nnlab");
        plot_buf_putc(b, '\n');
    }
    if (o->dest == PLOT_DEST_FILE) {
        plot_buf_puts(b, "set output ");
        plot_buf_quote(b, o->path);
        plot_buf_putc(b, '\n');
    } else {
        plot_buf_puts(b, "set output\n");
    }
}

void plot_out_end(plot_buf *b, const plot_out *o)
{
    if (o->dest == PLOT_DEST_FILE)
        plot_buf_puts(b, "unset output\n");
}
