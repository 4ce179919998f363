/* lineread.c - the one reader of script lines: newline, CR and a UTF-8
 * byte-order mark stripped (lineread.h). */
#include <stdlib.h>
#include <string.h>
#include "lineread.h"

void repl_lines_init(repl_lines *r, FILE *f)
{
    r->f = f;
    r->buf = NULL;
    r->cap = 0;
    r->lineno = 0;
}

char *repl_lines_next(repl_lines *r, size_t *len)
{
    ssize_t n = getline(&r->buf, &r->cap, r->f);
    if (n < 0)
        return NULL;
    r->lineno++;
    if (n > 0 && r->buf[n - 1] == '\n')
        r->buf[--n] = 0;
    if (n > 0 && r->buf[n - 1] == '\r')
        r->buf[--n] = 0;
    char *p = r->buf;
    if (r->lineno == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
        p += 3;                  /* a UTF-8 byte-order mark */
        n -= 3;
    }
    if (len)
        *len = (size_t)n;
    return p;
}

void repl_lines_free(repl_lines *r)
{
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
}
