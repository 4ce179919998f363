/* pyfmt.c - Python literals (pyfmt.h): floats as %g or as repr() writes
 * them, from the shortest digits that read back the same, and quoted
 * strings. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pyfmt.h"

/* The fewest significant digits p (1..17, 1..9 for a float32) whose
 * rounding reads back as v: printf's %.(p-1)e and %.pg give those digits. */
static int shortest_digits(double v, int f32)
{
    char e[48];
    int maxp = f32 ? 9 : 17, p;
    for (p = 1; p < maxp; p++) {
        snprintf(e, sizeof e, "%.*e", p - 1, v);
        double r = strtod(e, NULL);
        if (f32 ? (float)r == (float)v : r == v)
            break;
    }
    return p;
}

/* repr(): the p digits of v laid out in fixed notation for exponents
 * -4..15, else as d.ddde+XX, with ".0" on a whole number. */
static void repr_layout(char *buf, size_t len, double v, int p)
{
    char e[48];
    snprintf(e, sizeof e, "%.*e", p - 1, v);
    char dig[24];
    int nd = 0, neg = e[0] == '-';
    const char *q = e + neg;
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9' && nd < 20)
            dig[nd++] = *q;
    int x = *q ? atoi(q + 1) : 0;
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    char out[64];
    size_t o = 0;
    if (neg)
        out[o++] = '-';
    if (x >= -4 && x < 16) {
        if (x >= 0) {
            for (int i = 0; i <= x; i++)
                out[o++] = i < nd ? dig[i] : '0';
            out[o++] = '.';
            if (nd > x + 1)
                for (int i = x + 1; i < nd; i++)
                    out[o++] = dig[i];
            else
                out[o++] = '0';
        } else {
            out[o++] = '0';
            out[o++] = '.';
            for (int i = 0; i < -x - 1; i++)
                out[o++] = '0';
            for (int i = 0; i < nd; i++)
                out[o++] = dig[i];
        }
        out[o] = 0;
    } else {
        out[o++] = dig[0];
        if (nd > 1) {
            out[o++] = '.';
            for (int i = 1; i < nd; i++)
                out[o++] = dig[i];
        }
        snprintf(out + o, sizeof out - o, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
    }
    snprintf(buf, len, "%s", out);
}

const char *repl_py_float(char *buf, size_t len, double v, int style)
{
    int f32 = (style & REPL_PY_F32) != 0;
    if (f32)
        v = (float)v;
    if (style & REPL_PY_REPR) {
        if (isnan(v))
            snprintf(buf, len, "nan");
        else if (isinf(v))
            snprintf(buf, len, v < 0 ? "-inf" : "inf");
        else
            repr_layout(buf, len, v, shortest_digits(v, f32));
        return buf;
    }
    snprintf(buf, len, "%.*g", shortest_digits(v, f32), v);
    return buf;
}

const char *repl_py_str(char *buf, size_t len, const char *s)
{
    size_t k = 0;
    if (len < 3)
        return "\"\"";
    buf[k++] = '"';
    for (; *s && k + 3 < len; s++) {
        if (*s == '"' || *s == '\\')
            buf[k++] = '\\';
        buf[k++] = *s;
    }
    buf[k++] = '"';
    buf[k] = 0;
    return buf;
}
