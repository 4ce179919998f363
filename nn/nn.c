/* nn.c - errors, the memory cap and small helpers every module uses. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nn.h"

static size_t memcap = NN_MEMCAP_DEFAULT;

int nn_fail(nn_err *e, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return NN_FAIL;
}

void nn_set_memcap(size_t bytes) { memcap = bytes; }
size_t nn_memcap(void) { return memcap; }

size_t nn_mul3(size_t a, size_t b, size_t c)
{
    if (a == 0 || b == 0 || c == 0)
        return 0;
    if (a > SIZE_MAX / b)
        return 0;
    size_t ab = a * b;
    if (ab > SIZE_MAX / c)
        return 0;
    return ab * c;
}

const char *nn_size_text(double bytes, char *buf)
{
    static const char *const unit[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) {
        snprintf(buf, NN_SIZETEXT, "%.0f byte%s", bytes, bytes == 1 ? "" : "s");
        return buf;
    }
    int u = 0;
    bytes /= 1024;
    while (bytes >= 1023.95 && u < 5)   /* never "1024.0 KiB" */
        bytes /= 1024, u++;
    snprintf(buf, NN_SIZETEXT, "%.1f %s", bytes, unit[u]);
    return buf;
}

void *nn_calloc(size_t n, size_t sz, nn_err *e)
{
    size_t bytes = nn_mul3(n, sz, 1);
    if (n == 0 || sz == 0)
        bytes = 1, n = 1, sz = 1;
    else if (bytes == 0) {
        nn_fail(e, "size overflows memory (%zu x %zu bytes)", n, sz);
        return NULL;
    }
    if (bytes > memcap) {
        char b1[NN_SIZETEXT], b2[NN_SIZETEXT];
        nn_fail(e, "needs %s, over the memory cap of %s "
                   "(raise it with: set memory_cap=BYTES)",
                nn_size_text((double)bytes, b1), nn_size_text((double)memcap, b2));
        return NULL;
    }
    void *p = calloc(n, sz);
    if (!p)
    {
        char b1[NN_SIZETEXT];
        nn_fail(e, "out of memory allocating %s", nn_size_text((double)bytes, b1));
    }
    return p;
}

int nn_lookup(const char *const *table, const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; table[i]; i++)
        if (strcmp(table[i], name) == 0)
            return i;
    return -1;
}

int nn_lookup_alias(const char *const *table, const nn_alias *aliases,
                    size_t naliases, const char *name)
{
    int i = nn_lookup(table, name);
    if (i >= 0 || !name)
        return i;
    for (size_t a = 0; a < naliases; a++)
        if (strcmp(name, aliases[a].alias) == 0)
            return aliases[a].k;
    return -1;
}
