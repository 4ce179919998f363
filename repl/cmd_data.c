/* cmd_data.c - `data`: the data a student starts with: generated sets,
 * iris, Fashion-MNIST and CSV files (and test_split= at load time).
 * split, scale and show data have their own files (cmd_split.c,
 * cmd_scale.c, cmd_show.c).
 *
 * Every handler checks all of its words first, then builds the new data
 * in temporaries (and draws from a copy of the session's generator), and
 * only when everything worked frees the old data and swaps the new in: a
 * failed command leaves the session as it was. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "data_common.h"
#include "progress.h"
#include "coach.h"
#include "repl.h"

static const char *const gen_list =
    "xor, circles, moons, spiral, gauss, plane, sine, outliers";

static const char *const fashion_classes[] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
    "Sneaker", "Bag", "Ankle boot"
};

#define FASHION_VALID 5000      /* the book's X_train_full[-5000:] */

static void free3(nn_dataset *tr, nn_dataset *va, nn_dataset *te)
{
    nn_dataset_free(tr);
    nn_dataset_free(va);
    nn_dataset_free(te);
}

/* Drops the session's data and puts the new sets in. */
static void install(repl_session *s, nn_dataset *tr, nn_dataset *va,
                    nn_dataset *te, const char *name)
{
    free3(&s->train, &s->valid, &s->test);
    s->train = *tr;
    s->valid = *va;
    s->test = *te;
    memset(tr, 0, sizeof *tr);
    memset(va, 0, sizeof *va);
    memset(te, 0, sizeof *te);
    s->have_data = 1;
    repl_coach_data_loaded(s);
    snprintf(s->data_name, sizeof s->data_name, "%s", name);
    s->scaled = 0;
    nn_scaler_free(&s->scaler);
    s->perc_valid = 0;
}

/* Rows of ds in a seeded random order (iris comes sorted by species, and
 * fit's validation_split takes the last rows unshuffled). */
static int shuffle_set(nn_dataset *ds, nn_rng *r, nn_err *e)
{
    int *idx = nn_calloc((size_t)ds->n, sizeof *idx, e);
    if (!idx)
        return NN_FAIL;
    for (int i = 0; i < ds->n; i++)
        idx[i] = i;
    nn_rng_shuffle(r, idx, ds->n);
    nn_dataset t;
    int rc = nn_dataset_take(&t, ds, idx, ds->n, e);
    free(idx);
    if (rc != NN_OK)
        return NN_FAIL;
    nn_dataset_free(ds);
    *ds = t;
    return NN_OK;
}

/* "(250/250)" from the counts of all parts together. */
static void class_counts_str(const nn_dataset *const *parts, int nparts,
                             char *buf, size_t len)
{
    int nc = parts[0]->nclasses;
    int *tot = calloc((size_t)nc, sizeof *tot);
    int *c = calloc((size_t)nc, sizeof *c);
    buf[0] = 0;
    if (!tot || !c) {
        free(tot);
        free(c);
        return;
    }
    for (int p = 0; p < nparts; p++) {
        if (parts[p]->n <= 0)
            continue;
        nn_dataset_class_counts(parts[p], c);
        for (int k = 0; k < nc; k++)
            tot[k] += c[k];
    }
    size_t k = (size_t)snprintf(buf, len, "(");
    for (int i = 0; i < nc && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s%d", i ? "/" : "", tot[i]);
    if (k < len)
        snprintf(buf + k, len - k, ")");
    free(tot);
    free(c);
}

/* "classes: 0=setosa 1=versicolor ..." when the names say more than the
 * numbers. */
static void print_mapping(const nn_dataset *ds)
{
    if (!repl_names_differ(ds))
        return;
    printf("classes:");
    for (int i = 0; i < ds->nclasses; i++)
        printf(" %d=%s", i, ds->class_names[i]);
    printf("\n");
}

/* One line: "xor: 500 samples, 2 features, 2 classes (250/250)". */
static void print_summary(const char *name, const nn_dataset *tr,
                          const nn_dataset *va, const nn_dataset *te)
{
    int n = tr->n + va->n + te->n;
    printf("%s: %d samples", name, n);
    if (va->n || te->n) {
        printf(" (train %d", tr->n);
        if (va->n)
            printf(", valid %d", va->n);
        if (te->n)
            printf(", test %d", te->n);
        printf(")");
    }
    printf(", %d feature%s, ", tr->d, tr->d == 1 ? "" : "s");
    if (tr->nclasses > 0) {
        const nn_dataset *parts[] = {tr, va, te};
        char counts[512];
        class_counts_str(parts, 3, counts, sizeof counts);
        printf("%d classes %s\n", tr->nclasses, counts);
    } else {
        double sum = 0, ss = 0;
        long cnt = 0;
        const nn_dataset *parts[] = {tr, va, te};
        for (int p = 0; p < 3; p++)
            for (int i = 0; i < parts[p]->n; i++) {
                double v = parts[p]->y[(size_t)i * (size_t)parts[p]->ycols];
                sum += v;
                ss += v * v;
                cnt++;
            }
        double mean = sum / cnt, var = ss / cnt - mean * mean;
        char b1[32], b2[32];
        printf("regression target (mean %s, std %s)\n",
               repl_num(b1, sizeof b1, mean),
               repl_num(b2, sizeof b2, sqrt(var > 0 ? var : 0)));
    }
}

/* A note when the model already built does not take this data. */
static void note_model(const repl_session *s, const nn_dataset *tr)
{
    nn_err e;
    if (!s->model || nn_model_input(s->model) < 0 ||
        nn_model_check_columns(s->model, tr->d, &e) == NN_OK)
        return;
    const nn_node *in = &s->model->nodes[nn_model_input(s->model)];
    int k = in->size;
    if (nn_model_ninputs(s->model) == 1 && in->col_from == 0)
        printf("note: the model's input takes %d value%s per sample but this data "
               "has %d; fit will refuse it (start again with: input %d)\n",
               k, k == 1 ? "" : "s", tr->d, tr->d);
    else
        printf("note: fit will refuse this data: %s\n", e.msg);
}

/* ---- data ---- */

enum { SRC_GEN, SRC_IRIS, SRC_FASHION, SRC_CSV };

/* Which keywords go with which source, and what to say otherwise. */
static int check_data_keys(repl_session *s, const repl_args *a, int src,
                           const char *name)
{
    for (int i = 0; i < a->nkv; i++) {
        const char *k = a->key[i];
        if ((!strcmp(k, "n") || !strcmp(k, "noise")) && src != SRC_GEN)
            return repl_error(s, "data", "%s= is for the generated sets (%s), "
                              "not %s", k, gen_list, name);
        if (!strcmp(k, "seed") && src == SRC_FASHION)
            return repl_error(s, "data", "seed= does not apply to "
                              "fashion_mnist: nothing in it is random (its "
                              "split is the book's)");
        if (!strcmp(k, "test_split") && src == SRC_FASHION)
            return repl_error(s, "data", "test_split= does not apply to "
                              "fashion_mnist: it comes split already (train "
                              "55000, valid 5000, test 10000)");
        if (!strcmp(k, "path") && src == SRC_CSV)
            return repl_error(s, "data", "path= is for fashion_mnist; give the "
                              "CSV file as a word: data csv FILE "
                              "target=COLUMN");
        if (!strcmp(k, "path") && src != SRC_FASHION)
            return repl_error(s, "data", "path= is for fashion_mnist only");
        if ((!strcmp(k, "target") || !strcmp(k, "header") ||
             !strcmp(k, "task")) && src != SRC_CSV)
            return repl_error(s, "data", "%s= is for data csv FILE only", k);
    }
    return 0;
}

/* Finds NAME or NAME.gz in dir; 1 if found (path in buf). */
static int find_idx(const char *dir, const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s.gz", dir, name);
    if (repl_file_readable(buf))
        return 1;
    snprintf(buf, len, "%s/%s", dir, name);
    return repl_file_readable(buf);
}

static int load_fashion(repl_session *s, const char *dir, nn_dataset *tr,
                        nn_dataset *va, nn_dataset *te)
{
    static const char *const files[] = {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
    };
    char path[4][4096];
    int found = 0, missing = -1;
    for (int i = 0; i < 4; i++) {
        if (find_idx(dir, files[i], path[i], sizeof path[i]))
            found++;
        else if (missing < 0)
            missing = i;
    }
    if (found == 0)
        return repl_error(s, "data", "Fashion-MNIST not found in %s; install "
                          "it with: sudo apt-get install dataset-fashion-mnist",
                          dir);
    if (missing >= 0)
        return repl_error(s, "data", "%s has only part of Fashion-MNIST: %s.gz "
                          "is missing; reinstall it with: sudo apt-get install "
                          "--reinstall dataset-fashion-mnist", dir,
                          files[missing]);
    nn_err e = {{0}};
    /* pixels kept as bytes (x / 255 when a batch is read); the training
     * and test files inflated side by side */
    nn_dataset pair[2], full;
    const char *imgs[2] = {path[0], path[2]}, *labs[2] = {path[1], path[3]};
    if (nn_idx_load_u8(pair, imgs, labs, 2, &e) != NN_OK)
        return repl_error(s, "data", "%s", e.msg);
    full = pair[0];
    *te = pair[1];
    if (full.n <= FASHION_VALID || full.nclasses > 10 || te->nclasses > 10 ||
        full.d != te->d) {
        int n = full.n;
        nn_dataset_free(&full);
        nn_dataset_free(te);
        return repl_error(s, "data", "%s does not hold Fashion-MNIST (%d "
                          "training images, labels up to 9 expected); check "
                          "path=", dir, n);
    }
    full.nclasses = te->nclasses = 10;
    /* valid = the last 5,000 of the training file, train = the first
     * 55,000 (the book: X_valid, X_train = X_train_full[-5000:],
     * X_train_full[:-5000]); train keeps the file's buffer, shrunk. */
    nn_dataset v;
    nn_dataset_view(&v, &full, full.n - FASHION_VALID, FASHION_VALID);
    if (nn_dataset_copy(va, &v, &e) != NN_OK) {
        nn_dataset_free(&full);
        nn_dataset_free(te);
        return repl_error(s, "data", "%s", e.msg);
    }
    *tr = full;
    tr->n = full.n - FASHION_VALID;
    size_t cells = (size_t)tr->n * (size_t)tr->d;
    if (tr->x8) {
        unsigned char *x8 = realloc(tr->x8, cells);
        if (x8)
            tr->x8 = x8;
    } else {
        float *x = realloc(tr->x, cells * sizeof(float));
        if (x)
            tr->x = x;
    }
    float *y = realloc(tr->y, (size_t)tr->n * (size_t)tr->ycols * sizeof(float));
    if (y)
        tr->y = y;
    nn_dataset *sets[] = {tr, va, te};
    for (int i = 0; i < 3; i++) {
        snprintf(sets[i]->name, sizeof sets[i]->name, "fashion_mnist");
        if (nn_dataset_set_classes(sets[i], 10, fashion_classes, &e) != NN_OK) {
            free3(tr, va, te);
            return repl_error(s, "data", "%s", e.msg);
        }
    }
    return 0;
}


static int cmd_data(repl_session *s, const repl_args *a)
{
    const char *name = a->pos[0];
    int src;
    if (nn_lookup(nn_datagen_names, name) >= 0)
        src = SRC_GEN;
    else if (!strcmp(name, "iris"))
        src = SRC_IRIS;
    else if (!strcmp(name, "fashion_mnist"))
        src = SRC_FASHION;
    else if (!strcmp(name, "csv"))
        src = SRC_CSV;
    else {
        const char *hint = repl_suggest(name, repl_data_words);
        return repl_error(s, "data", "unknown data set '%s'%s%s%s; choose one "
                          "of: %s, iris, fashion_mnist, or csv FILE", name,
                          *hint ? " (" : "", hint, *hint ? ")" : "", gen_list);
    }
    if (src == SRC_CSV && a->npos < 2)
        return repl_error(s, "data", "csv needs a file name; usage: data csv "
                          "FILE target=COLUMN [header=true] "
                          "[task=auto|classification|regression]");
    if (src != SRC_CSV && a->npos > 1)
        return repl_error(s, "data", "%s takes no file name (got '%s'); only "
                          "data csv FILE reads a file", name, a->pos[1]);
    if (check_data_keys(s, a, src, name) < 0)
        return -1;

    long n, seed;
    double noise, test_split;
    int header = 1, task = 0, has_seed;
    if (repl_opt_int(s, a, "n", &n) < 0 ||
        repl_opt_num(s, a, "noise", &noise) < 0 ||
        (has_seed = repl_opt_int_or(s, a, "seed", 0, &seed)) < 0 ||
        repl_opt_num(s, a, "test_split", &test_split) < 0 ||
        repl_opt_bool(s, a, "header", &header) < 0 ||
        repl_opt_enum(s, a, "task", &task) < 0)
        return -1;
    const char *ts = repl_arg_str(a, "test_split");
    const char *target = repl_arg_str(a, "target");
    if (src == SRC_CSV && (!target || !*target))
        return repl_error(s, "data", "data csv needs target=COLUMN: the column "
                          "to predict, by header name or 0-based index (e.g. "
                          "target=species)");

    /* The random draws come from a seed: seed= or one draw from the
     * session's generator (so the rest of the session does not depend on
     * n); nothing is drawn for a load that needs no randomness.  The
     * session's generator is advanced only on success. */
    nn_rng sr = s->rng, r;
    int need_rng = src == SRC_GEN || src == SRC_IRIS || has_seed ||
                 repl_arg_str(a, "test_split");
    uint64_t dseed = has_seed   ? (uint64_t)seed
                     : need_rng ? nn_rng_u64(&sr)
                                : 0;
    nn_rng_seed(&r, dseed);

    nn_dataset tr = {0}, va = {0}, te = {0};
    nn_err e = {{0}};
    char dname[64];
    snprintf(dname, sizeof dname, "%s", name);
    switch (src) {
    case SRC_GEN:
        if (nn_datagen(&tr, name, (int)n, noise, &r, &e) != NN_OK)
            return repl_error(s, "data", "%s", e.msg);
        break;
    case SRC_IRIS: {
        char path[4096];
        if (!repl_data_path("data/iris.csv", path, sizeof path))
            return repl_error(s, "data", "iris.csv not found (looked for %s); "
                              "set NNLAB_DATA to the folder that holds "
                              "data/iris.csv", path);
        if (nn_csv_load(&tr, path, "species", 1, 1, &e) != NN_OK ||
            shuffle_set(&tr, &r, &e) != NN_OK) {
            nn_dataset_free(&tr);
            return repl_error(s, "data", "%s", e.msg);
        }
        snprintf(tr.name, sizeof tr.name, "iris");
        break;
    }
    case SRC_FASHION: {
        const char *dir = repl_arg_str(a, "path");
        if (!dir || !*dir)
            dir = REPL_FASHION_DIR;
        if (load_fashion(s, dir, &tr, &va, &te) < 0)
            return -1;
        break;
    }
    case SRC_CSV:
        if (nn_csv_load(&tr, a->pos[1], target, header, task, &e) != NN_OK)
            return repl_error(s, "data", "%s", e.msg);
        snprintf(dname, sizeof dname, "%s", tr.name);
        break;
    }
    if (ts) {
        nn_dataset t2, t3;
        if (nn_dataset_split(&tr, test_split, tr.nclasses > 0, &r, &t2, &t3,
                             &e) != NN_OK) {
            free3(&tr, &va, &te);
            return repl_error(s, "data", "test_split=%s: %s", ts, e.msg);
        }
        nn_dataset_free(&tr);
        tr = t2;
        te = t3;
    }
    if (src == SRC_FASHION)     /* the classes are listed by show data */
        printf("fashion_mnist: train %d, valid %d, test %d; %dx%d images, "
               "%d classes\n", tr.n, va.n, te.n, tr.shape[0],
               tr.ndim > 1 ? tr.shape[1] : 1, tr.nclasses);
    else {
        print_summary(dname, &tr, &va, &te);
        print_mapping(&tr);
    }
    note_model(s, &tr);
    install(s, &tr, &va, &te, dname);
    s->rng = sr;
    return 0;
}

static const repl_opt data_base_opts[] = {
    {.name = "n", .type = REPL_T_INT, .min = 10, .max = 1000000, .shown = "500",
     .def = "500",
     .help = "number of samples generated"},
    {.name = "noise", .type = REPL_T_NUM, .min = 0.0, .max = 0.5, .shown = "0",
     .def = "0",
     .help = "standard deviation of the noise added"},
    {.name = "seed", .type = REPL_T_INT, .min = 0, .max = LONG_MAX, .shown = "N",
     .help = "the random seed of the generator"},
    {.name = "test_split", .type = REPL_T_FRAC, .shown = "F", .def = "0",
     .help = "fraction of the samples kept apart as a test set"},
    REPL_END
};

static const repl_opt data_fashion_mnist_opts[] = {
    {.name = "path", .type = REPL_T_FILE, .shown = "DIR",
     .help = "the folder holding the data files"},
    REPL_END
};

static const repl_opt data_csv_opts[] = {
    {.name = "target", .type = REPL_T_TEXT, .shown = "COLUMN", .required = 1,
     .help = "the column holding the labels"},
    {.name = "header", .type = REPL_T_BOOL, .shown = "true", .def = "true",
     .help = "the first line names the columns"},
    {.name = "task", .type = REPL_T_ENUM, .values = repl_task_values,
     .shown = "auto|classification|regression",
     .def = "auto",
     .help = "classification or regression (auto: text labels are classes)"},
    REPL_END
};

static const repl_form data_forms[] = {
    {.args = "NAME", .opts = data_base_opts},
    {.word = "iris"},
    {.word = "fashion_mnist", .opts = data_fashion_mnist_opts},
    {.word = "csv", .args = "FILE", .opts = data_csv_opts},
    {0}
};

const repl_cmd repl_cmds_data[] = {
    {.name = "data", .topic = "data", .run = cmd_data,
     .forms = data_forms,
     .summary = "load a data set: generated, iris, fashion_mnist or a CSV "
     "file",
     .help =
     "Loads a data set as the training data, dropping the data loaded\n"
     "before (its valid and test parts and any scaling too).  The model\n"
     "is kept; fit says if it does not take the new data.\n"
     "\n"
     "Generated sets (TensorFlow Playground's, and scikit-learn's\n"
     "make_moons), n=10..1000000 points (default 500), noise=0..0.5:\n"
     "  xor, circles, gauss, spiral  2 features, 2 classes\n"
     "  moons                        make_moons, noise = Gaussian sd\n"
     "  plane                        regression, y = (x1 + x2) / 10\n"
     "  sine                         regression, y = sin(x)\n"
     "  outliers                     regression, y = 0.5 x + 1 with 5%\n"
     "                               gross outliers (MSE vs MAE vs Huber)\n"
     "seed=N makes the set from its own seed; without it the seed is\n"
     "one draw from the session's generator (seed N restarts that).\n"
     "\n"
     "data iris: Fisher's 150 flowers, 4 features, 3 species (the rows\n"
     "are shuffled: the file is sorted by species, and fit's\n"
     "validation_split takes the last rows).\n"
     "data fashion_mnist: 70,000 28x28 clothing images, 10 classes, from\n"
     "the Debian package dataset-fashion-mnist (path=DIR for another\n"
     "folder), pixels scaled to [0, 1], split as in the book: train =\n"
     "the first 55,000 training images, valid = the last 5,000, test =\n"
     "the 10,000 test images.\n"
     "data csv FILE target=COLUMN: a CSV file (header=false when the\n"
     "first line is data; columns are then c0, c1, ...); target is a\n"
     "column name or a 0-based index; text labels become class numbers\n"
     "in sorted order, and the mapping is shown.  task=auto takes text\n"
     "or at most 20 distinct whole numbers as classes.\n"
     "test_split=F (not for fashion_mnist) moves a fraction F to a test\n"
     "set at once, as split does.\n"
     "\n"
     "Example:\n"
     "  data moons n=1000 noise=0.2 test_split=0.2\n"
     "  data csv flowers.csv target=species\n"
     "\n"
     "Keras / scikit-learn:\n"
     "  sklearn.datasets.make_moons(n_samples=1000, noise=0.2)\n"
     "  keras.datasets.fashion_mnist.load_data()\n"
     "  pandas.read_csv(FILE); sklearn.preprocessing.LabelEncoder()",
     .minpos = 1, .maxpos = 2, .pos_kind = REPL_POS_WORDS, .pos_values = repl_data_words},
    {NULL},
};
