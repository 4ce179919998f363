/* regression.c - a 1-D regression: the data as points and the model's
 * prediction as a curve over the input range.  The lesson of the outliers
 * set: MSE's curve bends towards the outliers, Huber's (and MAE's) stays
 * with the bulk of the points. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plots.h"

#define CURVE_POINTS 300

static int check_set(const nn_dataset *ds, const char *which, nn_err *e)
{
    if (ds->n == 0)
        return 0;
    if (ds->d != 1)
        return nn_fail(e, "regression needs data with 1 input feature; "
                       "the %s set has %d (try: data sine, or data outliers)",
                       which, ds->d);
    if (ds->nclasses > 0 || ds->ycols != 1)
        return nn_fail(e, "regression needs a numeric target; this is a "
                       "classification set (plot boundary draws classifiers "
                       "of 2 features)");
    return 0;
}

int plot_regression(plot_job *job, nn_model *m, const nn_dataset *train,
                    const nn_dataset *test, const char *loss_name,
                    const plot_out *o, nn_err *e)
{
    if (train->n == 0 && (!test || test->n == 0))
        return nn_fail(e, "no data to plot");
    if (check_set(train, "training", e) < 0 ||
        (test && check_set(test, "test", e) < 0))
        return -1;
    if (m) {
        int in = nn_model_input(m), on = nn_model_output(m);
        if (in < 0 || on < 0 || on == in)
            m = NULL;              /* an input alone: no curve yet */
        else if (nn_model_check_columns(m, 1, e) != NN_OK)
            return NN_FAIL;
        else if (m->nodes[on].size != 1)
            return nn_fail(e, "the model has %d outputs; plot regression draws "
                           "one", m->nodes[on].size);
    }
    double lo = INFINITY, hi = -INFINITY;
    const nn_dataset *sets[2] = {train, test};
    for (int k = 0; k < 2; k++)
        for (int i = 0; sets[k] && i < sets[k]->n; i++) {
            double v = nn_dataset_at(sets[k], (size_t)i);
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    plot_pad_range(&lo, &hi, 0.05);
    char title[160];
    if (m && loss_name && *loss_name)
        snprintf(title, sizeof title, "Regression: the data and the model "
                 "(loss=%s)", loss_name);
    else if (m)
        snprintf(title, sizeof title, "Regression: the data and the model");
    else
        snprintf(title, sizeof title, "Regression data (no model yet)");
    plot_lines f;
    plot_lines_init(&f, "regression", title);
    const char *xl = train->feature_names ? train->feature_names[0] : "x";
    plot_panel *p = plot_lines_panel(&f, NULL, xl, "y");
    for (int k = 0; k < 2; k++) {
        const nn_dataset *ds = sets[k];
        if (!ds || ds->n == 0)
            continue;
        double *x = plot_lines_array(&f, ds->n), *y = plot_lines_array(&f, ds->n);
        if (!x || !y)
            break;
        for (int i = 0; i < ds->n; i++) {
            x[i] = nn_dataset_at(ds, (size_t)i);
            y[i] = ds->y[i];
        }
        plot_series *s = plot_panel_series(p, k ? "test" : "train",
                                           k ? "test" : "train", x, y,
                                           ds->n, PLOT_POINTS, k ? 1 : 0);
        if (s) {
            s->point = k ? 1 : 0;
            s->glyph = k ? '+' : '.';
        }
    }
    if (m && !f.oom) {
        double *x = plot_lines_array(&f, CURVE_POINTS);
        double *y = plot_lines_array(&f, CURVE_POINTS);
        float *xf = malloc(CURVE_POINTS * sizeof *xf);
        float *yf = malloc(CURVE_POINTS * sizeof *yf);
        nn_err pe = {{0}};
        int ok = x && y && xf && yf;
        if (ok) {
            for (int i = 0; i < CURVE_POINTS; i++) {
                x[i] = lo + (hi - lo) * i / (CURVE_POINTS - 1);
                xf[i] = (float)x[i];
            }
            ok = nn_model_predict(m, xf, 1, CURVE_POINTS, yf, &pe) == NN_OK;
            for (int i = 0; ok && i < CURVE_POINTS; i++)
                y[i] = yf[i];
        }
        free(xf);
        free(yf);
        if (!ok) {
            plot_lines_free(&f);
            return pe.msg[0] ? nn_fail(e, "%s", pe.msg)
                             : nn_fail(e, "out of memory");
        }
        plot_series *s = plot_panel_series(p, "model", "model", x, y,
                                           CURVE_POINTS, PLOT_LINES, 3);
        if (s) {
            s->width = 2.5;
            s->glyph = '#';
        }
    }
    if (f.oom) {
        plot_lines_free(&f);
        return nn_fail(e, "out of memory");
    }
    p->xmin = lo;
    p->xmax = hi;
    snprintf(p->key, sizeof p->key, "top left");
    return plot_lines_finish(&f, o, job, "regression", e);
}
