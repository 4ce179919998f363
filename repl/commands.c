/* commands.c - every command table of the shell, in the order `help`
 * lists them and `nnlab --commands` prints them (a new command file adds
 * its table here: one line), and the table assembled from them, each
 * entry with its generated usage line and keyword list (opts.c). */
#include <stdlib.h>
#include <string.h>
#include "repl.h"

const repl_cmd *const repl_cmd_tables[] = {
    repl_cmds_data,
    repl_cmds_split,
    repl_cmds_scale,
    repl_cmds_show,
    repl_cmds_model,
    repl_cmds_merge,
    repl_cmds_compile,
    repl_cmds_fit,
    repl_cmds_step,
    repl_cmds_evaluate,
    repl_cmds_predict,
    repl_cmds_history,
    repl_cmds_expect,
    repl_cmds_callback,
    repl_cmds_lrfind,
    repl_cmds_search,
    repl_cmds_save,
    repl_cmds_export,
    repl_cmds_weights,
    repl_cmds_grads,
    repl_cmds_activations,
    repl_cmds_gradcheck,
    repl_cmds_perceptron,
    repl_cmds_plot,
    repl_cmds_lesson,
    repl_cmds_warnings,
    repl_cmds_session,
    NULL
};

static const repl_cmd **table;       /* every command, NULL-terminated */
static const char **names;           /* their names, NULL-terminated */

/* A declared command with its generated usage line and keyword list
 * (command.h); kept for the whole session. */
static const repl_cmd *declared(const repl_cmd *c)
{
    repl_cmd *d = malloc(sizeof *d);
    char *usage = repl_usage_of(c), *keys = repl_keys_of(c);
    if (!d || !usage || !keys) {
        fputs("nnlab: out of memory\n", stderr);
        exit(1);
    }
    *d = *c;
    d->usage = usage;
    d->keys = keys;
    return d;
}

static void build(void)
{
    const repl_cmd *const *topics = repl_cmd_tables;
    size_t n = 0;
    for (int t = 0; topics[t]; t++)
        for (const repl_cmd *c = topics[t]; c->name; c++)
            n++;
    table = malloc((n + 1) * sizeof *table);
    names = malloc((n + 1) * sizeof *names);
    if (!table || !names) {
        fputs("nnlab: out of memory\n", stderr);
        exit(1);
    }
    n = 0;
    for (int t = 0; topics[t]; t++)
        for (const repl_cmd *c = topics[t]; c->name; c++) {
            table[n] = declared(c);
            names[n++] = c->name;
        }
    table[n] = NULL;
    names[n] = NULL;
}

const repl_cmd *const *repl_commands(void)
{
    if (!table)
        build();
    return table;
}

const char *const *repl_command_names(void)
{
    if (!names)
        build();
    return names;
}

const repl_cmd *repl_find(const char *name)
{
    const repl_cmd *const *t = repl_commands();
    for (int i = 0; t[i]; i++)
        if (strcmp(t[i]->name, name) == 0)
            return t[i];
    return NULL;
}
