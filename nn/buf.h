/* buf.h - a growing text buffer, the one every layer uses (gnuplot
 * scripts, Keras code, TensorBoard strings, callback messages).
 *
 * A buffer that ran out of memory keeps its oom flag and ignores further
 * writes, so callers check once at the end. */
#ifndef NN_BUF_H
#define NN_BUF_H

#include <stddef.h>

typedef struct nn_buf {
    char *s;        /* NUL-terminated text, or NULL while empty */
    size_t len, cap;
    int oom;        /* an allocation failed: the text is incomplete */
} nn_buf;

void nn_buf_init(nn_buf *b);
void nn_buf_free(nn_buf *b);
void nn_buf_clear(nn_buf *b);      /* empties, keeps the memory */
void nn_buf_add(nn_buf *b, const char *text, size_t n);
void nn_buf_puts(nn_buf *b, const char *text);
void nn_buf_putc(nn_buf *b, char c);
void nn_buf_printf(nn_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The text, never NULL ("" when empty). */
const char *nn_buf_str(const nn_buf *b);
/* Hands the text to the caller (free() it; NULL when out of memory, ""
 * allocated when empty) and leaves b empty. */
char *nn_buf_take(nn_buf *b);

#endif
