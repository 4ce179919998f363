/* script.c - what a gnuplot script needs on top of the growing text
 * buffer (nn/buf.c): quoted strings, numbers as data, datablocks. */
#include <math.h>
#include "script.h"

void plot_buf_quote(plot_buf *b, const char *text)
{
    plot_buf_putc(b, '\'');
    for (const char *p = text; *p; p++) {
        if (*p == '\'')
            plot_buf_putc(b, '\'');
        if (*p == '\n' || *p == '\r')   /* one line per string */
            plot_buf_putc(b, ' ');
        else
            plot_buf_putc(b, *p);
    }
    plot_buf_putc(b, '\'');
}

void plot_buf_num(plot_buf *b, double v)
{
    if (!isfinite(v))
        plot_buf_puts(b, "NaN");
    else
        plot_buf_printf(b, "%.9g", v);
}

void plot_buf_block_begin(plot_buf *b, const char *name)
{
    plot_buf_printf(b, "$%s << EOD\n", name);
}

void plot_buf_block_end(plot_buf *b)
{
    plot_buf_puts(b, "EOD\n");
}
