/* cmd_search.c - `search`: hyperparameter search over the current model,
 * as scikit-learn's GridSearchCV and RandomizedSearchCV (k-fold
 * cross-validation, cv_results_, best_params_, refit) and Keras Tuner's
 * Hyperband (its brackets shown before anything runs).  The work is in
 * nn/search.c; this file reads the command, prints the plan and a line per
 * fit, and swaps in the refitted model; the tables and CSV files are
 * search_print.c's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "progress.h"
#include "repl.h"
#include "search_print.h"

enum { MODE_GRID, MODE_RANDOM, MODE_HYPERBAND };
static const char *const mode_names[] = {"grid", "random", "hyperband", NULL};


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

/* The line per fit (verbose=1): scikit-learn's verbose=3 line for a CV
 * fit, one line per trial round for Hyperband. */
static int on_step(void *ctx, const nn_search_step *st)
{
    run_ctx *r = ctx;
    r->fits++;
    if (!r->verbose)
        return 0;
    char p[512], sc[32];
    repl_search_params_str(r->sp, st->vals, p, sizeof p);
    repl_num(sc, sizeof sc, st->score);
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

/* ---- the command, step by step ---- */

/* One search: the command's settings, the space, and what the run
 * reports through (set up by the steps below, in order). */
typedef struct search_job {
    int mode;                 /* MODE_* */
    nn_model *tmpl;           /* the session's model, compiled */
    long cv, n_iter, max_epochs, factor, seed, verbose;
    int scoring, do_refit, classifier;
    double vs;                /* validation_split (hyperband) */
    nn_space sp;
    int epochs_fixed, epochs, bs_fixed, bs;
    const char *file;         /* file=, or NULL */
    const char *label;        /* the scoring's label */
    nn_search_opts o;
    run_ctx rc;
    nn_rng own, *sample_rng;  /* seed= draws from own, else the session's */
} search_job;

/* The mode word, the data and a compiled model of one output. */
static int check_start(repl_session *s, const repl_args *a, search_job *j)
{
    j->mode = nn_lookup(mode_names, a->pos[0]);
    if (j->mode < 0)
        return repl_error(s, "search", "give grid, random or hyperband first, e.g. "
                          "search grid dense.units=8,32 (got '%s')", a->pos[0]);
    if (repl_need_data(s, "search") < 0)
        return -1;
    if (!s->model || s->model->nparams == 0)
        return repl_error(s, "search", "no model to search around; build one first, "
                          "e.g. input, dense 8 activation=relu, dense 1 "
                          "activation=sigmoid, then compile");
    j->tmpl = s->model;
    if (!j->tmpl->compiled)
        return repl_error(s, "search", "the model is not compiled; run compile "
                          "loss=... first: every candidate is compiled as the "
                          "model is");
    if (j->tmpl->nout > 1)
        return repl_error(s, "search", "search scores models of one output (this "
                          "one has %d: see outputs)", j->tmpl->nout);
    return 0;
}

/* The command's own settings, each checked against the mode and the
 * model's loss. */
static int read_settings(repl_session *s, const repl_args *a, search_job *j)
{
    j->classifier = is_classification(j->tmpl);
    if (repl_opt_int(s, a, "cv", &j->cv) < 0 ||
        repl_opt_int(s, a, "n_iter", &j->n_iter) < 0 ||
        repl_opt_int(s, a, "max_epochs", &j->max_epochs) < 0 ||
        repl_opt_int(s, a, "factor", &j->factor) < 0 ||
        repl_opt_int_or(s, a, "seed", 0, &j->seed) < 0 ||
        repl_opt_int(s, a, "verbose", &j->verbose) < 0 ||
        repl_opt_enum_or(s, a, "scoring", j->classifier ? NN_SCORE_ACCURACY : NN_SCORE_R2, &j->scoring) < 0 ||
        repl_opt_bool(s, a, "refit", &j->do_refit) < 0 ||
        repl_opt_num(s, a, "validation_split", &j->vs) < 0)
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
        int ok = only[i].mode >= 0 ? j->mode == only[i].mode
                                   : j->mode != -only[i].mode - 1;
        if (!ok)
            return repl_error(s, "search", "%s", only[i].why);
    }
    const char *loss = nn_loss_names[j->tmpl->cc.loss[0].kind];
    if (j->scoring == NN_SCORE_ACCURACY && !j->classifier)
        return repl_error(s, "search", "scoring=accuracy needs a classification loss; "
                          "the model's loss is %s: use r2, loss, mse or mae", loss);
    if ((j->scoring == NN_SCORE_R2 || j->scoring == NN_SCORE_MSE ||
         j->scoring == NN_SCORE_MAE) && j->classifier)
        return repl_error(s, "search", "scoring=%s is for regression; the model is a "
                          "classifier (%s): use accuracy or loss",
                          nn_scoring_names[j->scoring], loss);
    return 0;
}

/* The hyperparameters (the keywords declared tuned), the fixed epochs and
 * batch_size, and the checks of the space against the model and data. */
static int read_space(repl_session *s, const repl_args *a, search_job *j)
{
    nn_space *sp = &j->sp;
    nn_err e;
    memset(sp, 0, sizeof *sp);
    j->epochs_fixed = 0, j->epochs = 10, j->bs_fixed = 0, j->bs = 32;
    for (int i = 0; i < a->nkv; i++) {
        const repl_opt *o = repl_opt_find(repl_find("search"), a->key[i]);
        if (!o || !o->tuned)       /* the search's own settings */
            continue;
        if (nn_space_add(sp, a->key[i], a->val[i], j->tmpl, &e) != NN_OK)
            return repl_error(s, "search", "%s", e.msg);
    }
    int je = nn_space_find(sp, "epochs"), jb = nn_space_find(sp, "batch_size");
    if (je < 0 || sp->p[je].nvalues == 1) {
        j->epochs_fixed = 1;
        if (je >= 0)
            j->epochs = (int)sp->p[je].values[0];
    }
    if (jb < 0 || sp->p[jb].nvalues == 1) {
        j->bs_fixed = 1;
        if (jb >= 0)
            j->bs = (int)sp->p[jb].values[0];
    }
    if (j->mode == MODE_GRID)
        for (int k = 0; k < sp->n; k++)
            if (sp->p[k].nvalues == 0)
                return repl_error(s, "search", "%s=%s is a range; search grid tries "
                                  "every value of lists (%s=V1,V2,...); ranges are for "
                                  "search random and hyperband", sp->p[k].name,
                                  repl_arg_str(a, sp->p[k].name), sp->p[k].name);
    if (nn_space_check(sp, j->tmpl, &e) != NN_OK)
        return repl_error(s, "search", "%s", e.msg);
    if (nn_check_data(j->tmpl, &s->train, &e) != NN_OK)
        return repl_error(s, "search", "%s", e.msg);
    j->file = repl_arg_str(a, "file");
    if (j->file && !*j->file)
        return repl_error(s, "search", "file= needs a file name");
    return 0;
}

/* The engine's options, the line per fit, and the generator of the
 * draws (seed= gives the search its own). */
static void setup_run(repl_session *s, const repl_args *a, search_job *j)
{
    nn_search_defaults(&j->o);
    j->o.epochs = j->epochs;
    j->o.batch_size = j->bs;
    j->o.scoring = (nn_scoring)j->scoring;
    j->o.terminate_on_nan = s->terminate_on_nan;
    j->o.interrupt = &repl_interrupted;
    j->rc = (run_ctx){&j->sp, (int)j->verbose, j->mode, 0, 0};
    j->o.step = on_step;
    j->o.ctx = &j->rc;
    j->sample_rng = &s->rng;
    if (repl_arg_str(a, "seed")) {
        nn_rng_seed(&j->own, (uint64_t)j->seed);
        j->sample_rng = &j->own;
    }
    j->label = nn_scoring_labels[j->scoring];
}

/* Hyperband's plan: the brackets (trials x epochs), the totals and the
 * space. */
static void print_hb_plan(const search_job *j, const nn_hb_bracket *plan, int nb,
                          const char *vname, int nva, int ntr)
{
    int trials = 0, epochs_all = 0;
    for (int b = 0; b < nb; b++) {
        trials += plan[b].trials[0];
        for (int r = 0; r < plan[b].nrounds; r++)
            epochs_all += plan[b].trials[r] *
                          (plan[b].epochs[r] - (r ? plan[b].epochs[r - 1] : 0));
    }
    printf("Hyperband(max_epochs=%ld, factor=%ld): %d bracket%s of successive "
           "halving, trials x epochs:\n", j->max_epochs, j->factor, nb,
           nb == 1 ? "" : "s");
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
           "(%d samples), training on %d\n", trials, epochs_all, j->label, vname,
           nva, ntr);
    repl_search_print_space(&j->sp, 0, 0, j->bs_fixed, j->bs);
    fflush(stdout);
}

/* After the trials: the table, best_params_, the file, the refit. */
static int hb_results(repl_session *s, search_job *j, const nn_hb_result *res,
                      const char *vname)
{
    int done = 0;
    for (int t = 0; t < res->ntrials; t++)
        done += res->rounds[t] > 0;
    if (res->stopped)
        printf("Interrupted (Ctrl-C) after %d fit%s; the trials below are those "
               "scored so far.\n", j->rc.fits, j->rc.fits == 1 ? "" : "s");
    int ret = 0;
    if (done > 0) {
        printf("results (the %d best of %d trials by score, as "
               "tuner.results_summary()):\n", done < 10 ? done : 10, done);
        repl_search_print_hb_table(&j->sp, res, 10);
    }
    if (res->best >= 0) {
        char bp[1024], sc[32];
        int bt = res->best;
        repl_search_best_params(&j->sp, res->vals + (size_t)bt * res->nparams, bp,
                                sizeof bp);
        printf("best_params_: %s (trial %d)\n", bp, bt + 1);
        printf("best_score_: %s (%s on %s after %d epoch%s)\n",
               repl_num(sc, sizeof sc, res->score[bt]), j->label, vname,
               res->epochs[bt], res->epochs[bt] == 1 ? "" : "s");
    } else
        printf("no trial got a score: nothing to refit\n");
    if (j->file && done > 0 && repl_search_write_hb_csv(s, j->file, &j->sp, res) != 0)
        ret = -1;
    if (ret == 0 && res->best >= 0) {
        if (res->stopped)
            printf("no refit after an interruption: the session's model is "
                   "unchanged\n");
        else if (j->do_refit)
            ret = refit(s, &j->sp, res->vals + (size_t)res->best * res->nparams,
                        res->epochs[res->best], j->bs);
        else
            printf("refit=false: the session's model is unchanged\n");
    }
    return ret;
}

/* search hyperband: trials scored on the valid split, or on the last
 * validation_split of the training data. */
static int run_hyperband(repl_session *s, const repl_args *a, search_job *j)
{
    nn_err e;
    nn_hb_bracket plan[NN_HB_MAXBRACKETS];
    int nb = nn_hyperband_plan((int)j->max_epochs, (int)j->factor, plan,
                               NN_HB_MAXBRACKETS, &e);
    if (nb < 0)
        return repl_error(s, "search", "%s", e.msg);
    nn_dataset tr = s->train, va = {0};
    const char *vname = "the valid split";
    if (s->valid.n > 0 && !repl_arg_str(a, "validation_split")) {
        va = s->valid;
    } else {
        int ntr = (int)floor(s->train.n * (1.0 - j->vs));
        if (ntr < 1 || ntr >= s->train.n)
            return repl_error(s, "search", "validation_split=%g leaves no %s "
                              "samples of %d", j->vs,
                              ntr < 1 ? "training" : "validation", s->train.n);
        nn_dataset_view(&tr, &s->train, 0, ntr);
        nn_dataset_view(&va, &s->train, ntr, s->train.n - ntr);
        vname = "the last validation_split of the training data";
    }
    print_hb_plan(j, plan, nb, vname, va.n, tr.n);
    nn_hb_result res;
    if (nn_search_hyperband(j->tmpl, &tr, &va, &j->sp, plan, nb, &j->o,
                            j->sample_rng, &s->rng, &res, &e) != NN_OK)
        return repl_error(s, "search", "%s", e.msg);
    int ret = hb_results(s, j, &res, vname);
    nn_hb_result_free(&res);
    return ret;
}

/* The candidates of grid (every combination) or random (n_iter draws)
 * into *vals (ncand x sp.n, malloc'd).  The count, or -1 after the
 * error. */
static int make_candidates(repl_session *s, search_job *j, double **vals)
{
    const nn_space *sp = &j->sp;
    double size = nn_space_grid_size(sp);
    nn_err e;
    *vals = NULL;
    if (j->mode == MODE_GRID) {
        if (size > NN_SEARCH_MAXGRID)
            return repl_error(s, "search", "the grid has %.0f candidates, more than %d; "
                              "give fewer values or use search random n_iter=N", size,
                              NN_SEARCH_MAXGRID);
        int ncand = (int)size;
        *vals = malloc((size_t)ncand * sp->n * sizeof **vals + 1);
        if (!*vals)
            return repl_error(s, "search", "out of memory");
        for (int c = 0; c < ncand; c++)
            nn_space_grid_at(sp, (uint64_t)c, *vals + (size_t)c * sp->n);
        return ncand;
    }
    *vals = malloc((size_t)j->n_iter * sp->n * sizeof **vals + 1);
    if (!*vals)
        return repl_error(s, "search", "out of memory");
    if (size > 0 && size < j->n_iter)
        printf("warning: the total space of parameters %.0f is smaller than "
               "n_iter=%ld; running %.0f iterations (for exhaustive searches, use "
               "search grid)\n", size, j->n_iter, size);
    int ncand = nn_space_sample(sp, (int)j->n_iter, j->sample_rng, *vals, &e);
    if (ncand < 0) {
        free(*vals);
        *vals = NULL;
        return repl_error(s, "search", "%s", e.msg);
    }
    return ncand;
}

/* After cross-validation: cv_results_, best_params_, the file, the
 * refit. */
static int cv_results(repl_session *s, search_job *j, const nn_cv_result *res)
{
    if (res->stopped)
        printf("Interrupted (Ctrl-C) after %d of %d fits; %s\n", j->rc.fits,
               j->rc.nfits,
               res->ndone ? "the table shows the candidates that finished every fold."
                          : "no candidate finished every fold.");
    int ret = 0;
    if (res->ndone > 0) {
        if (j->cv <= REPL_SEARCH_MAX_SPLIT_COLS)
            printf("cv_results_ (%d candidate%s; split<i> = score on fold i, mean and "
                   "std over the folds, ranked by mean):\n", res->ndone,
                   res->ndone == 1 ? "" : "s");
        else
            printf("cv_results_ (%d candidate%s; mean and std of the scores on the %ld "
                   "folds, ranked by mean; file= writes each fold's score):\n",
                   res->ndone, res->ndone == 1 ? "" : "s", j->cv);
        repl_search_print_cv_table(&j->sp, res);
    }
    if (res->best >= 0) {
        char bp[1024], sc[32];
        repl_search_best_params(&j->sp, res->vals + (size_t)res->best * res->nparams,
                                bp, sizeof bp);
        printf("best_params_: %s\n", bp);
        printf("best_score_: %s (mean %s over %ld folds)\n",
               repl_num(sc, sizeof sc, res->mean[res->best]), j->label, j->cv);
    } else if (res->ndone > 0)
        printf("no candidate got a score (every fit's loss became NaN): nothing to "
               "refit\n");
    if (j->file && res->ndone > 0 && repl_search_write_cv_csv(s, j->file, &j->sp, res) != 0)
        ret = -1;
    if (ret == 0 && res->best >= 0) {
        if (res->stopped)
            printf("no refit after an interruption: the session's model is unchanged\n");
        else if (j->do_refit)
            ret = refit(s, &j->sp, res->vals + (size_t)res->best * res->nparams,
                        j->epochs, j->bs);
        else
            printf("refit=false: the session's model is unchanged\n");
    }
    return ret;
}

/* search grid and random: candidates, (stratified) folds,
 * cross-validation. */
static int run_cv(repl_session *s, search_job *j)
{
    int n = s->train.n;
    double *vals;
    int ncand = make_candidates(s, j, &vals);
    if (ncand < 0)
        return -1;
    nn_err e;
    int *fold = malloc((size_t)n * sizeof *fold + 1);
    int *labels = malloc((size_t)n * sizeof *labels + 1);
    if (!fold || !labels) {
        free(vals);
        free(fold);
        free(labels);
        return repl_error(s, "search", "out of memory");
    }
    int strat = j->classifier && nn_class_labels(&s->train, labels) == 0;
    int least;
    if (nn_kfold(n, (int)j->cv, strat ? labels : NULL, fold, &least, &e) != NN_OK) {
        free(vals);
        free(fold);
        free(labels);
        return repl_error(s, "search", "%s", e.msg);
    }
    free(labels);
    j->rc.nfits = ncand * (int)j->cv;
    printf("%s: %d candidate%s x %ld folds = %d fits (%s(n_splits=%ld)), scoring=%s\n",
           j->mode == MODE_GRID ? "GridSearchCV" : "RandomizedSearchCV", ncand,
           ncand == 1 ? "" : "s", j->cv, j->rc.nfits,
           strat ? "StratifiedKFold" : "KFold", j->cv, j->label);
    if (strat && least < j->cv)
        printf("warning: the least populated class has only %d members, which is "
               "less than cv=%ld\n", least, j->cv);
    repl_search_print_space(&j->sp, j->epochs_fixed, j->epochs, j->bs_fixed, j->bs);
    fflush(stdout);
    nn_cv_result res;
    int st = nn_search_cv(j->tmpl, &s->train, &j->sp, vals, ncand, fold, (int)j->cv,
                          &j->o, &s->rng, &res, &e);
    free(vals);
    free(fold);
    if (st != NN_OK)
        return repl_error(s, "search", "%s", e.msg);
    int ret = cv_results(s, j, &res);
    nn_cv_result_free(&res);
    return ret;
}

static int cmd_search(repl_session *s, const repl_args *a)
{
    search_job j;
    if (check_start(s, a, &j) != 0 || read_settings(s, a, &j) != 0 ||
        read_space(s, a, &j) != 0)
        return -1;
    setup_run(s, a, &j);
    return j.mode == MODE_HYPERBAND ? run_hyperband(s, a, &j) : run_cv(s, &j);
}

static const repl_opt search_opts[] = {
    {.name = "cv", .type = REPL_T_INT, .min = 2, .max = 100000, .shown = "3",
     .def = "3",
     .help = "number of cross-validation folds"},
    {.name = "n_iter", .type = REPL_T_INT, .min = 1, .max = NN_SEARCH_MAXITER,
     .shown = "10", .def = "10",
     .help = "number of random candidates"},
    {.name = "epochs", .tuned = 1, .type = REPL_T_TEXT, .shown = "10",
     .help = "epochs each candidate trains"},
    {.name = "batch_size", .tuned = 1, .type = REPL_T_TEXT, .shown = "32",
     .help = "samples per mini-batch (one optimizer step each)"},
    {.name = "scoring", .type = REPL_T_ENUM, .values = nn_scoring_names,
     .shown = "accuracy|r2|loss|mse|mae",
     .help = "how candidates are compared"},
    {.name = "max_epochs", .type = REPL_T_INT, .min = 1, .max = 100000, .shown = "10",
     .def = "10",
     .help = "the most epochs a Hyperband candidate trains"},
    {.name = "factor", .type = REPL_T_INT, .min = 2, .max = 100, .shown = "3",
     .def = "3",
     .help = "Hyperband's reduction factor (keep 1/factor each round)"},
    {.name = "validation_split", .type = REPL_T_NUM, .min = 0.01, .max = 0.99,
     .shown = "0.2", .def = "0.2",
     .help = "fraction of the training samples (the last ones) held out for validation"},
    {.name = "refit", .type = REPL_T_BOOL, .shown = "true", .def = "true",
     .help = "train the best candidate on all the training data afterwards"},
    {.name = "seed", .type = REPL_T_INT, .min = 0, .max = 0x7fffffffL, .shown = "N",
     .help = "the random seed for this command only"},
    {.name = "verbose", .type = REPL_T_INT, .min = 0, .max = 1,
     .values = repl_verbose01_values, .shown = "1", .def = "1",
     .help = "0 silent, 1 a line per candidate"},
    {.name = "file", .type = REPL_T_FILE, .shown = "FILE.csv",
     .help = "write every candidate's scores to this CSV file"},
    {.name = "optimizer", .tuned = 1, .type = REPL_T_LIST, .values = nn_opt_names, .shown = NULL,
     .help = "how the weights follow the gradient"},
    {.name = "learning_rate", .tuned = 1, .type = REPL_T_TEXT, .shown = NULL,
     .help = "the step size of the optimizer"},
    {.name = "momentum", .tuned = 1, .type = REPL_T_TEXT, .shown = NULL,
     .help = "fraction of the last update kept in the next"},
    {.name = "nesterov", .tuned = 1, .type = REPL_T_BOOL, .shown = NULL,
     .help = "Nesterov's momentum: the gradient after the momentum step"},
    {.name = "rho", .tuned = 1, .type = REPL_T_TEXT, .shown = NULL,
     .help = "decay of the running mean of squared gradients"},
    {.name = "beta_1", .tuned = 1, .type = REPL_T_TEXT, .shown = NULL,
     .help = "decay of the first-moment (mean) estimate"},
    {.name = "beta_2", .tuned = 1, .type = REPL_T_TEXT, .shown = NULL,
     .help = "decay of the second-moment (variance) estimate"},
    {.name = "epsilon", .tuned = 1, .type = REPL_T_TEXT, .shown = NULL,
     .help = "small number added to the denominator for stability"},
    {.name = "initial_accumulator_value", .tuned = 1, .type = REPL_T_TEXT, .shown = NULL,
     .help = "Adagrad's starting sum of squared gradients"},
    {.name = "n_hidden", .tuned = 1, .type = REPL_T_TEXT, .shown = NULL,
     .help = "numbers of hidden layers to try"},
    {.name = "n_neurons", .tuned = 1, .type = REPL_T_TEXT, .shown = NULL,
     .help = "unit counts to try for every hidden layer"},
    {.name = "LAYER.units", .tuned = 1, .type = REPL_T_TEXT, .shown = NULL,
     .help = "unit counts to try for layer LAYER (search)"},
    {.name = "LAYER.activation", .tuned = 1, .type = REPL_T_LIST, .values = nn_act_names,
     .shown = NULL,
     .help = "activations to try for layer LAYER (search)"},
    {.name = "LAYER.kernel_initializer", .tuned = 1, .type = REPL_T_LIST, .values = nn_init_names,
     .shown = NULL,
     .help = "initializers to try for layer LAYER (search)"},
    REPL_END
};

const repl_cmd repl_cmds_search[] = {
    {.name = "search", .topic = "train", .run = cmd_search,
     .args = "grid|random|hyperband KEY=V1,V2,... [KEY=...]",
     .opts = search_opts,
     .summary = "hyperparameter search: grid, random (cross-validated) or Hyperband",
     .help =
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
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_WORDS, .pos_values = mode_names},
    {NULL},
};
