/* figures.c - the figure sink (figures.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "figures.h"

static repl_figure_fn sink;
static void *sink_ctx;

void repl_figures_sink(repl_figure_fn fn, void *ctx)
{
    sink = fn;
    sink_ctx = ctx;
}

int repl_figures_inline(void)
{
    return sink != NULL;
}

const char *repl_figures_tmp(char *buf, size_t len, const char *ext)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    int n = snprintf(buf, len, "%s/nnlab-figure-XXXXXX%s", dir, ext);
    if (n < 0 || (size_t)n >= len)
        return NULL;
    int fd = mkstemps(buf, (int)strlen(ext));
    if (fd < 0)
        return NULL;
    close(fd);
    return buf;
}

void repl_figures_show(const char *path, const char *mime)
{
    if (sink)
        sink(sink_ctx, path, mime);
}
