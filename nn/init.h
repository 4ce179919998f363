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
 * TN = normal redrawn beyond two standard deviations. */
#ifndef NN_INIT_H
#define NN_INIT_H

#include <stddef.h>
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
    NN_INIT_COUNT
} nn_init_kind;

/* Names in enum order, NULL-terminated: "glorot_uniform", ... "constant". */
extern const char *const nn_init_names[];

/* Fills w[0..n) for a tensor with the given fans (for a Dense kernel
 * fan_in = inputs, fan_out = units).  value is used by constant only. */
void nn_init_fill(nn_init_kind k, float value, float *w, size_t n,
                  int fan_in, int fan_out, nn_rng *r);

#endif
