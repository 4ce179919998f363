/* notebook.c - a script (or a lesson) as a notebook (notebook.h).
 *
 * A lesson's comment blocks are the teacher's text and its commands the
 * steps (lesson_file.h): here each block of '#' lines becomes a Markdown
 * cell ("# " taken off, so an indented formula stays a code block in
 * Markdown; the first line, the title, a heading), and the commands up to
 * the next comment block or blank line one code cell.  "# requires: ..." lines are for
 * the test runner and are left out. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "notebook.h"
#include "kernel_wire.h"
#include "lineread.h"

/* "source" as nbformat keeps it: lines, each but the last with its \n. */
static json_t *source_of(char **lines, int n)
{
    json_t *src = json_array();
    for (int i = 0; i < n; i++) {
        size_t len = strlen(lines[i]);
        char *l = malloc(len + 2);
        if (!l)
            continue;
        memcpy(l, lines[i], len);
        l[len] = i + 1 < n ? '\n' : 0;
        l[len + 1] = 0;
        json_t *t = json_string(l);
        if (!t) {                    /* not UTF-8: bytes >= 0x80 as '?' */
            for (char *c = l; *c; c++)
                if ((unsigned char)*c >= 0x80)
                    *c = '?';
            t = json_string(l);
        }
        json_array_append_new(src, t ? t : json_string(""));
        free(l);
    }
    return src;
}

static json_t *cell(int code, char **lines, int n)
{
    char id[33];
    kn_new_id(id);
    id[12] = 0;                      /* nbformat 4.5: 1-64 characters */
    if (code)
        return json_pack("{s:s, s:s, s:n, s:{}, s:[], s:o}", "cell_type", "code",
                         "id", id, "execution_count", "metadata", "outputs",
                         "source", source_of(lines, n));
    return json_pack("{s:s, s:s, s:{}, s:o}", "cell_type", "markdown", "id", id,
                     "metadata", "source", source_of(lines, n));
}

static int is_comment(const char *l)
{
    while (*l == ' ' || *l == '\t')
        l++;
    return *l == '#';
}

static int is_blank(const char *l)
{
    while (*l == ' ' || *l == '\t')
        l++;
    return *l == 0;
}

/* "# text" -> "text"; "#" -> "". */
static char *prose(const char *l)
{
    while (*l == ' ' || *l == '\t')
        l++;
    l++;
    if (*l == ' ')
        l++;
    return strdup(l);
}

typedef struct block {
    char **lines;
    int n, cap;
    int code;
} block;

static int block_add(block *b, char *line)
{
    if (!line)
        return -1;
    if (b->n == b->cap) {
        int cap = b->cap ? 2 * b->cap : 16;
        char **l = realloc(b->lines, (size_t)cap * sizeof *l);
        if (!l) {
            free(line);
            return -1;
        }
        b->lines = l;
        b->cap = cap;
    }
    b->lines[b->n++] = line;
    return 0;
}

/* The block as a cell of cells (blank lines at its end dropped). */
static void block_flush(block *b, json_t *cells, int *first)
{
    while (b->n && is_blank(b->lines[b->n - 1]))
        free(b->lines[--b->n]);
    if (b->n) {
        if (!b->code && *first) {    /* the title: a heading */
            char *h = malloc(strlen(b->lines[0]) + 3);
            if (h) {
                sprintf(h, "# %s", b->lines[0]);
                free(b->lines[0]);
                b->lines[0] = h;
            }
        }
        *first = 0;
        json_array_append_new(cells, cell(b->code, b->lines, b->n));
    }
    for (int i = 0; i < b->n; i++)
        free(b->lines[i]);
    b->n = 0;
}

json_t *nb_from_script(const char *path, char *why, size_t len)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(why, len, "cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    json_t *cells = json_array();
    block b = {0};
    int first = 1;
    repl_lines lr;
    repl_lines_init(&lr, f);
    char *p;
    size_t n;
    while ((p = repl_lines_next(&lr, &n)) != NULL) {
        if (is_comment(p)) {
            char *t = prose(p);
            if (t && !strncmp(t, "requires:", 9)) {
                free(t);
                continue;
            }
            if (b.code)
                block_flush(&b, cells, &first);
            b.code = 0;
            block_add(&b, t);
        } else if (is_blank(p)) {
            block_flush(&b, cells, &first);   /* a blank line ends a cell */
        } else {
            if (!b.code)
                block_flush(&b, cells, &first);
            b.code = 1;
            block_add(&b, strdup(p));
        }
    }
    block_flush(&b, cells, &first);
    free(b.lines);
    int err = ferror(f);
    repl_lines_free(&lr);
    fclose(f);
    if (err) {
        snprintf(why, len, "cannot read '%s'", path);
        json_decref(cells);
        return NULL;
    }
    return json_pack("{s:o, s:{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}}, "
                     "s:i, s:i}", "cells", cells, "metadata", "kernelspec",
                     "display_name", "nnlab", "language", "nnlab", "name",
                     "nnlab", "language_info", "name", "nnlab", "file_extension",
                     ".nnl", "mimetype", "text/x-nnlab", "codemirror_mode",
                     "shell", "nbformat", 4, "nbformat_minor", 5);
}

int nb_write(const json_t *nb, const char *path)
{
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 5);
    if (!tmp)
        return -1;
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmp", 5);
    int r = json_dump_file(nb, tmp, JSON_INDENT(1) | JSON_ENSURE_ASCII);
    if (r == 0 && rename(tmp, path) != 0)
        r = -1;
    if (r != 0) {
        int e = errno;
        unlink(tmp);
        errno = e ? e : EIO;
    }
    free(tmp);
    return r ? -1 : 0;
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !strcmp(s + a - b, tail);
}

int repl_notebook_main(int argc, char **argv, uint64_t seed)
{
    const char *in = NULL, *out = NULL;
    int execute = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--execute"))
            execute = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return fprintf(stderr, "nnlab: --notebook: unknown option '%s'\n"
                           "usage: nnlab --notebook FILE.nnl [OUT.ipynb] "
                           "[--execute]\n", argv[i]), 2;
        else if (!in)
            in = argv[i];
        else if (!out)
            out = argv[i];
        else
            return fprintf(stderr, "nnlab: --notebook: one script at a time "
                           "('%s' is extra)\n", argv[i]), 2;
    }
    if (!in)
        return fprintf(stderr, "nnlab: --notebook needs a script: nnlab "
                       "--notebook FILE.nnl [OUT.ipynb] [--execute]\n"), 2;
    char outbuf[4096];
    if (!out) {
        size_t l = strlen(in);
        if (ends_with(in, ".nnl"))
            l -= 4;
        snprintf(outbuf, sizeof outbuf, "%.*s.ipynb", (int)l, in);
        out = outbuf;
    }
    if (!ends_with(out, ".ipynb"))
        return fprintf(stderr, "nnlab: --notebook: the notebook's name must end "
                       "in .ipynb (got '%s')\n", out), 2;
    char why[512];
    json_t *nb = nb_from_script(in, why, sizeof why);
    if (!nb)
        return fprintf(stderr, "nnlab: --notebook: %s\n", why), 2;
    int bad = execute && nb_execute(nb, seed) < 0;
    int r = nb_write(nb, out);
    size_t ncells = json_array_size(json_object_get(nb, "cells"));
    json_decref(nb);
    if (r < 0)
        return fprintf(stderr, "nnlab: --notebook: cannot write '%s': %s\n", out,
                       strerror(errno)), 1;
    printf("wrote %s (%zu cells%s)\n", out, ncells,
           execute ? bad ? ", run up to the first error" : ", run" : "");
    return bad ? 1 : 0;
}
