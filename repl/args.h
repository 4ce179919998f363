/* args.h - one command line split into words, and typed access to its
 * keywords (args.c; from the declarations: opts.c), and the one way an
 * error is said. */
#ifndef REPL_ARGS_H
#define REPL_ARGS_H

#include <stddef.h>
#include "session.h"

#define REPL_MAXARGS 64
typedef struct repl_args {
    const char *cmd;                   /* the command word */
    int npos;
    char *pos[REPL_MAXARGS];           /* positional words, unquoted */
    int nkv;
    char *key[REPL_MAXARGS];           /* key=value pairs, unquoted */
    char *val[REPL_MAXARGS];
    char *buf;                         /* owns the strings */
} repl_args;

/* Splits a line into words: blanks separate, '#' outside quotes starts a
 * comment, "..." and '...' quote (backslash escapes inside "..."), a word
 * with '=' (outside quotes, not first char) is key=value.  Returns 0, or
 * -1 with msg filled (unterminated quote, too many words).  An empty or
 * comment-only line gives cmd == NULL. */
int repl_split(const char *line, repl_args *a, char *msg, size_t msglen);
void repl_args_free(repl_args *a);

/* Typed access.  Each returns 1 when the key is present and valid (out
 * set), 0 when absent (out = def), -1 on a bad value, after reporting
 * "error: CMD: KEY must be ... (got VALUE)" through repl_error. */
int repl_arg_int(repl_session *s, const repl_args *a, const char *key,
                 long def, long min, long max, long *out);
int repl_arg_double(repl_session *s, const repl_args *a, const char *key,
                    double def, double min, double max, double *out);
/* min/max exclusive variants are spelled by the message: use
 * repl_arg_pos_double for "> 0" (rejects 0, NaN, inf). */
int repl_arg_pos_double(repl_session *s, const repl_args *a, const char *key,
                        double def, double *out);
/* A fraction: strictly between 0 and 1 (test_size=0.2). */
int repl_arg_frac(repl_session *s, const repl_args *a, const char *key,
                  double def, double *out);
int repl_arg_bool(repl_session *s, const repl_args *a, const char *key,
                  int def, int *out);   /* true/false/yes/no/1/0/on/off */
/* Value must be one of table (NULL-terminated); out is its index. */
int repl_arg_enum(repl_session *s, const repl_args *a, const char *key,
                  const char *const *table, int def, int *out);
const char *repl_arg_str(const repl_args *a, const char *key);  /* or NULL */
/* The same, with the default, range and values taken from the keyword's
 * declaration in a's command (opts.c): what handlers use.  The _or forms
 * take the default from the session instead (a declaration whose default
 * depends on it). */
int repl_opt_int(repl_session *s, const repl_args *a, const char *key, long *out);
int repl_opt_int_or(repl_session *s, const repl_args *a, const char *key, long def,
                    long *out);
int repl_opt_num(repl_session *s, const repl_args *a, const char *key, double *out);
int repl_opt_num_or(repl_session *s, const repl_args *a, const char *key, double def,
                    double *out);
int repl_opt_bool(repl_session *s, const repl_args *a, const char *key, int *out);
int repl_opt_bool_or(repl_session *s, const repl_args *a, const char *key, int def,
                     int *out);
int repl_opt_enum(repl_session *s, const repl_args *a, const char *key, int *out);
int repl_opt_enum_or(repl_session *s, const repl_args *a, const char *key, int def,
                     int *out);
/* The words of a NULL-terminated table joined by sep ("a, b, c"),
 * malloc'd; NULL when out of memory. */
char *repl_join(const char *const *words, const char *sep);
/* 1 when w is one of the space-separated words of list. */
int repl_word_in(const char *list, const char *w);
/* Parses a number word the same way (for positionals): 0 ok, -1 bad. */
int repl_parse_long(const char *w, long *out);
int repl_parse_double(const char *w, double *out);
/* true/false, yes/no, 1/0, on/off (any case) into 1 or 0: 0 ok, -1 bad. */
int repl_parse_bool(const char *w, int *out);

/* Bytes of s that are not printable UTF-8 become '?' (in place), as in
 * every error line; the coach's warnings use it too. */
void repl_sanitize(char *s);

/* Prints "[FILE:LINE: ]error: CMD: MESSAGE" on stderr (stdout flushed
 * first), counts it, returns -1.  Handlers return its value. */
int repl_error(repl_session *s, const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* "did you mean X?" for word among table (edit distance <= 2, counting
 * a swap of neighbours as one; <= 1 for words of 4 letters or fewer), or
 * "". */
const char *repl_suggest(const char *word, const char *const *table);

#endif
