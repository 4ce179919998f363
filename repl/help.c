/* help.c - help in three tiers (as sqlite3's .help): the list by topic,
 * one command in full, and a search of all help text for a word. */
#include <stdlib.h>
#include <string.h>
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

static void print_text(const char *text)
{
    if (!text || !*text)
        return;
    fputs(text, stdout);
    if (text[strlen(text) - 1] != '\n')
        putchar('\n');
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
            contains(t[i]->summary, word) || contains(t[i]->help, word) ||
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
