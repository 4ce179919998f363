/* coach.h - the coach: nnlab notices the classic mistakes of chapter 10
 * and says, once, what is wrong and what to do:
 *   warning: COMMAND: what is wrong; what to do (section 10.x)
 * on the stream error lines go to.  A warning never stops a script, never
 * changes a number and never draws a random number; each fires once per
 * session; `set warnings=off` silences them; `warnings` lists those given.
 *
 * The registry (id, name, section, threshold, explanation) is
 * coach_list.h.  The checks live beside what they watch, one file per
 * family:
 *   coach_data.c   the data a fit gets: a sorted validation_split, feature
 *                  scales (called by fit before training)
 *   coach_model.c  the output layer against the loss, symmetric
 *                  initializers (compile, fit), the cause of a NaN loss
 *   coach_train.c  during and after a fit: learning rate, overfitting,
 *                  dead relu units, vanishing gradients (fit's hooks)
 *   coach_eval.c   the test set used for tuning (evaluate), accuracy no
 *                  better than the majority class (after a fit) */
#ifndef REPL_COACH_H
#define REPL_COACH_H

#include <stddef.h>
#include "coach_list.h"
#include "repl.h"

typedef enum repl_warn_id {
#define REPL_W_ENUM(id, name, section, threshold, why) REPL_W_##id,
    REPL_WARNINGS(REPL_W_ENUM)
#undef REPL_W_ENUM
    REPL_W_COUNT
} repl_warn_id;

typedef struct repl_warning_info {
    const char *name, *section, *threshold, *why;
} repl_warning_info;
extern const repl_warning_info repl_warnings[REPL_W_COUNT];

/* Prints "warning: cmd: <fmt ...> (section S)" for id (with the script's
 * file and line, as errors have them) unless warnings are off or id was
 * given already; keeps the line for `warnings`. */
void repl_warn(repl_session *s, repl_warn_id id, const char *cmd,
               const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* 1 when repl_warn would print id (on, not given yet): checks that cost a
 * pass over the data ask first. */
int repl_warn_due(const repl_session *s, repl_warn_id id);

/* coach_data.c: before a fit on s->train with validation_split vs; 1
 * when it warned of the feature scales (then what they cause, dead units
 * and vanishing gradients, is not blamed on the network). */
int repl_coach_fit_data(repl_session *s, double vs);

/* coach_model.c */
void repl_coach_compile(repl_session *s);
/* before a fit: the checks that need the data (loss against labels) */
void repl_coach_fit_model(repl_session *s);
/* When a NaN loss comes from a cross-entropy's log of an output that is
 * not a probability: that cause, as a sentence, in buf (returned); else
 * NULL.  Given whether warnings are on or off: it replaces the hint of
 * the NaN message, it is not a warning. */
const char *repl_coach_nan_cause(const repl_session *s, char *buf, size_t len);

/* coach_train.c: one fit's watch, kept in fit's context.  The hooks only
 * record; repl_coach_fit_end prints, after the progress bar. */
typedef struct repl_coach_fit {
    int on;                   /* warnings on when the fit began */
    int ntrain, bs;           /* training rows, batch size */
    double prev_sum;          /* loss running mean x rows, this epoch */
    int nseen;                /* batches smoothed */
    double ema, ema_first, ema_min;
    int lr_high;              /* the smoothed loss rose over 4 x its min */
    double lr_from, lr_to;
    int data_blamed;          /* the feature scales were warned of */
    int overfit;              /* epoch (1-based) where it was seen, or 0 */
    int scanned, best;        /* history rows seen; the lowest val_loss's */
    int best_epoch;           /* the epoch of the lowest val_loss then */
    double best_val, last_val;
} repl_coach_fit;

/* Before a fit of validation_split vs (0 for none) on ntrain rows in
 * batches of batch_size: starts c and runs the checks of the data and of
 * the model against it (coach_data.c, repl_coach_fit_model). */
void repl_coach_fit_begin(repl_session *s, repl_coach_fit *c, double vs,
                          int ntrain, int batch_size);
void repl_coach_batch(repl_coach_fit *c, int batch, const nn_logs *logs);
void repl_coach_epoch(repl_session *s, repl_coach_fit *c);
/* After fit (res NULL when it failed). */
void repl_coach_fit_end(repl_session *s, repl_coach_fit *c,
                        const nn_fit_result *res);

/* coach_eval.c */
void repl_coach_evaluate(repl_session *s, int split);
/* After fit (res NULL when it failed): counts the fit, checks the
 * accuracy against the majority class unless explained (a warning of
 * this fit already named a cause). */
void repl_coach_after_fit(repl_session *s, const nn_fit_result *res,
                          int explained);
void repl_coach_data_loaded(repl_session *s);     /* new data: counts restart */

#endif
