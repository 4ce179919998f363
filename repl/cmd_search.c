/* cmd_search.c - `search`: hyperparameter search over the current model,
 * as scikit-learn's GridSearchCV and RandomizedSearchCV (k-fold
 * cross-validation, cv_results_, best_params_, refit) and Keras Tuner's
 * Hyperband (its brackets shown before anything runs).  The work is in
 * nn/search.c; this file reads the command, prints the plan, a line per
 * fit and the results, and swaps in the refitted model. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "progress.h"
#include "repl.h"
#include "save.h"
#include "search.h"

enum { MODE_GRID, MODE_RANDOM, MODE_HYPERBAND };
static const char *const mode_names[] = {"grid", "random", "hyperband", NULL};

/* The command's own settings; every other key is a hyperparameter. */
static const char *const option_keys[] = {
    "cv", "n_iter", "scoring", "max_epochs", "factor", "validation_split",
    "refit", "seed", "verbose", "file", NULL
};

static int is_classification(const nn_model *m)
{
    nn_loss_kind k = m->cc.loss[0].kind;
    return k == NN_LOSS_BCE || k == NN_LOSS_CCE || k == NN_LOSS_SCCE;
}

/* What a run needs to print its lines. */
typedef struct run_ctx {
    const nn_space *sp;
    int verbose;
    int mode;
    int fits, nfits;          /* fits done, planned (CV) */
} run_ctx;

/* "dense.units=8, learning_rate=0.1" of the searched keys (more than one
 * value); the fixed ones are said once in the plan. */
static void params_str(const nn_space *sp, const double *v, char *buf, size_t len)
{
    size_t k = 0;
    buf[0] = 0;
    for (int j = 0; j < sp->n && k < len; j++) {
        if (sp->p[j].nvalues == 1)
            continue;
        char x[64];
        nn_hp_format(&sp->p[j], v[j], x, sizeof x);
        k += (size_t)snprintf(buf + k, len - k, "%s%s=%s", k ? ", " : "",
                              sp->p[j].name, x);
    }
    if (!buf[0])
        snprintf(buf, len, "(the model as it is)");
}

static const char *score_str(char *buf, size_t len, double v)
{
    return repl_num(buf, len, v);
}

static int on_step(void *ctx, const nn_search_step *st)
{
    run_ctx *r = ctx;
    r->fits++;
    if (!r->verbose)
        return 0;
    char p[512], sc[32];
    params_str(r->sp, st->vals, p, sizeof p);
    score_str(sc, sizeof sc, st->score);
    if (r->mode == MODE_HYPERBAND)
        printf("[bracket %d/%d, round %d/%d] trial %d/%d: %s; epochs %d->%d; "
               "score=%s%s time %.2fs\n", st->bracket + 1, st->nbrackets,
               st->round + 1, st->nrounds, st->cand + 1, st->ncand, p,
               st->epochs_from, st->epochs_to, sc,
               st->nan ? " (the loss became NaN)" : "", st->seconds);
    else
        printf("[CV %d/%d; %d/%d] END %s; score=%s%s time %.2fs\n", st->fold + 1,
               st->nfolds, st->cand + 1, st->ncand, p, sc,
               st->nan ? " (the loss became NaN)" : "", st->seconds);
    fflush(stdout);
    return 0;
}

/* ---- tables ---- */

/* A table of strings: rows x cols cells, printed right-aligned, the last
 * column left as it is (times, which scripts mask). */
typedef struct table {
    int rows, cols;
    char (*cell)[48];
} table;

static int table_init(table *t, int rows, int cols)
{
    t->rows = rows;
    t->cols = cols;
    t->cell = calloc((size_t)(rows + 1) * cols, sizeof *t->cell);
    return t->cell ? 0 : -1;
}

static char *cell(table *t, int r, int c)
{
    return t->cell[(size_t)r * t->cols + c];
}

static void table_print(table *t)
{
    int *w = calloc((size_t)t->cols + 1, sizeof *w);
    for (int c = 0; w && c < t->cols; c++)
        for (int r = 0; r <= t->rows; r++) {
            int l = (int)strlen(cell(t, r, c));
            if (l > w[c])
                w[c] = l;
        }
    for (int r = 0; w && r <= t->rows; r++) {
        for (int c = 0; c < t->cols; c++) {
            if (c == t->cols - 1)
                printf("%s%s", c ? "  " : "", cell(t, r, c));
            else
                printf("%s%*s", c ? "  " : "", w[c], cell(t, r, c));
        }
        printf("\n");
    }
    free(w);
    free(t->cell);
    t->cell = NULL;
}

/* The searched keys' columns (those with more than one value). */
static int searched_cols(const nn_space *sp)
{
    int n = 0;
    for (int j = 0; j < sp->n; j++)
        n += sp->p[j].nvalues != 1;
    return n;
}

static void put_params(table *t, int row, int col, const nn_space *sp, const double *v)
{
    for (int j = 0; j < sp->n; j++) {
        if (sp->p[j].nvalues == 1)
            continue;
        if (row == 0)
            snprintf(cell(t, 0, col), 48, "%s", sp->p[j].name);
        else
            nn_hp_format(&sp->p[j], v[j], cell(t, row, col), 48);
        col++;
    }
}

/* The split columns only up to 10 folds (file= writes them all). */
#define MAX_SPLIT_COLS 10

static void print_cv_table(const nn_space *sp, const nn_cv_result *res)
{
    int np = searched_cols(sp), nf = res->nfolds;
    int k = nf <= MAX_SPLIT_COLS ? nf : 0;
    int cols = 1 + np + k + 3;
    table t;
    if (table_init(&t, res->ndone, cols) != 0)
        return;
    snprintf(cell(&t, 0, 0), 48, "rank");
    put_params(&t, 0, 1, sp, NULL);
    for (int f = 0; f < k; f++)
        snprintf(cell(&t, 0, 1 + np + f), 48, "split%d", f);
    snprintf(cell(&t, 0, 1 + np + k), 48, "mean");
    snprintf(cell(&t, 0, 2 + np + k), 48, "std");
    snprintf(cell(&t, 0, 3 + np + k), 48, "mean_fit_time");
    for (int c = 0; c < res->ndone; c++) {
        int r = c + 1;
        snprintf(cell(&t, r, 0), 48, "%d", res->rank[c]);
        put_params(&t, r, 1, sp, res->vals + (size_t)c * res->nparams);
        for (int f = 0; f < k; f++)
            score_str(cell(&t, r, 1 + np + f), 48, res->scores[(size_t)c * nf + f]);
        score_str(cell(&t, r, 1 + np + k), 48, res->mean[c]);
        score_str(cell(&t, r, 2 + np + k), 48, res->std[c]);
        snprintf(cell(&t, r, 3 + np + k), 48, "%.2fs", res->mean_time[c]);
    }
    table_print(&t);
}

/* Keras Tuner's results_summary(num_trials=10): the best trials first. */
static void print_hb_table(const nn_space *sp, const nn_hb_result *res, int show)
{
    int np = searched_cols(sp);
    int *order = malloc((size_t)res->ntrials * sizeof *order + 1);
    if (!order)
        return;
    int n = 0;
    for (int t = 0; t < res->ntrials; t++)
        if (res->rounds[t] > 0)
            order[n++] = t;
    /* by rank, then trial number (insertion sort: stable) */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && res->rank[order[j]] < res->rank[order[j - 1]]; j--) {
            int x = order[j];
            order[j] = order[j - 1];
            order[j - 1] = x;
        }
    if (n > show)
        n = show;
    table t;
    if (table_init(&t, n, 3 + np + 3) != 0) {
        free(order);
        return;
    }
    snprintf(cell(&t, 0, 0), 48, "rank");
    snprintf(cell(&t, 0, 1), 48, "trial");
    snprintf(cell(&t, 0, 2), 48, "bracket");
    put_params(&t, 0, 3, sp, NULL);
    snprintf(cell(&t, 0, 3 + np), 48, "epochs");
    snprintf(cell(&t, 0, 4 + np), 48, "score");
    snprintf(cell(&t, 0, 5 + np), 48, "fit_time");
    for (int i = 0; i < n; i++) {
        int tr = order[i], r = i + 1;
        snprintf(cell(&t, r, 0), 48, "%d", res->rank[tr]);
        snprintf(cell(&t, r, 1), 48, "%d", tr + 1);
        snprintf(cell(&t, r, 2), 48, "%d", res->bracket[tr] + 1);
        put_params(&t, r, 3, sp, res->vals + (size_t)tr * res->nparams);
        snprintf(cell(&t, r, 3 + np), 48, "%d", res->epochs[tr]);
        score_str(cell(&t, r, 4 + np), 48, res->score[tr]);
        snprintf(cell(&t, r, 5 + np), 48, "%.2fs", res->seconds[tr]);
    }
    free(order);
    table_print(&t);
}

/* "{dense.units: 8, learning_rate: 0.1}" of the searched keys. */
static void best_params(const nn_space *sp, const double *v, char *buf, size_t len)
{
    size_t k = (size_t)snprintf(buf, len, "{");
    for (int j = 0; j < sp->n && k < len; j++) {
        if (sp->p[j].nvalues == 1)
            continue;
        char x[64];
        nn_hp_format(&sp->p[j], v[j], x, sizeof x);
        k += (size_t)snprintf(buf + k, len - k, "%s%s: %s", k > 1 ? ", " : "",
                              sp->p[j].name, x);
    }
    if (k < len)
        snprintf(buf + k, len - k, "}");
}

/* ---- CSV (cv_results_ as pandas would write it) ---- */

static void csv_value(char *buf, size_t len, const nn_hparam *p, double v)
{
    if (p->type == NN_HP_REAL)
        snprintf(buf, len, "%.17g", v);
    else
        nn_hp_format(p, v, buf, len);
}

static int afprintf(nn_afile *f, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static int afprintf(nn_afile *f, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    return nn_afile_write(f, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static int write_cv_csv(repl_session *s, const char *path, const nn_space *sp,
                        const nn_cv_result *res)
{
    nn_afile f;
    nn_err e;
    if (nn_afile_open(&f, path, &e) != NN_OK)
        return repl_error(s, "search", "%s", e.msg);
    int k = res->nfolds;
    afprintf(&f, "mean_fit_time,std_fit_time");
    for (int j = 0; j < sp->n; j++)
        if (sp->p[j].nvalues != 1)
            afprintf(&f, ",param_%s", sp->p[j].name);
    for (int i = 0; i < k; i++)
        afprintf(&f, ",split%d_test_score", i);
    afprintf(&f, ",mean_test_score,std_test_score,rank_test_score\n");
    for (int c = 0; c < res->ndone; c++) {
        afprintf(&f, "%.17g,%.17g", res->mean_time[c], res->std_time[c]);
        for (int j = 0; j < sp->n; j++) {
            char v[64];
            if (sp->p[j].nvalues == 1)
                continue;
            csv_value(v, sizeof v, &sp->p[j], res->vals[(size_t)c * res->nparams + j]);
            afprintf(&f, ",%s", v);
        }
        for (int i = 0; i < k; i++)
            afprintf(&f, ",%.17g", res->scores[(size_t)c * k + i]);
        afprintf(&f, ",%.17g,%.17g,%d\n", res->mean[c], res->std[c], res->rank[c]);
    }
    if (nn_afile_commit(&f, &e) != NN_OK)
        return repl_error(s, "search", "%s", e.msg);
    printf("cv_results_ written to %s (%d rows)\n", path, res->ndone);
    return 0;
}

static int write_hb_csv(repl_session *s, const char *path, const nn_space *sp,
                        const nn_hb_result *res)
{
    nn_afile f;
    nn_err e;
    if (nn_afile_open(&f, path, &e) != NN_OK)
        return repl_error(s, "search", "%s", e.msg);
    afprintf(&f, "trial,bracket");
    for (int j = 0; j < sp->n; j++)
        if (sp->p[j].nvalues != 1)
            afprintf(&f, ",param_%s", sp->p[j].name);
    afprintf(&f, ",epochs,score,rank,fit_time\n");
    int rows = 0;
    for (int t = 0; t < res->ntrials; t++) {
        if (res->rounds[t] == 0)
            continue;
        afprintf(&f, "%d,%d", t + 1, res->bracket[t] + 1);
        for (int j = 0; j < sp->n; j++) {
            char v[64];
            if (sp->p[j].nvalues == 1)
                continue;
            csv_value(v, sizeof v, &sp->p[j], res->vals[(size_t)t * res->nparams + j]);
            afprintf(&f, ",%s", v);
        }
        afprintf(&f, ",%d,%.17g,%d,%.17g\n", res->epochs[t], res->score[t],
                 res->rank[t], res->seconds[t]);
        rows++;
    }
    if (nn_afile_commit(&f, &e) != NN_OK)
        return repl_error(s, "search", "%s", e.msg);
    printf("results written to %s (%d rows)\n", path, rows);
    return 0;
}

/* ---- refit ---- */

/* Trains the best candidate on all the training data; on success it
 * becomes the session's model with its history.  Ctrl-C leaves the
 * session as it was. */
static int refit(repl_session *s, const nn_space *sp, const double *vals,
                 int epochs, int batch_size)
{
    nn_err e;
    nn_model *m = nn_search_build(s->model, sp, vals, NN_SCORE_COUNT, &s->rng, &e);
    if (!m)
        return repl_error(s, "search", "refit: %s", e.msg);
    nn_search_fit_settings(sp, vals, &epochs, &batch_size);
    nn_fit_opts o;
    nn_fit_defaults(&o);
    o.epochs = epochs;
    o.batch_size = batch_size;
    o.terminate_on_nan = s->terminate_on_nan;
    o.interrupt = &repl_interrupted;
    int val = s->valid.n > 0;
    if (val)
        o.validation_data = &s->valid;
    nn_history h;
    nn_history_init(&h);
    nn_fit_result res;
    if (nn_fit(m, &s->train, &o, &h, &s->rng, &res, &e) != NN_OK) {
        nn_history_free(&h);
        nn_model_free(m);
        return repl_error(s, "search", "refit: %s", e.msg);
    }
    if (res.stop == NN_STOP_INTERRUPT) {
        nn_history_free(&h);
        nn_model_free(m);
        printf("Interrupted during the refit: the session's model is unchanged.\n");
        return 0;
    }
    nn_model_free(s->model);
    s->model = m;
    nn_history_free(&s->hist);
    s->hist = h;
    s->last_fit.set = 1;
    s->last_fit.epochs = epochs;
    s->last_fit.batch_size = batch_size;
    s->last_fit.shuffle = 1;
    s->last_fit.validation_split = 0;
    s->last_fit.validation_data = val ? 1 : 0;
    s->last_fit.class_weight[0] = 0;
    printf("refit: the best candidate, trained on all %d training samples for %d "
           "epoch%s%s, is now the session's model (history: %d epoch%s)\n",
           s->train.n, epochs, epochs == 1 ? "" : "s",
           val ? " (validated on the valid split)" : "", res.epochs_run,
           res.epochs_run == 1 ? "" : "s");
    if (res.stop == NN_STOP_NAN)
        printf("The loss became NaN or infinite in epoch %d of the refit; the weights "
               "are those of the last batch with a finite loss.\n", res.nan_epoch);
    return 0;
}

/* ---- the plan ---- */

static void print_space(const nn_space *sp, int epochs_fixed, int epochs, int bs_fixed,
                        int bs)
{
    for (int j = 0; j < sp->n; j++) {
        if (sp->p[j].nvalues == 1)
            continue;
        char d[1024];
        nn_hp_describe(&sp->p[j], d, sizeof d);
        printf("  %s: %s\n", sp->p[j].name, d);
    }
    char fixed[1024];
    size_t k = 0;
    fixed[0] = 0;
    if (epochs_fixed)
        k += (size_t)snprintf(fixed + k, sizeof fixed - k, " epochs=%d", epochs);
    if (bs_fixed)
        k += (size_t)snprintf(fixed + k, sizeof fixed - k, " batch_size=%d", bs);
    for (int j = 0; j < sp->n && k < sizeof fixed; j++) {
        if (sp->p[j].nvalues != 1 || sp->p[j].kind == NN_HP_EPOCHS ||
            sp->p[j].kind == NN_HP_BATCH_SIZE)
            continue;
        char x[64];
        nn_hp_format(&sp->p[j], sp->p[j].values[0], x, sizeof x);
        k += (size_t)snprintf(fixed + k, sizeof fixed - k, " %s=%s", sp->p[j].name, x);
    }
    if (fixed[0])
        printf("  every %s:%s\n", epochs_fixed ? "fit" : "trial", fixed);
}

/* ---- the command ---- */

static int cmd_search(repl_session *s, const repl_args *a)
{
    int mode = nn_lookup(mode_names, a->pos[0]);
    if (mode < 0)
        return repl_error(s, "search", "give grid, random or hyperband first, e.g. "
                          "search grid dense.units=8,32 (got '%s')", a->pos[0]);
    if (repl_need_data(s, "search") < 0)
        return -1;
    if (!s->model || s->model->nparams == 0)
        return repl_error(s, "search", "no model to search around; build one first, "
                          "e.g. input, dense 8 activation=relu, dense 1 "
                          "activation=sigmoid, then compile");
    nn_model *tmpl = s->model;
    if (!tmpl->compiled)
        return repl_error(s, "search", "the model is not compiled; run compile "
                          "loss=... first: every candidate is compiled as the "
                          "model is");
    if (tmpl->nout > 1)
        return repl_error(s, "search", "search scores models of one output (this "
                          "one has %d: see outputs)", tmpl->nout);
    /* the command's settings */
    long cv, n_iter, max_epochs, factor, seed, verbose;
    int scoring, do_refit;
    double vs;
    int classifier = is_classification(tmpl);
    if (repl_arg_int(s, a, "cv", 3, 2, 100000, &cv) < 0 ||
        repl_arg_int(s, a, "n_iter", 10, 1, NN_SEARCH_MAXITER, &n_iter) < 0 ||
        repl_arg_int(s, a, "max_epochs", 10, 1, 100000, &max_epochs) < 0 ||
        repl_arg_int(s, a, "factor", 3, 2, 100, &factor) < 0 ||
        repl_arg_int(s, a, "seed", 0, 0, 0x7fffffffL, &seed) < 0 ||
        repl_arg_int(s, a, "verbose", 1, 0, 1, &verbose) < 0 ||
        repl_arg_enum(s, a, "scoring", nn_scoring_names,
                      classifier ? NN_SCORE_ACCURACY : NN_SCORE_R2, &scoring) < 0 ||
        repl_arg_bool(s, a, "refit", 1, &do_refit) < 0 ||
        repl_arg_double(s, a, "validation_split", 0.2, 0.01, 0.99, &vs) < 0)
        return -1;
    static const struct { const char *key; int mode; const char *why; } only[] = {
        {"n_iter", MODE_RANDOM, "n_iter= is for search random (grid tries every "
                                "combination; hyperband's trials follow its plan)"},
        {"cv", -MODE_HYPERBAND - 1, "hyperband scores each trial on the valid split "
                                    "(or validation_split=), not by cross-validation; "
                                    "cv= is for grid and random"},
        {"max_epochs", MODE_HYPERBAND, "max_epochs= is hyperband's; grid and random "
                                       "take epochs="},
        {"factor", MODE_HYPERBAND, "factor= is hyperband's"},
        {"validation_split", MODE_HYPERBAND, "validation_split= is hyperband's; grid "
                                             "and random hold out each fold in turn "
                                             "(cv=)"},
        {"epochs", -MODE_HYPERBAND - 1, "hyperband sets each round's epochs itself; "
                                        "give max_epochs="},
        {"seed", -MODE_GRID - 1, "seed= fixes a random draw; search grid draws "
                                 "nothing (it tries every combination, in order)"},
    };
    for (size_t i = 0; i < sizeof only / sizeof only[0]; i++) {
        if (!repl_arg_str(a, only[i].key))
            continue;
        int ok = only[i].mode >= 0 ? mode == only[i].mode : mode != -only[i].mode - 1;
        if (!ok)
            return repl_error(s, "search", "%s", only[i].why);
    }
    if (scoring == NN_SCORE_ACCURACY && !classifier)
        return repl_error(s, "search", "scoring=accuracy needs a classification loss; "
                          "the model's loss is %s: use r2, loss, mse or mae",
                          nn_loss_names[tmpl->cc.loss[0].kind]);
    if ((scoring == NN_SCORE_R2 || scoring == NN_SCORE_MSE || scoring == NN_SCORE_MAE) &&
        classifier)
        return repl_error(s, "search", "scoring=%s is for regression; the model is a "
                          "classifier (%s): use accuracy or loss",
                          nn_scoring_names[scoring], nn_loss_names[tmpl->cc.loss[0].kind]);
    /* the hyperparameters */
    nn_space sp;
    memset(&sp, 0, sizeof sp);
    nn_err e;
    int epochs_fixed = 0, epochs = 10, bs_fixed = 0, bs = 32;
    for (int i = 0; i < a->nkv; i++) {
        if (nn_lookup(option_keys, a->key[i]) >= 0)
            continue;
        if (nn_space_add(&sp, a->key[i], a->val[i], tmpl, &e) != NN_OK)
            return repl_error(s, "search", "%s", e.msg);
    }
    int je = nn_space_find(&sp, "epochs"), jb = nn_space_find(&sp, "batch_size");
    if (je < 0 || sp.p[je].nvalues == 1) {
        epochs_fixed = 1;
        if (je >= 0)
            epochs = (int)sp.p[je].values[0];
    }
    if (jb < 0 || sp.p[jb].nvalues == 1) {
        bs_fixed = 1;
        if (jb >= 0)
            bs = (int)sp.p[jb].values[0];
    }
    if (mode == MODE_GRID)
        for (int j = 0; j < sp.n; j++)
            if (sp.p[j].nvalues == 0)
                return repl_error(s, "search", "%s=%s is a range; search grid tries "
                                  "every value of lists (%s=V1,V2,...); ranges are for "
                                  "search random and hyperband", sp.p[j].name,
                                  repl_arg_str(a, sp.p[j].name), sp.p[j].name);
    if (nn_space_check(&sp, tmpl, &e) != NN_OK)
        return repl_error(s, "search", "%s", e.msg);
    if (nn_check_data(tmpl, &s->train, &e) != NN_OK)
        return repl_error(s, "search", "%s", e.msg);
    const char *file = repl_arg_str(a, "file");
    if (file && !*file)
        return repl_error(s, "search", "file= needs a file name");

    nn_search_opts o;
    nn_search_defaults(&o);
    o.epochs = epochs;
    o.batch_size = bs;
    o.scoring = (nn_scoring)scoring;
    o.terminate_on_nan = s->terminate_on_nan;
    o.interrupt = &repl_interrupted;
    run_ctx rc = {&sp, (int)verbose, mode, 0, 0};
    o.step = on_step;
    o.ctx = &rc;
    nn_rng own;
    nn_rng *sample_rng = &s->rng;
    if (repl_arg_str(a, "seed")) {
        nn_rng_seed(&own, (uint64_t)seed);
        sample_rng = &own;
    }
    const char *label = nn_scoring_labels[scoring];

    if (mode == MODE_HYPERBAND) {
        nn_hb_bracket plan[NN_HB_MAXBRACKETS];
        int nb = nn_hyperband_plan((int)max_epochs, (int)factor, plan,
                                   NN_HB_MAXBRACKETS, &e);
        if (nb < 0)
            return repl_error(s, "search", "%s", e.msg);
        nn_dataset tr = s->train, va = {0};
        const char *vname = "the valid split";
        if (s->valid.n > 0 && !repl_arg_str(a, "validation_split")) {
            va = s->valid;
        } else {
            int ntr = (int)floor(s->train.n * (1.0 - vs));
            if (ntr < 1 || ntr >= s->train.n)
                return repl_error(s, "search", "validation_split=%g leaves no %s "
                                  "samples of %d", vs, ntr < 1 ? "training" : "validation",
                                  s->train.n);
            nn_dataset_view(&tr, &s->train, 0, ntr);
            nn_dataset_view(&va, &s->train, ntr, s->train.n - ntr);
            vname = "the last validation_split of the training data";
        }
        int trials = 0, epochs_all = 0;
        for (int b = 0; b < nb; b++) {
            trials += plan[b].trials[0];
            for (int r = 0; r < plan[b].nrounds; r++)
                epochs_all += plan[b].trials[r] *
                              (plan[b].epochs[r] - (r ? plan[b].epochs[r - 1] : 0));
        }
        printf("Hyperband(max_epochs=%ld, factor=%ld): %d bracket%s of successive "
               "halving, trials x epochs:\n", max_epochs, factor, nb, nb == 1 ? "" : "s");
        for (int b = 0; b < nb; b++) {
            printf("  bracket %d:", b + 1);
            for (int r = 0; r < plan[b].nrounds; r++)
                printf("%s%dx%d", r ? " -> " : " ", plan[b].trials[r], plan[b].epochs[r]);
            printf("\n");
        }
        const nn_hb_bracket *p0 = &plan[0];
        if (p0->nrounds > 1)
            printf("  (%dx%d -> %dx%d: %d random trials train %d epoch%s, the best %d "
                   "train on to epoch %d, ...)\n", p0->trials[0], p0->epochs[0],
                   p0->trials[1], p0->epochs[1], p0->trials[0], p0->epochs[0],
                   p0->epochs[0] == 1 ? "" : "s", p0->trials[1], p0->epochs[1]);
        printf("  %d trials, %d epochs of training in all; scoring=%s on %s "
               "(%d samples), training on %d\n", trials, epochs_all, label, vname,
               va.n, tr.n);
        print_space(&sp, 0, 0, bs_fixed, bs);
        fflush(stdout);
        nn_hb_result res;
        if (nn_search_hyperband(tmpl, &tr, &va, &sp, plan, nb, &o, sample_rng,
                                &s->rng, &res, &e) != NN_OK)
            return repl_error(s, "search", "%s", e.msg);
        int done = 0;
        for (int t = 0; t < res.ntrials; t++)
            done += res.rounds[t] > 0;
        if (res.stopped)
            printf("Interrupted (Ctrl-C) after %d fit%s; the trials below are those "
                   "scored so far.\n", rc.fits, rc.fits == 1 ? "" : "s");
        int ret = 0;
        if (done > 0) {
            printf("results (the %d best of %d trials by score, as "
                   "tuner.results_summary()):\n", done < 10 ? done : 10, done);
            print_hb_table(&sp, &res, 10);
        }
        if (res.best >= 0) {
            char bp[1024], sc[32];
            int bt = res.best;
            best_params(&sp, res.vals + (size_t)bt * res.nparams, bp, sizeof bp);
            printf("best_params_: %s (trial %d)\n", bp, bt + 1);
            printf("best_score_: %s (%s on %s after %d epoch%s)\n",
                   score_str(sc, sizeof sc, res.score[bt]), label, vname, res.epochs[bt],
                   res.epochs[bt] == 1 ? "" : "s");
        } else
            printf("no trial got a score: nothing to refit\n");
        if (file && done > 0 && write_hb_csv(s, file, &sp, &res) != 0)
            ret = -1;
        if (ret == 0 && res.best >= 0) {
            if (res.stopped)
                printf("no refit after an interruption: the session's model is "
                       "unchanged\n");
            else if (do_refit)
                ret = refit(s, &sp, res.vals + (size_t)res.best * res.nparams,
                            res.epochs[res.best], bs);
            else
                printf("refit=false: the session's model is unchanged\n");
        }
        nn_hb_result_free(&res);
        return ret;
    }

    /* grid and random: candidates, folds, cross-validation */
    int n = s->train.n, ncand;
    double *vals = NULL;
    if (mode == MODE_GRID) {
        double size = nn_space_grid_size(&sp);
        if (size > NN_SEARCH_MAXGRID)
            return repl_error(s, "search", "the grid has %.0f candidates, more than %d; "
                              "give fewer values or use search random n_iter=N", size,
                              NN_SEARCH_MAXGRID);
        ncand = (int)size;
        vals = malloc((size_t)ncand * sp.n * sizeof *vals + 1);
        if (!vals)
            return repl_error(s, "search", "out of memory");
        for (int c = 0; c < ncand; c++)
            nn_space_grid_at(&sp, (uint64_t)c, vals + (size_t)c * sp.n);
    } else {
        double size = nn_space_grid_size(&sp);
        vals = malloc((size_t)n_iter * sp.n * sizeof *vals + 1);
        if (!vals)
            return repl_error(s, "search", "out of memory");
        if (size > 0 && size < n_iter)
            printf("warning: the total space of parameters %.0f is smaller than "
                   "n_iter=%ld; running %.0f iterations (for exhaustive searches, use "
                   "search grid)\n", size, n_iter, size);
        ncand = nn_space_sample(&sp, (int)n_iter, sample_rng, vals, &e);
        if (ncand < 0) {
            free(vals);
            return repl_error(s, "search", "%s", e.msg);
        }
    }
    int *fold = malloc((size_t)n * sizeof *fold + 1);
    int *labels = malloc((size_t)n * sizeof *labels + 1);
    if (!fold || !labels) {
        free(vals);
        free(fold);
        free(labels);
        return repl_error(s, "search", "out of memory");
    }
    int strat = classifier && nn_class_labels(&s->train, labels) == 0;
    int least;
    if (nn_kfold(n, (int)cv, strat ? labels : NULL, fold, &least, &e) != NN_OK) {
        free(vals);
        free(fold);
        free(labels);
        return repl_error(s, "search", "%s", e.msg);
    }
    free(labels);
    rc.nfits = ncand * (int)cv;
    printf("%s: %d candidate%s x %ld folds = %d fits (%s(n_splits=%ld)), scoring=%s\n",
           mode == MODE_GRID ? "GridSearchCV" : "RandomizedSearchCV", ncand,
           ncand == 1 ? "" : "s", cv, rc.nfits, strat ? "StratifiedKFold" : "KFold", cv,
           label);
    if (strat && least < cv)
        printf("warning: the least populated class has only %d members, which is "
               "less than cv=%ld\n", least, cv);
    print_space(&sp, epochs_fixed, epochs, bs_fixed, bs);
    fflush(stdout);
    nn_cv_result res;
    int st = nn_search_cv(tmpl, &s->train, &sp, vals, ncand, fold, (int)cv, &o,
                          &s->rng, &res, &e);
    free(vals);
    free(fold);
    if (st != NN_OK)
        return repl_error(s, "search", "%s", e.msg);
    if (res.stopped)
        printf("Interrupted (Ctrl-C) after %d of %d fits; %s\n", rc.fits, rc.nfits,
               res.ndone ? "the table shows the candidates that finished every fold."
                         : "no candidate finished every fold.");
    int ret = 0;
    if (res.ndone > 0) {
        if (cv <= MAX_SPLIT_COLS)
            printf("cv_results_ (%d candidate%s; split<i> = score on fold i, mean and "
                   "std over the folds, ranked by mean):\n", res.ndone,
                   res.ndone == 1 ? "" : "s");
        else
            printf("cv_results_ (%d candidate%s; mean and std of the scores on the %ld "
                   "folds, ranked by mean; file= writes each fold's score):\n",
                   res.ndone, res.ndone == 1 ? "" : "s", cv);
        print_cv_table(&sp, &res);
    }
    if (res.best >= 0) {
        char bp[1024], sc[32];
        best_params(&sp, res.vals + (size_t)res.best * res.nparams, bp, sizeof bp);
        printf("best_params_: %s\n", bp);
        printf("best_score_: %s (mean %s over %ld folds)\n",
               score_str(sc, sizeof sc, res.mean[res.best]), label, cv);
    } else if (res.ndone > 0)
        printf("no candidate got a score (every fit's loss became NaN): nothing to "
               "refit\n");
    if (file && res.ndone > 0 && write_cv_csv(s, file, &sp, &res) != 0)
        ret = -1;
    if (ret == 0 && res.best >= 0) {
        if (res.stopped)
            printf("no refit after an interruption: the session's model is unchanged\n");
        else if (do_refit)
            ret = refit(s, &sp, res.vals + (size_t)res.best * res.nparams, epochs, bs);
        else
            printf("refit=false: the session's model is unchanged\n");
    }
    nn_cv_result_free(&res);
    return ret;
}

const repl_cmd repl_cmds_search[] = {
    {"search", "train", cmd_search,
     "search grid|random|hyperband KEY=V1,V2,... [KEY=...] [cv=3] [n_iter=10] "
     "[epochs=10] [batch_size=32] [scoring=accuracy|r2|loss|mse|mae] "
     "[max_epochs=10] [factor=3] [validation_split=0.2] [refit=true] [seed=N] "
     "[verbose=1] [file=FILE.csv]",
     "hyperparameter search: grid, random (cross-validated) or Hyperband",
     "Tries settings of the current model and keeps the best.  Each candidate\n"
     "is a fresh model built from the current one with the candidate's\n"
     "settings (new random weights), compiled as the model is (the candidate's\n"
     "optimizer settings replacing the compiled ones), trained and scored.\n"
     "  grid       every combination of the lists, as GridSearchCV (keys\n"
     "             sorted, the last one varying fastest).\n"
     "  random     n_iter=10 combinations drawn at random, as\n"
     "             RandomizedSearchCV: a list uniformly, LOW:HIGH uniformly\n"
     "             (whole numbers for units, epochs, ...: both ends included,\n"
     "             scipy's randint(LOW, HIGH+1)), LOW:HIGH:log log-uniformly\n"
     "             (scipy's loguniform).  When every key is a list, no\n"
     "             combination is drawn twice.  seed= fixes the draw.\n"
     "  hyperband  Keras Tuner's Hyperband(max_epochs=10, factor=3): brackets\n"
     "             of successive halving, shown before anything runs: 12x2 ->\n"
     "             4x4 -> 2x10 means 12 random trials train 2 epochs, the best\n"
     "             4 train on to epoch 4, the best 2 of those on to 10.  Trials\n"
     "             are scored on the valid split, or on the last\n"
     "             validation_split=0.2 of the training data (Keras Tuner's\n"
     "             default max_epochs is 100).\n"
     "grid and random score each candidate by k-fold cross-validation of the\n"
     "training split: cv=3 folds (StratifiedKFold for a classification loss,\n"
     "KFold otherwise; contiguous blocks, not shuffled, as scikit-learn's\n"
     "cv=3).  Each candidate trains cv times on cv-1 folds and is scored on\n"
     "the fold held out.  The table is cv_results_: each fold's score, their\n"
     "mean and std (population std, as scikit-learn), the rank by mean (ties\n"
     "share the better rank, rankdata's 'min') and the mean fit time.\n"
     "Keys: optimizer learning_rate momentum nesterov rho beta_1 beta_2 epsilon\n"
     "initial_accumulator_value (a searched optimizer other than the compiled\n"
     "one starts from Keras's defaults and keeps the compiled learning_rate;\n"
     "a setting of another optimizer is ignored by that candidate),\n"
     "batch_size epochs, LAYER.units LAYER.activation LAYER.kernel_initializer\n"
     "of a Dense layer (dense.units=16,32), and n_hidden n_neurons (Géron's\n"
     "build_model: how many hidden Dense layers and their units, in a\n"
     "Sequential stack; added layers copy the last hidden one).  A key with\n"
     "one value is fixed for every candidate.\n"
     "scoring: accuracy (the default for a classification loss) or r2 (for\n"
     "regression), as scikit-learn's score(); loss, mse and mae are shown\n"
     "negated (neg_loss, neg_mean_squared_error, ...): greater is better.  A\n"
     "fit whose loss turns NaN scores nan and ranks last (error_score=nan).\n"
     "refit=true trains the best candidate on all the training data (validated\n"
     "on the valid split when there is one) and makes it the session's model,\n"
     "with its history; refit=false leaves the model as it is.  file= writes\n"
     "the results as CSV.  verbose=0 drops the line per fit.  Ctrl-C stops\n"
     "the running fit, drops it, and shows the candidates that finished; the\n"
     "session's model is unchanged.  Callbacks do not run during a search.\n"
     "\n"
     "Example:\n"
     "  search grid dense.units=8,32 learning_rate=0.01,0.1 cv=3 epochs=20\n"
     "\n"
     "scikit-learn: GridSearchCV(clf, {\"model__units\": [8, 32],\n"
     "                  \"optimizer__learning_rate\": [0.01, 0.1]}, cv=3)\n"
     "              .fit(X_train, y_train)    (clf: a scikeras KerasClassifier)\n"
     "              RandomizedSearchCV(clf, {\"optimizer__learning_rate\":\n"
     "                  loguniform(1e-4, 1e-1)}, n_iter=10, cv=3)\n"
     "Keras Tuner:  kt.Hyperband(build_model, objective=\"val_accuracy\",\n"
     "                  max_epochs=10, factor=3).search(X_train, y_train,\n"
     "                  validation_data=(X_valid, y_valid))",
     "cv n_iter epochs batch_size scoring max_epochs factor validation_split refit "
     "seed verbose file optimizer learning_rate momentum nesterov rho beta_1 beta_2 "
     "epsilon initial_accumulator_value n_hidden n_neurons LAYER.units "
     "LAYER.activation LAYER.kernel_initializer",
     1, 1, REPL_POS_WORDS, mode_names},
    {NULL},
};
