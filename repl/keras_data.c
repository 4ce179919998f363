/* keras_data.c - the data part of the `keras` code: Python that makes
 * X_train, y_train (and X_valid, y_valid, X_test, y_test where the session
 * has them) the way the session made them: the same source, the same
 * split, the same scaling.  It reads what was done from the record
 * (s->log: the successful command lines): the last `data` line, then the
 * `split` and `scale` lines after it.
 *
 * The code is the book's: keras.datasets.fashion_mnist with X / 255.,
 * sklearn.datasets.load_iris, make_moons, train_test_split, StandardScaler
 * / MinMaxScaler fitted on X_train only.  nnlab's own generators
 * (TensorFlow Playground's sets, sine, outliers: nn/datagen.c) are
 * written out in NumPy with the same formulas, so the data has the same
 * distribution; the draws come from NumPy's generator, not nnlab's, and so
 * do the splits' (the samples differ, their statistics agree).
 *
 * repl_keras_imports writes the imports the code needs, found by the
 * names it uses, so that `python3 -m pyflakes` finds no undefined and no
 * unused name. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "keras.h"
#include "pyfmt.h"

/* The session's data lines, parsed; a NULL cmd where there is none. */
typedef struct kd_lines {
    repl_args data, split, scale;
    char seed[32];   /* NumPy's and scikit-learn's seed: data's seed= or the session's */
} kd_lines;

static const char *kv(const repl_args *a, const char *key, const char *def)
{
    const char *v = repl_arg_str(a, key);
    return v ? v : def;
}

/* A typed number as a Python literal ("0.2"); def when absent. */
static const char *kv_num(char *buf, size_t len, const repl_args *a, const char *key,
                          double def)
{
    double v = def;
    const char *w = repl_arg_str(a, key);
    if (w)
        repl_parse_double(w, &v);
    return repl_py_float(buf, len, v, REPL_PY_SHORT);
}

static void first_word(const char *line, char *w, size_t len)
{
    size_t i = 0;
    while (*line == ' ' || *line == '\t')
        line++;
    while (line[i] && line[i] != ' ' && line[i] != '\t' && i + 1 < len) {
        w[i] = line[i];
        i++;
    }
    w[i] = 0;
}

/* Finds the last data line (after the last reset) and the split and scale
 * after it.  0, or -1 when the record does not hold it. */
static int kd_find(const repl_session *s, kd_lines *k)
{
    char w[16], msg[128];
    int from = -1;
    memset(k, 0, sizeof *k);
    for (int i = s->nlog - 1; i >= 0 && from < 0; i--) {
        first_word(s->log[i], w, sizeof w);
        if (!strcmp(w, "reset"))
            break;
        if (!strcmp(w, "data"))
            from = i;
    }
    if (from < 0 || repl_split(s->log[from], &k->data, msg, sizeof msg) != 0 ||
        k->data.npos < 1)
        return -1;
    long seed;
    const char *sw = repl_arg_str(&k->data, "seed");
    if (!sw || repl_parse_long(sw, &seed) != 0 || seed < 0)
        seed = (long)(s->seed & 0x7fffffff);
    seed &= 0x7fffffff;   /* scikit-learn's random_state is below 2^32 */
    snprintf(k->seed, sizeof k->seed, "%ld", seed);
    for (int i = from + 1; i < s->nlog; i++) {
        first_word(s->log[i], w, sizeof w);
        repl_args *a = !strcmp(w, "split") ? &k->split
                       : !strcmp(w, "scale") ? &k->scale : NULL;
        if (a && !a->cmd && repl_split(s->log[i], a, msg, sizeof msg) != 0)
            memset(a, 0, sizeof *a);
    }
    return 0;
}

static void kd_free(kd_lines *k)
{
    repl_args_free(&k->data);
    repl_args_free(&k->split);
    repl_args_free(&k->scale);
}

/* ---- the sources ---- */

/* nn/datagen.c's formulas in NumPy: each sets X (n, d) and y (n,) in
 * generation order, from n, noise and rng; shuffled after. */
static const struct gen_py {
    const char *name, *code;
} gen_py[] = {
    {"xor",
     "X = rng.uniform(-5, 5, (n, 2))\n"
     "X += np.where(X > 0, 0.3, -0.3)  # pushed 0.3 away from the axes\n"
     "shift = rng.uniform(-5, 5, (n, 2)) * noise\n"
     "y = ((X[:, 0] + shift[:, 0]) * (X[:, 1] + shift[:, 1]) >= 0).astype(\"int64\")\n"},
    {"circles",
     "n1 = (n + 1) // 2  # class 1 inside, class 0 in the ring\n"
     "radius = np.r_[rng.uniform(0, 2.5, n1), rng.uniform(3.5, 5, n - n1)]\n"
     "angle = rng.uniform(0, 2 * np.pi, n)\n"
     "X = np.c_[radius * np.sin(angle), radius * np.cos(angle)]\n"
     "shift = rng.uniform(-5, 5, (n, 2)) * noise\n"
     "y = (np.hypot(X[:, 0] + shift[:, 0], X[:, 1] + shift[:, 1]) < 2.5).astype(\"int64\")\n"},
    {"spiral",
     "n1 = (n + 1) // 2  # two arms: class 1, then class 0 turned by pi\n"
     "k = np.r_[np.arange(n1) / n1, np.arange(n - n1) / (n - n1)]\n"
     "t = 1.75 * 2 * np.pi * k + np.r_[np.zeros(n1), np.full(n - n1, np.pi)]\n"
     "X = np.c_[5 * k * np.sin(t), 5 * k * np.cos(t)] + rng.uniform(-1, 1, (n, 2)) * noise\n"
     "y = np.r_[np.ones(n1), np.zeros(n - n1)].astype(\"int64\")\n"},
    {"gauss",
     "n1 = (n + 1) // 2  # class 1 around (2, 2), class 0 around (-2, -2)\n"
     "center = np.r_[np.full(n1, 2.0), np.full(n - n1, -2.0)]\n"
     "X = center[:, None] + np.sqrt(0.5 + 7 * noise) * rng.standard_normal((n, 2))\n"
     "y = (center > 0).astype(\"int64\")\n"},
    {"plane",
     "X = rng.uniform(-6, 6, (n, 2))\n"
     "shift = rng.uniform(-6, 6, (n, 2)) * noise\n"
     "y = (X + shift).sum(axis=1) / 10\n"},
    {"sine",
     "X = rng.uniform(-3, 3, (n, 1))\n"
     "y = np.sin(X[:, 0]) + noise * rng.standard_normal(n)\n"},
    {"outliers",
     "X = rng.uniform(-3, 3, (n, 1))\n"
     "y = 0.5 * X[:, 0] + 1 + np.sqrt(0.01 + noise**2) * rng.standard_normal(n)\n"
     "k = int(np.floor(0.05 * n + 0.5))  # 5% of the points moved by +-U(5, 10)\n"
     "y[:k] += rng.choice([-1.0, 1.0], k) * rng.uniform(5, 10, k)\n"},
    {NULL, NULL}
};

static void src_generated(nn_buf *b, const repl_args *a, const char *seed)
{
    char n2[32];
    long n = 500;
    const char *name = a->pos[0];
    repl_parse_long(kv(a, "n", "500"), &n);
    kv_num(n2, sizeof n2, a, "noise", 0.0);
    if (!strcmp(name, "moons")) {
        nn_buf_printf(b, "# data moons: scikit-learn's make_moons, as nnlab's (shuffled)\n"
                         "X, y = make_moons(n_samples=%ld, noise=%s, random_state=%s)\n",
                      n, n2, seed);
        return;
    }
    for (int i = 0; gen_py[i].name; i++)
        if (!strcmp(gen_py[i].name, name)) {
            nn_buf_printf(b, "# data %s: nnlab's generator (nn/datagen.c) in NumPy; the "
                             "same\n# distribution, NumPy's draws\n"
                             "n, noise = %ld, %s\nrng = np.random.default_rng(%s)\n%s"
                             "shuffle = rng.permutation(n)\nX, y = X[shuffle], y[shuffle]\n",
                          name, n, n2, seed, gen_py[i].code);
            return;
        }
    nn_buf_printf(b, "# data %s: X, y are yours\n", name);
}

static void src_iris(nn_buf *b, const char *seed)
{
    nn_buf_printf(b, "# data iris: the same 150 flowers (nnlab's lessons/data/iris.csv), "
                     "shuffled\niris = load_iris()\nX, y = iris.data, iris.target  "
                     "# classes: setosa, versicolor, virginica\n"
                     "shuffle = np.random.default_rng(%s).permutation(len(X))\n"
                     "X, y = X[shuffle], y[shuffle]\n", seed);
}

/* Is every class name a number (a numeric target read as classes)? */
static int numeric_classes(const nn_dataset *d)
{
    double v;
    for (int i = 0; i < d->nclasses; i++)
        if (!d->class_names || repl_parse_double(d->class_names[i], &v) != 0)
            return 0;
    return d->nclasses > 0;
}

static void src_csv(nn_buf *b, const repl_session *s, const repl_args *a)
{
    char q[4096 + 8], tq[256];
    int header = 1;
    long col;
    const char *target = kv(a, "target", "");
    const char *h = repl_arg_str(a, "header");
    if (h)
        repl_parse_bool(h, &header);
    nn_buf_printf(b, "# data csv: %s, target %s; the other columns are the features\n"
                     "with open(%s, newline=\"\") as f:\n"
                     "    rows = [row for row in csv.reader(f) if row]\n",
                  a->npos > 1 ? a->pos[1] : "", target,
                  repl_py_str(q, sizeof q, a->npos > 1 ? a->pos[1] : ""));
    if (header)
        nn_buf_printf(b, "header, table = rows[0], np.array(rows[1:])\n");
    else
        nn_buf_printf(b, "table = np.array(rows)\n");
    /* csv.c: a header name first, else a 0-based index */
    int index = repl_parse_long(target, &col) == 0 && col >= 0;
    repl_py_str(tq, sizeof tq, target);
    if (!header)
        nn_buf_printf(b, "k = %ld\n", index ? col : 0L);
    else if (index)
        nn_buf_printf(b, "k = header.index(%s) if %s in header else %ld\n", tq, tq, col);
    else
        nn_buf_printf(b, "k = header.index(%s)\n", tq);
    nn_buf_printf(b, "X = np.delete(table, k, axis=1).astype(\"float32\")\n");
    if (s->train.nclasses > 0)
        nn_buf_printf(b, "classes, y = np.unique(table[:, k]%s, return_inverse=True)  "
                         "# class numbers, sorted as nnlab's\n",
                      numeric_classes(&s->train) ? ".astype(float)" : "");
    else
        nn_buf_printf(b, "y = table[:, k].astype(\"float32\")\n");
}

static void src_fashion(nn_buf *b)
{
    nn_buf_printf(b, "# data fashion_mnist: as the book loads it, pixels / 255. as nnlab "
                     "scales them\n"
                     "fashion_mnist = keras.datasets.fashion_mnist.load_data()\n"
                     "(X_train_full, y_train_full), (X_test, y_test) = fashion_mnist\n"
                     "X_train, y_train = X_train_full[:-5000] / 255., y_train_full[:-5000]\n"
                     "X_valid, y_valid = X_train_full[-5000:] / 255., y_train_full[-5000:]\n"
                     "X_test = X_test / 255.\n");
}

/* ---- split and scale ---- */

static void split_code(nn_buf *b, const repl_session *s, const kd_lines *k)
{
    char t[32], v[32], f[32];
    int strat = s->train.nclasses > 0;
    const char *seed = k->seed;
    if (k->split.cmd) {
        double ts = 0.2, vs = 0.0;
        int st = 1;
        repl_parse_double(kv(&k->split, "test_size", "0.2"), &ts);
        repl_parse_double(kv(&k->split, "valid_size", "0"), &vs);
        repl_parse_bool(kv(&k->split, "stratify", "true"), &st);
        strat = strat && st;
        nn_buf_printf(b, "X_train, X_test, y_train, y_test = train_test_split(\n"
                         "    X, y, test_size=%s%s, random_state=%s)\n",
                      repl_py_float(t, sizeof t, ts, REPL_PY_SHORT),
                      strat ? ", stratify=y" : "", seed);
        if (vs > 0)   /* valid_size is of the whole set, as test_size */
            nn_buf_printf(b, "X_train, X_valid, y_train, y_valid = train_test_split(\n"
                             "    X_train, y_train, test_size=%s / (1 - %s)%s, "
                             "random_state=%s)\n",
                          repl_py_float(v, sizeof v, vs, REPL_PY_SHORT), t,
                          strat ? ", stratify=y_train" : "", seed);
    } else if (repl_arg_str(&k->data, "test_split")) {
        double ts = 0;
        repl_parse_double(repl_arg_str(&k->data, "test_split"), &ts);
        nn_buf_printf(b, "X_train, X_test, y_train, y_test = train_test_split(\n"
                         "    X, y, test_size=%s%s, random_state=%s)\n",
                      repl_py_float(f, sizeof f, ts, REPL_PY_SHORT),
                      strat ? ", stratify=y" : "", seed);
    } else
        nn_buf_printf(b, "X_train, y_train = X, y\n");
}

static void scale_code(nn_buf *b, const repl_session *s)
{
    const char *cls = s->scaled == 2 ? "MinMaxScaler" : "StandardScaler";
    nn_buf_printf(b, "scaler = %s()  # fitted on X_train only, as nnlab's scale\n"
                     "X_train = scaler.fit_transform(X_train)\n", cls);
    if (s->valid.n > 0)
        nn_buf_printf(b, "X_valid = scaler.transform(X_valid)\n");
    if (s->test.n > 0)
        nn_buf_printf(b, "X_test = scaler.transform(X_test)\n");
}

static void data_shape(char *buf, size_t len, const nn_dataset *d)
{
    size_t k = (size_t)snprintf(buf, len, "(%d", d->n);
    if (d->ndim > 0)
        for (int i = 0; i < d->ndim && k < len; i++)
            k += (size_t)snprintf(buf + k, len - k, ", %d", d->shape[i]);
    else if (k < len)
        k += (size_t)snprintf(buf + k, len - k, ", %d", d->d);
    if (k < len)
        snprintf(buf + k, len - k, ")");
}

static void y_shape(char *buf, size_t len, const nn_dataset *d)
{
    if (d->ycols == 1)
        snprintf(buf, len, "(%d,)", d->n);
    else
        snprintf(buf, len, "(%d, %d)", d->n, d->ycols);
}

/* "# nnlab's: X_train (240, 2), y_train (240,); X_test ..." */
static void shapes(nn_buf *b, const repl_session *s)
{
    const nn_dataset *sets[] = {&s->train, &s->valid, &s->test};
    char xs[96], ys[64];
    nn_buf_printf(b, "# nnlab's arrays:");
    for (int k = 0, any = 0; k < 3; k++) {
        if (sets[k]->n == 0)
            continue;
        data_shape(xs, sizeof xs, sets[k]);
        y_shape(ys, sizeof ys, sets[k]);
        nn_buf_printf(b, "%s X_%s %s, y_%s %s", any++ ? ";" : "", repl_split_names[k],
                      xs, repl_split_names[k], ys);
    }
    nn_buf_printf(b, "\n");
}

void repl_keras_data(nn_buf *b, const repl_session *s)
{
    kd_lines k;
    if (!s->have_data) {
        nn_buf_printf(b, "# no data loaded yet: X_train, y_train are yours\n");
        return;
    }
    if (kd_find(s, &k) != 0) {
        nn_buf_printf(b, "# data: %s (its loading is not in the record): X_train, "
                         "y_train are yours\n", s->data_name);
        kd_free(&k);
        return;
    }
    const char *src = k.data.pos[0];
    if (!strcmp(src, "fashion_mnist"))
        src_fashion(b);
    else {
        if (!strcmp(src, "iris"))
            src_iris(b, k.seed);
        else if (!strcmp(src, "csv"))
            src_csv(b, s, &k.data);
        else
            src_generated(b, &k.data, k.seed);
        split_code(b, s, &k);
    }
    if (s->scaled)
        scale_code(b, s);
    shapes(b, s);
    kd_free(&k);
}

/* ---- imports ---- */

/* What a name in the code needs imported, in the order written. */
static const struct imp {
    const char *use, *line;
} imports[] = {
    {"csv.", "import csv\n"},
    {"np.", "import numpy as np\n"},
    {"load_iris(", "from sklearn.datasets import load_iris\n"},
    {"make_moons(", "from sklearn.datasets import make_moons\n"},
    {"train_test_split(", "from sklearn.model_selection import train_test_split\n"},
    {"MinMaxScaler(", "from sklearn.preprocessing import MinMaxScaler\n"},
    {"StandardScaler(", "from sklearn.preprocessing import StandardScaler\n"},
    {NULL, NULL}
};

/* Does code use the name outside comments (a '#' starts one; the code
 * written here has no '#' inside strings but in file names, see below). */
static int uses(const char *code, const char *name)
{
    size_t nl = strlen(name);
    for (const char *p = code; *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        int quote = 0;
        for (size_t i = 0; i < len; i++) {
            char c = p[i];
            if (c == '"' && (i == 0 || p[i - 1] != '\\'))
                quote = !quote;
            if (c == '#' && !quote)
                break;
            /* a name starts after a character that cannot be in one */
            if (!quote && i + nl <= len && !strncmp(p + i, name, nl) &&
                (i == 0 || !(p[i - 1] == '_' || p[i - 1] == '.' ||
                             isalnum((unsigned char)p[i - 1]))))
                return 1;
        }
        p += len;
        if (*p)
            p++;
    }
    return 0;
}

void repl_keras_imports(nn_buf *b, const char *code)
{
    for (int i = 0; imports[i].use; i++)
        if (uses(code, imports[i].use))
            nn_buf_puts(b, imports[i].line);
}
