/* repl.h - the shell, all of it for a command file: the session
 * (session.h), a line's words and their typed access (args.h), how a
 * command is declared and the table of them (command.h), the word lists
 * (values.h), fit's hooks (fit_hooks.h) and running lines (run.h).
 *
 * Layers: repl/ -> plots/ -> nn/.  Only repl/ talks to the person.  Each
 * command is declared once, in its own file (cmd_NAME.c), and everything
 * else (dispatch, usage, completion, help, the README's reference) is
 * generated from that declaration: docs/ARCHITECTURE.md. */
#ifndef REPL_H
#define REPL_H

#include "session.h"
#include "args.h"
#include "command.h"
#include "values.h"
#include "fit_hooks.h"
#include "run.h"

/* cmd_save.c: weights LAYER save=FILE.npy / load=FILE.npy (the kernel in
 * FILE.npy, the bias in FILE_bias.npy); 0, or -1 after the error. */
int repl_weights_save(repl_session *s, const char *layer, const char *file);
int repl_weights_load(repl_session *s, const char *layer, const char *file);

#endif
