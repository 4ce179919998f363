/* cmd_warnings.c - `warnings [all]`: the coach's warnings given so far,
 * or every one it watches for, each with its section, when it fires and
 * why it matters (the registry, coach_list.h). */
#include <stdio.h>
#include <string.h>
#include "coach.h"

#define WRAP 76

/* text after head, cut at spaces into lines of WRAP columns at most, the
 * lines after the first indented as wide as head. */
static void print_wrapped(const char *head, const char *text)
{
    size_t ind = strlen(head), col = ind;
    fputs(head, stdout);
    const char *p = text;
    while (*p) {
        size_t w = strcspn(p, " ");
        if (col > ind && col + 1 + w > WRAP) {
            printf("\n%*s", (int)ind, "");
            col = ind;
        } else if (col > ind) {
            putchar(' ');
            col++;
        }
        fwrite(p, 1, w, stdout);
        col += w;
        p += w;
        p += strspn(p, " ");
    }
    putchar('\n');
}

static void print_info(const repl_warning_info *w)
{
    printf("  %s (section %s)\n", w->name, w->section);
    print_wrapped("    when: ", w->threshold);
    print_wrapped("    why:  ", w->why);
}

static int cmd_warnings(repl_session *s, const repl_args *a)
{
    const repl_coach *c = &s->coach;
    if (a->npos == 1) {
        if (strcmp(a->pos[0], "all") != 0)
            return repl_error(s, "warnings", "unknown word '%s'; give all (every "
                              "warning the coach knows), or nothing (the ones "
                              "given)", a->pos[0]);
        printf("the coach's %d warnings (%s):\n", REPL_W_COUNT,
               c->off ? "off: set warnings=on" : "on");
        for (int i = 0; i < REPL_W_COUNT; i++)
            print_info(&repl_warnings[i]);
        return 0;
    }
    if (c->ngiven == 0) {
        printf("no warnings so far (the coach is %s; warnings all lists what "
               "it watches)\n", c->off ? "off: set warnings=on" : "on");
        return 0;
    }
    printf("%d warning%s so far%s:\n", c->ngiven, c->ngiven == 1 ? "" : "s",
           c->off ? " (the coach is off now)" : "");
    for (int k = 0; k < c->ngiven; k++) {
        int id = c->order[k];
        printf("  %s:\n", repl_warnings[id].name);
        print_wrapped("    ", c->line[id]);
        print_wrapped("    why:  ", repl_warnings[id].why);
    }
    return 0;
}

static const char *const warnings_words[] = {"all", NULL};

#define REPL_W_HELP(id, name, section, threshold, why) \
    "  " name " (section " section "): " threshold ".\n"

const repl_cmd repl_cmds_warnings[] = {
    {.name = "warnings", .topic = "session", .run = cmd_warnings,
     .args = "[all]",
     .summary = "the coach's warnings: those given, or all it watches",
     .help =
     "The coach watches for the classic mistakes of chapter 10 and says,\n"
     "once a session each, what is wrong and what to do, as one line where\n"
     "errors go:  warning: COMMAND: what is wrong; what to do (section).\n"
     "A warning never stops a script, never changes a number and never\n"
     "draws a random number; set warnings=off silences them (the results\n"
     "are the same).  warnings lists those given, with why each matters;\n"
     "warnings all lists every one.  Each, its section, and when it fires:\n"
     REPL_WARNINGS(REPL_W_HELP)
     "\n"
     "Example:\n"
     "  warnings\n"
     "  set warnings=off\n"
     "\n"
     "Keras: no equivalent (Keras trains the mistakes silently).",
     .minpos = 0, .maxpos = 1, .pos_kind = REPL_POS_WORDS,
     .pos_values = warnings_words},
    {NULL},
};
