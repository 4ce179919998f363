/* check_fit.c - the training loop: XOR, reproducibility, the symmetry of
 * zero initialisation, validation_split, class and sample weights, NaN,
 * interrupts and hooks. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "check_util.h"
#include "fit.h"
#include "gradcheck.h"

/* XOR's four points, each repeated reps times: (4 reps, 2), labels 0/1. */
static void xor_data(nn_dataset *ds, int reps)
{
    nn_err e;
    ck_assert_int_eq(nn_dataset_alloc(ds, 4 * reps, 2, 1, &e), NN_OK);
    static const float pts[4][3] = {{0, 0, 0}, {0, 1, 1}, {1, 0, 1}, {1, 1, 0}};
    for (int i = 0; i < 4 * reps; i++) {
        ds->x[2 * i] = pts[i % 4][0];
        ds->x[2 * i + 1] = pts[i % 4][1];
        ds->y[i] = pts[i % 4][2];
    }
    ds->nclasses = 2;
}

/* 2 -> hidden (act, init) -> 1 sigmoid, binary cross-entropy, adam. */
static nn_model *xor_model(int hidden, nn_act act, nn_init_kind kinit,
                           nn_opt_kind opt, double lr, uint64_t seed)
{
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, seed);
    nn_model *m = nn_model_new(NULL, 1, &e);
    int shape[1] = {2};
    int i = nn_model_add_input(m, shape, 1, NULL, &e);
    nn_dense_cfg c;
    nn_dense_defaults(&c, hidden);
    c.activation = act;
    c.kernel_initializer = kinit;
    i = nn_model_add_dense(m, i, &c, NULL, &r, &e);
    nn_dense_defaults(&c, 1);
    c.activation = NN_ACT_SIGMOID;
    c.kernel_initializer = kinit;
    nn_model_add_dense(m, i, &c, NULL, &r, &e);
    nn_compile_cfg cc;
    nn_compile_defaults(&cc);
    cc.loss[0].kind = NN_LOSS_BCE;
    nn_opt_defaults(&cc.opt, opt);
    cc.opt.learning_rate = lr;
    cc.nmetrics = 1;
    cc.metrics[0] = NN_MET_ACCURACY;
    ck_assert_msg(nn_model_compile(m, &cc, &e) == NN_OK, "%s", e.msg);
    return m;
}

START_TEST(test_xor_learns)
{
    nn_dataset ds;
    xor_data(&ds, 8);
    nn_model *m = xor_model(16, NN_ACT_TANH, NN_INIT_GLOROT_UNIFORM,
                            NN_OPT_ADAM, 0.02, 42);
    nn_fit_opts o;
    nn_fit_defaults(&o);
    o.epochs = 300;
    o.batch_size = 8;
    nn_history h;
    nn_history_init(&h);
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_err e;
    nn_fit_result res;
    ck_assert_msg(nn_fit(m, &ds, &o, &h, &r, &res, &e) == NN_OK, "%s", e.msg);
    ck_assert_int_eq(res.stop, NN_STOP_DONE);
    ck_assert_int_eq(res.epochs_run, 300);
    ck_assert_int_eq(h.nepochs, 300);
    nn_logs l;
    ck_assert_int_eq(nn_evaluate(m, &ds, 32, &l, &e), NN_OK);
    ck_assert_msg(nn_logs_get(&l, "accuracy") == 1.0, "XOR accuracy %g, loss %g",
                  nn_logs_get(&l, "accuracy"), nn_logs_get(&l, "loss"));
    int k = nn_history_key(&h, "loss");
    ck_assert_int_ge(k, 0);
    ck_assert_msg(nn_history_at(&h, 299, k) < nn_history_at(&h, 0, k),
                  "loss went down");
    nn_history_free(&h);
    nn_model_free(m);
    nn_dataset_free(&ds);
}
END_TEST

static nn_model *train_xor(uint64_t seed, nn_init_kind kinit)
{
    nn_dataset ds;
    xor_data(&ds, 4);
    nn_model *m = xor_model(16, NN_ACT_RELU, kinit, NN_OPT_SGD, 0.1, seed);
    nn_fit_opts o;
    nn_fit_defaults(&o);
    o.epochs = 20;
    o.batch_size = 3;
    nn_rng r;
    nn_rng_seed(&r, seed);
    nn_err e;
    ck_assert_int_eq(nn_fit(m, &ds, &o, NULL, &r, NULL, &e), NN_OK);
    nn_dataset_free(&ds);
    return m;
}

START_TEST(test_same_seed_same_weights)
{
    nn_model *a = train_xor(5, NN_INIT_GLOROT_UNIFORM);
    nn_model *b = train_xor(5, NN_INIT_GLOROT_UNIFORM);
    nn_model *c = train_xor(6, NN_INIT_GLOROT_UNIFORM);
    ck_assert_uint_eq(a->nparams, b->nparams);
    ck_assert_msg(memcmp(a->params, b->params, a->nparams * sizeof(float)) == 0,
                  "same seed, different weights");
    ck_assert_msg(memcmp(a->params, c->params, a->nparams * sizeof(float)) != 0,
                  "another seed, the same weights");
    nn_model_free(a);
    nn_model_free(b);
    nn_model_free(c);
}
END_TEST

/* Géron: with all weights equal, every hidden unit gets the same gradient
 * and they stay identical however long you train. */
START_TEST(test_zero_init_symmetry)
{
    nn_dataset ds;
    xor_data(&ds, 4);
    nn_model *m = xor_model(8, NN_ACT_TANH, NN_INIT_ONES, NN_OPT_SGD, 0.1, 1);
    nn_fit_opts o;
    nn_fit_defaults(&o);
    o.epochs = 30;
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_err e;
    ck_assert_int_eq(nn_fit(m, &ds, &o, NULL, &r, NULL, &e), NN_OK);
    const nn_node *h = &m->nodes[1], *out = &m->nodes[2];
    const float *W = m->params + h->w_off, *b = m->params + h->b_off;
    const float *W2 = m->params + out->w_off;
    ck_assert_msg(W[0] != 1.0f, "the weights moved");
    for (int u = 1; u < 8; u++) {
        ck_assert_msg(W[u] == W[0] && W[8 + u] == W[8] && b[u] == b[0] &&
                      W2[u] == W2[0], "hidden unit %d differs from unit 0", u);
    }
    nn_model_free(m);
    nn_dataset_free(&ds);
}
END_TEST

/* validation_split takes the LAST samples, before shuffling: poison the
 * last fifth with NaN and the training loss stays finite while the
 * validation loss is NaN. */
START_TEST(test_validation_split_last)
{
    nn_dataset ds;
    xor_data(&ds, 5);   /* 20 samples */
    for (int i = 16; i < 20; i++)
        ds.x[2 * i] = NAN;
    nn_model *m = xor_model(4, NN_ACT_TANH, NN_INIT_GLOROT_UNIFORM, NN_OPT_SGD, 0.1, 2);
    nn_fit_opts o;
    nn_fit_defaults(&o);
    o.epochs = 3;
    o.validation_split = 0.2;
    o.batch_size = 4;
    nn_history h;
    nn_history_init(&h);
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_err e;
    nn_fit_result res;
    ck_assert_msg(nn_fit(m, &ds, &o, &h, &r, &res, &e) == NN_OK, "%s", e.msg);
    ck_assert_int_eq(res.epochs_run, 3);
    int kl = nn_history_key(&h, "loss"), kv = nn_history_key(&h, "val_loss");
    ck_assert_int_ge(kv, 0);
    ck_assert_int_ge(nn_history_key(&h, "val_accuracy"), 0);
    for (int ep = 0; ep < 3; ep++) {
        ck_assert_msg(isfinite(nn_history_at(&h, ep, kl)), "epoch %d trained on validation rows", ep);
        ck_assert_msg(isnan(nn_history_at(&h, ep, kv)), "epoch %d validation missed the last rows", ep);
    }
    /* and the reverse: a clean validation part gives val_loss equal to
     * evaluate on the last 4 rows */
    for (int i = 16; i < 20; i++)
        ds.x[2 * i] = (float)(i % 2);
    nn_history_clear(&h);
    o.epochs = 1;
    ck_assert_int_eq(nn_fit(m, &ds, &o, &h, &r, &res, &e), NN_OK);
    nn_dataset tail;
    nn_dataset_view(&tail, &ds, 16, 4);
    nn_logs l;
    ck_assert_int_eq(nn_evaluate(m, &tail, 32, &l, &e), NN_OK);
    ck_assert_double_eq(nn_history_at(&h, 0, nn_history_key(&h, "val_loss")),
                        nn_logs_get(&l, "loss"));
    /* bad splits are refused */
    o.validation_split = 0.99;   /* floor(20 * 0.01) = 0 training rows */
    ck_assert_int_eq(nn_fit(m, &ds, &o, &h, &r, &res, &e), NN_FAIL);
    o.validation_split = 1.0;
    ck_assert_int_eq(nn_fit(m, &ds, &o, &h, &r, &res, &e), NN_FAIL);
    nn_history_free(&h);
    nn_model_free(m);
    nn_dataset_free(&ds);
}
END_TEST

/* class_weight and sample_weight multiply: one full-batch epoch with both
 * equals one step with the product as per-sample weights. */
START_TEST(test_class_times_sample_weight)
{
    nn_dataset ds;
    xor_data(&ds, 2);   /* 8 samples */
    float cw[2] = {0.5f, 3.0f};
    float sw[8] = {1, 2, 0.25f, 1, 4, 1, 1, 0};
    float w[8];
    for (int i = 0; i < 8; i++)
        w[i] = cw[(int)ds.y[i]] * sw[i];
    nn_model *a = xor_model(4, NN_ACT_TANH, NN_INIT_GLOROT_UNIFORM, NN_OPT_SGD, 0.5, 3);
    nn_model *b = xor_model(4, NN_ACT_TANH, NN_INIT_GLOROT_UNIFORM, NN_OPT_SGD, 0.5, 3);
    nn_model *plain = xor_model(4, NN_ACT_TANH, NN_INIT_GLOROT_UNIFORM, NN_OPT_SGD, 0.5, 3);
    nn_fit_opts o;
    nn_fit_defaults(&o);
    o.batch_size = 8;
    o.shuffle = 0;
    o.class_weight = cw;
    o.nclass_weight = 2;
    o.sample_weight = sw;
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_err e;
    ck_assert_int_eq(nn_fit(a, &ds, &o, NULL, &r, NULL, &e), NN_OK);
    double loss;
    ck_assert_int_eq(nn_train_batch(b, ds.x, ds.d, ds.y, w, 8, &loss, &e), NN_OK);
    ck_assert_int_eq(nn_train_batch(plain, ds.x, ds.d, ds.y, NULL, 8, &loss, &e), NN_OK);
    ck_assert_msg(memcmp(a->params, b->params, a->nparams * sizeof(float)) == 0,
                  "fit with class_weight x sample_weight != step with the product");
    ck_assert_msg(memcmp(a->params, plain->params, a->nparams * sizeof(float)) != 0,
                  "weights had no effect");
    nn_model_free(a);
    nn_model_free(b);
    nn_model_free(plain);
    nn_dataset_free(&ds);
}
END_TEST

/* One SGD step moves every parameter by -lr * gradient from backprop, and
 * the logged loss of a one-batch epoch is the loss before the step. */
START_TEST(test_sgd_step_and_log)
{
    nn_dataset ds;
    xor_data(&ds, 1);
    nn_model *m = xor_model(3, NN_ACT_SIGMOID, NN_INIT_GLOROT_UNIFORM, NN_OPT_SGD, 0.25, 4);
    nn_err e;
    nn_logs before;
    ck_assert_int_eq(nn_evaluate(m, &ds, 32, &before, &e), NN_OK);
    const float *x = ds.x, *y = ds.y;
    nn_model_forward(m, &x, 4, 1, &e);
    nn_model_loss(m, &y, NULL, NULL, 1);
    nn_model_backward(m);
    float *expect = malloc(m->nparams * sizeof(float));
    for (size_t j = 0; j < m->nparams; j++)
        expect[j] = m->params[j] - 0.25f * m->grads[j];
    nn_fit_opts o;
    nn_fit_defaults(&o);
    o.batch_size = 4;
    o.shuffle = 0;
    nn_history h;
    nn_history_init(&h);
    nn_rng r;
    nn_rng_seed(&r, 1);
    ck_assert_int_eq(nn_fit(m, &ds, &o, &h, &r, NULL, &e), NN_OK);
    for (size_t j = 0; j < m->nparams; j++)
        ck_assert_float_eq_tol(m->params[j], expect[j], 1e-6f);
    ck_assert_double_eq_tol(nn_history_at(&h, 0, nn_history_key(&h, "loss")),
                            nn_logs_get(&before, "loss"), 1e-6);
    ck_assert_double_eq(nn_history_at(&h, 0, nn_history_key(&h, "accuracy")),
                        nn_logs_get(&before, "accuracy"));
    ck_assert_int_eq(m->epochs_done, 1);
    ck_assert_int_eq(h.epoch[0], 1);
    free(expect);
    nn_history_free(&h);
    nn_model_free(m);
    nn_dataset_free(&ds);
}
END_TEST

/* A learning rate of 1e6 diverges: training stops at the first
 * non-finite loss and the weights stay finite (never a NaN step). */
START_TEST(test_nan_stops)
{
    nn_dataset ds;
    xor_data(&ds, 8);
    for (int i = 0; i < ds.n; i++)
        ds.y[i] = ds.y[i] * 1e3f;   /* regression targets, mse */
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_model *m = xor_model(8, NN_ACT_RELU, NN_INIT_GLOROT_UNIFORM, NN_OPT_SGD, 1, 1);
    m->cc.loss[0].kind = NN_LOSS_MSE;
    m->cc.nmetrics = 0;
    m->nodes[2].act = m->nodes[2].dense.activation = NN_ACT_LINEAR;
    m->cc.opt.learning_rate = 1e6;
    ck_assert_int_eq(nn_model_compile(m, &m->cc, &e), NN_OK);
    ds.nclasses = 0;
    nn_fit_opts o;
    nn_fit_defaults(&o);
    o.epochs = 50;
    o.batch_size = 4;
    nn_fit_result res;
    ck_assert_int_eq(nn_fit(m, &ds, &o, NULL, &r, &res, &e), NN_OK);
    ck_assert_int_eq(res.stop, NN_STOP_NAN);
    ck_assert_int_ge(res.nan_batch, 1);
    for (size_t j = 0; j < m->nparams; j++)
        ck_assert_msg(isfinite(m->params[j]), "parameter %zu is %g", j, m->params[j]);
    nn_model_free(m);
    nn_dataset_free(&ds);
}
END_TEST

/* What the weights and optimizer state were at the start of the last two
 * batches (a ring of two), for the undo test. */
typedef struct seen_state {
    int calls;
    size_t n;
    float w[2][64], m[2][64], v[2][64];
    long t[2], steps[2];
} seen_state;

static int keep_state(void *ctx, nn_model *m, int epoch, int batch)
{
    seen_state *s = ctx;
    int k = s->calls++ % 2;
    ck_assert_uint_le(m->nparams, 64);
    s->n = m->nparams;
    memcpy(s->w[k], m->params, m->nparams * sizeof(float));
    if (m->opt.m)
        memcpy(s->m[k], m->opt.m, m->nparams * sizeof(float));
    if (m->opt.v)
        memcpy(s->v[k], m->opt.v, m->nparams * sizeof(float));
    s->t[k] = m->opt.t;
    s->steps[k] = m->steps;
    return 0;
}

static int keep_none(void *ctx, const nn_model *m)
{
    (void)ctx, (void)m;
    return 0;
}

/* TerminateOnNaN undoes the last step: the weights (and the optimizer's
 * state, t and the step count) after the stop are, bit for bit, those
 * before the last step that had a finite loss, i.e. those at the start
 * of the batch before the one whose loss was not finite.  With momentum
 * SGD and Adam, whose state the transaction swaps too. */
START_TEST(test_nan_restores_exactly)
{
    static const struct { nn_opt_kind kind; double lr, momentum; int fold; } cases[] = {
        {NN_OPT_SGD, 1e6, 0.9, 0}, {NN_OPT_ADAM, 1e18, 0, 0}, {NN_OPT_SGD, 1e6, 0, 0},
        {NN_OPT_SGD, 1e6, 0, 1},   /* SGD folded into backward */
    };
    nn_opt_kind kind = cases[_i].kind;
    nn_dataset ds;
    xor_data(&ds, 8);
    for (int i = 0; i < ds.n; i++)
        ds.y[i] = ds.y[i] * 1e3f;
    ds.nclasses = 0;
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_model *m = xor_model(4, NN_ACT_RELU, NN_INIT_GLOROT_UNIFORM, kind, 1, 1);
    m->cc.loss[0].kind = NN_LOSS_MSE;
    m->cc.nmetrics = 0;
    m->nodes[2].act = m->nodes[2].dense.activation = NN_ACT_LINEAR;
    m->cc.opt.learning_rate = cases[_i].lr;
    m->cc.opt.momentum = cases[_i].momentum;
    ck_assert_int_eq(nn_model_compile(m, &m->cc, &e), NN_OK);
    static seen_state seen;
    memset(&seen, 0, sizeof seen);
    nn_fit_opts o;
    nn_fit_defaults(&o);
    o.epochs = 50;
    o.batch_size = 4;
    o.hooks.ctx = &seen;
    o.hooks.batch_begin = keep_state;
    o.hooks.keep_grads = cases[_i].fold ? keep_none : NULL;
    nn_fit_result res;
    ck_assert_int_eq(nn_fit(m, &ds, &o, NULL, &r, &res, &e), NN_OK);
    ck_assert_int_eq(res.stop, NN_STOP_NAN);
    ck_assert_msg(seen.calls >= 2, "%s: the loss was not finite at the first "
                  "batch; the test needs a good step first", nn_opt_names[kind]);
    int before = (seen.calls - 2) % 2;   /* the start of the last good batch */
    ck_assert_msg(memcmp(m->params, seen.w[before], seen.n * sizeof(float)) == 0,
                  "%s: restored weights differ from those before the last good step",
                  nn_opt_names[kind]);
    if (m->opt.m)
        ck_assert_msg(memcmp(m->opt.m, seen.m[before], seen.n * sizeof(float)) == 0,
                      "%s: optimizer m not restored", nn_opt_names[kind]);
    if (m->opt.v)
        ck_assert_msg(memcmp(m->opt.v, seen.v[before], seen.n * sizeof(float)) == 0,
                      "%s: optimizer v not restored", nn_opt_names[kind]);
    ck_assert_int_eq(m->opt.t, seen.t[before]);
    ck_assert_int_eq(m->steps, seen.steps[before]);
    for (size_t j = 0; j < m->nparams; j++)
        ck_assert_msg(isfinite(m->params[j]), "parameter %zu is %g", j, m->params[j]);
    nn_model_free(m);
    nn_dataset_free(&ds);
}
END_TEST

/* The transactional step (terminate_on_nan, the default) and the plain
 * in-place step train the same weights bit for bit, a frozen first layer
 * included (it stays as it was). */
START_TEST(test_transaction_same_as_in_place)
{
    nn_dataset ds;
    xor_data(&ds, 4);
    nn_model *a = xor_model(6, NN_ACT_TANH, NN_INIT_GLOROT_UNIFORM, _i ? NN_OPT_ADAM : NN_OPT_SGD, 0.1, 9);
    nn_model *b = xor_model(6, NN_ACT_TANH, NN_INIT_GLOROT_UNIFORM, _i ? NN_OPT_ADAM : NN_OPT_SGD, 0.1, 9);
    a->nodes[1].dense.trainable = b->nodes[1].dense.trainable = 0;
    float frozen[2 * 6 + 6];
    memcpy(frozen, a->params + a->nodes[1].w_off, sizeof frozen);
    nn_fit_opts o;
    nn_fit_defaults(&o);
    o.epochs = 7;
    o.batch_size = 3;
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 2);
    ck_assert_int_eq(nn_fit(a, &ds, &o, NULL, &r, NULL, &e), NN_OK);
    o.terminate_on_nan = 0;
    nn_rng_seed(&r, 2);
    ck_assert_int_eq(nn_fit(b, &ds, &o, NULL, &r, NULL, &e), NN_OK);
    ck_assert_msg(memcmp(a->params, b->params, a->nparams * sizeof(float)) == 0,
                  "transactional and in-place steps trained different weights");
    if (a->opt.m)
        ck_assert_msg(memcmp(a->opt.m, b->opt.m, a->nparams * sizeof(float)) == 0,
                      "optimizer state differs");
    ck_assert_msg(memcmp(a->params + a->nodes[1].w_off, frozen, sizeof frozen) == 0,
                  "the frozen layer moved");
    ck_assert_msg(memcmp(a->params + a->nodes[2].w_off, b->params + b->nodes[2].w_off,
                         7 * sizeof(float)) == 0 && a->params[a->nodes[2].w_off] !=
                  0, "output layer");
    ck_assert_int_eq(a->steps, b->steps);
    nn_model_free(a);
    nn_model_free(b);
    nn_dataset_free(&ds);
}
END_TEST

/* Counts the steps whose gradients were not written (folded). */
static int count_folds(void *ctx, nn_model *m, int epoch, int batch, int nb,
                       const nn_logs *l)
{
    (void)epoch, (void)batch, (void)nb, (void)l;
    *(int *)ctx += m->grads_step != m->steps;
    return 0;
}

/* Plain SGD folded into backward (keep_grads says no) trains the same
 * weights as backward then the update, up to rounding (sgemm rounds
 * -lr x^T dz + W once), a frozen layer bit for bit unchanged, with and
 * without the transaction; the gradients after fit are the last batch's
 * (that step keeps them).  Momentum SGD and Adam never fold: bit for bit
 * the same with the hook.  Cases: relu with bias, tanh with the first
 * layer frozen, each with and without TerminateOnNaN; momentum; adam. */
START_TEST(test_fold_matches_update)
{
    static const struct { nn_act act; int frozen, tx; nn_opt_kind kind;
                          double momentum; } cases[] = {
        {NN_ACT_RELU, 0, 1, NN_OPT_SGD, 0}, {NN_ACT_RELU, 0, 0, NN_OPT_SGD, 0},
        {NN_ACT_TANH, 1, 1, NN_OPT_SGD, 0}, {NN_ACT_TANH, 1, 0, NN_OPT_SGD, 0},
        {NN_ACT_RELU, 0, 1, NN_OPT_SGD, 0.9}, {NN_ACT_RELU, 0, 1, NN_OPT_ADAM, 0},
    };
    int fold = cases[_i].kind == NN_OPT_SGD && cases[_i].momentum == 0;
    nn_dataset ds;
    xor_data(&ds, 5);
    nn_model *m[2];
    for (int k = 0; k < 2; k++) {
        m[k] = xor_model(16, cases[_i].act, NN_INIT_GLOROT_UNIFORM, cases[_i].kind,
                         0.1, 3);
        m[k]->cc.opt.momentum = cases[_i].momentum;
        nn_err e;
        ck_assert_int_eq(nn_model_compile(m[k], &m[k]->cc, &e), NN_OK);
        m[k]->nodes[1].dense.trainable = !cases[_i].frozen;
    }
    float first[2 * 16 + 16];
    memcpy(first, m[0]->params + m[0]->nodes[1].w_off, sizeof first);
    int folds[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        nn_fit_opts o;
        nn_fit_defaults(&o);
        o.epochs = 30;
        o.batch_size = 3;              /* 7 batches, the last of 2 rows */
        o.terminate_on_nan = cases[_i].tx;
        o.hooks.ctx = &folds[k];
        o.hooks.batch_end = count_folds;
        o.hooks.keep_grads = k ? keep_none : NULL;
        nn_err e;
        nn_rng r;
        nn_rng_seed(&r, 4);
        ck_assert_msg(nn_fit(m[k], &ds, &o, NULL, &r, NULL, &e) == NN_OK, "%s", e.msg);
    }
    ck_assert_int_eq(folds[0], 0);
    ck_assert_int_eq(folds[1], fold ? 30 * 6 : 0);   /* all but each epoch's last */
    ck_assert_int_eq(m[1]->steps, 30 * 7);
    ck_assert_int_eq(m[1]->grads_step, m[1]->steps);
    ck_assert_int_eq(m[1]->opt.t, m[0]->opt.t);
    double worst = 0, gworst = 0;
    for (size_t j = 0; j < m[0]->nparams; j++) {
        double a = m[0]->params[j], b = m[1]->params[j];
        double d = fabs(a - b) / (fabs(a) + 1e-3);
        worst = d > worst ? d : worst;
        a = m[0]->grads[j], b = m[1]->grads[j];
        d = fabs(a - b) / (fabs(a) + 1e-3);
        gworst = d > gworst ? d : gworst;
    }
    if (fold) {
        ck_assert_msg(worst < 1e-4, "case %d: folded weights differ by %g", _i, worst);
        ck_assert_msg(gworst < 1e-3, "case %d: last gradients differ by %g", _i, gworst);
        ck_assert_msg(memcmp(m[0]->params, m[1]->params, m[0]->nparams *
                             sizeof(float)) != 0 || cases[_i].frozen,
                      "case %d: no rounding difference at all: did it fold?", _i);
    } else {
        ck_assert_msg(memcmp(m[0]->params, m[1]->params, m[0]->nparams *
                             sizeof(float)) == 0, "case %d: not bit-identical", _i);
    }
    if (cases[_i].frozen)
        ck_assert_msg(memcmp(m[1]->params + m[1]->nodes[1].w_off, first,
                             sizeof first) == 0, "the frozen layer moved");
    nn_model_free(m[0]);
    nn_model_free(m[1]);
    nn_dataset_free(&ds);
}
END_TEST

static int stop_after(void *ctx, nn_model *m, int epoch, int batch, int nb,
                      const nn_logs *l)
{
    int *count = ctx;
    return ++*count >= 5;
}

START_TEST(test_interrupt_and_hooks)
{
    nn_dataset ds;
    xor_data(&ds, 8);
    nn_model *m = xor_model(4, NN_ACT_TANH, NN_INIT_GLOROT_UNIFORM, NN_OPT_SGD, 0.1, 1);
    nn_fit_opts o;
    nn_fit_defaults(&o);
    o.epochs = 10;
    o.batch_size = 4;
    volatile sig_atomic_t flag = 1;
    o.interrupt = &flag;
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_err e;
    nn_fit_result res;
    nn_history h;
    nn_history_init(&h);
    ck_assert_int_eq(nn_fit(m, &ds, &o, &h, &r, &res, &e), NN_OK);
    ck_assert_int_eq(res.stop, NN_STOP_INTERRUPT);
    ck_assert_int_eq(res.epochs_run, 0);
    ck_assert_int_eq(m->steps, 0);
    flag = 0;
    int count = 0;
    o.hooks.ctx = &count;
    o.hooks.batch_end = stop_after;
    ck_assert_int_eq(nn_fit(m, &ds, &o, &h, &r, &res, &e), NN_OK);
    ck_assert_int_eq(res.stop, NN_STOP_HOOK);
    ck_assert_int_eq(m->steps, 5);   /* 8 batches an epoch: stops in epoch 1 */
    ck_assert_int_eq(res.epochs_run, 1);
    ck_assert_int_eq(h.nepochs, 1);
    nn_history_free(&h);
    nn_model_free(m);
    nn_dataset_free(&ds);
}
END_TEST

/* Data that does not fit the model or its loss is refused. */
START_TEST(test_data_checks)
{
    nn_dataset ds;
    xor_data(&ds, 1);
    nn_model *m = xor_model(4, NN_ACT_TANH, NN_INIT_GLOROT_UNIFORM, NN_OPT_SGD, 0.1, 1);
    nn_err e;
    ck_assert_int_eq(nn_check_data(m, &ds, &e), NN_OK);
    ds.y[0] = 2;   /* not in [0, 1] for binary cross-entropy */
    ck_assert_int_eq(nn_check_data(m, &ds, &e), NN_FAIL);
    ds.y[0] = 0;
    ds.nclasses = 3;
    ck_assert_int_eq(nn_check_data(m, &ds, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "sparse_categorical_crossentropy"), "%s", e.msg);
    ds.nclasses = 2;
    ds.d = 3;
    ck_assert_int_eq(nn_check_data(m, &ds, &e), NN_FAIL);
    ds.d = 2;
    m->compiled = 0;
    nn_fit_opts o;
    nn_fit_defaults(&o);
    nn_rng r;
    nn_rng_seed(&r, 1);
    ck_assert_int_eq(nn_fit(m, &ds, &o, NULL, &r, NULL, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "compile"), "%s", e.msg);
    nn_model_free(m);
    nn_dataset_free(&ds);
}
END_TEST

Suite *suite_fit(void)
{
    Suite *s = suite_create("fit");
    TCase *tc = tcase_create("fit");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_xor_learns);
    tcase_add_test(tc, test_same_seed_same_weights);
    tcase_add_test(tc, test_zero_init_symmetry);
    tcase_add_test(tc, test_validation_split_last);
    tcase_add_test(tc, test_class_times_sample_weight);
    tcase_add_test(tc, test_sgd_step_and_log);
    tcase_add_test(tc, test_nan_stops);
    tcase_add_loop_test(tc, test_nan_restores_exactly, 0, 4);
    tcase_add_loop_test(tc, test_fold_matches_update, 0, 6);
    tcase_add_loop_test(tc, test_transaction_same_as_in_place, 0, 2);
    tcase_add_test(tc, test_interrupt_and_hooks);
    tcase_add_test(tc, test_data_checks);
    suite_add_tcase(s, tc);
    return s;
}
