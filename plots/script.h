/* script.h - gnuplot scripts and text figures, written into the one
 * growing text buffer (nn/buf.h's nn_buf).
 *
 * A figure is written as one gnuplot script: its data inline as named
 * datablocks ($name << EOD ... EOD, never temporary files), then the
 * settings and the plot commands.  The same text is sent to gnuplot and,
 * with script=FILE.gp, saved for a teacher to restyle.  A buffer that ran
 * out of memory keeps its oom flag and ignores further writes, so callers
 * check once at the end. */
#ifndef PLOT_SCRIPT_H
#define PLOT_SCRIPT_H

#include "buf.h"

/* A script or a text figure is an nn_buf; plot_buf_init .. plot_buf_str
 * are nn_buf_init .. nn_buf_str under the figures' names. */
typedef nn_buf plot_buf;

#define plot_buf_init   nn_buf_init
#define plot_buf_free   nn_buf_free
#define plot_buf_clear  nn_buf_clear     /* empties, keeps the memory */
#define plot_buf_add    nn_buf_add
#define plot_buf_puts   nn_buf_puts
#define plot_buf_putc   nn_buf_putc
#define plot_buf_printf nn_buf_printf
#define plot_buf_str    nn_buf_str       /* never NULL ("" when empty) */

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
