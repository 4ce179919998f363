/* kernel.h - nnlab as a Jupyter kernel (built when configure found libzmq,
 * jansson and libcrypto: HAVE_KERNEL).
 *
 *   kernel_wire.c    frames <-> messages, HMAC-SHA256 signatures
 *   kernel_loop.c    the connection file, the five sockets, the heartbeat
 *                    thread, the receive/dispatch loop, sending
 *   kernel_io.c      a cell's output: fd 1 and 2 onto pipes, a reader
 *                    thread that forwards them as `stream` messages
 *   kernel_exec.c    execute, complete, inspect, is_complete, history
 *   kernel_spec.c    --install-kernel: the kernelspec
 *
 * One session lives as long as the kernel; every cell runs in it, on the
 * main thread, through repl_run_line (the dispatcher every way of typing
 * goes through). */
#ifndef REPL_KERNEL_H
#define REPL_KERNEL_H

#include <pthread.h>
#include <stdint.h>
#include "repl.h"
#include "kernel_wire.h"
#include "kernel_main.h"


typedef struct kn_kernel {
    void *zctx, *shell, *control, *iopub, *stdin_sock, *hb;
    unsigned char key[512];
    size_t klen;
    char session[33];            /* the kernel's session id */
    void *reply_sock;            /* where the request being served came */
    repl_session *s;
    int exec_count;
    int quit;                    /* shutdown_request seen */
    int told_badsig;             /* "signature does not verify" logged */
    FILE *log;                   /* the kernel's own messages (stderr) */
    /* iopub is used by the main thread and the reader: under the lock */
    pthread_mutex_t lock;
    json_t *parent;              /* header of the request being served */
    /* output capture (kernel_io.c) */
    int out_r, err_r, wake_w, wake_r;
    int saved_out, saved_err;
    pthread_t reader;
    int reader_on;
    char carry[2][4];            /* an incomplete UTF-8 sequence per pipe */
    int ncarry[2];
    char last_error[1024];       /* the last "error: ..." line */
    char errline[1024];          /* stderr's line so far (no newline yet) */
    size_t nerrline;
    char *collect;               /* non-NULL: output goes here (inspect) */
    /* non-NULL: output goes here instead of iopub (notebook_exec.c);
     * which 0 stdout, 1 stderr; called under k->lock */
    void (*on_output)(struct kn_kernel *k, int which, const char *t, size_t n);
    void *nb;                    /* for on_output */
    size_t ncollect, capcollect;
    /* history of executed cells */
    char **cells;
    int ncells;
} kn_kernel;

/* kernel_loop.c: sends a message of type with content (stolen) on sock;
 * req (may be NULL) gives the routing identities and the parent header.
 * iopub messages go through kn_iopub (parent: the request being served).
 * 0 or -1. */
int kn_send(kn_kernel *k, void *sock, const kn_msg *req, const char *type,
            json_t *content);
int kn_iopub(kn_kernel *k, const char *type, json_t *content);
/* the same, the caller holding k->lock */
int kn_iopub_locked(kn_kernel *k, const char *type, json_t *content);

/* kernel_io.c */
int kn_capture_start(kn_kernel *k);
void kn_capture_stop(kn_kernel *k);
/* Waits until every byte written to fd 1 and 2 so far has been sent. */
void kn_capture_sync(kn_kernel *k);
/* Text as a JSON string: invalid UTF-8 bytes become '?'. */
json_t *kn_text(const char *t, size_t n);
/* The figure in file path as a mime bundle ({mime: data, text/plain}), or
 * NULL when it cannot be read. */
json_t *kn_figure_data(const char *path, const char *mime);
/* Shows the figure in file path (mime "image/png" or "image/svg+xml") as
 * display_data. */
void kn_show_figure(void *kernel, const char *path, const char *mime);

/* kernel_exec.c: runs code's lines in order in k->s; 0, or the 1-based
 * number of the line that failed (or was running when Ctrl-C came), its
 * text in *failed (malloc'd). */
int kn_run_cell(kn_kernel *k, const char *code, char **failed);
/* {ename, evalue, traceback} for the cell that failed at line (clears the
 * Ctrl-C flag). */
json_t *kn_cell_error(kn_kernel *k, int line, const char *failed);
/* the shell requests */
void kn_execute(kn_kernel *k, const kn_msg *req);
void kn_complete(kn_kernel *k, const kn_msg *req);
void kn_inspect(kn_kernel *k, const kn_msg *req);
void kn_is_complete(kn_kernel *k, const kn_msg *req);
void kn_history(kn_kernel *k, const kn_msg *req);
void kn_kernel_info(kn_kernel *k, const kn_msg *req);

#endif
