/* buf.c - the growing text buffer (buf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"

void nn_buf_init(nn_buf *b)
{
    memset(b, 0, sizeof *b);
}

void nn_buf_free(nn_buf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

void nn_buf_clear(nn_buf *b)
{
    b->len = 0;
    b->oom = 0;
    if (b->s)
        b->s[0] = 0;
}

/* Room for n more bytes and the NUL; doubles from 256 bytes. */
static int reserve(nn_buf *b, size_t n)
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

void nn_buf_add(nn_buf *b, const char *text, size_t n)
{
    if (reserve(b, n) < 0)
        return;
    memcpy(b->s + b->len, text, n);
    b->len += n;
    b->s[b->len] = 0;
}

void nn_buf_puts(nn_buf *b, const char *text)
{
    nn_buf_add(b, text, strlen(text));
}

void nn_buf_putc(nn_buf *b, char c)
{
    nn_buf_add(b, &c, 1);
}

void nn_buf_printf(nn_buf *b, const char *fmt, ...)
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
        nn_buf_add(b, small, (size_t)n);
        return;
    }
    if (reserve(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *nn_buf_str(const nn_buf *b)
{
    return b->s ? b->s : "";
}

char *nn_buf_take(nn_buf *b)
{
    char *s = b->oom ? NULL : b->s ? b->s : calloc(1, 1);
    if (b->oom)
        free(b->s);
    memset(b, 0, sizeof *b);
    return s;
}
