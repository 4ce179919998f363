/* callbacks.h - what the files of the callbacks share (private to
 * repl/): the settings of one callback as `callback` parsed them, the
 * session's list, and the Python-flavoured text helpers.
 *   cmd_callback.c     the `callback` and `callbacks` commands: parsing,
 *                      defaults, the settings as text
 *   callbacks.c        the kinds' names, the monitor helpers, the list
 *   callbacks_fit.c    the repl_callbacks_* hooks fit calls
 *   callbacks_path.c   checkpoint file names (Python's str.format)
 *   keras.c            their Keras code (repl_callbacks_keras) */
#ifndef REPL_CALLBACKS_H
#define REPL_CALLBACKS_H

#include <stddef.h>
#include "repl.h"
#include "buf.h"
#include "pyfmt.h"

/* The key Keras 3 adds to the logs for the learning rate of the epoch
 * (CSVLogger's column, TensorBoard's epoch_learning_rate, {learning_rate}
 * in a checkpoint's name). */
#define CB_LR_KEY "learning_rate"

enum {
    CB_EARLYSTOP,
    CB_CHECKPOINT,
    CB_REDUCE_LR,
    CB_SCHEDULE,
    CB_CSV,
    CB_TENSORBOARD,
    CB_NKINDS
};
enum { SCHED_EXP, SCHED_PIECEWISE, SCHED_ONECYCLE };

extern const char *const cb_kind_names[];     /* by CB_*, NULL-terminated */
extern const char *const cb_sched_names[];    /* by SCHED_* */
extern const char *const cb_mode_names[];     /* auto min max */

#define MAXBOUNDS 16
#define PATHLEN 1024
#define CSVKEYS (2 * NN_MAXKEYS + 1)

typedef struct cb {
    int kind;
    /* monitoring callbacks */
    char monitor[NN_KEYMAX];
    int mode;                     /* 0 auto, 1 min, 2 max */
    int verbose;
    double min_delta;
    int patience;
    /* earlystopping */
    int restore, start_from_epoch, has_baseline;
    double baseline;
    /* checkpoint */
    char path[PATHLEN];           /* also csvlogger's file */
    int save_best_only, save_weights_only;
    double best;                  /* best value saved so far (all fits) */
    /* reduce_lr_on_plateau */
    double factor, min_lr;
    int cooldown;
    /* lr_schedule */
    int sched;
    double lr0, decay_rate, decay_steps;   /* lr0 0: the compiled rate */
    int staircase;
    int nb;
    double bounds[MAXBOUNDS], values[MAXBOUNDS + 1];
    double max_lr, start_lr, last_lr;      /* 0: defaults */
    int cycle_momentum;
    /* csvlogger: the file's content, rewritten whole (atomically) each epoch */
    char sep;
    int append, started;
    nn_buf csv;
    int nkeys;                    /* columns after epoch, once decided */
    char keys[CSVKEYS][NN_KEYMAX];
    /* tensorboard */
    char log_dir[PATHLEN];
    int histogram_freq;
    int update_freq;              /* 0: epoch; N: every N batches */
} cb;

typedef struct cb_list {
    int n;
    cb *items[CB_NKINDS];
} cb_list;

/* Frees one callback (and its CSV text); c may be NULL. */
void cb_free(cb *c);

/* 1 when c's monitored value is better high (mode, or auto by its name). */
int cb_maximize(const cb *c);
/* Every key fit's logs can hold: loss, the metrics, val_ of each. */
const char *const *cb_possible_keys(void);
int cb_logs_has(const nn_logs *l, const char *key);
/* Whether key is [val_]OUTPUT_loss or [val_]OUTPUT_METRIC for an output of
 * m when m has several (what fit logs then, as Keras 3); METRIC any
 * metric, or with compiled_only one m is compiled with. */
int cb_output_key(const nn_model *m, const char *key, int compiled_only);
/* "loss,accuracy,...", as Keras lists the available metrics. */
void cb_logs_keys(const nn_logs *l, char *buf, size_t len);

/* Python's repr() of a float ("1e-05", "0.1", "1.0"): pyfmt.h's one
 * formatter, by its older name. */
#define cb_py_float(buf, len, v) ((void)repl_py_float((buf), (len), (v), REPL_PY_REPR))
/* A checkpoint file name: Python's str.format on the part Keras uses
 * ({epoch}, {epoch:02d}, {val_loss:.4f}, {{, }}).  epoch1 is 1-based; with
 * logs NULL only the template is checked.  0, or -1 with msg filled. */
int cb_format_path(const char *t, int epoch1, const nn_logs *logs, double lr,
                   char *out, size_t outlen, char *msg, size_t msglen);

/* callback_parse.c: the settings of a callback of kind (CB_*) into c,
 * Keras's defaults then the command's words; 0, or -1 after the error. */
int cb_parse_kind(repl_session *s, const repl_args *a, int kind, cb *c);
/* The keywords of the callback form `what` ("checkpoint", "lr_schedule
 * onecycle", "remove") checked against its declaration; 0 or -1. */
int cb_check_form_keys(repl_session *s, const repl_args *a, const char *what);

#endif
