/* init.h - Keras's weight initializers (keras/src/initializers).
 *
 *   glorot_uniform   U(-l, l), l = sqrt(6 / (fan_in + fan_out))   Dense kernel default
 *   glorot_normal    TN(0, sqrt(2 / (fan_in + fan_out)) / 0.87962566103423978)
 *   he_uniform       U(-l, l), l = sqrt(6 / fan_in)
 *   he_normal        TN(0, sqrt(2 / fan_in) / 0.8796...)
 *   lecun_uniform    U(-l, l), l = sqrt(3 / fan_in)
 *   lecun_normal     TN(0, sqrt(1 / fan_in) / 0.8796...)
 *   random_normal    N(0, 0.05)      random_uniform  U(-0.05, 0.05)
 *   truncated_normal TN(0, 0.05)
 *   zeros (bias default), ones, constant (value)
 *   orthogonal       gain Q, Q from the QR of a normal matrix, signs fixed
 *   variance_scaling scale, mode fan_in|fan_out|fan_avg, distribution
 *                    truncated_normal|untruncated_normal|uniform
 *   identity         gain I (ones on the main diagonal)
 * with the keyword arguments of Keras 3's classes (nn_init_args): mean and
 * stddev of random_normal and truncated_normal, minval and maxval of
 * random_uniform, scale/mode/distribution, gain.
 * TN = normal redrawn beyond two standard deviations. */
#ifndef NN_INIT_H
#define NN_INIT_H

#include <stddef.h>
#include "nn.h"
#include "rng.h"

typedef enum nn_init_kind {
    NN_INIT_GLOROT_UNIFORM,
    NN_INIT_GLOROT_NORMAL,
    NN_INIT_HE_UNIFORM,
    NN_INIT_HE_NORMAL,
    NN_INIT_LECUN_UNIFORM,
    NN_INIT_LECUN_NORMAL,
    NN_INIT_RANDOM_NORMAL,
    NN_INIT_RANDOM_UNIFORM,
    NN_INIT_TRUNCATED_NORMAL,
    NN_INIT_ZEROS,
    NN_INIT_ONES,
    NN_INIT_CONSTANT,
    /* Keras 3's others: appended, so saved files keep their numbers */
    NN_INIT_ORTHOGONAL,
    NN_INIT_VARIANCE_SCALING,
    NN_INIT_IDENTITY,
    NN_INIT_COUNT
} nn_init_kind;

/* Names in enum order, NULL-terminated: "glorot_uniform", ... "identity". */
extern const char *const nn_init_names[];

/* variance_scaling's settings, Keras's words in enum order (NULL-ended). */
typedef enum { NN_FAN_IN, NN_FAN_OUT, NN_FAN_AVG } nn_fan_mode;
typedef enum { NN_DIST_TRUNCATED, NN_DIST_UNTRUNCATED, NN_DIST_UNIFORM } nn_init_dist;
extern const char *const nn_fan_mode_names[];    /* "fan_in", ... */
extern const char *const nn_init_dist_names[];   /* "truncated_normal", ... */

/* The keyword arguments of an initializer, Keras 3's defaults by
 * nn_init_args_defaults: mean 0, stddev 0.05, minval -0.05, maxval 0.05,
 * scale 1, mode fan_in, distribution truncated_normal, gain 1.  (constant's
 * value is the layer's kernel_value / bias_value.) */
typedef struct nn_init_args {
    float mean, stddev;       /* random_normal, truncated_normal */
    float minval, maxval;     /* random_uniform */
    float scale;              /* variance_scaling */
    int mode, distribution;   /* variance_scaling: nn_fan_mode, nn_init_dist */
    float gain;               /* orthogonal, identity */
} nn_init_args;

void nn_init_args_defaults(nn_init_args *a);
/* 1 when a equals the defaults in the arguments kind k reads (the others
 * are ignored). */
int nn_init_args_are_default(nn_init_kind k, const nn_init_args *a);
/* Whether the arguments fit (stddev >= 0, minval <= maxval, scale > 0,
 * mode and distribution known, all finite); NN_OK or NN_FAIL with e. */
int nn_init_args_check(nn_init_kind k, const nn_init_args *a, nn_err *e);
/* 1 for the kinds that need a matrix (orthogonal, identity: not a bias). */
int nn_init_needs_matrix(nn_init_kind k);

/* "NAME" or "NAME(key=value,...)" (Keras's class arguments, as
 * random_normal(stddev=0.1) or variance_scaling(scale=2,mode=fan_out);
 * positional values in Keras's order too: constant(0.5)) into the kind,
 * the arguments (starting from the defaults) and, for constant, *value
 * (left alone unless given).  NN_OK, or NN_FAIL with e saying what is
 * wrong; unknown_name is set to 1 when the NAME itself is not known. */
int nn_init_parse(const char *spec, nn_init_kind *k, nn_init_args *a,
                  float *value, int *unknown_name, nn_err *e);
/* The keyword arguments kind k takes, space-separated ("" for none). */
const char *nn_init_arg_names(nn_init_kind k);

/* Fills w[0..n) for a tensor with the given fans (for a Dense kernel
 * fan_in = inputs, fan_out = units).  value is used by constant only. */
void nn_init_fill(nn_init_kind k, float value, float *w, size_t n,
                  int fan_in, int fan_out, nn_rng *r);
/* The same with the arguments a (NULL: the defaults).  orthogonal and
 * identity treat w as a (fan_in, fan_out) row-major matrix (n must be
 * fan_in * fan_out; a vector gets zeros). */
void nn_init_fill_args(nn_init_kind k, float value, const nn_init_args *a,
                       float *w, size_t n, int fan_in, int fan_out, nn_rng *r);

#endif
