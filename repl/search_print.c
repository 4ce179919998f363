/* search_print.c - what `search` prints and writes: the searched
 * settings of a candidate, cv_results_ and Keras Tuner's results table,
 * best_params_, the results as CSV (as pandas would write
 * cv_results_), and the plan's list of the space (search_print.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "progress.h"
#include "search_print.h"

/* "dense.units=8, learning_rate=0.1" of the searched keys (more than one
 * value); the fixed ones are said once in the plan. */
void repl_search_params_str(const nn_space *sp, const double *v, char *buf,
                            size_t len)
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

void repl_search_print_cv_table(const nn_space *sp, const nn_cv_result *res)
{
    int np = searched_cols(sp), nf = res->nfolds;
    int k = nf <= REPL_SEARCH_MAX_SPLIT_COLS ? nf : 0;
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
void repl_search_print_hb_table(const nn_space *sp, const nn_hb_result *res,
                                int show)
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
void repl_search_best_params(const nn_space *sp, const double *v, char *buf,
                             size_t len)
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

/* ",param_NAME" for each hyperparameter that varies (scikit-learn's
 * cv_results_ columns). */
static void param_names(nn_afile *f, const nn_space *sp)
{
    for (int j = 0; j < sp->n; j++)
        if (sp->p[j].nvalues != 1)
            afprintf(f, ",param_%s", sp->p[j].name);
}

/* ",VALUE" of each varying hyperparameter of one candidate (vals: its
 * sp->n values). */
static void param_values(nn_afile *f, const nn_space *sp, const double *vals)
{
    for (int j = 0; j < sp->n; j++) {
        char v[64];
        if (sp->p[j].nvalues == 1)
            continue;
        csv_value(v, sizeof v, &sp->p[j], vals[j]);
        afprintf(f, ",%s", v);
    }
}

int repl_search_write_cv_csv(repl_session *s, const char *path, const nn_space *sp,
                             const nn_cv_result *res)
{
    nn_afile f;
    nn_err e;
    if (nn_afile_open(&f, path, &e) != NN_OK)
        return repl_error(s, "search", "%s", e.msg);
    int k = res->nfolds;
    afprintf(&f, "mean_fit_time,std_fit_time");
    param_names(&f, sp);
    for (int i = 0; i < k; i++)
        afprintf(&f, ",split%d_test_score", i);
    afprintf(&f, ",mean_test_score,std_test_score,rank_test_score\n");
    for (int c = 0; c < res->ndone; c++) {
        afprintf(&f, "%.17g,%.17g", res->mean_time[c], res->std_time[c]);
        param_values(&f, sp, res->vals + (size_t)c * res->nparams);
        for (int i = 0; i < k; i++)
            afprintf(&f, ",%.17g", res->scores[(size_t)c * k + i]);
        afprintf(&f, ",%.17g,%.17g,%d\n", res->mean[c], res->std[c], res->rank[c]);
    }
    if (nn_afile_commit(&f, &e) != NN_OK)
        return repl_error(s, "search", "%s", e.msg);
    printf("cv_results_ written to %s (%d rows)\n", path, res->ndone);
    return 0;
}

int repl_search_write_hb_csv(repl_session *s, const char *path, const nn_space *sp,
                             const nn_hb_result *res)
{
    nn_afile f;
    nn_err e;
    if (nn_afile_open(&f, path, &e) != NN_OK)
        return repl_error(s, "search", "%s", e.msg);
    afprintf(&f, "trial,bracket");
    param_names(&f, sp);
    afprintf(&f, ",epochs,score,rank,fit_time\n");
    int rows = 0;
    for (int t = 0; t < res->ntrials; t++) {
        if (res->rounds[t] == 0)
            continue;
        afprintf(&f, "%d,%d", t + 1, res->bracket[t] + 1);
        param_values(&f, sp, res->vals + (size_t)t * res->nparams);
        afprintf(&f, ",%d,%.17g,%d,%.17g\n", res->epochs[t], res->score[t],
                 res->rank[t], res->seconds[t]);
        rows++;
    }
    if (nn_afile_commit(&f, &e) != NN_OK)
        return repl_error(s, "search", "%s", e.msg);
    printf("results written to %s (%d rows)\n", path, rows);
    return 0;
}

/* ---- the plan ---- */

void repl_search_print_space(const nn_space *sp, int epochs_fixed, int epochs,
                             int bs_fixed, int bs)
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
