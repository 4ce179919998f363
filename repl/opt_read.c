/* opt_read.c - the typed access handlers use (repl_opt_int & co.,
 * args.h): the default, the range and the values come from the keyword's
 * declaration in the command (command.h), and a bad value is reported as
 * repl_arg_int & co. do (args.c). */
#include <limits.h>
#include <math.h>
#include <string.h>
#include "repl.h"

#define T(type) (1u << (type))

/* The declaration of key in a's command, of one of the types in mask, or
 * NULL after an error (a handler asked for a keyword its command does
 * not declare so: a bug). */
static const repl_opt *decl(repl_session *s, const repl_args *a, const char *key,
                            unsigned mask)
{
    const repl_cmd *c = a->cmd ? repl_find(a->cmd) : NULL;
    const repl_opt *o = c ? repl_opt_for(c, a->npos, a->pos, key) : NULL;
    if (!o || !(mask & T(o->type))) {
        repl_error(s, a->cmd, "internal error: %s= is not declared as read here",
                   key);
        return NULL;
    }
    return o;
}

/* An INT's bound as a long: whole numbers inward (a bound of 0.5 allows
 * 1 and up), the ends of long where the double goes past them. */
static long to_long(double v, int is_min)
{
    v = is_min ? ceil(v) : floor(v);
    if (v >= (double)LONG_MAX)
        return LONG_MAX;
    if (v <= (double)LONG_MIN)
        return LONG_MIN;
    return (long)v;
}

/* Each reader: key's value checked against its declaration o, def when
 * absent; returns as repl_arg_int & co. (1 given, 0 absent, -1 bad). */
static int read_int(repl_session *s, const repl_args *a, const char *key,
                    const repl_opt *o, long def, long *out)
{
    *out = def;
    if (!o)
        return -1;
    return repl_arg_int(s, a, key, def, to_long(o->min, 1), to_long(o->max, 0), out);
}

static int read_num(repl_session *s, const repl_args *a, const char *key,
                    const repl_opt *o, double def, double *out)
{
    *out = def;
    if (!o)
        return -1;
    if (o->type == REPL_T_FRAC)
        return repl_arg_frac(s, a, key, def, out);
    if (o->type == REPL_T_POS)
        return repl_arg_pos_double(s, a, key, def, out);
    return repl_arg_double(s, a, key, def, o->min, o->max, out);
}

static int read_bool(repl_session *s, const repl_args *a, const char *key,
                     const repl_opt *o, int def, int *out)
{
    *out = def;
    return o ? repl_arg_bool(s, a, key, def, out) : -1;
}

static int read_enum(repl_session *s, const repl_args *a, const char *key,
                     const repl_opt *o, int def, int *out)
{
    *out = def;
    return o ? repl_arg_enum(s, a, key, o->values, def, out) : -1;
}

#define NUM_TYPES (T(REPL_T_NUM) | T(REPL_T_POS) | T(REPL_T_FRAC))

int repl_opt_int_or(repl_session *s, const repl_args *a, const char *key, long def,
                    long *out)
{
    return read_int(s, a, key, decl(s, a, key, T(REPL_T_INT)), def, out);
}

int repl_opt_int(repl_session *s, const repl_args *a, const char *key, long *out)
{
    const repl_opt *o = decl(s, a, key, T(REPL_T_INT));
    long def = 0;
    if (o && o->def)
        repl_parse_long(o->def, &def);
    return read_int(s, a, key, o, def, out);
}

int repl_opt_num_or(repl_session *s, const repl_args *a, const char *key, double def,
                    double *out)
{
    return read_num(s, a, key, decl(s, a, key, NUM_TYPES), def, out);
}

int repl_opt_num(repl_session *s, const repl_args *a, const char *key, double *out)
{
    const repl_opt *o = decl(s, a, key, NUM_TYPES);
    double def = 0;
    if (o && o->def)
        repl_parse_double(o->def, &def);
    return read_num(s, a, key, o, def, out);
}

int repl_opt_bool_or(repl_session *s, const repl_args *a, const char *key, int def,
                     int *out)
{
    return read_bool(s, a, key, decl(s, a, key, T(REPL_T_BOOL)), def, out);
}

int repl_opt_bool(repl_session *s, const repl_args *a, const char *key, int *out)
{
    const repl_opt *o = decl(s, a, key, T(REPL_T_BOOL));
    int def = 0;
    if (o && o->def)
        repl_parse_bool(o->def, &def);
    return read_bool(s, a, key, o, def, out);
}

int repl_opt_enum_or(repl_session *s, const repl_args *a, const char *key, int def,
                     int *out)
{
    return read_enum(s, a, key, decl(s, a, key, T(REPL_T_ENUM)), def, out);
}

int repl_opt_enum(repl_session *s, const repl_args *a, const char *key, int *out)
{
    const repl_opt *o = decl(s, a, key, T(REPL_T_ENUM));
    int def = o && o->def ? nn_lookup(o->values, o->def) : 0;
    return read_enum(s, a, key, o, def < 0 ? 0 : def, out);
}
