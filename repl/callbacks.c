/* callbacks.c - the callbacks a person adds with `callback`, kept in the
 * session and run during every later fit (Keras 3's keras.callbacks):
 * EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, learning-rate
 * schedules (ExponentialDecay, PiecewiseConstantDecay, 1cycle), CSVLogger
 * and TensorBoard; the TerminateOnNaN switch; the `callbacks` list; and the
 * Keras code that rebuilds them.
 *
 * The state machines and formulas live in the engine (nn/schedule.h,
 * nn/tfevents.h).  This file holds what the others share: the kinds'
 * names, the monitor helpers and the session's list; cmd_callback.c
 * parses the commands into settings; callbacks_fit.c runs them (files,
 * Keras's messages); callbacks_keras.c writes Python: numbers, file names
 * and the Keras code.
 *
 * One callback of each kind: adding a kind again replaces it.  They run in
 * the order they were added, after the progress bar (cmd_fit.c).
 * Decisions where Keras leaves room:
 *   - verbose=1 by default (Keras: 0), so a student sees what happens;
 *   - EarlyStopping and ReduceLROnPlateau start afresh at each fit (as
 *     Keras's on_train_begin); start_from_epoch counts this fit's epochs;
 *     messages number epochs as the progress bar does (continuing);
 *   - ModelCheckpoint's best value is kept across fits, as a Keras
 *     instance keeps it, so a later fit never overwrites a better file;
 *   - CSVLogger with append=false starts the file at the first fit after
 *     the callback was added and appends the fits after it;
 *   - restore_best_weights applies when training ends normally or by a
 *     callback; after Ctrl-C or a NaN the model keeps the weights the
 *     shell describes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "callbacks.h"
#include "schedule.h"

const char *const cb_kind_names[] = {
    "earlystopping", "checkpoint", "reduce_lr_on_plateau", "lr_schedule",
    "csvlogger", "tensorboard", NULL
};

const char *const cb_sched_names[] = {"exponential", "piecewise", "onecycle", NULL};
const char *const cb_mode_names[] = {"auto", "min", "max", NULL};

/* ---- small helpers ---- */

int cb_logs_has(const nn_logs *l, const char *key)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->names[i], key) == 0)
            return 1;
    return 0;
}

void cb_logs_keys(const nn_logs *l, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (int i = 0; i < l->n && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "," : "", l->names[i]);
}

/* Every key fit's logs can hold: loss, the metrics, and val_ of each. */
const char *const *cb_possible_keys(void)
{
    static char store[2 * (NN_MET_COUNT + 1)][NN_KEYMAX];
    static const char *table[2 * (NN_MET_COUNT + 1) + 1];
    if (!table[0]) {
        int n = 0;
        for (int v = 0; v < 2; v++) {
            snprintf(store[n], NN_KEYMAX, "%sloss", v ? "val_" : "");
            table[n] = store[n];
            n++;
            for (int k = 0; nn_metric_names[k]; k++) {
                snprintf(store[n], NN_KEYMAX, "%s%s", v ? "val_" : "", nn_metric_names[k]);
                table[n] = store[n];
                n++;
            }
        }
        table[n] = NULL;
    }
    return table;
}

int cb_maximize(const cb *c)
{
    return c->mode == 2 || (c->mode == 0 && nn_monitor_maximize(c->monitor));
}

void cb_free(cb *c)
{
    if (c)
        nn_buf_free(&c->csv);
    free(c);
}

int cb_output_key(const nn_model *m, const char *key, int compiled_only)
{
    if (!m || m->nout < 2)
        return 0;
    if (strncmp(key, "val_", 4) == 0)
        key += 4;
    for (int i = 0; i < m->nout; i++) {
        const char *nm = m->nodes[m->out[i]].name;
        size_t l = strlen(nm);
        if (strncmp(key, nm, l) != 0 || key[l] != '_')
            continue;
        const char *suffix = key + l + 1;
        if (strcmp(suffix, "loss") == 0)
            return 1;
        if (compiled_only) {
            for (int j = 0; j < m->cc.nmetrics; j++)
                if (strcmp(suffix, nn_metric_key(m->cc.metrics[j])) == 0)
                    return 1;
        } else {
            for (int k = 0; k < NN_MET_COUNT; k++)
                if (strcmp(suffix, nn_metric_key((nn_metric_kind)k)) == 0)
                    return 1;
        }
    }
    return 0;
}

void repl_callbacks_free(repl_session *s)
{
    cb_list *l = s->callbacks;
    if (!l)
        return;
    for (int i = 0; i < l->n; i++)
        cb_free(l->items[i]);
    free(l);
    s->callbacks = NULL;
}
