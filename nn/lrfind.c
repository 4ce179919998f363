/* lrfind.c - the learning-rate range test on a copy of the model (see
 * lrfind.h for the recipe and the suggestion rule). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fit.h"
#include "lrfind.h"
#include "outmap.h"

void nn_lrfind_defaults(nn_lrfind_opts *o)
{
    memset(o, 0, sizeof *o);
    o->start_lr = 1e-5;
    o->end_lr = 10;
    o->steps = 500;
    o->batch_size = 32;
    o->beta = 0.98;
    o->diverge = 4;
}

void nn_lrfind_result_free(nn_lrfind_result *res)
{
    free(res->lr);
    free(res->loss);
    free(res->smooth);
    memset(res, 0, sizeof *res);
    res->min_index = -1;
}

double nn_lrfind_suggest(const double *lr, const double *smooth, int n,
                         int skip, int *index)
{
    if (skip < 0 || skip >= n)
        skip = 0;
    int best = -1;
    for (int i = skip; i < n; i++)
        if (isfinite(smooth[i]) && isfinite(lr[i]) &&
            (best < 0 || smooth[i] < smooth[best]))
            best = i;
    *index = best;
    return best < 0 ? 0 : lr[best] / 10;
}

static int check_opts(const nn_lrfind_opts *o, nn_err *e)
{
    if (!(o->start_lr > 0) || !isfinite(o->start_lr))
        return nn_fail(e, "start must be a number > 0 (got %g)", o->start_lr);
    if (!(o->end_lr > o->start_lr) || !isfinite(o->end_lr))
        return nn_fail(e, "end must be larger than start (got start=%g end=%g)",
                       o->start_lr, o->end_lr);
    if (o->steps < 2)
        return nn_fail(e, "steps must be at least 2 (got %d)", o->steps);
    if (o->batch_size < 1)
        return nn_fail(e, "batch_size must be at least 1 (got %d)", o->batch_size);
    if (!(o->beta >= 0 && o->beta < 1))
        return nn_fail(e, "beta must be in [0, 1) (got %g)", o->beta);
    if (!(o->diverge >= 0) || !isfinite(o->diverge))
        return nn_fail(e, "diverge must be >= 0 (got %g)", o->diverge);
    return NN_OK;
}

int nn_lrfind(const nn_model *m, const nn_dataset *train,
              const nn_lrfind_opts *o, const nn_rng *r,
              nn_lrfind_result *res, nn_err *e)
{
    memset(res, 0, sizeof *res);
    res->min_index = -1;
    if (check_opts(o, e) != NN_OK)
        return NN_FAIL;
    if (!m->compiled)
        return nn_fail(e, "the model is not compiled");
    if (nn_check_data(m, train, e) != NN_OK)
        return NN_FAIL;
    int n = train->n;
    int bs = o->batch_size < n ? o->batch_size : n;
    nn_model *c = nn_model_clone(m, e);
    if (!c)
        return NN_FAIL;
    nn_outmap om;
    if (nn_outmap_make(&om, m, train, e) != NN_OK) {
        nn_model_free(c);
        return NN_FAIL;
    }
    int room = nn_outmap_room(&om);
    int *idx = nn_calloc((size_t)n, sizeof *idx, e);
    float *x = idx ? nn_calloc((size_t)bs * train->d, sizeof *x, e) : NULL;
    float *y = x ? nn_calloc((size_t)bs * train->ycols, sizeof *y, e) : NULL;
    float *ybuf = y && room ? nn_calloc((size_t)bs * (size_t)room, sizeof *ybuf, e)
                            : NULL;
    res->lr = y && (ybuf || !room) ? nn_calloc((size_t)o->steps, sizeof(double), e) : NULL;
    res->loss = res->lr ? nn_calloc((size_t)o->steps, sizeof(double), e) : NULL;
    res->smooth = res->loss ? nn_calloc((size_t)o->steps, sizeof(double), e) : NULL;
    int status = NN_OK;
    if (!res->smooth) {
        status = NN_FAIL;
        goto done;
    }
    nn_rng rr = *r;            /* the caller's generator stays where it was */
    for (int i = 0; i < n; i++)
        idx[i] = i;
    nn_rng_shuffle(&rr, idx, n);
    double span = log(o->end_lr / o->start_lr);
    res->factor = exp(span / (o->steps - 1));
    int check_from = o->steps / 10 < 10 ? o->steps / 10 : 10;
    double avg = 0, best = INFINITY, bpow = 1;
    int pos = 0;
    res->stop = NN_LRF_DONE;
    for (int i = 0; i < o->steps; i++) {
        if (o->interrupt && *o->interrupt) {
            res->stop = NN_LRF_INTERRUPT;
            break;
        }
        double lr = i == o->steps - 1 ? o->end_lr
                                      : o->start_lr * exp(span * i / (o->steps - 1));
        if (pos + bs > n) {    /* a new pass over the data, reshuffled */
            nn_rng_shuffle(&rr, idx, n);
            pos = 0;
        }
        nn_dataset_gather(train, idx + pos, bs, x);
        for (int k = 0; k < bs; k++) {
            int s = idx[pos + k];
            memcpy(y + (size_t)k * train->ycols, train->y + (size_t)s * train->ycols,
                   (size_t)train->ycols * sizeof *y);
        }
        pos += bs;
        c->opt.cfg.learning_rate = lr;
        double loss = 0;
        const float *ys[NN_MAXOUT];
        nn_outmap_batch(&om, train, y, bs, ybuf, ys);
        if (nn_train_batch_ys(c, x, train->d, ys, NULL, bs, &loss, e) != NN_OK) {
            if (isfinite(loss)) {
                status = NN_FAIL;
                break;
            }
            res->stop = NN_LRF_NAN;
            res->stop_lr = lr;
            break;
        }
        bpow *= o->beta;
        avg = o->beta * avg + (1 - o->beta) * loss;
        double sm = avg / (1 - bpow);
        res->lr[res->n] = lr;
        res->loss[res->n] = loss;
        res->smooth[res->n] = sm;
        res->n++;
        if (!isfinite(sm)) {   /* a finite loss whose average overflowed */
            res->n--;
            res->stop = NN_LRF_NAN;
            res->stop_lr = lr;
            break;
        }
        if (sm < best)
            best = sm;
        if (o->diverge > 0 && i >= check_from && sm > o->diverge * best) {
            res->stop = NN_LRF_DIVERGED;
            res->stop_lr = lr;
            break;
        }
    }
    if (status == NN_OK)
        res->suggestion = nn_lrfind_suggest(res->lr, res->smooth, res->n,
                                            o->steps / 10, &res->min_index);
done:
    free(idx);
    free(x);
    free(y);
    free(ybuf);
    nn_model_free(c);
    if (status != NN_OK)
        nn_lrfind_result_free(res);
    return status;
}
