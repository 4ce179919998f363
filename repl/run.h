/* run.h - running lines (run.c: the one dispatcher every way of typing
 * goes through; input.c: the terminal), the shipped files (datapath.c)
 * and the terminal's facts. */
#ifndef REPL_RUN_H
#define REPL_RUN_H

#include <stdio.h>
#include "session.h"

/* Runs one line: split, find, check positionals and keywords, call, and
 * on success append the line to the record.  Returns 0 or -1. */
int repl_run_line(repl_session *s, const char *line);
/* Runs a script from f (name for messages).  Stops at the first error
 * unless keep_going.  Returns 0 when no error happened, else -1. */
int repl_run_file(repl_session *s, FILE *f, const char *name);
/* The interactive loop (readline, history, completion, Ctrl-C). */
int repl_interactive(repl_session *s);

/* Shipped files (lessons/...): the first that exists of $NNLAB_DATA/rel
 * (when NNLAB_DATA is set), the source tree's NNLAB_SRCDIR/lessons/rel, and
 * the installed NNLAB_DATADIR/rel.  Writes the path into buf and returns buf,
 * or NULL when the file is nowhere (buf then names the installed path). */
const char *repl_data_path(const char *rel, char *buf, size_t len);
/* 1 when path is a regular file this process may read (datapath.c). */
int repl_file_readable(const char *path);

/* Output helpers. */
int repl_out_is_tty(void);
int repl_term_width(void);
/* Installs the SIGINT handler for the whole session: it only sets
 * repl_interrupted; a second Ctrl-C while the flag is still set (long work
 * that has not stopped yet) falls back to the default action. */
void repl_signals_init(void);

#endif
