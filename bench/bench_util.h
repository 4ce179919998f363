/* bench_util.h - what bench_fit and bench_shell share: the clock, medians,
 * the book's Fashion-MNIST model, the machine's load, running a program. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include "fit.h"

#define MAXRUNS 15
#define NTRAIN 55000            /* the book: X_train_full[:-5000] */

double now(void);                       /* CLOCK_MONOTONIC, seconds */
double median(double *v, int n);        /* sorts v */
/* The book's model (Geron, chapter 10): Flatten, Dense(300, relu),
 * Dense(100, relu), Dense(10, softmax), SGD 0.01, sparse categorical
 * cross-entropy, accuracy; weights drawn from seed. */
extern const int units[3];
nn_model *book_model(uint64_t seed);
/* CPU seconds all processes used so far (/proc/stat), or -1. */
double machine_busy(void);
/* CPU seconds this process and its waited-for children used. */
double self_busy(void);
/* Runs prog with argv, stdin from in_path (or /dev/null), output
 * discarded; wall seconds (-1 when it failed), *maxrss_kb its peak RSS. */
double run_child(const char *prog, char *const argv[], const char *in_path,
                 long *maxrss_kb);

#endif
