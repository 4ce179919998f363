/* hints.c - the command hint for each engine message that has one (see
 * hints.h).  Each entry is the engine's text and the hint that follows
 * it.  The text ends the message, and starts it or follows ": " (a
 * message another was wrapped around: "its compile settings are refused:
 * ..."). */
#include <string.h>
#include "hints.h"

typedef struct hint {
    const char *engine;   /* the engine's words */
    const char *hint;
} hint;

static const hint hints[] = {
    {"the model is not compiled", "; run compile loss=... optimizer=... first"},
    {"the model has no layers with weights", "; add dense first"},
    {"the model has no layers after its input", "; add dense first"},
    {"no data", ": load some first (data xor, data iris, ...)"},
};

/* Whether the words at p start msg or follow ": " (a wrapping prefix). */
static int starts_clause(const char *msg, const char *p)
{
    return p == msg || (p - msg >= 2 && p[-2] == ':' && p[-1] == ' ');
}

const char *repl_hint(const char *msg)
{
    size_t n = strlen(msg);
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
        const hint *h = &hints[i];
        size_t k = strlen(h->engine);
        if (n >= k && strcmp(msg + n - k, h->engine) == 0 &&
            starts_clause(msg, msg + n - k))
            return h->hint;
    }
    return "";
}
