/* fuzz_cmd.c - libFuzzer harness for the whole shell: the parser, the
 * dispatcher and every command handler, on a small data set.
 *
 * One session lives across inputs (state bugs need history: a model built
 * by one input, trained by the next), started as
 *     data xor n=50 / input 2 / dense 4 activation=relu /
 *     dense 1 activation=sigmoid / compile loss=binary_crossentropy
 * and rebuilt every REBUILD inputs, or when the record passes MAXLOG
 * lines (`record r.nnl` then `run r.nnl` doubles it each time), so the
 * record and the history stay small.  Each input is a few lines run one by one through repl_run_line,
 * as a script would run them.
 *
 * Bounds, so each input stays fast without editing what the fuzzer typed:
 *   - the memory cap is FUZZ_MEMCAP (set back after every line, since
 *     `set memory_cap=` may raise it), so no model or data set is large;
 *   - a timer raises the Ctrl-C flag LINE_MS after each line starts, so
 *     long training stops as it would for a person pressing Ctrl-C (a
 *     command that ignores Ctrl-C shows up as a libFuzzer timeout: a bug);
 *   - lines holding '/' are skipped (no file outside the scratch folder is
 *     read or written: the commands run in a fresh mkdtemp folder);
 *   - PATH and NNLAB_GNUPLOT lead nowhere, so no gnuplot or other program
 *     is started (plots take their plain-character fallback).
 *
 * FUZZ_CMD_FRESH=1 in the environment: every input starts from a fresh
 * session (to check that a reproducer alone crashes).  The lines of the
 * last KEEP inputs since the session started are kept, as one script, in
 * fuzz_cmd-history.nnl in the folder the fuzzer was started from: after a
 * crash, `nnlab --keep-going fuzz_cmd-history.nnl` replays them. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "repl.h"

#define FUZZ_MEMCAP ((size_t)16 << 20)
#define LINE_MS 60
#define REBUILD 200
#define MAXLOG 5000             /* record + run doubles the record: bound it */
#define KEEP 32                 /* inputs kept in the history file */
#define SLOT 512                /* bytes per input there (max_len is 400) */
#define MAXLINES 24

static repl_session sess;
static int have_sess, fresh, ninputs;
static char startdir[4096];
static char scratch[64];        /* where the commands run (files they write) */

static const char *const setup[] = {
    "data xor n=50",
    "input 2",
    "dense 4 activation=relu",
    "dense 1 activation=sigmoid",
    "compile loss=binary_crossentropy metrics=accuracy",
    NULL
};

static void on_alarm(int sig)
{
    (void)sig;
    repl_interrupted = 1;
}

static void arm(int ms)
{
    struct itimerval t;
    memset(&t, 0, sizeof t);
    t.it_value.tv_sec = ms / 1000;
    t.it_value.tv_usec = (ms % 1000) * 1000;
    setitimer(ITIMER_REAL, &t, NULL);
}

static void session_start(void)
{
    if (have_sess)
        repl_session_free(&sess);
    repl_session_init(&sess, 42);
    sess.keep_going = 1;
    sess.src_file = "fuzz";
    nn_set_memcap(FUZZ_MEMCAP);
    for (int i = 0; setup[i]; i++)
        if (repl_run_line(&sess, setup[i]) != 0)
            abort();            /* the harness itself is broken */
    have_sess = 1;
}

/* The history file: a header, then KEEP slots of SLOT bytes, oldest
 * input first, each padded with newlines, so the file is always a script
 * nnlab can run.  It is a shared mapping: what the harness wrote is in the
 * file even when a sanitizer kills the process (libFuzzer owns the
 * sanitizer's death callback, so there is no hook to write it then). */
static char *hist;
static size_t hist_len, hist_head;

static void history_open(void)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/fuzz_cmd-history.nnl", startdir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return;
    char head[1024];
    int n = snprintf(head, sizeof head, "# keep-going\n# fuzz_cmd: the last "
                     "inputs before the end, oldest first; run it with\n"
                     "# nnlab --keep-going %s\nset memory_cap=%zu\n",
                     "fuzz_cmd-history.nnl", (size_t)FUZZ_MEMCAP);
    hist_head = (size_t)n;
    for (int i = 0; setup[i]; i++)
        hist_head += strlen(setup[i]) + 1;
    hist_len = hist_head + (size_t)KEEP * SLOT;
    if (ftruncate(fd, (off_t)hist_len) == 0) {
        hist = mmap(NULL, hist_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (hist == MAP_FAILED)
            hist = NULL;
    }
    close(fd);
    if (!hist)
        return;
    memcpy(hist, head, (size_t)n);
    char *p = hist + n;
    for (int i = 0; setup[i]; i++) {
        size_t l = strlen(setup[i]);
        memcpy(p, setup[i], l);
        p[l] = '\n';
        p += l + 1;
    }
    memset(hist + hist_head, '\n', (size_t)KEEP * SLOT);
}

/* Forgets the inputs (a fresh session). */
static void history_clear(void)
{
    if (hist)
        memset(hist + hist_head, '\n', (size_t)KEEP * SLOT);
}

/* Shifts the slots by one and starts the newest; returns it. */
static char *history_push(void)
{
    if (!hist)
        return NULL;
    char *slots = hist + hist_head;
    memmove(slots, slots + SLOT, (size_t)(KEEP - 1) * SLOT);
    char *last = slots + (size_t)(KEEP - 1) * SLOT;
    memset(last, '\n', SLOT);
    memcpy(last, "# input\n", 8);
    return last;
}

/* Appends a line that is about to run to the newest slot (at *at). */
static void history_line(char *slot, size_t *at, const char *line)
{
    if (!slot)
        return;
    size_t l = strlen(line);
    if (*at + l + 1 > SLOT)
        return;
    memcpy(slot + *at, line, l);
    *at += l + 1;               /* the newline is the padding's */
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!getcwd(startdir, sizeof startdir))
        strcpy(startdir, ".");
    strcpy(scratch, "/tmp/nnlab-fuzz-cmd.XXXXXX");
    if (!mkdtemp(scratch))
        abort();
    setenv("PATH", "/nonexistent", 1);
    setenv("NNLAB_GNUPLOT", "/nonexistent/gnuplot", 1);
    setenv("HOME", scratch, 1);
    setenv("XDG_STATE_HOME", scratch, 1);
    setenv("OPENBLAS_NUM_THREADS", "1", 1);
    unsetenv("NNLAB_DATA");
    if (!freopen("/dev/null", "w", stdout))
        abort();
    fresh = getenv("FUZZ_CMD_FRESH") && atoi(getenv("FUZZ_CMD_FRESH"));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    history_open();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the commands run in the scratch folder; libFuzzer's own paths are
     * relative to where it started */
    if (chdir(scratch) != 0)
        abort();
    if (!have_sess || fresh || ++ninputs % REBUILD == 0 ||
        sess.nlog > MAXLOG) {
        session_start();
        history_clear();
    }
    char *slot = history_push();
    size_t at = 8;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = 0;
    char *p = buf;
    for (int n = 0; n < MAXLINES && p < buf + size; n++) {
        char *nl = memchr(p, '\n', (size_t)(buf + size - p));
        char *end = nl ? nl : buf + size;
        *end = 0;
        /* a NUL inside cuts the line, as C strings do; run.c refuses such
         * lines before repl_run_line, so no new behaviour is reached */
        if (!strchr(p, '/')) {
            history_line(slot, &at, p);
            sess.src_line = n + 1;
            arm(LINE_MS);
            repl_run_line(&sess, p);
            arm(0);
            repl_interrupted = 0;
            sess.quit = 0;
            if (nn_memcap() > FUZZ_MEMCAP)
                nn_set_memcap(FUZZ_MEMCAP);
        }
        p = end + 1;
    }
    free(buf);
    fflush(stdout);
    if (chdir(startdir) != 0)
        abort();
    return 0;
}
