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
    NN_OPT_COUNT
} nn_opt_kind;

/* "sgd", "rmsprop", "adam", "adagrad", "nadam"; NULL-terminated. */
extern const char *const nn_opt_names[];
/* The settings each optimizer takes, space-separated, by kind:
 * "learning_rate momentum nesterov" for sgd, ... */
extern const char *const nn_opt_settings[NN_OPT_COUNT];

typedef struct nn_opt_cfg {
    nn_opt_kind kind;
    double learning_rate;
    double momentum;          /* sgd */
    int nesterov;             /* sgd */
    double rho;               /* rmsprop */
    double beta_1, beta_2;    /* adam, nadam */
    double epsilon;           /* rmsprop, adam, adagrad, nadam */
    double initial_accumulator_value;  /* adagrad */
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

/* Floats in o's state block (m and v, one allocation): 0, n or 2n. */
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

#endif
