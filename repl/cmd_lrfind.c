/* cmd_lrfind.c - `lrfind`, the learning-rate range test (Smith 2015;
 * fastai's lr_find): the sweep is nn/lrfind.c's, on a copy of the model;
 * this file checks that the model is left as it was, prints the rows and
 * the suggestion, and keeps the curve for `plot lr`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lrfind.h"
#include "progress.h"
#include "repl.h"

static const char *const stop_why[] = {
    "all steps ran",
    "the smoothed loss passed 4x its lowest value (the loss diverges)",
    "the loss became NaN or infinite",
    "interrupted (Ctrl-C)",
};

/* A snapshot of what lrfind must not change: parameters, optimizer state
 * and counters, compared after the run. */
typedef struct model_snap {
    float *p, *m, *v;
    nn_opt opt;
    long steps;
    int epochs_done;
} model_snap;

static int snap_take(model_snap *k, const nn_model *m)
{
    size_t n = m->nparams, on = m->opt.n;
    memset(k, 0, sizeof *k);
    k->p = malloc(n * sizeof(float) + 1);
    k->m = malloc(on * sizeof(float) + 1);
    k->v = malloc(on * sizeof(float) + 1);
    if (!k->p || !k->m || !k->v)
        return -1;
    memcpy(k->p, m->params, n * sizeof(float));
    if (m->opt.m)
        memcpy(k->m, m->opt.m, on * sizeof(float));
    if (m->opt.v)
        memcpy(k->v, m->opt.v, on * sizeof(float));
    k->opt = m->opt;
    k->steps = m->steps;
    k->epochs_done = m->epochs_done;
    return 0;
}

static int snap_same(const model_snap *k, const nn_model *m)
{
    size_t on = m->opt.n;
    return memcmp(k->p, m->params, m->nparams * sizeof(float)) == 0 &&
           (!m->opt.m || memcmp(k->m, m->opt.m, on * sizeof(float)) == 0) &&
           (!m->opt.v || memcmp(k->v, m->opt.v, on * sizeof(float)) == 0) &&
           memcmp(&k->opt.cfg, &m->opt.cfg, sizeof k->opt.cfg) == 0 &&
           k->opt.t == m->opt.t && k->opt.u_prod == m->opt.u_prod &&
           k->steps == m->steps && k->epochs_done == m->epochs_done;
}

static void snap_free(model_snap *k)
{
    free(k->p);
    free(k->m);
    free(k->v);
}

static void print_row(const nn_lrfind_result *r, int i, const char *mark)
{
    char l[32], sm[32];
    repl_format_value(l, sizeof l, r->loss[i]);
    repl_format_value(sm, sizeof sm, r->smooth[i]);
    printf("%6d  %10.3g  %10s  %10s%s\n", i + 1, r->lr[i], l, sm, mark);
}

static int cmd_lrfind(repl_session *s, const repl_args *a)
{
    if (repl_need_data(s, "lrfind") < 0)
        return -1;
    if (!s->model || s->model->nparams == 0)
        return repl_error(s, "lrfind", "no model; build one first, e.g. input, "
                          "dense 8 activation=relu, dense 1 activation=sigmoid");
    if (!s->model->compiled)
        return repl_error(s, "lrfind", "the model is not compiled; run compile "
                          "loss=... optimizer=... first");
    nn_lrfind_opts o;
    nn_lrfind_defaults(&o);
    long steps, bs;
    if (repl_opt_num(s, a, "start", &o.start_lr) < 0 ||
        repl_opt_num(s, a, "end", &o.end_lr) < 0 ||
        repl_opt_int(s, a, "steps", &steps) < 0 ||
        repl_opt_int(s, a, "batch_size", &bs) < 0)
        return -1;
    if (o.end_lr > 1000)
        return repl_error(s, "lrfind", "end must be at most 1000 (got %g)", o.end_lr);
    if (!(o.end_lr > o.start_lr))
        return repl_error(s, "lrfind", "end must be larger than start (got start=%g "
                          "end=%g)", o.start_lr, o.end_lr);
    o.steps = (int)steps;
    o.batch_size = (int)bs;
    o.interrupt = &repl_interrupted;
    nn_err e;
    if (nn_check_data(s->model, &s->train, &e) != NN_OK)
        return repl_error(s, "lrfind", "%s", e.msg);
    model_snap before;
    if (snap_take(&before, s->model) != 0) {
        snap_free(&before);
        return repl_error(s, "lrfind", "out of memory");
    }
    nn_lrfind_result r;
    int bsz = o.batch_size < s->train.n ? o.batch_size : s->train.n;
    printf("lrfind: %d batches of %d on a copy of the model, learning rate from %g "
           "to %g (x%.4f per batch)\n", o.steps, bsz, o.start_lr, o.end_lr,
           exp(log(o.end_lr / o.start_lr) / (o.steps - 1)));
    fflush(stdout);
    if (nn_lrfind(s->model, &s->train, &o, &s->rng, &r, &e) != NN_OK) {
        snap_free(&before);
        return repl_error(s, "lrfind", "%s", e.msg);
    }
    int same = snap_same(&before, s->model);
    snap_free(&before);
    if (r.n > 0) {
        /* ten rows spread over the sweep, and the lowest smoothed loss */
        printf("%6s  %10s  %10s  %10s\n", "batch", "lr", "loss", "smoothed");
        int rows = r.n < 10 ? r.n : 10, last = -1;
        for (int k = 0; k < rows; k++) {
            int i = rows == 1 ? 0 : (int)((long)k * (r.n - 1) / (rows - 1));
            if (r.min_index > last && r.min_index < i)
                print_row(&r, r.min_index, "  <- lowest");
            if (i != last)
                print_row(&r, i, i == r.min_index ? "  <- lowest" : "");
            last = i;
        }
    }
    if (r.stop == NN_LRF_DONE)
        printf("ran all %d batches\n", r.n);
    else
        printf("stopped after %d batch%s at lr %.3g: %s\n",
               r.n + (r.stop == NN_LRF_NAN ? 1 : 0),
               r.n + (r.stop == NN_LRF_NAN ? 1 : 0) == 1 ? "" : "es",
               r.stop == NN_LRF_INTERRUPT ? (r.n ? r.lr[r.n - 1] : o.start_lr) : r.stop_lr,
               stop_why[r.stop]);
    if (r.min_index >= 0 && r.n >= 10) {
        char sm[32];
        repl_format_value(sm, sizeof sm, r.smooth[r.min_index]);
        printf("lowest smoothed loss %s at lr %.3g\n", sm, r.lr[r.min_index]);
        printf("suggested learning_rate: %.3g (rule \"minimum\": the rate at the "
               "lowest smoothed loss / 10, as fastai; the first %d batches are left "
               "out)\n", r.suggestion, o.steps / 10);
        if (r.min_index <= o.steps / 10 + 1)
            printf("note: the loss hardly fell before it climbed; try a lower "
                   "start=\n");
        else if (r.min_index == r.n - 1 && r.stop == NN_LRF_DONE)
            printf("note: the loss was still falling at end=%g; try a larger end= "
                   "to see where it climbs\n", o.end_lr);
    } else {
        printf("too few batches to suggest a rate (%d); try more steps= or a lower "
               "start=\n", r.n);
        r.suggestion = 0;
    }
    if (same)
        printf("model restored: weights and optimizer state unchanged\n");
    else
        printf("warning: the model changed during lrfind; this is a bug, please "
               "report it\n");
    /* for plot lr: the session takes the arrays */
    free(s->lr_rates);
    free(s->lr_losses);
    free(s->lr_smooth);
    s->lr_rates = r.lr;
    s->lr_losses = r.loss;
    s->lr_smooth = r.smooth;
    s->nlr = r.n;
    s->lr_suggest = r.suggestion;
    if (r.n > 0)
        printf("plot lr draws loss against learning rate\n");
    return 0;
}

static const char *const lrfind_help =
    "The learning-rate range test (Smith 2015; Geron ch. 10): trains a COPY of\n"
    "the model for `steps` mini-batches while the learning rate grows by a\n"
    "constant factor each batch, from start to end (1e-5 to 10 over 500:\n"
    "x1.028 per batch), and records the loss of every batch and its smoothed\n"
    "value (fastai: beta 0.98, debiased).  The loss first falls, then climbs\n"
    "and blows up: a good rate is about 10x below where it starts to climb.\n"
    "The sweep stops early when the loss is NaN or infinite (that batch is not\n"
    "recorded) or when the smoothed loss passes 4x its lowest value.\n"
    "\n"
    "Rule for the suggestion (fastai's \"minimum\"): the rate at the lowest\n"
    "smoothed loss, divided by 10.  The first tenth of the batches is left\n"
    "out, so an early spike or a lucky first batch cannot decide it, and a\n"
    "NaN never enters the record.  Look at `plot lr` before trusting it.\n"
    "\n"
    "The model, its optimizer state (momentum, Adam's moments and step\n"
    "count) and the session's random generator are left exactly as they\n"
    "were, and lrfind checks it: later fits give the same numbers as without\n"
    "it.  Ctrl-C stops the sweep and still keeps what was measured.\n"
    "\n"
    "Example:\n"
    "  lrfind start=1e-5 end=10 steps=300\n"
    "  plot lr\n"
    "  compile loss=mse optimizer=sgd learning_rate=0.01\n"
    "\n"
    "Keras has no lr_find; Geron's recipe in Keras (ch. 11 notebook):\n"
    "  factor = np.exp(np.log(10 / 1e-5) / 500)\n"
    "  lr_cb = keras.callbacks.LambdaCallback(on_batch_end=lambda batch, logs:\n"
    "      model.optimizer.learning_rate.assign(model.optimizer.learning_rate * factor))\n"
    "  model.fit(X, y, epochs=1, callbacks=[lr_cb])   # then restore the weights\n"
    "nnlab differs: it works on a copy (nothing to restore), smooths the loss\n"
    "and stops on divergence as fastai does.";

static const repl_opt lrfind_opts[] = {
    {.name = "start", .type = REPL_T_POS, .shown = "1e-5", .def = "1e-5",
     .help = "the smallest learning rate tried"},
    {.name = "end", .type = REPL_T_POS, .shown = "10", .def = "10",
     .help = "the largest learning rate tried"},
    {.name = "steps", .type = REPL_T_INT, .min = 2, .max = 100000, .shown = "500",
     .def = "500",
     .help = "number of mini-batches the rate grows over"},
    {.name = "batch_size", .type = REPL_T_INT, .min = 1, .max = 1 << 20,
     .shown = "32", .def = "32",
     .help = "samples per step"},
    REPL_END
};

const repl_cmd repl_cmds_lrfind[] = {
    {.name = "lrfind", .topic = "train", .run = cmd_lrfind,
     .opts = lrfind_opts,
     .summary = "learning-rate range test: the loss as the rate grows; suggests a rate",
     .help =
     lrfind_help,
     .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {NULL},
};
