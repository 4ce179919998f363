/* hist.c - histograms of weights, gradients or activations, one set per
 * layer, overlaid (as Glorot and Bengio's figures of activations and
 * gradients per layer): saturated sigmoids pile up at 0 and 1, dead ReLUs
 * at 0, vanishing gradients squeeze towards 0 layer after layer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plots.h"

#define BINS 50

int plot_hist(plot_job *job, const char *title, const char *xlabel,
              const char *const *names, const float *const *vals,
              const size_t *counts, int nsets, const plot_out *o, nn_err *e)
{
    if (nsets <= 0)
        return nn_fail(e, "nothing to draw");
    double lo = INFINITY, hi = -INFINITY;
    size_t total = 0;
    for (int s = 0; s < nsets; s++)
        for (size_t i = 0; i < counts[s]; i++)
            if (isfinite(vals[s][i])) {
                lo = fmin(lo, vals[s][i]);
                hi = fmax(hi, vals[s][i]);
                total++;
            }
    if (total == 0)
        return nn_fail(e, "no finite values to draw");
    if (!(hi > lo))
        plot_pad_range(&lo, &hi, 0);
    /* about 2 sqrt(n) bins for n values a layer, 8 to 50 */
    int bins = (int)(2 * sqrt((double)total / nsets));
    if (bins > BINS)
        bins = BINS;
    if (plot_out_is_text(o) && o->w / 2 < bins)
        bins = o->w / 2;
    if (bins < 8)
        bins = 8;
    double width = (hi - lo) / bins;
    plot_lines f;
    plot_lines_init(&f, "hist", title);
    /* one set: counts; several: the fraction of each set's values, so
     * layers of different sizes compare */
    plot_panel *p = plot_lines_panel(&f, NULL, xlabel,
                                     nsets > 1 ? "fraction of the layer's values"
                                               : "count");
    double *x = plot_lines_array(&f, bins);
    for (int k = 0; x && k < bins; k++)
        x[k] = lo + width * (k + 0.5);
    double ymax = 0;
    for (int s = 0; x && s < nsets; s++) {
        double *y = plot_lines_array(&f, bins);
        if (!y)
            break;
        size_t n = 0;
        for (size_t i = 0; i < counts[s]; i++) {
            double v = vals[s][i];
            if (!isfinite(v))
                continue;
            int k = (int)floor((v - lo) / width);
            y[k < 0 ? 0 : k >= bins ? bins - 1 : k] += 1;
            n++;
        }
        for (int k = 0; nsets > 1 && n && k < bins; k++)
            y[k] /= (double)n;
        for (int k = 0; k < bins; k++)
            ymax = fmax(ymax, y[k]);
        plot_series *sr = plot_panel_series(p, names[s], names[s], x, y, bins,
                                            PLOT_STEPS, s);
        if (sr)
            sr->width = 1.5;
    }
    if (f.oom) {
        plot_lines_free(&f);
        return nn_fail(e, "out of memory");
    }
    p->xmin = lo - width;
    p->xmax = hi + width;
    p->ymin = 0;
    p->ymax = ymax * 1.08;
    snprintf(p->key, sizeof p->key, "top right");
    return plot_lines_finish(&f, o, job, "hist", e);
}
