/* input.c - the interactive loop: readline, history, completion, Ctrl-C.
 *
 * Scripts and piped input never come here (run.c reads them with getline:
 * no prompt, no echo, no history), as lua.c keeps its line reading behind
 * a small facade.
 *
 * Ctrl-C.  One handler for the whole session only sets repl_interrupted
 * (training looks at it between batches).  While readline waits for a
 * key, readline catches SIGINT itself, cleans up, and passes it on to our
 * handler; our key reader then sees the flag, drops the line and shows a
 * fresh prompt (see getc_interruptible for why not rl_signal_event_hook
 * alone).  A second Ctrl-C while the flag is still set (work that has not
 * reached a point where it looks) falls back to the default action, as
 * lua.c does, so a stuck command can always be killed. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>
#include <readline/readline.h>
#include <readline/history.h>
#include "repl.h"
#include "complete.h"

#define HISTORY_MAX 1000

static volatile sig_atomic_t at_prompt;
static int tty_in;                /* the terminal echoes ^C: end its line */

static void on_sigint(int sig)
{
    if (repl_interrupted && !at_prompt) {
        signal(sig, SIG_DFL);     /* the second Ctrl-C: let it kill us */
        raise(sig);               /* delivered when this handler returns */
        return;
    }
    repl_interrupted = 1;
    if (tty_in && !at_prompt) {
        ssize_t r = write(STDERR_FILENO, "\n", 1);   /* async-signal-safe */
        (void)r;
    }
}

void repl_signals_init(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;     /* file reads go on; work checks the flag */
    tty_in = isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
    sigaction(SIGINT, &sa, NULL);
}

int repl_out_is_tty(void)
{
    return isatty(STDOUT_FILENO);
}

int repl_term_width(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *cols = getenv("COLUMNS");
    long n;
    if (cols && repl_parse_long(cols, &n) == 0 && n > 0 && n < 10000)
        return (int)n;
    return 80;
}

/* ---- history ---- */

static char *concat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);
    if (s) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb + 1);
    }
    return s;
}

/* mkdir -p for the directories of path (not its last part). */
static int make_parents(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        int r = mkdir(path, 0700);
        int err = errno;
        *p = '/';
        if (r != 0 && err != EEXIST)
            return -1;
    }
    return 0;
}

/* ${XDG_STATE_HOME:-~/.local/state}/nnlab/history, or NULL.  A relative
 * XDG_STATE_HOME is ignored, as the XDG spec says. */
static char *history_path(void)
{
    const char *xdg = getenv("XDG_STATE_HOME");
    if (xdg && xdg[0] == '/')
        return concat(xdg, "/nnlab/history");
    const char *home = getenv("HOME");
    if (!home || home[0] != '/')
        return NULL;
    return concat(home, "/.local/state/nnlab/history");
}

static int history_warned;

static void history_failed(const char *path, int err)
{
    if (history_warned++)
        return;
    fprintf(stderr, "nnlab: history is not saved: %s: %s\n", path,
            strerror(err));
}

/* ---- Ctrl-C at the prompt ----
 *
 * readline's own rl_getc, on a signal, calls rl_signal_event_hook, which
 * can clear the line but cannot leave a reverse search or a "Display all
 * 150 possibilities? (y or n)" question: those keep reading.  So the keys
 * come through our own getc: when Ctrl-C arrives in the middle of such a
 * thing it hands readline Ctrl-G, the abort key every mode knows, and the
 * line is dropped once readline is back to reading a command. */

#define ABORT_KEY 7                /* Ctrl-G */

static int abort_sent;

static void drop_line(void)
{
    rl_maybe_unsave_line();        /* a line left to browse history */
    rl_replace_line("", 1);
    using_history();               /* the next Up is the newest again */
    rl_crlf();
    rl_on_new_line();
    rl_redisplay();
}

static int at_top(void)
{
    return RL_ISSTATE(RL_STATE_READCMD) != 0;
}

static int on_signal_event(void)
{
    if (!repl_interrupted)
        return 0;
    repl_interrupted = 0;
    drop_line();
    return 0;
}

static int getc_interruptible(FILE *in)
{
    int fd = fileno(in);
    for (;;) {
        /* readline's deferred signals: Ctrl-C (echo ^C, then our handler
         * sets the flag), Ctrl-Z, window size */
        rl_check_signals();
        if (repl_interrupted) {
            repl_interrupted = 0;
            if (!at_top()) {
                abort_sent = 1;
                return ABORT_KEY;
            }
            drop_line();
            continue;
        }
        if (abort_sent && at_top()) {
            abort_sent = 0;
            RL_UNSETSTATE(RL_STATE_COMPLETING);   /* left set by the abort */
            drop_line();
            continue;
        }
        fd_set set;
        FD_ZERO(&set);
        FD_SET(fd, &set);
        if (select(fd + 1, &set, NULL, NULL, NULL) < 0) {
            if (errno == EINTR)
                continue;
            return EOF;
        }
        unsigned char c;
        ssize_t r = read(fd, &c, 1);
        if (r == 1)
            return c;
        if (r == 0)
            return EOF;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int fl = fcntl(fd, F_GETFL);
            if (fl >= 0 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == 0)
                continue;
        }
        return EOF;
    }
}

int repl_interactive(repl_session *s)
{
    rl_readline_name = "nnlab";
    repl_complete_init(s);
    rl_signal_event_hook = on_signal_event;   /* if rl_getc is ever used */
    rl_getc_function = getc_interruptible;

    char *hist = history_path();
    if (hist) {
        stifle_history(HISTORY_MAX);
        if (make_parents(hist) != 0) {
            history_failed(hist, errno);
            free(hist);
            hist = NULL;
        } else if (read_history(hist) == ENOENT) {
            int r = write_history(hist);   /* create it for append_history */
            if (r != 0) {
                history_failed(hist, r);
                free(hist);
                hist = NULL;
            }
        }
    }

    for (;;) {
        repl_interrupted = 0;
        abort_sent = 0;
        at_prompt = 1;
        char *line = readline("nnlab> ");
        at_prompt = 0;
        if (!line) {                      /* Ctrl-D */
            putchar('\n');
            break;
        }
        if (repl_interrupted) {           /* Ctrl-C as the line ended */
            free(line);
            continue;
        }
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p) {
            HIST_ENTRY *last = history_length > 0
                                   ? history_get(history_base +
                                                 history_length - 1)
                                   : NULL;
            if (!last || strcmp(last->line, line) != 0) {
                add_history(line);
                if (hist) {
                    int r = append_history(1, hist);
                    if (r != 0)
                        history_failed(hist, r);
                }
            }
            repl_run_line(s, line);
            fflush(stdout);
        }
        free(line);
        if (s->quit)
            break;
    }
    if (hist) {
        history_truncate_file(hist, HISTORY_MAX);
        free(hist);
    }
    return 0;
}
