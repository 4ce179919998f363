/* help.c - help in three tiers (as sqlite3's .help): the list by topic,
 * one command in full, and a search of all help text for a word. */
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "repl.h"

/* ---- the list ---- */

static int name_width(const repl_cmd *const *t)
{
    int w = 0;
    for (int i = 0; t[i]; i++) {
        int l = (int)strlen(t[i]->name);
        if (l > w)
            w = l;
    }
    return w;
}

static void print_entry(const repl_cmd *c, int width)
{
    printf("  %-*s  %s\n", width, c->name, c->summary ? c->summary : "");
}

static const char *topic_of(const repl_cmd *c)
{
    return c->topic ? c->topic : "other";
}

/* Prints the commands of one topic under its name; 1 if any. */
static int print_topic(const repl_cmd *const *t, const char *topic,
                       int width, int first)
{
    int shown = 0;
    for (int i = 0; t[i]; i++) {
        if (strcmp(topic_of(t[i]), topic) != 0)
            continue;
        if (!shown)
            printf("%s%s\n", first ? "" : "\n", topic);
        shown = 1;
        print_entry(t[i], width);
    }
    return shown;
}

/* Topics in the usual order, then any other topic a table names, in the
 * order it first appears. */
static void print_list(const repl_cmd *const *t, int width)
{
    int first = 1;
    for (int k = 0; repl_topic_names[k]; k++)
        if (print_topic(t, repl_topic_names[k], width, first))
            first = 0;
    for (int i = 0; t[i]; i++) {
        const char *topic = topic_of(t[i]);
        int seen = nn_lookup(repl_topic_names, topic) >= 0;
        for (int j = 0; j < i && !seen; j++)
            seen = strcmp(topic_of(t[j]), topic) == 0;
        if (!seen && print_topic(t, topic, width, first))
            first = 0;
    }
}

/* ---- search ---- */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int contains(const char *hay, const char *needle)
{
    if (!hay)
        return 0;
    size_t nl = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < nl && hay[i] &&
               lower((unsigned char)hay[i]) == lower((unsigned char)needle[i]))
            i++;
        if (i == nl)
            return 1;
    }
    return 0;
}

/* A help text with each {{KEY}} replaced by the values of keyword KEY
 * (repl_key_values: the engine's name tables, so a list of activations,
 * initializers or losses is written in one place), space-separated and
 * wrapped before column 76 (malloc'd; NULL when out of memory). */
static char *expand_help(const char *text)
{
    nn_buf b;
    nn_buf_init(&b);
    int col = 0;
    for (const char *p = text; *p;) {
        const char *end = strncmp(p, "{{", 2) == 0 ? strstr(p + 2, "}}") : NULL;
        char key[64];
        const char *const *v = NULL;
        if (end && (size_t)(end - p - 2) < sizeof key) {
            memcpy(key, p + 2, (size_t)(end - p - 2));
            key[end - p - 2] = 0;
            v = repl_key_values(key);
        }
        if (!v) {
            nn_buf_printf(&b, "%c", *p);
            col = *p == '\n' ? 0 : col + 1;
            p++;
            continue;
        }
        for (int i = 0; v[i]; i++) {
            int w = (int)strlen(v[i]);
            if (i && col + 1 + w > 75) {
                nn_buf_printf(&b, "\n");
                col = 0;
            } else if (i) {
                nn_buf_printf(&b, " ");
                col++;
            }
            nn_buf_printf(&b, "%s", v[i]);
            col += w;
        }
        p = end + 2;
    }
    return nn_buf_take(&b);
}

static void print_text(const char *text)
{
    if (!text || !*text)
        return;
    char *x = expand_help(text);
    if (x)
        text = x;
    fputs(text, stdout);
    if (text[strlen(text) - 1] != '\n')
        putchar('\n');
    free(x);
}

/* The search of a help text, its lists expanded. */
static int help_contains(const char *text, const char *word)
{
    char *x = text ? expand_help(text) : NULL;
    int r = contains(x ? x : text, word);
    free(x);
    return r;
}

int repl_cmd_help(repl_session *s, const repl_args *a)
{
    const repl_cmd *const *t = repl_commands();
    int width = name_width(t);
    if (a->npos == 0) {
        printf("Commands (help COMMAND shows one, help WORD searches "
               "the help):\n\n");
        print_list(t, width);
        return 0;
    }
    const char *word = a->pos[0];
    const repl_cmd *c = repl_find(word);
    if (c) {
        printf("usage: %s\n", c->usage ? c->usage : c->name);
        if (c->help && *c->help) {
            putchar('\n');
            print_text(c->help);
        } else if (c->summary) {
            putchar('\n');
            print_text(c->summary);
        }
        return 0;
    }
    int n = 0;
    while (t[n])
        n++;
    const repl_cmd **hits = malloc(((size_t)n + 1) * sizeof *hits);
    if (!hits)
        return repl_error(s, "help", "out of memory");
    int nh = 0;
    for (int i = 0; i < n; i++)
        if (contains(t[i]->name, word) || contains(t[i]->usage, word) ||
            contains(t[i]->summary, word) || help_contains(t[i]->help, word) ||
            contains(t[i]->topic, word) || contains(t[i]->keys, word))
            hits[nh++] = t[i];
    hits[nh] = NULL;
    if (nh == 0) {
        free(hits);
        const char *hint = repl_suggest(word, repl_command_names());
        return repl_error(s, "help", "no command or help text mentions '%s'"
                          "%s%s%s; type help for the list", word,
                          *hint ? " (" : "", hint, *hint ? ")" : "");
    }
    printf("Commands that mention '%s' (help COMMAND for more):\n\n", word);
    print_list(hits, name_width(hits));
    free(hits);
    return 0;
}
