/* cmd_callback.c - the `callback` command (add, replace or remove a
 * callback; the terminate_on_nan switch) and `callbacks` (the list), with
 * their declarations, and the settings as text.  Each kind's settings are
 * read in callback_parse.c; the callbacks run in callbacks_fit.c; their
 * Keras code is in keras.c. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "callbacks.h"

/* ---- settings as text (callbacks, confirmations) ---- */

static void describe(const cb *c, char *b, size_t len)
{
    size_t n = 0;
#define ADD(...) do { if (n < len) n += (size_t)snprintf(b + n, len - n, __VA_ARGS__); } while (0)
    switch (c->kind) {
    case CB_EARLYSTOP:
        ADD("monitor=%s min_delta=%g patience=%d mode=%s restore_best_weights=%s "
            "start_from_epoch=%d", c->monitor, c->min_delta, c->patience,
            cb_mode_names[c->mode], c->restore ? "true" : "false", c->start_from_epoch);
        if (c->has_baseline)
            ADD(" baseline=%g", c->baseline);
        ADD(" verbose=%d", c->verbose);
        break;
    case CB_CHECKPOINT:
        ADD("%s monitor=%s save_best_only=%s save_weights_only=%s mode=%s verbose=%d",
            c->path, c->monitor, c->save_best_only ? "true" : "false",
            c->save_weights_only ? "true" : "false", cb_mode_names[c->mode], c->verbose);
        if (c->save_best_only && isfinite(c->best))
            ADD(" (best so far: %.5f)", c->best);
        break;
    case CB_REDUCE_LR:
        ADD("monitor=%s factor=%g patience=%d min_delta=%g cooldown=%d min_lr=%g "
            "mode=%s verbose=%d", c->monitor, c->factor, c->patience, c->min_delta,
            c->cooldown, c->min_lr, cb_mode_names[c->mode], c->verbose);
        break;
    case CB_SCHEDULE:
        ADD("%s", cb_sched_names[c->sched]);
        if (c->sched == SCHED_EXP) {
            if (c->lr0 > 0)
                ADD(" initial_learning_rate=%g", c->lr0);
            else
                ADD(" initial_learning_rate=(the compiled rate)");
            ADD(" decay_steps=%g decay_rate=%g staircase=%s", c->decay_steps,
                c->decay_rate, c->staircase ? "true" : "false");
        } else if (c->sched == SCHED_PIECEWISE) {
            ADD(" boundaries=");
            for (int i = 0; i < c->nb; i++)
                ADD("%s%g", i ? "," : "", c->bounds[i]);
            ADD(" values=");
            for (int i = 0; i <= c->nb; i++)
                ADD("%s%g", i ? "," : "", c->values[i]);
        } else {
            if (c->max_lr > 0)
                ADD(" max_lr=%g", c->max_lr);
            else
                ADD(" max_lr=(the compiled rate)");
            if (c->start_lr > 0)
                ADD(" start_lr=%g", c->start_lr);
            else
                ADD(" start_lr=max_lr/10");
            if (c->last_lr > 0)
                ADD(" last_lr=%g", c->last_lr);
            else
                ADD(" last_lr=start_lr/1000");
            ADD(" cycle_momentum=%s", c->cycle_momentum ? "true" : "false");
        }
        break;
    case CB_CSV:
        /* a blank separator quoted, so the line reads back as typed */
        ADD(c->sep == ' ' || c->sep == '\t' ? "%s separator=\"%c\" append=%s"
                                           : "%s separator=%c append=%s",
            c->path, c->sep, c->append ? "true" : "false");
        break;
    case CB_TENSORBOARD:
        ADD("log_dir=%s histogram_freq=%d update_freq=", c->log_dir, c->histogram_freq);
        if (c->update_freq == 0)
            ADD("epoch");
        else if (c->update_freq == 1)
            ADD("batch");
        else
            ADD("%d", c->update_freq);
        break;
    }
#undef ADD
}

/* ---- the `callback` command ---- */

static cb_list *list_of(repl_session *s, int create)
{
    if (!s->callbacks && create)
        s->callbacks = calloc(1, sizeof(cb_list));
    return s->callbacks;
}

static cb *find_kind(const cb_list *l, int kind, int *at)
{
    for (int i = 0; l && i < l->n; i++)
        if (l->items[i]->kind == kind) {
            if (at)
                *at = i;
            return l->items[i];
        }
    return NULL;
}

static int cmd_callback(repl_session *s, const repl_args *a)
{
    const char *what = a->pos[0];
    cb_list *l = list_of(s, 0);
    if (strcmp(what, "terminate_on_nan") == 0) {
        static const char *const onoff[] = {"on", "off", NULL};
        if (cb_check_form_keys(s, a, what) != 0)
            return -1;
        int v = a->npos == 2 ? nn_lookup(onoff, a->pos[1]) : -1;
        if (v < 0)
            return repl_error(s, "callback", "terminate_on_nan takes on or off%s%s%s",
                              a->npos == 2 ? " (got '" : "",
                              a->npos == 2 ? a->pos[1] : "", a->npos == 2 ? "')" : "");
        s->terminate_on_nan = v == 0;
        printf("terminate_on_nan: %s%s\n", v == 0 ? "on" : "off",
               v == 0 ? " (a NaN or infinite loss stops training with the weights "
                        "of the last good batch)"
                      : " (training goes on through a NaN or infinite loss)");
        return 0;
    }
    if (strcmp(what, "remove") == 0) {
        if (cb_check_form_keys(s, a, what) != 0)
            return -1;
        if (a->npos < 2)
            return repl_error(s, "callback", "remove needs a callback name or all, "
                              "e.g. callback remove earlystopping");
        const char *name = a->pos[1];
        if (strcmp(name, "all") == 0) {
            int n = l ? l->n : 0;
            repl_callbacks_free(s);
            printf("removed %d callback%s\n", n, n == 1 ? "" : "s");
            return 0;
        }
        if (strcmp(name, "terminate_on_nan") == 0)
            return repl_error(s, "callback", "terminate_on_nan is a switch: "
                              "callback terminate_on_nan off");
        int kind = nn_lookup(cb_kind_names, name), at = -1;
        if (kind < 0) {
            const char *hint = repl_suggest(name, cb_kind_names);
            return repl_error(s, "callback", "unknown callback '%s'%s%s; callbacks: "
                              "earlystopping checkpoint reduce_lr_on_plateau "
                              "lr_schedule csvlogger tensorboard, or all", name,
                              *hint ? "; " : "", hint);
        }
        cb *c = find_kind(l, kind, &at);
        if (!c)
            return repl_error(s, "callback", "no %s callback to remove; see callbacks",
                              name);
        cb_free(c);
        memmove(&l->items[at], &l->items[at + 1], (size_t)(l->n - at - 1) * sizeof c);
        l->n--;
        printf("removed %s\n", name);
        return 0;
    }
    int kind = nn_lookup(cb_kind_names, what);
    if (kind < 0) {
        const char *hint = repl_suggest(what, repl_form_words(repl_find("callback")));
        return repl_error(s, "callback", "unknown callback '%s'%s%s; callbacks: "
                          "earlystopping checkpoint reduce_lr_on_plateau lr_schedule "
                          "csvlogger tensorboard terminate_on_nan (and remove)", what,
                          *hint ? "; " : "", hint);
    }
    cb c;
    if (cb_parse_kind(s, a, kind, &c) != 0)
        return -1;
    if (kind == CB_SCHEDULE && find_kind(l, CB_REDUCE_LR, NULL))
        return repl_error(s, "callback", "reduce_lr_on_plateau already sets the "
                          "learning rate; remove it first (callback remove "
                          "reduce_lr_on_plateau)");
    if (kind == CB_REDUCE_LR && find_kind(l, CB_SCHEDULE, NULL))
        return repl_error(s, "callback", "lr_schedule already sets the learning "
                          "rate; remove it first (callback remove lr_schedule)");
    int at = -1;
    cb *old = find_kind(l, kind, &at);
    cb *n = malloc(sizeof *n);
    if (!n || !(l = list_of(s, 1))) {
        free(n);
        return repl_error(s, "callback", "out of memory");
    }
    *n = c;
    if (old) {
        cb_free(old);
        l->items[at] = n;
    } else
        l->items[l->n++] = n;
    char d[4096];
    describe(n, d, sizeof d);
    printf("%s %s: %s\n", old ? "replaced" : "added", what, d);
    return 0;
}

static int cmd_callbacks(repl_session *s, const repl_args *a)
{
    (void)a;
    const cb_list *l = s->callbacks;
    if (!l || l->n == 0)
        printf("no callbacks (add one with e.g. callback earlystopping patience=5 "
               "restore_best_weights=true)\n");
    else {
        printf("callbacks, run in this order at every fit:\n");
        for (int i = 0; i < l->n; i++) {
            char d[4096];
            describe(l->items[i], d, sizeof d);
            printf("  %-20s %s\n", cb_kind_names[l->items[i]->kind], d);
        }
    }
    printf("terminate_on_nan: %s\n", s->terminate_on_nan ? "on" : "off");
    return 0;
}

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

static const repl_opt callback_earlystopping_opts[] = {
    {.name = "monitor", .type = REPL_T_TEXT, .values = repl_monitor_values,
     .shown = NULL,
     .help = "the logged value to watch"},
    {.name = "min_delta", .type = REPL_T_NUM, .min = 0, .max = DBL_MAX, .shown = NULL,
     .def = "0",
     .help = "the least change that counts as an improvement"},
    {.name = "patience", .type = REPL_T_INT, .min = 0, .max = 100000, .shown = NULL,
     .def = "0",
     .help = "epochs without improvement before acting"},
    {.name = "mode", .type = REPL_T_ENUM, .values = cb_mode_names, .shown = NULL,
     .def = "auto",
     .help = "min, max, or auto (from the monitored name)"},
    {.name = "restore_best_weights", .type = REPL_T_BOOL, .shown = NULL,
     .def = "false",
     .help = "go back to the best epoch's weights when stopping"},
    {.name = "start_from_epoch", .type = REPL_T_INT, .min = 0, .max = 100000,
     .shown = NULL, .def = "0",
     .help = "epochs to wait before watching"},
    {.name = "baseline", .type = REPL_T_NUM, .min = -DBL_MAX, .max = DBL_MAX,
     .shown = NULL, .help = "stop unless the monitored value beats this"},
    {.name = "verbose", .type = REPL_T_INT, .min = 0, .max = 1,
     .values = repl_verbose01_values, .shown = NULL, .def = "1",
     .help = "1: say what the callback does"},
    REPL_END
};

static const repl_opt callback_checkpoint_opts[] = {
    {.name = "filepath", .type = REPL_T_FILE, .shown = NULL,
     .help = "the file to save the model to ({epoch} and {val_loss:.2f} filled in)"},
    {.name = "monitor", .type = REPL_T_TEXT, .values = repl_monitor_values,
     .shown = NULL,
     .help = "the logged value to watch"},
    {.name = "save_best_only", .type = REPL_T_BOOL, .shown = NULL,
     .def = "false",
     .help = "save only when the monitored value improves"},
    {.name = "save_weights_only", .type = REPL_T_BOOL, .shown = NULL,
     .def = "false",
     .help = "save the weights, not the whole model"},
    {.name = "mode", .type = REPL_T_ENUM, .values = cb_mode_names, .shown = NULL,
     .def = "auto",
     .help = "min, max, or auto (from the monitored name)"},
    {.name = "verbose", .type = REPL_T_INT, .min = 0, .max = 1,
     .values = repl_verbose01_values, .shown = NULL, .def = "1",
     .help = "1: say what the callback does"},
    REPL_END
};

static const repl_opt callback_reduce_lr_on_plateau_opts[] = {
    {.name = "monitor", .type = REPL_T_TEXT, .values = repl_monitor_values,
     .shown = NULL,
     .help = "the logged value to watch"},
    {.name = "factor", .type = REPL_T_TEXT, .shown = NULL,
     .help = "factor the learning rate is multiplied by"},
    {.name = "patience", .type = REPL_T_INT, .min = 0, .max = 100000, .shown = NULL,
     .def = "10",
     .help = "epochs without improvement before acting"},
    {.name = "min_delta", .type = REPL_T_NUM, .min = 0, .max = DBL_MAX, .shown = NULL,
     .def = "1e-4",
     .help = "the least change that counts as an improvement"},
    {.name = "cooldown", .type = REPL_T_INT, .min = 0, .max = 100000, .shown = NULL,
     .def = "0",
     .help = "epochs to wait after a reduction before watching again"},
    {.name = "min_lr", .type = REPL_T_NUM, .min = 0, .max = 1000, .shown = NULL,
     .def = "0",
     .help = "the learning rate is never reduced below this"},
    {.name = "mode", .type = REPL_T_ENUM, .values = cb_mode_names, .shown = NULL,
     .def = "auto",
     .help = "min, max, or auto (from the monitored name)"},
    {.name = "verbose", .type = REPL_T_INT, .min = 0, .max = 1,
     .values = repl_verbose01_values, .shown = NULL, .def = "1",
     .help = "1: say what the callback does"},
    REPL_END
};

static const repl_opt callback_lr_schedule_exponential_opts[] = {
    {.name = "initial_learning_rate", .type = REPL_T_POS, .shown = NULL,
     .help = "the learning rate at step 0"},
    {.name = "decay_steps", .type = REPL_T_POS, .shown = NULL,
     .def = "1000",
     .help = "steps over which the rate decays by decay_rate"},
    {.name = "decay_rate", .type = REPL_T_POS, .shown = NULL,
     .def = "0.1",
     .help = "factor the learning rate is multiplied by every decay_steps"},
    {.name = "staircase", .type = REPL_T_BOOL, .shown = NULL,
     .def = "false",
     .help = "decay in whole steps of decay_steps"},
    REPL_END
};

static const repl_opt callback_lr_schedule_piecewise_opts[] = {
    {.name = "boundaries", .type = REPL_T_TEXT, .shown = NULL,
     .help = "steps where the learning rate changes (comma-separated)"},
    {.name = "values", .type = REPL_T_TEXT, .shown = NULL,
     .help = "the learning rate in each interval (one more than boundaries)"},
    REPL_END
};

static const repl_opt callback_lr_schedule_onecycle_opts[] = {
    {.name = "max_lr", .type = REPL_T_POS, .shown = NULL,
     .help = "the highest learning rate of the cycle"},
    {.name = "start_lr", .type = REPL_T_POS, .shown = NULL,
     .help = "the learning rate at the start of the cycle"},
    {.name = "last_lr", .type = REPL_T_POS, .shown = NULL,
     .help = "the learning rate at the end of the cycle"},
    {.name = "cycle_momentum", .type = REPL_T_BOOL, .shown = NULL,
     .def = "false",
     .help = "move the momentum against the learning rate"},
    REPL_END
};

static const repl_opt callback_csvlogger_opts[] = {
    {.name = "filename", .type = REPL_T_FILE, .shown = NULL,
     .help = "the CSV file to write"},
    {.name = "separator", .type = REPL_T_TEXT, .shown = NULL,
     .help = "the character between values"},
    {.name = "append", .type = REPL_T_BOOL, .shown = NULL,
     .def = "false",
     .help = "add to an existing file instead of starting it anew"},
    REPL_END
};

static const repl_opt callback_tensorboard_opts[] = {
    {.name = "log_dir", .type = REPL_T_FILE, .shown = NULL,
     .help = "the folder for TensorBoard's event files"},
    {.name = "histogram_freq", .type = REPL_T_INT, .min = 0, .max = 100000,
     .shown = NULL, .def = "0",
     .help = "write weight histograms every N epochs (0: never)"},
    {.name = "update_freq", .type = REPL_T_TEXT, .values = repl_update_freq_values,
     .shown = NULL,
     .help = "write logs every epoch or every batch"},
    REPL_END
};

static const repl_form callback_forms[] = {
    {.args = "KIND [FILE|SCHEDULE] [key=value ...]"},
    {.word = "earlystopping", .opts = callback_earlystopping_opts, .hidden = 1},
    {.word = "checkpoint", .args = "FILE", .opts = callback_checkpoint_opts, .hidden = 1},
    {.word = "reduce_lr_on_plateau", .opts = callback_reduce_lr_on_plateau_opts, .hidden = 1},
    {.word = "lr_schedule exponential", .opts = callback_lr_schedule_exponential_opts, .hidden = 1},
    {.word = "lr_schedule piecewise", .opts = callback_lr_schedule_piecewise_opts, .hidden = 1},
    {.word = "lr_schedule onecycle", .opts = callback_lr_schedule_onecycle_opts, .hidden = 1},
    {.word = "csvlogger", .args = "FILE", .opts = callback_csvlogger_opts, .hidden = 1},
    {.word = "tensorboard", .opts = callback_tensorboard_opts, .hidden = 1},
    {.word = "terminate_on_nan", .args = "on|off"},
    {.word = "remove", .args = "KIND|all"},
    {0}
};

const repl_cmd repl_cmds_callback[] = {
    {.name = "callback", .topic = "train", .run = cmd_callback,
     .forms = callback_forms,
     .summary = "add a Keras callback (early stopping, checkpoints, ...) to later fits",
     .help =
     callback_help,
     .minpos = 1, .maxpos = 2, .pos_kind = REPL_POS_FORMS},
    {.name = "callbacks", .topic = "train", .run = cmd_callbacks,
     .summary = "list the active callbacks and their settings",
     .help =
     "Lists the callbacks that run during every fit, in the order they run,\n"
     "with all their settings (the defaults too), and the terminate_on_nan\n"
     "switch.\n"
     "\n"
     "Example:\n"
     "  callbacks\n"
     "\n"
     "Keras: model.fit(..., callbacks=[...]) takes the list at each call.",
     .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {NULL},
};
