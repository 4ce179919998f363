/* optim.h - Keras's optimizers with their defaults and update rules
 * (Keras 3, keras/src/optimizers).  g is the gradient, t the step (1-based).
 *
 *   sgd      lr 0.01, momentum 0, nesterov 0
 *            momentum 0: w -= lr g
 *            else m = mu m - lr g;  w += m   (nesterov: w += mu m - lr g)
 *   rmsprop  lr 0.001, rho 0.9, epsilon 1e-7 (momentum 0, centered 0)
 *            v = rho v + (1 - rho) g^2;  w -= lr g / sqrt(v + eps)
 *   adam     lr 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7
 *            m += (g - m)(1 - b1);  v += (g^2 - v)(1 - b2)
 *            a = lr sqrt(1 - b2^t) / (1 - b1^t);  w -= a m / (sqrt(v) + eps)
 *   adagrad  lr 0.001, initial_accumulator_value 0.1, epsilon 1e-7
 *            acc += g^2;  w -= lr g / sqrt(acc + eps)
 *   nadam    lr 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7 (Dozat):
 *            u_t = b1 (1 - 0.5 * 0.96^t), u_t1 = b1 (1 - 0.5 * 0.96^(t+1))
 *            P_t = prod_{s<=t} u_s (kept in the state), P_t1 = P_t u_t1
 *            m += (g - m)(1 - b1);  v += (g^2 - v)(1 - b2)
 *            mhat = u_t1 m / (1 - P_t1) + (1 - u_t) g / (1 - P_t)
 *            vhat = v / (1 - b2^t);  w -= lr mhat / (sqrt(vhat) + eps)
 *   adamw    adam's rule, weight_decay 0.004 (keras/src/optimizers/adamw.py)
 *   adamax   lr 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7
 *            m += (g - m)(1 - b1);  u = max(b2 u, |g|)
 *            w -= lr m / ((1 - b1^t)(u + eps))
 *   adadelta lr 0.001, rho 0.95, epsilon 1e-7
 *            a = rho a + (1 - rho) g^2
 *            d = -sqrt(D + eps) g / sqrt(a + eps)
 *            D = rho D + (1 - rho) d^2;  w += lr d
 *   ftrl     lr 0.001, learning_rate_power p = -0.5,
 *            initial_accumulator_value 0.1, l1 = l2 = l2_shrinkage = beta = 0
 *            l2' = l2 + beta / (2 lr);  g' = g + 2 l2_shrinkage w
 *            n' = n + g^2;  z += g' - (n'^-p - n^-p) / lr * w
 *            q = n'^-p / lr + 2 l2';  w = (clip(z, -l1, l1) - z) / q;  n = n'
 *   lion     lr 0.001, beta_1 0.9, beta_2 0.99
 *            w -= lr sign(b1 m + (1 - b1) g);  m = b2 m + (1 - b2) g
 *
 * The options every optimizer takes (Keras 3's base Optimizer), in
 * Keras's order within a step:
 *   clipnorm c    each weight tensor's gradient g *= c / max(||g||, c)
 *   global_clipnorm c   all of them by c / max(||all g||, c)
 *   clipvalue c   g = clip(g, -c, c)   (one of the three at most)
 *   weight_decay d   w -= w d lr, before the rule (decoupled)
 *   amsgrad (adam, adamw)   vh = max(vh, v), vh in the denominator
 *   use_ema, ema_momentum mu (0.99), ema_overwrite_frequency f (0: none)
 *            after the rule: ema = w at step 1, else mu ema + (1 - mu) w;
 *            every f steps w = ema; nn_opt_finalize puts ema in w (fit's
 *            end, Keras's finalize_variable_values)
 *
 * The state (m, v) lives in one allocation beside the parameters, n floats
 * each.  The learning rate in cfg.learning_rate may be changed between
 * steps (schedules, the learning-rate range test). */
#ifndef NN_OPTIM_H
#define NN_OPTIM_H

#include <stddef.h>
#include "nn.h"

typedef enum nn_opt_kind {
    NN_OPT_SGD,
    NN_OPT_RMSPROP,
    NN_OPT_ADAM,
    NN_OPT_ADAGRAD,
    NN_OPT_NADAM,
    NN_OPT_ADAMW,
    NN_OPT_ADAMAX,
    NN_OPT_ADADELTA,
    NN_OPT_FTRL,
    NN_OPT_LION,
    NN_OPT_COUNT
} nn_opt_kind;

/* "sgd", "rmsprop", "adam", "adagrad", "nadam", "adamw", "adamax",
 * "adadelta", "ftrl", "lion"; NULL-terminated. */
extern const char *const nn_opt_names[];
/* The settings each optimizer takes, space-separated, by kind:
 * "learning_rate momentum nesterov" for sgd, ... */
extern const char *const nn_opt_settings[NN_OPT_COUNT];
/* The settings all of them take (Keras's base Optimizer). */
extern const char nn_opt_common_settings[];

typedef struct nn_opt_cfg {
    nn_opt_kind kind;
    double learning_rate;
    double momentum;          /* sgd */
    int nesterov;             /* sgd */
    double rho;               /* rmsprop */
    double beta_1, beta_2;    /* adam, nadam */
    double epsilon;           /* rmsprop, adam, adagrad, nadam */
    double initial_accumulator_value;  /* adagrad, ftrl */
    int amsgrad;              /* adam, adamw */
    double learning_rate_power;        /* ftrl */
    double l1_regularization_strength, l2_regularization_strength;
    double l2_shrinkage_regularization_strength, beta;   /* ftrl */
    /* every optimizer (0: off, Keras's None) */
    double weight_decay;      /* adamw's default 0.004 */
    double clipnorm, clipvalue, global_clipnorm;
    int use_ema;
    double ema_momentum;      /* 0.99 */
    int ema_overwrite_frequency;
} nn_opt_cfg;

/* Keras's defaults for kind. */
void nn_opt_defaults(nn_opt_cfg *c, nn_opt_kind kind);
/* Checks ranges (lr > 0 and finite, 0 <= momentum < 1, 0 <= rho < 1,
 * 0 <= beta < 1, epsilon >= 0, accumulator >= 0). */
int nn_opt_check(const nn_opt_cfg *c, nn_err *e);

typedef struct nn_opt {
    nn_opt_cfg cfg;
    size_t n;        /* number of parameters */
    long t;          /* steps taken */
    double u_prod;   /* nadam: product of u_s so far (1 at start) */
    float *m;        /* first moment / momentum / accumulator, n (or NULL) */
    float *v;        /* second moment, n (or NULL) */
    float *vh;       /* amsgrad: the largest v so far, n (or NULL) */
    float *ema;      /* use_ema: the moving average of w, n (or NULL) */
    float *gclip;    /* clipping: the clipped gradient (scratch, not state) */
} nn_opt;

/* Allocates the state for n parameters (zeroed; adagrad's accumulator set
 * to initial_accumulator_value).  o must be zeroed or freed before. */
int nn_opt_init(nn_opt *o, const nn_opt_cfg *c, size_t n, nn_err *e);
void nn_opt_free(nn_opt *o);
/* Deep copy (for the learning-rate range test to restore exactly). */
int nn_opt_copy(nn_opt *dst, const nn_opt *src, nn_err *e);

/* One step: t += 1, then the update of w[off..off+len) from g[off..) for
 * each of the nranges ranges (the trainable parameters; frozen ones are
 * skipped and their state untouched). */
void nn_opt_step(nn_opt *o, float *w, const float *g,
                 const size_t *off, const size_t *len, int nranges);

/* Plain SGD's update on n floats, wo = w - lr g (wo may be w): the
 * kernel nn_opt_step runs for sgd without momentum, and the one SGD
 * folded into backward runs on a layer's bias (fold.c). */
void nn_opt_sgd_kernel(float *wo, const float *w, const float *g, float lr,
                       size_t n);

/* Floats in o's state block (m, v, vh, ema; one allocation): 0 to 4n. */
size_t nn_opt_state_floats(const nn_opt *o);

/* The same step out of place, for a transactional update (fit keeps the
 * weights before the step to undo it; see step.c): t += 1, then the new
 * weights go to w_out and, when the rule changes the state, the new
 * state to state_out, a block of nn_opt_state_floats(o) floats laid out
 * as o's (m, then v).  w, g and o's state are only read; outside the
 * ranges w is copied to w_out unchanged (and the state to state_out when
 * it is written), so w_out and state_out hold the whole next state.  The
 * numbers are nn_opt_step's, bit for bit.  Outputs must not overlap
 * inputs; ranges must be in increasing order, not overlapping.  Returns 1
 * when state_out was written (the caller then makes it current with
 * nn_opt_swap_state), 0 when the state is unchanged (sgd without
 * momentum). */
int nn_opt_step_to(nn_opt *o, float *w_out, const float *w, const float *g,
                   float *state_out, const size_t *off, const size_t *len,
                   int nranges);

/* Makes the block *state (laid out as o's) o's state, and gives back the
 * old block in *state: the pointer swap that commits, or undoes, an
 * nn_opt_step_to.  The block may come from malloc; o frees whichever
 * block it holds. */
void nn_opt_swap_state(nn_opt *o, float **state);

/* The first float of o's state block (m, else v, else vh, else ema), or
 * NULL. */
float *nn_opt_state(const nn_opt *o);

/* Whether c is plain SGD: no momentum and none of the common options
 * (what may be folded into backward, fold.c). */
int nn_opt_plain_sgd(const nn_opt_cfg *c);
/* Whether c clips each tensor apart (clipnorm): the step then needs one
 * range per weight tensor, not ranges merged where contiguous. */
int nn_opt_per_tensor(const nn_opt_cfg *c);

/* use_ema: the moving average into w over the ranges (Keras's
 * finalize_variable_values at the end of fit); nothing without use_ema
 * or before the first step. */
void nn_opt_finalize(const nn_opt *o, float *w, const size_t *off,
                     const size_t *len, int nranges);

#endif
