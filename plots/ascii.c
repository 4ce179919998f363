/* ascii.c - line figures drawn in plain characters, for when there is no
 * gnuplot: title, y tick labels and axis, the curves (a character per
 * series, joined by straight runs of it), x tick labels, axis labels and
 * a legend.  Coarse, but a lesson still shows the shape of the curve.
 *
 * A panel of h lines: title, y label, the plot area, the x axis, its tick
 * labels, the x label, and the legend (one line, or more when long). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "figure.h"

void plot_text_center(plot_buf *b, const char *text, int w)
{
    int n = (int)strlen(text);
    int pad = n < w ? (w - n) / 2 : 0;
    plot_buf_printf(b, "%*s%s\n", pad, "", text);
}

/* A tick step of 1, 2 or 5 times a power of ten, near span / n. */
static double nice_step(double span, int n)
{
    if (!(span > 0) || n < 1)
        return 1;
    double raw = span / n;
    double p = pow(10, floor(log10(raw)));
    double m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

static void fmt_tick(char *buf, size_t len, double v, int logscale)
{
    if (logscale) {
        snprintf(buf, len, "1e%d", (int)lround(v));
        return;
    }
    if (fabs(v) < 1e-12)
        v = 0;
    snprintf(buf, len, "%.4g", v);
}

typedef struct canvas {
    int w, h;
    char *c;     /* h rows of w characters */
} canvas;

static void put(canvas *cv, int x, int y, char ch)
{
    if (x >= 0 && x < cv->w && y >= 0 && y < cv->h)
        cv->c[(size_t)y * cv->w + x] = ch;
}

/* Bresenham from (x0,y0) to (x1,y1). */
static void line(canvas *cv, int x0, int y0, int x1, int y1, char ch)
{
    int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
    int dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    for (int guard = 0; guard < 100000; guard++) {
        put(cv, x0, y0, ch);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

static void legend(const plot_panel *p, int w, plot_buf *b)
{
    char line_[512];
    size_t ll = 0;
    line_[0] = 0;
    for (int i = 0; i < p->nseries + p->nvlines; i++) {
        char item[128];
        if (i < p->nseries) {
            if (!p->s[i].title[0] || p->s[i].faint)
                continue;
            snprintf(item, sizeof item, "%c %s", p->s[i].glyph, p->s[i].title);
        } else {
            const plot_vline *v = &p->vl[i - p->nseries];
            if (!v->label[0])
                continue;
            snprintf(item, sizeof item, "| %s", v->label);
        }
        size_t il = strlen(item);
        if (ll && ll + 3 + il > (size_t)w) {
            plot_buf_printf(b, "  %s\n", line_);
            ll = 0;
            line_[0] = 0;
        }
        if (ll + il + 3 < sizeof line_) {
            if (ll) {
                strcat(line_, "   ");
                ll += 3;
            }
            strcat(line_, item);
            ll += il;
        }
    }
    if (ll)
        plot_buf_printf(b, "  %s\n", line_);
}

/* A panel's plot area: the range it shows, in axis units (log10 on log
 * axes), and its canvas. */
typedef struct area {
    double x0, x1, y0, y1;
    canvas cv;
} area;

/* The canvas column of x and row of y (row 0 at the top). */
static int col_of(const area *a, double x)
{
    return (int)lround((x - a->x0) / (a->x1 - a->x0) * (a->cv.w - 1));
}

static int row_of(const area *a, double y)
{
    return (int)lround((a->y1 - y) / (a->y1 - a->y0) * (a->cv.h - 1));
}

/* The range: the data's (faint series aside), or the panel's fixed one;
 * a flat range padded, y by 5% unless fixed. */
static void data_range(const plot_panel *p, area *a)
{
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int si = 0; si < p->nseries; si++) {
        const plot_series *s = &p->s[si];
        if (s->faint)
            continue;
        for (int i = 0; i < s->n; i++) {
            double x = s->x[i], y = s->y[i];
            if (!isfinite(x) || !isfinite(y) || (p->logx && x <= 0) ||
                (p->logy && y <= 0))
                continue;
            x = p->logx ? log10(x) : x;
            y = p->logy ? log10(y) : y;
            if (x < x0) x0 = x;
            if (x > x1) x1 = x;
            if (y < y0) y0 = y;
            if (y > y1) y1 = y;
        }
    }
    int yfixed = 0;
    if (!isnan(p->xmin)) x0 = p->logx ? log10(p->xmin) : p->xmin;
    if (!isnan(p->xmax)) x1 = p->logx ? log10(p->xmax) : p->xmax;
    if (!isnan(p->ymin)) { y0 = p->logy ? log10(p->ymin) : p->ymin; yfixed = 1; }
    if (!isnan(p->ymax)) { y1 = p->logy ? log10(p->ymax) : p->ymax; yfixed = 1; }
    if (!isfinite(x0) || !isfinite(x1)) { x0 = 0; x1 = 1; }
    if (!isfinite(y0) || !isfinite(y1)) { y0 = 0; y1 = 1; }
    if (x1 <= x0) plot_pad_range(&x0, &x1, 0);
    if (!yfixed || y1 <= y0) plot_pad_range(&y0, &y1, 0.05);
    a->x0 = x0;
    a->x1 = x1;
    a->y0 = y0;
    a->y1 = y1;
}

/* y ticks: nice values inside the range (decades on a log axis), their
 * labels and the widest label's width. */
typedef struct yticks {
    int n, lw;
    double v[16];
    char lab[16][16];
} yticks;

static void y_ticks(const plot_panel *p, const area *a, yticks *t)
{
    double y0 = a->y0, y1 = a->y1;
    double ystep = p->logy ? fmax(1, floor((y1 - y0) / 4)) : nice_step(y1 - y0, 4);
    t->n = 0;
    t->lw = 1;
    for (double v = ceil(y0 / ystep - 1e-9) * ystep; v <= y1 + 1e-9 * ystep &&
         t->n < 16; v += ystep) {
        t->v[t->n] = v;
        fmt_tick(t->lab[t->n], sizeof t->lab[t->n], v, p->logy);
        if ((int)strlen(t->lab[t->n]) > t->lw)
            t->lw = (int)strlen(t->lab[t->n]);
        t->n++;
    }
}

/* The zero axes (when asked and inside the range) and the marked x
 * values, under the curves. */
static void draw_marks(const plot_panel *p, area *a)
{
    canvas *cv = &a->cv;
    if (p->zeroaxes) {
        if (!p->logy && a->y0 < 0 && a->y1 > 0)
            for (int c = 0; c < cv->w; c++)
                put(cv, c, row_of(a, 0.0), '-');
        if (!p->logx && a->x0 < 0 && a->x1 > 0)
            for (int r = 0; r < cv->h; r++)
                put(cv, col_of(a, 0.0), r, ':');
    }
    for (int v = 0; v < p->nvlines; v++) {
        double x = p->vl[v].x;
        if (p->logx) {
            if (x <= 0)
                continue;
            x = log10(x);
        }
        for (int r = 0; r < cv->h; r++)
            put(cv, col_of(a, x), r, '|');
    }
}

/* Each series in its glyph, points joined by straight runs unless it is
 * points only; a gap at undefined values, y clipped to the area. */
static void draw_series(const plot_panel *p, area *a)
{
    for (int si = 0; si < p->nseries; si++) {
        const plot_series *s = &p->s[si];
        int join = s->style != PLOT_POINTS;
        if (s->faint)
            continue;
        int have = 0, pc = 0, pr = 0;
        for (int i = 0; i < s->n; i++) {
            double x = s->x[i], y = s->y[i];
            if (!isfinite(x) || !isfinite(y) || (p->logx && x <= 0) ||
                (p->logy && y <= 0)) {
                have = 0;          /* a gap */
                continue;
            }
            x = p->logx ? log10(x) : x;
            y = p->logy ? log10(y) : y;
            if (x < a->x0 || x > a->x1) {
                have = 0;
                continue;
            }
            /* clip y to the area, so a curve leaving it stays at the edge */
            int out = y < a->y0 || y > a->y1;
            int c = col_of(a, x);
            int r = row_of(a, y < a->y0 ? a->y0 : y > a->y1 ? a->y1 : y);
            if (join && have && !out)
                line(&a->cv, pc, pr, c, r, s->glyph);
            else if (!out)
                put(&a->cv, c, r, s->glyph);
            have = !out;
            pc = c;
            pr = r;
        }
    }
}

/* The canvas rows behind the y axis and its tick labels. */
static void write_rows(plot_buf *b, const area *a, const yticks *t)
{
    int W = a->cv.w;
    for (int r = 0; r < a->cv.h; r++) {
        const char *lab = "";
        for (int k = 0; k < t->n; k++)
            if (row_of(a, t->v[k]) == r)
                lab = t->lab[k];
        int tick = lab[0] != 0;
        plot_buf_printf(b, "%*s %c", t->lw, lab, tick ? '+' : '|');
        /* no trailing blanks */
        int end = W;
        while (end > 0 && a->cv.c[(size_t)r * W + end - 1] == ' ')
            end--;
        plot_buf_add(b, a->cv.c + (size_t)r * W, (size_t)end);
        plot_buf_putc(b, '\n');
    }
}

/* The x axis with its tick marks, and the tick labels under them (a
 * label that would touch the one before is left out).  -1 when out of
 * memory. */
static int x_axis(plot_buf *b, const plot_panel *p, const area *a, int lw)
{
    int W = a->cv.w;
    double x0 = a->x0, x1 = a->x1;
    double xstep = p->logx ? fmax(1, floor((x1 - x0) / 5)) : nice_step(x1 - x0, 5);
    if (p->xinteger && xstep < 1)
        xstep = 1;
    char *axis = malloc((size_t)W + 1), *labels = malloc((size_t)W + lw + 16);
    if (!axis || !labels) {
        free(axis);
        free(labels);
        return -1;
    }
    memset(axis, '-', (size_t)W);
    axis[W] = 0;
    int lablen = W + lw + 15;
    memset(labels, ' ', (size_t)lablen);
    labels[lablen] = 0;
    int last_end = -1;
    for (double v = ceil(x0 / xstep - 1e-9) * xstep; v <= x1 + 1e-9 * xstep;
         v += xstep) {
        int c = col_of(a, v);
        axis[c] = '+';
        char t[16];
        fmt_tick(t, sizeof t, v, p->logx);
        int tl = (int)strlen(t);
        int at = lw + 2 + c - tl / 2;
        if (at < 0)
            at = 0;
        if (at <= last_end + 1 || at + tl > lablen)
            continue;
        memcpy(labels + at, t, (size_t)tl);
        last_end = at + tl;
    }
    int end = lablen;
    while (end > 0 && labels[end - 1] == ' ')
        end--;
    labels[end] = 0;
    plot_buf_printf(b, "%*s +%s\n%s\n", lw, "", axis, labels);
    free(axis);
    free(labels);
    return 0;
}

/* One panel, w x h characters: title, y label, the plot area, the x axis
 * and its labels, the x label, the legend. */
static void panel_text(const plot_panel *p, const char *title, int w, int h,
                       plot_buf *b)
{
    area a;
    data_range(p, &a);
    yticks t;
    y_ticks(p, &a, &t);
    int legend_lines = 1;
    int H = h - 6 - legend_lines;      /* title, ylabel, axis, ticks, xlabel */
    if (H < 4)
        H = 4;
    int W = w - t.lw - 2;
    if (W < 10)
        W = 10;
    a.cv = (canvas){W, H, malloc((size_t)W * H)};
    if (!a.cv.c) {
        b->oom = 1;
        return;
    }
    memset(a.cv.c, ' ', (size_t)W * H);
    draw_marks(p, &a);
    draw_series(p, &a);
    plot_text_center(b, title, w);
    plot_buf_printf(b, "%s\n", p->ylabel);
    write_rows(b, &a, &t);
    if (x_axis(b, p, &a, t.lw) < 0) {
        free(a.cv.c);
        b->oom = 1;
        return;
    }
    plot_text_center(b, p->xlabel, w);
    legend(p, w, b);
    free(a.cv.c);
}

void plot_lines_text(const plot_lines *f, int w, int h, plot_buf *b)
{
    if (w < 30)
        w = 30;
    if (h < 12)
        h = 12;
    if (f->npanels > 1) {
        /* stacked, sharing the height */
        int ph = (h - 1) / f->npanels - 1;
        plot_text_center(b, f->title, w);
        for (int i = 0; i < f->npanels; i++) {
            if (i)
                plot_buf_putc(b, '\n');
            panel_text(&f->p[i], f->p[i].title, w, ph < 12 ? 12 : ph, b);
        }
        return;
    }
    if (f->npanels == 1)
        panel_text(&f->p[0], f->title, w, h, b);
}
