/* search_run.c - the runs of a hyperparameter search (see search.h): the
 * cross-validation over k folds and Hyperband's brackets and rounds.  The
 * candidates they train are built in search_build.c. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "search.h"
#include "fit.h"
#include "mat.h"

/* ---- the runs ---- */

void nn_search_defaults(nn_search_opts *o)
{
    memset(o, 0, sizeof *o);
    o->epochs = 10;
    o->batch_size = 32;
    o->scoring = NN_SCORE_ACCURACY;
    o->terminate_on_nan = 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int stopped(const nn_search_opts *o)
{
    return o->interrupt && *o->interrupt;
}

/* Trains m for epochs more epochs; *score and *nan from ds afterwards.
 * Returns 1 when interrupted (nothing scored), 0, or NN_FAIL. */
static int train_score(nn_model *m, const nn_dataset *train, const nn_dataset *ds,
                       int epochs, int batch_size, const nn_search_opts *o,
                       nn_rng *r, double *score, int *nan, double *seconds,
                       nn_err *e)
{
    nn_fit_opts fo;
    nn_fit_defaults(&fo);
    fo.epochs = epochs;
    fo.batch_size = batch_size;
    fo.terminate_on_nan = o->terminate_on_nan;
    fo.interrupt = o->interrupt;
    nn_fit_result fr;
    double t0 = now();
    if (nn_fit(m, train, &fo, NULL, r, &fr, e) != NN_OK)
        return NN_FAIL;
    *seconds = now() - t0;
    if (fr.stop == NN_STOP_INTERRUPT)
        return 1;
    *nan = fr.stop == NN_STOP_NAN;
    if (*nan) {
        *score = NAN;   /* a failed fit scores error_score=nan */
        return 0;
    }
    if (nn_search_score(m, ds, o->scoring, score, e) != NN_OK)
        return NN_FAIL;
    if (!isfinite(*score))
        *score = NAN;
    return 0;
}

void nn_cv_result_free(nn_cv_result *res)
{
    free(res->vals);
    free(res->scores);
    free(res->fit_time);
    free(res->mean);
    free(res->std);
    free(res->mean_time);
    free(res->std_time);
    free(res->rank);
    memset(res, 0, sizeof *res);
}

static void cv_summarize(nn_cv_result *res)
{
    int k = res->nfolds;
    for (int c = 0; c < res->ndone; c++) {
        nn_search_mean_std(res->scores + (size_t)c * k, k, &res->mean[c], &res->std[c]);
        nn_search_mean_std(res->fit_time + (size_t)c * k, k, &res->mean_time[c],
                           &res->std_time[c]);
    }
    nn_search_rank(res->mean, res->ndone, res->rank);
    res->best = -1;
    for (int c = 0; c < res->ndone; c++)
        if (res->rank[c] == 1 && !isnan(res->mean[c])) {
            res->best = c;
            break;
        }
}

/* One fit of cross-validation: candidate c's values v on fold f, drawing
 * from r (the weights, then the shuffles), into st; rc as train_score's,
 * or NN_FAIL with e.  tr and te are n ints of work space. */
typedef struct cv_trial {
    const nn_model *tmpl;
    const nn_dataset *train;
    const nn_space *sp;
    const int *fold;
    const nn_search_opts *o;
    const double *v;
    int c, f, epochs, bs;
    nn_rng r;              /* the state it starts from, then ends with */
    int *tr, *te;
    int rc;
    nn_search_step st;
    nn_err e;
} cv_trial;

static void cv_trial_run(cv_trial *t)
{
    int ntr, nte;
    nn_fold_split(t->fold, t->train->n, t->f, t->tr, &ntr, t->te, &nte);
    nn_dataset dtr = {0}, dte = {0};
    nn_model *m = NULL;
    memset(&t->st, 0, sizeof t->st);
    t->rc = NN_FAIL;
    if (nn_dataset_take(&dtr, t->train, t->tr, ntr, &t->e) == NN_OK &&
        nn_dataset_take(&dte, t->train, t->te, nte, &t->e) == NN_OK &&
        (m = nn_search_build(t->tmpl, t->sp, t->v, t->o->scoring, &t->r, &t->e)))
        t->rc = train_score(m, &dtr, &dte, t->epochs, t->bs, t->o, &t->r,
                            &t->st.score, &t->st.nan, &t->st.seconds, &t->e);
    nn_model_free(m);
    nn_dataset_free(&dtr);
    nn_dataset_free(&dte);
}

static void *cv_trial_thread(void *arg)
{
    cv_trial_run(arg);
    return NULL;
}

/* The generator's state after trial t's draws if its fit runs all its
 * epochs: the candidate built (its weights drawn) and thrown away, then
 * one shuffle of the training rows per epoch, as nn_fit draws them.  A
 * fit stopped early (NaN, Ctrl-C) draws fewer: the caller compares. */
static int cv_trial_predict(const cv_trial *t, nn_rng *r, nn_err *e)
{
    int ntr, nte;
    nn_fold_split(t->fold, t->train->n, t->f, t->tr, &ntr, t->te, &nte);
    nn_model *m = nn_search_build(t->tmpl, t->sp, t->v, t->o->scoring, r, e);
    if (!m)
        return NN_FAIL;
    nn_model_free(m);
    for (int ep = 0; ep < t->epochs; ep++)
        nn_rng_shuffle(r, t->tr, ntr);   /* the draws depend on ntr alone */
    return NN_OK;
}

int openblas_get_parallel(void);   /* OpenBLAS: 1 built with pthreads */

/* Whether trials run two at a time: 2 CPUs or more, o->jobs not 1, and a
 * small model (a large one has both cores in its products already); never
 * with an OpenBLAS that is not built for calls from several threads at
 * once (mat.c's rule for its own helpers). */
static int cv_jobs(const nn_model *tmpl, const nn_search_opts *o)
{
    if (o->jobs == 1 || nn_blas_threads_max() < 2 || openblas_get_parallel() != 1)
        return 1;
    return o->jobs >= 2 || tmpl->nparams <= NN_SEARCH_SMALL ? 2 : 1;
}

int nn_search_cv(const nn_model *tmpl, const nn_dataset *train,
                 const nn_space *sp, const double *vals, int ncand,
                 const int *fold, int k, const nn_search_opts *o, nn_rng *r,
                 nn_cv_result *res, nn_err *e)
{
    memset(res, 0, sizeof *res);
    res->best = -1;
    int np = sp ? sp->n : 0, n = train->n;
    if (ncand < 1 || k < 2 || k > n)
        return nn_fail(e, "nothing to search");
    if (nn_check_data(tmpl, train, e) != NN_OK)
        return NN_FAIL;
    res->ncand = ncand;
    res->nparams = np;
    res->nfolds = k;
    size_t ck = (size_t)ncand * k;
    res->vals = nn_calloc((size_t)ncand * np + 1, sizeof(double), e);
    res->scores = nn_calloc(ck, sizeof(double), e);
    res->fit_time = nn_calloc(ck, sizeof(double), e);
    res->mean = nn_calloc((size_t)ncand, sizeof(double), e);
    res->std = nn_calloc((size_t)ncand, sizeof(double), e);
    res->mean_time = nn_calloc((size_t)ncand, sizeof(double), e);
    res->std_time = nn_calloc((size_t)ncand, sizeof(double), e);
    res->rank = nn_calloc((size_t)ncand, sizeof(int), e);
    int *work = nn_calloc((size_t)n * 4, sizeof(int), e);
    if (!res->vals || !res->scores || !res->fit_time || !res->mean || !res->std ||
        !res->mean_time || !res->std_time || !res->rank || !work)
        goto fail;
    if (np)
        memcpy(res->vals, vals, (size_t)ncand * np * sizeof(double));
    for (size_t i = 0; i < ck; i++)
        res->scores[i] = NAN;
    /* Trials in order j = c * k + f.  Two at a time: j on this thread from
     * the state the previous trial left, j + 1 on another from the state j
     * leaves when its fit runs to the end (cv_trial_predict); when j's fit
     * ended early that guess is wrong and j + 1 runs again.  Each trial is
     * single-threaded meanwhile, so the numbers are those of one after
     * another (the products' split does not depend on the thread count). */
    int jobs = cv_jobs(tmpl, o), blas = nn_blas_threads_get();
    if (jobs > 1)
        nn_blas_threads(1);
    cv_trial t[2];
    for (int w = 0; w < 2; w++) {
        memset(&t[w], 0, sizeof t[w]);
        t[w].tmpl = tmpl;
        t[w].train = train;
        t[w].sp = sp;
        t[w].fold = fold;
        t[w].o = o;
        t[w].tr = work + (size_t)n * 2 * w;
        t[w].te = t[w].tr + n;
    }
    int total = ncand * k, failed = 0;
    for (int j = 0; j < total && !res->stopped && !failed;) {
        int run = jobs > 1 && j + 1 < total ? 2 : 1;
        for (int w = 0; w < run; w++) {
            int jj = j + w;
            t[w].c = jj / k;
            t[w].f = jj % k;
            t[w].v = vals ? vals + (size_t)t[w].c * np : NULL;
            t[w].epochs = o->epochs;
            t[w].bs = o->batch_size;
            nn_search_fit_settings(sp, t[w].v, &t[w].epochs, &t[w].bs);
        }
        if (stopped(o)) {
            res->stopped = 1;
            break;
        }
        t[0].r = *r;
        pthread_t th;
        int started = 0;
        if (run == 2) {
            t[1].r = *r;
            if (cv_trial_predict(&t[0], &t[1].r, e) != NN_OK) {
                failed = 1;
                break;
            }
            started = pthread_create(&th, NULL, cv_trial_thread, &t[1]) == 0;
            if (!started)
                run = 1;
        }
        nn_rng guess = t[1].r;
        cv_trial_run(&t[0]);
        if (started)
            pthread_join(th, NULL);
        /* t[1] counts only when it started where t[0] really ended */
        nn_rng before1 = guess;
        if (run == 2 && memcmp(&before1, &t[0].r, sizeof before1) != 0)
            run = 1;
        for (int w = 0; w < run; w++) {
            cv_trial *x = &t[w];
            if (x->rc < 0) {
                *e = x->e;
                failed = 1;
                break;
            }
            *r = x->r;
            if (x->rc == 1) {
                res->stopped = 1;
                break;
            }
            x->st.cand = x->c;
            x->st.ncand = ncand;
            x->st.fold = x->f;
            x->st.nfolds = k;
            x->st.epochs_to = x->epochs;
            x->st.vals = x->v;
            res->scores[(size_t)x->c * k + x->f] = x->st.score;
            res->fit_time[(size_t)x->c * k + x->f] = x->st.seconds;
            int ask = o->step && o->step(o->ctx, &x->st);
            if (x->f + 1 == k)
                res->ndone = x->c + 1;
            j++;
            if (ask) {
                res->stopped = 1;
                break;
            }
            if (w == 0 && run == 2 && stopped(o)) {
                res->stopped = 1;   /* as one after another: j + 1 not begun */
                break;
            }
        }
    }
    if (jobs > 1)
        nn_blas_threads(blas);
    free(work);
    if (failed)
        goto fail_freed;
    cv_summarize(res);
    return NN_OK;
fail:
    free(work);
fail_freed:
    nn_cv_result_free(res);
    return NN_FAIL;
}

void nn_hb_result_free(nn_hb_result *res)
{
    free(res->vals);
    free(res->bracket);
    free(res->rounds);
    free(res->epochs);
    free(res->score);
    free(res->seconds);
    free(res->rank);
    memset(res, 0, sizeof *res);
}

/* a better than b: greater, NaN worst, ties to the one that came first
 * in the round (Keras Tuner sorts each round's trials with Python's
 * stable sort) */
static int better(double a, int ia, double b, int ib)
{
    if (isnan(a) != isnan(b))
        return !isnan(a);
    if (!isnan(a) && a != b)
        return a > b;
    return ia < ib;
}

typedef struct hb_live {
    int trial;
    int pos;         /* place in its round */
    nn_model *m;
} hb_live;

/* One Hyperband run: its inputs, the result it fills, and the trials of
 * the round under way (cur) and those kept for the next (keep). */
typedef struct hb_run {
    const nn_model *tmpl;
    const nn_dataset *train, *valid;
    const nn_space *sp;
    const nn_search_opts *o;
    nn_rng *r;
    nn_hb_result *res;
    int np, total, nb;
    hb_live *cur, *keep;
    int ncur, nkeep;
} hb_run;

/* The first round's trials t0..t0+n-1 of bracket b: a combination not
 * tried yet, when one turns up in 20 draws (Keras Tuner's
 * max_collisions). */
static void hb_draw(hb_run *h, int t0, int n, int b, nn_rng *sample_rng)
{
    nn_hb_result *res = h->res;
    int np = h->np;
    for (int t = t0; t < t0 + n; t++) {
        double *v = res->vals + (size_t)t * np;
        for (int tries = 0; tries < 20; tries++) {
            for (int j = 0; j < np; j++)
                v[j] = nn_hp_sample(&h->sp->p[j], sample_rng);
            int dup = 0;
            for (int u = 0; u < t && !dup; u++)
                dup = np > 0 && memcmp(res->vals + (size_t)u * np, v,
                                       (size_t)np * sizeof *v) == 0;
            if (!dup)
                break;
        }
        res->bracket[t] = b;
    }
    h->ncur = 0;
    for (int t = t0; t < t0 + n; t++, h->ncur++)
        h->cur[h->ncur] = (hb_live){t, h->ncur, NULL};
}

/* Keeps the best `want` models for the next round: trial t, place i in
 * its round, model m (freed when it does not make it). */
static void hb_keep(hb_run *h, int t, int i, nn_model *m, int want)
{
    const double *score = h->res->score;
    hb_live *keep = h->keep;
    if (h->nkeep < want) {
        keep[h->nkeep++] = (hb_live){t, i, m};
        return;
    }
    int w = -1;
    for (int j = 0; j < h->nkeep; j++)
        if (w < 0 || better(score[keep[w].trial], keep[w].pos,
                            score[keep[j].trial], keep[j].pos))
            w = j;
    if (w >= 0 && better(score[t], i, score[keep[w].trial], keep[w].pos)) {
        nn_model_free(keep[w].m);
        keep[w] = (hb_live){t, i, m};
    } else
        nn_model_free(m);
}

/* The round's end: the models not kept are freed, and the survivors,
 * best first, are the next round's trials in that order. */
static void hb_survivors(hb_run *h)
{
    const double *score = h->res->score;
    hb_live *keep = h->keep;
    for (int i = 0; i < h->ncur; i++)
        nn_model_free(h->cur[i].m);
    for (int i = 1; i < h->nkeep; i++)
        for (int j = i; j > 0 && better(score[keep[j].trial], keep[j].pos,
                                        score[keep[j - 1].trial],
                                        keep[j - 1].pos); j--) {
            hb_live x = keep[j];
            keep[j] = keep[j - 1];
            keep[j - 1] = x;
        }
    for (int i = 0; i < h->nkeep; i++) {
        h->cur[i] = keep[i];
        h->cur[i].pos = i;
    }
    h->ncur = h->nkeep;
    h->nkeep = 0;
}

/* Round rd of bracket b: each trial trained from the round before's
 * epochs to this one's and scored; NN_FAIL on an error. */
static int hb_round(hb_run *h, int b, const nn_hb_bracket *B, int rd,
                    nn_err *e)
{
    nn_hb_result *res = h->res;
    const nn_search_opts *o = h->o;
    int want = rd + 1 < B->nrounds ? B->trials[rd + 1] : 0;
    int from = rd == 0 ? 0 : B->epochs[rd - 1], to = B->epochs[rd];
    h->nkeep = 0;
    for (int i = 0; i < h->ncur; i++) {
        int t = h->cur[i].trial;
        const double *v = res->vals + (size_t)t * h->np;
        if (stopped(o)) {
            res->stopped = 1;
            break;
        }
        nn_model *m = h->cur[i].m;
        h->cur[i].m = NULL;
        if (!m && !(m = nn_search_build(h->tmpl, h->sp, v, o->scoring, h->r, e)))
            return NN_FAIL;
        int epochs = to, bs = o->batch_size;
        nn_search_fit_settings(h->sp, v, &epochs, &bs);
        nn_search_step st = {0};
        st.cand = t;
        st.ncand = h->total;
        st.bracket = b;
        st.nbrackets = h->nb;
        st.round = rd;
        st.nrounds = B->nrounds;
        st.epochs_from = from;
        st.epochs_to = to;
        st.vals = v;
        int rc = train_score(m, h->train, h->valid, to - from, bs, o, h->r,
                             &st.score, &st.nan, &st.seconds, e);
        if (rc != 0) {
            nn_model_free(m);
            if (rc < 0)
                return NN_FAIL;
            res->stopped = 1;
            break;
        }
        res->rounds[t] = rd + 1;
        res->epochs[t] = to;
        res->score[t] = st.score;
        res->seconds[t] += st.seconds;
        hb_keep(h, t, i, m, want);
        if (o->step && o->step(o->ctx, &st))
            res->stopped = 1;
        if (res->stopped)
            break;
    }
    hb_survivors(h);
    return NN_OK;
}

/* The result's arrays for total trials, and the round buffers for most. */
static int hb_alloc(hb_run *h, int most, nn_err *e)
{
    nn_hb_result *res = h->res;
    size_t total = (size_t)h->total;
    res->vals = nn_calloc(total * h->np + 1, sizeof(double), e);
    res->bracket = nn_calloc(total, sizeof(int), e);
    res->rounds = nn_calloc(total, sizeof(int), e);
    res->epochs = nn_calloc(total, sizeof(int), e);
    res->score = nn_calloc(total, sizeof(double), e);
    res->seconds = nn_calloc(total, sizeof(double), e);
    res->rank = nn_calloc(total, sizeof(int), e);
    h->cur = nn_calloc((size_t)most + 1, sizeof *h->cur, e);
    h->keep = nn_calloc((size_t)most + 1, sizeof *h->keep, e);
    if (!res->vals || !res->bracket || !res->rounds || !res->epochs ||
        !res->score || !res->seconds || !res->rank || !h->cur || !h->keep)
        return NN_FAIL;
    for (size_t t = 0; t < total; t++)
        res->score[t] = NAN;
    return NN_OK;
}

int nn_search_hyperband(const nn_model *tmpl, const nn_dataset *train,
                        const nn_dataset *valid, const nn_space *sp,
                        const nn_hb_bracket *plan, int nb,
                        const nn_search_opts *o, nn_rng *sample_rng,
                        nn_rng *r, nn_hb_result *res, nn_err *e)
{
    memset(res, 0, sizeof *res);
    res->best = -1;
    hb_run h = {tmpl, train, valid, sp, o, r, res, sp ? sp->n : 0, 0, nb,
                NULL, NULL, 0, 0};
    int most = 0;
    for (int b = 0; b < nb; b++) {
        h.total += plan[b].trials[0];
        if (plan[b].trials[0] > most)
            most = plan[b].trials[0];
    }
    if (nn_check_data(tmpl, train, e) != NN_OK || nn_check_data(tmpl, valid, e) != NN_OK)
        return NN_FAIL;
    res->ntrials = h.total;
    res->nparams = h.np;
    if (hb_alloc(&h, most, e) != NN_OK)
        goto fail;
    int base = 0;
    for (int b = 0; b < nb && !res->stopped; b++) {
        const nn_hb_bracket *B = &plan[b];
        hb_draw(&h, base, B->trials[0], b, sample_rng);
        for (int rd = 0; rd < B->nrounds && !res->stopped; rd++)
            if (hb_round(&h, b, B, rd, e) != NN_OK)
                goto fail;
        for (int i = 0; i < h.ncur; i++)
            nn_model_free(h.cur[i].m);
        h.ncur = 0;
        base += B->trials[0];
    }
    free(h.cur);
    free(h.keep);
    nn_search_rank(res->score, h.total, res->rank);
    for (int t = 0; t < h.total; t++)
        if (res->rank[t] == 1 && !isnan(res->score[t])) {
            res->best = t;
            break;
        }
    return NN_OK;
fail:
    if (h.cur)
        for (int i = 0; i < h.ncur; i++)
            nn_model_free(h.cur[i].m);
    if (h.keep)
        for (int i = 0; i < h.nkeep; i++)
            nn_model_free(h.keep[i].m);
    free(h.cur);
    free(h.keep);
    nn_hb_result_free(res);
    return NN_FAIL;
}
