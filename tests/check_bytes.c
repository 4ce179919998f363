/* check_bytes.c - images kept as bytes (x8, x = byte / 255 when a batch
 * is read) against the same images stored as float32 (x = byte / 255.0f
 * at load time): fit, evaluate and predict give the same numbers bit for
 * bit, and the set operations (view, take, split, to_float, the scaler)
 * keep the storage and the values. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "check_util.h"
#include "fit.h"

enum { NS = 240, D = 20, K = 3 };

/* A byte set of NS samples of D pixels (seeded) with K classes, and its
 * float twin with x = p / 255.0f, as the float loader stores pixels. */
static void twin_sets(nn_dataset *b, nn_dataset *f)
{
    nn_err e;
    ck_assert_int_eq(nn_dataset_alloc_u8(b, NS, D, 1, 255.0f, &e), NN_OK);
    ck_assert_int_eq(nn_dataset_alloc(f, NS, D, 1, &e), NN_OK);
    nn_rng r;
    nn_rng_seed(&r, 7);
    for (int i = 0; i < NS; i++) {
        int c = (int)nn_rng_below(&r, K);
        for (int j = 0; j < D; j++) {
            /* class c brightens its third of the pixels: learnable */
            unsigned v = nn_rng_below(&r, 160) + (j % K == c ? 95u : 0u);
            b->x8[(size_t)i * D + j] = (unsigned char)v;
            f->x[(size_t)i * D + j] = (unsigned char)v / 255.0f;
        }
        b->y[i] = f->y[i] = (float)c;
    }
    b->nclasses = f->nclasses = K;
}

/* D -> 16 relu -> K softmax, sparse cross-entropy; opt 0 plain SGD (the
 * step folded into backward), 1 Adam. */
static nn_model *model(int opt)
{
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 3);
    nn_model *m = nn_model_new(NULL, 1, &e);
    int shape[1] = {D};
    int i = nn_model_add_input(m, shape, 1, NULL, &e);
    nn_dense_cfg c;
    nn_dense_defaults(&c, 16);
    c.activation = NN_ACT_RELU;
    i = nn_model_add_dense(m, i, &c, NULL, &r, &e);
    nn_dense_defaults(&c, K);
    c.activation = NN_ACT_SOFTMAX;
    nn_model_add_dense(m, i, &c, NULL, &r, &e);
    nn_compile_cfg cc;
    nn_compile_defaults(&cc);
    cc.loss[0].kind = NN_LOSS_SCCE;
    nn_opt_defaults(&cc.opt, opt ? NN_OPT_ADAM : NN_OPT_SGD);
    cc.opt.learning_rate = opt ? 0.01 : 0.1;
    cc.nmetrics = 1;
    cc.metrics[0] = NN_MET_ACCURACY;
    ck_assert_msg(nn_model_compile(m, &cc, &e) == NN_OK, "%s", e.msg);
    return m;
}

/* _i: bit 0 the optimizer, bit 1 validation_split 0.25 or validation_data. */
START_TEST(test_fit_bit_identical)
{
    nn_dataset b, f, vb, vf;
    twin_sets(&b, &f);
    nn_dataset_view(&vb, &b, 200, 40);
    nn_dataset_view(&vf, &f, 200, 40);
    nn_model *mb = model(_i & 1), *mf = model(_i & 1);
    nn_history hb, hf;
    nn_history_init(&hb);
    nn_history_init(&hf);
    nn_fit_opts ob, of;
    nn_fit_defaults(&ob);
    ob.epochs = 4;
    ob.batch_size = 16;
    if (_i & 2)
        ob.validation_data = &vb;
    else
        ob.validation_split = 0.25;
    of = ob;
    if (_i & 2)
        of.validation_data = &vf;
    nn_rng rb, rf;
    nn_rng_seed(&rb, 11);
    nn_rng_seed(&rf, 11);
    nn_err e;
    ck_assert_msg(nn_fit(mb, &b, &ob, &hb, &rb, NULL, &e) == NN_OK, "%s", e.msg);
    ck_assert_msg(nn_fit(mf, &f, &of, &hf, &rf, NULL, &e) == NN_OK, "%s", e.msg);
    ck_assert_msg(memcmp(mb->params, mf->params, mb->nparams * sizeof(float)) == 0,
                  "weights differ after fit on bytes and on floats");
    ck_assert_int_eq(hb.nepochs, 4);
    int kv = nn_history_key(&hb, "val_loss");
    ck_assert_int_ge(kv, 0);
    for (int ep = 0; ep < 4; ep++)
        for (int k = 0; k < hb.nkeys; k++)
            ck_assert_msg(memcmp(&hb.values[ep * NN_MAXKEYS + k],
                                 &hf.values[ep * NN_MAXKEYS + k], sizeof(double)) == 0,
                          "history differs at epoch %d key %d", ep, k);
    /* the model learned something: the test is not of a constant */
    ck_assert_msg(nn_history_at(&hb, 3, nn_history_key(&hb, "loss")) <
                  nn_history_at(&hb, 0, nn_history_key(&hb, "loss")), "no learning");
    /* evaluate over more than one of its 256-row chunks, and predict */
    nn_logs lb, lf;
    ck_assert_int_eq(nn_evaluate(mb, &b, 100, &lb, &e), NN_OK);
    ck_assert_int_eq(nn_evaluate(mf, &f, 100, &lf, &e), NN_OK);
    ck_assert_msg(nn_logs_get(&lb, "loss") == nn_logs_get(&lf, "loss") &&
                  nn_logs_get(&lb, "accuracy") == nn_logs_get(&lf, "accuracy"),
                  "evaluate differs");
    float *pb = malloc((size_t)NS * K * sizeof *pb), *pf = malloc((size_t)NS * K * sizeof *pf);
    ck_assert(pb && pf);
    ck_assert_int_eq(nn_predict_set(mb, &b, 3, NS - 3, pb, &e), NN_OK);
    ck_assert_int_eq(nn_model_predict(mf, f.x + 3 * D, D, NS - 3, pf, &e), NN_OK);
    ck_assert_msg(memcmp(pb, pf, (size_t)(NS - 3) * K * sizeof *pb) == 0,
                  "predict differs");
    free(pb);
    free(pf);
    nn_history_free(&hb);
    nn_history_free(&hf);
    nn_model_free(mb);
    nn_model_free(mf);
    nn_dataset_free(&b);
    nn_dataset_free(&f);
}
END_TEST

/* Each way of reading gives the float twin's values, bit for bit. */
static void same_values(const nn_dataset *b, const nn_dataset *f, const char *what)
{
    ck_assert_msg(b->x8 && !b->x && b->n == f->n && b->d == f->d, "%s: shape", what);
    size_t cells = (size_t)b->n * b->d;
    float *x = malloc(cells * sizeof *x);
    ck_assert_ptr_nonnull(x);
    nn_dataset_gather(b, NULL, b->n, x);
    ck_assert_msg(memcmp(x, f->x, cells * sizeof *x) == 0, "%s: gather", what);
    const float *r = nn_dataset_rows(b, 1, b->n - 1, x);
    ck_assert_msg(r == x && memcmp(x, f->x + b->d, (cells - b->d) * sizeof *x) == 0,
                  "%s: rows", what);
    ck_assert_msg(nn_dataset_rows(f, 1, 1, NULL) == f->x + f->d, "%s: float rows "
                  "are read in place", what);
    for (size_t k = 0; k < cells; k += 7)
        ck_assert_msg(nn_dataset_at(b, k) == f->x[k], "%s: at %zu", what, k);
    ck_assert_msg(memcmp(b->y, f->y, (size_t)b->n * sizeof *b->y) == 0, "%s: y", what);
    free(x);
}

START_TEST(test_set_operations)
{
    nn_dataset b, f;
    twin_sets(&b, &f);
    nn_err e;
    char buf[64];
    ck_assert_str_eq(nn_dataset_storage(&b, buf, sizeof buf),
                     "uint8 (x / 255 when a batch is read)");
    ck_assert_str_eq(nn_dataset_storage(&f, buf, sizeof buf), "float32");
    ck_assert_uint_eq(nn_dataset_bytes(&b), (size_t)NS * D + NS * 4);
    ck_assert_uint_eq(nn_dataset_bytes(&f), (size_t)NS * D * 4 + NS * 4);
    same_values(&b, &f, "whole");
    nn_dataset vb, vf;
    nn_dataset_view(&vb, &b, 10, 30);
    nn_dataset_view(&vf, &f, 10, 30);
    ck_assert_ptr_eq(vb.x8, b.x8 + 10 * D);
    same_values(&vb, &vf, "view");
    int idx[5] = {7, 0, 239, 7, 100};
    nn_dataset tb, tf;
    ck_assert_int_eq(nn_dataset_take(&tb, &b, idx, 5, &e), NN_OK);
    ck_assert_int_eq(nn_dataset_take(&tf, &f, idx, 5, &e), NN_OK);
    same_values(&tb, &tf, "take");
    nn_dataset_free(&tb);
    nn_dataset_free(&tf);
    /* split: the same rows (the same seed) in both storages */
    nn_dataset trb, teb, trf, tef;
    nn_rng r1, r2;
    nn_rng_seed(&r1, 5);
    nn_rng_seed(&r2, 5);
    ck_assert_int_eq(nn_dataset_split(&b, 0.2, 1, &r1, &trb, &teb, &e), NN_OK);
    ck_assert_int_eq(nn_dataset_split(&f, 0.2, 1, &r2, &trf, &tef, &e), NN_OK);
    same_values(&trb, &trf, "split train");
    same_values(&teb, &tef, "split test");
    nn_dataset_free(&trb);
    nn_dataset_free(&teb);
    nn_dataset_free(&trf);
    nn_dataset_free(&tef);
    /* the scaler fitted on bytes is the scaler fitted on floats */
    nn_scaler sb, sf;
    ck_assert_int_eq(nn_scaler_fit(&sb, NN_SCALE_STANDARD, &b, &e), NN_OK);
    ck_assert_int_eq(nn_scaler_fit(&sf, NN_SCALE_STANDARD, &f, &e), NN_OK);
    ck_assert(memcmp(sb.a, sf.a, D * sizeof(float)) == 0 &&
              memcmp(sb.b, sf.b, D * sizeof(float)) == 0);
    nn_scaler_free(&sb);
    nn_scaler_free(&sf);
    /* to_float: a view is refused; the owner becomes its float twin */
    ck_assert_int_eq(nn_dataset_to_float(&vb, &e), NN_FAIL);
    ck_assert_int_eq(nn_dataset_to_float(&b, &e), NN_OK);
    ck_assert_msg(!b.x8 && b.x && memcmp(b.x, f.x, (size_t)NS * D * sizeof(float)) == 0,
                  "to_float");
    ck_assert_int_eq(nn_dataset_to_float(&f, &e), NN_OK);   /* nothing to do */
    nn_dataset_free(&b);
    nn_dataset_free(&f);
}
END_TEST

/* The cap counts bytes, not floats: a set 4x over it as floats fits. */
START_TEST(test_alloc_cap)
{
    size_t old = nn_memcap();
    nn_set_memcap(1000 * 100 + 1000 * 4);
    nn_dataset b, f;
    nn_err e = {""};
    int rb = nn_dataset_alloc_u8(&b, 1000, 100, 1, 255.0f, &e);
    int rf = nn_dataset_alloc(&f, 1000, 100, 1, &e);
    nn_set_memcap(old);
    ck_assert_int_eq(rb, NN_OK);
    ck_assert_int_eq(rf, NN_FAIL);
    ck_assert_msg(strstr(e.msg, "memory cap"), "%s", e.msg);
    for (size_t k = 0; k < 100000; k++)
        ck_assert(b.x8[k] == 0);
    nn_dataset_free(&b);
    ck_assert_int_eq(nn_dataset_alloc_u8(&b, 0, 100, 1, 255.0f, &e), NN_FAIL);
    ck_assert_int_eq(nn_dataset_alloc_u8(&b, 10, 10, 1, 0.0f, &e), NN_FAIL);
}
END_TEST

Suite *suite_bytes(void)
{
    Suite *s = suite_create("bytes");
    TCase *tc = tcase_create("bytes");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_fit_bit_identical, 0, 4);
    tcase_add_test(tc, test_set_operations);
    tcase_add_test(tc, test_alloc_cap);
    suite_add_tcase(s, tc);
    return s;
}
