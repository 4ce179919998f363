/* kernel_io.c - a cell's output (kernel.h).  The shell prints with printf
 * all over repl/, so nothing is rewritten: fd 1 and fd 2 become the write
 * ends of two pipes for the kernel's life, and a reader thread forwards
 * what arrives as `stream` messages (stdout, stderr) as soon as it comes,
 * so fit's epochs show while it trains.  The shell's error lines
 * ("error: CMD: ...") are kept for the cell's error reply instead of being
 * shown twice.  The reader reads and sends under k->lock, so once the
 * pipes are empty under that lock, everything printed so far has gone out
 * (kn_capture_sync): a figure sent after it comes after its text. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "kernel.h"

#define CHUNK 65536
#define FIGURE_MAX ((long)24 << 20)

json_t *kn_text(const char *t, size_t n)
{
    json_t *j = json_stringn(t, n);
    if (j)
        return j;
    char *c = malloc(n ? n : 1);
    if (!c)
        return json_string("");
    for (size_t i = 0; i < n; i++)
        c[i] = (unsigned char)t[i] >= 0x80 ? '?' : t[i];
    j = json_stringn(c, n);
    free(c);
    return j ? j : json_string("");
}

/* Bytes at the end of b[0..n) that start a UTF-8 sequence not yet
 * complete (0 to 3). */
static size_t open_tail(const unsigned char *b, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++) {
        unsigned char c = b[n - k];
        if ((c & 0xC0) == 0x80)
            continue;                     /* a continuation byte */
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        return need > k ? k : 0;
    }
    return 0;
}

static int is_error_line(const char *p, size_t n)
{
    if (n >= 7 && !memcmp(p, "error: ", 7))
        return 1;
    /* FILE:N: error: ... (a line of `run FILE`) */
    for (size_t i = 0; i + 9 <= n; i++)
        if (!memcmp(p + i, ": error: ", 9))
            return 1;
    return 0;
}

static void emit(kn_kernel *k, int which, const char *t, size_t n)
{
    if (!n)
        return;
    if (k->collect) {                     /* inspect: into the buffer */
        if (k->ncollect + n + 1 > k->capcollect) {
            size_t cap = 2 * (k->ncollect + n + 1);
            char *c = realloc(k->collect, cap);
            if (!c)
                return;
            k->collect = c;
            k->capcollect = cap;
        }
        memcpy(k->collect + k->ncollect, t, n);
        k->ncollect += n;
        k->collect[k->ncollect] = 0;
        return;
    }
    if (k->on_output) {
        k->on_output(k, which, t, n);
        return;
    }
    kn_iopub_locked(k, "stream", json_pack("{s:s, s:o}", "name",
                    which ? "stderr" : "stdout", "text", kn_text(t, n)));
}

/* The stderr line held in k->errline: kept as the last error, or shown.
 * Under k->lock. */
static void err_line(kn_kernel *k)
{
    size_t n = k->nerrline;
    if (n && k->errline[n - 1] == '\n' && is_error_line(k->errline, n - 1)) {
        size_t len = n - 1 < sizeof k->last_error ? n - 1
                                                  : sizeof k->last_error - 1;
        memcpy(k->last_error, k->errline, len);
        k->last_error[len] = 0;
    } else {
        emit(k, 1, k->errline, n);
    }
    k->nerrline = 0;
}

/* What fd (pipe which: 0 out, 1 err) holds now, forwarded.  Under k->lock. */
static void drain(kn_kernel *k, int which, int fd)
{
    static char buf[CHUNK + 4];
    size_t c = (size_t)k->ncarry[which];
    memcpy(buf, k->carry[which], c);
    ssize_t got = read(fd, buf + c, CHUNK);
    if (got <= 0)
        return;
    size_t n = c + (size_t)got;
    size_t tail = open_tail((unsigned char *)buf, n);
    n -= tail;
    memcpy(k->carry[which], buf + n, tail);
    k->ncarry[which] = (int)tail;
    if (which == 0) {
        emit(k, 0, buf, n);
        return;
    }
    /* stderr, by whole lines: error lines kept for the reply, the rest
     * shown */
    for (size_t i = 0; i < n; i++) {
        if (k->nerrline < sizeof k->errline)
            k->errline[k->nerrline++] = buf[i];
        if (buf[i] == '\n' || k->nerrline == sizeof k->errline)
            err_line(k);
    }
}

static void *reader(void *arg)
{
    kn_kernel *k = arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);   /* SIGINT is the main thread's */
    for (;;) {
        struct pollfd p[3] = {{k->out_r, POLLIN, 0}, {k->err_r, POLLIN, 0},
                              {k->wake_r, POLLIN, 0}};
        if (poll(p, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        pthread_mutex_lock(&k->lock);
        if (p[0].revents & (POLLIN | POLLHUP))
            drain(k, 0, k->out_r);
        if (p[1].revents & (POLLIN | POLLHUP))
            drain(k, 1, k->err_r);
        pthread_mutex_unlock(&k->lock);
        if (p[2].revents)
            break;
    }
    return NULL;
}

int kn_capture_start(kn_kernel *k)
{
    int out[2], err[2], wake[2];
    if (pipe(out) < 0)
        return -1;
    if (pipe(err) < 0) {
        close(out[0]);
        close(out[1]);
        return -1;
    }
    if (pipe(wake) < 0) {
        close(out[0]);
        close(out[1]);
        close(err[0]);
        close(err[1]);
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    k->saved_out = dup(STDOUT_FILENO);
    k->saved_err = dup(STDERR_FILENO);
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    close(out[1]);
    close(err[1]);
    for (int i = 0; i < 2; i++) {
        int fd = i ? err[0] : out[0];
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        fcntl(fd, F_SETFD, FD_CLOEXEC);     /* gnuplot gets no read end */
    }
    fcntl(wake[0], F_SETFD, FD_CLOEXEC);
    fcntl(wake[1], F_SETFD, FD_CLOEXEC);
    fcntl(k->saved_out, F_SETFD, FD_CLOEXEC);
    fcntl(k->saved_err, F_SETFD, FD_CLOEXEC);
    setvbuf(stdout, NULL, _IOLBF, 0);       /* a line goes out as printed */
    setvbuf(stderr, NULL, _IOLBF, 0);
    k->out_r = out[0];
    k->err_r = err[0];
    k->wake_r = wake[0];
    k->wake_w = wake[1];
    if (pthread_create(&k->reader, NULL, reader, k) != 0)
        return -1;
    k->reader_on = 1;
    return 0;
}

void kn_capture_sync(kn_kernel *k)
{
    fflush(stdout);
    fflush(stderr);
    if (!k->reader_on)
        return;
    for (int tries = 0; tries < 5000; tries++) {    /* 5 s at most */
        int a = 0, b = 0;
        pthread_mutex_lock(&k->lock);
        ioctl(k->out_r, FIONREAD, &a);
        ioctl(k->err_r, FIONREAD, &b);
        pthread_mutex_unlock(&k->lock);
        if (a == 0 && b == 0) {
            pthread_mutex_lock(&k->lock);
            if (k->nerrline)              /* a line with no newline yet */
                err_line(k);
            pthread_mutex_unlock(&k->lock);
            return;
        }
        usleep(1000);
    }
}

void kn_capture_stop(kn_kernel *k)
{
    if (!k->reader_on)
        return;
    kn_capture_sync(k);
    ssize_t w = write(k->wake_w, "x", 1);
    (void)w;
    pthread_join(k->reader, NULL);
    k->reader_on = 0;
    fflush(stdout);
    fflush(stderr);
    dup2(k->saved_out, STDOUT_FILENO);
    dup2(k->saved_err, STDERR_FILENO);
    close(k->saved_out);
    close(k->saved_err);
    close(k->out_r);
    close(k->err_r);
    close(k->wake_r);
    close(k->wake_w);
}

/* ---- figures ---- */

static char *slurp(const char *path, long *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *b = NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (*n = ftell(f)) > 0 && *n <= FIGURE_MAX &&
        fseek(f, 0, SEEK_SET) == 0 && (b = malloc((size_t)*n + 1)) &&
        fread(b, 1, (size_t)*n, f) != (size_t)*n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b)
        b[*n] = 0;
    return b;
}

json_t *kn_figure_data(const char *path, const char *mime)
{
    long n = 0;
    char *b = slurp(path, &n);
    if (!b)
        return NULL;
    json_t *data;
    if (!strcmp(mime, "image/png")) {
        char *enc = malloc(4 * (((size_t)n + 2) / 3) + 1);
        if (!enc) {
            free(b);
            return NULL;
        }
        EVP_EncodeBlock((unsigned char *)enc, (unsigned char *)b, (int)n);
        data = json_pack("{s:s, s:s}", mime, enc, "text/plain",
                         "<nnlab figure>");
        free(enc);
    } else {
        data = json_pack("{s:o, s:s}", mime, kn_text(b, (size_t)n),
                         "text/plain", "<nnlab figure>");
    }
    free(b);
    return data;
}

void kn_show_figure(void *kernel, const char *path, const char *mime)
{
    kn_kernel *k = kernel;
    json_t *data = kn_figure_data(path, mime);
    if (!data) {
        fprintf(stderr, "plot: cannot read the figure back from %s\n", path);
        return;
    }
    kn_capture_sync(k);                   /* the figure after its text */
    kn_iopub(k, "display_data", json_pack("{s:o, s:{}, s:{}}", "data", data,
                                          "metadata", "transient"));
}
