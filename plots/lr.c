/* lr.c - the learning-rate range test (Géron; fastai's lr_find): the loss
 * after each step while the rate grows geometrically, on a log axis.  The
 * loss falls, flattens, then climbs; the good rate is about ten times
 * below where it climbs, marked when the test suggested one. */
#include <math.h>
#include <stdio.h>
#include "plots.h"

int plot_lr(plot_job *job, const double *rates, const double *losses,
            const double *smooth, int n, double suggest, const char *source,
            const plot_out *o, nn_err *e)
{
    if (n < 2)
        return nn_fail(e, "the learning-rate test has %d point%s; it needs at "
                       "least 2", n, n == 1 ? "" : "s");
    int pos = 0;
    for (int i = 0; i < n; i++)
        pos += rates[i] > 0 && isfinite(rates[i]);
    if (pos < 2)
        return nn_fail(e, "the learning rates must be positive for a log axis");
    char title[160];
    snprintf(title, sizeof title, "Learning-rate range test%s%s%s",
             source && *source ? " (" : "", source ? source : "",
             source && *source ? ")" : "");
    plot_lines f;
    plot_lines_init(&f, "lr", title);
    plot_panel *p = plot_lines_panel(&f, NULL, "learning rate (log scale)", "loss");
    double *x = plot_lines_array(&f, n), *y = plot_lines_array(&f, n);
    double *sm = smooth ? plot_lines_array(&f, n) : NULL;
    if (!x || !y || (smooth && !sm)) {
        plot_lines_free(&f);
        return nn_fail(e, "out of memory");
    }
    double lo = INFINITY, hi = -INFINITY, xlo = INFINITY, xhi = -INFINITY;
    for (int i = 0; i < n; i++) {
        x[i] = rates[i];
        y[i] = losses[i];
        if (sm)
            sm[i] = smooth[i];
        if (rates[i] > 0 && isfinite(rates[i])) {
            xlo = fmin(xlo, rates[i]);
            xhi = fmax(xhi, rates[i]);
        }
        double v = sm ? sm[i] : y[i];
        if (isfinite(v))
            lo = fmin(lo, v), hi = fmax(hi, v);
        if (isfinite(y[i]))
            lo = fmin(lo, y[i]);
    }
    plot_series *raw = plot_panel_series(p, sm ? "loss (each step)" : "loss",
                                         "loss", x, y, n, PLOT_LINES, 0);
    if (raw) {
        raw->width = sm ? 1 : 2;
        raw->faint = sm != NULL;      /* under the smoothed curve */
    }
    if (sm)
        plot_panel_series(p, "smoothed loss", "smoothed", x, sm, n, PLOT_LINES, 0);
    /* the y range: from the lowest loss to a little over where the test
     * started, so the final blow-up does not squash the valley */
    double start = NAN;
    for (int i = 0; i < n && isnan(start); i++) {
        double v = sm ? sm[i] : y[i];
        if (isfinite(v))
            start = v;
    }
    if (isfinite(lo) && isfinite(start)) {
        double top = fmin(hi, start + 0.5 * (start - lo) + 1e-12);
        if (top <= lo)
            top = hi;
        double l = lo, u = top;
        plot_pad_range(&l, &u, 0.06);
        p->ymin = l;
        p->ymax = u;
    }
    p->logx = 1;
    p->xmin = xlo;
    p->xmax = xhi;
    if (suggest > 0 && isfinite(suggest)) {
        p->nvlines = 1;
        p->vl[0].x = suggest;
        p->vl[0].color = 3;
        snprintf(p->vl[0].label, sizeof p->vl[0].label, "suggested %.2g", suggest);
    }
    snprintf(p->key, sizeof p->key, "top left");
    return plot_lines_finish(&f, o, job, "lr", e);
}
