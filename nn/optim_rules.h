/* optim_rules.h - inside the engine only: the update kernels optim.c
 * runs (optim_rules.c), one per rule, each a loop over n floats.
 *
 * A kernel reads w, g and the state m, v, vh, ema (those the kind keeps)
 * and writes wo, mo, vo, vho, emao, which may be the same floats as the
 * inputs (in place, nn_opt_step) or others (the transaction,
 * nn_opt_step_to).  Each float depends on its own index only. */
#ifndef NN_OPTIM_RULES_H
#define NN_OPTIM_RULES_H

#include <stddef.h>
#include "optim.h"

/* The per-step scalars, computed once for all ranges (in double, then
 * rounded to float as Keras's float32 variables see them). */
typedef struct opt_scalars {
    nn_opt_kind kind;
    int momentum, nesterov;   /* sgd: momentum != 0, nesterov */
    int amsgrad;
    float lr, mu, one_minus_b1, one_minus_b2, rho, one_minus_rho, eps;
    float b1, b2;
    float alpha;        /* adam: lr sqrt(1 - b2^t) / (1 - b1^t) */
    float k_m, k_g;     /* nadam: mhat = k_m m + k_g g */
    float k_v;          /* nadam: vhat = k_v v, k_v = 1 / (1 - b2^t) */
    float one_minus_b1t;          /* adamax: 1 - b1^t */
    float power, l1, two_l2;      /* ftrl: -learning_rate_power, l1, 2 l2' */
    float two_shrink;             /* ftrl: 2 l2_shrinkage */
    int sqrt_power;               /* ftrl: power == 0.5 */
    float wd;                     /* weight_decay (0: none) */
    int ema;                      /* use_ema */
    float ema_mu;                 /* ema momentum this step (0 at step 1) */
    int ema_overwrite;            /* this step puts ema into w */
} opt_scalars;

typedef struct opt_span {
    float *wo, *mo, *vo, *vho, *emao;
    const float *w, *g, *m, *v, *vh, *ema;
    size_t n;
} opt_span;

/* The decay, the kind's rule and the moving average on one span. */
void nn_opt_rule(const opt_scalars *s, const opt_span *p);

#endif
