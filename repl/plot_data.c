/* plot_data.c - the plot command's figures of the data with the model:
 * boundary and regression (the points of split=all, or of one split, and
 * the model over them), confusion and images (one split). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_plot.h"

/* The points a figure shows: split=all (train and test), or one split. */
static int points_of(repl_session *s, const repl_args *a, const nn_dataset **tr,
                     const nn_dataset **te)
{
    int k;
    if (repl_opt_enum(s, a, "split", &k) < 0)
        return -1;
    static nn_dataset none;
    *tr = &s->train;
    *te = &s->test;
    if (k > 0) {
        nn_dataset *d = repl_split_of(s, k - 1);
        if (d->n == 0)
            return repl_error(s, "plot", "there is no %s set; %s",
                              repl_split_names[k - 1],
                              k == 3 ? "make one with split test_size=0.2" :
                              k == 2 ? "make one with split valid_size=0.1"
                                     : "load data first");
        *tr = d;
        *te = &none;
    }
    return 0;
}

/* plot boundary [layer=L unit=U] [split=...] */
int repl_plot_boundary(repl_session *s, const repl_args *a, int layer,
                       int unit, plot_job *job, const plot_out *o, nn_err *e)
{
    const nn_dataset *tr, *te;
    if (points_of(s, a, &tr, &te) < 0)
        return -2;
    return plot_boundary(job, repl_plot_model(s), layer, unit, tr, te, o, e);
}

/* plot regression [split=...] */
int repl_plot_regression(repl_session *s, const repl_args *a, plot_job *job,
                         const plot_out *o, nn_err *e)
{
    const nn_dataset *tr, *te;
    if (points_of(s, a, &tr, &te) < 0)
        return -2;
    return plot_regression(job, repl_plot_model(s), tr, te, s->loss_name, o, e);
}

/* The split a figure shows (split=, default def) in *ds and its index in
 * *sp; with n, also n= (1..200, 16) read before the split is looked at.
 * 0, or -2 after an error. */
static int one_split(repl_session *s, const repl_args *a, int def, long *n,
                     nn_dataset **ds, int *sp)
{
    if (repl_opt_enum_or(s, a, "split", def, sp) < 0 ||
        (n && repl_opt_int(s, a, "n", n) < 0))
        return -2;
    *ds = repl_split_of(s, *sp);
    if ((*ds)->n == 0) {
        repl_error(s, "plot", "there is no %s set; %s", repl_split_names[*sp],
                   *sp == 2 ? "make one with split test_size=0.2"
                            : "make one with split valid_size=0.1");
        return -2;
    }
    return 0;
}

/* plot confusion [split=test]: the test set by default, else valid, else
 * train. */
int repl_plot_confusion(repl_session *s, const repl_args *a, plot_job *job,
                        const plot_out *o, nn_err *e)
{
    int def = s->test.n ? 2 : s->valid.n ? 1 : 0, sp;
    nn_dataset *ds;
    if (one_split(s, a, def, NULL, &ds, &sp) < 0)
        return -2;
    return plot_confusion(job, repl_plot_model(s), ds, repl_split_names[sp], o, e);
}

/* plot images [split=train] [n=16] */
int repl_plot_images(repl_session *s, const repl_args *a, plot_job *job,
                     const plot_out *o, nn_err *e)
{
    int sp;
    long n = 16;
    nn_dataset *ds;
    if (one_split(s, a, 0, &n, &ds, &sp) < 0)
        return -2;
    /* text: as many as fit two rows, unless n= says */
    if (plot_out_is_text(o) && !repl_arg_str(a, "n") && ds->ndim == 2) {
        int per = (o->w + 2) / (ds->shape[1] + 2);
        n = per < 1 ? 2 : 2 * per;
    }
    return plot_images(job, repl_plot_model(s), ds, repl_split_names[sp], (int)n, o, e);
}
