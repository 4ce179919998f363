/* progress.c - Keras 2's progress bar (keras/utils/generic_utils.py
 * Progbar, width 30) for fit. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "progress.h"

double repl_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void repl_format_value(char *buf, size_t len, double v)
{
    if (fabs(v) > 1e-3 || v == 0 || !isfinite(v))
        snprintf(buf, len, "%.4f", v);
    else
        snprintf(buf, len, "%.4e", v);
}

/* 266610 -> "266,610" */
const char *repl_commas(size_t v, char *buf)
{
    char t[32];
    int n = snprintf(t, sizeof t, "%zu", v), k = 0;
    for (int i = 0; i < n; i++) {
        buf[k++] = t[i];
        if ((n - i - 1) % 3 == 0 && i != n - 1)
            buf[k++] = ',';
    }
    buf[k] = 0;
    return buf;
}

const char *repl_num(char *buf, size_t len, double v)
{
    if (isnan(v))
        snprintf(buf, len, "nan");
    else if (isinf(v))
        snprintf(buf, len, v > 0 ? "inf" : "-inf");
    else if (v != 0 && (fabs(v) < 1e-3 || fabs(v) >= 1e6))
        snprintf(buf, len, "%.4e", v);   /* a column stays 11 wide */
    else
        snprintf(buf, len, "%.4f", v == 0 ? 0.0 : v);
    return buf;
}

void repl_format_logs(char *buf, size_t len, const nn_logs *logs)
{
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < logs->n && k < len; i++) {
        char v[32];
        repl_format_value(v, sizeof v, logs->values[i]);
        k += (size_t)snprintf(buf + k, len - k, " - %s: %s", logs->names[i], v);
    }
}

/* Keras: "%ds" under a minute, "%d:%02d" under an hour, else h:mm:ss */
static void format_eta(char *buf, size_t len, double eta)
{
    long t = (long)(eta + 0.5);
    if (t >= 3600)
        snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, (t % 3600) / 60, t % 60);
    else if (t >= 60)
        snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
    else
        snprintf(buf, len, "%lds", t);
}

static void format_per_step(char *buf, size_t len, double per)
{
    if (per >= 1 || per == 0)
        snprintf(buf, len, "%.0fs/step", per);
    else if (per >= 1e-3)
        snprintf(buf, len, "%.0fms/step", per * 1e3);
    else
        snprintf(buf, len, "%.0fus/step", per * 1e6);
}

/* "  32/1719 [>.............................]" */
static void bar(char *buf, size_t len, int cur, int total)
{
    int digits = snprintf(NULL, 0, "%d", total);
    int k = snprintf(buf, len, "%*d/%d [", digits, cur, total);
    int w = (int)(30.0 * cur / total);
    for (int i = 0; i < 30 && k + 2 < (int)len; i++) {
        char c = '.';
        if (i < w - 1)
            c = '=';
        else if (i == w - 1)
            c = cur < total ? '>' : '=';
        buf[k++] = c;
    }
    snprintf(buf + k, len - (size_t)k, "]");
}

int repl_progress_epoch_begin(void *ctx, nn_model *m, int epoch)
{
    repl_progress *p = ctx;
    p->epoch_start = p->last_draw = repl_now();
    if (p->verbose)
        printf("Epoch %d/%d\n", epoch + 1, p->last_epoch);
    fflush(stdout);
    return 0;
}

int repl_progress_batch_end(void *ctx, nn_model *m, int epoch, int batch,
                            int nbatches, const nn_logs *logs)
{
    repl_progress *p = ctx;
    p->nbatches = nbatches;
    if (p->verbose != 1 || !p->tty)
        return 0;
    double now = repl_now();
    if (now - p->last_draw < 0.05 && batch + 1 < nbatches)
        return 0;
    p->last_draw = now;
    char b[96], eta[32], l[4096];
    bar(b, sizeof b, batch + 1, nbatches);
    double per = (now - p->epoch_start) / (batch + 1);
    format_eta(eta, sizeof eta, per * (nbatches - batch - 1));
    repl_format_logs(l, sizeof l, logs);
    printf("\r%s - ETA: %s%s\033[K", b, eta, l);
    fflush(stdout);
    return 0;
}

int repl_progress_epoch_end(void *ctx, nn_model *m, int epoch, const nn_logs *logs)
{
    repl_progress *p = ctx;
    if (!p->verbose)
        return 0;
    double el = repl_now() - p->epoch_start;
    int nb = p->nbatches > 0 ? p->nbatches : 1;
    char b[96], per[32], l[4096];
    bar(b, sizeof b, nb, nb);
    format_per_step(per, sizeof per, el / nb);
    repl_format_logs(l, sizeof l, logs);
    if (p->verbose == 2)
        printf("%d/%d - %.0fs%s\n", nb, nb, el, l);
    else
        printf("%s%s - %.0fs %s%s%s\n", p->tty ? "\r" : "", b, el, per, l,
               p->tty ? "\033[K" : "");
    fflush(stdout);
    return 0;
}
