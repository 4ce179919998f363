/* script.h - a growing text buffer, for gnuplot scripts and text figures.
 *
 * A figure is written as one gnuplot script: its data inline as named
 * datablocks ($name << EOD ... EOD, never temporary files), then the
 * settings and the plot commands.  The same text is sent to gnuplot and,
 * with script=FILE.gp, saved for a teacher to restyle.  A buffer that ran
 * out of memory keeps its oom flag and ignores further writes, so callers
 * check once at the end. */
#ifndef PLOT_SCRIPT_H
#define PLOT_SCRIPT_H

#include <stddef.h>

typedef struct plot_buf {
    char *s;        /* NUL-terminated text, or NULL while empty */
    size_t len, cap;
    int oom;        /* an allocation failed: the text is incomplete */
} plot_buf;

void plot_buf_init(plot_buf *b);
void plot_buf_free(plot_buf *b);
void plot_buf_clear(plot_buf *b);      /* empties, keeps the memory */
void plot_buf_add(plot_buf *b, const char *text, size_t n);
void plot_buf_puts(plot_buf *b, const char *text);
void plot_buf_putc(plot_buf *b, char c);
void plot_buf_printf(plot_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The text, never NULL ("" when empty). */
const char *plot_buf_str(const plot_buf *b);

/* text as a gnuplot single-quoted string: 'it''s' (no escapes are
 * processed inside single quotes, so names with \ or " stay as typed). */
void plot_buf_quote(plot_buf *b, const char *text);
/* A number as data: %.9g (float precision and a bit); NaN and the
 * infinities as NaN, which gnuplot reads as undefined (a gap). */
void plot_buf_num(plot_buf *b, double v);
/* "$name << EOD\n" and "EOD\n". */
void plot_buf_block_begin(plot_buf *b, const char *name);
void plot_buf_block_end(plot_buf *b);

#endif
