/* check_merge.c - the merging layers (add, subtract, multiply, average,
 * maximum, minimum) and shared layers (nn_model_add_call): forward values
 * against hand computation, backprop against finite differences, the
 * refusals, and a model file round trip. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check_util.h"
#include "gradcheck.h"
#include "model.h"
#include "save.h"

/* Two inputs of 3 columns each, merged straight: the output is the merge. */
START_TEST(test_forward_values)
{
    static const nn_node_kind kinds[] = {NN_NODE_ADD, NN_NODE_SUBTRACT, NN_NODE_MULTIPLY,
                                         NN_NODE_AVERAGE, NN_NODE_MAXIMUM,
                                         NN_NODE_MINIMUM};
    /* rows (x1 | x2): a = [1, -2, 3], b = [4, 5, -6] */
    const float x[2 * 6] = {1, -2, 3, 4, 5, -6, 0.5f, 0.5f, -1, 0.5f, -0.25f, 2};
    const float want[6][6] = {
        {5, 3, -3, 1, 0.25f, 1},           /* a + b */
        {-3, -7, 9, 0, 0.75f, -3},         /* a - b */
        {4, -10, -18, 0.25f, -0.125f, -2}, /* a * b */
        {2.5f, 1.5f, -1.5f, 0.5f, 0.125f, 0.5f},
        {4, 5, 3, 0.5f, 0.5f, 2},
        {1, -2, -6, 0.5f, -0.25f, -1},
    };
    for (int k = 0; k < 6; k++) {
        nn_err e;
        nn_model *m = nn_model_new(NULL, 0, &e);
        int shape[1] = {3};
        int in[2];
        in[0] = nn_model_add_input(m, shape, 1, "a", &e);
        in[1] = nn_model_add_input(m, shape, 1, "b", &e);
        nn_model_set_input_columns(m, in[0], 0, &e);
        nn_model_set_input_columns(m, in[1], 3, &e);
        int o = nn_model_add_merge(m, kinds[k], in, 2, NULL, &e);
        ck_assert_msg(o >= 0, "%s", e.msg);
        static const char *const names[] = {"add", "subtract", "multiply",
                                            "average", "maximum", "minimum"};
        ck_assert_str_eq(m->nodes[o].name, names[k]);
        ck_assert_int_eq(nn_model_set_outputs(m, &o, 1, &e), NN_OK);
        ck_assert_int_eq(nn_model_forward_data(m, x, 6, 2, 0, &e), NN_OK);
        const float *a = nn_model_out(m, 0);
        for (int j = 0; j < 6; j++)
            ck_assert_msg(fabsf(a[j] - want[k][j]) < 1e-6f, "%s [%d]: %g, want %g",
                          nn_node_class[kinds[k]], j, a[j], want[k][j]);
        nn_model_free(m);
    }
}
END_TEST

/* x (4 columns) -> h1, h2 (dense 3, tanh) and the input's own 3 columns
 * through a dense; merged by the kind under test (3 inputs where it takes
 * them), then dense 2 under mse.  Backprop against finite differences. */
START_TEST(test_grad_merges)
{
    nn_node_kind kind = (nn_node_kind)(NN_NODE_ADD + _i);
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 11 + (uint64_t)_i);
    nn_model *m = nn_model_new(NULL, 0, &e);
    int shape[1] = {4};
    int x = nn_model_add_input(m, shape, 1, "x", &e);
    nn_dense_cfg c;
    nn_dense_defaults(&c, 3);
    c.activation = NN_ACT_TANH;
    c.bias_initializer = NN_INIT_RANDOM_NORMAL;
    int h[3];
    for (int j = 0; j < 3; j++)
        h[j] = nn_model_add_dense(m, x, &c, NULL, &r, &e);
    int n = kind == NN_NODE_SUBTRACT ? 2 : 3;
    int mg = nn_model_add_merge(m, kind, h, n, NULL, &e);
    ck_assert_msg(mg >= 0, "%s", e.msg);
    nn_dense_defaults(&c, 2);
    int o = nn_model_add_dense(m, mg, &c, "out", &r, &e);
    ck_assert_int_eq(nn_model_set_outputs(m, &o, 1, &e), NN_OK);
    nn_compile_cfg cfg;
    nn_compile_defaults(&cfg);
    ck_assert_int_eq(nn_model_compile(m, &cfg, &e), NN_OK);
    float xs[6 * 4], ys[6 * 2];
    for (int i = 0; i < 6 * 4; i++)
        xs[i] = (float)nn_rng_range(&r, -1, 1);
    for (int i = 0; i < 6 * 2; i++)
        ys[i] = (float)nn_rng_range(&r, -2, 2);
    ck_assert_gradcheck(m, xs, 4, ys, 6, 2e-2, nn_node_class[kind]);
    nn_model_free(m);
}
END_TEST

/* The same input twice: add(h, h) = 2h and multiply(h, h) = h^2 have
 * gradients 2 and 2h; maximum(h, h) passes the gradient once. */
START_TEST(test_grad_same_input_twice)
{
    static const nn_node_kind kinds[] = {NN_NODE_ADD, NN_NODE_MULTIPLY, NN_NODE_MAXIMUM};
    for (int k = 0; k < 3; k++) {
        nn_err e;
        nn_rng r;
        nn_rng_seed(&r, 5);
        nn_model *m = nn_model_new(NULL, 0, &e);
        int shape[1] = {2};
        int x = nn_model_add_input(m, shape, 1, "x", &e);
        nn_dense_cfg c;
        nn_dense_defaults(&c, 3);
        c.activation = NN_ACT_SIGMOID;
        int h = nn_model_add_dense(m, x, &c, "h", &r, &e);
        int hh[2] = {h, h};
        int mg = nn_model_add_merge(m, kinds[k], hh, 2, NULL, &e);
        nn_dense_defaults(&c, 1);
        int o = nn_model_add_dense(m, mg, &c, "out", &r, &e);
        ck_assert_int_eq(nn_model_set_outputs(m, &o, 1, &e), NN_OK);
        nn_compile_cfg cfg;
        nn_compile_defaults(&cfg);
        ck_assert_int_eq(nn_model_compile(m, &cfg, &e), NN_OK);
        float xs[5 * 2], ys[5];
        for (int i = 0; i < 10; i++)
            xs[i] = (float)nn_rng_range(&r, -2, 2);
        for (int i = 0; i < 5; i++)
            ys[i] = (float)nn_rng_range(&r, -1, 1);
        ck_assert_gradcheck(m, xs, 2, ys, 5, 2e-2, nn_node_class[kinds[k]]);
        nn_model_free(m);
    }
}
END_TEST

/* A shared layer: x1, x2 (2 columns each) -> shared dense 3 on both ->
 * add -> dense 1.  One set of weights; both uses' gradients add up
 * (finite differences agree); parameters counted once; no random draw. */
START_TEST(test_shared_layer)
{
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 8);
    nn_model *m = nn_model_new(NULL, 0, &e);
    int shape[1] = {2};
    int x1 = nn_model_add_input(m, shape, 1, "x1", &e);
    int x2 = nn_model_add_input(m, shape, 1, "x2", &e);
    nn_model_set_input_columns(m, x1, 0, &e);
    nn_model_set_input_columns(m, x2, 2, &e);
    nn_dense_cfg c;
    nn_dense_defaults(&c, 3);
    c.activation = NN_ACT_TANH;
    c.bias_initializer = NN_INIT_RANDOM_NORMAL;
    int s = nn_model_add_dense(m, x1, &c, "shared", &r, &e);
    size_t before = m->nparams;
    nn_rng r0 = r;
    int u = nn_model_add_call(m, s, x2, NULL, &e);
    ck_assert_msg(u >= 0, "%s", e.msg);
    ck_assert_int_eq(memcmp(&r0, &r, sizeof r), 0);     /* nothing drawn */
    ck_assert_int_eq(m->nparams, before);
    ck_assert_int_eq(m->nodes[u].shared, s);
    ck_assert_int_eq((int)nn_node_params(m, u), 0);
    ck_assert_str_eq(m->nodes[u].name, "dense");
    /* a use of a use is a use of the owner */
    int u2 = nn_model_add_call(m, u, x1, "again", &e);
    ck_assert_int_eq(m->nodes[u2].shared, s);
    int ab[3] = {s, u, u2};
    int mg = nn_model_add_merge(m, NN_NODE_ADD, ab, 3, NULL, &e);
    nn_dense_defaults(&c, 1);
    int o = nn_model_add_dense(m, mg, &c, "out", &r, &e);
    ck_assert_int_eq(nn_model_set_outputs(m, &o, 1, &e), NN_OK);
    size_t total;
    nn_model_count(m, &total, NULL);
    ck_assert_int_eq((int)total, 2 * 3 + 3 + 3 * 1 + 1);
    nn_compile_cfg cfg;
    nn_compile_defaults(&cfg);
    ck_assert_int_eq(nn_model_compile(m, &cfg, &e), NN_OK);
    float xs[6 * 4], ys[6];
    for (int i = 0; i < 24; i++)
        xs[i] = (float)nn_rng_range(&r, -1, 1);
    for (int i = 0; i < 6; i++)
        ys[i] = (float)nn_rng_range(&r, -1, 1);
    ck_assert_gradcheck(m, xs, 4, ys, 6, 2e-2, "shared layer, three uses");

    /* the file keeps the sharing: same structure, same outputs bit for bit */
    char path[] = "/tmp/nnlab-merge-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_msg(nn_model_save(m, NULL, path, &e) == NN_OK, "%s", e.msg);
    nn_model *b = nn_model_load(path, NULL, &e);
    ck_assert_msg(b != NULL, "%s", e.msg);
    ck_assert_int_eq(b->n, m->n);
    ck_assert_int_eq(b->nodes[u].shared, s);
    ck_assert_int_eq(b->nodes[mg].kind, NN_NODE_ADD);
    ck_assert_int_eq(b->nparams, m->nparams);
    ck_assert_int_eq(nn_model_forward_data(m, xs, 4, 6, 0, &e), NN_OK);
    float out1[6];
    memcpy(out1, nn_model_out(m, 0), sizeof out1);
    ck_assert_int_eq(nn_model_forward_data(b, xs, 4, 6, 0, &e), NN_OK);
    ck_assert_int_eq(memcmp(out1, nn_model_out(b, 0), sizeof out1), 0);
    nn_model_free(b);
    remove(path);
    nn_model_free(m);
}
END_TEST

START_TEST(test_refusals)
{
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 1);
    nn_model *m = nn_model_new(NULL, 0, &e);
    int s2[1] = {2}, s3[1] = {3};
    int a = nn_model_add_input(m, s2, 1, "a", &e);
    int b = nn_model_add_input(m, s3, 1, "b", &e);
    int ab[3] = {a, b, a};
    int n0 = m->n;
    ck_assert_int_eq(nn_model_add_merge(m, NN_NODE_ADD, ab, 2, NULL, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "one shape"), "%s", e.msg);
    int aa[3] = {a, a, a};
    ck_assert_int_eq(nn_model_add_merge(m, NN_NODE_SUBTRACT, aa, 3, NULL, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "exactly 2"), "%s", e.msg);
    ck_assert_int_eq(nn_model_add_merge(m, NN_NODE_ADD, aa, 1, NULL, &e), NN_FAIL);
    ck_assert_int_eq(nn_model_add_merge(m, NN_NODE_CONCAT, aa, 2, NULL, &e), NN_FAIL);
    nn_dense_cfg c;
    nn_dense_defaults(&c, 4);
    int d = nn_model_add_dense(m, a, &c, "d", &r, &e);
    n0 = m->n;
    ck_assert_int_eq(nn_model_add_call(m, d, b, NULL, &e), NN_FAIL);   /* 3 != 2 */
    ck_assert_msg(strstr(e.msg, "take 2"), "%s", e.msg);
    ck_assert_int_eq(nn_model_add_call(m, a, b, NULL, &e), NN_FAIL);   /* not Dense */
    ck_assert_int_eq(nn_model_add_call(m, d, 99, NULL, &e), NN_FAIL);
    ck_assert_int_eq(m->n, n0);
    /* into itself: d's output (4) does not fit d's weights (2) */
    ck_assert_int_eq(nn_model_add_call(m, d, d, NULL, &e), NN_FAIL);
    nn_model_free(m);
}
END_TEST

/* A merge or a call that grows the node array (8 nodes fill its first
 * allocation): what the new node copies is read before the array moves
 * (ASan saw a use after free here once). */
START_TEST(test_grows_nodes)
{
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 2);
    for (int call = 0; call < 2; call++) {
        nn_model *m = nn_model_new(NULL, 0, &e);
        int shape[1] = {3};
        int x = nn_model_add_input(m, shape, 1, "x", &e);
        nn_dense_cfg c;
        nn_dense_defaults(&c, 3);
        int h[7];
        for (int j = 0; j < 7; j++)
            h[j] = nn_model_add_dense(m, j ? h[j - 1] : x, &c, NULL, &r, &e);
        ck_assert_int_eq(m->n, 8);
        int k = call ? nn_model_add_call(m, h[6], h[0], NULL, &e)
                     : nn_model_add_merge(m, NN_NODE_ADD, h, 2, NULL, &e);
        ck_assert_msg(k == 8, "%s", e.msg);
        ck_assert_int_eq(m->nodes[k].ndim, 1);
        ck_assert_int_eq(m->nodes[k].size, 3);
        ck_assert_int_eq(m->nodes[k].shape[0], 3);
        nn_model_free(m);
    }
}
END_TEST

Suite *suite_merge(void)
{
    Suite *s = suite_create("merge");
    TCase *tc = tcase_create("merge");
    tcase_add_test(tc, test_forward_values);
    tcase_add_loop_test(tc, test_grad_merges, 0, 6);
    tcase_add_test(tc, test_grad_same_input_twice);
    tcase_add_test(tc, test_shared_layer);
    tcase_add_test(tc, test_refusals);
    tcase_add_test(tc, test_grows_nodes);
    suite_add_tcase(s, tc);
    return s;
}
