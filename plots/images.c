/* images.c - a grid of images with their labels (the book's Figure 10-11
 * of Fashion-MNIST samples), with the model's predictions: a wrong one is
 * written in red under the true class.  Pixels as the book shows them,
 * cmap="binary": 0 white, 1 black.  gnuplot's dumb terminal has no images,
 * so text outputs get nnlab's own drawing, a character per pixel column
 * and two pixel rows, shaded " .:-=+*#%@". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plots.h"
#include "fit.h"

static const char ramp[] = " .:-=+*#%@";

static void label_of(const nn_dataset *ds, int c, char *buf, size_t len)
{
    if (ds->class_names && c >= 0 && c < ds->nclasses)
        snprintf(buf, len, "%s", ds->class_names[c]);
    else
        snprintf(buf, len, "%d", c);
}

/* Drops the blanks at the end of b (a text line's tail). */
static void trim_blanks(plot_buf *b)
{
    while (b->len && b->s[b->len - 1] == ' ')
        b->s[--b->len] = 0;
}

/* The model's class for the first n images, in *pred (NULL when the model
 * does not fit the data: labels only). */
static int predict(nn_model *m, const nn_dataset *ds, int n, int **pred,
                   nn_err *e)
{
    *pred = NULL;
    if (!m)
        return NN_OK;
    int in = nn_model_input(m), on = nn_model_output(m);
    nn_err ce;
    if (in < 0 || on < 0 || on == in || nn_model_check_columns(m, ds->d, &ce) != NN_OK ||
        ds->nclasses <= 0 ||
        (m->nodes[on].size != ds->nclasses &&
         !(m->nodes[on].size == 1 && ds->nclasses == 2)))
        return NN_OK;          /* the model does not fit: labels only */
    int k = m->nodes[on].size;
    float *out = malloc((size_t)n * k * sizeof *out);
    int *p = malloc((size_t)n * sizeof *p);
    nn_err pe = {{0}};
    if (!out || !p || nn_predict_set(m, ds, 0, n, out, &pe) != NN_OK) {
        free(out);
        free(p);
        return nn_fail(e, "%s", pe.msg[0] ? pe.msg : "out of memory");
    }
    plot_argmax(out, n, k, p);
    free(out);
    *pred = p;
    return NN_OK;
}

/* The grid of n images of H x W pixels: cols x rows tiles of tw x th
 * (the image, 2 pixels either side, band label rows above), the shade
 * range and the model's classes (or NULL). */
typedef struct tiles {
    int n, H, W;
    int cols, rows, band, tw, th;
    float lo, hi;
    const int *pred;
    char title[160];
} tiles;

/* The gnuplot text: the grid as one matrix $images (0 white .. 1 black),
 * a label over each tile, and the wrong guesses in red. */
static void write_script(plot_buf *b, const nn_dataset *ds, const tiles *g)
{
    int n = g->n, W = g->W, tw = g->tw, th = g->th, cols = g->cols;
    const int *pred = g->pred;
    plot_buf_block_begin(b, "images");
    for (int y = 0; y < g->rows * th; y++) {
        int tr = y / th, py = y % th - g->band;
        for (int x = 0; x < cols * tw; x++) {
            int tc = x / tw, px = x % tw - 2;
            int i = tr * cols + tc;
            double v = 0;
            if (i < n && py >= 0 && px >= 0 && px < W)
                v = ((double)nn_dataset_at(ds, (size_t)i * ds->d + (size_t)py * W + px) - g->lo) /
                    (g->hi - g->lo);
            if (x)
                plot_buf_putc(b, ' ');
            plot_buf_printf(b, "%.4g", v);
        }
        plot_buf_putc(b, '\n');
    }
    plot_buf_block_end(b);
    plot_buf_puts(b, "set title ");
    plot_buf_quote(b, g->title);
    plot_buf_printf(b, "\nunset border\nunset tics\nunset key\nunset colorbox\n"
                    "set palette gray negative\nset cbrange [0:1]\n"
                    "set xrange [-0.5:%g]\nset yrange [%g:-0.5]\n"
                    "set size ratio -1\nset lmargin 1\nset rmargin 1\n"
                    "set bmargin 1\n", cols * tw - 0.5, g->rows * th - 0.5);
    for (int i = 0; i < n; i++) {
        int tr = i / cols, tc = i % cols;
        int t = (int)ds->y[(size_t)i * ds->ycols];
        char lab[96];
        label_of(ds, t, lab, sizeof lab);
        double cx = tc * tw + tw / 2.0 - 0.5;
        double y1 = tr * th + (pred ? 3.5 : 4.0);
        plot_buf_puts(b, "set label ");
        plot_buf_quote(b, lab);
        plot_buf_printf(b, " at %g,%g center font ',8' front\n", cx, y1);
        if (pred && pred[i] != t) {
            char pl[112];
            label_of(ds, pred[i], lab, sizeof lab);
            snprintf(pl, sizeof pl, "(%s)", lab);
            plot_buf_puts(b, "set label ");
            plot_buf_quote(b, pl);
            plot_buf_printf(b, " at %g,%g center font ',8' tc rgb '#d62728' "
                            "front\n", cx, y1 + 5);
        }
    }
    plot_buf_puts(b, "plot $images matrix with image notitle\n");
}

/* nnlab's own drawing, w characters wide: rows of images side by side,
 * each under its label (and "wrong: ..." when the model is wrong), a
 * character per pixel column and two pixel rows. */
static void draw_text(plot_buf *t, const nn_dataset *ds, const tiles *g, int w)
{
    int n = g->n, H = g->H, W = g->W;
    const int *pred = g->pred;
    int per = (w + 2) / (W + 2);
    if (per < 1)
        per = 1;
    plot_text_center(t, g->title, per * (W + 2) - 2);
    for (int r0 = 0; r0 < n; r0 += per) {
        int cnt = n - r0 < per ? n - r0 : per;
        plot_buf_putc(t, '\n');
        for (int line = 0; line < (pred ? 2 : 1); line++) {
            for (int c = 0; c < cnt; c++) {
                int i = r0 + c, tl = (int)ds->y[(size_t)i * ds->ycols];
                char lab[112] = "";
                if (line == 0)
                    label_of(ds, tl, lab, sizeof lab);
                else if (pred[i] != tl) {
                    char pl[NN_NAMEMAX + 64];
                    label_of(ds, pred[i], pl, sizeof pl);
                    snprintf(lab, sizeof lab, "wrong: %s", pl);
                }
                plot_buf_printf(t, "%-*.*s%s", W, W, lab, c + 1 < cnt ? "  " : "");
            }
            trim_blanks(t);
            plot_buf_putc(t, '\n');
        }
        for (int py = 0; py < H; py += 2) {
            for (int c = 0; c < cnt; c++) {
                size_t img = (size_t)(r0 + c) * ds->d;
                for (int px = 0; px < W; px++) {
                    double v = nn_dataset_at(ds, img + (size_t)py * W + px);
                    if (py + 1 < H)
                        v = (v + nn_dataset_at(ds, img + (size_t)(py + 1) * W + px)) / 2;
                    v = (v - g->lo) / (g->hi - g->lo);
                    int k = (int)floor(v * 10);
                    plot_buf_putc(t, ramp[k < 0 ? 0 : k > 9 ? 9 : k]);
                }
                if (c + 1 < cnt)
                    plot_buf_puts(t, "  ");
            }
            trim_blanks(t);     /* no trailing blanks */
            plot_buf_putc(t, '\n');
        }
    }
    if (pred) {
        int wrong = 0;
        for (int i = 0; i < n; i++)
            wrong += pred[i] != (int)ds->y[(size_t)i * ds->ycols];
        plot_buf_printf(t, "\n%d of %d wrong\n", wrong, n);
    }
}

int plot_images(plot_job *job, nn_model *m, const nn_dataset *ds,
                const char *split, int n, const plot_out *o, nn_err *e)
{
    if (ds->ndim != 2 || ds->shape[0] < 2 || ds->shape[1] < 2)
        return nn_fail(e, "images needs image data (samples of shape "
                       "HxW, such as data fashion_mnist); this data has %d "
                       "feature%s per sample", ds->d, ds->d == 1 ? "" : "s");
    if (ds->n == 0)
        return nn_fail(e, "the %s set is empty", split);
    if (n > ds->n)
        n = ds->n;
    int *pred;
    if (predict(m, ds, n, &pred, e) != NN_OK)
        return NN_FAIL;
    tiles g = {.n = n, .H = ds->shape[0], .W = ds->shape[1], .pred = pred};
    /* shade range: [0, 1] for pixels, else what the images hold */
    g.lo = 0;
    g.hi = 1;
    for (size_t i = 0; i < (size_t)n * ds->d; i++) {
        float v = nn_dataset_at(ds, i);
        if (v < g.lo) g.lo = v;
        if (v > g.hi) g.hi = v;
    }
    g.cols = (int)ceil(sqrt(n * 1.5));
    if (g.cols > n)
        g.cols = n;
    if (g.cols > 10)
        g.cols = 10;
    g.rows = (n + g.cols - 1) / g.cols;
    g.band = pred ? 12 : 7;                 /* label rows above a tile */
    g.tw = g.W + 4;
    g.th = g.H + g.band;
    snprintf(g.title, sizeof g.title, "%s images (%s, the first %d)%s",
             ds->name[0] ? ds->name : "the", split, n,
             pred ? ": true class, and in red the model's wrong guesses" : "");
    write_script(&job->gp, ds, &g);
    /* the text drawing: always made, text outputs show it */
    draw_text(&job->text, ds, &g, o->w);
    free(pred);
    job->own_text = 1;
    job->w = g.cols * g.tw * 4 + 40;
    job->h = g.rows * g.th * 4 + 70;
    snprintf(job->title, sizeof job->title, "nnlab: images");
    if (job->gp.oom || job->text.oom)
        return nn_fail(e, "out of memory");
    return 0;
}
