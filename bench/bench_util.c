/* bench_util.c - what the benchmarks share (bench_util.h): the clock,
 * medians, the book's model, the machine's load, and running a program. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench_util.h"

double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

const int units[3] = {300, 100, 10};

nn_model *book_model(uint64_t seed)
{
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, seed);
    nn_model *m = nn_model_new(NULL, 1, &e);
    int shape[2] = {28, 28};
    int i = nn_model_add_input(m, shape, 2, NULL, &e);
    i = nn_model_add_flatten(m, i, NULL, &e);
    for (int l = 0; l < 3; l++) {
        nn_dense_cfg c;
        nn_dense_defaults(&c, units[l]);
        c.activation = l < 2 ? NN_ACT_RELU : NN_ACT_SOFTMAX;
        i = nn_model_add_dense(m, i, &c, NULL, &r, &e);
    }
    nn_compile_cfg cc;
    nn_compile_defaults(&cc);
    cc.loss[0].kind = NN_LOSS_SCCE;
    nn_opt_defaults(&cc.opt, NN_OPT_SGD);
    cc.nmetrics = 1;
    cc.metrics[0] = NN_MET_ACCURACY;
    if (i < 0 || nn_model_compile(m, &cc, &e) != NN_OK) {
        fprintf(stderr, "bench: model: %s\n", e.msg);
        exit(1);
    }
    return m;
}

/* CPU seconds all processes used so far (user, nice, system, irq,
 * softirq in /proc/stat), or -1. */
double machine_busy(void)
{
    FILE *f = fopen("/proc/stat", "r");
    if (!f)
        return -1;
    unsigned long long v[7] = {0};
    int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
                   &v[2], &v[3], &v[4], &v[5], &v[6]);
    fclose(f);
    if (n != 7)
        return -1;
    long hz = sysconf(_SC_CLK_TCK);
    return (double)(v[0] + v[1] + v[2] + v[5] + v[6]) / (hz > 0 ? hz : 100);
}

/* CPU seconds this process (and its waited-for children) used. */
double self_busy(void)
{
    struct rusage a, b;
    getrusage(RUSAGE_SELF, &a);
    getrusage(RUSAGE_CHILDREN, &b);
    return a.ru_utime.tv_sec + a.ru_stime.tv_sec + b.ru_utime.tv_sec +
           b.ru_stime.tv_sec + 1e-6 * (a.ru_utime.tv_usec + a.ru_stime.tv_usec +
                                       b.ru_utime.tv_usec + b.ru_stime.tv_usec);
}

/* Runs prog with args, stdin from in_path (or /dev/null), output
 * discarded; returns wall seconds, *maxrss_kb its peak RSS. */
double run_child(const char *prog, char *const argv[],
                        const char *in_path, long *maxrss_kb)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int in = open(in_path ? in_path : "/dev/null", O_RDONLY);
        int out = open("/dev/null", O_WRONLY);
        if (in < 0 || out < 0)
            _exit(127);
        dup2(in, 0);
        dup2(out, 1);
        dup2(out, 2);
        execv(prog, argv);
        _exit(127);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0)
        return -1;
    double t = now() - t0;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return -1;
    if (maxrss_kb)
        *maxrss_kb = ru.ru_maxrss;
    return t;
}
