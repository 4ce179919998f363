/* cmd_perceptron.c - scikit-learn's Perceptron on the current data: the
 * chapter's first model, a hard threshold with no probabilities, trained
 * with the perceptron rule (nn/perceptron.c). */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "repl.h"
#include "progress.h"

/* ---- perceptron ---- */

static const char *const perceptron_modes[] = {"train", "predict", "predict_proba",
                                               NULL};

static int perc_train(repl_session *s, const repl_args *a)
{
    nn_perceptron_opts o;
    nn_perceptron_defaults(&o);
    long max_iter, nic;
    int pen, shuffle, fi;
    double eta0, alpha, l1, tol = o.tol;
    const char *tv = repl_arg_str(a, "tol");
    if (repl_opt_num_or(s, a, "eta0", o.eta0, &eta0) < 0 ||
        repl_opt_int_or(s, a, "max_iter", o.max_iter, &max_iter) < 0 ||
        repl_opt_enum(s, a, "penalty", &pen) < 0 ||
        repl_opt_num_or(s, a, "alpha", o.alpha, &alpha) < 0 ||
        repl_opt_num_or(s, a, "l1_ratio", o.l1_ratio, &l1) < 0 ||
        repl_opt_bool(s, a, "shuffle", &shuffle) < 0 ||
        repl_opt_bool(s, a, "fit_intercept", &fi) < 0 ||
        repl_opt_int_or(s, a, "n_iter_no_change", o.n_iter_no_change, &nic) < 0)
        return -1;
    if (tv && (!strcmp(tv, "none") || !strcmp(tv, "None")))
        tol = -1;     /* scikit-learn's tol=None: no stopping check */
    else if (tv && (repl_parse_double(tv, &tol) < 0 || tol < 0))
        return repl_error(s, "perceptron", "tol must be a number >= 0, or "
                          "none for no stopping check (got '%s')", tv);
    if (repl_need_data(s, "perceptron") < 0)
        return -1;
    if (s->train.nclasses < 2)
        return repl_error(s, "perceptron", "a perceptron is a classifier, but "
                          "%s is a regression set; load classes (data xor, "
                          "data iris, ...)", s->data_name);
    o.eta0 = eta0;
    o.max_iter = (int)max_iter;
    o.tol = tol;
    o.penalty = (nn_penalty)pen;
    o.alpha = alpha;
    o.l1_ratio = l1;
    o.shuffle = shuffle;
    o.fit_intercept = fi;
    o.n_iter_no_change = (int)nic;
    nn_perceptron *p = calloc(1, sizeof *p);
    if (!p)
        return repl_error(s, "perceptron", "out of memory");
    nn_rng r = s->rng;
    nn_err e = {{0}};
    if (nn_perceptron_fit(p, &s->train, &o, &r, &e) != NN_OK) {
        nn_perceptron_free(p);
        free(p);
        return repl_error(s, "perceptron", "%s", e.msg);
    }
    s->rng = r;
    if (s->perc) {
        nn_perceptron_free(s->perc);
        free(s->perc);
    }
    s->perc = p;
    s->perc_valid = 1;
    char b1[32], b2[32];
    printf("perceptron: %d epoch%s, train accuracy %s", p->n_iter,
           p->n_iter == 1 ? "" : "s",
           repl_num(b1, sizeof b1, nn_perceptron_score(p, &s->train)));
    if (s->test.n > 0)
        printf(", test accuracy %s",
               repl_num(b2, sizeof b2, nn_perceptron_score(p, &s->test)));
    printf("\n");
    if (p->n_iter >= o.max_iter && o.tol >= 0)   /* ConvergenceWarning */
        printf("note: stopped at max_iter=%d without converging (the classes "
               "may not be linearly separable)\n", o.max_iter);
    if (p->d <= 8) {
        for (int k = 0; k < p->nw; k++) {
            if (p->nw > 1) {
                const char *cn = s->train.class_names
                                     ? s->train.class_names[k] : NULL;
                printf("  class %d%s%s%s vs rest:", k, cn ? " (" : "",
                       cn ? cn : "", cn ? ")" : "");
            }
            printf(p->nw > 1 ? " w = [" : "  w = [");
            for (int j = 0; j < p->d; j++)
                printf("%s%s", j ? ", " : "",
                       repl_num(b1, sizeof b1, p->w[(size_t)k * p->d + j]));
            printf("], b = %s\n", repl_num(b1, sizeof b1, p->b[k]));
        }
        if (p->nw == 1)
            printf("  predicts class 1 where w.x + b > 0, else class 0\n");
        else
            printf("  predicts the class whose w.x + b is largest\n");
    }
    return 0;
}

/* "0.5,-1.2" into d floats; 0, or -1 after saying what is wrong. */
static int parse_row(repl_session *s, const char *w, int d, float *out)
{
    int k = 0;
    const char *p = w;
    char buf[64];
    for (;;) {
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        double v;
        if (l == 0 || l >= sizeof buf)
            return repl_error(s, "perceptron", "'%s' is not a row of numbers "
                              "separated by commas (e.g. 0.5,-1.2)", w);
        memcpy(buf, p, l);
        buf[l] = 0;
        if (repl_parse_double(buf, &v) < 0)
            return repl_error(s, "perceptron", "'%s' in '%s' is not a number",
                              buf, w);
        if (k < d)
            out[k] = (float)v;
        k++;
        if (!c)
            break;
        p = c + 1;
    }
    if (k != d)
        return repl_error(s, "perceptron", "the perceptron takes %d value%s per "
                          "sample, got %d in '%s'", d, d == 1 ? "" : "s", k, w);
    return 0;
}

static int perc_predict(repl_session *s, const repl_args *a)
{
    if (a->nkv > 0)
        return repl_error(s, "perceptron", "predict takes no keywords (got "
                          "'%s='); usage: perceptron predict X1,X2,...",
                          a->key[0]);
    if (!s->perc)
        return repl_error(s, "perceptron", "no perceptron yet; train one "
                          "first: perceptron");
    if (a->npos < 2)
        return repl_error(s, "perceptron", "predict needs a sample: "
                          "perceptron predict X1,X2,... (%d value%s)",
                          s->perc->d, s->perc->d == 1 ? "" : "s");
    const nn_perceptron *p = s->perc;
    int nrows = a->npos - 1;
    float *x = calloc((size_t)nrows * p->d + 1, sizeof *x);
    int *cls = calloc((size_t)nrows, sizeof *cls);
    if (!x || !cls) {
        free(x);
        free(cls);
        return repl_error(s, "perceptron", "out of memory");
    }
    for (int i = 0; i < nrows; i++)
        if (parse_row(s, a->pos[i + 1], p->d, x + (size_t)i * p->d) < 0) {
            free(x);
            free(cls);
            return -1;
        }
    if (s->perc_valid)
        repl_scale_rows(s, x, nrows, p->d);
    nn_perceptron_predict(p, x, nrows, cls);
    const nn_dataset *ds = &s->train;
    int named = s->perc_valid && ds->class_names && ds->nclasses == p->nclasses;
    int differ = 0;
    for (int k = 0; named && k < ds->nclasses && !differ; k++) {
        char b[16];
        snprintf(b, sizeof b, "%d", k);
        differ = strcmp(b, ds->class_names[k]) != 0;
    }
    for (int i = 0; i < nrows; i++) {
        printf("%s -> class %d", a->pos[i + 1], cls[i]);
        if (differ)
            printf(" (%s)", ds->class_names[cls[i]]);
        printf("\n");
    }
    if (s->scaled && s->perc_valid)
        printf("(scaled as the training data, %s)\n",
               s->scaled == 2 ? "minmax" : "standard");
    free(x);
    free(cls);
    return 0;
}

static int cmd_perceptron(repl_session *s, const repl_args *a)
{
    int mode = 0;
    if (a->npos > 0) {
        mode = nn_lookup(perceptron_modes, a->pos[0]);
        if (mode < 0) {
            const char *hint = repl_suggest(a->pos[0], perceptron_modes);
            return repl_error(s, "perceptron", "'%s' is not train, predict or "
                              "predict_proba%s%s%s; to classify a sample: "
                              "perceptron predict X1,X2,...", a->pos[0],
                              *hint ? " (" : "", hint, *hint ? ")" : "");
        }
    }
    if (mode == 2)
        return repl_error(s, "perceptron", "a perceptron has no probabilities: "
                          "its output is a hard threshold (a step function of "
                          "w.x + b), not a probability; use a network with a "
                          "sigmoid or softmax output (Géron, ch. 10), e.g. "
                          "dense 1 activation=sigmoid, then predict");
    if (mode == 1)
        return perc_predict(s, a);
    if (a->npos > 1)
        return repl_error(s, "perceptron", "training takes no values (got "
                          "'%s'); to classify a sample: perceptron predict "
                          "X1,X2,...", a->pos[1]);
    return perc_train(s, a);
}

/* ---- the table ---- */

static const repl_opt perceptron_base_opts[] = {
    {.name = "eta0", .type = REPL_T_POS, .shown = "1.0",
     .help = "the learning rate of the perceptron's updates"},
    {.name = "max_iter", .type = REPL_T_INT, .min = 1, .max = 1000000, .shown = "1000",
     .help = "the most passes over the training data"},
    {.name = "tol", .type = REPL_T_TEXT, .shown = "1e-3",
     .help = "stop when the loss improves by less than this"},
    {.name = "penalty", .type = REPL_T_ENUM, .values = nn_penalty_names,
     .shown = "none|l2|l1|elasticnet",
     .def = "none",
     .help = "the regularization term"},
    {.name = "alpha", .type = REPL_T_NUM, .min = 0.0, .max = DBL_MAX, .shown = "0.0001",
     .help = "the regularization strength (scikit-learn's alpha)"},
    {.name = "l1_ratio", .type = REPL_T_NUM, .min = 0.0, .max = 1.0, .shown = "0.15",
     .help = "the elastic-net mix of l1 and l2"},
    {.name = "shuffle", .type = REPL_T_BOOL, .shown = "true", .def = "true",
     .help = "shuffle the samples before each epoch"},
    {.name = "fit_intercept", .type = REPL_T_BOOL, .shown = "true", .def = "true",
     .help = "learn a bias term"},
    {.name = "n_iter_no_change", .type = REPL_T_INT, .min = 1, .max = 1000000,
     .shown = "5",
     .help = "stop after this many epochs without improvement"},
    REPL_END
};

static const repl_form perceptron_forms[] = {
    {.args = "[train]", .opts = perceptron_base_opts},
    {.word = "predict", .args = "X1,X2,..."},
    {.word = "predict_proba"},
    {0}
};

const repl_cmd repl_cmds_perceptron[] = {
    {.name = "perceptron", .topic = "train", .run = cmd_perceptron,
     .forms = perceptron_forms,
     .summary = "train scikit-learn's perceptron on the data; predict with "
     "it",
     .help =
     "Trains Rosenblatt's perceptron (one linear threshold unit per\n"
     "class, one-vs-rest for more than two) on the training data with\n"
     "scikit-learn's rule: for each sample in turn, when it is on the\n"
     "wrong side, w += eta0 * y * x and b += eta0 * y (y = -1 or +1).\n"
     "It stops when the epoch's loss has not improved by tol for\n"
     "n_iter_no_change epochs, or after max_iter epochs; tol=none\n"
     "turns the check off.  Prints the epochs run, the training\n"
     "accuracy and, after split, the test accuracy, and the weights\n"
     "when there are few.  It separates classes only by a straight\n"
     "line (hyperplane): try it on xor.\n"
     "perceptron predict X1,X2,... prints the class of a sample (or of\n"
     "several, one word each).  There is no predict_proba: the output\n"
     "is a hard threshold, not a probability.\n"
     "\n"
     "Example:\n"
     "  data gauss\n"
     "  perceptron eta0=0.1\n"
     "  perceptron predict 1.5,2.0\n"
     "\n"
     "scikit-learn: p = sklearn.linear_model.Perceptron(eta0=0.1)\n"
     "  p.fit(X, y); p.predict([[1.5, 2.0]])",
     .minpos = 0, .maxpos = REPL_MAXARGS, .pos_kind = REPL_POS_WORDS, .pos_values = perceptron_modes},
    {NULL},
};
