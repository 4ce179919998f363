/* lineread.h - the one reader of script lines (run, scripts, lessons):
 * each line without its newline, a CR before it (a file written on
 * Windows) and, on the first line, a UTF-8 byte-order mark. */
#ifndef REPL_LINEREAD_H
#define REPL_LINEREAD_H

#include <stdio.h>
#include <sys/types.h>

typedef struct repl_lines {
    FILE *f;            /* read from; the caller opens and closes it */
    char *buf;          /* getline's buffer */
    size_t cap;
    int lineno;         /* lines read so far (the current one, from 1) */
} repl_lines;

/* Starts reading f from its current position (line 1). */
void repl_lines_init(repl_lines *r, FILE *f);
/* The next line, cleaned (it lives in r's buffer until the next call), and
 * its length in *len (NUL bytes inside count: strlen may be shorter), or
 * NULL at the end of the file or on an error (ferror(r->f) tells). */
char *repl_lines_next(repl_lines *r, size_t *len);
void repl_lines_free(repl_lines *r);

#endif
