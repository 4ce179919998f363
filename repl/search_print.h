/* search_print.h - what `search` prints and writes (search_print.c):
 * a candidate's searched settings, the results tables, best_params_, the
 * CSV files and the plan's list of the space. */
#ifndef REPL_SEARCH_PRINT_H
#define REPL_SEARCH_PRINT_H

#include <stddef.h>
#include "repl.h"
#include "save.h"
#include "search.h"

/* The split<i> columns of cv_results_ are shown up to this many folds
 * (file= writes them all). */
#define REPL_SEARCH_MAX_SPLIT_COLS 10

/* "dense.units=8, learning_rate=0.1" of the searched keys (more than one
 * value); the fixed ones are said once in the plan. */
void repl_search_params_str(const nn_space *sp, const double *v, char *buf,
                            size_t len);
/* cv_results_: rank, the searched settings, each fold's score (up to
 * REPL_SEARCH_MAX_SPLIT_COLS folds), mean, std, mean_fit_time. */
void repl_search_print_cv_table(const nn_space *sp, const nn_cv_result *res);
/* Keras Tuner's results_summary(num_trials=show): the best trials first. */
void repl_search_print_hb_table(const nn_space *sp, const nn_hb_result *res,
                                int show);
/* "{dense.units: 8, learning_rate: 0.1}" of the searched keys. */
void repl_search_best_params(const nn_space *sp, const double *v, char *buf,
                             size_t len);
/* The results as CSV at path, written atomically (cv_results_ as pandas
 * writes it; Hyperband's trials).  0, or -1 after the error. */
int repl_search_write_cv_csv(repl_session *s, const char *path, const nn_space *sp,
                             const nn_cv_result *res);
int repl_search_write_hb_csv(repl_session *s, const char *path, const nn_space *sp,
                             const nn_hb_result *res);
/* The plan's lines: each searched key and its values, then the settings
 * every fit (or trial) shares. */
void repl_search_print_space(const nn_space *sp, int epochs_fixed, int epochs,
                             int bs_fixed, int bs);

#endif
