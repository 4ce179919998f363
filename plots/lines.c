/* lines.c - line figures: the description, its gnuplot text, and the
 * plot_job shared by every figure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "figure.h"

const char *const plot_colors[PLOT_NCOLORS] = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
};

void plot_job_init(plot_job *j, const char *name)
{
    memset(j, 0, sizeof *j);
    snprintf(j->name, sizeof j->name, "%s", name);
    snprintf(j->title, sizeof j->title, "nnlab: %s", name);
    j->w = 800;
    j->h = 500;
    plot_buf_init(&j->gp);
    plot_buf_init(&j->text);
}

void plot_job_free(plot_job *j)
{
    plot_buf_free(&j->gp);
    plot_buf_free(&j->text);
}

void plot_lines_init(plot_lines *f, const char *block, const char *title)
{
    memset(f, 0, sizeof *f);
    snprintf(f->block, sizeof f->block, "%s", block);
    snprintf(f->title, sizeof f->title, "%s", title);
}

void plot_lines_free(plot_lines *f)
{
    for (int i = 0; i < f->npool; i++)
        free(f->pool[i]);
    free(f->pool);
    memset(f, 0, sizeof *f);
}

double *plot_lines_array(plot_lines *f, int n)
{
    if (f->npool == f->cappool) {
        int cap = f->cappool ? 2 * f->cappool : 16;
        double **p = realloc(f->pool, (size_t)cap * sizeof *p);
        if (!p) {
            f->oom = 1;
            return NULL;
        }
        f->pool = p;
        f->cappool = cap;
    }
    double *a = calloc(n > 0 ? (size_t)n : 1, sizeof *a);
    if (!a) {
        f->oom = 1;
        return NULL;
    }
    f->pool[f->npool++] = a;
    return a;
}

plot_panel *plot_lines_panel(plot_lines *f, const char *title,
                             const char *xlabel, const char *ylabel)
{
    if (f->npanels >= PLOT_MAXPANELS)
        return NULL;
    plot_panel *p = &f->p[f->npanels++];
    memset(p, 0, sizeof *p);
    snprintf(p->title, sizeof p->title, "%s", title ? title : "");
    snprintf(p->xlabel, sizeof p->xlabel, "%s", xlabel ? xlabel : "");
    snprintf(p->ylabel, sizeof p->ylabel, "%s", ylabel ? ylabel : "");
    p->xmin = p->xmax = p->ymin = p->ymax = NAN;
    snprintf(p->key, sizeof p->key, "top right");
    return p;
}

static const char glyphs[] = "*+ox#@%&=$";

plot_series *plot_panel_series(plot_panel *p, const char *title,
                               const char *column, const double *x,
                               const double *y, int n, plot_style style,
                               int color)
{
    if (p->nseries >= PLOT_MAXSERIES)
        return NULL;
    plot_series *s = &p->s[p->nseries];
    memset(s, 0, sizeof *s);
    snprintf(s->title, sizeof s->title, "%s", title ? title : "");
    snprintf(s->column, sizeof s->column, "%s", column ? column : "y");
    for (char *c = s->column; *c; c++)
        if (*c == ' ' || *c == '\t')
            *c = '_';
    s->x = x;
    s->y = y;
    s->n = n;
    /* past the ten colours, the second round is dashed */
    s->style = color >= PLOT_NCOLORS && style == PLOT_LINES ? PLOT_DASHES : style;
    s->color = color % PLOT_NCOLORS;
    s->point = p->nseries % 6;
    s->width = 2;
    s->glyph = glyphs[p->nseries % (int)(sizeof glyphs - 1)];
    p->nseries++;
    return s;
}

void plot_style_common(plot_buf *b, const plot_out *o)
{
    if (plot_out_is_text(o)) {
        plot_buf_puts(b, "set key nobox\n");
        return;
    }
    plot_buf_puts(b,
        "set border lw 1 lc rgb '#404040'\n"
        "set grid lc rgb '#d0d0d0' lw 1 dt 1\n"
        "set key box lc rgb '#b0b0b0' opaque spacing 1.2\n"
        "set tics nomirror out scale 0.6\n"
        "set mxtics\n");
}

/* ---- the gnuplot text ---- */

/* Where a series' values are: series with the same x array share one
 * data block, a column each. */
typedef struct colref { int block, col; } colref;

static int point_type(int p, int text)
{
    /* gnuplot: 7 filled circle, 5 square, 9 triangle, 13 diamond, 2 cross, 3 star */
    static const int pt[] = {7, 5, 9, 13, 2, 3};
    (void)text;
    return pt[p % 6];
}

static void emit_range(plot_buf *b, const char *axis, double lo, double hi)
{
    if (isnan(lo) && isnan(hi))
        return;
    plot_buf_printf(b, "set %srange [", axis);
    if (!isnan(lo))
        plot_buf_num(b, lo);
    plot_buf_puts(b, ":");
    if (!isnan(hi))
        plot_buf_num(b, hi);
    plot_buf_puts(b, "]\n");
}

/* The data blocks of a figure: one per distinct x array, and where each
 * series' y values are in them. */
typedef struct blocks {
    int nb;
    const double *x[PLOT_MAXPANELS * PLOT_MAXSERIES];   /* block k's x */
    int n[PLOT_MAXPANELS * PLOT_MAXSERIES];             /* ... and its rows */
    char name[PLOT_MAXPANELS * PLOT_MAXSERIES][80];
    colref ref[PLOT_MAXPANELS][PLOT_MAXSERIES];         /* per series */
} blocks;

/* Which block each series goes in, and the blocks' names: the figure's;
 * with several, each gets the column name of its first series
 * ($regression_train, $regression_model). */
static void find_blocks(const plot_lines *f, blocks *bl)
{
    bl->nb = 0;
    for (int pi = 0; pi < f->npanels; pi++)
        for (int si = 0; si < f->p[pi].nseries; si++) {
            const plot_series *s = &f->p[pi].s[si];
            int k;
            for (k = 0; k < bl->nb; k++)
                if (bl->x[k] == s->x && bl->n[k] == s->n)
                    break;
            if (k == bl->nb) {
                bl->x[bl->nb] = s->x;
                bl->n[bl->nb++] = s->n;
            }
            bl->ref[pi][si].block = k;
        }
    int nb = bl->nb;
    for (int k = 0; k < nb; k++) {
        snprintf(bl->name[k], sizeof bl->name[k], "%s_%d", f->block, k + 1);
        for (int pi = 0; pi < f->npanels && nb > 1; pi++)
            for (int si = f->p[pi].nseries - 1; si >= 0; si--)
                if (bl->ref[pi][si].block == k)
                    snprintf(bl->name[k], sizeof bl->name[k], "%s_%s",
                             f->block, f->p[pi].s[si].column);
        if (nb == 1)
            snprintf(bl->name[k], sizeof bl->name[k], "%s", f->block);
    }
}

/* The blocks' text, "# x name ..." then a row per x; numbers each
 * series' column. */
static void write_blocks(const plot_lines *f, blocks *bl, plot_buf *b)
{
    for (int k = 0; k < bl->nb; k++) {
        /* the columns of block k, in series order (a series shown in both
         * panels still gets one column per showing: simple, and small) */
        int ncol = 1;
        plot_buf_block_begin(b, bl->name[k]);
        plot_buf_puts(b, "# x");
        for (int pi = 0; pi < f->npanels; pi++)
            for (int si = 0; si < f->p[pi].nseries; si++)
                if (bl->ref[pi][si].block == k) {
                    bl->ref[pi][si].col = ++ncol;
                    plot_buf_printf(b, " %s", f->p[pi].s[si].column);
                }
        plot_buf_putc(b, '\n');
        for (int r = 0; r < bl->n[k]; r++) {
            plot_buf_num(b, bl->x[k][r]);
            for (int pi = 0; pi < f->npanels; pi++)
                for (int si = 0; si < f->p[pi].nseries; si++)
                    if (bl->ref[pi][si].block == k) {
                        const plot_panel *p = &f->p[pi];
                        double y = p->s[si].y[r];
                        if (p->logy && !(y > 0))
                            y = NAN;        /* log axis: no place for it */
                        plot_buf_putc(b, ' ');
                        plot_buf_num(b, y);
                    }
            plot_buf_putc(b, '\n');
        }
        plot_buf_block_end(b);
    }
}

/* Panel pi's settings: title, labels, key, log axes, tics, zero axes,
 * ranges, marked x values, the histogram's box width. */
static void panel_settings(const plot_lines *f, int pi, int text, plot_buf *b)
{
    const plot_panel *p = &f->p[pi];
    if (pi > 0)
        plot_buf_puts(b, "unset logscale\nunset arrow\nunset label\n"
                         "unset xzeroaxis\nunset yzeroaxis\n"
                         "set autoscale\nset xtics autofreq\n");
    const char *title = f->npanels == 1 || (text && pi == 0) ? f->title
                                                             : p->title;
    plot_buf_puts(b, "set title ");
    plot_buf_quote(b, title);
    plot_buf_puts(b, "\nset xlabel ");
    plot_buf_quote(b, p->xlabel);
    plot_buf_puts(b, "\n");
    if (text) {
        /* the dumb terminal drops a y label wider than the margin:
         * write it above the axis, left, under the title */
        plot_buf_puts(b, "unset ylabel\nset tmargin 4\nset title offset 0,1\n"
                         "set label ");
        plot_buf_quote(b, p->ylabel);
        plot_buf_puts(b, " at screen 0, graph 1 offset character 1, "
                         "character 1 left\n"
                         "set key below horizontal nobox width 2\n");
    } else {
        plot_buf_puts(b, "set ylabel ");
        plot_buf_quote(b, p->ylabel);
        plot_buf_printf(b, "\nset key %s\n", p->key);
    }
    if (p->logx)
        plot_buf_puts(b, "set logscale x 10\nset format x '%g'\n");
    if (p->logy)
        plot_buf_puts(b, "set logscale y 10\nset format y '%g'\n");
    if (p->xinteger)
        plot_buf_puts(b, "set xtics 1\nset format x '%.0f'\n");
    if (p->xinteger && !isnan(p->xmax) && !isnan(p->xmin) &&
        p->xmax - p->xmin > (text ? 12 : 25)) {
        double step = ceil((p->xmax - p->xmin) / (text ? 8 : 12));
        plot_buf_printf(b, "set xtics %g\n", step);
    }
    if (p->zeroaxes)
        plot_buf_puts(b, text ? "set xzeroaxis\nset yzeroaxis\n"
                              : "set xzeroaxis lt -1 lc rgb '#606060'\n"
                                "set yzeroaxis lt -1 lc rgb '#606060'\n");
    emit_range(b, "x", p->xmin, p->xmax);
    emit_range(b, "y", p->ymin, p->ymax);
    for (int v = 0; v < p->nvlines; v++) {
        const plot_vline *l = &p->vl[v];
        plot_buf_puts(b, "set arrow from ");
        plot_buf_num(b, l->x);
        plot_buf_puts(b, ", graph 0 to ");
        plot_buf_num(b, l->x);
        plot_buf_printf(b, ", graph 1 nohead dt 2 lw 2 lc rgb '%s'\n",
                        plot_colors[l->color % PLOT_NCOLORS]);
        if (l->label[0]) {
            plot_buf_puts(b, "set label ");
            plot_buf_quote(b, l->label);
            plot_buf_puts(b, " at ");
            plot_buf_num(b, l->x);
            plot_buf_printf(b, ", graph 0.06 offset 1,0 front tc rgb '%s'\n",
                            plot_colors[l->color % PLOT_NCOLORS]);
        }
    }
    for (int si = 0; si < p->nseries; si++)
        if (p->s[si].style == PLOT_STEPS && p->s[si].n > 1) {
            plot_buf_puts(b, "set boxwidth ");
            plot_buf_num(b, p->s[si].x[1] - p->s[si].x[0]);
            plot_buf_puts(b, " absolute\n");
            break;
        }
}

/* How series s is drawn: "with lines lw 2 lc rgb '#1f77b4'" ... */
static void series_style(const plot_series *s, int text, plot_buf *b)
{
    const char *color = plot_colors[s->color];
    char pale[16];
    if (s->faint) {
        /* gnuplot's #AARRGGBB: AA = 0xa0 is mostly transparent */
        snprintf(pale, sizeof pale, "#a0%s", color + 1);
        color = pale;
    }
    int pt = point_type(s->point, text);
    switch (s->style) {
    case PLOT_LINES:
        plot_buf_printf(b, "with lines lw %g lc rgb '%s'", s->width, color);
        break;
    case PLOT_DASHES:
        plot_buf_printf(b, "with lines lw %g dt 2 lc rgb '%s'", s->width,
                        color);
        break;
    case PLOT_POINTS:
        if (text)
            plot_buf_printf(b, "with points pt '%c' lc rgb '%s'",
                            s->glyph, color);
        else
            plot_buf_printf(b, "with points pt %d ps 0.6 lc rgb '%s'",
                            pt, color);
        break;
    case PLOT_LINESPOINTS:
    case PLOT_DASHPOINTS:
        if (text)
            plot_buf_printf(b, "with linespoints pt '%c' lc rgb '%s'",
                            s->glyph, color);
        else
            plot_buf_printf(b, "with linespoints lw %g %s pt %d ps 0.8 "
                            "pi -1 lc rgb '%s'", s->width,
                            s->style == PLOT_DASHPOINTS ? "dt 2" : "dt 1",
                            pt, color);
        break;
    case PLOT_STEPS:
        if (text)
            plot_buf_printf(b, "with histeps lc rgb '%s'", color);
        else
            plot_buf_printf(b, "with boxes fs transparent solid 0.35 "
                            "border lc rgb '%s' lw %g lc rgb '%s'",
                            color, s->width, color);
        break;
    }
}

/* Panel pi's plot command: a series per block column (no faint ones in
 * text). */
static void panel_plot(const plot_lines *f, int pi, const blocks *bl,
                       int text, plot_buf *b)
{
    const plot_panel *p = &f->p[pi];
    plot_buf_puts(b, "plot ");
    int first = 1;
    for (int si = 0; si < p->nseries; si++) {
        const plot_series *s = &p->s[si];
        if (s->faint && text)
            continue;
        if (!first)
            plot_buf_puts(b, ", \\\n     ");
        first = 0;
        plot_buf_printf(b, "$%s using 1:%d ", bl->name[bl->ref[pi][si].block],
                        bl->ref[pi][si].col);
        series_style(s, text, b);
        plot_buf_puts(b, " title ");
        plot_buf_quote(b, s->title);
    }
    plot_buf_putc(b, '\n');
}

void plot_lines_gnuplot(const plot_lines *f, const plot_out *o, plot_buf *b)
{
    int text = plot_out_is_text(o);
    blocks bl;
    find_blocks(f, &bl);
    write_blocks(f, &bl, b);
    plot_style_common(b, o);
    /* two panels: side by side; in text, one above the other */
    if (f->npanels > 1 && text) {
        plot_buf_puts(b, "set multiplot layout 2,1\n");
    } else if (f->npanels > 1) {
        plot_buf_puts(b, "set multiplot layout 1,2 title ");
        plot_buf_quote(b, f->title);
        plot_buf_puts(b, " font ',12'\n");
    }
    for (int pi = 0; pi < f->npanels; pi++) {
        panel_settings(f, pi, text, b);
        panel_plot(f, pi, &bl, text, b);
    }
    if (f->npanels > 1)
        plot_buf_puts(b, "unset multiplot\n");
}

int plot_lines_job(const plot_lines *f, const plot_out *o, plot_job *job)
{
    if (f->oom)
        return -1;
    plot_lines_gnuplot(f, o, &job->gp);
    if (o->fallback)
        plot_lines_text(f, o->w, f->npanels > 1 ? 2 * o->h : o->h, &job->text);
    if (f->npanels > 1 && job->w < 1000)
        job->w = 1000;
    if (f->npanels > 1)
        job->tall = 1;
    return job->gp.oom || job->text.oom ? -1 : 0;
}

int plot_lines_finish(plot_lines *f, const plot_out *o, plot_job *job,
                      const char *name, nn_err *e)
{
    int rc = plot_lines_job(f, o, job);
    plot_lines_free(f);
    if (rc < 0)
        return nn_fail(e, "out of memory");
    snprintf(job->title, sizeof job->title, "nnlab: %s", name);
    return 0;
}
