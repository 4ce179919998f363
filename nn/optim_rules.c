/* optim_rules.c - the update rules of Keras 3's optimizers, one kernel
 * each (keras/src/optimizers/{sgd,rmsprop,adam,adagrad,nadam,adamw,
 * adamax,adadelta,ftrl,lion}.py), and the two passes of the base
 * Optimizer around them (keras/src/optimizers/base_optimizer.py):
 * weight decay before the rule, the moving average (use_ema) after.
 * The formulas are listed in optim.h; each kernel repeats its own. */
#include <math.h>
#include "optim_rules.h"

/* Each float depends on its own index only, so the loops carry no
 * dependence, in place or not, and vectorize as such. */
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

/* sgd: momentum 0: w -= lr g
 *      else m = mu m - lr g;  w += m,  nesterov: w += mu m - lr g */
static void rule_sgd(const opt_scalars *s, const opt_span *p)
{
    const float lr = s->lr, mu = s->mu;
    float *wo = p->wo, *mo = p->mo;
    const float *w = p->w, *g = p->g, *m = p->m;
    size_t n = p->n;
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

/* rmsprop (centered=False, momentum=0):
 *   v = rho v + (1 - rho) g^2;  w -= lr g / sqrt(v + eps)  (eps inside) */
static void rule_rmsprop(const opt_scalars *s, const opt_span *p)
{
    const float lr = s->lr, rho = s->rho, c = s->one_minus_rho, eps = s->eps;
    float *wo = p->wo, *vo = p->vo;
    const float *w = p->w, *g = p->g, *v = p->v;
    ELEMENTWISE
    for (size_t i = 0; i < p->n; i++) {
        float vi = rho * v[i] + c * g[i] * g[i];
        vo[i] = vi;
        wo[i] = w[i] - lr * g[i] / sqrtf(vi + eps);
    }
}

/* adam and adamw (adamw.py is Adam with weight_decay=0.004):
 *   m += (g - m)(1 - b1);  v += (g^2 - v)(1 - b2)
 *   amsgrad: vh = max(vh, v), vh in v's place below
 *   w -= alpha m / (sqrt(v) + eps),  alpha = lr sqrt(1 - b2^t) / (1 - b1^t) */
static void rule_adam(const opt_scalars *s, const opt_span *p)
{
    const float c1 = s->one_minus_b1, c2 = s->one_minus_b2;
    const float a = s->alpha, eps = s->eps;
    float *wo = p->wo, *mo = p->mo, *vo = p->vo, *vho = p->vho;
    const float *w = p->w, *g = p->g, *m = p->m, *v = p->v, *vh = p->vh;
    size_t n = p->n;
    if (s->amsgrad) {
        ELEMENTWISE
        for (size_t i = 0; i < n; i++) {
            float mi = m[i] + (g[i] - m[i]) * c1;
            float vi = v[i] + (g[i] * g[i] - v[i]) * c2;
            float hi = vh[i] > vi ? vh[i] : vi;
            mo[i] = mi;
            vo[i] = vi;
            vho[i] = hi;
            wo[i] = w[i] - a * mi / (sqrtf(hi) + eps);
        }
        return;
    }
    ELEMENTWISE
    for (size_t i = 0; i < n; i++) {
        float mi = m[i] + (g[i] - m[i]) * c1;
        float vi = v[i] + (g[i] * g[i] - v[i]) * c2;
        mo[i] = mi;
        vo[i] = vi;
        wo[i] = w[i] - a * mi / (sqrtf(vi) + eps);
    }
}

/* adagrad, the accumulator in m:
 *   acc += g^2;  w -= lr g / sqrt(acc + eps) */
static void rule_adagrad(const opt_scalars *s, const opt_span *p)
{
    const float lr = s->lr, eps = s->eps;
    float *wo = p->wo, *mo = p->mo;
    const float *w = p->w, *g = p->g, *m = p->m;
    ELEMENTWISE
    for (size_t i = 0; i < p->n; i++) {
        float acc = m[i] + g[i] * g[i];
        mo[i] = acc;
        wo[i] = w[i] - lr * g[i] / sqrtf(acc + eps);
    }
}

/* nadam (Dozat 2016):
 *   m += (g - m)(1 - b1);  v += (g^2 - v)(1 - b2)
 *   mhat = u_t1 m / (1 - P_t1) + (1 - u_t) g / (1 - P_t) = k_m m + k_g g
 *   vhat = v / (1 - b2^t) = k_v v
 *   w -= lr mhat / (sqrt(vhat) + eps) */
static void rule_nadam(const opt_scalars *s, const opt_span *p)
{
    const float c1 = s->one_minus_b1, c2 = s->one_minus_b2;
    const float lr = s->lr, eps = s->eps;
    const float km = s->k_m, kg = s->k_g, kv = s->k_v;
    float *wo = p->wo, *mo = p->mo, *vo = p->vo;
    const float *w = p->w, *g = p->g, *m = p->m, *v = p->v;
    ELEMENTWISE
    for (size_t i = 0; i < p->n; i++) {
        float mi = m[i] + (g[i] - m[i]) * c1;
        float vi = v[i] + (g[i] * g[i] - v[i]) * c2;
        mo[i] = mi;
        vo[i] = vi;
        float mhat = km * mi + kg * g[i];
        wo[i] = w[i] - lr * mhat / (sqrtf(kv * vi) + eps);
    }
}

/* adamax (Kingma & Ba, section 7.1), u in v:
 *   m += (g - m)(1 - b1);  u = max(b2 u, |g|)
 *   w -= lr m / ((1 - b1^t)(u + eps)) */
static void rule_adamax(const opt_scalars *s, const opt_span *p)
{
    const float c1 = s->one_minus_b1, b2 = s->b2, lr = s->lr, eps = s->eps;
    const float k = s->one_minus_b1t;
    float *wo = p->wo, *mo = p->mo, *vo = p->vo;
    const float *w = p->w, *g = p->g, *m = p->m, *v = p->v;
    ELEMENTWISE
    for (size_t i = 0; i < p->n; i++) {
        float mi = m[i] + (g[i] - m[i]) * c1;
        float bu = b2 * v[i], ag = fabsf(g[i]);
        float ui = bu > ag ? bu : ag;
        mo[i] = mi;
        vo[i] = ui;
        wo[i] = w[i] - lr * mi / (k * (ui + eps));
    }
}

/* adadelta (Zeiler 2012), the accumulated g^2 in m, the accumulated
 * delta^2 in v:
 *   a = rho a + (1 - rho) g^2
 *   d = -sqrt(D + eps) g / sqrt(a + eps)
 *   D = rho D + (1 - rho) d^2;  w += lr d */
static void rule_adadelta(const opt_scalars *s, const opt_span *p)
{
    const float rho = s->rho, c = s->one_minus_rho, eps = s->eps, lr = s->lr;
    float *wo = p->wo, *mo = p->mo, *vo = p->vo;
    const float *w = p->w, *g = p->g, *m = p->m, *v = p->v;
    ELEMENTWISE
    for (size_t i = 0; i < p->n; i++) {
        float ai = rho * m[i] + c * g[i] * g[i];
        float d = -(sqrtf(v[i] + eps) * g[i]) / sqrtf(ai + eps);
        mo[i] = ai;
        vo[i] = rho * v[i] + c * d * d;
        wo[i] = w[i] + lr * d;
    }
}

/* ftrl (McMahan et al. 2013), the accumulator n in m, the linear z in v;
 * P = -learning_rate_power (0.5 by default: square roots):
 *   g' = g + 2 l2_shrinkage w;  n' = n + g^2
 *   z += g' - (n'^P - n^P) / lr * w
 *   q = n'^P / lr + 2 l2',  l2' = l2 + beta / (2 lr)
 *   w = (clip(z, -l1, l1) - z) / q;  n = n' */
static void rule_ftrl(const opt_scalars *s, const opt_span *p)
{
    const float lr = s->lr, pw = s->power, l1 = s->l1, two_l2 = s->two_l2;
    const float sh = s->two_shrink;
    float *wo = p->wo, *mo = p->mo, *vo = p->vo;
    const float *w = p->w, *g = p->g, *m = p->m, *v = p->v;
    int sq = s->sqrt_power;
    for (size_t i = 0; i < p->n; i++) {
        float gi = g[i] + sh * w[i];
        float na = m[i] + g[i] * g[i];
        float pn = sq ? sqrtf(na) : powf(na, pw);
        float po = sq ? sqrtf(m[i]) : powf(m[i], pw);
        float z = v[i] + (gi - (pn - po) / lr * w[i]);
        float q = pn / lr + two_l2;
        float zc = z < -l1 ? -l1 : z > l1 ? l1 : z;
        mo[i] = na;
        vo[i] = z;
        wo[i] = (zc - z) / q;
    }
}

/* lion (Chen et al. 2023), the momentum in m:
 *   w -= lr sign(b1 m + (1 - b1) g);  m = b2 m + (1 - b2) g */
static void rule_lion(const opt_scalars *s, const opt_span *p)
{
    const float lr = s->lr, b1 = s->b1, c1 = s->one_minus_b1;
    const float b2 = s->b2, c2 = s->one_minus_b2;
    float *wo = p->wo, *mo = p->mo;
    const float *w = p->w, *g = p->g, *m = p->m;
    ELEMENTWISE
    for (size_t i = 0; i < p->n; i++) {
        float u = m[i] * b1 + g[i] * c1;
        float sg = (float)(u > 0.0f) - (float)(u < 0.0f);
        wo[i] = w[i] - lr * sg;
        mo[i] = m[i] * b2 + g[i] * c2;
    }
}

/* Keras's _apply_weight_decay: w = w - w wd lr (decoupled, every
 * trainable variable, before the rule). */
static void decay(const opt_scalars *s, float *wo, const float *w, size_t n)
{
    const float wd = s->wd, lr = s->lr;
    ELEMENTWISE
    for (size_t i = 0; i < n; i++)
        wo[i] = w[i] - w[i] * wd * lr;
}

/* Keras's _update_model_variables_moving_average, then, on the steps
 * ema_overwrite_frequency divides, _overwrite_model_variables_with_
 * average_value:  ema = mu ema + (1 - mu) w  (mu = 0 at the first step),
 * w = ema. */
static void moving_average(const opt_scalars *s, const opt_span *p)
{
    const float mu = s->ema_mu, c = 1.0f - s->ema_mu;
    float *eo = p->emao, *wo = p->wo;
    const float *e = p->ema;
    ELEMENTWISE
    for (size_t i = 0; i < p->n; i++)
        eo[i] = mu * e[i] + c * wo[i];
    if (s->ema_overwrite) {
        ELEMENTWISE
        for (size_t i = 0; i < p->n; i++)
            wo[i] = eo[i];
    }
}

void nn_opt_rule(const opt_scalars *s, const opt_span *p)
{
    opt_span q = *p;
    if (s->wd != 0.0f) {
        decay(s, p->wo, p->w, p->n);
        q.w = p->wo;     /* the rule reads the decayed weights */
    }
    switch (s->kind) {
    case NN_OPT_SGD: rule_sgd(s, &q); break;
    case NN_OPT_RMSPROP: rule_rmsprop(s, &q); break;
    case NN_OPT_ADAM:
    case NN_OPT_ADAMW: rule_adam(s, &q); break;
    case NN_OPT_ADAGRAD: rule_adagrad(s, &q); break;
    case NN_OPT_NADAM: rule_nadam(s, &q); break;
    case NN_OPT_ADAMAX: rule_adamax(s, &q); break;
    case NN_OPT_ADADELTA: rule_adadelta(s, &q); break;
    case NN_OPT_FTRL: rule_ftrl(s, &q); break;
    case NN_OPT_LION: rule_lion(s, &q); break;
    default: break;
    }
    if (s->ema)
        moving_average(s, p);
}
