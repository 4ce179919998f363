/* print.h - the shell's shared printers: a matrix as an aligned table
 * (NumPy's summary of a large array), a tensor's summary statistics, a
 * layer's one-line description. */
#ifndef REPL_PRINT_H
#define REPL_PRINT_H

#include <stddef.h>
#include <stdio.h>
#include "model.h"

/* Prints a float matrix (rows, cols) as an aligned table, in full when
 * small, else the corners with "..." (for weights, predict, show data). */
void repl_print_matrix(FILE *f, const float *a, int rows, int cols,
                       int max_rows, int max_cols);

/* Summary of n values: mean, std (population, as np.std), min, max and
 * L2 norm sqrt(sum a_i^2). */
typedef struct repl_stats {
    double mean, std, min, max, l2;
} repl_stats;

repl_stats repl_stats_of(const float *a, size_t n);
/* "  mean M  std S  min A  max B" and a newline, on stdout. */
void repl_print_stats(const repl_stats *st);
/* "Dense(8, activation=relu)", "Activation(tanh)", "Flatten", ... */
void repl_layer_desc(const nn_node *nd, char *buf, size_t len);

#endif
