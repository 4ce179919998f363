/* complete.h - tab completion: a pure generator the tests can call, and
 * the readline glue that feeds it to rl_attempted_completion_function.
 *
 * The generator reads the command table only (the single source of truth):
 * the first word completes to command names; after a command, a word
 * completes to its keywords ("epochs=", no space after), a word after
 * "key=" to the keyword's values (repl_key_values; in comma lists only
 * the last item), and a positional word by the entry's pos_kind (fixed
 * words, layer names of the current model, file names, command names). */
#ifndef REPL_COMPLETE_H
#define REPL_COMPLETE_H

#include "repl.h"

typedef struct repl_comp {
    char **items;      /* candidates, NULL-terminated (malloc'd), each a
                          replacement for line[start .. point) */
    int n;
    int start;         /* where the fragment being completed begins */
    int files;         /* 1: file names complete the fragment too */
} repl_comp;

/* Candidates for the word that ends at point (a byte offset, 0 <= point
 * <= strlen(line)).  s may be NULL or have no model.  Returns 0 (with
 * c->n possibly 0), or -1 when out of memory.  Free with repl_comp_free. */
int repl_complete(const repl_session *s, const char *line, int point,
                  repl_comp *c);
void repl_comp_free(repl_comp *c);

/* Installs the completion into readline for session s. */
void repl_complete_init(repl_session *s);

#endif
