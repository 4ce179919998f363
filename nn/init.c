/* init.c - Keras's weight initializers.
 *
 * The six fan-scaled ones are Keras's VarianceScaling
 * (keras/src/initializers/random_initializers.py) with
 *   n = fan_in, fan_out or (fan_in + fan_out) / 2 by mode, at least 1,
 *   uniform:          U(-l, l),  l = sqrt(3 scale / n)
 *   truncated normal: TN(0, s),  s = sqrt(scale / n) / 0.87962566103423978
 * where 0.8796... is the standard deviation of a standard normal truncated
 * to [-2, 2]: dividing by it gives the drawn values variance scale / n.
 *   glorot: scale 1, fan_avg   he: scale 2, fan_in   lecun: scale 1, fan_in
 * Every draw comes from r, in index order, so a seed fixes the weights. */
#include <math.h>
#include "init.h"

const char *const nn_init_names[] = {
    "glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
    "lecun_uniform", "lecun_normal", "random_normal", "random_uniform",
    "truncated_normal", "zeros", "ones", "constant", NULL
};

/* sd of N(0, 1) truncated to [-2, 2] (Keras's constant). */
#define TRUNC_SD 0.87962566103423978

static void fill_uniform(float *w, size_t n, double limit, nn_rng *r)
{
    for (size_t i = 0; i < n; i++)
        w[i] = (float)nn_rng_range(r, -limit, limit);
}

static void fill_normal(float *w, size_t n, double sd, nn_rng *r)
{
    for (size_t i = 0; i < n; i++)
        w[i] = (float)(sd * nn_rng_normal(r));
}

static void fill_truncnormal(float *w, size_t n, double sd, nn_rng *r)
{
    for (size_t i = 0; i < n; i++)
        w[i] = (float)nn_rng_truncnormal(r, sd);
}

static void fill_const(float *w, size_t n, float v)
{
    for (size_t i = 0; i < n; i++)
        w[i] = v;
}

/* Keras's VarianceScaling: scale / max(1, n) for the chosen fan. */
static double var_scale(double scale, int fan)
{
    return scale / (fan > 1 ? (double)fan : 1.0);
}

void nn_init_fill(nn_init_kind k, float value, float *w, size_t n,
                  int fan_in, int fan_out, nn_rng *r)
{
    /* fan_avg = (fan_in + fan_out) / 2, kept as a sum to stay exact. */
    double avg = ((double)fan_in + (double)fan_out) / 2.0;
    double v_avg = 1.0 / (avg > 1.0 ? avg : 1.0);

    switch (k) {
    case NN_INIT_GLOROT_UNIFORM:   /* l = sqrt(6 / (fan_in + fan_out)) */
        fill_uniform(w, n, sqrt(3.0 * v_avg), r);
        break;
    case NN_INIT_GLOROT_NORMAL:    /* s = sqrt(2 / (fan_in + fan_out)) / .8796 */
        fill_truncnormal(w, n, sqrt(v_avg) / TRUNC_SD, r);
        break;
    case NN_INIT_HE_UNIFORM:       /* l = sqrt(6 / fan_in) */
        fill_uniform(w, n, sqrt(3.0 * var_scale(2.0, fan_in)), r);
        break;
    case NN_INIT_HE_NORMAL:        /* s = sqrt(2 / fan_in) / .8796 */
        fill_truncnormal(w, n, sqrt(var_scale(2.0, fan_in)) / TRUNC_SD, r);
        break;
    case NN_INIT_LECUN_UNIFORM:    /* l = sqrt(3 / fan_in) */
        fill_uniform(w, n, sqrt(3.0 * var_scale(1.0, fan_in)), r);
        break;
    case NN_INIT_LECUN_NORMAL:     /* s = sqrt(1 / fan_in) / .8796 */
        fill_truncnormal(w, n, sqrt(var_scale(1.0, fan_in)) / TRUNC_SD, r);
        break;
    case NN_INIT_RANDOM_NORMAL:    /* Keras RandomNormal(0, 0.05) */
        fill_normal(w, n, 0.05, r);
        break;
    case NN_INIT_RANDOM_UNIFORM:   /* Keras RandomUniform(-0.05, 0.05) */
        fill_uniform(w, n, 0.05, r);
        break;
    case NN_INIT_TRUNCATED_NORMAL: /* Keras TruncatedNormal(0, 0.05) */
        fill_truncnormal(w, n, 0.05, r);
        break;
    case NN_INIT_ZEROS:
        fill_const(w, n, 0.0f);
        break;
    case NN_INIT_ONES:
        fill_const(w, n, 1.0f);
        break;
    case NN_INIT_CONSTANT:
        fill_const(w, n, value);
        break;
    default:                       /* unknown kind: zeros, never garbage */
        fill_const(w, n, 0.0f);
        break;
    }
}
