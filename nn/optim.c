/* optim.c - Keras's optimizers over one flat parameter buffer.
 *
 * Each update rule is a loop over n floats (kann's and llm.c's layout;
 * the kernels are in optim_rules.c): the scalars that depend only on the
 * step (bias corrections, Nadam's momentum schedule) are computed once
 * per step in double, then the loop runs in float, as Keras does on
 * float32 variables.  The formulas are Keras 3's, keras/src/optimizers/;
 * optim.h lists them.
 *
 * State layout: one allocation per optimizer, the buffers in this order:
 *   m        sgd's momentum buffer (always allocated so that momentum may
 *            be raised between steps: 1cycle moves it); adam's, adamw's,
 *            nadam's, adamax's first moment; adagrad's and ftrl's
 *            accumulator (starts at initial_accumulator_value);
 *            adadelta's accumulated g^2; lion's momentum
 *   v        rmsprop's velocity; adam's, adamw's, nadam's second moment;
 *            adamax's u; adadelta's accumulated delta^2; ftrl's linear
 *   vh       amsgrad's largest v
 *   ema      use_ema's moving average of the weights
 * each n floats when the kind and options keep it, NULL when not.
 * Changing cfg between steps is fine for the numbers (learning_rate,
 * momentum, ...), not for kind, amsgrad, use_ema or clipping: the state
 * was laid out for the cfg given to nn_opt_init. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mat.h"
#include "optim.h"
#include "optim_rules.h"

const char *const nn_opt_names[] = {
    "sgd", "rmsprop", "adam", "adagrad", "nadam", "adamw", "adamax",
    "adadelta", "ftrl", "lion", NULL
};

/* The settings each optimizer's constructor takes besides the common ones
 * (Keras 3's keras.optimizers.SGD(learning_rate, momentum, nesterov),
 * RMSprop(..., rho, ..., epsilon), Adam(..., beta_1, beta_2, epsilon,
 * amsgrad), ...), by nn_opt_kind. */
const char *const nn_opt_settings[NN_OPT_COUNT] = {
    "learning_rate momentum nesterov",
    "learning_rate rho epsilon",
    "learning_rate beta_1 beta_2 epsilon amsgrad",
    "learning_rate initial_accumulator_value epsilon",
    "learning_rate beta_1 beta_2 epsilon",
    "learning_rate weight_decay beta_1 beta_2 epsilon amsgrad",
    "learning_rate beta_1 beta_2 epsilon",
    "learning_rate rho epsilon",
    "learning_rate learning_rate_power initial_accumulator_value "
    "l1_regularization_strength l2_regularization_strength "
    "l2_shrinkage_regularization_strength beta",
    "learning_rate beta_1 beta_2",
};

/* keras.optimizers.Optimizer's own arguments (base_optimizer.py). */
const char nn_opt_common_settings[] =
    "weight_decay clipnorm clipvalue global_clipnorm use_ema ema_momentum "
    "ema_overwrite_frequency";

void nn_opt_defaults(nn_opt_cfg *c, nn_opt_kind kind)
{
    memset(c, 0, sizeof *c);
    c->kind = kind;
    /* Keras 3: SGD(learning_rate=0.01, momentum=0.0, nesterov=False);
     * the others default to learning_rate=0.001. */
    c->learning_rate = kind == NN_OPT_SGD ? 0.01 : 0.001;
    c->momentum = 0.0;
    c->nesterov = 0;
    c->rho = kind == NN_OPT_ADADELTA ? 0.95 : 0.9;   /* Adadelta, RMSprop */
    c->beta_1 = 0.9;                     /* Adam, Nadam, Adamax, Lion */
    c->beta_2 = kind == NN_OPT_LION ? 0.99 : 0.999;
    c->epsilon = 1e-7;                   /* all but SGD, Ftrl, Lion */
    c->initial_accumulator_value = 0.1;  /* Adagrad, Ftrl */
    c->learning_rate_power = -0.5;       /* Ftrl */
    c->weight_decay = kind == NN_OPT_ADAMW ? 0.004 : 0.0;
    c->ema_momentum = 0.99;
}

/* 0 <= x < 1 (false for NaN). */
static int unit_open(double x) { return x >= 0.0 && x < 1.0; }
/* x >= 0 and finite. */
static int nonneg(double x) { return x >= 0.0 && isfinite(x); }

static int uses_epsilon(nn_opt_kind k)
{
    return k != NN_OPT_SGD && k != NN_OPT_FTRL && k != NN_OPT_LION;
}

/* The settings of one kind. */
static int check_kind(const nn_opt_cfg *c, nn_err *e)
{
    switch (c->kind) {
    case NN_OPT_SGD:
        if (!unit_open(c->momentum))
            return nn_fail(e, "momentum must be in [0, 1) (got %g)", c->momentum);
        break;
    case NN_OPT_RMSPROP:
    case NN_OPT_ADADELTA:
        if (!unit_open(c->rho))
            return nn_fail(e, "rho must be in [0, 1) (got %g)", c->rho);
        break;
    case NN_OPT_LION:
        /* Keras: beta_1 in (0, 1], else Lion degenerates to SignSGD */
        if (!(c->beta_1 > 0.0 && c->beta_1 <= 1.0))
            return nn_fail(e, "beta_1 must be in (0, 1] (got %g)", c->beta_1);
        if (!unit_open(c->beta_2))
            return nn_fail(e, "beta_2 must be in [0, 1) (got %g)", c->beta_2);
        break;
    case NN_OPT_ADAM:
    case NN_OPT_NADAM:
    case NN_OPT_ADAMW:
    case NN_OPT_ADAMAX:
        if (!unit_open(c->beta_1))
            return nn_fail(e, "beta_1 must be in [0, 1) (got %g)", c->beta_1);
        if (!unit_open(c->beta_2))
            return nn_fail(e, "beta_2 must be in [0, 1) (got %g)", c->beta_2);
        break;
    case NN_OPT_ADAGRAD:
        if (!nonneg(c->initial_accumulator_value))
            return nn_fail(e, "initial_accumulator_value must be >= 0 and "
                              "finite (got %g)", c->initial_accumulator_value);
        break;
    case NN_OPT_FTRL:
        if (!nonneg(c->initial_accumulator_value))
            return nn_fail(e, "initial_accumulator_value must be >= 0 and "
                              "finite (got %g)", c->initial_accumulator_value);
        if (!(c->learning_rate_power <= 0.0) || !isfinite(c->learning_rate_power))
            return nn_fail(e, "learning_rate_power must be <= 0 (got %g)",
                           c->learning_rate_power);
        if (!nonneg(c->l1_regularization_strength) ||
            !nonneg(c->l2_regularization_strength) ||
            !nonneg(c->l2_shrinkage_regularization_strength) || !nonneg(c->beta))
            return nn_fail(e, "l1_regularization_strength, "
                              "l2_regularization_strength, "
                              "l2_shrinkage_regularization_strength and beta "
                              "must be >= 0 and finite");
        break;
    default:
        break;
    }
    return NN_OK;
}

/* The common options (Keras's base Optimizer refuses more than one
 * clipping). */
static int check_common(const nn_opt_cfg *c, nn_err *e)
{
    if (!nonneg(c->weight_decay))
        return nn_fail(e, "weight_decay must be >= 0 and finite (got %g)",
                       c->weight_decay);
    if (!nonneg(c->clipnorm) || !nonneg(c->clipvalue) || !nonneg(c->global_clipnorm))
        return nn_fail(e, "clipnorm, clipvalue and global_clipnorm must be > 0 "
                          "and finite");
    if ((c->clipnorm > 0) + (c->clipvalue > 0) + (c->global_clipnorm > 0) > 1)
        return nn_fail(e, "only one of clipnorm, clipvalue and global_clipnorm "
                          "may be set (as Keras)");
    if ((unsigned)c->amsgrad > 1 || (unsigned)c->use_ema > 1)
        return nn_fail(e, "amsgrad and use_ema are true or false");
    if (c->amsgrad && c->kind != NN_OPT_ADAM && c->kind != NN_OPT_ADAMW)
        return nn_fail(e, "amsgrad is a setting of adam and adamw only");
    if (!(c->ema_momentum >= 0.0 && c->ema_momentum <= 1.0))
        return nn_fail(e, "ema_momentum must be in [0, 1] (got %g)", c->ema_momentum);
    if (c->ema_overwrite_frequency < 0)
        return nn_fail(e, "ema_overwrite_frequency must be >= 1, or 0 for none "
                          "(got %d)", c->ema_overwrite_frequency);
    return NN_OK;
}

int nn_opt_check(const nn_opt_cfg *c, nn_err *e)
{
    if ((int)c->kind < 0 || c->kind >= NN_OPT_COUNT)
        return nn_fail(e, "unknown optimizer (%d); allowed: sgd, rmsprop, "
                          "adam, adagrad, nadam, adamw, adamax, adadelta, "
                          "ftrl, lion", (int)c->kind);
    if (!(c->learning_rate > 0.0) || !isfinite(c->learning_rate))
        return nn_fail(e, "learning_rate must be > 0 and finite (got %g)",
                       c->learning_rate);
    if (check_kind(c, e) != NN_OK)
        return NN_FAIL;
    if (uses_epsilon(c->kind) && !nonneg(c->epsilon))
        return nn_fail(e, "epsilon must be >= 0 and finite (got %g)", c->epsilon);
    return check_common(c, e);
}

int nn_opt_plain_sgd(const nn_opt_cfg *c)
{
    return c->kind == NN_OPT_SGD && c->momentum == 0.0 && c->weight_decay == 0.0 &&
           !(c->clipnorm > 0) && !(c->clipvalue > 0) && !(c->global_clipnorm > 0) &&
           !c->use_ema;
}

int nn_opt_per_tensor(const nn_opt_cfg *c)
{
    return c->clipnorm > 0;
}

static int clips(const nn_opt_cfg *c)
{
    return c->clipnorm > 0 || c->clipvalue > 0 || c->global_clipnorm > 0;
}

/* Which buffers c keeps (0 or 1 each), in the block's order. */
static void state_shape(const nn_opt_cfg *c, int has[4])
{
    nn_opt_kind k = c->kind;
    has[0] = k != NN_OPT_RMSPROP;
    has[1] = k != NN_OPT_SGD && k != NN_OPT_ADAGRAD && k != NN_OPT_LION;
    has[2] = c->amsgrad != 0;
    has[3] = c->use_ema != 0;
}

/* Points m, v, vh, ema into block (laid out as o's; NULL where o keeps
 * none). */
static void state_point(nn_opt *o, float *block)
{
    int has[4];
    state_shape(&o->cfg, has);
    float **bufs[4] = {&o->m, &o->v, &o->vh, &o->ema};
    size_t at = 0;
    for (int k = 0; k < 4; k++) {
        *bufs[k] = has[k] ? block + at : NULL;
        at += has[k] ? o->n : 0;
    }
}

/* Allocates the zeroed block and points m, v, vh, ema into it, and the
 * clipping scratch. */
static int state_alloc(nn_opt *o, nn_err *e)
{
    int has[4];
    state_shape(&o->cfg, has);
    size_t count = nn_mul3(o->n, (size_t)(has[0] + has[1] + has[2] + has[3]), 1);
    if (o->n > 0 && count == 0)
        return nn_fail(e, "optimizer state for %zu parameters overflows memory",
                       o->n);
    float *block = nn_calloc(count, sizeof(float), e);
    if (!block)
        return NN_FAIL;
    o->gclip = NULL;
    if (clips(&o->cfg)) {
        o->gclip = nn_calloc(o->n ? o->n : 1, sizeof(float), e);
        if (!o->gclip) {
            free(block);
            return NN_FAIL;
        }
    }
    state_point(o, block);
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
    if (c->kind == NN_OPT_ADAGRAD || c->kind == NN_OPT_FTRL) {
        /* Keras: accumulators = initializers.Constant(initial_accumulator_value) */
        float a0 = (float)c->initial_accumulator_value;
        for (size_t i = 0; i < n; i++)
            o->m[i] = a0;
    }
    return NN_OK;
}

float *nn_opt_state(const nn_opt *o)
{
    return o->m ? o->m : o->v ? o->v : o->vh ? o->vh : o->ema;
}

void nn_opt_free(nn_opt *o)
{
    if (!o)
        return;
    free(nn_opt_state(o));
    free(o->gclip);
    memset(o, 0, sizeof *o);
}

/* dst must be zeroed or freed before, as for nn_opt_init. */
int nn_opt_copy(nn_opt *dst, const nn_opt *src, nn_err *e)
{
    nn_opt tmp = *src;
    if (state_alloc(&tmp, e) != NN_OK)
        return NN_FAIL;
    size_t k = nn_opt_state_floats(src);
    if (k && nn_opt_state(src))
        memcpy(nn_opt_state(&tmp), nn_opt_state(src), k * sizeof(float));
    *dst = tmp;
    return NN_OK;
}

/* t += 1 and the scalars of this step. */
static void step_begin(nn_opt *o, opt_scalars *s)
{
    const nn_opt_cfg *c = &o->cfg;
    memset(s, 0, sizeof *s);
    o->t += 1;
    double t = (double)o->t;
    s->kind = c->kind;
    s->momentum = c->momentum != 0.0;
    s->nesterov = c->nesterov != 0;
    s->amsgrad = c->amsgrad != 0;
    s->lr = (float)c->learning_rate;
    s->mu = (float)c->momentum;
    s->rho = (float)c->rho;
    s->one_minus_rho = (float)(1.0 - c->rho);
    s->b1 = (float)c->beta_1;
    s->b2 = (float)c->beta_2;
    s->one_minus_b1 = (float)(1.0 - c->beta_1);
    s->one_minus_b2 = (float)(1.0 - c->beta_2);
    s->eps = (float)c->epsilon;
    s->wd = (float)c->weight_decay;
    if (c->kind == NN_OPT_ADAM || c->kind == NN_OPT_ADAMW) {
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
    } else if (c->kind == NN_OPT_ADAMAX) {
        s->one_minus_b1t = (float)(1.0 - pow(c->beta_1, t));
    } else if (c->kind == NN_OPT_FTRL) {
        s->power = (float)-c->learning_rate_power;
        s->sqrt_power = c->learning_rate_power == -0.5;
        s->l1 = (float)c->l1_regularization_strength;
        s->two_l2 = (float)(2.0 * (c->l2_regularization_strength +
                                   c->beta / (2.0 * c->learning_rate)));
        s->two_shrink = (float)(2.0 * c->l2_shrinkage_regularization_strength);
    }
    s->ema = c->use_ema != 0;
    /* Keras: momentum * not_first_step, iterations counted before the step;
     * overwrite when (iterations + 1) % frequency == 0 */
    s->ema_mu = o->t > 1 ? (float)c->ema_momentum : 0.0f;
    s->ema_overwrite = c->ema_overwrite_frequency > 0 &&
                       o->t % c->ema_overwrite_frequency == 0;
}

/* Keras's _clip_gradients on the ranges of g, into o->gclip; returns the
 * gradient the rule reads (g itself without clipping):
 *   clipnorm c         each range (a weight tensor) g c / max(||g||, c)
 *   global_clipnorm c  all ranges g c min(1 / ||all g||, 1 / c)
 *   clipvalue c        clip(g, -c, c) */
static const float *clip_grads(const nn_opt *o, const float *g,
                               const size_t *off, const size_t *len, int nranges)
{
    const nn_opt_cfg *c = &o->cfg;
    float *out = o->gclip;
    if (!clips(c) || !out)
        return g;
    if (c->clipvalue > 0) {
        float cv = (float)c->clipvalue;
        for (int r = 0; r < nranges; r++)
            for (size_t i = off[r]; i < off[r] + len[r]; i++)
                out[i] = g[i] < -cv ? -cv : g[i] > cv ? cv : g[i];
        return out;
    }
    double total = 0.0;
    for (int r = 0; r < nranges && c->global_clipnorm > 0; r++)
        for (size_t i = off[r]; i < off[r] + len[r]; i++)
            total += (double)g[i] * g[i];
    float gscale = (float)(c->global_clipnorm *
                           fmin(1.0 / sqrt(total), 1.0 / c->global_clipnorm));
    for (int r = 0; r < nranges; r++) {
        if (c->clipnorm > 0) {
            double ss = 0.0;
            for (size_t i = off[r]; i < off[r] + len[r]; i++)
                ss += (double)g[i] * g[i];
            float cn = (float)c->clipnorm, norm = (float)sqrt(ss);
            float den = norm > cn ? norm : cn;
            for (size_t i = off[r]; i < off[r] + len[r]; i++)
                out[i] = g[i] * cn / den;
        } else {
            for (size_t i = off[r]; i < off[r] + len[r]; i++)
                out[i] = g[i] * gscale;
        }
    }
    return out;
}

/* The span [a, b) of the buffers: the inputs w, g and the state at in,
 * the outputs wo and the state at out (NULL: the state is not written). */
static void span_at(const nn_opt *o, opt_span *p, float *wo, const float *w,
                    const float *g, float *const out[4], size_t a, size_t b)
{
    const float *in[4] = {o->m, o->v, o->vh, o->ema};
    float **po[4] = {&p->mo, &p->vo, &p->vho, &p->emao};
    const float **pi[4] = {&p->m, &p->v, &p->vh, &p->ema};
    p->wo = wo + a;
    p->w = w + a;
    p->g = g + a;
    p->n = b - a;
    for (int k = 0; k < 4; k++) {
        *pi[k] = in[k] ? in[k] + a : NULL;
        *po[k] = out[k] ? out[k] + a : NULL;
    }
}

void nn_opt_step(nn_opt *o, float *w, const float *g,
                 const size_t *off, const size_t *len, int nranges)
{
    opt_scalars s;
    step_begin(o, &s);
    g = clip_grads(o, g, off, len, nranges);
    float *out[4] = {o->m, o->v, o->vh, o->ema};
    for (int r = 0; r < nranges; r++) {
        /* the state is indexed like w: a range's state sits at the same
         * offset */
        opt_span p;
        span_at(o, &p, w, w, g, out, off[r], off[r] + len[r]);
        nn_opt_rule(&s, &p);
    }
}

size_t nn_opt_state_floats(const nn_opt *o)
{
    return ((o->m != NULL) + (o->v != NULL) + (o->vh != NULL) + (o->ema != NULL)) *
           o->n;
}

/* Does this step change the state?  (sgd without momentum and ema does
 * not.) */
static int writes_state(const nn_opt *o)
{
    if (!nn_opt_state(o))
        return 0;
    return o->cfg.kind != NN_OPT_SGD || o->cfg.momentum != 0.0 || o->ema;
}

/* The out-of-place step in blocks of STEP_BLOCK parameters, which
 * nn_parallel_for may share among threads: each block copies what lies
 * outside the ranges and updates what lies inside.  Elementwise, so the
 * numbers do not depend on the blocks or on who computes them. */
#define STEP_BLOCK 16384

typedef struct step_job {
    const nn_opt *o;
    const opt_scalars *s;
    float *wo;
    float *out[4];               /* the state's outputs; NULL: unchanged */
    const float *w, *g;
    const size_t *off, *len;     /* in increasing order */
    int nranges;
} step_job;

static void copy_span(const step_job *j, size_t a, size_t b)
{
    const float *in[4] = {j->o->m, j->o->v, j->o->vh, j->o->ema};
    memcpy(j->wo + a, j->w + a, (b - a) * sizeof(float));
    for (int k = 0; k < 4; k++)
        if (j->out[k])
            memcpy(j->out[k] + a, in[k] + a, (b - a) * sizeof(float));
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
        opt_span p;
        span_at(j->o, &p, j->wo, j->w, j->g, j->out, a, b);
        nn_opt_rule(j->s, &p);
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
    nn_opt tmp = *o;          /* the outputs laid out as o's state */
    if (wst)
        state_point(&tmp, state_out);
    float *out[4] = {NULL, NULL, NULL, NULL};
    if (wst) {
        out[0] = tmp.m, out[1] = tmp.v, out[2] = tmp.vh, out[3] = tmp.ema;
    }
    int sorted = 1;
    for (int r = 0; r < nranges && sorted; r++)
        sorted = off[r] + len[r] <= n && (r == 0 || off[r] >= off[r - 1] + len[r - 1]);
    opt_scalars s;
    step_begin(o, &s);
    g = clip_grads(o, g, off, len, nranges);
    if (!sorted) {
        /* the general case: copy everything, then step in place there */
        memcpy(w_out, w, n * sizeof *w_out);
        if (wst)
            memcpy(state_out, nn_opt_state(o),
                   nn_opt_state_floats(o) * sizeof *state_out);
        for (int r = 0; r < nranges; r++) {
            opt_span p;
            span_at(&tmp, &p, w_out, w_out, g, out, off[r], off[r] + len[r]);
            nn_opt_rule(&s, &p);
        }
        return wst;
    }
    step_job j = {o, &s, w_out, {out[0], out[1], out[2], out[3]}, w, g, off, len,
                  nranges};
    nn_parallel_for((int)((n + STEP_BLOCK - 1) / STEP_BLOCK), step_block, &j);
    return wst;
}

void nn_opt_swap_state(nn_opt *o, float **state)
{
    float *cur = nn_opt_state(o), *next = *state;
    if (!cur)
        return;
    state_point(o, next);
    *state = cur;
}

void nn_opt_finalize(const nn_opt *o, float *w, const size_t *off,
                     const size_t *len, int nranges)
{
    if (!o->ema || o->t < 1)
        return;
    for (int r = 0; r < nranges; r++)
        memcpy(w + off[r], o->ema + off[r], len[r] * sizeof(float));
}
