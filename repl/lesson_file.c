/* lesson_file.c - reading a lesson file (lesson_file.h): its lines
 * (blank lines and "# requires:" directives left out), its title, its
 * steps, and the prose of a step as the student reads it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "data_common.h"
#include "lesson_file.h"
#include "lineread.h"

void lesson_free(lesson *l)
{
    for (int i = 0; i < l->nlines; i++)
        free(l->lines[i].text);
    free(l->lines);
    free(l->title);
    free(l->step_start);
    memset(l, 0, sizeof *l);
}

/* The text of a comment line: after '#' and one blank. */
static const char *prose_of(const char *text)
{
    while (*text == ' ' || *text == '\t')
        text++;
    if (*text == '#')
        text++;
    if (*text == ' ')
        text++;
    return text;
}

static int is_blank(const char *t)
{
    while (*t == ' ' || *t == '\t')
        t++;
    return *t == 0;
}

static int is_comment(const char *t)
{
    while (*t == ' ' || *t == '\t')
        t++;
    return *t == '#';
}

/* "# requires: fashion-mnist", "# warns: 2" (the coach's warnings the
 * lesson draws on purpose): for the test runner, not for the student. */
static int is_directive(const char *t)
{
    return strncmp(prose_of(t), "requires:", 9) == 0 ||
           strncmp(prose_of(t), "warns:", 6) == 0;
}

/* "xor.nnl - a perceptron ..." -> "a perceptron ..." */
static char *clean_title(const char *text, const char *name)
{
    const char *p = prose_of(text);
    size_t nl = strlen(name);
    if (strncmp(p, name, nl) == 0 && strncmp(p + nl, ".nnl", 4) == 0) {
        const char *q = p + nl + 4;
        while (*q == ' ')
            q++;
        if (*q == '-' || *q == ':') {
            q++;
            while (*q == ' ')
                q++;
            p = q;
        }
    }
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    char *t = malloc(n + 1);
    if (t) {
        memcpy(t, p, n);
        t[n] = 0;
    }
    return t;
}

int lesson_read(lesson *l, const char *path, const char *name)
{
    memset(l, 0, sizeof *l);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    repl_lines lr;
    repl_lines_init(&lr, f);
    char *p;
    int capl = 0, err = 0;
    while ((p = repl_lines_next(&lr, NULL)) != NULL) {
        if (is_blank(p))
            continue;
        if (!l->title && is_comment(p) && !is_directive(p)) {
            l->title = clean_title(p, name);   /* not part of a step */
            if (!l->title) {
                err = ENOMEM;
                break;
            }
            continue;
        }
        if (is_comment(p) && is_directive(p))
            continue;
        if (l->nlines == capl) {
            int c = capl ? 2 * capl : 64;
            lesson_line *nl = realloc(l->lines, (size_t)c * sizeof *nl);
            if (!nl) {
                err = ENOMEM;
                break;
            }
            l->lines = nl;
            capl = c;
        }
        lesson_line *ln = &l->lines[l->nlines];
        ln->lineno = lr.lineno;
        ln->comment = is_comment(p);
        ln->text = strdup(p);
        if (!ln->text) {
            err = ENOMEM;
            break;
        }
        l->nlines++;
    }
    if (!err && ferror(f))
        err = errno ? errno : EIO;
    repl_lines_free(&lr);
    fclose(f);
    if (!err && !l->title)
        l->title = strdup("");
    if (!err) {
        /* a step starts at the first line, and at each comment line that
         * follows a command */
        l->step_start = malloc(((size_t)l->nlines + 1) * sizeof(int));
        if (!l->step_start || !l->title)
            err = ENOMEM;
        for (int i = 0; !err && i < l->nlines; i++)
            if (i == 0 || (l->lines[i].comment && !l->lines[i - 1].comment))
                l->step_start[l->nsteps++] = i;
        if (!err)
            l->step_start[l->nsteps] = l->nlines;
    }
    if (err) {
        lesson_free(l);
        errno = err;
        return -1;
    }
    return 0;
}

/* What a "# requires: WHAT" line asks for that is missing here, as a
 * hint for the list ("needs ..."), or NULL. */
static const char *missing_requirement(const char *text)
{
    const char *p = prose_of(text) + 9;       /* after "requires:" */
    while (*p == ' ')
        p++;
    struct stat st;
    if (strncmp(p, "fashion-mnist", 13) == 0 &&
        !(stat(REPL_FASHION_DIR, &st) == 0 && S_ISDIR(st.st_mode)))
        return "needs dataset-fashion-mnist";
    return NULL;
}

char *lesson_title(const char *path, const char *name,
                        const char **need)
{
    *need = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *p, *title = NULL;
    repl_lines lr;
    repl_lines_init(&lr, f);
    while ((p = repl_lines_next(&lr, NULL)) != NULL && lr.lineno <= 30) {
        if (is_comment(p) && is_directive(p)) {
            if (!*need)
                *need = missing_requirement(p);
        } else if (is_comment(p) && !title) {
            title = clean_title(p, name);
        } else if (!is_blank(p) && !is_comment(p)) {
            break;                  /* the first command */
        }
    }
    repl_lines_free(&lr);
    fclose(f);
    return title;
}

void lesson_print_prose(const lesson *l, int from, int to)
{
    int end = from;
    while (end < to && l->lines[end].comment)
        end++;
    while (from < end && is_blank(prose_of(l->lines[from].text)))
        from++;
    while (end > from && is_blank(prose_of(l->lines[end - 1].text)))
        end--;
    for (int i = from; i < end; i++)
        printf("%s\n", prose_of(l->lines[i].text));
}
