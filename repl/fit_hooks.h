/* fit_hooks.h - what a fit calls besides the engine (cmd_fit.c and
 * cmd_step.c call them): the callbacks a person added (callbacks_fit.c),
 * the live learning curves (plot_render.c) and the gradient record
 * (gradlog.c). */
#ifndef REPL_FIT_HOOKS_H
#define REPL_FIT_HOOKS_H

#include "fit.h"
#include "session.h"

/* callbacks_fit.c: the callbacks a person added with `callback`, run during
 * each fit.  Each hook returns non-zero to stop training. */
typedef struct repl_cb_run repl_cb_run;
/* Starts the session's callbacks for a fit of `epochs` epochs of
 * `nbatches` batches; *run is NULL when none are active.  Returns -1 (after
 * repl_error) when a callback cannot start (e.g. a log file). */
int repl_callbacks_begin(repl_session *s, nn_model *m, int epochs, int nbatches,
                         repl_cb_run **run);
int repl_callbacks_epoch_begin(repl_cb_run *r, nn_model *m, int epoch);
int repl_callbacks_batch_begin(repl_cb_run *r, nn_model *m, int epoch, int batch);
int repl_callbacks_batch_end(repl_cb_run *r, nn_model *m, int epoch, int batch,
                             int nbatches, const nn_logs *logs);
int repl_callbacks_epoch_end(repl_cb_run *r, nn_model *m, int epoch,
                             const nn_logs *logs);
/* After fit (whatever stopped it): restores best weights, closes files,
 * prints the final messages; frees r. */
void repl_callbacks_end(repl_cb_run *r, repl_session *s, const nn_fit_result *res);
/* Drops the session's callbacks (reset, exit). */
void repl_callbacks_free(repl_session *s);

/* keras.c: Python lines that rebuild the session's callbacks in Keras, one
 * per callback, e.g. "keras.callbacks.EarlyStopping(patience=10)"; writes
 * their count into *n and the list expression into buf ("[cb1, cb2]" or
 * "", cut to len), as the `keras` command shows them. */
void repl_callbacks_keras(const repl_session *s, char *buf, size_t len, int *n);

/* plot_render.c: fit plot=live redraws the learning curves after each epoch.
 * begin returns -1 (after repl_error) when plotting is impossible. */
int repl_plot_live_begin(repl_session *s);
void repl_plot_live_epoch(repl_session *s);
/* After every training step (fit and step): records what `plot grads`
 * shows (gradient norm per layer over the steps).  Must be cheap. */
/* Before a fit of nbatches a epoch: the gradient record is made ready
 * for m, sparser for large data (0, or -1 when out of memory: then every
 * step keeps its gradients). */
int repl_plot_grads_begin(repl_session *s, const nn_model *m, int nbatches);
/* Whether the coming step's gradients are recorded (fit's keep_grads). */
int repl_plot_wants_grads(const repl_session *s, const nn_model *m);
void repl_plot_record_step(repl_session *s, const nn_model *m);
/* Closes gnuplot and frees the record of gradient norms (session end). */
void repl_plot_free(repl_session *s);
/* gnuplot's process id, or 0 when none runs (for tests). */
long repl_plot_pid(const repl_session *s);

#endif
