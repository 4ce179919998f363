/* args.c - one command line split into words, and typed access to them.
 *
 * The language: `verb [positional ...] [key=value ...]`.  Blanks separate
 * words; "..." and '...' quote (a backslash escapes the next character
 * inside "..."); '#' at the start of a word, outside quotes, starts a
 * comment (so `color=#ff0000` stays a value); a word whose first unquoted
 * '=' is not its first character is key=value.  Numbers are parsed
 * strictly: the whole word, no blanks, no trailing junk, no NaN or inf. */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "repl.h"

static int is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

int repl_split(const char *line, repl_args *a, char *msg, size_t msglen)
{
    memset(a, 0, sizeof *a);
    if (msglen)
        msg[0] = 0;
    size_t len = strlen(line);
    /* Every word shrinks or keeps its length, and each needs one NUL that
     * fits where its separating blank (or the '=') was: len + 1 bytes. */
    a->buf = malloc(len + 2);
    if (!a->buf) {
        snprintf(msg, msglen, "out of memory");
        return -1;
    }
    char *out = a->buf;
    const char *p = line;
    int nwords = 0;
    for (;;) {
        while (is_blank((unsigned char)*p))
            p++;
        if (*p == 0 || *p == '#')
            break;
        char *word = out;
        char *eq = NULL;           /* first unquoted '=' in out */
        while (*p && !is_blank((unsigned char)*p)) {
            char q = *p;
            if (q == '"' || q == '\'') {
                p++;
                while (*p && *p != q) {
                    if (q == '"' && *p == '\\' && p[1])
                        p++;
                    *out++ = *p++;
                }
                if (*p != q) {
                    snprintf(msg, msglen,
                             "unterminated %s quote; close it with %c",
                             q == '"' ? "double" : "single", q);
                    repl_args_free(a);
                    return -1;
                }
                p++;
            } else {
                if (q == '=' && !eq && out > word)
                    eq = out;
                *out++ = *p++;
            }
        }
        *out++ = 0;
        if (nwords == 0) {
            a->cmd = word;         /* the command word, '=' or not */
        } else if (eq) {
            if (a->nkv == REPL_MAXARGS)
                goto too_many;
            *eq = 0;
            a->key[a->nkv] = word;
            a->val[a->nkv++] = eq + 1;
        } else {
            if (a->npos == REPL_MAXARGS)
                goto too_many;
            a->pos[a->npos++] = word;
        }
        nwords++;
    }
    return 0;
too_many:
    snprintf(msg, msglen, "too many words (at most %d positional and %d "
             "key=value)", REPL_MAXARGS, REPL_MAXARGS);
    repl_args_free(a);
    return -1;
}

void repl_args_free(repl_args *a)
{
    free(a->buf);
    memset(a, 0, sizeof *a);
}

/* ---- numbers ---- */

int repl_parse_long(const char *w, long *out)
{
    const char *p = w;
    if (*p == '+' || *p == '-')
        p++;
    if (*p < '0' || *p > '9')
        return -1;
    char *end;
    errno = 0;
    long v = strtol(w, &end, 10);
    if (*end || errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}

int repl_parse_double(const char *w, double *out)
{
    /* Only decimal notation: this refuses "nan", "inf", hex floats and
     * locale-dependent forms before strtod sees them. */
    const char *p = w;
    int digits = 0;
    if (*p == '+' || *p == '-')
        p++;
    if (*p == 0)
        return -1;
    for (const char *q = p; *q; q++) {
        if (*q >= '0' && *q <= '9')
            digits++;
        else if (*q != '.' && *q != 'e' && *q != 'E' && *q != '+' &&
                 *q != '-')
            return -1;
    }
    if (!digits || !((*p >= '0' && *p <= '9') || *p == '.'))
        return -1;
    char *end;
    errno = 0;
    double v = strtod(w, &end);
    if (*end || !isfinite(v))
        return -1;
    if (errno == ERANGE && fabs(v) > 1)   /* overflow; underflow is fine */
        return -1;
    *out = v;
    return 0;
}

/* ---- errors ---- */

/* Bytes that are not printable UTF-8 become '?', so a stray escape
 * sequence or binary junk in a script never reaches the terminal raw. */
void repl_sanitize(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        int n = 0;
        if (*p < 0x20 || *p == 0x7f) {
            *p++ = '?';
            continue;
        }
        if (*p < 0x80) {
            p++;
            continue;
        }
        if (*p >= 0xc2 && *p <= 0xdf)
            n = 1;
        else if (*p >= 0xe0 && *p <= 0xef)
            n = 2;
        else if (*p >= 0xf0 && *p <= 0xf4)
            n = 3;
        int ok = n > 0;
        for (int i = 1; ok && i <= n; i++)
            ok = (p[i] & 0xc0) == 0x80;
        if (ok && n == 2 && ((p[0] == 0xe0 && p[1] < 0xa0) ||
                             (p[0] == 0xed && p[1] >= 0xa0)))
            ok = 0;              /* overlong or a surrogate */
        if (ok && n == 3 && ((p[0] == 0xf0 && p[1] < 0x90) ||
                             (p[0] == 0xf4 && p[1] >= 0x90)))
            ok = 0;
        if (!ok) {
            *p++ = '?';
            continue;
        }
        p += n + 1;
    }
}

/* A word longer than LONG_WORD bytes (a pasted blob, a runaway line)
 * keeps its first and last KEEP_END bytes around "...", so an error about
 * it stays one readable line.  Cuts fall on UTF-8 character boundaries. */
#define LONG_WORD 200
#define KEEP_END 60

static void shorten_words(char *s)
{
    char *out = s;
    const char *p = s;
    while (*p) {
        size_t len = strcspn(p, " ");
        if (len > LONG_WORD) {
            size_t head = KEEP_END, tail = len - KEEP_END;
            while (head > 0 && ((unsigned char)p[head] & 0xc0) == 0x80)
                head--;
            while (tail < len && ((unsigned char)p[tail] & 0xc0) == 0x80)
                tail++;
            memmove(out, p, head);
            memcpy(out + head, "...", 3);
            memmove(out + head + 3, p + tail, len - tail);
            out += head + 3 + (len - tail);
        } else {
            memmove(out, p, len);
            out += len;
        }
        p += len;
        size_t sp = strspn(p, " ");
        memmove(out, p, sp);
        out += sp;
        p += sp;
    }
    *out = 0;
}

int repl_error(repl_session *s, const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (msg) {
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
        repl_sanitize(msg);
        shorten_words(msg);
    }
    fflush(stdout);
    if (s && s->src_file)
        fprintf(stderr, "%s:%d: ", s->src_file, s->src_line);
    fputs("error: ", stderr);
    if (cmd)
        fprintf(stderr, "%s: ", cmd);
    fprintf(stderr, "%s\n", msg ? msg : fmt);
    fflush(stderr);
    free(msg);
    if (s)
        s->errors++;
    return -1;
}

/* ---- suggestions ---- */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Edit distance with adjacent transpositions (optimal string alignment:
 * "fti" is one step from "fit"), case-insensitive, giving up (returning
 * limit + 1) once it must exceed limit.  Three rows the size of b. */
static size_t edit_distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > limit)
        return limit + 1;
    size_t *row = malloc(3 * (lb + 1) * sizeof *row);
    size_t d = limit + 1;
    if (!row)
        return d;
    size_t *pp = row, *prev = row + lb + 1, *cur = row + 2 * (lb + 1);
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        size_t rowmin = cur[0];
        int ai = lower((unsigned char)a[i - 1]);
        for (size_t j = 1; j <= lb; j++) {
            int bj = lower((unsigned char)b[j - 1]);
            size_t v = prev[j - 1] + (ai != bj);
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ai == lower((unsigned char)b[j - 2]) &&
                lower((unsigned char)a[i - 2]) == bj && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (rowmin > limit)
            goto done;
        size_t *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    d = prev[lb];
done:
    free(row);
    return d;
}

const char *repl_suggest(const char *word, const char *const *table)
{
    static char buf[160];
    const char *best = NULL;
    size_t wl = strlen(word);
    /* short words get one edit, longer ones two: "foo" is not "pop" */
    size_t limit = wl <= 4 ? 1 : 2, bestd = limit + 1;
    if (!table || wl == 0)
        return "";
    for (int i = 0; table[i]; i++) {
        size_t d = edit_distance(word, table[i], limit);
        if (d < bestd && d < wl) {
            bestd = d;
            best = table[i];
        }
    }
    if (!best || strlen(best) + 16 > sizeof buf)
        return "";
    snprintf(buf, sizeof buf, "did you mean %s?", best);
    return buf;
}

/* ---- typed access ---- */

static int find_key(const repl_args *a, const char *key)
{
    for (int i = 0; i < a->nkv; i++)
        if (strcmp(a->key[i], key) == 0)
            return i;
    return -1;
}

const char *repl_arg_str(const repl_args *a, const char *key)
{
    int i = find_key(a, key);
    return i < 0 ? NULL : a->val[i];
}

int repl_arg_int(repl_session *s, const repl_args *a, const char *key,
                 long def, long min, long max, long *out)
{
    *out = def;
    const char *v = repl_arg_str(a, key);
    if (!v)
        return 0;
    long x;
    if (repl_parse_long(v, &x) == 0 && x >= min && x <= max) {
        *out = x;
        return 1;
    }
    if (min == LONG_MIN && max == LONG_MAX)
        return repl_error(s, a->cmd, "%s must be a whole number (got '%s')",
                          key, v);
    if (max == LONG_MAX)
        return repl_error(s, a->cmd,
                          "%s must be a whole number >= %ld (got '%s')",
                          key, min, v);
    if (min == LONG_MIN)
        return repl_error(s, a->cmd,
                          "%s must be a whole number <= %ld (got '%s')",
                          key, max, v);
    return repl_error(s, a->cmd,
                      "%s must be a whole number from %ld to %ld (got '%s')",
                      key, min, max, v);
}

int repl_arg_double(repl_session *s, const repl_args *a, const char *key,
                    double def, double min, double max, double *out)
{
    *out = def;
    const char *v = repl_arg_str(a, key);
    if (!v)
        return 0;
    double x;
    if (repl_parse_double(v, &x) == 0 && x >= min && x <= max) {
        *out = x;
        return 1;
    }
    int lo = min > -DBL_MAX, hi = max < DBL_MAX;   /* bounds worth saying */
    if (!lo && !hi)
        return repl_error(s, a->cmd, "%s must be a finite number (got '%s')",
                          key, v);
    if (!hi)
        return repl_error(s, a->cmd, "%s must be a number >= %g (got '%s')",
                          key, min, v);
    if (!lo)
        return repl_error(s, a->cmd, "%s must be a number <= %g (got '%s')",
                          key, max, v);
    return repl_error(s, a->cmd, "%s must be a number from %g to %g "
                      "(got '%s')", key, min, max, v);
}

int repl_arg_pos_double(repl_session *s, const repl_args *a, const char *key,
                        double def, double *out)
{
    *out = def;
    const char *v = repl_arg_str(a, key);
    if (!v)
        return 0;
    double x;
    if (repl_parse_double(v, &x) == 0 && x > 0) {
        *out = x;
        return 1;
    }
    return repl_error(s, a->cmd, "%s must be a number > 0 (got '%s')", key, v);
}

int repl_arg_frac(repl_session *s, const repl_args *a, const char *key,
                  double def, double *out)
{
    *out = def;
    const char *v = repl_arg_str(a, key);
    if (!v)
        return 0;
    double x;
    if (repl_parse_double(v, &x) == 0 && x > 0.0 && x < 1.0) {
        *out = x;
        return 1;
    }
    return repl_error(s, a->cmd, "%s must be a number between 0 and 1, both "
                      "excluded (got '%s'); e.g. 0.2 keeps 80%% for training",
                      key, v);
}

static int word_eq(const char *a, const char *b)
{
    while (*a && lower((unsigned char)*a) == lower((unsigned char)*b))
        a++, b++;
    return *a == 0 && *b == 0;
}

int repl_parse_bool(const char *w, int *out)
{
    static const char *const yes[] = {"true", "yes", "1", "on", NULL};
    static const char *const no[] = {"false", "no", "0", "off", NULL};
    for (int i = 0; yes[i]; i++) {
        if (word_eq(w, yes[i])) {
            *out = 1;
            return 0;
        }
        if (word_eq(w, no[i])) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

int repl_arg_bool(repl_session *s, const repl_args *a, const char *key,
                  int def, int *out)
{
    *out = def;
    const char *v = repl_arg_str(a, key);
    if (!v)
        return 0;
    if (repl_parse_bool(v, out) == 0)
        return 1;
    return repl_error(s, a->cmd, "%s must be true or false (got '%s')", key,
                      v);
}

char *repl_join(const char *const *words, const char *sep)
{
    nn_buf b;
    nn_buf_init(&b);
    for (int i = 0; words && words[i]; i++)
        nn_buf_printf(&b, "%s%s", i ? sep : "", words[i]);
    return nn_buf_take(&b);
}

int repl_arg_enum(repl_session *s, const repl_args *a, const char *key,
                  const char *const *table, int def, int *out)
{
    *out = def;
    const char *v = repl_arg_str(a, key);
    if (!v)
        return 0;
    if (!table)
        return repl_error(s, a->cmd, "%s: no values known", key);
    for (int i = 0; table[i]; i++)
        if (strcmp(v, table[i]) == 0) {
            *out = i;
            return 1;
        }
    /* "KEY must be one of a, b, c (got 'x'); did you mean y?" */
    char *list = repl_join(table, ", ");
    if (!list)
        return repl_error(s, a->cmd, "%s: unknown value '%s'", key, v);
    const char *hint = repl_suggest(v, table);
    int r = repl_error(s, a->cmd, "%s must be one of %s (got '%s')%s%s", key,
                       list, v, *hint ? "; " : "", hint);
    free(list);
    return r;
}

int repl_word_in(const char *list, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = list; (p = strstr(p, w)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == 0 || p[n] == ' '))
            return 1;
    return 0;
}
