/* search.h - hyperparameter search: scikit-learn's GridSearchCV and
 * RandomizedSearchCV (k-fold cross-validation of every candidate, ranked
 * by the mean score), and Keras Tuner's Hyperband (brackets of successive
 * halving on a validation set).
 *
 * The pure parts, each mirroring its reference:
 *   folds       KFold(n_splits=k) / StratifiedKFold(n_splits=k), both
 *               without shuffling, as GridSearchCV(cv=k) makes them
 *               (sklearn/model_selection/_split.py);
 *   candidates  ParameterGrid: keys sorted, the last key varies fastest;
 *               ParameterSampler: when every value is a list, n_iter
 *               candidates drawn WITHOUT replacement from the grid, else
 *               each key in sorted order drawn from its list (uniformly)
 *               or its range (uniform, log-uniform = scipy's
 *               loguniform/reciprocal, integers = scipy's randint);
 *   statistics  mean and population std (ddof 0) of the split scores,
 *               rank by the mean with rankdata(method="min"), NaN means
 *               ranked last (sklearn's _format_results);
 *   Hyperband   Keras Tuner's HyperbandOracle: brackets
 *               b = nbrackets-1 .. 0, round r of bracket b trains
 *               ceil(ceil(1 + log_f(max_epochs)) / (b+1) * f^(b-r)) trials
 *               for ceil(max_epochs / f^(b-r)) epochs, the best of each
 *               round continuing into the next.
 * Then the runs: every candidate is a fresh model built from a template
 * (the session's model) with the candidate's settings, weights drawn from
 * the caller's generator, compiled with the template's loss and metrics
 * and the candidate's optimizer. */
#ifndef NN_SEARCH_H
#define NN_SEARCH_H

#include <signal.h>
#include <stdint.h>
#include "nn.h"
#include "rng.h"
#include "model.h"
#include "dataset.h"

#define NN_SEARCH_MAXPARAMS 16     /* keys of one search */
#define NN_SEARCH_MAXVALUES 64     /* values of one list */
#define NN_SEARCH_MAXGRID 10000    /* candidates of a grid search */
#define NN_SEARCH_MAXITER 10000    /* n_iter */
#define NN_HB_MAXBRACKETS 24

/* What a hyperparameter sets. */
typedef enum nn_hp_kind {
    /* the optimizer (compile) */
    NN_HP_OPTIMIZER,
    NN_HP_LEARNING_RATE,
    NN_HP_MOMENTUM,
    NN_HP_NESTEROV,
    NN_HP_RHO,
    NN_HP_BETA_1,
    NN_HP_BETA_2,
    NN_HP_EPSILON,
    NN_HP_INITIAL_ACCUMULATOR_VALUE,
    /* fit */
    NN_HP_BATCH_SIZE,
    NN_HP_EPOCHS,
    /* Géron's build_model: the hidden stack of a Sequential model */
    NN_HP_N_HIDDEN,
    NN_HP_N_NEURONS,
    /* one Dense layer: LAYER.units, LAYER.activation, LAYER.kernel_initializer */
    NN_HP_UNITS,
    NN_HP_ACTIVATION,
    NN_HP_KERNEL_INITIALIZER,
    NN_HP_KIND_COUNT
} nn_hp_kind;

typedef enum nn_hp_type { NN_HP_INT, NN_HP_REAL, NN_HP_BOOL, NN_HP_CHOICE } nn_hp_type;

/* One searched key.  Values are doubles whatever the type: whole numbers,
 * reals, 0/1, or the index of a name in the kind's table (nn_opt_names,
 * nn_act_names, nn_init_names). */
typedef struct nn_hparam {
    char name[64];            /* as typed: "learning_rate", "dense_1.units" */
    nn_hp_kind kind;
    nn_hp_type type;
    int node;                 /* the layer, for LAYER.* keys; else -1 */
    int nvalues;              /* a list of values, or 0 for a range */
    double values[NN_SEARCH_MAXVALUES];
    double lo, hi;            /* a range: [lo, hi] (both ends included) */
    int log;                  /* log-uniform */
} nn_hparam;

/* The keys of a search, in sorted order (strcmp, as Python's sorted). */
typedef struct nn_space {
    int n;
    nn_hparam p[NN_SEARCH_MAXPARAMS];
} nn_space;

/* Names of the plain keys (LAYER.* aside), NULL-terminated. */
extern const char *const nn_hp_names[];

/* Adds KEY=TEXT to the space: resolves the key (LAYER.* against the
 * template's layers) and parses the values ("16,32,64", "relu,tanh",
 * "1e-4:1e-1:log", "16:128").  Keeps the space sorted.  Fails on an
 * unknown key, a layer that is not there or is not Dense, a value that
 * does not parse or is out of range, a range for a key that takes names,
 * or a key given twice. */
int nn_space_add(nn_space *sp, const char *key, const char *text,
                 const nn_model *tmpl, nn_err *e);
/* 1 when some key is a range (grid search refuses them). */
int nn_space_has_range(const nn_space *sp);
/* Index of the key named name, or -1. */
int nn_space_find(const nn_space *sp, const char *name);
/* Checks the space against the template as a whole: settings of an
 * optimizer none of the candidates uses, n_hidden/n_neurons on a model
 * that is not a Sequential stack of Dense layers, n_hidden/n_neurons
 * mixed with LAYER.* keys. */
int nn_space_check(const nn_space *sp, const nn_model *tmpl, nn_err *e);

/* A value as text: "32", "0.001", "true", "relu". */
void nn_hp_format(const nn_hparam *p, double v, char *buf, size_t len);
/* The distribution as text, scipy's names: "[16, 32, 64]",
 * "loguniform(0.0001, 0.1)", "uniform(0, 0.9)", "randint(16, 129)". */
void nn_hp_describe(const nn_hparam *p, char *buf, size_t len);
/* One value drawn from the key's list or range. */
double nn_hp_sample(const nn_hparam *p, nn_rng *r);

/* ---- candidates ---- */

/* Number of grid points (product of the list lengths, as a double so it
 * cannot overflow); 0 when some key is a range. */
double nn_space_grid_size(const nn_space *sp);
/* Grid point idx (0 <= idx < size): vals[j] for each key, the last key
 * varying fastest (ParameterGrid's order). */
void nn_space_grid_at(const nn_space *sp, uint64_t idx, double *vals);
/* ParameterSampler: n_iter candidates into vals (n_iter, sp->n).  When
 * every key is a list and the grid has fewer than n_iter points, only
 * grid-size candidates are made.  Returns the number made, or NN_FAIL. */
int nn_space_sample(const nn_space *sp, int n_iter, nn_rng *r, double *vals,
                    nn_err *e);

/* ---- folds ---- */

/* Each sample's test fold, fold[n] in [0, k).  labels (n class numbers
 * >= 0) stratify as StratifiedKFold; NULL gives KFold's contiguous blocks
 * (the first n % k folds one sample larger).  Fails when k < 2, k > n, or
 * (stratified) k exceeds every class's count.  *min_class receives the
 * count of the least populated class (stratified; else n), for
 * scikit-learn's warning when it is below k; may be NULL. */
int nn_kfold(int n, int k, const int *labels, int *fold, int *min_class,
             nn_err *e);
/* Indices of fold f's training samples (every other fold) and test
 * samples, each in increasing order. */
void nn_fold_split(const int *fold, int n, int f, int *train, int *ntrain,
                   int *test, int *ntest);
/* Class labels of a classification set into labels[n] (the class number,
 * or the arg max of one-hot rows); -1 when ds is not one. */
int nn_class_labels(const nn_dataset *ds, int *labels);

/* ---- statistics ---- */

/* np.mean and np.std (ddof 0): NaN when any value is NaN. */
void nn_search_mean_std(const double *x, int n, double *mean, double *std);
/* rankdata(-means, method="min"); NaN means tie for last. */
void nn_search_rank(const double *means, int n, int *rank);

/* ---- Hyperband (Keras Tuner) ---- */

typedef struct nn_hb_bracket {
    int nrounds;
    int trials[NN_HB_MAXBRACKETS];
    int epochs[NN_HB_MAXBRACKETS];   /* total epochs after the round */
} nn_hb_bracket;

/* The brackets in the order Keras Tuner runs them (the most trials
 * first).  Returns their number, or NN_FAIL (max_epochs < 1 or > 100000,
 * factor < 2 or > 100). */
int nn_hyperband_plan(int max_epochs, int factor, nn_hb_bracket *b, int maxb,
                      nn_err *e);

/* ---- running ---- */

typedef enum nn_scoring {
    NN_SCORE_ACCURACY,   /* the accuracy metric the loss calls for */
    NN_SCORE_LOSS,       /* -loss */
    NN_SCORE_MSE,        /* -mse */
    NN_SCORE_MAE,        /* -mae */
    NN_SCORE_R2,         /* sklearn r2_score, uniform average over outputs */
    NN_SCORE_COUNT
} nn_scoring;
/* What scoring= takes: "accuracy", "loss", "mse", "mae", "r2". */
extern const char *const nn_scoring_names[];
/* As scikit-learn names the score (greater is better): "accuracy",
 * "neg_loss", "neg_mean_squared_error", "neg_mean_absolute_error", "r2". */
extern const char *const nn_scoring_labels[];

/* A fresh model from the template with the candidate's settings (vals, one
 * per key of sp; sp may be NULL for the template as it is), weights drawn
 * from r, compiled with the template's loss and metrics (plus the metric
 * scoring needs, unless scoring is NN_SCORE_COUNT) and the candidate's
 * optimizer: a searched optimizer other than the template's starts from
 * Keras's defaults for it, keeping the template's learning_rate (one
 * learning rate for every optimizer, as Géron's build_model). */
nn_model *nn_search_build(const nn_model *tmpl, const nn_space *sp,
                          const double *vals, nn_scoring scoring, nn_rng *r,
                          nn_err *e);
/* The candidate's epochs and batch_size (unchanged when not searched). */
void nn_search_fit_settings(const nn_space *sp, const double *vals,
                            int *epochs, int *batch_size);
/* The score of m on ds (greater is better). */
int nn_search_score(nn_model *m, const nn_dataset *ds, nn_scoring scoring,
                    double *score, nn_err *e);

/* After each fit: where the search is and what the fit scored. */
typedef struct nn_search_step {
    int cand, ncand;            /* candidate (CV) or trial (Hyperband), 0-based */
    int fold, nfolds;           /* CV */
    int bracket, nbrackets;     /* Hyperband */
    int round, nrounds;
    int epochs_from, epochs_to;
    const double *vals;
    double score;
    double seconds;             /* the fit's time */
    int nan;                    /* stopped on a non-finite loss: score NaN */
} nn_search_step;

typedef struct nn_search_opts {
    int epochs, batch_size;     /* per fit, unless searched (10, 32) */
    nn_scoring scoring;
    int terminate_on_nan;       /* 1 */
    const volatile sig_atomic_t *interrupt;   /* Ctrl-C, or NULL */
    /* after each fit; non-zero stops the search */
    int (*step)(void *ctx, const nn_search_step *st);
    void *ctx;
    /* cross-validation fits at a time: 0 two on 2 CPUs or more for a
     * model of at most NN_SEARCH_SMALL parameters, 1 one after another,
     * 2 two; the results are the same (search_run.c says how) */
    int jobs;
} nn_search_opts;
#define NN_SEARCH_SMALL 100000

void nn_search_defaults(nn_search_opts *o);

/* cv_results_: the first ndone candidates are complete; the others did
 * not run (an interrupt).  A fit that was interrupted is dropped. */
typedef struct nn_cv_result {
    int ncand, nparams, nfolds;
    double *vals;               /* (ncand, nparams) */
    double *scores;             /* (ncand, nfolds), split<i>_test_score */
    double *fit_time;           /* (ncand, nfolds), seconds */
    double *mean, *std;         /* (ncand) */
    double *mean_time, *std_time;
    int *rank;                  /* rank_test_score, over the done ones */
    int ndone;
    int stopped;                /* interrupted (or the step hook asked) */
    int best;                   /* best_index_, or -1 when none is done */
} nn_cv_result;

/* Cross-validates ncand candidates (vals (ncand, sp->n)) on train with
 * the folds fold[train->n] (k of them), candidate by candidate and fold by
 * fold.  Fails only on errors (a model that cannot be built, data that do
 * not fit); an interrupt is a result (res->stopped). */
int nn_search_cv(const nn_model *tmpl, const nn_dataset *train,
                 const nn_space *sp, const double *vals, int ncand,
                 const int *fold, int k, const nn_search_opts *o, nn_rng *r,
                 nn_cv_result *res, nn_err *e);
void nn_cv_result_free(nn_cv_result *res);

typedef struct nn_hb_result {
    int ntrials, nparams;
    double *vals;               /* (ntrials, nparams) */
    int *bracket;               /* the bracket of each trial (plan index) */
    int *rounds;                /* rounds it reached (0: none finished) */
    int *epochs;                /* epochs trained by its last finished round */
    double *score;              /* the score at that round (NaN: none) */
    double *seconds;            /* training time in all */
    int *rank;                  /* by score; trials without one rank last */
    int stopped;
    int best;                   /* or -1 */
} nn_hb_result;

/* Runs the plan: each bracket samples its first round's trials from sp
 * (sample_rng; a new combination when one is left among 20 draws),
 * trains them for the round's epochs on train, scores them on valid, and
 * continues the best into the next round from where they stopped. */
int nn_search_hyperband(const nn_model *tmpl, const nn_dataset *train,
                        const nn_dataset *valid, const nn_space *sp,
                        const nn_hb_bracket *plan, int nb,
                        const nn_search_opts *o, nn_rng *sample_rng,
                        nn_rng *r, nn_hb_result *res, nn_err *e);
void nn_hb_result_free(nn_hb_result *res);

#endif
