/* script.c - the growing text buffer behind every figure. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "script.h"

void plot_buf_init(plot_buf *b)
{
    memset(b, 0, sizeof *b);
}

void plot_buf_free(plot_buf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

void plot_buf_clear(plot_buf *b)
{
    b->len = 0;
    b->oom = 0;
    if (b->s)
        b->s[0] = 0;
}

/* Room for n more bytes and the NUL. */
static int reserve(plot_buf *b, size_t n)
{
    if (b->oom)
        return -1;
    if (n > ((size_t)-1) / 2 - b->len) {
        b->oom = 1;
        return -1;
    }
    size_t need = b->len + n + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) {
        b->oom = 1;
        return -1;
    }
    b->s = s;
    b->cap = cap;
    return 0;
}

void plot_buf_add(plot_buf *b, const char *text, size_t n)
{
    if (reserve(b, n) < 0)
        return;
    memcpy(b->s + b->len, text, n);
    b->len += n;
    b->s[b->len] = 0;
}

void plot_buf_puts(plot_buf *b, const char *text)
{
    plot_buf_add(b, text, strlen(text));
}

void plot_buf_putc(plot_buf *b, char c)
{
    plot_buf_add(b, &c, 1);
}

void plot_buf_printf(plot_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        plot_buf_add(b, small, (size_t)n);
        return;
    }
    if (reserve(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *plot_buf_str(const plot_buf *b)
{
    return b->s ? b->s : "";
}

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
