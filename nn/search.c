/* search.c - the pure parts of a hyperparameter search (see search.h): the
 * keys and their values, grid and random candidates, k-fold splits, the
 * statistics of cv_results_ and Keras Tuner's Hyperband plan.  The runs
 * are in search_build.c (the candidates) and search_run.c. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "search.h"

/* ---- the keys ---- */

typedef struct hp_def {
    const char *name;
    nn_hp_kind kind;
    nn_hp_type type;
    double min, max;
    int min_open;              /* min itself is refused (learning_rate > 0) */
} hp_def;

/* The plain keys, then the three settings of a layer (LAYER.units, ...). */
static const hp_def defs[] = {
    {"optimizer", NN_HP_OPTIMIZER, NN_HP_CHOICE, 0, 0, 0},
    {"learning_rate", NN_HP_LEARNING_RATE, NN_HP_REAL, 0, 1000, 1},
    {"momentum", NN_HP_MOMENTUM, NN_HP_REAL, 0, 0.999999, 0},
    {"nesterov", NN_HP_NESTEROV, NN_HP_BOOL, 0, 1, 0},
    {"rho", NN_HP_RHO, NN_HP_REAL, 0, 0.999999, 0},
    {"beta_1", NN_HP_BETA_1, NN_HP_REAL, 0, 0.999999, 0},
    {"beta_2", NN_HP_BETA_2, NN_HP_REAL, 0, 0.999999, 0},
    {"epsilon", NN_HP_EPSILON, NN_HP_REAL, 0, 1, 0},
    {"initial_accumulator_value", NN_HP_INITIAL_ACCUMULATOR_VALUE, NN_HP_REAL, 0, 1e6, 0},
    {"batch_size", NN_HP_BATCH_SIZE, NN_HP_INT, 1, 1 << 20, 0},
    {"epochs", NN_HP_EPOCHS, NN_HP_INT, 1, 100000, 0},
    {"n_hidden", NN_HP_N_HIDDEN, NN_HP_INT, 0, 100, 0},
    {"n_neurons", NN_HP_N_NEURONS, NN_HP_INT, 1, 1 << 24, 0},
    {"units", NN_HP_UNITS, NN_HP_INT, 1, 1 << 24, 0},
    {"activation", NN_HP_ACTIVATION, NN_HP_CHOICE, 0, 0, 0},
    {"kernel_initializer", NN_HP_KERNEL_INITIALIZER, NN_HP_CHOICE, 0, 0, 0},
};
#define NPLAIN 13   /* defs[0 .. NPLAIN) take no layer */
#define NDEFS ((int)(sizeof defs / sizeof defs[0]))

const char *const nn_hp_names[] = {
    "optimizer", "learning_rate", "momentum", "nesterov", "rho", "beta_1",
    "beta_2", "epsilon", "initial_accumulator_value", "batch_size", "epochs",
    "n_hidden", "n_neurons", NULL
};

static const hp_def *def_of(nn_hp_kind k)
{
    for (int i = 0; i < NDEFS; i++)
        if (defs[i].kind == k)
            return &defs[i];
    return NULL;
}

static const char *const *choices(nn_hp_kind k)
{
    switch (k) {
    case NN_HP_OPTIMIZER:
        return nn_opt_names;
    case NN_HP_ACTIVATION:
        return nn_act_names;
    case NN_HP_KERNEL_INITIALIZER:
        return nn_init_names;
    default:
        return NULL;
    }
}

/* "a b c" of a NULL-terminated table, into buf. */
static const char *join(const char *const *t, char *buf, size_t len)
{
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; t[i] && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? " " : "", t[i]);
    return buf;
}

/* Names of the model's Dense layers, for messages. */
static const char *dense_names(const nn_model *m, char *buf, size_t len)
{
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < m->n && k < len; i++)
        if (m->nodes[i].kind == NN_NODE_DENSE)
            k += (size_t)snprintf(buf + k, len - k, "%s%s", k ? ", " : "",
                                  m->nodes[i].name);
    if (!buf[0])
        snprintf(buf, len, "none");
    return buf;
}

/* Resolves key into p (name, kind, type, node). */
static int resolve_key(nn_hparam *p, const char *key, const nn_model *tmpl, nn_err *e)
{
    char names[512];
    memset(p, 0, sizeof *p);
    p->node = -1;
    if (strlen(key) >= sizeof p->name)
        return nn_fail(e, "key '%.40s...' is too long", key);
    snprintf(p->name, sizeof p->name, "%s", key);
    const char *dot = strrchr(key, '.');
    if (!dot) {
        for (int i = 0; i < NDEFS; i++)
            if (strcmp(defs[i].name, key) == 0) {
                if (i >= NPLAIN)
                    return nn_fail(e, "%s is a layer's setting: give the layer, as "
                                      "LAYER.%s (Dense layers: %s)", key, key,
                                   tmpl ? dense_names(tmpl, names, sizeof names) : "none");
                p->kind = defs[i].kind;
                p->type = defs[i].type;
                return NN_OK;
            }
        return nn_fail(e, "unknown key '%s'; searchable: %s LAYER.units "
                          "LAYER.activation LAYER.kernel_initializer", key,
                       join(nn_hp_names, names, sizeof names));
    }
    const char *setting = dot + 1;
    int d = -1;
    for (int i = NPLAIN; i < NDEFS; i++)
        if (strcmp(defs[i].name, setting) == 0)
            d = i;
    if (d < 0 || dot == key)
        return nn_fail(e, "unknown key '%s'; a layer's searchable settings are "
                          "LAYER.units, LAYER.activation and LAYER.kernel_initializer",
                       key);
    char layer[64];
    snprintf(layer, sizeof layer, "%.*s", (int)(dot - key), key);
    int i = tmpl ? nn_model_find(tmpl, layer) : -1;
    if (i < 0)
        return nn_fail(e, "no layer named '%s' (Dense layers: %s); see summary", layer,
                       tmpl ? dense_names(tmpl, names, sizeof names) : "none");
    if (tmpl->nodes[i].kind != NN_NODE_DENSE)
        return nn_fail(e, "'%s' (%s) has no units, activation or "
                          "kernel_initializer; Dense layers do (here: %s)",
                       layer, nn_node_class[tmpl->nodes[i].kind],
                       dense_names(tmpl, names, sizeof names));
    p->kind = defs[d].kind;
    p->type = defs[d].type;
    p->node = i;
    return NN_OK;
}

static int parse_bool(const char *w, double *out)
{
    static const char *const t[] = {"true", "yes", "1", "on", "True", NULL};
    static const char *const f[] = {"false", "no", "0", "off", "False", NULL};
    if (nn_lookup(t, w) >= 0)
        *out = 1;
    else if (nn_lookup(f, w) >= 0)
        *out = 0;
    else
        return -1;
    return 0;
}

/* The number in w, whole: 0 or -1. */
static int parse_num(const char *w, int whole, double *out)
{
    if (!*w || isspace((unsigned char)*w))
        return -1;
    char *end;
    errno = 0;
    if (whole) {
        long v = strtol(w, &end, 10);
        if (*end || errno)
            return -1;
        *out = (double)v;
    } else {
        double v = strtod(w, &end);
        if (*end || errno == ERANGE || !isfinite(v))
            return -1;
        *out = v;
    }
    return 0;
}

static const char *bounds(const hp_def *d, char *buf, size_t len)
{
    if (d->type == NN_HP_INT)
        snprintf(buf, len, "a whole number from %.0f to %.0f", d->min, d->max);
    else if (d->min_open)
        snprintf(buf, len, "a number > %g and <= %g", d->min, d->max);
    else
        snprintf(buf, len, "a number from %g to %g", d->min, d->max);
    return buf;
}

static int in_bounds(const hp_def *d, double v)
{
    return (d->min_open ? v > d->min : v >= d->min) && v <= d->max;
}

/* One word of a list. */
static int parse_value(const nn_hparam *p, const char *w, double *out, nn_err *e)
{
    const hp_def *d = def_of(p->kind);
    char b[128];
    switch (p->type) {
    case NN_HP_BOOL:
        if (parse_bool(w, out) != 0)
            return nn_fail(e, "%s: '%s' is not true or false", p->name, w);
        return NN_OK;
    case NN_HP_CHOICE: {
        const char *const *t = choices(p->kind);
        int i = nn_lookup(t, w);
        if (i < 0 && p->kind == NN_HP_ACTIVATION) {
            nn_act a;
            if (nn_act_parse(w, &a) == 0)
                i = (int)a;
        }
        if (i < 0) {
            char names[512];
            return nn_fail(e, "%s: unknown %s '%s'; one of: %s", p->name, d->name, w,
                           join(t, names, sizeof names));
        }
        *out = i;
        return NN_OK;
    }
    default:
        if (parse_num(w, p->type == NN_HP_INT, out) != 0 || !in_bounds(d, *out))
            return nn_fail(e, "%s: '%s' is not %s", p->name, w, bounds(d, b, sizeof b));
        return NN_OK;
    }
}

/* "LO:HI" or "LO:HI:log". */
static int parse_range(nn_hparam *p, const char *text, nn_err *e)
{
    const hp_def *d = def_of(p->kind);
    if (p->type != NN_HP_INT && p->type != NN_HP_REAL)
        return nn_fail(e, "%s takes a list of values such as %s, not a range",
                       p->name, p->type == NN_HP_BOOL ? "true,false" :
                       p->kind == NN_HP_OPTIMIZER ? "sgd,adam" :
                       p->kind == NN_HP_ACTIVATION ? "relu,tanh" : "he_normal,glorot_uniform");
    char buf[128], lo[64], hi[64], how[64] = "";
    if (strlen(text) >= sizeof buf)
        return nn_fail(e, "%s: the range is too long", p->name);
    strcpy(buf, text);
    char *c1 = strchr(buf, ':');
    char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || (c2 && strchr(c2 + 1, ':')))
        return nn_fail(e, "%s: a range is LOW:HIGH or LOW:HIGH:log (got '%s')",
                       p->name, text);
    *c1 = 0;
    if (c2)
        *c2 = 0;
    snprintf(lo, sizeof lo, "%s", buf);
    snprintf(hi, sizeof hi, "%s", c1 + 1);
    if (c2)
        snprintf(how, sizeof how, "%s", c2 + 1);
    if (c2 && strcmp(how, "log") != 0)
        return nn_fail(e, "%s: a range is LOW:HIGH or LOW:HIGH:log; '%s' is not log",
                       p->name, how);
    char b[128];
    int whole = p->type == NN_HP_INT;
    if (parse_num(lo, whole, &p->lo) != 0 || !in_bounds(d, p->lo))
        return nn_fail(e, "%s: the range's low end '%s' is not %s", p->name, lo,
                       bounds(d, b, sizeof b));
    if (parse_num(hi, whole, &p->hi) != 0 || !in_bounds(d, p->hi))
        return nn_fail(e, "%s: the range's high end '%s' is not %s", p->name, hi,
                       bounds(d, b, sizeof b));
    if (!(p->lo < p->hi))
        return nn_fail(e, "%s: the range %s:%s is empty; give LOW < HIGH", p->name,
                       lo, hi);
    p->log = c2 != NULL;
    if (p->log && !(p->lo > 0))
        return nn_fail(e, "%s: a log range needs LOW > 0 (got %s)", p->name, lo);
    p->nvalues = 0;
    return NN_OK;
}

static int parse_list(nn_hparam *p, const char *text, nn_err *e)
{
    size_t len = strlen(text);
    if (len == 0)
        return nn_fail(e, "%s: no values; give them as %s=V1,V2,...", p->name, p->name);
    const char *w = text;
    p->nvalues = 0;
    for (;;) {
        size_t n = strcspn(w, ",");
        char word[128];
        if (n == 0)
            return nn_fail(e, "%s: empty value in '%s'", p->name, text);
        if (n >= sizeof word)
            return nn_fail(e, "%s: value '%.20s...' is too long", p->name, w);
        if (p->nvalues == NN_SEARCH_MAXVALUES)
            return nn_fail(e, "%s: at most %d values", p->name, NN_SEARCH_MAXVALUES);
        memcpy(word, w, n);
        word[n] = 0;
        if (parse_value(p, word, &p->values[p->nvalues], e) != NN_OK)
            return NN_FAIL;
        p->nvalues++;
        w += n;
        if (!*w)
            break;
        w++;
        if (!*w)
            return nn_fail(e, "%s: empty value in '%s'", p->name, text);
    }
    return NN_OK;
}

int nn_space_find(const nn_space *sp, const char *name)
{
    for (int i = 0; i < sp->n; i++)
        if (strcmp(sp->p[i].name, name) == 0)
            return i;
    return -1;
}

int nn_space_add(nn_space *sp, const char *key, const char *text,
                 const nn_model *tmpl, nn_err *e)
{
    nn_hparam p;
    if (resolve_key(&p, key, tmpl, e) != NN_OK)
        return NN_FAIL;
    if (nn_space_find(sp, p.name) >= 0)
        return nn_fail(e, "%s given twice; give it once", p.name);
    for (int i = 0; i < sp->n; i++)
        if (p.node >= 0 && sp->p[i].node == p.node && sp->p[i].kind == p.kind)
            return nn_fail(e, "%s given twice; give it once", p.name);
    if (sp->n == NN_SEARCH_MAXPARAMS)
        return nn_fail(e, "at most %d keys in one search", NN_SEARCH_MAXPARAMS);
    if (strchr(text, ':')) {
        if (parse_range(&p, text, e) != NN_OK)
            return NN_FAIL;
    } else if (parse_list(&p, text, e) != NN_OK)
        return NN_FAIL;
    /* sorted insert: Python's sorted(dict.items()) */
    int at = sp->n;
    while (at > 0 && strcmp(sp->p[at - 1].name, p.name) > 0) {
        sp->p[at] = sp->p[at - 1];
        at--;
    }
    sp->p[at] = p;
    sp->n++;
    return NN_OK;
}

int nn_space_has_range(const nn_space *sp)
{
    for (int i = 0; i < sp->n; i++)
        if (sp->p[i].nvalues == 0)
            return 1;
    return 0;
}

/* ---- values as text ---- */

void nn_hp_format(const nn_hparam *p, double v, char *buf, size_t len)
{
    switch (p->type) {
    case NN_HP_INT:
        snprintf(buf, len, "%.0f", v);
        break;
    case NN_HP_BOOL:
        snprintf(buf, len, "%s", v != 0 ? "true" : "false");
        break;
    case NN_HP_CHOICE: {
        const char *const *t = choices(p->kind);
        int i = (int)v, n = 0;
        while (t[n])
            n++;
        snprintf(buf, len, "%s", i >= 0 && i < n ? t[i] : "?");
        break;
    }
    default:
        snprintf(buf, len, "%g", v);
    }
}

void nn_hp_describe(const nn_hparam *p, char *buf, size_t len)
{
    if (p->nvalues > 0) {
        size_t k = (size_t)snprintf(buf, len, "[");
        for (int i = 0; i < p->nvalues && k < len; i++) {
            char v[64];
            nn_hp_format(p, p->values[i], v, sizeof v);
            k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? ", " : "", v);
        }
        if (k < len)
            snprintf(buf + k, len - k, "]");
    } else if (p->type == NN_HP_INT)
        snprintf(buf, len, p->log ? "log-uniform integers from %.0f to %.0f"
                                  : "randint(%.0f, %.0f)", p->lo,
                 p->log ? p->hi : p->hi + 1);
    else if (p->log)
        snprintf(buf, len, "loguniform(%g, %g)", p->lo, p->hi);
    else
        snprintf(buf, len, "uniform(loc=%g, scale=%g)", p->lo, p->hi - p->lo);
}

double nn_hp_sample(const nn_hparam *p, nn_rng *r)
{
    if (p->nvalues > 0)
        return p->values[nn_rng_below(r, (uint32_t)p->nvalues)];
    if (p->type == NN_HP_INT) {
        if (!p->log)
            return p->lo + nn_rng_below(r, (uint32_t)(p->hi - p->lo + 1));
        double a = log(p->lo), b = log(p->hi + 1);
        double v = floor(exp(a + nn_rng_uniform(r) * (b - a)));
        return v < p->lo ? p->lo : v > p->hi ? p->hi : v;
    }
    double u = nn_rng_uniform(r), v;
    if (p->log) {
        double a = log(p->lo), b = log(p->hi);
        v = exp(a + u * (b - a));
    } else
        v = p->lo + u * (p->hi - p->lo);
    return v < p->lo ? p->lo : v > p->hi ? p->hi : v;
}

/* ---- candidates ---- */

double nn_space_grid_size(const nn_space *sp)
{
    double n = 1;
    for (int i = 0; i < sp->n; i++) {
        if (sp->p[i].nvalues == 0)
            return 0;
        n *= sp->p[i].nvalues;
    }
    return n;
}

void nn_space_grid_at(const nn_space *sp, uint64_t idx, double *vals)
{
    /* ParameterGrid.__getitem__: the last key cycles fastest */
    for (int j = sp->n - 1; j >= 0; j--) {
        uint64_t nv = (uint64_t)sp->p[j].nvalues;
        vals[j] = sp->p[j].values[idx % nv];
        idx /= nv;
    }
}

int nn_space_sample(const nn_space *sp, int n_iter, nn_rng *r, double *vals,
                    nn_err *e)
{
    if (n_iter < 1 || n_iter > NN_SEARCH_MAXITER)
        return nn_fail(e, "n_iter must be from 1 to %d (got %d)", NN_SEARCH_MAXITER,
                       n_iter);
    int n = sp->n;
    double size = nn_space_grid_size(sp);
    if (size > 0) {
        /* every key a list: sample grid points without replacement */
        if (size < n_iter)
            n_iter = (int)size;
        if (size <= (double)(1 << 20)) {
            uint32_t m = (uint32_t)size;
            uint32_t *idx = malloc((size_t)m * sizeof *idx);
            if (!idx)
                return nn_fail(e, "out of memory");
            for (uint32_t i = 0; i < m; i++)
                idx[i] = i;
            for (int i = 0; i < n_iter; i++) {
                uint32_t j = (uint32_t)i + nn_rng_below(r, m - (uint32_t)i);
                uint32_t t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
                nn_space_grid_at(sp, idx[i], vals + (size_t)i * n);
            }
            free(idx);
        } else {
            uint64_t *got = malloc((size_t)n_iter * sizeof *got);
            if (!got)
                return nn_fail(e, "out of memory");
            for (int i = 0; i < n_iter; i++) {
                uint64_t k;
                int dup;
                do {
                    k = (uint64_t)(nn_rng_uniform(r) * size);
                    dup = 0;
                    for (int j = 0; j < i && !dup; j++)
                        dup = got[j] == k;
                } while (dup);
                got[i] = k;
                nn_space_grid_at(sp, k, vals + (size_t)i * n);
            }
            free(got);
        }
        return n_iter;
    }
    for (int i = 0; i < n_iter; i++)
        for (int j = 0; j < n; j++)
            vals[(size_t)i * n + j] = nn_hp_sample(&sp->p[j], r);
    return n_iter;
}

/* ---- folds ---- */

int nn_kfold(int n, int k, const int *labels, int *fold, int *min_class, nn_err *e)
{
    if (k < 2)
        return nn_fail(e, "cv must be at least 2 (got %d)", k);
    if (k > n)
        return nn_fail(e, "cv=%d is more folds than the %d samples (scikit-learn: "
                          "Cannot have number of splits n_splits=%d greater than "
                          "the number of samples)", k, n, k);
    if (!labels) {
        /* KFold: the first n % k folds have n / k + 1 samples */
        int i = 0;
        for (int f = 0; f < k; f++)
            for (int j = 0; j < n / k + (f < n % k); j++)
                fold[i++] = f;
        if (min_class)
            *min_class = n;
        return NN_OK;
    }
    /* StratifiedKFold: classes numbered in order of first appearance */
    int maxl = 0;
    for (int i = 0; i < n; i++) {
        if (labels[i] < 0)
            return nn_fail(e, "a class label is negative");
        if (labels[i] > maxl)
            maxl = labels[i];
    }
    int *map = malloc(((size_t)maxl + 1) * sizeof *map);
    int *enc = malloc((size_t)n * sizeof *enc);
    int *count = calloc((size_t)maxl + 1, sizeof *count);
    int *alloc = NULL, *next = NULL;
    int ncls = 0, rc = NN_OK;
    if (!map || !enc || !count)
        goto oom;
    for (int c = 0; c <= maxl; c++)
        map[c] = -1;
    for (int i = 0; i < n; i++) {
        if (map[labels[i]] < 0)
            map[labels[i]] = ncls++;
        enc[i] = map[labels[i]];
        count[enc[i]]++;
    }
    int least = n, most = 0;
    for (int c = 0; c < ncls; c++) {
        if (count[c] < least)
            least = count[c];
        if (count[c] > most)
            most = count[c];
    }
    if (most < k) {
        rc = nn_fail(e, "cv=%d is more folds than any class has samples (scikit-learn: "
                        "n_splits=%d cannot be greater than the number of members "
                        "in each class)", k, k);
        goto out;
    }
    if (min_class)
        *min_class = least;
    /* allocation[f][c]: class c's samples in test fold f, dealt round robin
     * over the labels in sorted order (y_order[f::k]) */
    alloc = calloc((size_t)k * ncls, sizeof *alloc);
    next = calloc((size_t)ncls, sizeof *next);
    if (!alloc || !next)
        goto oom;
    for (int c = 0, pos = 0; c < ncls; c++)
        for (int j = 0; j < count[c]; j++, pos++)
            alloc[(size_t)(pos % k) * ncls + c]++;
    /* class c's samples, in data order, get folds 0,0,..,1,1,.. in blocks */
    /* next[c]: the fold being filled; left[c]: its places still free */
    int *left = count;  /* the counts are not needed any more */
    for (int c = 0; c < ncls; c++) {
        int f = 0;
        while (f < k && alloc[(size_t)f * ncls + c] == 0)
            f++;
        next[c] = f;
        left[c] = f < k ? alloc[(size_t)f * ncls + c] : 0;
    }
    for (int i = 0; i < n; i++) {
        int c = enc[i];
        fold[i] = next[c];
        if (--left[c] == 0) {
            int f = next[c] + 1;
            while (f < k && alloc[(size_t)f * ncls + c] == 0)
                f++;
            next[c] = f;
            left[c] = f < k ? alloc[(size_t)f * ncls + c] : 0;
        }
    }
    goto out;
oom:
    rc = nn_fail(e, "out of memory");
out:
    free(map);
    free(enc);
    free(count);
    free(alloc);
    free(next);
    return rc;
}

void nn_fold_split(const int *fold, int n, int f, int *train, int *ntrain,
                   int *test, int *ntest)
{
    *ntrain = *ntest = 0;
    for (int i = 0; i < n; i++) {
        if (fold[i] == f)
            test[(*ntest)++] = i;
        else
            train[(*ntrain)++] = i;
    }
}

int nn_class_labels(const nn_dataset *ds, int *labels)
{
    if (ds->nclasses <= 0 || ds->ycols < 1)
        return -1;
    for (int i = 0; i < ds->n; i++) {
        const float *y = ds->y + (size_t)i * ds->ycols;
        int c = 0;
        if (ds->ycols == 1) {
            if (!(y[0] >= 0) || y[0] >= ds->nclasses)
                return -1;
            c = (int)y[0];
        } else
            for (int j = 1; j < ds->ycols; j++)
                if (y[j] > y[c])
                    c = j;
        labels[i] = c;
    }
    return 0;
}

/* ---- statistics ---- */

void nn_search_mean_std(const double *x, int n, double *mean, double *std)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += x[i];
    double m = n > 0 ? s / n : NAN;
    double v = 0;
    for (int i = 0; i < n; i++)
        v += (x[i] - m) * (x[i] - m);
    *mean = m;
    *std = n > 0 ? sqrt(v / n) : NAN;
}

void nn_search_rank(const double *means, int n, int *rank)
{
    double lo = INFINITY;
    for (int i = 0; i < n; i++)
        if (!isnan(means[i]) && means[i] < lo)
            lo = means[i];
    for (int i = 0; i < n; i++) {
        if (isinf(lo) && lo > 0) {   /* all NaN: all first */
            rank[i] = 1;
            continue;
        }
        /* NaN stands for nanmin - 1, as sklearn does before ranking */
        double a = isnan(means[i]) ? lo - 1 : means[i];
        int r = 1;
        for (int j = 0; j < n; j++) {
            double b = isnan(means[j]) ? lo - 1 : means[j];
            r += b > a;
        }
        rank[i] = r;
    }
}

/* ---- Hyperband ---- */

int nn_hyperband_plan(int max_epochs, int factor, nn_hb_bracket *b, int maxb,
                      nn_err *e)
{
    if (max_epochs < 1 || max_epochs > 100000)
        return nn_fail(e, "max_epochs must be from 1 to 100000 (got %d)", max_epochs);
    if (factor < 2 || factor > 100)
        return nn_fail(e, "factor must be from 2 to 100 (got %d)", factor);
    /* HyperbandOracle._get_num_brackets, min_epochs 1 */
    double ep = max_epochs;
    int nb = 0;
    while (ep >= 1) {
        ep = ep / factor;
        nb++;
    }
    if (nb > maxb || nb > NN_HB_MAXBRACKETS)
        return nn_fail(e, "too many brackets (%d)", nb);
    /* _get_size and _get_epochs, with Python's float arithmetic */
    double end0 = ceil(1 + log((double)max_epochs) / log((double)factor));
    for (int k = 0; k < nb; k++) {
        int bracket = nb - 1 - k;
        double end = end0 / (bracket + 1);
        b[k].nrounds = bracket + 1;
        for (int r = 0; r <= bracket; r++) {
            double p = 1;
            for (int j = 0; j < bracket - r; j++)
                p *= factor;
            b[k].trials[r] = (int)ceil(end * p);
            b[k].epochs[r] = (int)ceil(max_epochs / p);
        }
    }
    return nb;
}
