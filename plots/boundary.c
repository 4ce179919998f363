/* boundary.c - TensorFlow Playground's main picture: what the model
 * outputs at every point of the plane of its two input features, as a heat
 * map, with the training and test points on top.
 *
 *   two classes      P(class 1): Playground's orange (class 0) through
 *                    grey (0.5, the boundary) to blue (class 1)
 *   more classes     the colour of the predicted class, paler where the
 *                    model is unsure (max probability near 1/k)
 *   regression       the predicted value
 *   layer=L unit=U   what one hidden unit computes (Playground's small
 *                    per-neuron maps)
 *
 * The grid is g x g points over the data's box grown by 10%; the $grid
 * block holds x1 x2 out_0 .. out_k-1 class (and r g b for many classes),
 * so a teacher can restyle it and a test can check it against predict. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plots.h"

#define GRID 140                  /* points per side, pixels */
#define MAXPOINTS 3000            /* points drawn per set */
#define ORANGE "#f59322"          /* Playground's colours, for points */
#define BLUE "#0877bd"
#define NEUTRAL "#f4f4f4"
#define PALE_ORANGE "#fbcb94"     /* and paler for the map under them */
#define PALE_BLUE "#93c2e4"

static const char region_glyph[] = ".-:~=^,;'`";
static const char point_glyph[] = "ox+*#@%&$?";
static const char level_glyph[] = " .:+*#";     /* low to high */

void plot_boundary_box(const nn_dataset *train, const nn_dataset *test,
                       double box[4])
{
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    const nn_dataset *sets[2] = {train, test};
    for (int k = 0; k < 2; k++)
        for (int i = 0; sets[k] && i < sets[k]->n; i++) {
            double a = nn_dataset_at(sets[k], (size_t)i * 2);
            double b = nn_dataset_at(sets[k], (size_t)i * 2 + 1);
            if (!isfinite(a) || !isfinite(b))
                continue;
            x0 = fmin(x0, a);
            x1 = fmax(x1, a);
            y0 = fmin(y0, b);
            y1 = fmax(y1, b);
        }
    plot_pad_range(&x0, &x1, 0.1);
    plot_pad_range(&y0, &y1, 0.1);
    box[0] = x0;
    box[1] = x1;
    box[2] = y0;
    box[3] = y1;
}

/* Colour of class c: Playground's pair for two classes, tab10 beyond. */
static const char *class_color(int c, int k)
{
    if (k <= 2)
        return c == 0 ? ORANGE : BLUE;
    return plot_colors[c % PLOT_NCOLORS];
}

static void hex_rgb(const char *hex, int rgb[3])
{
    unsigned v = (unsigned)strtoul(hex + 1, NULL, 16);
    rgb[0] = (int)(v >> 16) & 255;
    rgb[1] = (int)(v >> 8) & 255;
    rgb[2] = (int)v & 255;
}

typedef struct grid {
    int gx, gy;          /* points across and up */
    int k;               /* values per point */
    double box[4];
    float *val;          /* (gx * gy, k), row-major from the bottom-left */
    int *cls;            /* predicted class per point, or NULL */
} grid;

/* Runs the model (or node layer, unit) over the grid. */
static int eval_grid(nn_model *m, int layer, int unit, grid *g, int nclasses,
                     nn_err *e)
{
    size_t np = (size_t)g->gx * g->gy;
    float *x = malloc(np * 2 * sizeof *x);
    int on = nn_model_output(m);
    int k = layer >= 0 ? 1 : m->nodes[on].size;
    g->k = k;
    g->val = malloc(np * (size_t)k * sizeof *g->val);
    if (!x || !g->val) {
        free(x);
        return nn_fail(e, "out of memory");
    }
    for (int r = 0; r < g->gy; r++)
        for (int c = 0; c < g->gx; c++) {
            size_t i = (size_t)r * g->gx + c;
            x[2 * i] = (float)(g->box[0] + (g->box[1] - g->box[0]) * c /
                               (g->gx - 1));
            x[2 * i + 1] = (float)(g->box[2] + (g->box[3] - g->box[2]) * r /
                                   (g->gy - 1));
        }
    int rc = NN_OK;
    if (layer < 0) {
        rc = nn_model_predict(m, x, 2, (int)np, g->val, e);
    } else {
        const int chunk = 256;
        int size = m->nodes[layer].size;
        for (size_t s = 0; s < np && rc == NN_OK; s += chunk) {
            int rows = np - s < (size_t)chunk ? (int)(np - s) : chunk;
            const float *xs = x + 2 * s;
            rc = nn_model_forward_data(m, xs, 2, rows, 0, e);
            for (int r = 0; rc == NN_OK && r < rows; r++)
                g->val[s + r] = m->nodes[layer].a[(size_t)r * size + unit];
        }
    }
    free(x);
    if (rc != NN_OK)
        return NN_FAIL;
    if (layer < 0 && nclasses > 0) {
        g->cls = malloc(np * sizeof *g->cls);
        if (!g->cls)
            return nn_fail(e, "out of memory");
        plot_argmax(g->val, (int)np, k, g->cls);
    }
    return NN_OK;
}

void plot_argmax(const float *out, int n, int k, int *pred)
{
    for (int i = 0; i < n; i++) {
        const float *o = out + (size_t)i * k;
        if (k == 1) {
            pred[i] = o[0] > 0.5f;
            continue;
        }
        int best = 0;
        for (int j = 1; j < k; j++)
            if (o[j] > o[best])
                best = j;
        pred[i] = best;
    }
}

/* "class 1" for unnamed or numbered classes, else the name. */
static void class_name(const nn_dataset *ds, int c, char *buf, size_t len)
{
    const char *n = ds->class_names && c < ds->nclasses ? ds->class_names[c] : NULL;
    if (!n)
        snprintf(buf, len, "class %d", c);
    else if (n[strspn(n, "0123456789")] == 0)
        snprintf(buf, len, "class %s", n);
    else
        snprintf(buf, len, "%s", n);
}

/* A value's level 0..5 within [lo, hi], for text maps. */
static int level(double v, double lo, double hi)
{
    if (!(hi > lo) || !isfinite(v))
        return 0;
    int l = (int)floor((v - lo) / (hi - lo) * 6);
    return l < 0 ? 0 : l > 5 ? 5 : l;
}

/* The points of one set as a block: x1 x2 label. */
static void points_block(plot_buf *b, const char *name, const nn_dataset *ds)
{
    plot_buf_block_begin(b, name);
    plot_buf_puts(b, "# x1 x2 label\n");
    int step = ds->n > MAXPOINTS ? (ds->n + MAXPOINTS - 1) / MAXPOINTS : 1;
    for (int i = 0; i < ds->n; i += step) {
        plot_buf_num(b, nn_dataset_at(ds, (size_t)i * 2));
        plot_buf_putc(b, ' ');
        plot_buf_num(b, nn_dataset_at(ds, (size_t)i * 2 + 1));
        plot_buf_putc(b, ' ');
        plot_buf_num(b, ds->y[(size_t)i * ds->ycols]);
        plot_buf_putc(b, '\n');
    }
    plot_buf_block_end(b);
}

/* ---- the text drawing without gnuplot ---- */

static void text_map(plot_buf *b, const char *title, const char *xl,
                     const char *yl, const grid *g, const char *cells,
                     const char *legend, int w)
{
    char l0[32], l1[32], b0[32], b1[32];
    snprintf(b1, sizeof b1, "%.3g", g->box[3]);
    snprintf(b0, sizeof b0, "%.3g", g->box[2]);
    snprintf(l0, sizeof l0, "%.3g", g->box[0]);
    snprintf(l1, sizeof l1, "%.3g", g->box[1]);
    int lw = (int)(strlen(b0) > strlen(b1) ? strlen(b0) : strlen(b1));
    plot_text_center(b, title, w);
    plot_buf_printf(b, "%s\n", yl);
    for (int r = 0; r < g->gy; r++) {
        const char *lab = r == 0 ? b1 : r == g->gy - 1 ? b0 : "";
        plot_buf_printf(b, "%*s %c", lw, lab, *lab ? '+' : '|');
        plot_buf_add(b, cells + (size_t)r * g->gx, (size_t)g->gx);
        plot_buf_puts(b, "|\n");
    }
    plot_buf_printf(b, "%*s +", lw, "");
    for (int c = 0; c < g->gx; c++)
        plot_buf_putc(b, '-');
    plot_buf_puts(b, "+\n");
    int gap = g->gx - (int)strlen(l1) - (int)strlen(l0) + 1;
    plot_buf_printf(b, "%*s %s%*s%s\n", lw, "", l0, gap > 1 ? gap : 1, "", l1);
    plot_text_center(b, xl, w);
    plot_buf_puts(b, legend);
}

/* ---- one map being written: what plot_boundary's steps share ---- */

typedef struct bmap {
    nn_model *m;                  /* NULL: the points only */
    int layer, unit;              /* layer >= 0: what one hidden unit computes */
    const nn_dataset *sets[2];    /* train, test (test may be NULL) */
    const nn_dataset *ds;         /* the set naming features and classes */
    int nclasses;                 /* 0: regression */
    int text;                     /* drawn in characters */
    int keyrows;                  /* key rows under a text plot */
    int values;                   /* the map shows values (a unit, regression) */
    double vlo, vhi;              /* ... over this range */
    grid g;
    const char *xl, *yl;          /* the axes: the two features' names */
    char title[160], cblabel[96];
    int first;                    /* no series written yet after "plot " */
} bmap;

/* The model against the data: its input columns, outputs and the unit
 * asked for.  A model without layers draws the points only (*mp = NULL). */
static int check_model(nn_model **mp, int layer, int unit, int nclasses,
                       nn_err *e)
{
    nn_model *m = *mp;
    if (m) {
        int in = nn_model_input(m), on = nn_model_output(m);
        if (in < 0 || on < 0 || on == in) {
            if (layer >= 0)
                return nn_fail(e, "the model has no layers yet");
            m = *mp = NULL;
        } else if (nn_model_check_columns(m, 2, e) != NN_OK) {
            return NN_FAIL;
        } else if (layer >= 0 && (unit < 0 || unit >= m->nodes[layer].size)) {
            return nn_fail(e, "unit must be from 0 to %d (layer '%s' has %d "
                           "unit%s)", m->nodes[layer].size - 1,
                           m->nodes[layer].name, m->nodes[layer].size,
                           m->nodes[layer].size == 1 ? "" : "s");
        } else if (layer < 0 && nclasses > 0 && m->nodes[on].size != 1 &&
                   m->nodes[on].size != nclasses) {
            return nn_fail(e, "the model has %d outputs but the data has %d "
                           "classes", m->nodes[on].size, nclasses);
        } else if (layer < 0 && nclasses == 0 && m->nodes[on].size != 1) {
            return nn_fail(e, "the model has %d outputs; a regression map "
                           "needs 1", m->nodes[on].size);
        }
    } else if (layer >= 0) {
        return nn_fail(e, "no model yet");
    }
    if (nclasses > 2 && m && layer < 0 && m->nodes[nn_model_output(m)].size == 1)
        return nn_fail(e, "the model has 1 output but the data has %d classes",
                       nclasses);
    return NN_OK;
}

/* Grid points across and up: GRID x GRID for gnuplot; for text one point
 * per character cell of the plot area, whose margins are fixed in
 * settings() (left 10, right 2, top 2, bottom 4 + key), the border running
 * through the outer points.  Key entries: a region, train and test points
 * per class, about 26 characters each, in rows under the plot. */
static void size_grid(bmap *c, const plot_out *o)
{
    int entries = c->nclasses > 0 ? 3 * c->nclasses : 3;
    int percol = o->w / 26 > 0 ? o->w / 26 : 1;
    c->keyrows = (entries + percol - 1) / percol;
    grid *g = &c->g;
    if (c->text) {
        g->gx = o->w - 10 - 2;
        g->gy = o->h - 2 - 4 - c->keyrows;
        if (o->fallback) {
            g->gx = o->w - 12;
            g->gy = o->h - 6 - c->keyrows;
        }
        if (g->gx < 10)
            g->gx = 10;
        if (g->gy < 6)
            g->gy = 6;
    } else {
        g->gx = g->gy = GRID;
    }
}

/* The axes' names, the range of the values shown, the title and the
 * colour bar's label. */
static void name_map(bmap *c)
{
    const nn_dataset *ds = c->ds;
    const nn_model *m = c->m;
    int layer = c->layer;
    c->xl = ds->feature_names ? ds->feature_names[0] : "x1";
    c->yl = ds->feature_names ? ds->feature_names[1] : "x2";
    c->vlo = 0;
    c->vhi = 1;
    c->values = m && (layer >= 0 || c->nclasses == 0);
    if (c->values) {
        c->vlo = INFINITY;
        c->vhi = -INFINITY;
        for (size_t i = 0; i < (size_t)c->g.gx * c->g.gy; i++) {
            c->vlo = fmin(c->vlo, c->g.val[i]);
            c->vhi = fmax(c->vhi, c->g.val[i]);
        }
        if (!(c->vhi > c->vlo))
            plot_pad_range(&c->vlo, &c->vhi, 0);
    }
    if (!m)
        snprintf(c->title, sizeof c->title, "The data (no model yet)");
    else if (layer >= 0)
        snprintf(c->title, sizeof c->title, "What unit %d of layer %s computes "
                 "(%s)", c->unit, m->nodes[layer].name,
                 nn_act_names[m->nodes[layer].kind == NN_NODE_DENSE
                                  ? m->nodes[layer].dense.activation
                                  : m->nodes[layer].act]);
    else if (c->nclasses > 0)
        snprintf(c->title, sizeof c->title, "Decision boundary: the model's "
                 "output over the input plane");
    else
        snprintf(c->title, sizeof c->title, "The model's prediction over the "
                 "input plane");
    if (layer >= 0) {
        snprintf(c->cblabel, sizeof c->cblabel, "%s unit %d",
                 m->nodes[layer].name, c->unit);
    } else if (c->nclasses == 2) {
        char c1[64];
        class_name(ds, 1, c1, sizeof c1);
        snprintf(c->cblabel, sizeof c->cblabel, "P(%s)", c1);
    } else if (c->nclasses > 2) {
        snprintf(c->cblabel, sizeof c->cblabel, "predicted class");
    } else {
        snprintf(c->cblabel, sizeof c->cblabel, "prediction");
    }
}

/* $grid: x1 x2 out_0 .. out_k-1 [class] [r g b], a scan per grid row. */
static void grid_block(plot_buf *b, const bmap *c)
{
    const grid *g = &c->g;
    int nclasses = c->nclasses;
    plot_buf_block_begin(b, "grid");
    plot_buf_puts(b, "# x1 x2");
    for (int j = 0; j < g->k; j++)
        plot_buf_printf(b, c->layer >= 0 ? " unit_%d" : " out_%d",
                        c->layer >= 0 ? c->unit : j);
    if (g->cls)
        plot_buf_puts(b, " class");
    if (g->cls && nclasses > 2)
        plot_buf_puts(b, " r g b");
    plot_buf_putc(b, '\n');
    for (int r = 0; r < g->gy; r++) {
        for (int col = 0; col < g->gx; col++) {
            size_t i = (size_t)r * g->gx + col;
            plot_buf_num(b, g->box[0] + (g->box[1] - g->box[0]) * col / (g->gx - 1));
            plot_buf_putc(b, ' ');
            plot_buf_num(b, g->box[2] + (g->box[3] - g->box[2]) * r / (g->gy - 1));
            for (int j = 0; j < g->k; j++) {
                plot_buf_putc(b, ' ');
                plot_buf_num(b, g->val[i * g->k + j]);
            }
            if (g->cls)
                plot_buf_printf(b, " %d", g->cls[i]);
            if (g->cls && nclasses > 2) {
                /* the class colour mixed with white by confidence */
                double pmax = g->val[i * g->k + g->cls[i]];
                double conf = (pmax - 1.0 / nclasses) / (1 - 1.0 / nclasses);
                conf = conf < 0 ? 0 : conf > 1 ? 1 : conf;
                double t = 0.12 + 0.43 * conf;   /* pale: points show */
                int rgb[3];
                hex_rgb(class_color(g->cls[i], nclasses), rgb);
                for (int q = 0; q < 3; q++)
                    plot_buf_printf(b, " %d", (int)lround(255 - t * (255 - rgb[q])));
            }
            plot_buf_putc(b, '\n');
        }
        if (!c->text)
            plot_buf_putc(b, '\n');     /* a blank line ends a scan */
    }
    plot_buf_block_end(b);
}

/* The settings: title, axes, margins or key box, the palette. */
static void settings(plot_buf *b, const bmap *c)
{
    plot_buf_puts(b, "set title ");
    plot_buf_quote(b, c->title);
    plot_buf_puts(b, "\nset xlabel ");
    plot_buf_quote(b, c->xl);
    plot_buf_puts(b, "\nset ylabel ");
    plot_buf_quote(b, c->yl);
    plot_buf_printf(b, "\nset xrange [%.9g:%.9g]\nset yrange [%.9g:%.9g]\n",
                    c->g.box[0], c->g.box[1], c->g.box[2], c->g.box[3]);
    if (c->text) {
        plot_buf_printf(b, "set lmargin 10\nset rmargin 2\nset tmargin 2\n"
                        "set bmargin %d\nset key below horizontal nobox\n"
                        "set tics scale 0\n", 4 + c->keyrows);
    } else {
        plot_buf_puts(b, "set tics out nomirror\nset border lw 1\n"
                         "set key outside right top box opaque\n");
        if (c->values || (c->m && c->nclasses == 2))
            plot_buf_puts(b, "set colorbox vertical user origin graph 1.03, "
                             "graph 0 size graph 0.035, graph 0.45\n");
    }
    if (c->text)
        return;
    if (c->m && c->nclasses == 2 && c->layer < 0) {
        plot_buf_printf(b, "set palette defined (0 '%s', 0.5 '%s', 1 '%s')\n"
                        "set cbrange [0:1]\nset cbtics 0.5\n", PALE_ORANGE,
                        NEUTRAL, PALE_BLUE);
    } else if (c->values) {
        double vlo = c->vlo, vhi = c->vhi;
        if (vlo < 0 && vhi > 0) {
            double mx = fmax(-vlo, vhi);
            plot_buf_printf(b, "set palette defined (0 '%s', 0.5 '%s', 1 '%s')\n"
                            "set cbrange [%.9g:%.9g]\n", PALE_ORANGE, NEUTRAL,
                            PALE_BLUE, -mx, mx);
        } else {
            plot_buf_printf(b, "set palette defined (0 '%s', 1 '%s')\n"
                            "set cbrange [%.9g:%.9g]\n",
                            vlo >= 0 ? NEUTRAL : PALE_ORANGE,
                            vlo >= 0 ? PALE_BLUE : NEUTRAL, vlo, vhi);
        }
    } else {
        return;
    }
    plot_buf_puts(b, "set cblabel ");
    plot_buf_quote(b, c->cblabel);
    plot_buf_putc(b, '\n');
}

/* Before each series of the plot command but the first: ", \" and a new
 * line. */
static void sep(plot_buf *b, bmap *c)
{
    if (!c->first)
        plot_buf_puts(b, ", \\\n     ");
    c->first = 0;
}

/* The map's series: an image for gnuplot; for text, a glyph per value
 * level (a unit, regression) or per predicted class. */
static void map_series(plot_buf *b, bmap *c)
{
    int nclasses = c->nclasses;
    int outcol = c->g.k + 3;              /* the class column */
    if (!c->text) {
        sep(b, c);
        if (c->layer >= 0 || nclasses == 0)
            plot_buf_puts(b, "$grid using 1:2:3 with image notitle");
        else if (nclasses == 2)
            plot_buf_printf(b, "$grid using 1:2:%d with image notitle",
                            c->g.k == 1 ? 3 : 4);
        else
            plot_buf_printf(b, "$grid using 1:2:%d:%d:%d with rgbimage notitle",
                            outcol + 1, outcol + 2, outcol + 3);
    } else if (c->layer >= 0 || nclasses == 0) {
        double vlo = c->vlo, vhi = c->vhi;
        for (int l = 1; l < 6; l++) {
            double a = vlo + (vhi - vlo) * l / 6.0;
            double z = l == 5 ? INFINITY : vlo + (vhi - vlo) * (l + 1) / 6.0;
            sep(b, c);
            plot_buf_printf(b, "$grid using 1:(($3 >= %.9g && $3 < %.9g) ? "
                            "$2 : NaN) with points pt '%c' lc rgb '%s' ",
                            a, isinf(z) ? 1e300 : z, level_glyph[l],
                            l >= 3 ? BLUE : ORANGE);
            if (l == 1) {
                char t[200];
                snprintf(t, sizeof t, "%s from %.3g (blank) to %.3g (#)",
                         c->cblabel, vlo, vhi);
                plot_buf_puts(b, "title ");
                plot_buf_quote(b, t);
            } else {
                plot_buf_puts(b, "notitle");
            }
        }
    } else {
        int kcls = nclasses > 0 ? nclasses : 1;
        for (int k = 0; k < kcls; k++) {
            char t[96];
            class_name(c->ds, k, t, sizeof t);
            strncat(t, " region", sizeof t - strlen(t) - 1);
            sep(b, c);
            plot_buf_printf(b, "$grid using 1:($%d == %d ? $2 : NaN) with "
                            "points pt '%c' lc rgb '%s' title ", outcol, k,
                            region_glyph[k % 10], class_color(k, nclasses));
            plot_buf_quote(b, t);
        }
    }
}

/* The points' series: per set, and per class when there are classes
 * (for gnuplot a ring, white for train and black for test, the class
 * colour inside; for text a glyph, capitals for test). */
static void point_series(plot_buf *b, bmap *c)
{
    int nclasses = c->nclasses;
    for (int k = 0; k < 2; k++) {
        const nn_dataset *s = c->sets[k];
        if (!s || s->n == 0)
            continue;
        const char *blk = k ? "test" : "train";
        if (nclasses == 0) {
            sep(b, c);
            if (c->text)
                plot_buf_printf(b, "$%s using 1:2 with points pt '%c' lc rgb "
                                "'black' title '%s'", blk, k ? 'x' : 'o', blk);
            else
                plot_buf_printf(b, "$%s using 1:2 with points pt 7 ps 1.05 lc "
                                "rgb '%s' notitle, $%s using 1:2:3 with points "
                                "pt 7 ps 0.75 lc palette notitle", blk,
                                k ? "black" : "white", blk);
            continue;
        }
        for (int cl = 0; cl < nclasses; cl++) {
            char name[64], t[96];
            class_name(s, cl, name, sizeof name);
            snprintf(t, sizeof t, "%s (%s)", name, blk);
            sep(b, c);
            if (c->text) {
                char ch = point_glyph[cl % 10];
                if (k && ch >= 'a' && ch <= 'z')
                    ch = (char)(ch - 32);     /* test points in capitals */
                plot_buf_printf(b, "$%s using 1:($3 == %d ? $2 : NaN) with points "
                                "pt '%c' lc rgb '%s' title ", blk, cl, ch,
                                class_color(cl, nclasses));
                plot_buf_quote(b, t);
            } else {
                plot_buf_printf(b, "$%s using 1:($3 == %d ? $2 : NaN) with points "
                                "pt 7 ps 1.05 lc rgb '%s' notitle", blk, cl,
                                k ? "black" : "white");
                sep(b, c);
                plot_buf_printf(b, "$%s using 1:($3 == %d ? $2 : NaN) with points "
                                "pt 7 ps 0.75 lc rgb '%s' notitle", blk, cl,
                                class_color(cl, nclasses));
            }
        }
    }
}

/* gnuplot's key: a dot per class, then what the edges mean. */
static void key_series(plot_buf *b, bmap *c)
{
    for (int cl = 0; cl < c->nclasses; cl++) {
        char name[64];
        class_name(c->ds, cl, name, sizeof name);
        sep(b, c);
        plot_buf_printf(b, "NaN with points pt 7 ps 1.2 lc rgb '%s' title ",
                        class_color(cl, c->nclasses));
        plot_buf_quote(b, name);
    }
    if (c->sets[0]->n) {
        sep(b, c);
        plot_buf_puts(b, "NaN with points pt 6 ps 1.2 lc rgb '#a0a0a0' "
                         "title 'train (white edge)'");
    }
    if (c->sets[1] && c->sets[1]->n) {
        sep(b, c);
        plot_buf_puts(b, "NaN with points pt 6 ps 1.2 lw 1.5 lc rgb 'black' "
                         "title 'test (black edge)'");
    }
}

/* ---- nnlab's own drawing, without gnuplot ---- */

/* cells (gy rows of gx, top-down): a glyph per grid point (its class's
 * region, or its value's level), then the points on top. */
static void text_cells(const bmap *c, char *cells)
{
    const grid *g = &c->g;
    size_t np = (size_t)g->gx * g->gy;
    for (size_t i = 0; i < np; i++) {
        /* rows of the drawing go top-down, the grid bottom-up */
        size_t r = (size_t)(g->gy - 1) - i / g->gx, col = i % g->gx;
        char ch = ' ';
        if (c->m && g->cls)
            ch = region_glyph[g->cls[i] % 10];
        else if (c->m)
            ch = level_glyph[level(g->val[i], c->vlo, c->vhi)];
        cells[r * g->gx + col] = ch;
    }
    for (int k = 0; k < 2; k++) {
        const nn_dataset *s = c->sets[k];
        for (int i = 0; s && i < s->n; i++) {
            double a = nn_dataset_at(s, (size_t)i * 2);
            double bb = nn_dataset_at(s, (size_t)i * 2 + 1);
            int col = (int)lround((a - g->box[0]) / (g->box[1] - g->box[0]) * (g->gx - 1));
            int r = (int)lround((g->box[3] - bb) / (g->box[3] - g->box[2]) * (g->gy - 1));
            if (col < 0 || col >= g->gx || r < 0 || r >= g->gy)
                continue;
            int lab = c->nclasses > 0 ? (int)s->y[(size_t)i * s->ycols] : 0;
            char ch = c->nclasses > 0 ? point_glyph[(lab < 0 ? 0 : lab) % 10]
                                      : (k ? 'x' : 'o');
            if (k && ch >= 'a' && ch <= 'z')
                ch = (char)(ch - 32);     /* test points in capitals */
            cells[(size_t)r * g->gx + col] = ch;
        }
    }
}

/* The legend under the text map: the point glyph (and region glyph) of
 * each class, or the shades of the values. */
static void text_legend(const bmap *c, char *legend, size_t len)
{
    size_t ll = 0;
    legend[0] = 0;
    for (int cl = 0; cl < c->nclasses && ll < len - 128; cl++) {
        char name[64];
        class_name(c->ds, cl, name, sizeof name);
        ll += (size_t)snprintf(legend + ll, len - ll, "%s%c %s",
                               cl ? "   " : "  ", point_glyph[cl % 10], name);
        if (c->m && c->g.cls)
            ll += (size_t)snprintf(legend + ll, len - ll, " (region %c)",
                                   region_glyph[cl % 10]);
    }
    if (c->nclasses > 0)
        snprintf(legend + ll, len - ll, "\n  lower case: train, capitals: test\n");
    else if (c->m)
        snprintf(legend + ll, len - ll, "  o train  x test   shade ' .:+*#': "
                 "%s from %.3g to %.3g\n", c->cblabel, c->vlo, c->vhi);
    else
        snprintf(legend + ll, len - ll, "  o train  x test\n");
}

/* The whole text drawing into out, w characters wide. */
static int draw_text(plot_buf *out, const bmap *c, int w, nn_err *e)
{
    char *cells = malloc((size_t)c->g.gx * c->g.gy);
    char legend[1024];
    if (!cells)
        return nn_fail(e, "out of memory");
    text_cells(c, cells);
    text_legend(c, legend, sizeof legend);
    text_map(out, c->title, c->xl, c->yl, &c->g, cells, legend, w);
    free(cells);
    return NN_OK;
}

/* ---- the figure ---- */

int plot_boundary(plot_job *job, nn_model *m, int layer, int unit,
                  const nn_dataset *train, const nn_dataset *test,
                  const plot_out *o, nn_err *e)
{
    const nn_dataset *ds = train->n ? train : test;
    if (!ds || ds->n == 0)
        return nn_fail(e, "no data to plot");
    if (ds->d != 2)
        return nn_fail(e, "boundary needs data with 2 input features (a "
                       "plane to colour); this data has %d (try: data moons, "
                       "circles, xor, spiral or gauss)", ds->d);
    if (check_model(&m, layer, unit, ds->nclasses, e) != NN_OK)
        return NN_FAIL;

    bmap c = {.m = m, .layer = layer, .unit = unit, .sets = {train, test},
              .ds = ds, .nclasses = ds->nclasses, .text = plot_out_is_text(o)};
    plot_boundary_box(train, test, c.g.box);
    size_grid(&c, o);
    int rc = m ? eval_grid(m, layer, unit, &c.g, c.nclasses, e) : NN_OK;
    if (rc == NN_OK) {
        name_map(&c);
        plot_buf *b = &job->gp;
        if (m)
            grid_block(b, &c);
        if (train->n)
            points_block(b, "train", train);
        if (test && test->n)
            points_block(b, "test", test);
        settings(b, &c);
        plot_buf_puts(b, "plot ");
        c.first = 1;
        if (m)
            map_series(b, &c);
        point_series(b, &c);
        if (!c.text)
            key_series(b, &c);
        plot_buf_putc(b, '\n');
        if (o->fallback)
            rc = draw_text(&job->text, &c, o->w, e);
    }
    free(c.g.val);
    free(c.g.cls);
    if (rc != NN_OK)
        return NN_FAIL;
    job->w = 800;
    job->h = 600;
    snprintf(job->title, sizeof job->title, "nnlab: boundary");
    if (job->gp.oom || job->text.oom)
        return nn_fail(e, "out of memory");
    return 0;
}
