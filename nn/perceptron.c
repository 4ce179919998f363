/* perceptron.c - scikit-learn's Perceptron: SGDClassifier with
 * loss="perceptron" (Hinge with threshold 0), learning_rate="constant".
 *
 * The training loop follows _plain_sgd in scikit-learn's
 * sklearn/linear_model/_sgd_fast.pyx.tp step for step, for dense data with
 * no sample or class weights, no averaging and no early_stopping:
 *
 *   for each epoch: sumloss = 0; shuffle the order (when shuffle)
 *     for each sample (x, y), y in {-1, +1}:
 *       p = w.x + b;  z = y p
 *       sumloss += (z <= 0) ? -z : 0          loss before the update
 *       update = (z <= 0) ? eta0 y : 0        -eta0 dloss, dloss = -y
 *       l2, elasticnet: w *= max(0, 1 - (1 - l1_ratio) eta0 alpha)
 *       w += update x;  b += update (fit_intercept; never penalised)
 *       l1, elasticnet: u += l1_ratio eta0 alpha, then for every feature j
 *         the cumulative truncation of Tsuruoka, Tsujii & Ananiadou
 *         (ACL 2009), with q[j] the penalty applied to w[j] so far:
 *           w[j] > 0: w[j] = max(0, w[j] - (u + q[j]))
 *           w[j] < 0: w[j] = min(0, w[j] + (u - q[j]))
 *           q[j] += w[j] - w[j] before
 *     non-finite weights: fail (scikit-learn raises ValueError)
 *     tol >= 0 and sumloss > best_loss - tol n: no_improvement_count += 1,
 *       else no_improvement_count = 0;  best_loss = min(best_loss, sumloss)
 *     no_improvement_count >= n_iter_no_change: stop
 *   n_iter = epochs run (epoch + 1)
 * l1_ratio is taken as 0 for l2 and 1 for l1, as scikit-learn does.
 * scikit-learn keeps w as wscale * w_data so that the l2 scaling is O(1);
 * here the scaling is a plain loop over d, the same numbers up to rounding.
 * The loop runs in double (scikit-learn's float64 path); the result is
 * stored in float.
 *
 * Classes (sklearn/linear_model/_stochastic_gradient.py): two classes give
 * one weight vector with class 1 positive (predict 1 when w.x + b > 0);
 * more give one-vs-rest, class c against the others, each problem starting
 * from zero weights and the unshuffled order, and predict the first argmax
 * of the scores; n_iter is the largest over the problems.  scikit-learn
 * seeds each problem's shuffle separately; here one nn_rng serves all. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "perceptron.h"

const char *const nn_penalty_names[] = { "none", "l2", "l1", "elasticnet", NULL };

void nn_perceptron_defaults(nn_perceptron_opts *o)
{
    /* sklearn.linear_model.Perceptron(penalty=None, alpha=0.0001,
     * l1_ratio=0.15, fit_intercept=True, max_iter=1000, tol=1e-3,
     * shuffle=True, eta0=1.0, n_iter_no_change=5) */
    memset(o, 0, sizeof *o);
    o->eta0 = 1.0;
    o->max_iter = 1000;
    o->tol = 1e-3;
    o->penalty = NN_PEN_NONE;
    o->alpha = 1e-4;
    o->l1_ratio = 0.15;
    o->shuffle = 1;
    o->fit_intercept = 1;
    o->n_iter_no_change = 5;
}

static int check_opts(const nn_perceptron_opts *o, const nn_rng *r, nn_err *e)
{
    if (!(o->eta0 > 0.0) || !isfinite(o->eta0))
        return nn_fail(e, "eta0 must be > 0 and finite (got %g)", o->eta0);
    if (o->max_iter < 1)
        return nn_fail(e, "max_iter must be >= 1 (got %d)", o->max_iter);
    if (isnan(o->tol))
        return nn_fail(e, "tol must be a number, or < 0 for no tolerance "
                          "check (got nan)");
    if ((int)o->penalty < NN_PEN_NONE || o->penalty > NN_PEN_ELASTICNET)
        return nn_fail(e, "penalty must be none, l2, l1 or elasticnet "
                          "(got %d)", (int)o->penalty);
    if (!(o->alpha >= 0.0) || !isfinite(o->alpha))
        return nn_fail(e, "alpha must be >= 0 and finite (got %g)", o->alpha);
    if (!(o->l1_ratio >= 0.0 && o->l1_ratio <= 1.0))
        return nn_fail(e, "l1_ratio must be in [0, 1] (got %g)", o->l1_ratio);
    if (o->n_iter_no_change < 1)
        return nn_fail(e, "n_iter_no_change must be >= 1 (got %d)",
                       o->n_iter_no_change);
    if (o->shuffle && !r)
        return nn_fail(e, "shuffle=1 needs a random generator (got none)");
    return NN_OK;
}

static int check_data(const nn_dataset *ds, nn_err *e)
{
    if (ds->nclasses < 2)
        return nn_fail(e, "a perceptron needs a classification data set with "
                          ">= 2 classes (got %d)", ds->nclasses);
    if (ds->n < 1 || ds->d < 1)
        return nn_fail(e, "the data set is empty (%d samples of %d features)",
                       ds->n, ds->d);
    if (ds->ycols != 1)
        return nn_fail(e, "a perceptron needs one label column (got %d)",
                       ds->ycols);
    int first = -1, two = 0;
    for (int i = 0; i < ds->n; i++) {
        float y = ds->y[i];
        if (!(y >= 0.0f && y < (float)ds->nclasses) || y != floorf(y))
            return nn_fail(e, "label of sample %d is %g; allowed: whole "
                              "numbers 0 to %d", i, (double)y, ds->nclasses - 1);
        if (first < 0)
            first = (int)y;
        else if ((int)y != first)
            two = 1;
    }
    if (!two)
        return nn_fail(e, "all samples are of class %d; a perceptron needs "
                          "samples of at least 2 classes", first);
    return NN_OK;
}

/* Work space of one fit: w and q in double (d each), the order (n). */
typedef struct work {
    double *w, *q;
    int *idx;
    float *row;   /* one sample decoded, for a byte set (d) */
} work;

/* One binary problem, samples of class pos against the rest
 * (_plain_sgd, see the top of the file).  Writes w_out (d), *b_out and
 * the epochs run. */
static int fit_binary(const nn_dataset *ds, int pos, const nn_perceptron_opts *o,
                      nn_rng *r, work *wk, float *w_out, float *b_out,
                      int *n_iter, nn_err *e)
{
    const int n = ds->n, d = ds->d;
    const double eta = o->eta0, alpha = o->alpha;
    const int pen = o->penalty;
    const double l1_ratio = pen == NN_PEN_L2 ? 0.0 :
                            pen == NN_PEN_L1 ? 1.0 : o->l1_ratio;
    const int use_l2 = pen == NN_PEN_L2 || pen == NN_PEN_ELASTICNET;
    const int use_l1 = pen == NN_PEN_L1 || pen == NN_PEN_ELASTICNET;
    /* w.scale(max(0, 1 - (1 - l1_ratio) eta alpha)), once per sample */
    const double scale = fmax(0.0, 1.0 - (1.0 - l1_ratio) * eta * alpha);
    const double du = l1_ratio * eta * alpha;
    double *w = wk->w, *q = wk->q, b = 0.0, u = 0.0;
    int *idx = wk->idx;

    memset(w, 0, (size_t)d * sizeof *w);
    memset(q, 0, (size_t)d * sizeof *q);
    for (int i = 0; i < n; i++)
        idx[i] = i;

    double best_loss = INFINITY;
    int no_improvement = 0, epoch;
    for (epoch = 0; epoch < o->max_iter; epoch++) {
        double sumloss = 0.0;
        if (o->shuffle)
            nn_rng_shuffle(r, idx, n);
        for (int k = 0; k < n; k++) {
            const float *x = nn_dataset_rows(ds, idx[k], 1, wk->row);
            const double y = (int)ds->y[idx[k]] == pos ? 1.0 : -1.0;
            double p = b;
            for (int j = 0; j < d; j++)
                p += w[j] * x[j];
            const double z = y * p;
            double update = 0.0;
            if (z <= 0.0) {             /* Hinge(threshold=0) */
                sumloss += -z;
                update = eta * y;
            }
            if (use_l2)
                for (int j = 0; j < d; j++)
                    w[j] *= scale;
            if (update != 0.0)
                for (int j = 0; j < d; j++)
                    w[j] += update * x[j];
            if (o->fit_intercept)
                b += update;
            if (use_l1) {
                u += du;
                for (int j = 0; j < d; j++) {
                    double w0 = w[j];
                    if (w0 > 0.0)
                        w[j] = fmax(0.0, w0 - (u + q[j]));
                    else if (w0 < 0.0)
                        w[j] = fmin(0.0, w0 + (u - q[j]));
                    q[j] += w[j] - w0;
                }
            }
        }
        int finite = isfinite(b);
        for (int j = 0; j < d && finite; j++)
            finite = isfinite(w[j]);
        if (!finite)
            return nn_fail(e, "perceptron weights overflowed at epoch %d; "
                              "scale the features (StandardScaler or "
                              "MinMaxScaler) or lower eta0", epoch + 1);
        if (o->tol >= 0.0 && sumloss > best_loss - o->tol * n)
            no_improvement++;
        else
            no_improvement = 0;
        if (sumloss < best_loss)
            best_loss = sumloss;
        if (no_improvement >= o->n_iter_no_change)
            break;
    }
    for (int j = 0; j < d; j++)
        w_out[j] = (float)w[j];
    *b_out = (float)b;
    *n_iter = epoch < o->max_iter ? epoch + 1 : o->max_iter;
    return NN_OK;
}

/* p's previous contents are ignored: free it first when refitting.  On
 * failure p is left as it was. */
int nn_perceptron_fit(nn_perceptron *p, const nn_dataset *ds,
                      const nn_perceptron_opts *o, nn_rng *r, nn_err *e)
{
    if (check_opts(o, r, e) != NN_OK || check_data(ds, e) != NN_OK)
        return NN_FAIL;
    nn_perceptron out = {0};
    out.d = ds->d;
    out.nclasses = ds->nclasses;
    out.nw = ds->nclasses == 2 ? 1 : ds->nclasses;
    work wk = {0};
    int rc = NN_FAIL;
    out.w = nn_calloc((size_t)out.nw * (size_t)out.d, sizeof(float), e);
    out.b = out.w ? nn_calloc((size_t)out.nw, sizeof(float), e) : NULL;
    wk.w = out.b ? nn_calloc((size_t)ds->d * 2, sizeof(double), e) : NULL;
    wk.idx = wk.w ? nn_calloc((size_t)ds->n, sizeof(int), e) : NULL;
    wk.row = wk.idx ? nn_calloc((size_t)ds->d, sizeof(float), e) : NULL;
    if (!wk.row)
        goto done;
    wk.q = wk.w + ds->d;
    for (int c = 0; c < out.nw; c++) {
        /* binary: class 1 is the positive one; else class c vs the rest */
        int pos = out.nw == 1 ? 1 : c, it = 0;
        if (fit_binary(ds, pos, o, r, &wk, out.w + (size_t)c * out.d,
                       &out.b[c], &it, e) != NN_OK)
            goto done;
        if (it > out.n_iter)
            out.n_iter = it;
    }
    *p = out;
    rc = NN_OK;
done:
    free(wk.w);
    free(wk.idx);
    free(wk.row);
    if (rc != NN_OK)
        nn_perceptron_free(&out);
    return rc;
}

/* Class of one row x (d): score > 0 -> 1 for one weight vector, else the
 * first argmax over the one-vs-rest scores (numpy's argmax). */
static int predict_row(const nn_perceptron *p, const float *x)
{
    int best = 0;
    double best_s = -INFINITY;
    for (int c = 0; c < p->nw; c++) {
        const float *w = p->w + (size_t)c * p->d;
        double s = p->b[c];
        for (int j = 0; j < p->d; j++)
            s += (double)w[j] * x[j];
        if (p->nw == 1)
            return s > 0.0 ? 1 : 0;
        if (s > best_s || c == 0) {
            best_s = s;
            best = c;
        }
    }
    return best;
}

void nn_perceptron_predict(const nn_perceptron *p, const float *x, int n, int *out)
{
    for (int i = 0; i < n; i++)
        out[i] = predict_row(p, x + (size_t)i * p->d);
}

double nn_perceptron_score(const nn_perceptron *p, const nn_dataset *ds)
{
    if (ds->n <= 0)
        return 0.0;
    int right = 0;
    float *row = ds->x8 ? malloc((size_t)ds->d * sizeof *row) : NULL;
    if (ds->x8 && !row)
        return NAN;
    for (int i = 0; i < ds->n; i++)
        right += predict_row(p, nn_dataset_rows(ds, i, 1, row)) ==
                 (int)ds->y[(size_t)i * ds->ycols];
    free(row);
    return (double)right / ds->n;
}

void nn_perceptron_free(nn_perceptron *p)
{
    if (!p)
        return;
    free(p->w);
    free(p->b);
    memset(p, 0, sizeof *p);
}
