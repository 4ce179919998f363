/* data_common.c - what the data commands share (data_common.h). */
#include <stdio.h>
#include <string.h>
#include "data_common.h"

const char *const repl_data_words[] = {
    "xor", "circles", "moons", "spiral", "gauss", "plane", "sine",
    "outliers", "iris", "fashion_mnist", "csv", NULL
};

const char *repl_reload_cmd(const repl_session *s, char *buf, size_t len)
{
    if (nn_lookup(repl_data_words, s->data_name) >= 0)
        snprintf(buf, len, "data %s", s->data_name);
    else
        snprintf(buf, len, "data csv %s target=...", s->data_name);
    return buf;
}

int repl_names_differ(const nn_dataset *ds)
{
    if (!ds->class_names)
        return 0;
    for (int i = 0; i < ds->nclasses; i++) {
        char b[16];
        snprintf(b, sizeof b, "%d", i);
        if (strcmp(b, ds->class_names[i]) != 0)
            return 1;
    }
    return 0;
}
