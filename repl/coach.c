/* coach.c - the coach's registry (coach_list.h) and the one printer of a
 * warning (repl_warn); the `warnings` command is cmd_warnings.c. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "coach.h"

_Static_assert(REPL_W_COUNT <= REPL_COACH_MAX, "coach_state.h holds the warnings");

const repl_warning_info repl_warnings[REPL_W_COUNT] = {
#define REPL_W_INFO(id, name, section, threshold, why) \
    {name, section, threshold, why},
    REPL_WARNINGS(REPL_W_INFO)
#undef REPL_W_INFO
};

int repl_warn_due(const repl_session *s, repl_warn_id id)
{
    return !s->coach.off && id >= 0 && id < REPL_W_COUNT && !s->coach.given[id];
}

void repl_warn(repl_session *s, repl_warn_id id, const char *cmd,
               const char *fmt, ...)
{
    if (!repl_warn_due(s, id))
        return;
    repl_coach *c = &s->coach;
    char *line = c->line[id];
    int k = snprintf(line, REPL_COACH_LINE, "%s: ", cmd);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + k, REPL_COACH_LINE - (size_t)k, fmt, ap);
    va_end(ap);
    size_t len = strlen(line);
    snprintf(line + len, REPL_COACH_LINE - len, " (section %s)",
             repl_warnings[id].section);
    repl_sanitize(line);
    c->given[id] = 1;
    c->order[c->ngiven++] = (signed char)id;
    /* where errors go: stdout first, then the line on stderr */
    fflush(stdout);
    if (s->src_file)
        fprintf(stderr, "%s:%d: ", s->src_file, s->src_line);
    fprintf(stderr, "warning: %s\n", line);
    fflush(stderr);
}
