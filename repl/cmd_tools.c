/* cmd_tools.c - the training tools: `callback` and `callbacks` (whose
 * work is in callbacks.c) and `lrfind`, the learning-rate range test. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "callbacks.h"
#include "lrfind.h"
#include "progress.h"

/* ---- lrfind ---- */

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
    if (repl_arg_pos_double(s, a, "start", 1e-5, &o.start_lr) < 0 ||
        repl_arg_pos_double(s, a, "end", 10, &o.end_lr) < 0 ||
        repl_arg_int(s, a, "steps", 500, 2, 100000, &steps) < 0 ||
        repl_arg_int(s, a, "batch_size", 32, 1, 1 << 20, &bs) < 0)
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

static const char *const callback_help =
    "Adds a callback that runs during every later fit, until removed (callback\n"
    "remove KIND|all) or reset.  KIND is earlystopping, checkpoint,\n"
    "reduce_lr_on_plateau, lr_schedule, csvlogger or tensorboard; adding a\n"
    "kind again replaces it.  `callbacks` lists them with every setting.\n"
    "Defaults are Keras's, but verbose=1 (Keras: 0) so you see what they do;\n"
    "verbose=0 silences earlystopping, checkpoint and reduce_lr_on_plateau.\n"
    "Monitors: loss, val_loss, a compiled metric (accuracy, mae, ...) or val_\n"
    "of one; mode=auto maximises accuracies and minimises the rest.\n"
    "\n"
    "earlystopping [monitor=val_loss] [min_delta=0] [patience=0] [mode=auto]\n"
    "    [restore_best_weights=false] [start_from_epoch=0] [baseline=X]\n"
    "  Stops when the monitored value has not improved (by more than\n"
    "  min_delta) for patience epochs: \"Epoch N: early stopping\".  With\n"
    "  restore_best_weights the weights of the best epoch come back at the end.\n"
    "  Keras: keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)\n"
    "  nnlab: start_from_epoch counts the epochs of each fit; the best weights\n"
    "  are not restored after Ctrl-C or a NaN loss.\n"
    "checkpoint FILE [monitor=val_loss] [save_best_only=false]\n"
    "    [save_weights_only=false] [mode=auto]\n"
    "  Saves the model (as `save` does, atomically) after each epoch, or only\n"
    "  when the monitored value improves.  FILE may hold {epoch}, {epoch:02d},\n"
    "  {val_loss:.4f} and other logged values.\n"
    "  Keras: keras.callbacks.ModelCheckpoint(\"best.keras\", save_best_only=True)\n"
    "  nnlab: any file name (the keras command writes .keras); the best value\n"
    "  is kept across fits; weights-only files are model files without the\n"
    "  history.\n"
    "reduce_lr_on_plateau [monitor=val_loss] [factor=0.1] [patience=10]\n"
    "    [min_delta=1e-4] [cooldown=0] [min_lr=0] [mode=auto]\n"
    "  Multiplies the learning rate by factor after patience epochs without\n"
    "  improvement, then waits cooldown epochs.\n"
    "  Keras: keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=5)\n"
    "lr_schedule exponential [initial_learning_rate=] [decay_steps=1000]\n"
    "    [decay_rate=0.1] [staircase=false]\n"
    "  lr = initial * decay_rate^(step / decay_steps), step = optimizer updates\n"
    "  so far, set before every batch (initial: the compiled learning_rate).\n"
    "  Keras: keras.optimizers.schedules.ExponentialDecay(0.01, 1000, 0.1)\n"
    "lr_schedule piecewise [boundaries=1000,2000] [values=0.01,0.005,0.001]\n"
    "  values[0] up to step boundaries[0], values[1] up to boundaries[1], ...\n"
    "  Keras: keras.optimizers.schedules.PiecewiseConstantDecay([1000, 2000],\n"
    "         [0.01, 0.005, 0.001])\n"
    "lr_schedule onecycle [max_lr=] [start_lr=max_lr/10] [last_lr=start_lr/1000]\n"
    "    [cycle_momentum=false]\n"
    "  1cycle (Smith 2018), per batch over the whole fit: up from start_lr to\n"
    "  max_lr over the first half of (batches - batches//10 - 1), back down\n"
    "  over the second, then down to last_lr.  cycle_momentum moves sgd's\n"
    "  momentum 0.95 -> 0.85 -> 0.95 the other way.  max_lr defaults to the\n"
    "  compiled learning_rate; lrfind suggests one.\n"
    "  Keras: Geron's OneCycleScheduler (ch. 11), not part of Keras.\n"
    "  In Keras the schedules live in the optimizer; here they are callbacks.\n"
    "  A schedule and reduce_lr_on_plateau cannot both be active.\n"
    "csvlogger FILE [separator=,] [append=false]\n"
    "  Writes one line per epoch: epoch (from 0), then the logged values in\n"
    "  sorted order, flushed each epoch.  Without validation the val_ columns\n"
    "  hold NA, as Keras writes them.\n"
    "  Keras: keras.callbacks.CSVLogger(\"training.csv\")\n"
    "  nnlab: adds learning_rate; append=false starts the file at the first\n"
    "  fit after the callback and appends the later fits; lines end in \\n.\n"
    "tensorboard [log_dir=logs] [histogram_freq=0] [update_freq=epoch|batch|N]\n"
    "  Writes TensorBoard event files in log_dir/train and log_dir/validation:\n"
    "  epoch_loss, epoch_accuracy, ..., epoch_learning_rate at step = epoch\n"
    "  (from 0); LAYER/kernel/histogram and LAYER/bias/histogram every\n"
    "  histogram_freq epochs; batch_loss, ... every batch (or N) with\n"
    "  update_freq.  View them with: tensorboard --logdir logs\n"
    "  Keras: keras.callbacks.TensorBoard(log_dir=\"logs\", histogram_freq=1)\n"
    "  nnlab: no graph or profile; a new event file per fit.\n"
    "terminate_on_nan on|off\n"
    "  On by default: a NaN or infinite loss stops training with the weights\n"
    "  of the last batch with a finite loss.\n"
    "  Keras: keras.callbacks.TerminateOnNaN() (off unless given)\n"
    "\n"
    "Example:\n"
    "  callback earlystopping patience=10 restore_best_weights=true\n"
    "  callback checkpoint best.nnlab save_best_only=true\n"
    "  fit epochs=100 validation_split=0.1";

const repl_cmd repl_cmds_tools[] = {
    {"callback", "train", repl_cmd_callback,
     "callback KIND [FILE|SCHEDULE] [key=value ...] | callback terminate_on_nan "
     "on|off | callback remove KIND|all",
     "add a Keras callback (early stopping, checkpoints, ...) to later fits",
     callback_help,
     "monitor min_delta patience mode restore_best_weights start_from_epoch baseline "
     "verbose filepath save_best_only save_weights_only factor cooldown min_lr "
     "initial_learning_rate decay_steps decay_rate staircase boundaries values "
     "max_lr start_lr last_lr cycle_momentum filename separator append log_dir "
     "histogram_freq update_freq",
     1, 2, REPL_POS_WORDS, repl_callback_words},
    {"callbacks", "train", repl_cmd_callbacks, "callbacks",
     "list the active callbacks and their settings",
     "Lists the callbacks that run during every fit, in the order they run,\n"
     "with all their settings (the defaults too), and the terminate_on_nan\n"
     "switch.\n"
     "\n"
     "Example:\n"
     "  callbacks\n"
     "\n"
     "Keras: model.fit(..., callbacks=[...]) takes the list at each call.",
     "", 0, 0, REPL_POS_NONE, NULL},
    {"lrfind", "train", cmd_lrfind,
     "lrfind [start=1e-5] [end=10] [steps=500] [batch_size=32]",
     "learning-rate range test: the loss as the rate grows; suggests a rate",
     lrfind_help, "start end steps batch_size", 0, 0, REPL_POS_NONE, NULL},
    {NULL},
};
