/* nn.h - what every part of the engine shares: status codes, the error
 * message, the memory cap.
 *
 * The engine never prints and never exits.  A call that can fail returns
 * NN_OK (0) or NN_FAIL (-1) and, on failure, fills an nn_err with one line
 * that the shell shows as "error: <command>: <msg>". */
#ifndef NN_NN_H
#define NN_NN_H

#include <stddef.h>
#include <stdint.h>

#define NN_OK 0
#define NN_FAIL (-1)

#define NN_ERRMAX 256
#define NN_NAMEMAX 32   /* layer, model and class names, with the NUL */

typedef struct nn_err {
    char msg[NN_ERRMAX];
} nn_err;

/* Fills e->msg (when e is not NULL) and returns NN_FAIL. */
int nn_fail(nn_err *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The memory cap: allocations of models and data sets that would pass it
 * are refused before anything is allocated.  Default NN_MEMCAP_DEFAULT. */
#define NN_MEMCAP_DEFAULT ((size_t)4 << 30)
void nn_set_memcap(size_t bytes);
size_t nn_memcap(void);

/* n elements of size sz, checked for overflow and against the cap; zeroed.
 * Returns NULL and fills e when refused or when calloc fails. */
void *nn_calloc(size_t n, size_t sz, nn_err *e);

/* a * b * c with overflow check: returns 0 on overflow (use for sizes). */
size_t nn_mul3(size_t a, size_t b, size_t c);
/* A size for messages: "900 bytes", "12.5 KiB", "1.5 MiB", "2.0 GiB".
 * buf needs 24 characters; returns buf. */
#define NN_SIZETEXT 24
const char *nn_size_text(double bytes, char *buf);

/* Case-sensitive lookup of name in a NULL-terminated table; -1 if absent. */
int nn_lookup(const char *const *table, const char *name);

/* Another accepted spelling of a table's entry (Keras's long names). */
typedef struct nn_alias {
    const char *alias;
    int k;          /* index in the table */
} nn_alias;
/* Index of name in table, else of the alias that spells it, else -1. */
int nn_lookup_alias(const char *const *table, const nn_alias *aliases,
                    size_t naliases, const char *name);

#endif
