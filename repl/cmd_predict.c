/* cmd_predict.c - `predict`: the model's output for typed samples or
 * stored rows (a Python slice of a split), as probabilities and the
 * class for a classifier (Keras's model.predict). */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "repl.h"
#include "train_common.h"

static int is_classifier(const repl_session *s)
{
    const nn_model *m = s->model;
    if (m->compiled) {
        nn_loss_kind k = m->cc.loss[0].kind;
        return k == NN_LOSS_BCE || k == NN_LOSS_CCE || k == NN_LOSS_SCCE;
    }
    return s->train.nclasses > 0;
}

/* "a:b" into [a, b) */
/* Rows as a Python slice of n rows: FROM:TO, FROM:, :TO or one row I;
 * negative numbers count from the end (-5: is the last five), and ends
 * past the data are clipped, as NumPy's X_test[-5:] and X_test[:1000].
 * 0 with [*a, *b) inside [0, n]; -1 when w is not a slice. */
static int parse_range(const char *w, long n, long *a, long *b)
{
    const char *c = strchr(w, ':');
    char buf[64];
    if (strlen(w) >= sizeof buf)
        return -1;
    if (!c) {                          /* one row */
        if (repl_parse_long(w, a) != 0)
            return -1;
        if (*a < 0)
            *a += n;
        if (*a < 0 || *a >= n)
            return -2;
        *b = *a + 1;
        return 0;
    }
    memcpy(buf, w, (size_t)(c - w));
    buf[c - w] = 0;
    if (buf[0] == 0)
        *a = 0;
    else if (repl_parse_long(buf, a) != 0)
        return -1;
    if (c[1] == 0)
        *b = n;
    else if (repl_parse_long(c + 1, b) != 0)
        return -1;
    long *e[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        if (*e[i] < 0)
            *e[i] += n;
        if (*e[i] < 0)
            *e[i] = 0;
        if (*e[i] > n)
            *e[i] = n;
    }
    return 0;
}

/* A class's name when it says more than its number. */
static const char *class_name(const nn_dataset *d, int c)
{
    if (!d->class_names || c < 0 || c >= d->nclasses)
        return NULL;
    char num[16];
    snprintf(num, sizeof num, "%d", c);
    return strcmp(num, d->class_names[c]) == 0 ? NULL : d->class_names[c];
}

static void print_prediction(const repl_session *s, int row, const float *p,
                             int k, const float *truth, int ycols)
{
    const nn_dataset *d = &s->train;
    printf("%5d ", row);
    if (is_classifier(s)) {
        int best = 0;
        float pb;
        if (k == 1) {
            best = p[0] > 0.5f;
            pb = best ? p[0] : 1 - p[0];
            printf(" %8.4f", p[0]);
        } else {
            for (int j = 0; j < k; j++) {
                printf(" %8.4f", p[j]);
                if (p[j] > p[best])
                    best = j;
            }
            pb = p[best];
        }
        const char *name = class_name(d, best);
        printf("  -> %d", best);
        if (name)
            printf(" (%s)", name);
        printf(" %.0f%%", pb * 100);
        if (truth) {
            int t = (int)truth[0];
            const char *tn = class_name(d, t);
            printf("   true %d%s%s%s%s", t, tn ? " (" : "", tn ? tn : "", tn ? ")" : "",
                   t == best ? "" : "  wrong");
        }
    } else {
        for (int j = 0; j < k; j++)
            printf(" %10.4f", p[j]);
        if (truth) {
            printf("   true");
            for (int j = 0; j < ycols; j++)
                printf(" %10.4f", truth[j]);
        }
    }
    printf("\n");
}

static void predict_header(const repl_session *s, int k)
{
    const nn_dataset *d = &s->train;
    printf("%5s ", "row");
    if (is_classifier(s) && k > 1) {
        for (int j = 0; j < k; j++) {
            char h[16];
            if (d->class_names && j < d->nclasses)
                snprintf(h, sizeof h, "%.8s", d->class_names[j]);
            else
                snprintf(h, sizeof h, "p(%d)", j);
            printf(" %8s", h);
        }
        printf("  -> class\n");
    } else if (is_classifier(s))
        printf(" %8s  -> class\n", "p(1)");
    else
        printf(" %10s\n", "prediction");
}

/* Values per sample the model reads: its input's size, or, when its
 * inputs read columns of the data, the data's width (the columns' end
 * without data). */
static int sample_width(const repl_session *s, const nn_model *m)
{
    int in = nn_model_input(m);
    if (nn_model_ninputs(m) == 1 && m->nodes[in].col_from == 0)
        return m->nodes[in].size;
    if (s->have_data && s->train.d > 0)
        return s->train.d;
    int end = 0;
    for (int i = 0; i < m->n; i++)
        if (m->nodes[i].kind == NN_NODE_INPUT && m->nodes[i].col_from > 0 &&
            m->nodes[i].col_from - 1 + m->nodes[i].size > end)
            end = m->nodes[i].col_from - 1 + m->nodes[i].size;
    return end;
}

/* Runs n samples of d values (x) and prints each output's table (a
 * model of several outputs: one table per output, under its name, as
 * Keras's y_pred_main, y_pred_aux = model.predict(...)); rows are
 * numbered from row0, with the true targets when truth is not NULL. */
static int predict_print(repl_session *s, nn_model *m, const float *x, int d, int n,
                         int row0, const float *truth, int ycols)
{
    int outs[NN_MAXOUT], nout = nn_model_outputs(m, outs);
    float *out[NN_MAXOUT] = {NULL};
    int rc = 0;
    for (int k = 0; k < nout && rc == 0; k++)
        if (!(out[k] = malloc((size_t)n * m->nodes[outs[k]].size * sizeof(float) + 1)))
            rc = repl_error(s, "predict", "out of memory");
    nn_err e;
    for (int at = 0; at < n && rc == 0; at += 256) {   /* in chunks, as predict */
        int rows = n - at < 256 ? n - at : 256;
        if (nn_model_forward_data(m, x + (size_t)at * d, d, rows, 0, &e) != NN_OK) {
            rc = repl_error(s, "predict", "%s", e.msg);
            break;
        }
        for (int k = 0; k < nout; k++) {
            const nn_node *o = &m->nodes[outs[k]];
            memcpy(out[k] + (size_t)at * o->size, o->a,
                   (size_t)rows * o->size * sizeof(float));
        }
    }
    for (int k = 0; k < nout && rc == 0; k++) {
        int c = m->nodes[outs[k]].size;
        if (nout > 1)
            printf("%s%s:\n", k ? "\n" : "", m->nodes[outs[k]].name);
        predict_header(s, c);
        for (int i = 0; i < n; i++)
            print_prediction(s, row0 + i, out[k] + (size_t)i * c, c,
                             truth ? truth + (size_t)i * ycols : NULL, ycols);
    }
    for (int k = 0; k < nout; k++)
        free(out[k]);
    return rc;
}

static int cmd_predict(repl_session *s, const repl_args *a)
{
    if (!s->model || s->model->nparams == 0)
        return repl_error(s, "predict", "no model to predict with; build one first");
    nn_model *m = s->model;
    int d = sample_width(s, m);
    nn_err e;
    if (nn_model_check_columns(m, d, &e) != NN_OK)
        return repl_error(s, "predict", "%s", e.msg);
    int split = nn_lookup(repl_split_names, a->pos[0]);
    if (split >= 0) {
        nn_dataset *ds = repl_split_of(s, split);
        if (ds->n == 0)
            return repl_error(s, "predict", "the %s split is empty; see show data",
                              repl_split_names[split]);
        if (ds->d != d)
            return repl_error(s, "predict", "the model takes %d value%s per sample "
                              "but the data has %d", d, d == 1 ? "" : "s", ds->d);
        long from = 0, to = ds->n < 5 ? ds->n : 5;
        int rc = a->npos == 2 ? parse_range(a->pos[1], ds->n, &from, &to) : 0;
        if (rc == -1)
            return repl_error(s, "predict", "give rows as FROM:TO or one row, e.g. "
                              "predict test 0:5, predict test -3: (got '%s')", a->pos[1]);
        if (a->npos > 2)
            return repl_error(s, "predict", "give one range of rows, e.g. predict test 0:5");
        if (rc == -2)
            return repl_error(s, "predict", "row %s is not in the %s split (rows 0 to %d, "
                              "or -1 for the last)", a->pos[1], repl_split_names[split], ds->n - 1);
        if (from >= to)
            return repl_error(s, "predict", "rows %s select no row of the %s split "
                              "(it has %d: 0:%d; -5: is the last five)", a->pos[1],
                              repl_split_names[split], ds->n, ds->n);
        if (to - from > 1000)
            return repl_error(s, "predict", "at most 1000 rows at a time (asked %ld)",
                              to - from);
        float *buf = ds->x8 ? malloc((size_t)(to - from) * d * sizeof *buf) : NULL;
        if (ds->x8 && !buf)
            return repl_error(s, "predict", "out of memory");
        rc = predict_print(s, m, nn_dataset_rows(ds, (int)from, (int)(to - from), buf),
                           d, (int)(to - from), (int)from,
                           ds->y + (size_t)from * ds->ycols, ds->ycols);
        free(buf);
        return rc;
    }
    /* typed rows: each positional word is one sample, values comma-separated */
    if (d > 4096)
        return repl_error(s, "predict", "the model reads %d values per sample: too "
                          "many to type; use predict SPLIT ROWS", d);
    int n = a->npos;
    float *x = calloc((size_t)n * d + 1, sizeof *x);
    int rc = 0;
    if (!x) {
        rc = repl_error(s, "predict", "out of memory");
        goto done;
    }
    for (int r = 0; r < n; r++) {
        const char *w = a->pos[r];
        int j = 0;
        while (*w) {
            char num[64];
            size_t len = strcspn(w, ",");
            if (len >= sizeof num || j >= d) {
                rc = repl_error(s, "predict", "sample %d has more than the %d values "
                                "the model takes", r + 1, d);
                goto done;
            }
            memcpy(num, w, len);
            num[len] = 0;
            double v;
            if (repl_parse_double(num, &v) != 0) {
                rc = repl_error(s, "predict", "'%s' is not a number (sample %d); give "
                                "values like 0.5,-1.2 or a split: predict test 0:5",
                                num, r + 1);
                goto done;
            }
            if (fabs(v) > FLT_MAX) {
                rc = repl_error(s, "predict", "'%s' is too large for a float (sample %d); "
                                "values must be within +-3.4e38", num, r + 1);
                goto done;
            }
            x[(size_t)r * d + j++] = (float)v;
            w += len;
            if (*w == ',')
                w++;
        }
        if (j != d) {
            rc = repl_error(s, "predict", "sample %d has %d value%s but the model "
                            "takes %d", r + 1, j, j == 1 ? "" : "s", d);
            goto done;
        }
    }
    if (s->scaled) {
        repl_scale_rows(s, x, n, d);
        printf("(scaled as the training data, %s)\n",
               s->scaled == 2 ? "minmax" : "standard");
    }
    rc = predict_print(s, m, x, d, n, 0, NULL, 0);
done:
    free(x);
    return rc;
}

static const repl_form predict_forms[] = {
    {.args = "X1,X2,... [X1,X2,... ...]"},
    {.args = "SPLIT [FROM:TO|ROW]"},
    {0}
};

const repl_cmd repl_cmds_predict[] = {
    {.name = "predict", .topic = "train", .run = cmd_predict,
     .forms = predict_forms,
     .summary = "the model's output for typed samples or stored rows",
     .help =
     "Runs the model forward.  Give samples as comma-separated values (one\n"
     "word per sample), or a split and a range of rows.  A classifier shows\n"
     "the probability of each class and the most likely one; stored rows\n"
     "also show the true label.  Rows are a Python slice: 0:3, -5: (the\n"
     "last five), :10, or one row (7, -1); without one, the first five.\n"
     "\n"
     "Example:\n"
     "  predict test 0:3\n"
     "  predict 0.5,-1.2 1,1\n"
     "\n"
     "Keras: y_proba = model.predict(X_new); y_proba.round(2)",
     .minpos = 1, .maxpos = REPL_MAXARGS, .pos_kind = REPL_POS_WORDS, .pos_values = repl_split_names},
    {NULL},
};
