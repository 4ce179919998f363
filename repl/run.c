/* run.c - running a line and a script: the one dispatcher every way of
 * typing goes through (prompt, script file, standard input, -c, run).
 *
 * A line is split, its command found in the table, its positional count
 * and keyword names checked against the table entry, and only then is the
 * handler called: a typo never reaches a handler, so it never changes
 * anything.  Handlers validate their values before they act. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lineread.h"
#include "repl.h"

/* Commands that reproduce nothing: left out of the record.  `run` is left
 * out because the commands of the script it runs are recorded one by one. */
static const char *const not_recorded[] = {
    "help", "record", "run", "quit", "exit", "lesson", NULL
};

int repl_log_add(repl_session *s, const char *line)
{
    while (*line == ' ' || *line == '\t')
        line++;
    size_t n = strlen(line);
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    if (s->nlog >= REPL_LOG_MAX) {   /* run of a record of runs doubles it */
        s->log_dropped++;
        return -1;
    }
    if (s->nlog == s->caplog) {
        int cap = s->caplog ? 2 * s->caplog : 32;
        char **log = realloc(s->log, (size_t)cap * sizeof *log);
        if (!log)
            return -1;
        s->log = log;
        s->caplog = cap;
    }
    char *copy = malloc(n + 1);
    if (!copy)
        return -1;
    memcpy(copy, line, n);
    copy[n] = 0;
    s->log[s->nlog++] = copy;
    return 0;
}

/* Commands that run other lines (each recorded, each drawing its own
 * random numbers). */
static const char *const runs_lines[] = {"run", "lesson", NULL};

/* The keywords of cmd as a NULL-terminated table (one allocation). */
static char **key_table(const repl_cmd *cmd)
{
    const char *k = cmd->keys ? cmd->keys : "";
    size_t len = strlen(k);
    size_t nwords = len / 2 + 2;
    char **t = malloc(nwords * sizeof *t + len + 1);
    if (!t)
        return NULL;
    char *buf = (char *)(t + nwords);
    memcpy(buf, k, len + 1);
    int n = 0;
    for (char *w = strtok(buf, " \t"); w; w = strtok(NULL, " \t"))
        t[n++] = w;
    t[n] = NULL;
    return t;
}

/* The error for a->key[i], which c does not declare: the keywords it
 * takes, and the nearest one. */
static int unknown_key(repl_session *s, const repl_cmd *c, const repl_args *a,
                       int i, const char *usage)
{
    char **keys = key_table(c);
    if (!keys)
        return repl_error(s, c->name, "out of memory");
    int r;
    if (!keys[0]) {
        r = repl_error(s, c->name, "takes no keywords (got '%s=%s'); usage: %s",
                       a->key[i], a->val[i], usage);
    } else {
        const char *hint = repl_suggest(a->key[i], (const char *const *)keys);
        r = repl_error(s, c->name, "unknown keyword '%s'%s%s%s; keywords: %s",
                       a->key[i], *hint ? " (" : "", hint, *hint ? ")" : "",
                       c->keys);
    }
    free(keys);
    return r;
}

static int blank(const char *w)
{
    while (*w == ' ' || *w == '\t')
        w++;
    return *w == 0;
}

static int check_words(repl_session *s, const repl_cmd *c, const repl_args *a)
{
    const char *usage = c->usage ? c->usage : c->name;
    /* "" or "  " is never a file, a name or a number: one message for all */
    for (int i = 0; i < a->npos; i++)
        if (blank(a->pos[i]))
            return repl_error(s, c->name, "argument %d is empty; usage: %s",
                              i + 1, usage);
    for (int i = 0; i < a->nkv; i++)   /* separator=" " is a value */
        if (a->val[i][0] == 0)
            return repl_error(s, c->name, "%s= has no value; give one after the "
                              "'=' (see help %s)", a->key[i], c->name);
    if (a->npos > c->maxpos) {
        if (c->maxpos == 0)
            return repl_error(s, c->name, "takes no arguments (got '%s'); "
                              "usage: %s", a->pos[0], usage);
        return repl_error(s, c->name, "too many arguments ('%s' is extra); "
                          "usage: %s", a->pos[c->maxpos], usage);
    }
    if (a->npos < c->minpos)
        return repl_error(s, c->name, "missing argument (needs %s%d, got %d);"
                          " usage: %s", c->maxpos > c->minpos ? "at least " : "",
                          c->minpos, a->npos, usage);
    for (int i = 0; i < a->nkv; i++) {
        /* declared by the command or one of its forms; "LAYER.units"
         * stands for NAME.units, the handler checks that the layer exists */
        if (!repl_opt_find(c, a->key[i]))
            return unknown_key(s, c, a, i, usage);
        for (int j = 0; j < i; j++)
            if (strcmp(a->key[j], a->key[i]) == 0)
                return repl_error(s, c->name, "%s given twice; give it once",
                                  a->key[i]);
    }
    return 0;
}

int repl_run_line(repl_session *s, const char *line)
{
    repl_args a;
    char msg[160];
    if (repl_split(line, &a, msg, sizeof msg) < 0)
        return repl_error(s, NULL, "%s", msg);
    if (!a.cmd) {               /* blank or a comment */
        repl_args_free(&a);
        return 0;
    }
    const repl_cmd *c = repl_find(a.cmd);
    int r;
    if (!c) {
        const char *hint = repl_suggest(a.cmd, repl_command_names());
        r = repl_error(s, NULL, "unknown command '%s'%s%s%s; type help for "
                       "the list", a.cmd, *hint ? " (" : "", hint,
                       *hint ? ")" : "");
    } else if ((r = check_words(s, c, &a)) == 0) {
        int before = s->errors;
        nn_rng rng = s->rng;
        /* repl_interrupted is not cleared here: the prompt clears it
         * (input.c), and a Ctrl-C that arrives while a script's line is
         * being parsed must still stop the script (run.c, lessons) */
        r = c->run(s, &a);
        if (r != 0) {
            if (s->errors == before)     /* a handler that forgot to say */
                repl_error(s, c->name, "failed");
            /* a failed command draws nothing: what comes after it gets the
             * numbers it would get without it (run and lesson keep the
             * draws of their lines that ran) */
            if (nn_lookup(runs_lines, c->name) < 0)
                s->rng = rng;
            r = -1;
        } else if (nn_lookup(not_recorded, c->name) < 0) {
            repl_log_add(s, line);
        }
    }
    repl_args_free(&a);
    return r;
}

int repl_run_file(repl_session *s, FILE *f, const char *name)
{
    const char *old_file = s->src_file;
    int old_line = s->src_line;
    s->src_file = name;
    s->src_line = 0;
    repl_lines lr;
    repl_lines_init(&lr, f);
    char *p;
    size_t n;
    int bad = 0, stopped = 0;
    while ((p = repl_lines_next(&lr, &n)) != NULL) {
        s->src_line++;
        if (repl_interrupted)    /* Ctrl-C while reading (a slow pipe) */
            goto interrupted;
        int r;
        if (strlen(p) != n)
            r = repl_error(s, NULL, "the line holds a NUL byte; is %s a "
                           "text file?", name);
        else
            r = repl_run_line(s, p);
        if (r < 0) {
            bad = 1;
            if (!s->keep_going) {
                stopped = 1;
                break;
            }
        }
        if (repl_interrupted) {
        interrupted:
            repl_error(s, NULL, "interrupted (Ctrl-C); the rest of %s was "
                       "not run", name);
            bad = stopped = 1;
            break;
        }
        if (s->quit)
            break;
    }
    int err = !stopped && ferror(f) ? errno : 0;
    repl_lines_free(&lr);
    s->src_file = old_file;
    s->src_line = old_line;
    if (err) {                   /* said where the script was opened */
        repl_error(s, NULL, "cannot read %s: %s", name, strerror(err));
        bad = 1;
    }
    return bad ? -1 : 0;
}
