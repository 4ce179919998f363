/* rng.h - the one seeded generator behind every random draw.
 *
 * xoshiro256** (Blackman & Vigna, 2018) seeded through splitmix64, so the
 * same seed gives the same stream on every build and platform.  Normals
 * come from Box-Muller with no cached second value, so the stream position
 * depends only on the number of calls. */
#ifndef NN_RNG_H
#define NN_RNG_H

#include <stdint.h>

typedef struct nn_rng {
    uint64_t s[4];
} nn_rng;

void nn_rng_seed(nn_rng *r, uint64_t seed);
uint64_t nn_rng_u64(nn_rng *r);
double nn_rng_uniform(nn_rng *r);                 /* [0, 1), 53 bits */
double nn_rng_range(nn_rng *r, double lo, double hi);  /* [lo, hi) */
double nn_rng_normal(nn_rng *r);                  /* N(0, 1) */
/* N(0, sd) redrawn while |value| > 2 sd (Keras's truncated normal). */
double nn_rng_truncnormal(nn_rng *r, double sd);
uint32_t nn_rng_below(nn_rng *r, uint32_t n);     /* uniform in [0, n), unbiased; n > 0 */
void nn_rng_shuffle(nn_rng *r, int *idx, int n);  /* Fisher-Yates */

#endif
