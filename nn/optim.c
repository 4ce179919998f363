/* optim.c - Keras's optimizers over one flat parameter buffer.
 *
 * Each update rule is a loop over n floats (kann's and llm.c's layout):
 * the scalars that depend only on the step (bias corrections, Nadam's
 * momentum schedule) are computed once per step in double, then the loop
 * runs in float, as Keras does on float32 variables.  The formulas are
 * Keras 3's, keras/src/optimizers/{sgd,rmsprop,adam,adagrad,nadam}.py;
 * optim.h lists them.
 *
 * State layout: one allocation per optimizer.
 *   sgd      m = momentum buffer (n), always allocated so that momentum
 *            may be raised between steps (1cycle moves it)
 *   rmsprop  v = velocity, the running mean of g^2 (n)
 *   adam     m, v (2n, one block)
 *   adagrad  m = accumulator (n), starts at initial_accumulator_value
 *   nadam    m, v (2n, one block) and u_prod
 * The block starts at m, or at v when m is NULL.  Changing cfg between
 * steps is fine for the numbers (learning_rate, momentum, ...), not for
 * kind: the state was laid out for the kind given to nn_opt_init. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mat.h"
#include "optim.h"

const char *const nn_opt_names[] = {
    "sgd", "rmsprop", "adam", "adagrad", "nadam", NULL
};

/* The settings each optimizer's constructor takes (Keras 3's
 * keras.optimizers.SGD(learning_rate, momentum, nesterov), RMSprop(...,
 * rho, ..., epsilon), Adam/Nadam(..., beta_1, beta_2, epsilon),
 * Adagrad(..., initial_accumulator_value, epsilon)), by nn_opt_kind. */
const char *const nn_opt_settings[NN_OPT_COUNT] = {
    "learning_rate momentum nesterov",
    "learning_rate rho epsilon",
    "learning_rate beta_1 beta_2 epsilon",
    "learning_rate initial_accumulator_value epsilon",
    "learning_rate beta_1 beta_2 epsilon",
};

void nn_opt_defaults(nn_opt_cfg *c, nn_opt_kind kind)
{
    memset(c, 0, sizeof *c);
    c->kind = kind;
    /* Keras 3: SGD(learning_rate=0.01, momentum=0.0, nesterov=False);
     * the others default to learning_rate=0.001. */
    c->learning_rate = kind == NN_OPT_SGD ? 0.01 : 0.001;
    c->momentum = 0.0;
    c->nesterov = 0;
    c->rho = 0.9;                        /* RMSprop */
    c->beta_1 = 0.9;                     /* Adam, Nadam */
    c->beta_2 = 0.999;
    c->epsilon = 1e-7;                   /* all but SGD */
    c->initial_accumulator_value = 0.1;  /* Adagrad */
}

/* 0 <= x < 1 (false for NaN). */
static int unit_open(double x) { return x >= 0.0 && x < 1.0; }

int nn_opt_check(const nn_opt_cfg *c, nn_err *e)
{
    if ((int)c->kind < 0 || c->kind >= NN_OPT_COUNT)
        return nn_fail(e, "unknown optimizer (%d); allowed: sgd, rmsprop, "
                          "adam, adagrad, nadam", (int)c->kind);
    if (!(c->learning_rate > 0.0) || !isfinite(c->learning_rate))
        return nn_fail(e, "learning_rate must be > 0 and finite (got %g)",
                       c->learning_rate);
    switch (c->kind) {
    case NN_OPT_SGD:
        if (!unit_open(c->momentum))
            return nn_fail(e, "momentum must be in [0, 1) (got %g)", c->momentum);
        break;
    case NN_OPT_RMSPROP:
        if (!unit_open(c->rho))
            return nn_fail(e, "rho must be in [0, 1) (got %g)", c->rho);
        break;
    case NN_OPT_ADAM:
    case NN_OPT_NADAM:
        if (!unit_open(c->beta_1))
            return nn_fail(e, "beta_1 must be in [0, 1) (got %g)", c->beta_1);
        if (!unit_open(c->beta_2))
            return nn_fail(e, "beta_2 must be in [0, 1) (got %g)", c->beta_2);
        break;
    case NN_OPT_ADAGRAD:
        if (!(c->initial_accumulator_value >= 0.0) ||
            !isfinite(c->initial_accumulator_value))
            return nn_fail(e, "initial_accumulator_value must be >= 0 and "
                              "finite (got %g)", c->initial_accumulator_value);
        break;
    default:
        break;
    }
    if (c->kind != NN_OPT_SGD &&
        (!(c->epsilon >= 0.0) || !isfinite(c->epsilon)))
        return nn_fail(e, "epsilon must be >= 0 and finite (got %g)", c->epsilon);
    return NN_OK;
}

/* Which buffers a kind keeps: *nm for m, *nv for v (0 or 1 each). */
static void state_shape(nn_opt_kind kind, int *nm, int *nv)
{
    *nm = kind == NN_OPT_SGD || kind == NN_OPT_ADAM || kind == NN_OPT_ADAGRAD ||
          kind == NN_OPT_NADAM;
    *nv = kind == NN_OPT_RMSPROP || kind == NN_OPT_ADAM || kind == NN_OPT_NADAM;
}

/* Allocates the zeroed block and points m, v into it. */
static int state_alloc(nn_opt *o, nn_err *e)
{
    int nm, nv;
    state_shape(o->cfg.kind, &nm, &nv);
    size_t count = nn_mul3(o->n, (size_t)(nm + nv), 1);
    if (o->n > 0 && count == 0)
        return nn_fail(e, "optimizer state for %zu parameters overflows memory",
                       o->n);
    float *block = nn_calloc(count, sizeof(float), e);
    if (!block)
        return NN_FAIL;
    o->m = nm ? block : NULL;
    o->v = nv ? block + (nm ? o->n : 0) : NULL;
    return NN_OK;
}

int nn_opt_init(nn_opt *o, const nn_opt_cfg *c, size_t n, nn_err *e)
{
    if (nn_opt_check(c, e) != NN_OK)
        return NN_FAIL;
    memset(o, 0, sizeof *o);
    o->cfg = *c;
    o->n = n;
    o->t = 0;
    o->u_prod = 1.0;
    if (state_alloc(o, e) != NN_OK) {
        memset(o, 0, sizeof *o);
        return NN_FAIL;
    }
    if (c->kind == NN_OPT_ADAGRAD) {
        /* Keras: accumulators = initializers.Constant(initial_accumulator_value) */
        float a0 = (float)c->initial_accumulator_value;
        for (size_t i = 0; i < n; i++)
            o->m[i] = a0;
    }
    return NN_OK;
}

void nn_opt_free(nn_opt *o)
{
    if (!o)
        return;
    free(o->m ? o->m : o->v);
    memset(o, 0, sizeof *o);
}

/* dst must be zeroed or freed before, as for nn_opt_init. */
int nn_opt_copy(nn_opt *dst, const nn_opt *src, nn_err *e)
{
    nn_opt tmp = *src;
    if (state_alloc(&tmp, e) != NN_OK)
        return NN_FAIL;
    int nm, nv;
    state_shape(src->cfg.kind, &nm, &nv);
    if (nm && src->m)
        memcpy(tmp.m, src->m, src->n * sizeof(float));
    if (nv && src->v)
        memcpy(tmp.v, src->v, src->n * sizeof(float));
    *dst = tmp;
    return NN_OK;
}

/* The per-step scalars, computed once for all ranges. */
typedef struct step_scalars {
    int momentum, nesterov;   /* sgd: momentum != 0, nesterov */
    float lr, mu, one_minus_b1, one_minus_b2, rho, one_minus_rho, eps;
    float alpha;        /* adam: lr sqrt(1 - b2^t) / (1 - b1^t) */
    float k_m, k_g;     /* nadam: mhat = k_m m + k_g g */
    float k_v;          /* nadam: vhat = k_v v, k_v = 1 / (1 - b2^t) */
} step_scalars;

/* One kernel per rule, written out of place: it reads w, g and the state
 * m, v and writes wo, mo, vo, which may be the same floats as w, m, v (in
 * place: nn_opt_step) or others (the transaction: nn_opt_step_to).  Each
 * float depends on its own index only, so the loops carry no dependence
 * either way and vectorize as such (ELEMENTWISE). */
#if defined(__clang__)
#define ELEMENTWISE _Pragma("clang loop vectorize(assume_safety)")
#elif defined(__GNUC__)
#define ELEMENTWISE _Pragma("GCC ivdep")
#else
#define ELEMENTWISE
#endif

void nn_opt_sgd_kernel(float *wo, const float *w, const float *g, float lr,
                       size_t n)
{
    ELEMENTWISE
    for (size_t i = 0; i < n; i++)
        wo[i] = w[i] - lr * g[i];
}

/* sgd (keras/src/optimizers/sgd.py):
 *   momentum 0: w -= lr g
 *   else        m = mu m - lr g;  w += m,  nesterov: w += mu m - lr g */
static void rule_sgd(const step_scalars *s, float *wo, const float *w,
                     const float *g, float *mo, const float *m, float *vo,
                     const float *v, size_t n)
{
    const float lr = s->lr, mu = s->mu;
    (void)vo, (void)v;
    if (!s->momentum) {
        nn_opt_sgd_kernel(wo, w, g, lr, n);
        return;
    }
    if (s->nesterov) {
        ELEMENTWISE
        for (size_t i = 0; i < n; i++) {
            float mi = mu * m[i] - lr * g[i];
            mo[i] = mi;
            wo[i] = w[i] + (mu * mi - lr * g[i]);
        }
    } else {
        ELEMENTWISE
        for (size_t i = 0; i < n; i++) {
            float mi = mu * m[i] - lr * g[i];
            mo[i] = mi;
            wo[i] = w[i] + mi;
        }
    }
}

/* rmsprop (keras/src/optimizers/rmsprop.py, centered=False, momentum=0):
 *   v = rho v + (1 - rho) g^2;  w -= lr g / sqrt(v + eps)  (eps inside) */
static void rule_rmsprop(const step_scalars *s, float *wo, const float *w,
                         const float *g, float *mo, const float *m,
                         float *vo, const float *v, size_t n)
{
    const float lr = s->lr, rho = s->rho, c = s->one_minus_rho, eps = s->eps;
    (void)mo, (void)m;
    ELEMENTWISE
    for (size_t i = 0; i < n; i++) {
        float vi = rho * v[i] + c * g[i] * g[i];
        vo[i] = vi;
        wo[i] = w[i] - lr * g[i] / sqrtf(vi + eps);
    }
}

/* adam (keras/src/optimizers/adam.py, amsgrad=False):
 *   m += (g - m)(1 - b1);  v += (g^2 - v)(1 - b2)
 *   w -= alpha m / (sqrt(v) + eps),  alpha = lr sqrt(1 - b2^t) / (1 - b1^t) */
static void rule_adam(const step_scalars *s, float *wo, const float *w,
                      const float *g, float *mo, const float *m, float *vo,
                      const float *v, size_t n)
{
    const float c1 = s->one_minus_b1, c2 = s->one_minus_b2;
    const float a = s->alpha, eps = s->eps;
    ELEMENTWISE
    for (size_t i = 0; i < n; i++) {
        float mi = m[i] + (g[i] - m[i]) * c1;
        float vi = v[i] + (g[i] * g[i] - v[i]) * c2;
        mo[i] = mi;
        vo[i] = vi;
        wo[i] = w[i] - a * mi / (sqrtf(vi) + eps);
    }
}

/* adagrad (keras/src/optimizers/adagrad.py), the accumulator in m:
 *   acc += g^2;  w -= lr g / sqrt(acc + eps) */
static void rule_adagrad(const step_scalars *s, float *wo, const float *w,
                         const float *g, float *mo, const float *m,
                         float *vo, const float *v, size_t n)
{
    const float lr = s->lr, eps = s->eps;
    (void)vo, (void)v;
    ELEMENTWISE
    for (size_t i = 0; i < n; i++) {
        float acc = m[i] + g[i] * g[i];
        mo[i] = acc;
        wo[i] = w[i] - lr * g[i] / sqrtf(acc + eps);
    }
}

/* nadam (keras/src/optimizers/nadam.py; Dozat 2016):
 *   m += (g - m)(1 - b1);  v += (g^2 - v)(1 - b2)
 *   mhat = u_t1 m / (1 - P_t1) + (1 - u_t) g / (1 - P_t) = k_m m + k_g g
 *   vhat = v / (1 - b2^t) = k_v v
 *   w -= lr mhat / (sqrt(vhat) + eps) */
static void rule_nadam(const step_scalars *s, float *wo, const float *w,
                       const float *g, float *mo, const float *m, float *vo,
                       const float *v, size_t n)
{
    const float c1 = s->one_minus_b1, c2 = s->one_minus_b2;
    const float lr = s->lr, eps = s->eps;
    const float km = s->k_m, kg = s->k_g, kv = s->k_v;
    ELEMENTWISE
    for (size_t i = 0; i < n; i++) {
        float mi = m[i] + (g[i] - m[i]) * c1;
        float vi = v[i] + (g[i] * g[i] - v[i]) * c2;
        mo[i] = mi;
        vo[i] = vi;
        float mhat = km * mi + kg * g[i];
        wo[i] = w[i] - lr * mhat / (sqrtf(kv * vi) + eps);
    }
}

/* The kind's rule on n floats (out of place, or in place when wo, mo, vo
 * are w, m, v). */
static void rule(const nn_opt *o, const step_scalars *s, float *wo,
                 const float *w, const float *g, float *mo, const float *m,
                 float *vo, const float *v, size_t n)
{
    switch (o->cfg.kind) {
    case NN_OPT_SGD: rule_sgd(s, wo, w, g, mo, m, vo, v, n); break;
    case NN_OPT_RMSPROP: rule_rmsprop(s, wo, w, g, mo, m, vo, v, n); break;
    case NN_OPT_ADAM: rule_adam(s, wo, w, g, mo, m, vo, v, n); break;
    case NN_OPT_ADAGRAD: rule_adagrad(s, wo, w, g, mo, m, vo, v, n); break;
    case NN_OPT_NADAM: rule_nadam(s, wo, w, g, mo, m, vo, v, n); break;
    default: break;
    }
}

/* t += 1 and the scalars of this step. */
static void step_begin(nn_opt *o, step_scalars *s)
{
    const nn_opt_cfg *c = &o->cfg;
    memset(s, 0, sizeof *s);
    o->t += 1;
    double t = (double)o->t;
    s->momentum = c->momentum != 0.0;
    s->nesterov = c->nesterov != 0;
    s->lr = (float)c->learning_rate;
    s->mu = (float)c->momentum;
    s->rho = (float)c->rho;
    s->one_minus_rho = (float)(1.0 - c->rho);
    s->one_minus_b1 = (float)(1.0 - c->beta_1);
    s->one_minus_b2 = (float)(1.0 - c->beta_2);
    s->eps = (float)c->epsilon;
    if (c->kind == NN_OPT_ADAM) {
        double b1t = pow(c->beta_1, t), b2t = pow(c->beta_2, t);
        s->alpha = (float)(c->learning_rate * sqrt(1.0 - b2t) / (1.0 - b1t));
    } else if (c->kind == NN_OPT_NADAM) {
        /* u_t = b1 (1 - 0.5 0.96^t); P_t = P_{t-1} u_t (Keras updates
         * _u_product before the variables); P_t1 = P_t u_{t+1}. */
        double u_t = c->beta_1 * (1.0 - 0.5 * pow(0.96, t));
        double u_t1 = c->beta_1 * (1.0 - 0.5 * pow(0.96, t + 1.0));
        o->u_prod *= u_t;
        double p_t = o->u_prod, p_t1 = p_t * u_t1;
        s->k_m = (float)(u_t1 / (1.0 - p_t1));
        s->k_g = (float)((1.0 - u_t) / (1.0 - p_t));
        s->k_v = (float)(1.0 / (1.0 - pow(c->beta_2, t)));
    }
}

/* In place over the ranges, on w and the state at m, v. */
static void step_ranges(const nn_opt *o, const step_scalars *s, float *w,
                        const float *g, float *m0, float *v0,
                        const size_t *off, const size_t *len, int nranges)
{
    for (int r = 0; r < nranges; r++) {
        size_t o0 = off[r], n = len[r];
        /* The state is indexed like w: a range's state sits at the
         * same offset. */
        float *wr = w + o0, *m = m0 ? m0 + o0 : NULL;
        float *v = v0 ? v0 + o0 : NULL;
        const float *gr = g + o0;
        rule(o, s, wr, wr, gr, m, m, v, v, n);
    }
}

void nn_opt_step(nn_opt *o, float *w, const float *g,
                 const size_t *off, const size_t *len, int nranges)
{
    step_scalars s;
    step_begin(o, &s);
    step_ranges(o, &s, w, g, o->m, o->v, off, len, nranges);
}

size_t nn_opt_state_floats(const nn_opt *o)
{
    return ((o->m != NULL) + (o->v != NULL)) * o->n;
}

/* Does this step change the state?  (sgd without momentum does not.) */
static int writes_state(const nn_opt *o)
{
    if (!o->m && !o->v)
        return 0;
    return o->cfg.kind != NN_OPT_SGD || o->cfg.momentum != 0.0;
}

/* The out-of-place step in blocks of STEP_BLOCK parameters, which
 * nn_parallel_for may share among threads: each block copies what lies
 * outside the ranges and updates what lies inside.  Elementwise, so the
 * numbers do not depend on the blocks or on who computes them. */
#define STEP_BLOCK 16384

typedef struct step_job {
    const nn_opt *o;
    const step_scalars *s;
    float *wo, *mo, *vo;         /* outputs; mo, vo NULL: state unchanged */
    const float *w, *g;
    const size_t *off, *len;     /* in increasing order */
    int nranges;
} step_job;

static void copy_span(const step_job *j, size_t a, size_t b)
{
    memcpy(j->wo + a, j->w + a, (b - a) * sizeof(float));
    if (j->mo)
        memcpy(j->mo + a, j->o->m + a, (b - a) * sizeof(float));
    if (j->vo)
        memcpy(j->vo + a, j->o->v + a, (b - a) * sizeof(float));
}

static void step_span(const step_job *j, size_t a, size_t b)
{
    const step_scalars *s = j->s;
    const nn_opt *o = j->o;
    size_t k = b - a;
    float *wr = j->wo + a, *mr = j->mo ? j->mo + a : NULL;
    float *vr = j->vo ? j->vo + a : NULL;
    const float *wi = j->w + a, *gr = j->g + a;
    const float *m = o->m ? o->m + a : NULL, *v = o->v ? o->v + a : NULL;
    rule(o, s, wr, wi, gr, mr, m, vr, v, k);
}

static void step_block(void *ctx, int blk)
{
    const step_job *j = ctx;
    size_t lo = (size_t)blk * STEP_BLOCK, hi = lo + STEP_BLOCK, at = lo;
    if (hi > j->o->n)
        hi = j->o->n;
    for (int r = 0; r < j->nranges; r++) {
        size_t a = j->off[r], b = j->off[r] + j->len[r];
        if (b <= lo)
            continue;
        if (a >= hi)
            break;
        a = a < lo ? lo : a;
        b = b > hi ? hi : b;
        if (a > at)
            copy_span(j, at, a);
        step_span(j, a, b);
        at = b;
    }
    if (at < hi)
        copy_span(j, at, hi);
}

int nn_opt_step_to(nn_opt *o, float *w_out, const float *w, const float *g,
                   float *state_out, const size_t *off, const size_t *len,
                   int nranges)
{
    size_t n = o->n;
    int wst = writes_state(o);
    float *mo = NULL, *vo = NULL;
    if (wst) {
        mo = o->m ? state_out : NULL;
        vo = o->v ? state_out + (o->m ? n : 0) : NULL;
    }
    int sorted = 1;
    for (int r = 0; r < nranges && sorted; r++)
        sorted = off[r] + len[r] <= n && (r == 0 || off[r] >= off[r - 1] + len[r - 1]);
    step_scalars s;
    step_begin(o, &s);
    if (!sorted) {
        /* the general case: copy everything, then step in place there */
        memcpy(w_out, w, n * sizeof *w_out);
        if (wst)
            memcpy(state_out, o->m ? o->m : o->v,
                   nn_opt_state_floats(o) * sizeof *state_out);
        step_ranges(o, &s, w_out, g, mo, vo, off, len, nranges);
        return wst;
    }
    step_job j = {o, &s, w_out, mo, vo, w, g, off, len, nranges};
    nn_parallel_for((int)((n + STEP_BLOCK - 1) / STEP_BLOCK), step_block, &j);
    return wst;
}

void nn_opt_swap_state(nn_opt *o, float **state)
{
    float *cur = o->m ? o->m : o->v, *next = *state;
    if (!cur)
        return;
    if (o->m)
        o->m = next;
    if (o->v)
        o->v = next + (o->m ? o->n : 0);
    *state = cur;
}
