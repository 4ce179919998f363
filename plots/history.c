/* history.c - learning curves: every key of the history per epoch, as the
 * book draws pd.DataFrame(history.history).plot(style=["r--", "r--.",
 * "b-", "b-*"]): training dashed red, validation solid blue, one point
 * style per metric, the y axis from 0 to 1 when every value fits in it. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "plots.h"

int plot_history(plot_job *job, const nn_history *h, const char *const *keys,
                 int nkeys, const plot_out *o, nn_err *e)
{
    if (h->nepochs == 0 || h->nkeys == 0)
        return nn_fail(e, "no history yet: train first (fit epochs=N)");
    int cols[NN_MAXKEYS], nc = 0;
    if (keys) {
        for (int i = 0; i < nkeys; i++) {
            int k = nn_history_key(h, keys[i]);
            if (k < 0) {
                char list[NN_MAXKEYS * (NN_KEYMAX + 2)] = "";
                for (int j = 0; j < h->nkeys; j++) {
                    if (j)
                        strcat(list, ", ");
                    strcat(list, h->keys[j]);
                }
                return nn_fail(e, "the history has no '%s'; it has: %s",
                               keys[i], list);
            }
            if (nc < NN_MAXKEYS)
                cols[nc++] = k;
        }
    } else {
        for (int k = 0; k < h->nkeys; k++)
            cols[nc++] = k;
    }
    plot_lines f;
    plot_lines_init(&f, "history", "Learning curves");
    int n = h->nepochs;
    double *x = plot_lines_array(&f, n);
    plot_panel *p = plot_lines_panel(&f, NULL, "epoch", "loss and metrics");
    double lo = INFINITY, hi = -INFINITY;
    for (int r = 0; x && r < n; r++)
        x[r] = h->epoch[r];
    for (int c = 0; c < nc && x; c++) {
        const char *key = h->keys[cols[c]];
        double *y = plot_lines_array(&f, n);
        if (!y)
            break;
        for (int r = 0; r < n; r++) {
            y[r] = nn_history_at(h, r, cols[c]);
            if (isfinite(y[r])) {
                lo = fmin(lo, y[r]);
                hi = fmax(hi, y[r]);
            }
        }
        /* the metric's index among the training keys: its point style */
        int val = strncmp(key, "val_", 4) == 0;
        const char *base = val ? key + 4 : key;
        int metric = 0;
        for (int k = 0; k < h->nkeys; k++) {
            if (strncmp(h->keys[k], "val_", 4) == 0)
                continue;
            if (strcmp(h->keys[k], base) == 0)
                break;
            metric++;
        }
        int is_loss = strcmp(base, "loss") == 0 ||
                      (strlen(base) > 5 && !strcmp(base + strlen(base) - 5, "_loss"));
        plot_style st = val ? (is_loss || n == 1 ? PLOT_LINES : PLOT_LINESPOINTS)
                            : (is_loss || n == 1 ? PLOT_DASHES : PLOT_DASHPOINTS);
        if (n <= 2)          /* a line needs two points: show them */
            st = val ? PLOT_LINESPOINTS : PLOT_DASHPOINTS;
        plot_series *s = plot_panel_series(p, key, key, x, y, n, st, val ? 0 : 3);
        if (s)
            s->point = metric;
    }
    if (f.oom) {
        plot_lines_free(&f);
        return nn_fail(e, "out of memory");
    }
    /* the book's ylim=[0, 1] when everything fits; else from 0 (losses and
     * the usual metrics are >= 0) up to the largest value */
    if (lo >= 0 && hi <= 1) {
        p->ymin = 0;
        p->ymax = 1;
    } else if (isfinite(lo)) {
        double l = lo >= 0 ? 0 : lo, u = hi;
        plot_pad_range(&l, &u, 0.05);
        p->ymin = lo >= 0 ? 0 : l;
        p->ymax = u;
    }
    p->xinteger = 1;
    p->xmin = h->epoch[0] - (n == 1 ? 1 : 0);
    p->xmax = h->epoch[n - 1] + (n == 1 ? 1 : 0);
    /* curves cross the whole width: the legend goes beside the axes */
    snprintf(p->key, sizeof p->key, "outside right top vertical");
    char title[160];
    snprintf(title, sizeof title, "Learning curves (%d epoch%s)", n,
             n == 1 ? "" : "s");
    snprintf(f.title, sizeof f.title, "%s", title);
    return plot_lines_finish(&f, o, job, "history", e);
}
