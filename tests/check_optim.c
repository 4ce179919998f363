/* check_optim.c - the optimizers against the Keras 3 update rules
 * (keras/src/optimizers/, one file per optimizer), recomputed here in double, plus the
 * examples from the Keras docstrings, the defaults, the range checks,
 * frozen ranges, deep copies and learning-rate changes between steps. */
#include <stdio.h>
#include <string.h>
#include "check_util.h"
#include "mat.h"
#include "optim.h"

#define NP 3       /* parameters of the small problem */
#define NSTEPS 3

static const double W0[NP] = { 1.5, -2.0, 3.0 };
/* A different gradient at each step, small and large entries, so that
 * epsilon's place and the bias corrections show in the result. */
static const double G[NSTEPS][NP] = {
    { 0.1, -0.2, 0.05 },
    { 0.3, 0.04, -0.4 },
    { -0.2, 0.5, 0.25 },
};

/* ---- the reference: Keras's formulas, one step at a time, in double ---- */

typedef struct ref_state {
    double m[NP], v[NP], u_prod;
    long t;
} ref_state;

static void ref_init(ref_state *s, const nn_opt_cfg *c)
{
    memset(s, 0, sizeof *s);
    s->u_prod = 1.0;
    if (c->kind == NN_OPT_ADAGRAD || c->kind == NN_OPT_FTRL)
        for (int i = 0; i < NP; i++)
            s->m[i] = c->initial_accumulator_value;
}

/* The rules after nadam, Keras 3's update_step in double. */
static void ref_new(ref_state *s, const nn_opt_cfg *c, double lr, double *w,
                    const double *g, int i, double t)
{
    switch (c->kind) {
    case NN_OPT_ADAMW: {
        /* adamw.py: Adam's update_step; the decay w -= w wd lr before it
         * is in ref_step */
        s->m[i] = s->m[i] + (g[i] - s->m[i]) * (1 - c->beta_1);
        s->v[i] = s->v[i] + (g[i] * g[i] - s->v[i]) * (1 - c->beta_2);
        double alpha = lr * sqrt(1 - pow(c->beta_2, t)) / (1 - pow(c->beta_1, t));
        w[i] = w[i] - alpha * s->m[i] / (sqrt(s->v[i]) + c->epsilon);
        break;
    }
    case NN_OPT_ADAMAX:
        /* adamax.py: m += (g - m)(1 - b1); u = max(b2 u, |g|);
         * w -= lr m / ((1 - b1^t)(u + eps)) */
        s->m[i] = s->m[i] + (g[i] - s->m[i]) * (1 - c->beta_1);
        s->v[i] = fmax(c->beta_2 * s->v[i], fabs(g[i]));
        w[i] = w[i] - lr * s->m[i] / ((1 - pow(c->beta_1, t)) * (s->v[i] + c->epsilon));
        break;
    case NN_OPT_ADADELTA: {
        /* adadelta.py: a = rho a + (1 - rho) g^2;
         * d = -sqrt(D + eps) g / sqrt(a + eps); D = rho D + (1 - rho) d^2;
         * w += lr d */
        double rho = c->rho, eps = c->epsilon;
        s->m[i] = rho * s->m[i] + (1 - rho) * g[i] * g[i];
        double d = -sqrt(s->v[i] + eps) * g[i] / sqrt(s->m[i] + eps);
        s->v[i] = rho * s->v[i] + (1 - rho) * d * d;
        w[i] = w[i] + lr * d;
        break;
    }
    case NN_OPT_FTRL: {
        /* ftrl.py: l2' = l2 + beta / (2 lr); g' = g + 2 l2s w;
         * n' = n + g^2; z += g' - (n'^-p - n^-p) / lr w;
         * q = n'^-p / lr + 2 l2'; w = (clip(z, -l1, l1) - z) / q */
        double p = c->learning_rate_power;
        double l2 = c->l2_regularization_strength + c->beta / (2 * lr);
        double gg = g[i] + 2 * c->l2_shrinkage_regularization_strength * w[i];
        double na = s->m[i] + g[i] * g[i];
        s->v[i] += gg - (pow(na, -p) - pow(s->m[i], -p)) / lr * w[i];
        double q = pow(na, -p) / lr + 2 * l2;
        double l1 = c->l1_regularization_strength;
        double z = s->v[i], zc = z < -l1 ? -l1 : z > l1 ? l1 : z;
        w[i] = (zc - z) / q;
        s->m[i] = na;
        break;
    }
    case NN_OPT_LION: {
        /* lion.py: w -= lr sign(b1 m + (1 - b1) g);
         * m = b2 m + (1 - b2) g */
        double u = c->beta_1 * s->m[i] + (1 - c->beta_1) * g[i];
        w[i] = w[i] - lr * (u > 0 ? 1 : u < 0 ? -1 : 0);
        s->m[i] = c->beta_2 * s->m[i] + (1 - c->beta_2) * g[i];
        break;
    }
    default:
        ck_abort_msg("bad kind %d", (int)c->kind);
    }
}

static void ref_step(ref_state *s, const nn_opt_cfg *c, double lr, double *w,
                     const double *g)
{
    s->t++;
    double t = (double)s->t;
    for (int i = 0; i < NP; i++) {
        /* base_optimizer.py _apply_weight_decay, before the rule */
        if (c->weight_decay != 0)
            w[i] = w[i] - w[i] * c->weight_decay * lr;
        switch (c->kind) {
        case NN_OPT_SGD:
            if (c->momentum == 0.0) {
                w[i] = w[i] - lr * g[i];
            } else {
                s->m[i] = c->momentum * s->m[i] - lr * g[i];
                if (c->nesterov)
                    w[i] = w[i] + c->momentum * s->m[i] - lr * g[i];
                else
                    w[i] = w[i] + s->m[i];
            }
            break;
        case NN_OPT_RMSPROP:
            s->v[i] = c->rho * s->v[i] + (1 - c->rho) * g[i] * g[i];
            w[i] = w[i] - lr * g[i] / sqrt(s->v[i] + c->epsilon);
            break;
        case NN_OPT_ADAM: {
            s->m[i] = s->m[i] + (g[i] - s->m[i]) * (1 - c->beta_1);
            s->v[i] = s->v[i] + (g[i] * g[i] - s->v[i]) * (1 - c->beta_2);
            double alpha = lr * sqrt(1 - pow(c->beta_2, t)) / (1 - pow(c->beta_1, t));
            w[i] = w[i] - alpha * s->m[i] / (sqrt(s->v[i]) + c->epsilon);
            break;
        }
        case NN_OPT_ADAGRAD:
            s->m[i] = s->m[i] + g[i] * g[i];
            w[i] = w[i] - lr * g[i] / sqrt(s->m[i] + c->epsilon);
            break;
        case NN_OPT_NADAM: {
            double b1 = c->beta_1, b2 = c->beta_2;
            double u_t = b1 * (1 - 0.5 * pow(0.96, t));
            double u_t1 = b1 * (1 - 0.5 * pow(0.96, t + 1));
            double p_t = s->u_prod * u_t;          /* prod u_1 .. u_t */
            double p_t1 = p_t * u_t1;
            if (i == NP - 1)
                s->u_prod = p_t;
            s->m[i] = s->m[i] + (g[i] - s->m[i]) * (1 - b1);
            s->v[i] = s->v[i] + (g[i] * g[i] - s->v[i]) * (1 - b2);
            double mhat = u_t1 * s->m[i] / (1 - p_t1) + (1 - u_t) * g[i] / (1 - p_t);
            double vhat = s->v[i] / (1 - pow(b2, t));
            w[i] = w[i] - lr * mhat / (sqrt(vhat) + c->epsilon);
            break;
        }
        default:
            ref_new(s, c, lr, w, g, i, t);
        }
    }
}

/* ---- the cases ---- */

typedef struct opt_case {
    const char *name;
    nn_opt_kind kind;
    double lr;                 /* 0: keep the default */
    double momentum;
    int nesterov;
    double rho, beta_1, beta_2, epsilon, acc;   /* 0: keep the default */
} opt_case;

static const opt_case opt_cases[] = {
    { "sgd defaults", NN_OPT_SGD, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "sgd plain lr 0.1", NN_OPT_SGD, 0.1, 0, 0, 0, 0, 0, 0, 0 },
    { "sgd momentum 0.9", NN_OPT_SGD, 0.1, 0.9, 0, 0, 0, 0, 0, 0 },
    { "sgd nesterov 0.8", NN_OPT_SGD, 0.1, 0.8, 1, 0, 0, 0, 0, 0 },
    { "rmsprop defaults", NN_OPT_RMSPROP, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "rmsprop rho 0.7 eps 1e-2", NN_OPT_RMSPROP, 0.05, 0, 0, 0.7, 0, 0, 1e-2, 0 },
    { "adam defaults", NN_OPT_ADAM, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "adam b1 0.8 b2 0.9 eps 1e-2", NN_OPT_ADAM, 0.05, 0, 0, 0, 0.8, 0.9, 1e-2, 0 },
    { "adagrad defaults", NN_OPT_ADAGRAD, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "adagrad acc 0.02 eps 1e-2", NN_OPT_ADAGRAD, 0.05, 0, 0, 0, 0, 0, 1e-2, 0.02 },
    { "nadam defaults", NN_OPT_NADAM, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "nadam b1 0.8 b2 0.9 eps 1e-2", NN_OPT_NADAM, 0.05, 0, 0, 0, 0.8, 0.9, 1e-2, 0 },
    { "adamw defaults", NN_OPT_ADAMW, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "adamw wd 0.1 lr 0.05", NN_OPT_ADAMW, 0.05, 0, 0, 0, 0.8, 0.9, 1e-2, 0 },
    { "adamax defaults", NN_OPT_ADAMAX, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "adamax b1 0.8 b2 0.5 eps 1e-2", NN_OPT_ADAMAX, 0.05, 0, 0, 0, 0.8, 0.5, 1e-2, 0 },
    { "adadelta lr 1", NN_OPT_ADADELTA, 1.0, 0, 0, 0, 0, 0, 0, 0 },
    { "adadelta rho 0.5 eps 1e-3", NN_OPT_ADADELTA, 2.0, 0, 0, 0.5, 0, 0, 1e-3, 0 },
    { "ftrl lr 0.5", NN_OPT_FTRL, 0.5, 0, 0, 0, 0, 0, 0, 0 },
    { "ftrl l1 l2 shrink beta power -0.7", NN_OPT_FTRL, 0.5, 0, 0, 0, 0, 0, 0, 0.2 },
    { "lion defaults", NN_OPT_LION, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "lion b1 0.5 b2 0.7 wd 0.5", NN_OPT_LION, 0.05, 0, 0, 0, 0.5, 0.7, 0, 0 },
};
#define NCASES ((int)(sizeof opt_cases / sizeof opt_cases[0]))

static nn_opt_cfg case_cfg(const opt_case *k)
{
    nn_opt_cfg c;
    nn_opt_defaults(&c, k->kind);
    if (k->lr) c.learning_rate = k->lr;
    c.momentum = k->momentum;
    c.nesterov = k->nesterov;
    if (k->rho) c.rho = k->rho;
    if (k->beta_1) c.beta_1 = k->beta_1;
    if (k->beta_2) c.beta_2 = k->beta_2;
    if (k->epsilon) c.epsilon = k->epsilon;
    if (k->acc) c.initial_accumulator_value = k->acc;
    /* the settings the table has no column for */
    if (strcmp(k->name, "adamw wd 0.1 lr 0.05") == 0)
        c.weight_decay = 0.1;
    if (strcmp(k->name, "lion b1 0.5 b2 0.7 wd 0.5") == 0)
        c.weight_decay = 0.5;
    if (strcmp(k->name, "ftrl l1 l2 shrink beta power -0.7") == 0) {
        c.learning_rate_power = -0.7;
        c.l1_regularization_strength = 0.01;
        c.l2_regularization_strength = 0.1;
        c.l2_shrinkage_regularization_strength = 0.05;
        c.beta = 0.3;
    }
    return c;
}

static void check_close(const char *what, const char *name, int step,
                        const float *w, const double *want, int n)
{
    /* Ftrl's z += g - (sqrt(n') - sqrt(n)) / lr w subtracts close
     * float32 roots (Keras computes in float32 too): its weights, small
     * differences of terms near 1, get an absolute 1e-6 besides */
    double abs_tol = strncmp(name, "ftrl", 4) == 0 ? 1e-6 : 0.0;
    for (int i = 0; i < n; i++) {
        double err = fabs((double)w[i] - want[i]);
        ck_assert_msg(err <= 1e-6 * fabs(want[i]) + abs_tol,
                      "%s: %s, step %d, w[%d] = %.9g, want %.9g (rel err %.3g)",
                      what, name, step, i, (double)w[i], want[i],
                      err / fabs(want[i]));
    }
}

/* Three steps with the gradients G, checked after each step. */
START_TEST(test_three_steps)
{
    const opt_case *k = &opt_cases[_i];
    nn_opt_cfg c = case_cfg(k);
    nn_opt o = {0};
    nn_err e = {{0}};
    ck_assert_msg(nn_opt_init(&o, &c, NP, &e) == NN_OK, "%s: init: %s", k->name, e.msg);
    float w[NP], g[NP];
    double rw[NP];
    ref_state rs;
    ref_init(&rs, &c);
    for (int i = 0; i < NP; i++)
        w[i] = (float)W0[i], rw[i] = W0[i];
    size_t off = 0, len = NP;
    for (int s = 0; s < NSTEPS; s++) {
        double before[NP];
        memcpy(before, rw, sizeof rw);
        for (int i = 0; i < NP; i++)
            g[i] = (float)G[s][i];
        nn_opt_step(&o, w, g, &off, &len, 1);
        ref_step(&rs, &c, c.learning_rate, rw, G[s]);
        ck_assert_msg(o.t == s + 1, "%s: t = %ld after %d steps", k->name, o.t, s + 1);
        check_close("three steps", k->name, s + 1, w, rw, NP);
        /* every step moves every weight by 10x the tolerance or more, so
         * a wrong rule cannot hide under it */
        for (int i = 0; i < NP; i++)
            ck_assert_msg(fabs(rw[i] - before[i]) > 1e-5 * fabs(rw[i]),
                          "%s: step %d hardly moves w[%d]", k->name, s + 1, i);
    }
    nn_opt_free(&o);
}
END_TEST

/* learning_rate changed between steps takes effect at the next step. */
START_TEST(test_lr_change)
{
    const opt_case *k = &opt_cases[_i];
    nn_opt_cfg c = case_cfg(k);
    const double factor[NSTEPS] = { 1.0, 5.0, 0.25 };
    nn_opt o = {0};
    nn_err e = {{0}};
    ck_assert_msg(nn_opt_init(&o, &c, NP, &e) == NN_OK, "%s: %s", k->name, e.msg);
    float w[NP], g[NP];
    double rw[NP], rw_fixed[NP];
    ref_state rs, rs_fixed;
    ref_init(&rs, &c);
    ref_init(&rs_fixed, &c);
    for (int i = 0; i < NP; i++)
        w[i] = (float)W0[i], rw[i] = rw_fixed[i] = W0[i];
    size_t off = 0, len = NP;
    for (int s = 0; s < NSTEPS; s++) {
        double lr = c.learning_rate * factor[s];
        o.cfg.learning_rate = lr;
        for (int i = 0; i < NP; i++)
            g[i] = (float)G[s][i];
        nn_opt_step(&o, w, g, &off, &len, 1);
        ref_step(&rs, &c, lr, rw, G[s]);
        ref_step(&rs_fixed, &c, c.learning_rate, rw_fixed, G[s]);
        check_close("lr change", k->name, s + 1, w, rw, NP);
    }
    /* and the change made a difference the check could see */
    ck_assert_msg(fabs(rw[0] - rw_fixed[0]) > 1e-5 * fabs(rw[0]),
                  "%s: changing the rate changed nothing", k->name);
    nn_opt_free(&o);
}
END_TEST

/* Two ranges trainable, parameter 3 frozen: it and its state stay as
 * they were; the others move as in a run over a plain array. */
START_TEST(test_frozen_ranges)
{
    const opt_case *k = &opt_cases[_i];
    nn_opt_cfg c = case_cfg(k);
    enum { N = 2 * NP + 1 };
    nn_opt o = {0};
    nn_err e = {{0}};
    ck_assert_msg(nn_opt_init(&o, &c, N, &e) == NN_OK, "%s: %s", k->name, e.msg);
    float w[N], g[N];
    double rw[NP];
    ref_state rs;
    ref_init(&rs, &c);
    for (int i = 0; i < NP; i++) {
        w[i] = w[NP + 1 + i] = (float)W0[i];
        rw[i] = W0[i];
    }
    w[NP] = 7.25f;
    float m_before = o.m ? o.m[NP] : 0, v_before = o.v ? o.v[NP] : 0;
    const size_t off[2] = { 0, NP + 1 }, len[2] = { NP, NP };
    for (int s = 0; s < NSTEPS; s++) {
        for (int i = 0; i < NP; i++)
            g[i] = g[NP + 1 + i] = (float)G[s][i];
        g[NP] = 1.0f;
        nn_opt_step(&o, w, g, off, len, 2);
        ref_step(&rs, &c, c.learning_rate, rw, G[s]);
        check_close("frozen, first range", k->name, s + 1, w, rw, NP);
        check_close("frozen, second range", k->name, s + 1, w + NP + 1, rw, NP);
        ck_assert_msg(w[NP] == 7.25f, "%s: frozen parameter moved to %g",
                      k->name, (double)w[NP]);
        if (o.m)
            ck_assert_msg(o.m[NP] == m_before, "%s: frozen m changed", k->name);
        if (o.v)
            ck_assert_msg(o.v[NP] == v_before, "%s: frozen v changed", k->name);
    }
    /* no ranges: t advances, nothing moves */
    float w_keep[N];
    memcpy(w_keep, w, sizeof w);
    nn_opt_step(&o, w, g, off, len, 0);
    ck_assert_msg(memcmp(w, w_keep, sizeof w) == 0, "%s: 0 ranges moved w", k->name);
    nn_opt_free(&o);
}
END_TEST

/* After 2 steps, copy; the copy and the original go on identically, and
 * stepping one leaves the other alone. */
START_TEST(test_copy)
{
    const opt_case *k = &opt_cases[_i];
    nn_opt_cfg c = case_cfg(k);
    nn_opt a = {0}, b = {0};
    nn_err e = {{0}};
    ck_assert_msg(nn_opt_init(&a, &c, NP, &e) == NN_OK, "%s: %s", k->name, e.msg);
    float wa[NP], wb[NP], g[NP];
    for (int i = 0; i < NP; i++)
        wa[i] = (float)W0[i];
    size_t off = 0, len = NP;
    for (int s = 0; s < 2; s++) {
        for (int i = 0; i < NP; i++)
            g[i] = (float)G[s][i];
        nn_opt_step(&a, wa, g, &off, &len, 1);
    }
    ck_assert_msg(nn_opt_copy(&b, &a, &e) == NN_OK, "%s: copy: %s", k->name, e.msg);
    ck_assert_msg(b.t == a.t && b.n == a.n && b.u_prod == a.u_prod &&
                  b.cfg.kind == a.cfg.kind, "%s: copy differs in t/n/u_prod", k->name);
    ck_assert_msg((a.m == NULL) == (b.m == NULL) && (a.v == NULL) == (b.v == NULL),
                  "%s: copy has different buffers", k->name);
    ck_assert_msg(!a.m || a.m != b.m, "%s: copy shares m", k->name);
    ck_assert_msg(!a.v || a.v != b.v, "%s: copy shares v", k->name);
    memcpy(wb, wa, sizeof wa);

    /* step the copy alone with a big gradient: the original's state must
     * not move */
    float m0 = a.m ? a.m[0] : 0, v0 = a.v ? a.v[0] : 0;
    nn_opt junk = {0};
    ck_assert_msg(nn_opt_copy(&junk, &b, &e) == NN_OK, "%s: %s", k->name, e.msg);
    float wj[NP], gj[NP] = { 10, 10, 10 };
    memcpy(wj, wb, sizeof wb);
    nn_opt_step(&junk, wj, gj, &off, &len, 1);
    ck_assert_msg((!a.m || a.m[0] == m0) && (!a.v || a.v[0] == v0),
                  "%s: stepping a copy changed the original", k->name);
    ck_assert_msg((!b.m || b.m[0] == m0) && (!b.v || b.v[0] == v0) && b.t == 2,
                  "%s: stepping a copy of the copy changed the copy", k->name);
    nn_opt_free(&junk);

    for (int i = 0; i < NP; i++)
        g[i] = (float)G[2][i];
    nn_opt_step(&a, wa, g, &off, &len, 1);
    nn_opt_step(&b, wb, g, &off, &len, 1);
    for (int i = 0; i < NP; i++)
        ck_assert_msg(wa[i] == wb[i], "%s: after copy w[%d] %.9g vs %.9g",
                      k->name, i, (double)wa[i], (double)wb[i]);
    nn_opt_free(&a);
    nn_opt_free(&b);
    ck_assert_msg(a.m == NULL && a.v == NULL && a.n == 0, "%s: free left state",
                  k->name);
}
END_TEST

/* Keras's defaults (the __init__ of each keras/src/optimizers/ file). */
START_TEST(test_defaults)
{
    static const struct {
        nn_opt_kind kind;
        double lr, momentum, rho, beta_1, beta_2, epsilon, acc;
    } want[] = {
        { NN_OPT_SGD, 0.01, 0.0, -1, -1, -1, -1, -1 },
        { NN_OPT_RMSPROP, 0.001, -1, 0.9, -1, -1, 1e-7, -1 },
        { NN_OPT_ADAM, 0.001, -1, -1, 0.9, 0.999, 1e-7, -1 },
        { NN_OPT_ADAGRAD, 0.001, -1, -1, -1, -1, 1e-7, 0.1 },
        { NN_OPT_NADAM, 0.001, -1, -1, 0.9, 0.999, 1e-7, -1 },
        { NN_OPT_ADAMW, 0.001, -1, -1, 0.9, 0.999, 1e-7, -1 },
        { NN_OPT_ADAMAX, 0.001, -1, -1, 0.9, 0.999, 1e-7, -1 },
        { NN_OPT_ADADELTA, 0.001, -1, 0.95, -1, -1, 1e-7, -1 },
        { NN_OPT_FTRL, 0.001, -1, -1, -1, -1, -1, 0.1 },
        { NN_OPT_LION, 0.001, -1, -1, 0.9, 0.99, -1, -1 },
    };   /* -1: not a parameter of that optimizer */
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        nn_opt_cfg c;
        memset(&c, 0x5a, sizeof c);
        nn_opt_defaults(&c, want[i].kind);
        const char *n = nn_opt_names[want[i].kind];
        ck_assert_msg(c.kind == want[i].kind, "%s: kind", n);
        ck_assert_msg(c.learning_rate == want[i].lr, "%s: learning_rate %g", n,
                      c.learning_rate);
        if (want[i].momentum >= 0)
            ck_assert_msg(c.momentum == 0.0 && c.nesterov == 0,
                          "%s: momentum %g nesterov %d", n, c.momentum, c.nesterov);
        if (want[i].rho >= 0)
            ck_assert_msg(c.rho == want[i].rho, "%s: rho %g", n, c.rho);
        if (want[i].beta_1 >= 0)
            ck_assert_msg(c.beta_1 == want[i].beta_1 && c.beta_2 == want[i].beta_2,
                          "%s: betas %g %g", n, c.beta_1, c.beta_2);
        if (want[i].epsilon >= 0)
            ck_assert_msg(c.epsilon == want[i].epsilon, "%s: epsilon %g", n,
                          c.epsilon);
        if (want[i].acc >= 0)
            ck_assert_msg(c.initial_accumulator_value == want[i].acc,
                          "%s: initial_accumulator_value %g", n,
                          c.initial_accumulator_value);
        nn_err e = {{0}};
        ck_assert_msg(nn_opt_check(&c, &e) == NN_OK, "%s: defaults refused: %s",
                      n, e.msg);
    }
    static const char *const names[] = { "sgd", "rmsprop", "adam", "adagrad", "nadam",
                                         "adamw", "adamax", "adadelta", "ftrl", "lion" };
    /* the common options' defaults: off, but AdamW's weight_decay=0.004;
     * Ftrl's learning_rate_power=-0.5; ema_momentum=0.99 */
    for (int k = 0; k < NN_OPT_COUNT; k++) {
        nn_opt_cfg c;
        nn_opt_defaults(&c, (nn_opt_kind)k);
        ck_assert_msg(c.weight_decay == (k == NN_OPT_ADAMW ? 0.004 : 0.0) &&
                      c.clipnorm == 0 && c.clipvalue == 0 && c.global_clipnorm == 0 &&
                      !c.use_ema && c.ema_momentum == 0.99 &&
                      !c.ema_overwrite_frequency && !c.amsgrad &&
                      c.learning_rate_power == -0.5 &&
                      c.l1_regularization_strength == 0 &&
                      c.l2_regularization_strength == 0 &&
                      c.l2_shrinkage_regularization_strength == 0 && c.beta == 0,
                      "%s: common defaults", nn_opt_names[k]);
    }
    for (int i = 0; i < NN_OPT_COUNT; i++)
        ck_assert_msg(nn_opt_names[i] && strcmp(nn_opt_names[i], names[i]) == 0,
                      "nn_opt_names[%d] = %s, want %s", i,
                      nn_opt_names[i] ? nn_opt_names[i] : "NULL", names[i]);
    ck_assert_msg(nn_opt_names[NN_OPT_COUNT] == NULL, "nn_opt_names not NULL-terminated");
}
END_TEST

/* Adagrad's accumulator starts at initial_accumulator_value; the other
 * states start at zero. */
START_TEST(test_init_state)
{
    for (int kind = 0; kind < NN_OPT_COUNT; kind++) {
        nn_opt_cfg c;
        nn_opt_defaults(&c, (nn_opt_kind)kind);
        c.initial_accumulator_value = 0.25;
        nn_opt o = {0};
        nn_err e = {{0}};
        ck_assert_msg(nn_opt_init(&o, &c, 5, &e) == NN_OK, "%s: %s",
                      nn_opt_names[kind], e.msg);
        ck_assert_msg(o.n == 5 && o.t == 0 && o.u_prod == 1.0,
                      "%s: n %zu t %ld u_prod %g", nn_opt_names[kind], o.n, o.t, o.u_prod);
        for (int i = 0; i < 5; i++) {
            float m0 = kind == NN_OPT_ADAGRAD || kind == NN_OPT_FTRL ? 0.25f : 0.0f;
            if (o.m)
                ck_assert_msg(o.m[i] == m0, "%s: m[%d] = %g, want %g",
                              nn_opt_names[kind], i, (double)o.m[i], (double)m0);
            if (o.v)
                ck_assert_msg(o.v[i] == 0.0f, "%s: v[%d] = %g", nn_opt_names[kind],
                              i, (double)o.v[i]);
        }
        int need_v = kind == NN_OPT_RMSPROP || kind == NN_OPT_ADAM || kind == NN_OPT_NADAM;
        int need_m = kind == NN_OPT_ADAM || kind == NN_OPT_NADAM || kind == NN_OPT_ADAGRAD;
        ck_assert_msg(!need_v || o.v, "%s: no second moment", nn_opt_names[kind]);
        ck_assert_msg(!need_m || o.m, "%s: no first moment/accumulator",
                      nn_opt_names[kind]);
        nn_opt_free(&o);
    }
}
END_TEST

/* nn_opt_check: each bad value refused with a message naming the
 * parameter; the edges that are allowed pass. */
enum { F_LR, F_MOM, F_RHO, F_B1, F_B2, F_EPS, F_ACC, F_KIND };
static const struct {
    nn_opt_kind kind;
    int field;
    double value;
    const char *want;    /* substring of the message; NULL: accepted */
} check_cases[] = {
    { NN_OPT_SGD, F_LR, 0.0, "learning_rate" },
    { NN_OPT_SGD, F_LR, -1.0, "learning_rate" },
    { NN_OPT_ADAM, F_LR, NAN, "learning_rate" },
    { NN_OPT_ADAM, F_LR, INFINITY, "learning_rate" },
    { NN_OPT_SGD, F_MOM, -0.1, "momentum" },
    { NN_OPT_SGD, F_MOM, 1.0, "momentum" },
    { NN_OPT_SGD, F_MOM, NAN, "momentum" },
    { NN_OPT_RMSPROP, F_RHO, 1.0, "rho" },
    { NN_OPT_RMSPROP, F_RHO, -0.5, "rho" },
    { NN_OPT_ADAM, F_B1, 1.0, "beta_1" },
    { NN_OPT_ADAM, F_B1, -0.1, "beta_1" },
    { NN_OPT_NADAM, F_B2, 1.5, "beta_2" },
    { NN_OPT_NADAM, F_B1, NAN, "beta_1" },
    { NN_OPT_ADAM, F_EPS, -1e-7, "epsilon" },
    { NN_OPT_RMSPROP, F_EPS, NAN, "epsilon" },
    { NN_OPT_ADAGRAD, F_ACC, -0.1, "initial_accumulator_value" },
    { NN_OPT_ADAGRAD, F_EPS, INFINITY, "epsilon" },
    { NN_OPT_SGD, F_KIND, NN_OPT_COUNT, "optimizer" },
    { NN_OPT_SGD, F_LR, 1e-12, NULL },
    { NN_OPT_SGD, F_MOM, 0.0, NULL },
    { NN_OPT_SGD, F_MOM, 0.999, NULL },
    { NN_OPT_RMSPROP, F_RHO, 0.0, NULL },
    { NN_OPT_ADAM, F_EPS, 0.0, NULL },
    { NN_OPT_ADAM, F_B2, 0.0, NULL },
    { NN_OPT_ADAGRAD, F_ACC, 0.0, NULL },
};

START_TEST(test_check)
{
    nn_opt_cfg c;
    nn_opt_defaults(&c, check_cases[_i].kind);
    double v = check_cases[_i].value;
    switch (check_cases[_i].field) {
    case F_LR: c.learning_rate = v; break;
    case F_MOM: c.momentum = v; break;
    case F_RHO: c.rho = v; break;
    case F_B1: c.beta_1 = v; break;
    case F_B2: c.beta_2 = v; break;
    case F_EPS: c.epsilon = v; break;
    case F_ACC: c.initial_accumulator_value = v; break;
    case F_KIND: c.kind = (nn_opt_kind)(int)v; break;
    }
    nn_err e = {{0}};
    int rc = nn_opt_check(&c, &e);
    const char *want = check_cases[_i].want;
    if (!want) {
        ck_assert_msg(rc == NN_OK, "case %d (%s value %g): refused: %s", _i,
                      nn_opt_names[c.kind], v, e.msg);
        return;
    }
    ck_assert_msg(rc == NN_FAIL, "case %d (%s, %s = %g): accepted", _i,
                  nn_opt_names[check_cases[_i].kind], want, v);
    ck_assert_msg(strstr(e.msg, want) != NULL,
                  "case %d: message \"%s\" does not name %s", _i, e.msg, want);
    /* and nn_opt_init refuses it too, leaving no state */
    nn_opt o = {0};
    nn_err e2 = {{0}};
    ck_assert_msg(nn_opt_init(&o, &c, 4, &e2) == NN_FAIL && o.m == NULL && o.v == NULL,
                  "case %d: nn_opt_init accepted %s = %g", _i, want, v);
}
END_TEST

/* The examples in the Keras/TensorFlow SGD and Nadam docstrings, with
 * loss = w^2 / 2 so that g = w:
 *   SGD(learning_rate=0.1), w = 1: one step gives 0.9.
 *   SGD(0.1, momentum=0.9), w = 1: first step moves 0.1, second 0.18.
 *   Nadam(learning_rate=0.2), w = 10: one step gives "9.8" (%.1f). */
START_TEST(test_keras_doc_examples)
{
    size_t off = 0, len = 1;
    nn_opt_cfg c;
    nn_opt o = {0};
    nn_err e = {{0}};
    float w, g;

    nn_opt_defaults(&c, NN_OPT_SGD);
    c.learning_rate = 0.1;
    ck_assert_int_eq(nn_opt_init(&o, &c, 1, &e), NN_OK);
    w = 1.0f, g = w;
    nn_opt_step(&o, &w, &g, &off, &len, 1);
    ck_assert_msg(fabs(w - 0.9) < 1e-6, "SGD(0.1) one step: %g, want 0.9", (double)w);
    nn_opt_free(&o);

    c.momentum = 0.9;
    ck_assert_int_eq(nn_opt_init(&o, &c, 1, &e), NN_OK);
    float w0 = w = 1.0f;
    g = w;
    nn_opt_step(&o, &w, &g, &off, &len, 1);
    float w1 = w;
    g = w;
    nn_opt_step(&o, &w, &g, &off, &len, 1);
    ck_assert_msg(fabs((w0 - w1) - 0.1) < 1e-6 && fabs((w1 - w) - 0.18) < 1e-6,
                  "SGD(0.1, momentum=0.9) steps %g, %g, want 0.1, 0.18",
                  (double)(w0 - w1), (double)(w1 - w));
    nn_opt_free(&o);

    nn_opt_defaults(&c, NN_OPT_NADAM);
    c.learning_rate = 0.2;
    ck_assert_int_eq(nn_opt_init(&o, &c, 1, &e), NN_OK);
    w = 10.0f, g = w;
    nn_opt_step(&o, &w, &g, &off, &len, 1);
    char buf[32];
    snprintf(buf, sizeof buf, "%.1f", (double)w);
    ck_assert_msg(strcmp(buf, "9.8") == 0, "Nadam(0.2) one step: %s, want 9.8", buf);
    nn_opt_free(&o);
}
END_TEST

/* Adam's first step in closed form: m = (1 - b1) g, v = (1 - b2) g^2, so
 * w -= lr g / (|g| + eps / sqrt(1 - b2)), about lr sign(g) (Kingma & Ba,
 * section 2.1): a check that does not go through the reference above. */
START_TEST(test_adam_first_step)
{
    nn_opt_cfg c;
    nn_opt_defaults(&c, NN_OPT_ADAM);
    nn_opt o = {0};
    nn_err e = {{0}};
    ck_assert_int_eq(nn_opt_init(&o, &c, NP, &e), NN_OK);
    float w[NP] = { 1, 1, 1 }, g[NP] = { 0.001f, -3.0f, 250.0f };
    size_t off = 0, len = NP;
    nn_opt_step(&o, w, g, &off, &len, 1);
    for (int i = 0; i < NP; i++) {
        double want = 1.0 - 0.001 * g[i] / (fabs(g[i]) + 1e-7 / sqrt(1 - 0.999));
        ck_assert_msg(fabs(w[i] - want) < 1e-6, "adam first step w[%d] = %.9g, want %.9g",
                      i, (double)w[i], want);
    }
    nn_opt_free(&o);
}
END_TEST

/* The out-of-place step (fit's transaction) is the in-place step bit for
 * bit, for weights and state, over three steps with a frozen parameter
 * and with ranges given out of order; the frozen parameter and its state
 * are carried over; the swap makes the new state current. */
START_TEST(test_step_to)
{
    const opt_case *k = &opt_cases[_i];
    nn_opt_cfg c = case_cfg(k);
    enum { N = 2 * NP + 1 };
    nn_err e = {{0}};
    for (int order = 0; order < 2; order++) {
        nn_opt a = {0}, b = {0};
        ck_assert_msg(nn_opt_init(&a, &c, N, &e) == NN_OK, "%s: %s", k->name, e.msg);
        ck_assert_msg(nn_opt_init(&b, &c, N, &e) == NN_OK, "%s: %s", k->name, e.msg);
        size_t ns = nn_opt_state_floats(&b);
        ck_assert_msg(ns == ((a.m != NULL) + (a.v != NULL)) * (size_t)N,
                      "%s: state floats %zu", k->name, ns);
        float wa[N], wb[N], wout[N], g[N], state_out[2 * N + 1];
        for (int i = 0; i < N; i++)
            wa[i] = wb[i] = (float)W0[i % NP] + 0.125f * i;
        /* order 0: increasing; 1: the same ranges, last first */
        const size_t off0[2] = { 0, NP + 1 }, len0[2] = { NP, NP };
        const size_t off1[2] = { NP + 1, 0 }, len1[2] = { NP, NP };
        const size_t *off = order ? off1 : off0, *len = order ? len1 : len0;
        float *cur_w = wb, *alt_w = wout, *alt_s = state_out;
        for (int st = 0; st < NSTEPS; st++) {
            for (int i = 0; i < N; i++)
                g[i] = (float)G[st][i % NP] * (1 + 0.5f * i);
            nn_opt_step(&a, wa, g, off0, len0, 2);
            memset(alt_w, 0xff, N * sizeof(float));   /* NaN: must be overwritten */
            int wrote = nn_opt_step_to(&b, alt_w, cur_w, g, alt_s, off, len, 2);
            int want = a.m || a.v ? (k->kind != NN_OPT_SGD || k->momentum != 0) : 0;
            ck_assert_msg(wrote == want, "%s: step_to says state written %d, want %d",
                          k->name, wrote, want);
            float *t = cur_w;
            cur_w = alt_w;
            alt_w = t;
            if (wrote)
                nn_opt_swap_state(&b, &alt_s);
            ck_assert_msg(a.t == b.t && a.u_prod == b.u_prod, "%s: t or u_prod differ",
                          k->name);
            ck_assert_msg(memcmp(wa, cur_w, sizeof wa) == 0,
                          "%s (order %d): step %d weights differ from the in-place step",
                          k->name, order, st + 1);
            if (a.m)
                ck_assert_msg(memcmp(a.m, b.m, N * sizeof(float)) == 0,
                              "%s: step %d m differs", k->name, st + 1);
            if (a.v)
                ck_assert_msg(memcmp(a.v, b.v, N * sizeof(float)) == 0,
                              "%s: step %d v differs", k->name, st + 1);
        }
        /* b's state may now be the local block: hand its own block back */
        if (b.m ? b.m == state_out : b.v == state_out)
            nn_opt_swap_state(&b, &alt_s);
        nn_opt_free(&a);
        nn_opt_free(&b);
    }
}
END_TEST

/* The same over many parameters, which the out-of-place step does in
 * blocks (shared among threads): frozen gaps across block boundaries,
 * Adam (m and v) and momentum SGD, 1 and all threads, bit for bit. */
START_TEST(test_step_to_blocks)
{
    enum { N = 50021 };
    static const size_t off[3] = { 0, 16000, 40000 }, len[3] = { 15990, 17000, 10021 };
    static float wa[N], wb[N], wo[N], g[N], state[2 * N];
    const int kinds[2] = { NN_OPT_ADAM, NN_OPT_SGD };
    int keep = nn_blas_threads_get();
    for (int t = 0; t < 2; t++)
        for (int kk = 0; kk < 2; kk++) {
            nn_blas_threads(t ? nn_blas_threads_max() : 1);
            nn_opt_cfg c;
            nn_opt_defaults(&c, (nn_opt_kind)kinds[kk]);
            c.momentum = kinds[kk] == NN_OPT_SGD ? 0.9 : 0;
            nn_opt a = {0}, b = {0};
            nn_err e = {{0}};
            ck_assert_int_eq(nn_opt_init(&a, &c, N, &e), NN_OK);
            ck_assert_int_eq(nn_opt_init(&b, &c, N, &e), NN_OK);
            for (int i = 0; i < N; i++) {
                wa[i] = wb[i] = (float)((i * 37) % 101) * 0.01f - 0.5f;
                g[i] = (float)((i * 13) % 29) * 0.03f - 0.4f;
            }
            float *cur = wb, *alt = wo, *st = state;
            for (int step = 0; step < 3; step++) {
                nn_opt_step(&a, wa, g, off, len, 3);
                int wrote = nn_opt_step_to(&b, alt, cur, g, st, off, len, 3);
                float *tmp = cur;
                cur = alt;
                alt = tmp;
                if (wrote)
                    nn_opt_swap_state(&b, &st);
                ck_assert_msg(memcmp(wa, cur, sizeof wa) == 0,
                              "%s, %d thread(s), step %d: weights differ",
                              nn_opt_names[kinds[kk]], nn_blas_threads_get(), step + 1);
                ck_assert_msg(memcmp(a.m, b.m, sizeof wa) == 0, "%s: m differs",
                              nn_opt_names[kinds[kk]]);
                if (a.v)
                    ck_assert_msg(memcmp(a.v, b.v, sizeof wa) == 0, "%s: v differs",
                                  nn_opt_names[kinds[kk]]);
            }
            ck_assert_msg(cur[15995] == wa[15995] && wa[15995] == (float)((15995 * 37) % 101) * 0.01f - 0.5f,
                          "a frozen parameter moved");
            if (b.m == state)
                nn_opt_swap_state(&b, &st);
            nn_opt_free(&a);
            nn_opt_free(&b);
        }
    nn_blas_threads(keep);
}
END_TEST

Suite *suite_optim(void)
{
    Suite *s = suite_create("optim");
    TCase *tc = tcase_create("rules");
    tcase_add_loop_test(tc, test_three_steps, 0, NCASES);
    tcase_add_loop_test(tc, test_lr_change, 0, NCASES);
    tcase_add_loop_test(tc, test_frozen_ranges, 0, NCASES);
    tcase_add_loop_test(tc, test_copy, 0, NCASES);
    tcase_add_loop_test(tc, test_step_to, 0, NCASES);
    tcase_add_test(tc, test_step_to_blocks);
    tcase_add_test(tc, test_keras_doc_examples);
    tcase_add_test(tc, test_adam_first_step);
    suite_add_tcase(s, tc);
    TCase *tc2 = tcase_create("config");
    tcase_add_test(tc2, test_defaults);
    tcase_add_test(tc2, test_init_state);
    tcase_add_loop_test(tc2, test_check, 0,
                        (int)(sizeof check_cases / sizeof check_cases[0]));
    suite_add_tcase(s, tc2);
    return s;
}
