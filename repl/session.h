/* session.h - the session: everything a person has built so far (data,
 * model, history, settings, the record), and what reads it. */
#ifndef REPL_SESSION_H
#define REPL_SESSION_H

#include <signal.h>
#include <stdio.h>
#include "nn.h"
#include "rng.h"
#include "dataset.h"
#include "model.h"
#include "history.h"
#include "perceptron.h"
#include "coach_state.h"

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
    char plots_dir[1024];     /* set plots=DIR: every figure also saved
                                 there as figure-NNN.png; "" off */
    int plots_n;              /* figures saved there so far */
    void *gradlog;            /* gradlog.c's record of gradient norms */
    /* training settings the shell keeps between fits */
    int terminate_on_nan;     /* default 1 (callback terminate_on_nan) */
    repl_coach coach;         /* the warnings given, set warnings= (coach.c) */
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
/* Appends a line to the record (s->log), trimmed of outer blanks. */
int repl_log_add(repl_session *s, const char *line);

#endif
