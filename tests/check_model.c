/* check_model.c - the graph: building, names, counts, and backprop of
 * every layer, activation and loss against finite differences. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_util.h"
#include "gradcheck.h"
#include "mat.h"
#include "fit.h"
#include "model.h"
#include "save.h"

/* Random inputs (rows, d) and targets fitting the loss. */
static void make_xy(nn_rng *r, float *x, float *y, int rows, int d, int k,
                    nn_loss_kind lk)
{
    for (int i = 0; i < rows * d; i++)
        x[i] = (float)nn_rng_range(r, -1, 1);
    for (int i = 0; i < rows; i++) {
        int c = (int)nn_rng_below(r, (uint32_t)k);
        for (int j = 0; j < k; j++) {
            float *t = &y[i * k + j];
            switch (lk) {
            case NN_LOSS_SCCE: y[i] = (float)c; break;
            case NN_LOSS_CCE:
            case NN_LOSS_KLD:
            case NN_LOSS_CATEGORICAL_FOCAL:
            case NN_LOSS_CATEGORICAL_HINGE: *t = j == c ? 1.0f : 0.0f; break;
            case NN_LOSS_BCE:
            case NN_LOSS_BINARY_FOCAL: *t = (float)nn_rng_uniform(r); break;
            case NN_LOSS_POISSON:
            case NN_LOSS_MSLE: *t = (float)nn_rng_range(r, 0, 3); break;
            case NN_LOSS_HINGE:
            case NN_LOSS_SQUARED_HINGE: *t = (float)nn_rng_below(r, 2); break;
            default: *t = (float)nn_rng_range(r, -2, 2); break;
            }
        }
    }
}

/* input d -> dense h (hidden act) -> dense k (out act), compiled with lk. */
static nn_model *mlp(int d, int h, int k, nn_act hidden, nn_act out,
                     nn_loss_kind lk, int from_logits, nn_rng *r)
{
    nn_err e;
    nn_model *m = nn_model_new(NULL, 1, &e);
    int shape[1] = {d};
    int i = nn_model_add_input(m, shape, 1, NULL, &e);
    nn_dense_cfg c;
    nn_dense_defaults(&c, h);
    c.activation = hidden;
    c.bias_initializer = NN_INIT_RANDOM_NORMAL;  /* non-zero bias gradients */
    i = nn_model_add_dense(m, i, &c, NULL, r, &e);
    nn_dense_defaults(&c, k);
    c.activation = out;
    c.bias_initializer = NN_INIT_RANDOM_NORMAL;
    nn_model_add_dense(m, i, &c, NULL, r, &e);
    nn_compile_cfg cc;
    nn_compile_defaults(&cc);
    cc.loss[0].kind = lk;
    cc.loss[0].from_logits = from_logits;
    ck_assert_msg(nn_model_compile(m, &cc, &e) == NN_OK, "compile: %s", e.msg);
    return m;
}

/* x: rows of the first input's size (one input), or of d values for a
 * model whose inputs read columns (d > 0). */
static void assert_gradcheck_d(nn_model *m, const float *x, int d, const float *y,
                               int rows, double tol, const char *what)
{
    ck_assert_gradcheck(m, x, d, y, rows, tol, what);
}

static void assert_gradcheck(nn_model *m, const float *x, const float *y,
                             int rows, double tol, const char *what)
{
    assert_gradcheck_d(m, x, 0, y, rows, tol, what);
}

/* Every activation as the hidden layer, under mse. */
START_TEST(test_grad_activations)
{
    /* relu-like kinks are checked too: the seeds keep every
     * pre-activation further than the step from a kink */
    nn_act a = (nn_act)_i;
    nn_rng r;
    /* Keras 3's newer ones from another run of seeds: the one kept is
     * where float rounding of the loss (about 1e-4 in the difference
     * quotient) stays below the tolerance on every weight */
    nn_rng_seed(&r, (a >= NN_ACT_CELU ? 1000 : 7) + (uint64_t)_i);
    float x[5 * 3], y[5 * 2];
    make_xy(&r, x, y, 5, 3, 2, NN_LOSS_MSE);
    nn_model *m;
    if (a == NN_ACT_GLU) {
        /* glu halves the width: a layer of its own after a linear dense 4,
         * so the next layer sees 2 values */
        nn_err e;
        m = mlp(3, 4, 2, NN_ACT_LINEAR, NN_ACT_LINEAR, NN_LOSS_MSE, 0, &r);
        nn_model_pop(m, &e);
        int g = nn_model_add_activation(m, 1, NN_ACT_GLU, NULL, &e);
        ck_assert_msg(g == 2 && m->nodes[g].size == 2, "glu: %s", e.msg);
        nn_dense_cfg c;
        nn_dense_defaults(&c, 2);
        c.bias_initializer = NN_INIT_RANDOM_NORMAL;
        ck_assert_int_eq(nn_model_add_dense(m, g, &c, NULL, &r, &e), 3);
        nn_compile_cfg cc;
        nn_compile_defaults(&cc);
        ck_assert_int_eq(nn_model_compile(m, &cc, &e), NN_OK);
    } else
        m = mlp(3, 4, 2, a, NN_ACT_LINEAR, NN_LOSS_MSE, 0, &r);
    assert_gradcheck(m, x, y, 5, 2e-2, nn_act_names[a]);
    nn_model_free(m);
}
END_TEST

/* Each row-wise activation as a layer of its own before the output (its
 * Jacobian through backprop), under mse. */
START_TEST(test_grad_row_activations)
{
    static const nn_act rw[] = { NN_ACT_LOG_SOFTMAX, NN_ACT_SPARSEMAX, NN_ACT_SOFTMAX };
    nn_rng r;
    nn_rng_seed(&r, 31 + (uint64_t)_i);
    float x[5 * 3], y[5 * 3];
    make_xy(&r, x, y, 5, 3, 3, NN_LOSS_MSE);
    nn_model *m = mlp(3, 4, 3, NN_ACT_TANH, NN_ACT_LINEAR, NN_LOSS_MSE, 0, &r);
    nn_err e;
    ck_assert_int_eq(nn_model_add_activation(m, 2, rw[_i], NULL, &e), 3);
    nn_compile_cfg cc;
    nn_compile_defaults(&cc);
    ck_assert_int_eq(nn_model_compile(m, &cc, &e), NN_OK);
    assert_gradcheck(m, x, y, 5, 2e-2, nn_act_names[rw[_i]]);
    nn_model_free(m);
}
END_TEST

/* Every loss with its usual output activation, and from_logits. */
static const struct {
    nn_loss_kind loss;
    nn_act out;
    int from_logits;
    int k;
} loss_cases[] = {
    {NN_LOSS_MSE, NN_ACT_LINEAR, 0, 2},
    {NN_LOSS_MAE, NN_ACT_LINEAR, 0, 2},
    {NN_LOSS_HUBER, NN_ACT_LINEAR, 0, 2},
    {NN_LOSS_BCE, NN_ACT_SIGMOID, 0, 1},     /* fused */
    {NN_LOSS_BCE, NN_ACT_SIGMOID, 0, 3},
    {NN_LOSS_BCE, NN_ACT_LINEAR, 1, 2},
    {NN_LOSS_CCE, NN_ACT_SOFTMAX, 0, 3},     /* fused */
    {NN_LOSS_CCE, NN_ACT_LINEAR, 1, 3},
    {NN_LOSS_SCCE, NN_ACT_SOFTMAX, 0, 4},    /* fused */
    {NN_LOSS_SCCE, NN_ACT_LINEAR, 1, 4},
    {NN_LOSS_MSE, NN_ACT_SOFTMAX, 0, 3},     /* softmax Jacobian, unfused */
    /* Keras 3's others */
    {NN_LOSS_KLD, NN_ACT_SOFTMAX, 0, 3},
    {NN_LOSS_POISSON, NN_ACT_SOFTPLUS, 0, 2},
    {NN_LOSS_LOG_COSH, NN_ACT_LINEAR, 0, 2},
    {NN_LOSS_HINGE, NN_ACT_TANH, 0, 2},
    {NN_LOSS_SQUARED_HINGE, NN_ACT_TANH, 0, 2},
    {NN_LOSS_CATEGORICAL_HINGE, NN_ACT_SOFTMAX, 0, 3},
    {NN_LOSS_COSINE, NN_ACT_LINEAR, 0, 3},
    {NN_LOSS_BINARY_FOCAL, NN_ACT_SIGMOID, 0, 2},
    {NN_LOSS_BINARY_FOCAL, NN_ACT_LINEAR, 1, 2},
    {NN_LOSS_CATEGORICAL_FOCAL, NN_ACT_SOFTMAX, 0, 3},
    {NN_LOSS_CATEGORICAL_FOCAL, NN_ACT_LINEAR, 1, 3},
    {NN_LOSS_MAPE, NN_ACT_LINEAR, 0, 2},
    {NN_LOSS_MSLE, NN_ACT_SOFTPLUS, 0, 2},
};

START_TEST(test_grad_losses)
{
    nn_rng r;
    nn_rng_seed(&r, 100 + (uint64_t)_i);
    int k = loss_cases[_i].k;
    float x[6 * 3], y[6 * 4];
    make_xy(&r, x, y, 6, 3, k, loss_cases[_i].loss);
    nn_model *m = mlp(3, 5, k, NN_ACT_TANH, loss_cases[_i].out,
                      loss_cases[_i].loss, loss_cases[_i].from_logits, &r);
    char what[96];
    snprintf(what, sizeof what, "%s out=%s from_logits=%d k=%d",
             nn_loss_names[loss_cases[_i].loss], nn_act_names[loss_cases[_i].out],
             loss_cases[_i].from_logits, k);
    assert_gradcheck(m, x, y, 6, 2e-2, what);
    nn_model_free(m);
}
END_TEST

/* Wide & Deep with two inputs reading columns of one data set (Keras:
 * fit((X[:, 0:2], X[:, 1:3]), y)): A = columns 0:2 -> dense hA (tanh);
 * concat(hA, B = columns 1:3) -> dense out (softmax).  Backprop matches
 * finite differences; forward_data gives what forward gives on the
 * columns cut by hand; fit learns; the file keeps the columns (version
 * 2; a model of one input stays version 1) and predicts the same. */
static nn_model *two_inputs(nn_rng *r)
{
    nn_err e;
    nn_model *m = nn_model_new("wd", 0, &e);
    int shape[1] = {2};
    int a = nn_model_add_input(m, shape, 1, "wide", &e);
    int b = nn_model_add_input(m, shape, 1, "deep", &e);
    ck_assert_int_eq(nn_model_set_input_columns(m, a, 0, &e), NN_OK);
    ck_assert_int_eq(nn_model_set_input_columns(m, b, 1, &e), NN_OK);
    nn_dense_cfg c;
    nn_dense_defaults(&c, 4);
    c.activation = NN_ACT_TANH;
    c.bias_initializer = NN_INIT_RANDOM_NORMAL;
    int h = nn_model_add_dense(m, a, &c, "h", r, &e);
    int cat[2] = {h, b};
    int cc = nn_model_add_concat(m, cat, 2, NULL, &e);
    nn_dense_defaults(&c, 2);
    c.activation = NN_ACT_SOFTMAX;
    int o = nn_model_add_dense(m, cc, &c, "out", r, &e);
    ck_assert_int_eq(nn_model_set_outputs(m, &o, 1, &e), NN_OK);
    nn_compile_cfg cfg;
    nn_compile_defaults(&cfg);
    cfg.loss[0].kind = NN_LOSS_SCCE;
    nn_opt_defaults(&cfg.opt, NN_OPT_ADAM);
    cfg.opt.learning_rate = 0.05;
    ck_assert_int_eq(nn_model_compile(m, &cfg, &e), NN_OK);
    return m;
}

START_TEST(test_multi_input)
{
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 5);
    nn_model *m = two_inputs(&r);
    enum { ROWS = 6, D = 3 };
    float x[ROWS * D], y[ROWS];
    make_xy(&r, x, y, ROWS, D, 2, NN_LOSS_SCCE);
    assert_gradcheck_d(m, x, D, y, ROWS, 2e-2, "two inputs");
    /* forward_data == forward on the columns cut by hand */
    float wide[ROWS * 2], deep[ROWS * 2], p1[ROWS * 2], p2[ROWS * 2];
    for (int i = 0; i < ROWS; i++) {
        wide[2 * i] = x[D * i], wide[2 * i + 1] = x[D * i + 1];
        deep[2 * i] = x[D * i + 1], deep[2 * i + 1] = x[D * i + 2];
    }
    const float *xs[2] = {wide, deep};
    int on = nn_model_output(m);
    ck_assert_int_eq(nn_model_forward(m, xs, ROWS, 0, &e), NN_OK);
    memcpy(p1, m->nodes[on].a, sizeof p1);
    ck_assert_int_eq(nn_model_predict(m, x, D, ROWS, p2, &e), NN_OK);
    ck_assert(memcmp(p1, p2, sizeof p1) == 0);
    /* columns that do not fit the data, and an input without columns */
    ck_assert_int_eq(nn_model_check_columns(m, D, &e), NN_OK);
    ck_assert_int_eq(nn_model_check_columns(m, 2, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "input 'deep' reads columns 1:3 but the data has 2"),
                  "%s", e.msg);
    ck_assert_int_eq(nn_model_predict(m, x, 2, ROWS, p2, &e), NN_FAIL);
    m->nodes[1].col_from = 0;
    ck_assert_int_eq(nn_model_check_columns(m, D, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "the model has 2 inputs") && strstr(e.msg, "'deep'"),
                  "%s", e.msg);
    m->nodes[1].col_from = 2;
    ck_assert_int_eq(nn_model_set_input_columns(m, 2, 0, &e), NN_FAIL);  /* a Dense */
    nn_model *sq = mlp(3, 4, 2, NN_ACT_RELU, NN_ACT_SOFTMAX, NN_LOSS_SCCE, 0, &r);
    int o2 = 1;
    ck_assert_int_eq(nn_model_set_outputs(sq, &o2, 1, &e), NN_FAIL);   /* Sequential */
    nn_model_free(sq);
    ck_assert_int_eq(nn_model_set_input_columns(m, 0, -1, &e), NN_FAIL);
    /* fit on OR of the first and last column: each in another input */
    nn_dataset ds;
    ck_assert_int_eq(nn_dataset_alloc(&ds, 200, D, 1, &e), NN_OK);
    for (int i = 0; i < ds.n; i++) {
        int u = i & 1, v = (i >> 1) & 1;
        ds.x[D * i] = (float)u;
        ds.x[D * i + 1] = (float)nn_rng_range(&r, -0.1, 0.1);
        ds.x[D * i + 2] = (float)v;
        ds.y[i] = (float)(u | v);
    }
    ds.nclasses = 2;
    nn_fit_opts o;
    nn_fit_defaults(&o);
    o.epochs = 60;
    o.batch_size = 20;
    nn_history h;
    nn_history_init(&h);
    ck_assert_msg(nn_fit(m, &ds, &o, &h, &r, NULL, &e) == NN_OK, "%s", e.msg);
    int lk = nn_history_key(&h, "loss");
    double first = nn_history_at(&h, 0, lk), last = nn_history_at(&h, h.nepochs - 1, lk);
    ck_assert_msg(last < 0.3 * first, "loss %g -> %g", first, last);
    nn_history_free(&h);
    /* the file keeps the columns */
    const char *path = "check_model_two_inputs.nnlab";
    ck_assert_msg(nn_model_save(m, NULL, path, &e) == NN_OK, "%s", e.msg);
    FILE *f = fopen(path, "rb");
    unsigned char head[12];
    ck_assert(f && fread(head, 1, 12, f) == 12);
    fclose(f);
    ck_assert_int_eq(head[8], 2);
    nn_model *l = nn_model_load(path, NULL, &e);
    ck_assert_msg(l != NULL, "%s", e.msg);
    ck_assert_int_eq(l->nodes[0].col_from, 1);
    ck_assert_int_eq(l->nodes[1].col_from, 2);
    ck_assert_int_eq(nn_model_predict(m, x, D, ROWS, p1, &e), NN_OK);
    ck_assert_int_eq(nn_model_predict(l, x, D, ROWS, p2, &e), NN_OK);
    ck_assert(memcmp(p1, p2, sizeof p1) == 0);
    nn_model_free(l);
    nn_model *one = mlp(3, 4, 2, NN_ACT_RELU, NN_ACT_SOFTMAX, NN_LOSS_SCCE, 0, &r);
    ck_assert_int_eq(nn_model_save(one, NULL, path, &e), NN_OK);
    f = fopen(path, "rb");
    ck_assert(f && fread(head, 1, 12, f) == 12);
    fclose(f);
    ck_assert_int_eq(head[8], 1);
    remove(path);
    nn_model_free(one);
    nn_dataset_free(&ds);
    nn_model_free(m);
}
END_TEST

/* Two outputs (the book's auxiliary output): out on concat(x, h) and aux
 * on h, mse each, loss_weights 0.9 and 0.1.  Backprop of the weighted
 * total matches finite differences; evaluate's "loss" is 0.9 out_loss +
 * 0.1 aux_loss, each output's loss is its own mse computed by hand, and
 * the metric of each output is its own; fit trains both. */
START_TEST(test_multi_output)
{
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 8);
    nn_model *m = nn_model_new("aux", 0, &e);
    int shape[1] = {3};
    int x = nn_model_add_input(m, shape, 1, "x", &e);
    nn_dense_cfg c;
    nn_dense_defaults(&c, 5);
    c.activation = NN_ACT_TANH;
    c.bias_initializer = NN_INIT_RANDOM_NORMAL;
    int h = nn_model_add_dense(m, x, &c, "h", &r, &e);
    int cat[2] = {x, h};
    int cc = nn_model_add_concat(m, cat, 2, NULL, &e);
    nn_dense_defaults(&c, 1);
    int out = nn_model_add_dense(m, cc, &c, "out", &r, &e);
    int aux = nn_model_add_dense(m, h, &c, "aux", &r, &e);
    int outs[2] = {out, aux};
    ck_assert_int_eq(nn_model_set_outputs(m, outs, 2, &e), NN_OK);
    nn_compile_cfg cfg;
    nn_compile_defaults(&cfg);
    cfg.loss[0].kind = cfg.loss[1].kind = NN_LOSS_MSE;
    cfg.loss_weights[0] = 0.9;
    cfg.loss_weights[1] = 0.1;
    cfg.nmetrics = 1;
    cfg.metrics[0] = NN_MET_MAE;
    nn_opt_defaults(&cfg.opt, NN_OPT_SGD);
    cfg.opt.learning_rate = 0.05;
    ck_assert_int_eq(nn_model_compile(m, &cfg, &e), NN_OK);
    nn_dataset ds;
    enum { N = 64 };
    ck_assert_int_eq(nn_dataset_alloc(&ds, N, 3, 1, &e), NN_OK);
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < 3; j++)
            ds.x[3 * i + j] = (float)nn_rng_range(&r, -1, 1);
        ds.y[i] = ds.x[3 * i] - 0.5f * ds.x[3 * i + 2];
    }
    assert_gradcheck_d(m, ds.x, 3, ds.y, 6, 2e-2, "two outputs");
    nn_logs l;
    ck_assert_int_eq(nn_evaluate(m, &ds, 32, &l, &e), NN_OK);
    double sse[2] = {0, 0}, sae[2] = {0, 0};
    ck_assert_int_eq(nn_model_forward_data(m, ds.x, 3, N, 0, &e), NN_OK);
    for (int i = 0; i < N; i++)
        for (int k = 0; k < 2; k++) {
            double d = m->nodes[outs[k]].a[i] - ds.y[i];
            sse[k] += d * d;
            sae[k] += fabs(d);
        }
    double lo = nn_logs_get(&l, "out_loss"), la = nn_logs_get(&l, "aux_loss");
    ck_assert_double_eq_tol(lo, sse[0] / N, 1e-5);
    ck_assert_double_eq_tol(la, sse[1] / N, 1e-5);
    ck_assert_double_eq_tol(nn_logs_get(&l, "loss"), 0.9 * lo + 0.1 * la, 1e-5);
    ck_assert_double_eq_tol(nn_logs_get(&l, "out_mae"), sae[0] / N, 1e-5);
    ck_assert_double_eq_tol(nn_logs_get(&l, "aux_mae"), sae[1] / N, 1e-5);
    ck_assert(isnan(nn_logs_get(&l, "mae")));      /* only per output */
    nn_fit_opts o;
    nn_fit_defaults(&o);
    o.epochs = 40;
    o.batch_size = 8;
    ck_assert_msg(nn_fit(m, &ds, &o, NULL, &r, NULL, &e) == NN_OK, "%s", e.msg);
    nn_logs l2;
    ck_assert_int_eq(nn_evaluate(m, &ds, 32, &l2, &e), NN_OK);
    ck_assert_msg(nn_logs_get(&l2, "out_loss") < 0.2 * lo &&
                  nn_logs_get(&l2, "aux_loss") < 0.5 * la, "out %g -> %g, aux %g -> %g",
                  lo, nn_logs_get(&l2, "out_loss"), la, nn_logs_get(&l2, "aux_loss"));
    /* the file keeps both outputs and the weights of their losses */
    const char *path = "check_model_two_outputs.nnlab";
    ck_assert_int_eq(nn_model_save(m, NULL, path, &e), NN_OK);
    nn_model *back = nn_model_load(path, NULL, &e);
    ck_assert_msg(back != NULL, "%s", e.msg);
    ck_assert_int_eq(back->nout, 2);
    ck_assert(back->cc.loss_weights[0] == 0.9 && back->cc.loss_weights[1] == 0.1);
    nn_logs l3;
    ck_assert_int_eq(nn_evaluate(back, &ds, 32, &l3, &e), NN_OK);
    ck_assert(nn_logs_get(&l3, "loss") == nn_logs_get(&l2, "loss"));
    remove(path);
    nn_model_free(back);
    nn_dataset_free(&ds);
    nn_model_free(m);
}
END_TEST

/* A branching graph: x -> h -> (a, b) -> concat -> out, plus an
 * Activation node: gradients from both branches must add up in h. */
START_TEST(test_grad_graph)
{
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 3);
    nn_model *m = nn_model_new(NULL, 0, &e);
    int shape[1] = {3};
    int in = nn_model_add_input(m, shape, 1, "x", &e);
    nn_dense_cfg c;
    nn_dense_defaults(&c, 4);
    c.activation = NN_ACT_TANH;
    int h = nn_model_add_dense(m, in, &c, "h", &r, &e);
    nn_dense_defaults(&c, 3);
    int a = nn_model_add_dense(m, h, &c, "a", &r, &e);
    int act = nn_model_add_activation(m, a, NN_ACT_SIGMOID, NULL, &e);
    c.activation = NN_ACT_ELU;
    int b = nn_model_add_dense(m, h, &c, "b", &r, &e);
    int cat[3] = {act, b, in};
    int cc_i = nn_model_add_concat(m, cat, 3, NULL, &e);
    ck_assert_int_ge(cc_i, 0);
    ck_assert_int_eq(m->nodes[cc_i].size, 9);
    nn_dense_defaults(&c, 2);
    int o = nn_model_add_dense(m, cc_i, &c, "out", &r, &e);
    ck_assert_int_eq(nn_model_set_outputs(m, &o, 1, &e), NN_OK);
    nn_compile_cfg cfg;
    nn_compile_defaults(&cfg);
    ck_assert_int_eq(nn_model_compile(m, &cfg, &e), NN_OK);
    float x[4 * 3], y[4 * 2];
    make_xy(&r, x, y, 4, 3, 2, NN_LOSS_MSE);
    assert_gradcheck(m, x, y, 4, 2e-2, "branching graph");
    nn_model_free(m);
}
END_TEST

/* The book's Fashion-MNIST MLP: names, shapes and 266,610 parameters. */
START_TEST(test_counts_and_names)
{
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_model *m = nn_model_new(NULL, 1, &e);
    ck_assert_str_eq(m->name, "sequential");
    int shape[2] = {28, 28};
    int i = nn_model_add_input(m, shape, 2, NULL, &e);
    i = nn_model_add_flatten(m, i, NULL, &e);
    ck_assert_int_eq(m->nodes[i].size, 784);
    nn_dense_cfg c;
    int units[3] = {300, 100, 10};
    for (int k = 0; k < 3; k++) {
        nn_dense_defaults(&c, units[k]);
        i = nn_model_add_dense(m, i, &c, NULL, &r, &e);
        ck_assert_int_ge(i, 0);
    }
    ck_assert_str_eq(m->nodes[2].name, "dense");
    ck_assert_str_eq(m->nodes[3].name, "dense_1");
    ck_assert_str_eq(m->nodes[4].name, "dense_2");
    size_t total, trainable;
    nn_model_count(m, &total, &trainable);
    ck_assert_uint_eq(total, 266610);
    ck_assert_uint_eq(trainable, 266610);
    ck_assert_uint_eq(m->nparams, 266610);
    ck_assert_uint_eq(nn_node_params(m, 2), 235500);
    char buf[64];
    nn_node_shape_str(&m->nodes[1], buf, sizeof buf);
    ck_assert_str_eq(buf, "(None, 784)");
    nn_node_shape_str(&m->nodes[0], buf, sizeof buf);
    ck_assert_str_eq(buf, "(None, 28, 28)");
    /* frozen layer */
    m->nodes[2].dense.trainable = 0;
    nn_model_count(m, &total, &trainable);
    ck_assert_uint_eq(trainable, 266610 - 235500);
    /* pop gives back the parameters */
    ck_assert_int_eq(nn_model_pop(m, &e), NN_OK);
    ck_assert_uint_eq(m->nparams, 266610 - 1010);
    ck_assert_int_eq(m->n, 4);
    nn_model_free(m);
}
END_TEST

/* Refusals leave the model as it was. */
START_TEST(test_refusals)
{
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_model *m = nn_model_new(NULL, 1, &e);
    nn_dense_cfg c;
    nn_dense_defaults(&c, 4);
    ck_assert_int_eq(nn_model_add_dense(m, -1, &c, NULL, &r, &e), NN_FAIL);
    int shape[2] = {28, 28};
    int i = nn_model_add_input(m, shape, 2, NULL, &e);
    ck_assert_int_eq(nn_model_add_input(m, shape, 2, NULL, &e), NN_FAIL);
    ck_assert_int_eq(nn_model_add_dense(m, i, &c, NULL, &r, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "flatten"), "hint names flatten: %s", e.msg);
    ck_assert_int_eq(m->n, 1);
    i = nn_model_add_flatten(m, i, NULL, &e);
    c.units = 0;
    ck_assert_int_eq(nn_model_add_dense(m, i, &c, NULL, &r, &e), NN_FAIL);
    c.units = 8;
    ck_assert_int_eq(nn_model_add_dense(m, i, &c, "flatten", &r, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "already"), "%s", e.msg);
    /* over the memory cap: refused before allocating */
    size_t cap = nn_memcap();
    nn_set_memcap((size_t)1 << 20);
    c.units = 100000;
    ck_assert_int_eq(nn_model_add_dense(m, i, &c, NULL, &r, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "memory cap"), "%s", e.msg);
    nn_set_memcap(cap);
    ck_assert_int_eq(m->n, 2);
    ck_assert_uint_eq(m->nparams, 0);
    /* compile needs a layer after the input; cce needs 2+ units */
    nn_compile_cfg cc;
    nn_compile_defaults(&cc);
    ck_assert_int_eq(nn_model_compile(m, &cc, &e), NN_FAIL);
    c.units = 1;
    nn_model_add_dense(m, i, &c, NULL, &r, &e);
    cc.loss[0].kind = NN_LOSS_SCCE;
    ck_assert_int_eq(nn_model_compile(m, &cc, &e), NN_FAIL);
    ck_assert_int_eq(m->compiled, 0);
    cc.loss[0].kind = NN_LOSS_MSE;
    cc.opt.learning_rate = -1;
    ck_assert_int_eq(nn_model_compile(m, &cc, &e), NN_FAIL);
    cc.opt.learning_rate = NAN;
    ck_assert_int_eq(nn_model_compile(m, &cc, &e), NN_FAIL);
    ck_assert_int_eq(m->compiled, 0);
    nn_model_free(m);
}
END_TEST

/* A clone predicts the same and is independent. */
START_TEST(test_clone)
{
    nn_rng r;
    nn_rng_seed(&r, 9);
    nn_err e;
    nn_model *m = mlp(3, 6, 2, NN_ACT_RELU, NN_ACT_SOFTMAX, NN_LOSS_SCCE, 0, &r);
    nn_model *c = nn_model_clone(m, &e);
    ck_assert_ptr_nonnull(c);
    float x[7 * 3], p1[7 * 2], p2[7 * 2];
    for (int i = 0; i < 21; i++)
        x[i] = (float)nn_rng_range(&r, -1, 1);
    ck_assert_int_eq(nn_model_predict(m, x, 3, 7, p1, &e), NN_OK);
    ck_assert_int_eq(nn_model_predict(c, x, 3, 7, p2, &e), NN_OK);
    ck_assert_mem_eq(p1, p2, sizeof p1);
    c->params[0] += 1.0f;
    ck_assert_int_eq(nn_model_predict(m, x, 3, 7, p2, &e), NN_OK);
    ck_assert_mem_eq(p1, p2, sizeof p1);
    for (int i = 0; i < 7; i++)
        ck_assert_float_eq_tol(p1[2 * i] + p1[2 * i + 1], 1.0f, 1e-6f);
    nn_model_free(c);
    nn_model_free(m);
}
END_TEST

/* Backward writes each gradient buffer (the first contribution
 * overwrites, later ones add) instead of zeroing then accumulating: a
 * layer used twice (shared weights), a frozen layer, a layer no output
 * depends on, and relu and linear dense layers.  Backprop still agrees
 * with finite differences; a second backward on garbage-filled buffers
 * gives the same gradients bit for bit; the frozen and the dangling
 * layers read zero. */
START_TEST(test_backward_overwrites)
{
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 21);
    nn_model *m = nn_model_new(NULL, 0, &e);
    int shape[1] = {3};
    int x = nn_model_add_input(m, shape, 1, "x", &e);
    nn_dense_cfg c;
    nn_dense_defaults(&c, 4);
    c.activation = NN_ACT_TANH;
    c.bias_initializer = NN_INIT_RANDOM_NORMAL;
    int h = nn_model_add_dense(m, x, &c, "h", &r, &e);
    c.activation = NN_ACT_RELU;
    int s1 = nn_model_add_dense(m, h, &c, "s1", &r, &e);
    c.activation = NN_ACT_SIGMOID;
    int s2 = nn_model_add_dense(m, s1, &c, "s2", &r, &e);
    nn_dense_defaults(&c, 3);
    int d = nn_model_add_dense(m, x, &c, "dangling", &r, &e);
    int cat[2] = {s2, h};
    int cc = nn_model_add_concat(m, cat, 2, NULL, &e);
    nn_dense_defaults(&c, 2);
    int o = nn_model_add_dense(m, cc, &c, "out", &r, &e);
    ck_assert_int_ge(o, 0);
    ck_assert_int_eq(nn_model_set_outputs(m, &o, 1, &e), NN_OK);
    m->nodes[s2].shared = s1;          /* s2 uses s1's weights */
    nn_compile_cfg cfg;
    nn_compile_defaults(&cfg);
    ck_assert_int_eq(nn_model_compile(m, &cfg, &e), NN_OK);
    float xs[5 * 3], ys[5 * 2];
    make_xy(&r, xs, ys, 5, 3, 2, NN_LOSS_MSE);
    assert_gradcheck(m, xs, ys, 5, 2e-2, "shared, dangling, relu");

    m->nodes[h].dense.trainable = 0;
    const float *xp = xs, *yp = ys;
    float *g1 = malloc(m->nparams * sizeof(float));
    for (int pass = 0; pass < 2; pass++) {
        for (size_t j = 0; j < m->nparams; j++)
            m->grads[j] = pass ? 7.0f : -3.0f;   /* must all be overwritten */
        for (int i = 0; i < m->n; i++)
            if (m->nodes[i].da)
                for (int k = 0; k < 5 * m->nodes[i].size; k++)
                    m->nodes[i].da[k] = 5.0f;
        ck_assert_int_eq(nn_model_forward(m, &xp, 5, 1, &e), NN_OK);
        nn_model_loss(m, &yp, NULL, NULL, 1);
        nn_model_backward(m);
        if (pass == 0)
            memcpy(g1, m->grads, m->nparams * sizeof(float));
    }
    ck_assert_msg(memcmp(g1, m->grads, m->nparams * sizeof(float)) == 0,
                  "a second backward gave other gradients");
    for (size_t j = 0; j < nn_node_params(m, h); j++)
        ck_assert_msg(m->grads[m->nodes[h].w_off + j] == 0.0f,
                      "frozen layer gradient %zu is %g", j,
                      (double)m->grads[m->nodes[h].w_off + j]);
    for (size_t j = 0; j < nn_node_params(m, d); j++)
        ck_assert_msg(m->grads[m->nodes[d].w_off + j] == 0.0f,
                      "dangling layer gradient %zu is %g", j,
                      (double)m->grads[m->nodes[d].w_off + j]);
    for (int k = 0; k < 5 * 3; k++)
        ck_assert_msg(m->nodes[d].da[k] == 0.0f, "dangling da is %g",
                      (double)m->nodes[d].da[k]);
    /* s1's kernel gradient adds up both uses: it is not either alone */
    const float *gs1 = m->grads + m->nodes[s1].w_off;
    float any = 0;
    for (int j = 0; j < 16; j++)
        any += fabsf(gs1[j]);
    ck_assert_msg(any > 0, "the shared kernel got no gradient");
    free(g1);
    nn_model_free(m);
}
END_TEST

/* Products large enough for mat.c to split them over threads: the
 * numbers are the same bit for bit with 1 thread, 2 threads and every
 * thread the machine has (the split depends on the shape alone), and
 * match the plain triple loop; every transpose combination, beta 0 and 1,
 * row and column blocks, widths that are not multiples of the block. */
START_TEST(test_split_products)
{
    static const int shapes[][5] = {   /* ta, tb, M, N, K */
        {0, 0, 32, 300, 200}, {1, 0, 300, 100, 40}, {0, 1, 37, 250, 120},
        {1, 1, 260, 45, 90}, {0, 0, 600, 700, 3},
    };
    nn_rng r;
    nn_rng_seed(&r, 5);
    int keep = nn_blas_threads_get();
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int ta = shapes[s][0], tb = shapes[s][1], M = shapes[s][2];
        int N = shapes[s][3], K = shapes[s][4];
        int lda = ta ? M : K, ldb = tb ? K : N;
        float *A = malloc((size_t)M * K * sizeof(float));
        float *B = malloc((size_t)K * N * sizeof(float));
        float *C[4];
        for (int i = 0; i < M * K; i++)
            A[i] = (float)nn_rng_range(&r, -1, 1);
        for (int i = 0; i < K * N; i++)
            B[i] = (float)nn_rng_range(&r, -1, 1);
        for (int beta = 0; beta < 2; beta++) {
            for (int k = 0; k < 4; k++) {
                C[k] = malloc((size_t)M * N * sizeof(float));
                for (int i = 0; i < M * N; i++)
                    C[k][i] = (float)(i % 13) * 0.25f;
            }
            const int threads[3] = {1, 2, nn_blas_threads_max()};
            for (int k = 0; k < 3; k++) {
                nn_blas_threads(threads[k]);
                nn_gemm(ta, tb, M, N, K, 0.5f, A, lda, B, ldb, (float)beta,
                        C[k], N);
            }
            nn_gemm_ref(ta, tb, M, N, K, 0.5f, A, lda, B, ldb, (float)beta, C[3], N);
            for (int k = 1; k < 3; k++)
                ck_assert_msg(memcmp(C[0], C[k], (size_t)M * N * sizeof(float)) == 0,
                              "%dx%dx%d ta %d tb %d beta %d: %d threads differ "
                              "from 1", M, N, K, ta, tb, beta, threads[k]);
            double worst = 0;
            for (int i = 0; i < M * N; i++)
                worst = fmax(worst, fabs((double)C[0][i] - C[3][i]));
            ck_assert_msg(worst < 1e-4, "%dx%dx%d ta %d tb %d beta %d: off by %g "
                          "from the triple loop", M, N, K, ta, tb, beta, worst);
            for (int k = 0; k < 4; k++)
                free(C[k]);
        }
        free(A);
        free(B);
    }
    nn_blas_threads(keep);
    ck_assert_int_eq(nn_blas_threads_get(), keep);
}
END_TEST

Suite *suite_model(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("model");
    tcase_add_loop_test(tc, test_grad_activations, 0, NN_ACT_COUNT);
    tcase_add_loop_test(tc, test_grad_row_activations, 0, 3);
    tcase_add_loop_test(tc, test_grad_losses, 0,
                        (int)(sizeof loss_cases / sizeof loss_cases[0]));
    tcase_add_test(tc, test_grad_graph);
    tcase_add_test(tc, test_multi_input);
    tcase_add_test(tc, test_multi_output);
    tcase_add_test(tc, test_counts_and_names);
    tcase_add_test(tc, test_refusals);
    tcase_add_test(tc, test_clone);
    tcase_add_test(tc, test_backward_overwrites);
    tcase_add_test(tc, test_split_products);
    suite_add_tcase(s, tc);
    return s;
}
