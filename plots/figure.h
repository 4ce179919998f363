/* figure.h - what every figure is made of.
 *
 * A figure is built into a plot_job: its gnuplot text (datablocks,
 * settings, plot commands; the terminal lines are added by whoever runs
 * it), and, when there is no gnuplot, a plain-text drawing made by nnlab
 * itself, so a lesson still shows the curve.
 *
 * Line figures (history, activation, lr, grads, regression, hist) are first
 * described as a plot_lines: panels of series of (x, y) points.  One
 * description gives both the gnuplot script (plot_lines_gnuplot) and the
 * text drawing (plot_lines_text, ascii.c).  The heat maps (boundary,
 * confusion, images) write their gnuplot text and their text drawing
 * directly. */
#ifndef PLOT_FIGURE_H
#define PLOT_FIGURE_H

#include "nn.h"
#include "script.h"
#include "output.h"

/* The colours of every figure: matplotlib's tab10 (what pandas' .plot()
 * uses in the book), distinguishable for most colour-blind readers. */
#define PLOT_NCOLORS 10
extern const char *const plot_colors[PLOT_NCOLORS];     /* "#1f77b4", ... */

/* One figure, ready to send. */
typedef struct plot_job {
    char name[32];          /* the subject, for messages: "history" */
    char title[160];        /* window title */
    int w, h;               /* the figure's own pixel size */
    plot_buf gp;            /* gnuplot text, without the terminal lines */
    plot_buf text;          /* the text drawing (no gnuplot) */
    int tall;               /* text outputs get twice the height (two
                               panels stacked) */
    int own_text;           /* text is also what text outputs show, since
                               gnuplot's dumb terminal cannot draw it
                               (images) */
} plot_job;

void plot_job_init(plot_job *j, const char *name);
void plot_job_free(plot_job *j);

/* ---- line figures ---- */

#define PLOT_MAXSERIES 40
#define PLOT_MAXPANELS 2

typedef enum plot_style {
    PLOT_LINES,             /* solid line */
    PLOT_DASHES,            /* dashed line */
    PLOT_POINTS,            /* points only */
    PLOT_LINESPOINTS,       /* solid line with a point at each value */
    PLOT_DASHPOINTS,        /* dashed line with points */
    PLOT_STEPS              /* histogram outline (x = bin centres) */
} plot_style;

typedef struct plot_series {
    char title[80];         /* legend entry; "" = none */
    char column[40];        /* datablock column name (no blanks) */
    int n;
    const double *x, *y;    /* n values each, owned by the plot_lines */
    plot_style style;
    int color;              /* index into plot_colors */
    int point;              /* 0 circle, 1 square, 2 triangle, 3 diamond,
                               4 cross, 5 star */
    double width;           /* line width (1 = thin) */
    char glyph;             /* character in the text drawing */
    int faint;              /* a thin, pale line behind the others (raw
                               values under their smoothed curve); left out
                               of text drawings */
} plot_series;

typedef struct plot_vline {
    double x;
    char label[80];
    int color;
} plot_vline;

typedef struct plot_panel {
    char title[160], xlabel[80], ylabel[80];
    int logx, logy;
    double xmin, xmax, ymin, ymax;    /* NaN = automatic */
    int xinteger;                     /* x values are counts: integer tics */
    int zeroaxes;                     /* draw x = 0 and y = 0 */
    char key[80];                     /* gnuplot key position, e.g. "top right" */
    int nseries;
    plot_series s[PLOT_MAXSERIES];
    int nvlines;
    plot_vline vl[4];
} plot_panel;

typedef struct plot_lines {
    char title[160];        /* the figure's title (the panel's when one) */
    char block[32];         /* datablock name: "history" -> $history */
    int npanels;
    plot_panel p[PLOT_MAXPANELS];
    double **pool;          /* arrays the series point at */
    int npool, cappool;
    int oom;
} plot_lines;

void plot_lines_init(plot_lines *f, const char *block, const char *title);
void plot_lines_free(plot_lines *f);
/* A zeroed array of n doubles owned by f, or NULL (f->oom set). */
double *plot_lines_array(plot_lines *f, int n);
/* A panel with automatic ranges (NaN), or NULL when all are used. */
plot_panel *plot_lines_panel(plot_lines *f, const char *title,
                             const char *xlabel, const char *ylabel);
/* Adds a series to p (x, y: arrays of f, or arrays that outlive f);
 * returns it for further styling, or NULL when p is full. */
plot_series *plot_panel_series(plot_panel *p, const char *title,
                               const char *column, const double *x,
                               const double *y, int n, plot_style style,
                               int color);

/* The gnuplot text: datablocks (series sharing their x array share one
 * block, one column each, "# x name ..." as its header), then the panels
 * (side by side in a multiplot when there are two). */
void plot_lines_gnuplot(const plot_lines *f, const plot_out *o, plot_buf *b);

/* The text drawing, w x h characters (ascii.c). */
void plot_lines_text(const plot_lines *f, int w, int h, plot_buf *b);

/* Builds job from f: the gnuplot text always, the text drawing when o is
 * the fallback.  Returns 0, or -1 when out of memory. */
int plot_lines_job(const plot_lines *f, const plot_out *o, plot_job *job);
/* How every line figure ends: plot_lines_job, then f freed and the
 * window titled "nnlab: name".  0, or -1 with e filled (out of memory). */
int plot_lines_finish(plot_lines *f, const plot_out *o, plot_job *job,
                      const char *name, nn_err *e);

/* ---- shared helpers ---- */

/* Nice range: [lo, hi] grown by frac of its width on each side (a flat
 * range gets +-0.5, or +-|v|/10). */
void plot_pad_range(double *lo, double *hi, double frac);
/* Common settings of every figure: grid, border, key box, colours. */
void plot_style_common(plot_buf *b, const plot_out *o);
/* Text drawing helpers (ascii.c): a title line centred in w. */
void plot_text_center(plot_buf *b, const char *text, int w);

#endif
