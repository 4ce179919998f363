/* repl.h - the shell: session state, the command table, argument access.
 *
 * Layers: repl/ -> plots/ -> nn/.  Only repl/ talks to the person.  One
 * command table (assembled from one table per topic file, cmd_*.c) is the
 * single source of truth for dispatch, completion and help. */
#ifndef REPL_H
#define REPL_H

#include <signal.h>
#include <stdio.h>
#include "nn.h"
#include "rng.h"
#include "dataset.h"
#include "model.h"
#include "history.h"
#include "fit.h"
#include "perceptron.h"
#include "command.h"
#include "values.h"

/* ---- the session: everything a person has built so far ---- */
#define REPL_LOG_MAX 100000   /* commands `record` keeps at most */
typedef struct repl_session {
    uint64_t seed;            /* --seed / seed N (default 42) */
    nn_rng rng;               /* every random draw of the session */
    /* data: train always present once loaded; valid and test may be empty
     * (n == 0).  Fashion-MNIST fills all three (55,000/5,000/10,000). */
    int have_data;
    nn_dataset train, valid, test;
    char data_name[64];       /* "xor", "iris", "fashion_mnist", file name */
    int scaled;               /* scale applied (fitted on train): 1 standard, 2 minmax */
    nn_scaler scaler;         /* that scaling, for typed samples */
    nn_model *model;          /* NULL before `model`/`input` */
    nn_history hist;          /* every epoch trained on this model */
    char loss_name[64];       /* as the person typed it, for messages */
    nn_perceptron *perc;      /* the last `perceptron`, or NULL */
    int perc_valid;           /* perc was trained on the current data */
    /* how we run */
    int interactive;          /* stdin and stdout are a terminal */
    int keep_going;           /* --keep-going */
    const char *src_file;     /* script being run ("-" for stdin), or NULL */
    int src_line;             /* its current line number */
    int errors;               /* errors so far */
    int quit;                 /* set by quit */
    /* record: the successful commands so far */
    char **log;
    int nlog, caplog;
    long log_dropped;         /* commands past REPL_LOG_MAX, not recorded */
    /* settings (`set`) */
    int verbose;              /* fit's default verbose, 1 */
    char plot_terminal[16];   /* auto | window | text | sixel */
    int plot_w, plot_h;       /* 0 = from the terminal */
    void *plot;               /* plots/ handle, opaque here */
    void *gradlog;            /* cmd_plot.c's record of gradient norms */
    /* training settings the shell keeps between fits */
    int terminate_on_nan;     /* default 1 (callback terminate_on_nan) */
    void *callbacks;          /* callbacks.c's list, active for later fits */
    struct {
        int set;              /* a fit has run */
        int epochs, batch_size, shuffle;
        double validation_split;
        int validation_data;  /* 0 none, 1 valid, 2 test */
        char class_weight[256];
    } last_fit;               /* for the `keras` code export */
    /* last lrfind (for plot lr) */
    int nlr;
    double *lr_rates, *lr_losses, *lr_smooth;
    double lr_suggest;
} repl_session;

/* Ctrl-C: set by the SIGINT handler, read by training between batches. */
extern volatile sig_atomic_t repl_interrupted;

void repl_session_init(repl_session *s, uint64_t seed);
void repl_session_free(repl_session *s);
/* Drops data, model and history; keeps settings and the seed. */
void repl_session_reset(repl_session *s);
/* Applies the session's scaling (if any) to n typed samples x (n, d), so
 * they meet the model as the training data did. */
void repl_scale_rows(const repl_session *s, float *x, int n, int d);
/* Split k of the session's data (0 train, 1 valid, 2 test: the index in
 * repl_split_names). */
nn_dataset *repl_split_of(repl_session *s, int k);
/* 0 when training data is loaded, else -1 after the error for cmd. */
int repl_need_data(repl_session *s, const char *cmd);

/* ---- arguments of one command line ---- */
#define REPL_MAXARGS 64
typedef struct repl_args {
    const char *cmd;                   /* the command word */
    int npos;
    char *pos[REPL_MAXARGS];           /* positional words, unquoted */
    int nkv;
    char *key[REPL_MAXARGS];           /* key=value pairs, unquoted */
    char *val[REPL_MAXARGS];
    char *buf;                         /* owns the strings */
} repl_args;

/* Splits a line into words: blanks separate, '#' outside quotes starts a
 * comment, "..." and '...' quote (backslash escapes inside "..."), a word
 * with '=' (outside quotes, not first char) is key=value.  Returns 0, or
 * -1 with msg filled (unterminated quote, too many words).  An empty or
 * comment-only line gives cmd == NULL. */
int repl_split(const char *line, repl_args *a, char *msg, size_t msglen);
void repl_args_free(repl_args *a);

/* Typed access.  Each returns 1 when the key is present and valid (out
 * set), 0 when absent (out = def), -1 on a bad value, after reporting
 * "error: CMD: KEY must be ... (got VALUE)" through repl_error. */
int repl_arg_int(repl_session *s, const repl_args *a, const char *key,
                 long def, long min, long max, long *out);
int repl_arg_double(repl_session *s, const repl_args *a, const char *key,
                    double def, double min, double max, double *out);
/* min/max exclusive variants are spelled by the message: use
 * repl_arg_pos_double for "> 0" (rejects 0, NaN, inf). */
int repl_arg_pos_double(repl_session *s, const repl_args *a, const char *key,
                        double def, double *out);
int repl_arg_bool(repl_session *s, const repl_args *a, const char *key,
                  int def, int *out);   /* true/false/yes/no/1/0/on/off */
/* Value must be one of table (NULL-terminated); out is its index. */
int repl_arg_enum(repl_session *s, const repl_args *a, const char *key,
                  const char *const *table, int def, int *out);
const char *repl_arg_str(const repl_args *a, const char *key);  /* or NULL */
/* The same, with the default, range and values taken from the keyword's
 * declaration in a's command (opts.c): what handlers use.  The _or forms
 * take the default from the session instead (a declaration whose default
 * depends on it). */
int repl_opt_int(repl_session *s, const repl_args *a, const char *key, long *out);
int repl_opt_int_or(repl_session *s, const repl_args *a, const char *key, long def,
                    long *out);
int repl_opt_num(repl_session *s, const repl_args *a, const char *key, double *out);
int repl_opt_num_or(repl_session *s, const repl_args *a, const char *key, double def,
                    double *out);
int repl_opt_bool(repl_session *s, const repl_args *a, const char *key, int *out);
int repl_opt_bool_or(repl_session *s, const repl_args *a, const char *key, int def,
                     int *out);
int repl_opt_enum(repl_session *s, const repl_args *a, const char *key, int *out);
int repl_opt_enum_or(repl_session *s, const repl_args *a, const char *key, int def,
                     int *out);
/* 1 when w is one of the space-separated words of list. */
int repl_word_in(const char *list, const char *w);
/* Parses a number word the same way (for positionals): 0 ok, -1 bad. */
int repl_parse_long(const char *w, long *out);
int repl_parse_double(const char *w, double *out);

/* Prints "[FILE:LINE: ]error: CMD: MESSAGE" on stderr (stdout flushed
 * first), counts it, returns -1.  Handlers return its value. */
int repl_error(repl_session *s, const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* "did you mean X?" for word among table (edit distance <= 2, counting
 * a swap of neighbours as one; <= 1 for words of 4 letters or fewer), or
 * "". */
const char *repl_suggest(const char *word, const char *const *table);

/* ---- the command table ---- */
/* repl_cmd, repl_opt, repl_form: command.h */

/* One table per topic file, each ended by an entry with name NULL. */
extern const repl_cmd repl_cmds_session[];
extern const repl_cmd repl_cmds_data[];
extern const repl_cmd repl_cmds_split[];
extern const repl_cmd repl_cmds_scale[];
extern const repl_cmd repl_cmds_show[];
extern const repl_cmd repl_cmds_model[];
extern const repl_cmd repl_cmds_compile[];
extern const repl_cmd repl_cmds_fit[];
extern const repl_cmd repl_cmds_step[];
extern const repl_cmd repl_cmds_evaluate[];
extern const repl_cmd repl_cmds_predict[];
extern const repl_cmd repl_cmds_history[];
extern const repl_cmd repl_cmds_expect[];
extern const repl_cmd repl_cmds_callback[];
extern const repl_cmd repl_cmds_lrfind[];
extern const repl_cmd repl_cmds_weights[];
extern const repl_cmd repl_cmds_grads[];
extern const repl_cmd repl_cmds_activations[];
extern const repl_cmd repl_cmds_gradcheck[];
extern const repl_cmd repl_cmds_perceptron[];
extern const repl_cmd repl_cmds_plot[];
extern const repl_cmd repl_cmds_save[];     /* save load */
extern const repl_cmd repl_cmds_export[];   /* export keras */
extern const repl_cmd repl_cmds_lesson[];
extern const repl_cmd repl_cmds_search[];
/* All of them in order, NULL-terminated (commands.c). */
extern const repl_cmd *const repl_cmd_tables[];

/* cmd_save.c: weights LAYER save=FILE.npy / load=FILE.npy (the kernel in
 * FILE.npy, the bias in FILE_bias.npy); 0, or -1 after the error. */
int repl_weights_save(repl_session *s, const char *layer, const char *file);
int repl_weights_load(repl_session *s, const char *layer, const char *file);

/* The assembled table: all commands, NULL-terminated array of pointers. */
const repl_cmd *const *repl_commands(void);
const repl_cmd *repl_find(const char *name);
/* Enumerated values of a keyword, for completion and messages
 * (activation= -> activations, loss= -> losses, ...), or NULL. */
const char *const *repl_key_values(const char *key);

/* ---- extension points of fit (cmd_fit.c calls them) ---- */
/* callbacks.c: the callbacks a person added with `callback`, run during
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

/* cmd_plot.c: fit plot=live redraws the learning curves after each epoch.
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

/* ---- running lines ---- */
/* Runs one line: split, find, check positionals and keywords, call, and
 * on success append the line to the record.  Returns 0 or -1. */
int repl_run_line(repl_session *s, const char *line);
/* Runs a script from f (name for messages).  Stops at the first error
 * unless keep_going.  Returns 0 when no error happened, else -1. */
int repl_run_file(repl_session *s, FILE *f, const char *name);
/* The interactive loop (readline, history, completion, Ctrl-C). */
int repl_interactive(repl_session *s);

/* Shipped files (lessons/...): the first that exists of $NNLAB_DATA/rel
 * (when NNLAB_DATA is set), the source tree's NNLAB_SRCDIR/lessons/rel, and
 * the installed NNLAB_DATADIR/rel.  Writes the path into buf and returns buf,
 * or NULL when the file is nowhere (buf then names the installed path). */
const char *repl_data_path(const char *rel, char *buf, size_t len);
/* 1 when path is a regular file this process may read (datapath.c). */
int repl_file_readable(const char *path);

/* Output helpers. */
int repl_out_is_tty(void);
int repl_term_width(void);

/* ---- additions (shell core) ---- */
/* Appends a line to the record (s->log), trimmed of outer blanks. */
int repl_log_add(repl_session *s, const char *line);
/* Names of all commands, NULL-terminated, in table order (for
 * suggestions and completion). */
const char *const *repl_command_names(void);
/* The `help` handler (help.c), for the session table. */
int repl_cmd_help(repl_session *s, const repl_args *a);
/* Installs the SIGINT handler for the whole session: it only sets
 * repl_interrupted; a second Ctrl-C while the flag is still set (long work
 * that has not stopped yet) falls back to the default action. */
void repl_signals_init(void);

#endif
