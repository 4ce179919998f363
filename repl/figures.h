/* figures.h - where a session's figures go besides their own output: the
 * Jupyter kernel shows each `plot` inline.  A sink set here receives every
 * figure drawn without to= (cmd_plot.c renders it to a temporary PNG for
 * it, then removes the file). */
#ifndef REPL_FIGURES_H
#define REPL_FIGURES_H

#include <stddef.h>

/* path: the figure's file; mime: "image/png". */
typedef void (*repl_figure_fn)(void *ctx, const char *path, const char *mime);

/* Sets (fn non-NULL) or clears the sink. */
void repl_figures_sink(repl_figure_fn fn, void *ctx);
/* 1 when a sink is set: plots without to= go to it. */
int repl_figures_inline(void);
/* A fresh temporary file name for a figure (created empty, mode 0600):
 * buf, or NULL when none can be made. */
const char *repl_figures_tmp(char *buf, size_t len, const char *ext);
/* Hands path to the sink. */
void repl_figures_show(const char *path, const char *mime);

#endif
