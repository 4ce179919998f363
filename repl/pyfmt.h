/* pyfmt.h - Python literals for the code and files nnlab writes (Keras
 * code, CSVLogger rows, checkpoint names): the one number formatter and
 * the one string quoter. */
#ifndef REPL_PYFMT_H
#define REPL_PYFMT_H

#include <stddef.h>

/* How repl_py_float writes v; the flags combine.
 *   REPL_PY_SHORT  the shortest %g that reads back as v: "1", "0.001",
 *                  "1e-05", "1e+03" (what the Keras code shows, e.g.
 *                  learning_rate=0.001, Huber(delta=2))
 *   REPL_PY_REPR   Python 3's repr(): fixed notation for exponents -4..15,
 *                  else d.ddde+XX: "1.0", "0.1", "1e-05", "1e+16", "nan",
 *                  "-inf" (Keras's CSVLogger numbers, schedules' values)
 *   REPL_PY_F32    the shortest digits that read back as v as a float32
 *                  (a weight: 0.1f is "0.1", not "0.10000000149011612") */
enum {
    REPL_PY_SHORT = 0,
    REPL_PY_REPR = 1,
    REPL_PY_F32 = 2
};

/* v as a Python float literal, into buf (48 bytes hold any); returns buf. */
const char *repl_py_float(char *buf, size_t len, double v, int style);
/* A Python string literal: "..." with \ and " escaped, into buf (twice
 * the length of s plus 3 bytes hold any); returns buf. */
const char *repl_py_str(char *buf, size_t len, const char *s);

#endif
