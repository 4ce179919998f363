/* activation.c - activation functions and their derivatives, as the
 * book's Figure 10-8 ("activation functions (left) and their derivatives
 * (right)"): where the derivative is near 0 the gradient vanishes. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "plots.h"

/* A panel's fixed ranges, zero axes and key (outside when many). */
static void frame(plot_panel *p, double lo, double hi, double ylo, double yhi,
                  int n)
{
    p->xmin = lo;
    p->xmax = hi;
    p->ymin = ylo;
    p->ymax = yhi;
    p->zeroaxes = 1;
    snprintf(p->key, sizeof p->key, "%s", n > 5 ? "outside right top"
                                                : "top left");
}

int plot_activation(plot_job *job, const nn_act *acts, int n, int derivative,
                    double lo, double hi, const plot_out *o, nn_err *e)
{
    if (n <= 0)
        return nn_fail(e, "no activation to plot");
    if (!(lo < hi) || !isfinite(lo) || !isfinite(hi))
        return nn_fail(e, "the range must go from a smaller to a larger number");
    for (int i = 0; i < n; i++)
        if (acts[i] == NN_ACT_SOFTMAX)
            return nn_fail(e, "softmax works on a whole row of scores, not one "
                           "number, so it has no curve; its 2-class case is "
                           "sigmoid: plot activation sigmoid");
    /* 400 steps put z = 0 on the grid for symmetric ranges (relu's kink) */
    int np = 401;
    plot_lines f;
    char title[160];
    if (n == 1)
        snprintf(title, sizeof title, "Activation function: %s",
                 nn_act_names[acts[0]]);
    else
        snprintf(title, sizeof title, "Activation functions");
    plot_lines_init(&f, "activation", title);
    double *z = plot_lines_array(&f, np);
    plot_panel *pf = plot_lines_panel(&f, n == 1 ? nn_act_names[acts[0]]
                                                 : "activation functions",
                                      "z", "f(z)");
    plot_panel *pd = derivative ? plot_lines_panel(&f, "derivatives "
                                                   "(near 0: vanishing gradient)",
                                                   "z", "f'(z)")
                                : NULL;
    if (!z) {
        plot_lines_free(&f);
        return nn_fail(e, "out of memory");
    }
    for (int i = 0; i < np; i++)
        z[i] = lo + (hi - lo) * i / (np - 1);
    int others = 0;
    for (int a = 0; a < n; a++)
        others += acts[a] != NN_ACT_EXPONENTIAL;
    double ylo = INFINITY, yhi = -INFINITY, dlo = 0, dhi = 1;
    for (int a = 0; a < n; a++) {
        double *y = plot_lines_array(&f, np);
        double *d = derivative ? plot_lines_array(&f, np) : NULL;
        if (!y || (derivative && !d))
            break;
        for (int i = 0; i < np; i++) {
            y[i] = nn_act_eval(acts[a], z[i]);
            if (d)
                d[i] = nn_act_deriv(acts[a], z[i]);
            /* exponential leaves any common scale: let it go off the top */
            if (acts[a] != NN_ACT_EXPONENTIAL || !others) {
                ylo = fmin(ylo, y[i]);
                yhi = fmax(yhi, y[i]);
                if (d) {
                    dlo = fmin(dlo, d[i]);
                    dhi = fmax(dhi, d[i]);
                }
            }
        }
        const char *name = nn_act_names[acts[a]];
        plot_panel_series(pf, name, name, z, y, np, PLOT_LINES, a);
        if (pd) {
            char col[40];
            snprintf(col, sizeof col, "d_%s", name);
            plot_panel_series(pd, name, col, z, d, np, PLOT_LINES, a);
        }
    }
    if (f.oom) {
        plot_lines_free(&f);
        return nn_fail(e, "out of memory");
    }
    plot_pad_range(&ylo, &yhi, 0.08);
    plot_pad_range(&dlo, &dhi, 0.08);
    frame(pf, lo, hi, ylo, yhi, n);
    if (pd)
        frame(pd, lo, hi, dlo, dhi, n);
    return plot_lines_finish(&f, o, job, "activation", e);
}
