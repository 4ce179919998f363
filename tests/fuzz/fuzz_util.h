/* fuzz_util.h - what the loader harnesses share: the input written to a
 * scratch file (the loaders take paths), a small memory cap. */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "nn.h"

/* A fresh folder for this process's scratch files; its name in dir. */
static char fuzz_dir[64];

static void fuzz_init(void)
{
    strcpy(fuzz_dir, "/tmp/nnlab-fuzz.XXXXXX");
    if (!mkdtemp(fuzz_dir))
        abort();
    nn_set_memcap((size_t)16 << 20);
}

/* Writes size bytes to fuzz_dir/name; the path into buf. */
static const char *fuzz_write(const char *name, const void *data, size_t size,
                              char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", fuzz_dir, name);
    FILE *f = fopen(buf, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    if (fclose(f) != 0)
        abort();
    return buf;
}

/* A failure must say something (the shell shows control characters in a
 * message as ?, so a quoted newline is harmless). */
static void fuzz_check_msg(const nn_err *e)
{
    if (!e->msg[0] || !memchr(e->msg, 0, sizeof e->msg))
        abort();
}

#endif
