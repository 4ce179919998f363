/* opts.c - what is generated from a command's declaration (command.h):
 * its usage line, its keyword list, the lookup of one keyword's
 * declaration, and its forms' words. */
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

int repl_form_end(const repl_form *f)
{
    return !f->word && !f->args && !f->opts;
}

const repl_opt *repl_opt_find(const repl_cmd *c, const char *key)
{
    const repl_opt *o = find_in(c->opts, key);
    for (const repl_form *f = c->forms; !o && f && !repl_form_end(f); f++)
        o = find_in(f->opts, key);
    return o;
}

const repl_form *repl_form_of(const repl_cmd *c, int npos, char *const *pos)
{
    const repl_form *fallback = NULL;
    for (const repl_form *f = c->forms; f && !repl_form_end(f); f++) {
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

/* The length of w's first word. */
static size_t first_len(const char *w)
{
    const char *sp = strchr(w, ' ');
    return sp ? (size_t)(sp - w) : strlen(w);
}

/* The first form whose first word is w[0, len), or -1. */
static int first_form(const repl_cmd *c, const char *w, size_t len)
{
    for (int i = 0; c->forms && !repl_form_end(&c->forms[i]); i++) {
        const char *fw = c->forms[i].word;
        if (fw && first_len(fw) == len && strncmp(fw, w, len) == 0)
            return i;
    }
    return -1;
}

int repl_form_index(const repl_cmd *c, const char *w)
{
    return first_form(c, w, strlen(w));
}

/* One list per command (or form word) that asked, kept for the session:
 * more room than the table has commands and form words, so it never
 * fills (tests/check_commands.c counts them). */
#define MAX_WORD_LISTS 64
const char *const *repl_form_words(const repl_cmd *c)
{
    static struct { const repl_cmd *c; char **words; } cache[MAX_WORD_LISTS];
    static int n;
    for (int i = 0; i < n; i++)
        if (cache[i].c == c)
            return (const char *const *)cache[i].words;
    int nf = 0;
    while (c->forms && !repl_form_end(&c->forms[nf]))
        nf++;
    char **w = calloc((size_t)nf + 1, sizeof *w);
    if (!w)
        return NULL;
    int k = 0;
    for (int i = 0; i < nf; i++) {
        const char *fw = c->forms[i].word;
        if (!fw || first_form(c, fw, first_len(fw)) != i)   /* a word once */
            continue;
        w[k] = strndup(fw, first_len(fw));
        if (!w[k])
            break;
        k++;
    }
    if (n == MAX_WORD_LISTS) {        /* never: see MAX_WORD_LISTS */
        for (int i = 0; w[i]; i++)
            free(w[i]);
        free(w);
        return NULL;
    }
    cache[n].c = c;
    cache[n++].words = w;
    return (const char *const *)w;
}

const repl_form *repl_form_named(const repl_cmd *c, const char *w)
{
    for (const repl_form *f = c->forms; f && !repl_form_end(f); f++)
        if (f->word && strcmp(f->word, w) == 0)
            return f;
    return NULL;
}

int repl_form_next_is_file(const repl_cmd *c, const char *w)
{
    const repl_form *f = repl_form_named(c, w);
    return f && f->args && (strncmp(f->args, "FILE", 4) == 0 ||
                            strncmp(f->args, "DIR", 3) == 0);
}

const char *const *repl_form_next_words(const repl_cmd *c, const char *w)
{
    static struct { const repl_cmd *c; char w[32]; char **words; } cache[MAX_WORD_LISTS];
    static int n;
    for (int i = 0; i < n; i++)
        if (cache[i].c == c && strcmp(cache[i].w, w) == 0)
            return (const char *const *)cache[i].words;
    if (n == MAX_WORD_LISTS || strlen(w) >= sizeof cache[0].w)
        return NULL;
    nn_buf b;                  /* the words, blank-separated */
    nn_buf_init(&b);
    size_t wl = strlen(w);
    for (const repl_form *f = c->forms; f && !repl_form_end(f); f++) {
        if (f->word && strncmp(f->word, w, wl) == 0 && f->word[wl] == ' ')
            nn_buf_printf(&b, "%s%s", b.len ? " " : "", f->word + wl + 1);
    }
    const repl_form *f = repl_form_named(c, w);
    if (!b.len && f && f->args && f->args[0] >= 'a' && f->args[0] <= 'z') {
        /* "on|off": the first token's alternatives */
        size_t tl = strcspn(f->args, " ");
        for (size_t i = 0; i < tl; i++)
            nn_buf_putc(&b, f->args[i] == '|' ? ' ' : f->args[i]);
    }
    char *text = nn_buf_take(&b);
    if (!text || !*text) {
        free(text);
        return NULL;
    }
    int nw = 1;
    for (char *p = text; *p; p++)
        nw += *p == ' ';
    char **words = calloc((size_t)nw + 1, sizeof *words);
    if (!words) {
        free(text);
        return NULL;
    }
    int k = 0;
    for (char *save = NULL, *t = strtok_r(text, " ", &save); t;
         t = strtok_r(NULL, " ", &save))
        words[k++] = t;      /* words[0] owns text */
    cache[n].c = c;
    strcpy(cache[n].w, w);
    cache[n++].words = words;
    return (const char *const *)words;
}

const repl_opt *repl_form_opt(const repl_cmd *c, const repl_form *f, const char *key)
{
    const repl_opt *o = find_in(c->opts, key);
    return o ? o : f ? find_in(f->opts, key) : NULL;
}

const repl_opt *repl_opt_for(const repl_cmd *c, int npos, char *const *pos,
                            const char *key)
{
    const repl_form *f = npos > 0 ? repl_form_of(c, npos, pos) : NULL;
    const repl_opt *o = f ? repl_form_opt(c, f, key) : NULL;
    return o ? o : repl_opt_find(c, key);
}

int repl_form_takes(const repl_cmd *c, const repl_form *f, const char *key)
{
    return repl_form_opt(c, f, key) != NULL;
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
        if (!o->shown || o->join)
            continue;
        nn_buf_printf(b, o->required ? " %s=%s" : " [%s=%s", o->name, o->shown);
        for (const repl_opt *x = o + 1; x->name && x->join; x++)
            if (x->shown)
                nn_buf_printf(b, "%s%s=%s", x->join, x->name, x->shown);
        if (!o->required)
            nn_buf_putc(b, ']');
    }
}

/* "NAME [WORD] [ARGS] [OPTS]" of one form into b. */
static void add_form(nn_buf *b, const repl_cmd *c, const repl_form *f)
{
    nn_buf_puts(b, c->name);
    if (f->word)
        nn_buf_printf(b, " %s", f->word);
    if (f->args)
        nn_buf_printf(b, " %s", f->args);
    add_opts(b, f->opts);
}

char *repl_form_usage(const repl_cmd *c, const repl_form *f)
{
    nn_buf b;
    nn_buf_init(&b);
    add_form(&b, c, f);
    return nn_buf_take(&b);
}

char *repl_usage_of(const repl_cmd *c)
{
    nn_buf b;
    nn_buf_init(&b);
    int pieces = 0;
    for (const repl_form *f = c->forms; f && !repl_form_end(f); f++) {
        if (f->hidden)
            continue;
        if (pieces)
            nn_buf_puts(&b, " | ");
        add_form(&b, c, f);
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

static void add_names(nn_buf *b, const repl_opt *o)
{
    for (; o && o->name; o++)
        if (!repl_word_in(nn_buf_str(b), o->name))
            nn_buf_printf(b, "%s%s", b->len ? " " : "", o->name);
}

char *repl_keys_of(const repl_cmd *c)
{
    nn_buf b;
    nn_buf_init(&b);
    add_names(&b, c->opts);
    for (const repl_form *f = c->forms; f && !repl_form_end(f); f++)
        add_names(&b, f->opts);
    return nn_buf_take(&b);
}

char *repl_form_keys(const repl_cmd *c, const repl_form *f)
{
    nn_buf b;
    nn_buf_init(&b);
    add_names(&b, c->opts);
    if (f)
        add_names(&b, f->opts);
    return nn_buf_take(&b);
}
