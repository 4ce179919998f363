/* plot_layers.c - plot hist: histograms, one per layer overlaid, of the
 * Dense kernels' weights, of their last gradients, or of the layers'
 * outputs (activations) on a split's first n samples. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_plot.h"

/* plot hist weights|grads|activations [LAYER] [split=train] [n=500] */
int repl_plot_hist(repl_session *s, const repl_args *a, plot_job *job,
                   const plot_out *o, nn_err *e)
{
    static const char *const kinds[] = {"weights", "grads", "activations", NULL};
    int kind = nn_lookup(kinds, a->pos[1]);
    if (kind < 0) {
        const char *hint = repl_suggest(a->pos[1], kinds);
        return repl_error(s, "plot", "hist shows weights, grads or activations "
                          "(got '%s'%s%s%s); e.g. plot hist weights", a->pos[1],
                          *hint ? "; " : "", hint, "");
    }
    nn_model *m = s->model;
    if (!m || m->n == 0)
        return repl_error(s, "plot", "no model yet; start one with: input N, "
                          "then dense UNITS");
    int only = -1;
    if (a->npos > 2 && (only = repl_plot_find_layer(s, a->pos[2])) < 0)
        return -1;
    if (kind < 2 && only >= 0 && m->nodes[only].kind != NN_NODE_DENSE)
        return repl_error(s, "plot", "'%s' has no weights (%s; only Dense "
                          "layers have them)", m->nodes[only].name,
                          nn_node_class[m->nodes[only].kind]);
    if (kind == 1 && (m->grads_step == 0 || !m->grads))
        return repl_error(s, "plot", "no gradients yet: train first (fit or "
                          "step)%s", m->steps > 0 ? "; no step of this model "
                          "kept them (loaded, or a fit stopped early)" : "");
    long nsamp = 500;
    int sp = 0;
    if (repl_opt_int(s, a, "n", &nsamp) < 0 ||
        repl_opt_enum(s, a, "split", &sp) < 0)
        return -1;
    if (kind < 2 && (repl_arg_str(a, "n") || repl_arg_str(a, "split")))
        return repl_error(s, "plot", "n= and split= go with plot hist "
                          "activations (weights and grads need no data)");
    int rows = 0;
    float *buf = NULL;   /* a byte set's rows as floats, read until the end */
    if (kind == 2) {
        if (repl_plot_need_data(s) < 0)
            return -1;
        nn_dataset *ds = repl_split_of(s, sp);
        if (ds->n == 0)
            return repl_error(s, "plot", "there is no %s set; %s",
                              repl_split_names[sp], sp == 2 ? "make one with split "
                              "test_size=0.2" : "make one with split "
                              "valid_size=0.1");
        if (nn_model_check_columns(m, ds->d, e) != NN_OK)
            return repl_error(s, "plot", "%s", e->msg);
        rows = nsamp < ds->n ? (int)nsamp : ds->n;
        if (ds->x8 && !(buf = malloc((size_t)rows * ds->d * sizeof *buf)))
            return repl_error(s, "plot", "out of memory");
        if (nn_model_forward_data(m, nn_dataset_rows(ds, 0, rows, buf), ds->d,
                                  rows, 0, e) != NN_OK) {
            free(buf);
            repl_error(s, "plot", "%s", e->msg);
            return -2;         /* said */
        }
    }
    const char *names[64];
    const float *vals[64];
    size_t counts[64];
    int ns = 0;
    for (int i = 0; i < m->n && ns < 64; i++) {
        const nn_node *nd = &m->nodes[i];
        if (only >= 0 ? i != only
                      : kind < 2 ? nd->kind != NN_NODE_DENSE || nd->shared != i
                                 : nd->kind != NN_NODE_DENSE &&
                                   nd->kind != NN_NODE_ACTIVATION)
            continue;
        const nn_node *own = &m->nodes[nd->shared];
        names[ns] = nd->name;
        if (kind == 0) {
            vals[ns] = m->params + own->w_off;
            counts[ns] = (size_t)own->fan_in * own->dense.units;
        } else if (kind == 1) {
            vals[ns] = m->grads + own->w_off;
            counts[ns] = (size_t)own->fan_in * own->dense.units;
        } else {
            vals[ns] = nd->a;
            counts[ns] = (size_t)rows * nd->size;
        }
        ns++;
    }
    if (ns == 0) {
        free(buf);
        return repl_error(s, "plot", "the model has no Dense layer yet");
    }
    char title[160], xl[64], gwhat[64];
    if (m->grads_step == m->steps)
        snprintf(gwhat, sizeof gwhat, "Kernel gradients (last training batch)");
    else
        snprintf(gwhat, sizeof gwhat, "Kernel gradients (batch of step %ld)",
                 m->grads_step);
    const char *what = kind == 0 ? "Kernel weights" : kind == 1
                       ? gwhat : "Activations";
    if (kind == 2 && ns == 1) {
        /* one layer: say how many outputs are exactly 0 (dead ReLUs) */
        size_t zeros = 0;
        for (size_t i = 0; i < counts[0]; i++)
            zeros += vals[0][i] == 0.0f;
        snprintf(title, sizeof title, "%s of %s on %d %s samples (%.0f%% "
                 "exactly 0)", what, names[0], rows, repl_split_names[sp],
                 counts[0] ? 100.0 * zeros / counts[0] : 0.0);
    } else if (kind == 2)
        snprintf(title, sizeof title, "%s per layer on %d %s samples", what,
                 rows, repl_split_names[sp]);
    else
        snprintf(title, sizeof title, "%s %s%s", what,
                 only >= 0 ? "of " : "per layer", only >= 0 ? names[0] : "");
    snprintf(xl, sizeof xl, "%s", kind == 0 ? "weight" : kind == 1
             ? "gradient dL/dW" : "activation (layer output)");
    int rc = plot_hist(job, title, xl, names, vals, counts, ns, o, e);
    free(buf);
    return rc;
}
