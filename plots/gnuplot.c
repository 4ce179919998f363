/* gnuplot.c - the gnuplot process: find, start, run a script and wait for
 * it, notice when it dies.  See gnuplot.h for the protocol. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "gnuplot.h"
#include "script.h"

struct plot_gp {
    pid_t pid;                /* 0 when none runs */
    int in, out, err;         /* our ends: gnuplot's stdin, stdout, stderr */
    char path[1024];          /* the program we started */
    char terminals[2048];     /* GPVAL_TERMINALS, space-separated */
    unsigned long nrun;       /* marker serial */
    int timeout_ms;
    const volatile sig_atomic_t *interrupt;
    plot_buf obuf, ebuf;      /* what the last run printed */
    int started;              /* a process was ever started */
    char why[128];            /* how the last process ended */
};

plot_gp *plot_gp_new(void)
{
    plot_gp *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->in = g->out = g->err = -1;
    g->timeout_ms = 60000;
    plot_buf_init(&g->obuf);
    plot_buf_init(&g->ebuf);
    return g;
}

static void close_fds(plot_gp *g)
{
    if (g->in >= 0)
        close(g->in);
    if (g->out >= 0)
        close(g->out);
    if (g->err >= 0)
        close(g->err);
    g->in = g->out = g->err = -1;
}

static void describe_status(int status, char *why, size_t len)
{
    if (WIFSIGNALED(status))
        snprintf(why, len, "killed by signal %d", WTERMSIG(status));
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        snprintf(why, len, "could not be run (exit status 127)");
    else if (WIFEXITED(status))
        snprintf(why, len, "exited with status %d", WEXITSTATUS(status));
    else
        snprintf(why, len, "stopped");
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Reaps the child: waits up to wait_ms for it to leave on its own, then
 * kills it.  Writes why it ended. */
static void reap(plot_gp *g, int wait_ms, char *why, size_t len)
{
    close_fds(g);
    if (g->pid <= 0)
        return;
    int status = 0;
    pid_t r = 0;
    for (int waited = 0;; waited += 10) {
        r = waitpid(g->pid, &status, WNOHANG);
        if (r != 0 || waited >= wait_ms)
            break;
        sleep_ms(10);
    }
    if (r == 0) {
        /* its process group too: helpers it started would hold our pipes */
        kill(-g->pid, SIGKILL);
        kill(g->pid, SIGKILL);
        while ((r = waitpid(g->pid, &status, 0)) < 0 && errno == EINTR)
            ;
    }
    if (r == g->pid)
        describe_status(status, g->why, sizeof g->why);
    else
        snprintf(g->why, sizeof g->why, "stopped");
    if (why && len)
        snprintf(why, len, "%s", g->why);
    g->pid = 0;
    g->terminals[0] = 0;
}

void plot_gp_free(plot_gp *g)
{
    if (!g)
        return;
    /* end of input makes gnuplot exit; a window with persist stays */
    reap(g, 2000, NULL, 0);
    plot_buf_free(&g->obuf);
    plot_buf_free(&g->ebuf);
    free(g);
}

static int executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
           access(path, X_OK) == 0;
}

int plot_gp_find(const char *override, char *buf, size_t len)
{
    const char *name = override && *override ? override : "gnuplot";
    snprintf(buf, len, "%s", name);
    if (strchr(name, '/'))
        return executable(name);
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/bin:/bin";
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t n = colon ? (size_t)(colon - path) : strlen(path);
        if (n == 0)
            snprintf(buf, len, "./%s", name);
        else
            snprintf(buf, len, "%.*s/%s", (int)n, path, name);
        if (executable(buf))
            return 1;
        path += n;
        if (*path == ':')
            path++;
    }
    snprintf(buf, len, "%s", name);
    return 0;
}

int plot_gp_alive(plot_gp *g, char *why, size_t len)
{
    if (why && len)
        why[0] = 0;
    if (g->pid <= 0)
        return 0;
    int status;
    pid_t r = waitpid(g->pid, &status, WNOHANG);
    if (r == 0)
        return 1;
    if (why && len) {
        if (r == g->pid)
            describe_status(status, why, len);
        else
            snprintf(why, len, "stopped");
    }
    close_fds(g);
    g->pid = 0;
    g->terminals[0] = 0;
    return 0;
}

static int cloexec_pipe(int fd[2])
{
    if (pipe(fd) != 0)
        return -1;
    fcntl(fd[0], F_SETFD, FD_CLOEXEC);
    fcntl(fd[1], F_SETFD, FD_CLOEXEC);
    return 0;
}

int plot_gp_start(plot_gp *g, const char *path, char *msg, size_t len)
{
    if (plot_gp_alive(g, NULL, 0))
        return 0;
    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
    if (cloexec_pipe(in) || cloexec_pipe(out) || cloexec_pipe(err)) {
        snprintf(msg, len, "cannot start gnuplot: %s", strerror(errno));
        for (int i = 0; i < 2; i++) {
            if (in[i] >= 0)
                close(in[i]);
            if (out[i] >= 0)
                close(out[i]);
            if (err[i] >= 0)
                close(err[i]);
        }
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(msg, len, "cannot start gnuplot: %s", strerror(errno));
        close(in[0]); close(in[1]); close(out[0]); close(out[1]);
        close(err[0]); close(err[1]);
        return -1;
    }
    if (pid == 0) {
        /* the child: only async-signal-safe calls until exec */
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        setpgid(0, 0);             /* Ctrl-C at the shell is not for us */
        signal(SIGPIPE, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        execl(path, "gnuplot", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    g->pid = pid;
    g->started = 1;
    g->in = in[1];
    g->out = out[0];
    g->err = err[0];
    fcntl(g->in, F_SETFL, fcntl(g->in, F_GETFL) | O_NONBLOCK);
    fcntl(g->out, F_SETFL, fcntl(g->out, F_GETFL) | O_NONBLOCK);
    fcntl(g->err, F_SETFL, fcntl(g->err, F_GETFL) | O_NONBLOCK);
    snprintf(g->path, sizeof g->path, "%s", path);

    /* which terminals this gnuplot has (gnuplot-nox: no window) */
    static const char ask[] = "set print \"-\"\nprint GPVAL_TERMINALS\nset print\n";
    const char *o;
    size_t olen;
    char m[256];
    int rc = plot_gp_run(g, ask, sizeof ask - 1, &o, &olen, m, sizeof m);
    if (rc < 0) {
        if (rc == PLOT_GP_DIED)
            snprintf(msg, len, "%s did not start (%s)", path, g->why);
        else
            snprintf(msg, len, "%s does not answer like gnuplot (%s)", path, m);
        reap(g, 0, NULL, 0);
        return -1;
    }
    while (olen && (o[olen - 1] == '\n' || o[olen - 1] == ' '))
        olen--;
    snprintf(g->terminals, sizeof g->terminals, "%.*s", (int)olen, o);
    return 0;
}

const char *plot_gp_terminals(const plot_gp *g)
{
    return g->terminals;
}

int plot_gp_has_terminal(const plot_gp *g, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = g->terminals; (p = strstr(p, name)) != NULL; p += n)
        if ((p == g->terminals || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0))
            return 1;
    return 0;
}

long plot_gp_pid(const plot_gp *g)
{
    return g->pid > 0 ? (long)g->pid : 0;
}

void plot_gp_set_timeout(plot_gp *g, int ms)
{
    g->timeout_ms = ms > 0 ? ms : 60000;
}

void plot_gp_set_interrupt(plot_gp *g, const volatile sig_atomic_t *flag)
{
    g->interrupt = flag;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Position of the marker in b, or -1.  gnuplot prints it last, after
 * everything the script made it write (which may not end in a newline:
 * sixel), so it ends the text. */
static long find_marker(const plot_buf *b, const char *marker)
{
    size_t m = strlen(marker);
    if (b->len < m)
        return -1;
    const char *s = plot_buf_str(b);
    if (memcmp(s + b->len - m, marker, m) != 0)
        return -1;
    return (long)(b->len - m);
}

/* Drains fd into b; 1 at end of file, 0 otherwise, -1 on error. */
static int drain(int fd, plot_buf *b)
{
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n > 0) {
            plot_buf_add(b, chunk, (size_t)n);
            continue;
        }
        if (n == 0)
            return 1;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        return -1;
    }
}

/* Drains fd into b up to the marker: 1 when it has come (b then ends
 * before it), 0 while it has not, -1 when fd ended or failed first. */
static int read_to_marker(int fd, plot_buf *b, const char *marker)
{
    int d = drain(fd, b);
    long at = find_marker(b, marker);
    if (at >= 0) {
        b->len = (size_t)at;
        b->s[at] = 0;
        return 1;
    }
    return d != 0 ? -1 : 0;
}

/* gnuplot's standard error, cut to what matters: the first error message
 * ("line 0: undefined variable: foo") or, failing that, the first
 * warning.  Returns PLOT_GP_ERROR, PLOT_GP_WARN or PLOT_GP_OK. */
static int judge_stderr(const char *text, char *msg, size_t len)
{
    char first_warn[512] = "";
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)n, p);
        p += n + (e ? 1 : 0);
        char *l = line;
        while (*l == ' ' || *l == '\t')
            l++;
        size_t ll = strlen(l);
        while (ll && (l[ll - 1] == ' ' || l[ll - 1] == '\r'))
            l[--ll] = 0;
        /* the echo of the command and the caret under it */
        if (!*l || strncmp(l, "gnuplot>", 8) == 0 || strspn(l, "^") == ll)
            continue;
        /* "line 0: msg" or "\"-\", line 3: msg" */
        char *c = strstr(l, "line ");
        if (c && (c == l || c[-1] == ' ')) {
            char *colon = strchr(c, ':');
            if (colon) {
                l = colon + 1;
                while (*l == ' ')
                    l++;
            }
        }
        if (strncmp(l, "warning:", 8) == 0) {
            if (!first_warn[0]) {
                l += 8;
                while (*l == ' ')
                    l++;
                snprintf(first_warn, sizeof first_warn, "%s", l);
            }
            continue;
        }
        snprintf(msg, len, "%s", l);
        return PLOT_GP_ERROR;
    }
    if (first_warn[0]) {
        snprintf(msg, len, "%s", first_warn);
        return PLOT_GP_WARN;
    }
    return PLOT_GP_OK;
}

int plot_gp_run(plot_gp *g, const char *script, size_t len, const char **out,
                size_t *outlen, char *msg, size_t msglen)
{
    plot_buf_clear(&g->obuf);
    plot_buf_clear(&g->ebuf);
    *out = "";
    *outlen = 0;
    msg[0] = 0;
    char why[128];
    if (!plot_gp_alive(g, why, sizeof why)) {
        snprintf(msg, msglen, "gnuplot is not running%s%s", why[0] ? ": " : "",
                 why);
        return PLOT_GP_DIED;
    }
    char marker[64], tail[256];
    snprintf(marker, sizeof marker, "@@nnlab-done-%lu@@\n", ++g->nrun);
    int tl = snprintf(tail, sizeof tail,
                      "\nset print \"-\"\nprint \"%.*s\"\nset print\n"
                      "print \"%.*s\"\n", (int)strlen(marker) - 1, marker,
                      (int)strlen(marker) - 1, marker);
    const char *seg[2] = {script, tail};
    size_t seglen[2] = {len, (size_t)tl}, off = 0;
    int si = 0, done_out = 0, done_err = 0;
    long deadline = now_ms() + g->timeout_ms;
    const char *fail = NULL;
    while (!(done_out && done_err)) {
        while (si < 2 && off == seglen[si]) {
            si++;
            off = 0;
        }
        struct pollfd p[3];
        int np = 0, iw = -1, io = -1, ie = -1;
        if (si < 2) {
            p[np].fd = g->in;
            p[np].events = POLLOUT;
            iw = np++;
        }
        if (!done_out) {
            p[np].fd = g->out;
            p[np].events = POLLIN;
            io = np++;
        }
        if (!done_err) {
            p[np].fd = g->err;
            p[np].events = POLLIN;
            ie = np++;
        }
        long left = deadline - now_ms();
        if (left <= 0) {
            fail = "timeout";
            break;
        }
        if (g->interrupt && *g->interrupt) {
            fail = "interrupt";
            break;
        }
        int r = poll(p, (nfds_t)np, left > 200 ? 200 : (int)left);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            fail = "poll";
            break;
        }
        if (iw >= 0 && (p[iw].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = write(g->in, seg[si] + off, seglen[si] - off);
            if (n > 0)
                off += (size_t)n;
            else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
                     errno != EINTR) {
                fail = "died";      /* EPIPE: gnuplot is gone */
                break;
            }
        }
        if (io >= 0 && p[io].revents &&
            (done_out = read_to_marker(g->out, &g->obuf, marker)) < 0) {
            fail = "died";
            break;
        }
        if (ie >= 0 && p[ie].revents &&
            (done_err = read_to_marker(g->err, &g->ebuf, marker)) < 0) {
            fail = "died";
            break;
        }
        if (g->obuf.oom || g->ebuf.oom) {
            fail = "oom";
            break;
        }
    }
    if (fail) {
        if (!strcmp(fail, "died")) {
            reap(g, 1000, why, sizeof why);
            snprintf(msg, msglen, "gnuplot stopped while drawing (%s)", why);
        } else {
            reap(g, 0, why, sizeof why);
            if (!strcmp(fail, "timeout"))
                snprintf(msg, msglen, "gnuplot did not finish in %d s, so it "
                         "was stopped", g->timeout_ms / 1000);
            else if (!strcmp(fail, "interrupt"))
                snprintf(msg, msglen, "interrupted; gnuplot was stopped");
            else if (!strcmp(fail, "oom"))
                snprintf(msg, msglen, "out of memory reading gnuplot's output; "
                         "gnuplot was stopped");
            else
                snprintf(msg, msglen, "lost contact with gnuplot (%s); it was "
                         "stopped", strerror(errno));
        }
        return PLOT_GP_DIED;
    }
    *out = plot_buf_str(&g->obuf);
    *outlen = g->obuf.len;
    return judge_stderr(plot_buf_str(&g->ebuf), msg, msglen);
}
