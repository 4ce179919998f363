/* complete.c - tab completion from the command table, and its readline
 * glue.  The generator (repl_complete) knows nothing of readline, so the
 * tests drive it with plain strings. */
#include <stdlib.h>
#include <string.h>
#include <readline/readline.h>
#include "complete.h"

/* ---- enumerated values of keywords ---- */

/* The words a keyword's value may be: from the first command that
 * declares the keyword with values. */
const char *const *repl_key_values(const char *key)
{
    if (!key)
        return NULL;
    const repl_cmd *const *t = repl_commands();
    for (int i = 0; t[i]; i++) {
        const repl_opt *o = repl_opt_find(t[i], key);
        if (o && repl_opt_values(o))
            return repl_opt_values(o);
    }
    return NULL;
}

/* What the next positional word of a is: after a form's word, what
 * that form's declaration says (the FILE of data csv and callback
 * checkpoint, the DIR of export keras, the schedule of lr_schedule, the
 * on|off of terminate_on_nan); else the command's positional kind. */
static repl_pos_kind next_pos(const repl_cmd *cmd, const repl_args *a,
                              const char *const **values)
{
    *values = cmd->pos_values;
    if (a->npos == 1 && cmd->forms) {
        if (repl_form_next_is_file(cmd, a->pos[0]))
            return REPL_POS_FILE;
        const char *const *w = repl_form_next_words(cmd, a->pos[0]);
        if (w) {
            *values = w;
            return REPL_POS_WORDS;
        }
    }
    if (cmd->pos_kind == REPL_POS_FORMS) {
        *values = repl_form_words(cmd);
        return a->npos == 0 ? REPL_POS_WORDS : REPL_POS_NONE;
    }
    return cmd->pos_kind;
}

/* ---- the generator ---- */

typedef struct list {
    char **v;
    int n, cap;
} list;

static int add(list *l, const char *s, size_t len, const char *suffix)
{
    if (l->n + 2 > l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        char **v = realloc(l->v, (size_t)cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    size_t sl = strlen(suffix);
    char *w = malloc(len + sl + 1);
    if (!w)
        return -1;
    memcpy(w, s, len);
    memcpy(w + len, suffix, sl + 1);
    l->v[l->n++] = w;
    l->v[l->n] = NULL;
    return 0;
}

/* Adds the names of table that start with frag. */
static int add_table(list *l, const char *const *table, const char *frag,
                     const char *suffix)
{
    size_t fl = strlen(frag);
    for (int i = 0; table && table[i]; i++)
        if (strncmp(table[i], frag, fl) == 0 &&
            add(l, table[i], strlen(table[i]), suffix) < 0)
            return -1;
    return 0;
}

static int is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void repl_comp_free(repl_comp *c)
{
    if (c->items)
        for (int i = 0; i < c->n; i++)
            free(c->items[i]);
    free(c->items);
    memset(c, 0, sizeof *c);
}

/* Where the word at point begins, minding quotes; -1 inside a comment. */
static int word_start(const char *line, int point)
{
    int ws = 0, inword = 0;
    char q = 0;
    for (int i = 0; i < point; i++) {
        char ch = line[i];
        if (q) {
            if (q == '"' && ch == '\\' && i + 1 < point)
                i++;
            else if (ch == q)
                q = 0;
        } else if (is_blank((unsigned char)ch)) {
            inword = 0;
        } else {
            if (!inword) {
                if (ch == '#')
                    return -1;
                ws = i;
                inword = 1;
            }
            if (ch == '"' || ch == '\'')
                q = ch;
        }
    }
    return !inword && !q ? point : ws;
}

/* The current word, line[ws, point): its unquoted text, where its first
 * unquoted '=' is, and where the fragment being completed starts (after
 * '=' and the last ','), as offsets into word and into line. */
typedef struct cur {
    char *word;
    int eq;                   /* offset of '=' in word, or -1 */
    int fstart_w, fstart;     /* the fragment: in word, in line */
    int cstart_w, cstart;     /* after the last ',' (lists): in word, in line */
} cur;

static int read_word(const char *line, int ws, int point, cur *w)
{
    w->word = malloc((size_t)(point - ws) + 1);
    if (!w->word)
        return -1;
    int wl = 0;
    w->eq = -1;
    w->fstart_w = w->cstart_w = 0;
    w->fstart = w->cstart = ws;
    char q = 0;
    for (int i = ws; i < point; i++) {
        char ch = line[i];
        if (q) {
            if (ch == q) {
                q = 0;
                continue;
            }
            if (q == '"' && ch == '\\' && i + 1 < point)
                ch = line[++i];
        } else if (ch == '"' || ch == '\'') {
            q = ch;
            if (wl == w->fstart_w)
                w->fstart = i + 1;
            if (wl == w->cstart_w)
                w->cstart = i + 1;
            continue;
        } else if (ch == '=' && w->eq < 0 && wl > 0) {
            w->eq = wl;
            w->fstart = i + 1;
            w->fstart_w = wl + 1;
        } else if (ch == ',') {
            w->cstart = i + 1;
            w->cstart_w = wl + 1;
            if (w->eq >= 0) {
                w->fstart = i + 1;
                w->fstart_w = wl + 1;
            }
        }
        w->word[wl++] = ch;
    }
    w->word[wl] = 0;
    return 0;
}

/* The keywords of cmd the words typed so far leave (malloc'd): once they
 * have picked a form (data csv FILE, plot hist), that form's and the
 * command's own; else all of them.  NULL when out of memory. */
static char *keys_left(const repl_cmd *cmd, const repl_args *a)
{
    const repl_form *form = a->npos > 0 ? repl_form_of(cmd, a->npos, a->pos) : NULL;
    if (!form)
        return strdup(cmd->keys ? cmd->keys : "");
    return repl_form_keys(cmd, form);
}

static int given(const repl_args *a, const char *k, size_t kl)
{
    for (int i = 0; i < a->nkv; i++)
        if (strlen(a->key[i]) == kl && strncmp(a->key[i], k, kl) == 0)
            return 1;
    return 0;
}

/* Keywords not given yet that start with frag, as "key="; LAYER.units
 * is NAME.units for each Dense layer of the model. */
static int add_keys(list *l, const repl_session *s, const repl_cmd *cmd,
                    const repl_args *a, const char *frag)
{
    char *keys = keys_left(cmd, a);
    if (!keys)
        return -1;
    size_t fl = strlen(frag);
    int r = 0;
    for (const char *k = keys; *k && r == 0;) {
        while (*k == ' ')
            k++;
        const char *e = k;
        while (*e && *e != ' ')
            e++;
        size_t kl = (size_t)(e - k);
        if (kl > 6 && strncmp(k, "LAYER.", 6) == 0) {
            for (int i = 0; s && s->model && i < s->model->n && r == 0; i++) {
                if (s->model->nodes[i].kind != NN_NODE_DENSE)
                    continue;
                char kw[NN_NAMEMAX + 64];
                int n = snprintf(kw, sizeof kw, "%s.%.*s", s->model->nodes[i].name,
                                 (int)(kl - 6), k + 6);
                if (!given(a, kw, strlen(kw)) && (size_t)n >= fl &&
                    strncmp(kw, frag, fl) == 0)
                    r = add(l, kw, (size_t)n, "=");
            }
        } else if (kl && !given(a, k, kl) && kl >= fl && strncmp(k, frag, fl) == 0) {
            r = add(l, k, kl, "=");
        }
        k = e;
    }
    free(keys);
    return r;
}

/* The next positional word of cmd that starts with the fragment. */
static int add_positional(list *l, const repl_session *s, const repl_cmd *cmd,
                          const repl_args *a, const cur *w, repl_comp *c)
{
    const char *frag = w->word + w->fstart_w;
    const char *const *pv;
    repl_pos_kind pk = next_pos(cmd, a, &pv);
    if (a->npos >= cmd->maxpos)
        return 0;
    switch (pk) {
    case REPL_POS_WORDS:
        return add_table(l, pv, frag, "");
    case REPL_POS_COMMAND:
        return add_table(l, repl_command_names(), frag, "");
    case REPL_POS_LAYER:
        if (w->cstart_w > 0 && l->n == 0) {   /* concat a,b: after the comma */
            frag = w->word + w->cstart_w;
            c->start = w->cstart;
        }
        for (int i = 0; s && s->model && i < s->model->n; i++) {
            const char *nm = s->model->nodes[i].name;
            if (strncmp(nm, frag, strlen(frag)) == 0 && add(l, nm, strlen(nm), "") < 0)
                return -1;
        }
        return 0;
    case REPL_POS_FILE:
        c->files = 1;
        return 0;
    case REPL_POS_NONE:
    case REPL_POS_FORMS:      /* resolved by next_pos */
        return 0;
    }
    return 0;
}

/* What may stand at the word of w, after the words before it (a). */
static int candidates(list *l, const repl_session *s, const repl_args *a,
                      cur *w, repl_comp *c)
{
    const char *frag = w->word + w->fstart_w;
    if (!a->cmd)                           /* the first word: a command */
        return add_table(l, repl_command_names(), frag, "");
    const repl_cmd *cmd = repl_find(a->cmd);
    if (!cmd)
        return 0;
    if (w->eq >= 0) {                      /* key=value: the keyword's values */
        w->word[w->eq] = 0;
        const repl_opt *o = repl_opt_for(cmd, a->npos, a->pos, w->word);   /* dense.activation= too */
        if (o && o->type == REPL_T_FILE) {
            c->files = 1;
            return 0;
        }
        return add_table(l, repl_opt_values(o), frag, "");
    }
    if (add_keys(l, s, cmd, a, frag) < 0)
        return -1;
    return add_positional(l, s, cmd, a, w, c);
}

int repl_complete(const repl_session *s, const char *line, int point,
                  repl_comp *c)
{
    memset(c, 0, sizeof *c);
    int len = (int)strlen(line);
    if (point < 0 || point > len)
        point = len;
    int ws = word_start(line, point);
    if (ws < 0)
        return 0;                          /* inside a comment */
    cur w;
    if (read_word(line, ws, point, &w) < 0)
        return -1;
    c->start = w.fstart;
    /* what came before the current word */
    char *head = strndup(line, (size_t)ws);
    repl_args a;
    char msg[160];
    if (!head || repl_split(head, &a, msg, sizeof msg) != 0) {
        int oom = !head;
        free(head);
        free(w.word);
        return oom ? -1 : 0;
    }
    free(head);
    list l = {0};
    int r = candidates(&l, s, &a, &w, c);
    repl_args_free(&a);
    free(w.word);
    if (r < 0) {
        for (int i = 0; i < l.n; i++)
            free(l.v[i]);
        free(l.v);
        return -1;
    }
    c->items = l.v;
    c->n = l.n;
    return 0;
}

/* ---- the readline glue ---- */

static repl_session *comp_session;
static char **gen_items;
static int gen_n, gen_i, gen_files, gen_fstate;

static char *gen_next(const char *text, int state)
{
    if (state == 0)
        gen_i = gen_fstate = 0;
    if (gen_i < gen_n)
        return strdup(gen_items[gen_i++]);
    if (gen_files)
        return rl_filename_completion_function(text, gen_fstate++);
    return NULL;
}

static char **attempt(const char *text, int start, int end)
{
    rl_attempted_completion_over = 1;    /* never the default file names */
    repl_comp c;
    if (repl_complete(comp_session, rl_line_buffer, end, &c) < 0)
        return NULL;
    /* Our fragment and readline's word may start apart (quotes): make
     * each candidate replace readline's word instead. */
    for (int i = 0; i < c.n; i++) {
        char *it = c.items[i];
        if (c.start > start) {
            size_t pre = (size_t)(c.start - start), il = strlen(it);
            char *w = malloc(pre + il + 1);
            if (!w)
                continue;
            memcpy(w, rl_line_buffer + start, pre);
            memcpy(w + pre, it, il + 1);
            free(it);
            c.items[i] = w;
        } else if (c.start < start) {
            size_t cut = (size_t)(start - c.start);
            if (strlen(it) >= cut)
                memmove(it, it + cut, strlen(it + cut) + 1);
        }
    }
    gen_items = c.items;
    gen_n = c.n;
    gen_files = c.files;
    char **m = rl_completion_matches(text, gen_next);
    if (m && !m[1]) {
        size_t l = strlen(m[0]);
        if (l && m[0][l - 1] == '=')
            rl_completion_suppress_append = 1;
    }
    gen_items = NULL;
    gen_n = 0;
    repl_comp_free(&c);
    return m;
}

void repl_complete_init(repl_session *s)
{
    comp_session = s;
    rl_attempted_completion_function = attempt;
    rl_completer_word_break_characters = " \t\n=,";
    rl_completer_quote_characters = "\"'";
    /* file names with these are quoted ("my file.csv"), as the splitter
     * reads them back */
    rl_filename_quote_characters = " \t\"'#;=,\\";
}
