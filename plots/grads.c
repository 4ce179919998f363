/* grads.c - the gradient norm of each Dense layer over the training steps,
 * on a log axis: vanishing gradients show as the input-side layers' curves
 * sinking decades below the output side's, exploding ones as curves
 * shooting up (Géron ch. 11; Glorot and Bengio 2010).
 *
 * The record: after every optimizer step, ||dL/dW||_2 of each Dense kernel
 * (shared layers once, by their owner).  Up to PLOT_GRADLOG_CAP records
 * every step is kept; then every other record is dropped and only every
 * 2nd step recorded, then every 4th, ...  Cost per step: one pass over the
 * kernels' gradients when the step is recorded, nothing otherwise. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plots.h"

#define MAXLAYERS 64

struct plot_gradlog {
    /* which model: its address, layout and the last step seen */
    const nn_model *model;
    size_t nparams;
    int nnodes;
    long last_step;
    int nl;                        /* Dense kernels recorded */
    int node[MAXLAYERS];           /* their node indices */
    char name[MAXLAYERS][NN_NAMEMAX];
    long stride;                   /* record steps that are multiples */
    int n;                         /* records */
    long *step;                    /* (cap) */
    float *norm;                   /* (cap, nl) */
};

plot_gradlog *plot_gradlog_new(void)
{
    plot_gradlog *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->stride = 1;
    return g;
}

void plot_gradlog_free(plot_gradlog *g)
{
    if (!g)
        return;
    free(g->step);
    free(g->norm);
    free(g);
}

static int same_model(const plot_gradlog *g, const nn_model *m)
{
    return g->model == m && g->nparams == m->nparams && g->nnodes == m->n &&
           m->steps >= g->last_step;
}

/* Starts a record for m; 0, or -1 when out of memory (nothing recorded). */
static int restart(plot_gradlog *g, const nn_model *m)
{
    g->model = m;
    g->nparams = m->nparams;
    g->nnodes = m->n;
    g->last_step = m->steps;
    g->n = 0;
    g->stride = 1;
    g->nl = 0;
    for (int i = 0; i < m->n && g->nl < MAXLAYERS; i++) {
        const nn_node *nd = &m->nodes[i];
        if (nd->kind != NN_NODE_DENSE || nd->shared != i)
            continue;
        g->node[g->nl] = i;
        snprintf(g->name[g->nl], NN_NAMEMAX, "%s", nd->name);
        g->nl++;
    }
    free(g->step);
    free(g->norm);
    g->step = malloc(PLOT_GRADLOG_CAP * sizeof *g->step);
    g->norm = malloc((size_t)PLOT_GRADLOG_CAP * (g->nl ? g->nl : 1) *
                     sizeof *g->norm);
    if (!g->step || !g->norm) {
        free(g->step);
        free(g->norm);
        g->step = NULL;
        g->norm = NULL;
        g->model = NULL;
        return -1;
    }
    return 0;
}

/* ||v||_2 of n floats: blocks of 8 summed in float (vectorizes), the
 * blocks summed in double. */
static double l2(const float *v, size_t n)
{
    double ss = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        float b = 0;
        for (int k = 0; k < 8; k++)
            b += v[i + k] * v[i + k];
        ss += b;
    }
    for (; i < n; i++)
        ss += (double)v[i] * v[i];
    return sqrt(ss);
}

/* Keeps the records on multiples of 2 * stride, and doubles it. */
static void thin(plot_gradlog *g)
{
    int k = 0;
    for (int i = 0; i < g->n; i++)
        if (g->step[i] % (2 * g->stride) == 0) {
            g->step[k] = g->step[i];
            memmove(g->norm + (size_t)k * g->nl,
                    g->norm + (size_t)i * g->nl, (size_t)g->nl * sizeof(float));
            k++;
        }
    g->n = k;
    g->stride *= 2;
}

int plot_gradlog_prepare(plot_gradlog *g, const nn_model *m, long min_stride)
{
    if (!g || !m)
        return -1;
    if (!same_model(g, m) && restart(g, m) < 0)
        return -1;
    while (g->stride < min_stride)
        thin(g);
    return 0;
}

int plot_gradlog_wants(const plot_gradlog *g, const nn_model *m, long step)
{
    if (!g || !m || !same_model(g, m))
        return 1;                 /* a new record starts, every step */
    if (g->nl == 0)
        return 0;
    long stride = g->n == PLOT_GRADLOG_CAP ? 2 * g->stride : g->stride;
    return step % stride == 0;
}

void plot_gradlog_record(plot_gradlog *g, const nn_model *m)
{
    if (!g || !m || !m->grads)
        return;
    if (!same_model(g, m) && restart(g, m) < 0)
        return;
    g->last_step = m->steps;
    if (g->nl == 0 || m->steps % g->stride != 0)
        return;
    if (g->n == PLOT_GRADLOG_CAP) {
        thin(g);
        if (m->steps % g->stride != 0)
            return;
    }
    float *row = g->norm + (size_t)g->n * g->nl;
    for (int l = 0; l < g->nl; l++) {
        const nn_node *nd = &m->nodes[g->node[l]];
        row[l] = (float)l2(m->grads + nd->w_off,
                           (size_t)nd->fan_in * (size_t)nd->dense.units);
    }
    g->step[g->n++] = m->steps;
}

int plot_gradlog_count(const plot_gradlog *g, const nn_model *m)
{
    return g && m && same_model(g, m) ? g->n : 0;
}

long plot_gradlog_stride(const plot_gradlog *g)
{
    return g ? g->stride : 1;
}

int plot_gradlog_get(const plot_gradlog *g, int i, long *step, double *norms,
                     int max)
{
    if (!g || i < 0 || i >= g->n)
        return -1;
    *step = g->step[i];
    for (int l = 0; l < g->nl && l < max; l++)
        norms[l] = g->norm[(size_t)i * g->nl + l];
    return g->nl;
}

int plot_grads(plot_job *job, const plot_gradlog *g, const nn_model *m,
               const plot_out *o, nn_err *e)
{
    int n = plot_gradlog_count(g, m);
    if (n == 0)
        return nn_fail(e, "no gradients recorded for this model yet: train it "
                       "(fit or step), then plot grads");
    if (g->nl == 0)
        return nn_fail(e, "the model has no Dense layer, so no gradients");
    char title[160];
    if (g->stride > 1)
        snprintf(title, sizeof title, "Gradient norm per layer (every %ld "
                 "steps)", g->stride);
    else
        snprintf(title, sizeof title, "Gradient norm per layer");
    plot_lines f;
    plot_lines_init(&f, "grads", title);
    plot_panel *p = plot_lines_panel(&f, NULL, "training step",
                                     "||dL/dW|| of the kernel (log scale)");
    double *x = plot_lines_array(&f, n);
    for (int i = 0; x && i < n; i++)
        x[i] = (double)g->step[i];
    /* many steps: each step's norm pale, and over it a moving average (an
     * exponential one of the logarithm, debiased, span n/25): mini-batch
     * noise hides the trend otherwise */
    int smooth = n > 50;
    double span = n / 25.0 < 5 ? 5 : n / 25.0, alpha = 2 / (span + 1);
    for (int l = 0; x && l < g->nl; l++) {
        double *y = plot_lines_array(&f, n);
        double *sm = smooth ? plot_lines_array(&f, n) : NULL;
        if (!y || (smooth && !sm))
            break;
        double avg = 0, wsum = 0;
        for (int i = 0; i < n; i++) {
            y[i] = g->norm[(size_t)i * g->nl + l];
            if (!sm)
                continue;
            if (y[i] > 0 && isfinite(y[i])) {
                avg = (1 - alpha) * avg + alpha * log(y[i]);
                wsum = (1 - alpha) * wsum + alpha;
            }
            sm[i] = wsum > 0 ? exp(avg / wsum) : NAN;
        }
        /* the input side first, coloured in order */
        plot_series *s = plot_panel_series(p, smooth ? "" : g->name[l],
                                           g->name[l], x, y, n,
                                           n == 1 ? PLOT_POINTS : PLOT_LINES, l);
        if (s) {
            s->width = smooth ? 1 : 1.5;
            s->faint = smooth;
        }
        if (smooth) {
            char col[NN_NAMEMAX + 8];
            snprintf(col, sizeof col, "%s_avg", g->name[l]);
            s = plot_panel_series(p, g->name[l], col, x, sm, n, PLOT_LINES, l);
            if (s)
                s->width = 2.5;
        }
    }
    if (f.oom) {
        plot_lines_free(&f);
        return nn_fail(e, "out of memory");
    }
    p->logy = 1;
    if (n == 1) {
        p->xmin = x[0] - 1;
        p->xmax = x[0] + 1;
    }
    p->xinteger = n < 20;
    snprintf(p->key, sizeof p->key, "outside right top");
    return plot_lines_finish(&f, o, job, "grads", e);
}
