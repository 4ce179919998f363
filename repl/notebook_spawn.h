/* notebook_spawn.h - the shell's commands that write a notebook (record
 * FILE.ipynb, lesson NAME notebook=OUT.ipynb) run a second nnlab,
 *     nnlab --seed N --notebook SCRIPT OUT.ipynb --execute
 * so the notebook is made by a fresh session (the one a replay gives) and
 * this session, its output and its terminal are left as they are. */
#ifndef REPL_NOTEBOOK_SPAWN_H
#define REPL_NOTEBOOK_SPAWN_H

#include "repl.h"

/* Runs script into the executed notebook out (for cmd's messages).  0, or
 * -1 after repl_error. */
int repl_notebook_run(repl_session *s, const char *cmd, const char *script,
                      const char *out);
/* The session's record (s->log), one command a cell, as the executed
 * notebook out.  0, or -1 after repl_error. */
int repl_notebook_record(repl_session *s, const char *out);

#endif
