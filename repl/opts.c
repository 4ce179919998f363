/* opts.c - what is generated from a command's declaration (command.h):
 * its usage line, its keyword list, the lookup of one keyword's
 * declaration, and the typed access handlers use (repl_opt_int & co.),
 * which take the default, the range and the values from the declaration
 * and report a bad value as repl_arg_int & co. do (args.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "repl.h"

/* A declared keyword matches key: exactly, or "LAYER.x" for NAME.x. */
static int opt_matches(const char *pattern, const char *key)
{
    if (strcmp(pattern, key) == 0)
        return 1;
    if (strncmp(pattern, "LAYER.", 6) != 0)
        return 0;
    const char *dot = strrchr(key, '.');
    return dot && dot > key && strcmp(dot + 1, pattern + 6) == 0;
}

static const repl_opt *find_in(const repl_opt *o, const char *key)
{
    for (; o && o->name; o++)
        if (opt_matches(o->name, key))
            return o;
    return NULL;
}

/* Forms end with an all-zero entry. */
static int form_end(const repl_form *f)
{
    return !f->word && !f->args && !f->opts;
}

const repl_opt *repl_opt_find(const repl_cmd *c, const char *key)
{
    const repl_opt *o = find_in(c->opts, key);
    for (const repl_form *f = c->forms; !o && f && !form_end(f); f++)
        o = find_in(f->opts, key);
    return o;
}

const repl_form *repl_form_of(const repl_cmd *c, int npos, char *const *pos)
{
    const repl_form *fallback = NULL;
    for (const repl_form *f = c->forms; f && !form_end(f); f++) {
        if (!f->word) {
            if (!fallback)
                fallback = f;
            continue;
        }
        const char *sp = strchr(f->word, ' ');
        if (!sp) {
            if (npos >= 1 && strcmp(pos[0], f->word) == 0)
                return f;
        } else if (npos >= 2 && strlen(pos[0]) == (size_t)(sp - f->word) &&
                   strncmp(pos[0], f->word, (size_t)(sp - f->word)) == 0 &&
                   strcmp(pos[1], sp + 1) == 0) {
            return f;
        }
    }
    return fallback;
}

int repl_form_takes(const repl_cmd *c, const repl_form *f, const char *key)
{
    return find_in(c->opts, key) || (f && find_in(f->opts, key));
}

const char *const *repl_opt_values(const repl_opt *o)
{
    if (!o)
        return NULL;
    if (o->values)
        return o->values;
    return o->type == REPL_T_BOOL ? repl_bool_words : NULL;
}

/* ---- the usage line and the keyword list ---- */

static void add_opts(nn_buf *b, const repl_opt *o)
{
    for (; o && o->name; o++) {
        if (!o->shown || o->alt)
            continue;
        nn_buf_printf(b, o->required ? " %s=%s" : " [%s=%s", o->name, o->shown);
        for (const repl_opt *x = o + 1; x->name && x->alt; x++)
            nn_buf_printf(b, " | %s=%s", x->name, x->shown);
        if (!o->required)
            nn_buf_putc(b, ']');
    }
}

char *repl_usage_of(const repl_cmd *c)
{
    nn_buf b;
    nn_buf_init(&b);
    int pieces = 0;
    for (const repl_form *f = c->forms; f && !form_end(f); f++) {
        if (f->hidden)
            continue;
        nn_buf_printf(&b, "%s%s", pieces ? " | " : "", c->name);
        if (f->word)
            nn_buf_printf(&b, " %s", f->word);
        if (f->args)
            nn_buf_printf(&b, " %s", f->args);
        add_opts(&b, f->opts);
        if (pieces++ == 0)      /* the command's own keywords: after the first */
            add_opts(&b, c->opts);
    }
    if (pieces == 0) {
        nn_buf_puts(&b, c->name);
        if (c->args)
            nn_buf_printf(&b, " %s", c->args);
        add_opts(&b, c->opts);
    }
    return nn_buf_take(&b);
}

static int listed(const char *list, const char *w)
{
    return repl_word_in(list, w);
}

static void add_names(nn_buf *b, const repl_opt *o)
{
    for (; o && o->name; o++)
        if (!listed(nn_buf_str(b), o->name))
            nn_buf_printf(b, "%s%s", b->len ? " " : "", o->name);
}

char *repl_keys_of(const repl_cmd *c)
{
    nn_buf b;
    nn_buf_init(&b);
    add_names(&b, c->opts);
    for (const repl_form *f = c->forms; f && !form_end(f); f++)
        add_names(&b, f->opts);
    return nn_buf_take(&b);
}

char *repl_form_keys(const repl_form *f)
{
    nn_buf b;
    nn_buf_init(&b);
    if (f)
        add_names(&b, f->opts);
    return nn_buf_take(&b);
}

/* ---- typed access from the declaration ---- */

/* The declaration of key for a's words: the command's own, then the
 * form its positional words select, then any form's. */
static const repl_opt *opt_for(const repl_args *a, const char *key)
{
    const repl_cmd *c = a->cmd ? repl_find(a->cmd) : NULL;
    if (!c)
        return NULL;
    const repl_opt *o = find_in(c->opts, key);
    const repl_form *f = o ? NULL : repl_form_of(c, a->npos, a->pos);
    if (!o && f)
        o = find_in(f->opts, key);
    return o ? o : repl_opt_find(c, key);
}

/* The declaration of key in a's command, or NULL after an error (a
 * handler asked for a keyword its command does not declare: a bug). */
static const repl_opt *decl(repl_session *s, const repl_args *a, const char *key,
                            repl_opt_type t1, repl_opt_type t2)
{
    const repl_opt *o = opt_for(a, key);
    if (!o || (o->type != t1 && o->type != t2)) {
        repl_error(s, a->cmd, "internal error: %s= is not declared as read here",
                   key);
        return NULL;
    }
    return o;
}

static long to_long(double v)
{
    if (v >= (double)LONG_MAX)
        return LONG_MAX;
    if (v <= (double)LONG_MIN)
        return LONG_MIN;
    return (long)v;
}

int repl_opt_int_or(repl_session *s, const repl_args *a, const char *key, long def,
                    long *out)
{
    *out = def;
    const repl_opt *o = decl(s, a, key, REPL_T_INT, REPL_T_INT);
    if (!o)
        return -1;
    return repl_arg_int(s, a, key, def, to_long(o->min), to_long(o->max), out);
}

int repl_opt_int(repl_session *s, const repl_args *a, const char *key, long *out)
{
    const repl_opt *o = opt_for(a, key);
    long def = 0;
    if (o && o->def)
        repl_parse_long(o->def, &def);
    return repl_opt_int_or(s, a, key, def, out);
}

int repl_opt_num_or(repl_session *s, const repl_args *a, const char *key, double def,
                    double *out)
{
    *out = def;
    const repl_opt *o = decl(s, a, key, REPL_T_NUM, REPL_T_POS);
    if (!o)
        return -1;
    if (o->type == REPL_T_POS)
        return repl_arg_pos_double(s, a, key, def, out);
    return repl_arg_double(s, a, key, def, o->min, o->max, out);
}

int repl_opt_num(repl_session *s, const repl_args *a, const char *key, double *out)
{
    const repl_opt *o = opt_for(a, key);
    double def = 0;
    if (o && o->def)
        repl_parse_double(o->def, &def);
    return repl_opt_num_or(s, a, key, def, out);
}

int repl_opt_bool_or(repl_session *s, const repl_args *a, const char *key, int def,
                     int *out)
{
    *out = def;
    if (!decl(s, a, key, REPL_T_BOOL, REPL_T_BOOL))
        return -1;
    return repl_arg_bool(s, a, key, def, out);
}

int repl_opt_bool(repl_session *s, const repl_args *a, const char *key, int *out)
{
    const repl_opt *o = opt_for(a, key);
    int def = o && o->def && strcmp(o->def, "true") == 0;
    return repl_opt_bool_or(s, a, key, def, out);
}

int repl_opt_enum_or(repl_session *s, const repl_args *a, const char *key, int def,
                     int *out)
{
    *out = def;
    const repl_opt *o = decl(s, a, key, REPL_T_ENUM, REPL_T_ENUM);
    if (!o)
        return -1;
    return repl_arg_enum(s, a, key, o->values, def, out);
}

int repl_opt_enum(repl_session *s, const repl_args *a, const char *key, int *out)
{
    const repl_opt *o = opt_for(a, key);
    int def = o && o->def && o->values ? nn_lookup(o->values, o->def) : 0;
    return repl_opt_enum_or(s, a, key, def < 0 ? 0 : def, out);
}
