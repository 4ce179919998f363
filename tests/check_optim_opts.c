/* check_optim_opts.c - the options every Keras 3 optimizer takes
 * (keras/src/optimizers/base_optimizer.py) and Adam's amsgrad, each over
 * three steps against the formulas written out here in double:
 *   clipnorm c          per tensor g = g c / max(||g||, c)
 *   global_clipnorm c   g = g c min(1 / ||all g||, 1 / c)
 *   clipvalue c         g = clip(g, -c, c)
 *   weight_decay d      w = w - w d lr, before the rule
 *   amsgrad             vh = max(vh, v); w -= alpha m / (sqrt(vh) + eps)
 *   use_ema mu          ema = w at step 1, then mu ema + (1 - mu) w;
 *                       every f steps w = ema; at the end w = ema
 * plus the range checks, and the out-of-place step (four state buffers)
 * equal to the in-place one bit for bit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_util.h"
#include "optim.h"
#include "fit.h"
#include "model.h"
#include "rng.h"
#include "save.h"

#define NP 5        /* two "tensors": [0, 3) and [3, 5) */

static const double W0[NP] = { 1.5, -2.0, 3.0, 0.5, -0.25 };
static const double G[3][NP] = {
    { 0.1, -2.0, 0.05, 3.0, -4.0 },
    { 0.3, 0.04, -0.4, 0.2, 0.1 },
    { -0.2, 5.0, 0.25, -0.6, 0.9 },
};
static const size_t OFF[2] = { 0, 3 }, LEN[2] = { 3, 2 };

static void close_all(const char *what, int step, const float *w, const double *want)
{
    for (int i = 0; i < NP; i++)
        ck_assert_msg(fabs((double)w[i] - want[i]) <= 1e-6 * fabs(want[i]) + 1e-7,
                      "%s, step %d: w[%d] = %.9g, want %.9g", what, step, i,
                      (double)w[i], want[i]);
}

/* SGD(learning_rate=0.1) with one clipping: w -= lr clip(g). */
static void run_clip(const char *what, nn_opt_cfg *c)
{
    nn_opt o = {0};
    nn_err e = {{0}};
    ck_assert_msg(nn_opt_init(&o, c, NP, &e) == NN_OK, "%s: %s", what, e.msg);
    float w[NP], g[NP];
    double rw[NP];
    for (int i = 0; i < NP; i++)
        w[i] = (float)W0[i], rw[i] = W0[i];
    for (int s = 0; s < 3; s++) {
        double gc[NP], all = 0.0;
        for (int i = 0; i < NP; i++)
            g[i] = (float)G[s][i], all += G[s][i] * G[s][i];
        for (int r = 0; r < 2; r++) {
            double ss = 0.0;
            for (size_t i = OFF[r]; i < OFF[r] + LEN[r]; i++)
                ss += G[s][i] * G[s][i];
            for (size_t i = OFF[r]; i < OFF[r] + LEN[r]; i++) {
                double gi = G[s][i];
                if (c->clipnorm > 0)
                    gi = gi * c->clipnorm / fmax(sqrt(ss), c->clipnorm);
                if (c->global_clipnorm > 0)
                    gi = gi * c->global_clipnorm *
                         fmin(1.0 / sqrt(all), 1.0 / c->global_clipnorm);
                if (c->clipvalue > 0)
                    gi = fmin(fmax(gi, -c->clipvalue), c->clipvalue);
                gc[i] = gi;
            }
        }
        nn_opt_step(&o, w, g, OFF, LEN, 2);
        for (int i = 0; i < NP; i++)
            rw[i] -= c->learning_rate * gc[i];
        close_all(what, s + 1, w, rw);
    }
    nn_opt_free(&o);
}

START_TEST(test_clipping)
{
    nn_opt_cfg c;
    nn_opt_defaults(&c, NN_OPT_SGD);
    c.learning_rate = 0.1;
    c.clipnorm = 1.0;           /* both tensors' norms exceed 1 at step 1 */
    run_clip("clipnorm 1", &c);
    nn_opt_defaults(&c, NN_OPT_SGD);
    c.learning_rate = 0.1;
    c.global_clipnorm = 2.0;
    run_clip("global_clipnorm 2", &c);
    nn_opt_defaults(&c, NN_OPT_SGD);
    c.learning_rate = 0.1;
    c.clipvalue = 0.5;
    run_clip("clipvalue 0.5", &c);
    /* the clipping changes the numbers: clipnorm 1 on step 1's second
     * tensor (norm 5) gives a step of 0.1 * 3/5, not 0.1 * 3 */
    nn_opt_defaults(&c, NN_OPT_SGD);
    c.learning_rate = 0.1;
    c.clipnorm = 1.0;
    nn_opt o = {0};
    nn_err e = {{0}};
    ck_assert(nn_opt_init(&o, &c, NP, &e) == NN_OK);
    float w[NP], g[NP];
    for (int i = 0; i < NP; i++)
        w[i] = (float)W0[i], g[i] = (float)G[0][i];
    nn_opt_step(&o, w, g, OFF, LEN, 2);
    ck_assert_msg(fabs(w[3] - (0.5 - 0.1 * 0.6)) < 1e-6, "w[3] = %g", (double)w[3]);
    nn_opt_free(&o);
}
END_TEST

/* weight_decay on SGD and on Adam (AdamW's rule), and amsgrad. */
START_TEST(test_decay_amsgrad)
{
    for (int k = 0; k < 3; k++) {
        nn_opt_cfg c;
        nn_opt_defaults(&c, k == 0 ? NN_OPT_SGD : NN_OPT_ADAMW);
        c.learning_rate = 0.05;
        c.weight_decay = 0.2;
        c.amsgrad = k == 2;
        c.beta_2 = 0.5;          /* v falls fast: amsgrad's max shows */
        nn_opt o = {0};
        nn_err e = {{0}};
        ck_assert_msg(nn_opt_init(&o, &c, NP, &e) == NN_OK, "%s", e.msg);
        ck_assert_msg((o.vh != NULL) == (k == 2), "vh kept only with amsgrad");
        float w[NP], g[NP];
        double rw[NP], m[NP] = {0}, v[NP] = {0}, vh[NP] = {0};
        for (int i = 0; i < NP; i++)
            w[i] = (float)W0[i], rw[i] = W0[i];
        for (int s = 0; s < 3; s++) {
            double t = s + 1, lr = c.learning_rate;
            for (int i = 0; i < NP; i++) {
                g[i] = (float)G[s][i];
                double gi = G[s][i];
                rw[i] = rw[i] - rw[i] * c.weight_decay * lr;
                if (k == 0) {
                    rw[i] -= lr * gi;
                    continue;
                }
                m[i] += (gi - m[i]) * (1 - c.beta_1);
                v[i] += (gi * gi - v[i]) * (1 - c.beta_2);
                vh[i] = fmax(vh[i], v[i]);
                double alpha = lr * sqrt(1 - pow(c.beta_2, t)) / (1 - pow(c.beta_1, t));
                rw[i] -= alpha * m[i] / (sqrt(k == 2 ? vh[i] : v[i]) + c.epsilon);
            }
            nn_opt_step(&o, w, g, OFF, LEN, 2);
            close_all(k == 0 ? "sgd wd" : k == 1 ? "adamw" : "adamw amsgrad", s + 1, w, rw);
        }
        nn_opt_free(&o);
    }
}
END_TEST

/* use_ema with ema_momentum 0.5 and overwrite every 2 steps, on SGD. */
START_TEST(test_ema)
{
    for (int freq = 0; freq <= 2; freq += 2) {
        nn_opt_cfg c;
        nn_opt_defaults(&c, NN_OPT_SGD);
        c.learning_rate = 0.1;
        c.use_ema = 1;
        c.ema_momentum = 0.5;
        c.ema_overwrite_frequency = freq;
        nn_opt o = {0};
        nn_err e = {{0}};
        ck_assert_msg(nn_opt_init(&o, &c, NP, &e) == NN_OK, "%s", e.msg);
        float w[NP], g[NP];
        double rw[NP], ema[NP];
        for (int i = 0; i < NP; i++)
            w[i] = (float)W0[i], rw[i] = W0[i];
        for (int s = 0; s < 3; s++) {
            int t = s + 1;
            for (int i = 0; i < NP; i++) {
                g[i] = (float)G[s][i];
                rw[i] -= c.learning_rate * G[s][i];
                double mu = t == 1 ? 0.0 : c.ema_momentum;
                ema[i] = mu * (t == 1 ? 0.0 : ema[i]) + (1 - mu) * rw[i];
                if (freq && t % freq == 0)
                    rw[i] = ema[i];
            }
            nn_opt_step(&o, w, g, OFF, LEN, 2);
            close_all(freq ? "ema, overwrite every 2" : "ema", t, w, rw);
            for (int i = 0; i < NP; i++)
                ck_assert_msg(fabs(o.ema[i] - ema[i]) <= 1e-6 * fabs(ema[i]) + 1e-7,
                              "ema[%d] step %d: %g want %g", i, t, (double)o.ema[i],
                              ema[i]);
        }
        /* fit's end: the average becomes the weights, the frozen range
         * (here the second tensor) keeps its own */
        size_t off = 0, len = 3;
        nn_opt_finalize(&o, w, &off, &len, 1);
        for (int i = 0; i < 3; i++)
            ck_assert_msg(w[i] == o.ema[i], "finalize w[%d]", i);
        ck_assert_msg(fabs(w[3] - rw[3]) < 1e-6, "finalize touched a frozen range");
        ck_assert_msg(!nn_opt_plain_sgd(&c), "sgd with use_ema folded as plain sgd");
        nn_opt_free(&o);
    }
}
END_TEST

/* The transaction's out-of-place step with all four buffers (adam:
 * m, v; amsgrad: vh; ema), then swapped in, equals the in-place step. */
START_TEST(test_step_to_four_buffers)
{
    nn_opt_cfg c;
    nn_opt_defaults(&c, NN_OPT_ADAM);
    c.amsgrad = 1;
    c.use_ema = 1;
    c.weight_decay = 0.01;
    c.global_clipnorm = 1.0;
    nn_opt a = {0}, b = {0};
    nn_err e = {{0}};
    ck_assert(nn_opt_init(&a, &c, NP, &e) == NN_OK);
    ck_assert(nn_opt_init(&b, &c, NP, &e) == NN_OK);
    ck_assert_msg(nn_opt_state_floats(&a) == 4 * NP, "state %zu floats",
                  nn_opt_state_floats(&a));
    float wa[NP], wb[NP], wo[NP], g[NP], *state = calloc(4 * NP, sizeof(float));
    ck_assert(state != NULL);
    for (int i = 0; i < NP; i++)
        wa[i] = wb[i] = (float)W0[i];
    for (int s = 0; s < 3; s++) {
        for (int i = 0; i < NP; i++)
            g[i] = (float)G[s][i];
        nn_opt_step(&a, wa, g, OFF, LEN, 2);
        ck_assert(nn_opt_step_to(&b, wo, wb, g, state, OFF, LEN, 2) == 1);
        nn_opt_swap_state(&b, &state);
        memcpy(wb, wo, sizeof wb);
        ck_assert(memcmp(wa, wb, sizeof wa) == 0);
        ck_assert(memcmp(nn_opt_state(&a), nn_opt_state(&b), 4 * NP * sizeof(float)) == 0);
    }
    nn_opt copy = {0};
    ck_assert(nn_opt_copy(&copy, &a, &e) == NN_OK);
    ck_assert(copy.vh && copy.ema && memcmp(copy.ema, a.ema, NP * sizeof(float)) == 0);
    free(state);
    nn_opt_free(&a);
    nn_opt_free(&b);
    nn_opt_free(&copy);
}
END_TEST

START_TEST(test_option_checks)
{
    static const struct { nn_opt_kind kind; int field; double v; const char *want; } k[] = {
        { NN_OPT_SGD, 0, -0.1, "weight_decay" },
        { NN_OPT_SGD, 1, -1, "clipnorm" },
        { NN_OPT_SGD, 2, 1, "only one of" },        /* clipnorm and clipvalue */
        { NN_OPT_SGD, 3, 1, "amsgrad" },            /* amsgrad on sgd */
        { NN_OPT_ADAM, 4, 1.5, "ema_momentum" },
        { NN_OPT_ADAM, 5, -1, "ema_overwrite_frequency" },
        { NN_OPT_FTRL, 6, 0.5, "learning_rate_power" },
        { NN_OPT_FTRL, 7, -1, "l1_regularization_strength" },
        { NN_OPT_LION, 8, 0.0, "beta_1" },
        { NN_OPT_ADADELTA, 9, 1.0, "rho" },
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        nn_opt_cfg c;
        nn_opt_defaults(&c, k[i].kind);
        switch (k[i].field) {
        case 0: c.weight_decay = k[i].v; break;
        case 1: c.clipnorm = k[i].v; break;
        case 2: c.clipnorm = k[i].v, c.clipvalue = k[i].v; break;
        case 3: c.amsgrad = 1; break;
        case 4: c.ema_momentum = k[i].v; break;
        case 5: c.ema_overwrite_frequency = (int)k[i].v; break;
        case 6: c.learning_rate_power = k[i].v; break;
        case 7: c.l1_regularization_strength = k[i].v; break;
        case 8: c.beta_1 = k[i].v; break;
        case 9: c.rho = k[i].v; break;
        }
        nn_err e = {{0}};
        ck_assert_msg(nn_opt_check(&c, &e) == NN_FAIL, "case %zu accepted", i);
        ck_assert_msg(strstr(e.msg, k[i].want) != NULL, "case %zu: \"%s\"", i, e.msg);
    }
    nn_opt_cfg c;
    nn_opt_defaults(&c, NN_OPT_SGD);
    ck_assert(nn_opt_plain_sgd(&c));
    c.weight_decay = 0.1;
    ck_assert(!nn_opt_plain_sgd(&c));
}
END_TEST

/* The file's version byte. */
static int file_version(const char *path)
{
    unsigned char head[12];
    FILE *f = fopen(path, "rb");
    ck_assert(f && fread(head, 1, 12, f) == 12);
    fclose(f);
    return head[8];
}

/* A model compiled with the cfg o and metrics: saved, loaded, the same
 * optimizer settings and state (all four buffers) back; the file is
 * version 1, which older nnlab reads, unless something new is used. */
static void roundtrip(const nn_opt_cfg *o, nn_metric_kind met, int want_version)
{
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 3);
    nn_model *m = nn_model_new(NULL, 1, &e);
    int shape[1] = {2};
    int i = nn_model_add_input(m, shape, 1, NULL, &e);
    nn_dense_cfg c;
    nn_dense_defaults(&c, 1);
    c.activation = NN_ACT_SIGMOID;
    nn_model_add_dense(m, i, &c, NULL, &r, &e);
    nn_compile_cfg cc;
    nn_compile_defaults(&cc);
    cc.loss[0].kind = NN_LOSS_BCE;
    cc.opt = *o;
    cc.nmetrics = 1;
    cc.metrics[0] = met;
    ck_assert_msg(nn_model_compile(m, &cc, &e) == NN_OK, "%s", e.msg);
    float x[8] = {0, 1, 1, 0, 1, 1, 0, 0}, y[4] = {1, 1, 0, 0};
    double loss;
    for (int s = 0; s < 3; s++)
        ck_assert_msg(nn_train_batch(m, x, 2, y, NULL, 4, &loss, &e) == NN_OK, "%s", e.msg);
    const char *path = "check_optim_opts.nnlab";
    ck_assert_msg(nn_model_save(m, NULL, path, &e) == NN_OK, "%s", e.msg);
    ck_assert_int_eq(file_version(path), want_version);
    nn_model *l = nn_model_load(path, NULL, &e);
    ck_assert_msg(l != NULL, "%s", e.msg);
    ck_assert(memcmp(&l->opt.cfg, &m->opt.cfg, sizeof l->opt.cfg) == 0);
    ck_assert(l->cc.metrics[0] == met && l->opt.t == 3);
    size_t k = nn_opt_state_floats(&m->opt);
    ck_assert(k == nn_opt_state_floats(&l->opt));
    ck_assert(memcmp(nn_opt_state(&m->opt), nn_opt_state(&l->opt), k * sizeof(float)) == 0);
    ck_assert((l->opt.vh != NULL) == (o->amsgrad != 0) &&
              (l->opt.ema != NULL) == (o->use_ema != 0));
    remove(path);
    nn_model_free(l);
    nn_model_free(m);
}

START_TEST(test_file_versions)
{
    nn_opt_cfg o;
    nn_opt_defaults(&o, NN_OPT_ADAM);
    roundtrip(&o, NN_MET_ACCURACY, 1);
    roundtrip(&o, NN_MET_AUC, 3);
    o.amsgrad = 1;
    o.use_ema = 1;
    o.clipvalue = 0.5;
    o.weight_decay = 0.01;
    roundtrip(&o, NN_MET_ACCURACY, 3);
    nn_opt_defaults(&o, NN_OPT_FTRL);
    o.l1_regularization_strength = 0.01;
    o.beta = 0.2;
    roundtrip(&o, NN_MET_PRECISION, 3);
    nn_opt_defaults(&o, NN_OPT_LION);
    roundtrip(&o, NN_MET_ACCURACY, 3);
}
END_TEST

Suite *suite_optim_opts(void)
{
    Suite *s = suite_create("optim_opts");
    TCase *tc = tcase_create("options");
    tcase_add_test(tc, test_clipping);
    tcase_add_test(tc, test_decay_amsgrad);
    tcase_add_test(tc, test_ema);
    tcase_add_test(tc, test_step_to_four_buffers);
    tcase_add_test(tc, test_option_checks);
    tcase_add_test(tc, test_file_versions);
    suite_add_tcase(s, tc);
    return s;
}
