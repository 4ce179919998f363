/* progress.h - Keras 2's progress bar and epoch lines (REFERENCE.md):
 *   Epoch 3/30
 *   1719/1719 [==============================] - 2s 1ms/step - loss: 0.7220 - accuracy: 0.7649
 * On a terminal the bar is redrawn with '\r' while the epoch runs (at
 * most every 50 ms), '>' heading it and " - ETA: 5s" in place of the
 * time; elsewhere one line per epoch.  verbose 0 prints nothing,
 * verbose 2 one line per epoch without the bar (Keras's verbose=2). */
#ifndef REPL_PROGRESS_H
#define REPL_PROGRESS_H

#include "fit.h"

typedef struct repl_progress {
    int verbose;
    int tty;
    int last_epoch;         /* shown as "Epoch N/last_epoch" */
    double epoch_start;     /* seconds */
    double last_draw;
    int nbatches;
} repl_progress;

double repl_now(void);      /* monotonic seconds */
/* Hooks for nn_fit (ctx = repl_progress*). */
int repl_progress_epoch_begin(void *ctx, nn_model *m, int epoch);
int repl_progress_batch_end(void *ctx, nn_model *m, int epoch, int batch,
                            int nbatches, const nn_logs *logs);
int repl_progress_epoch_end(void *ctx, nn_model *m, int epoch, const nn_logs *logs);
/* " - loss: 0.7220 - accuracy: 0.7649" for logs, into buf. */
void repl_format_logs(char *buf, size_t len, const nn_logs *logs);
/* Keras's number format: %.4f, or %.4e when 0 < |v| <= 1e-3. */
void repl_format_value(char *buf, size_t len, double v);
/* 266610 -> "266,610" (Keras's summary); buf holds at least 32 bytes. */
const char *repl_commas(size_t v, char *buf);
/* The shell's tables: %.4f, %.4e for 0 < |v| < 1e-3 and |v| >= 1e6
 * (11 characters, 12 with a 3-digit exponent), "nan", "inf";
 * returns buf. */
const char *repl_num(char *buf, size_t len, double v);

#endif
