/* gnuplot.h - one gnuplot process behind an opaque handle (gnuplot_i's
 * shape), with what gnuplot_i and fityk got wrong put right:
 *
 *  - gnuplot is found before anything is started (popen("gnuplot") does not
 *    fail when there is none);
 *  - a script is sent whole and the call waits until gnuplot has done it:
 *    after the figure it asks gnuplot to print a marker on its standard
 *    output and on its standard error, and reads both pipes up to the
 *    marker.  So a text plot (the dumb terminal) lands on our standard
 *    output in order with the rest, a file is complete when the call
 *    returns, and gnuplot's complaints come back as a message;
 *  - every write and read is checked; a gnuplot that died (killed, crashed)
 *    is noticed, reaped and reported, and the next start makes a new one;
 *  - gnuplot runs in its own process group, so Ctrl-C at the shell stops
 *    training, not the plot window.
 *
 * The caller must ignore SIGPIPE (nnlab's main does), so that writing to a
 * dead gnuplot fails with EPIPE instead of killing the shell. */
#ifndef PLOT_GNUPLOT_H
#define PLOT_GNUPLOT_H

#include <signal.h>
#include <stddef.h>

typedef struct plot_gp plot_gp;

/* A handle with no process yet; NULL when out of memory. */
plot_gp *plot_gp_new(void);
/* Closes gnuplot's input (it exits on end of input) and reaps it. */
void plot_gp_free(plot_gp *g);

/* Finds the gnuplot program: override when not NULL and not empty (a path,
 * or a name looked up on PATH), else "gnuplot" on PATH.  Returns 1 with the
 * path in buf, 0 when there is none (buf then names what was looked for). */
int plot_gp_find(const char *override, char *buf, size_t len);

/* Whether the process is running.  When it has stopped since the last
 * call, it is reaped, why (e.g. "killed by signal 9") is written into
 * why, and 0 is returned; why is "" when nothing was ever started. */
int plot_gp_alive(plot_gp *g, char *why, size_t len);

/* Starts gnuplot from path unless one is running, and asks it which
 * terminals it has (GPVAL_TERMINALS).  Returns 0, or -1 with msg. */
int plot_gp_start(plot_gp *g, const char *path, char *msg, size_t len);

/* GPVAL_TERMINALS of the running gnuplot ("" before start), and whether
 * name is one of them. */
const char *plot_gp_terminals(const plot_gp *g);
int plot_gp_has_terminal(const plot_gp *g, const char *name);
/* The process id, or 0 when none runs (tests kill it to check restarts). */
long plot_gp_pid(const plot_gp *g);

/* How long plot_gp_run waits for gnuplot to finish a script (default
 * 60000 ms); and a flag (Ctrl-C) that stops the wait.  When either ends
 * the wait, gnuplot is stopped: its state is unknown. */
void plot_gp_set_timeout(plot_gp *g, int ms);
void plot_gp_set_interrupt(plot_gp *g, const volatile sig_atomic_t *flag);

enum {
    PLOT_GP_OK = 0,       /* done, nothing said */
    PLOT_GP_WARN = 1,     /* done; msg holds gnuplot's first warning */
    PLOT_GP_ERROR = -1,   /* gnuplot refused a command; msg says what */
    PLOT_GP_DIED = -2     /* gnuplot stopped, or was stopped (timeout,
                             interrupt); msg says so ("gnuplot stopped
                             while drawing (killed by signal 9)"); no
                             process now */
};

/* Sends script (len bytes) to the running gnuplot and waits until it has
 * done it.  What gnuplot wrote on its standard output (a text plot) is in
 * *out (outlen bytes, NUL-terminated, owned by g until the next run).
 * Returns one of PLOT_GP_*. */
int plot_gp_run(plot_gp *g, const char *script, size_t len, const char **out,
                size_t *outlen, char *msg, size_t msglen);

#endif
