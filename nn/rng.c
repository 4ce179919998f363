/* rng.c - xoshiro256** seeded with splitmix64 (Blackman & Vigna,
 * https://prng.di.unimi.it/).  One generator behind every random draw. */
#include <math.h>
#include "rng.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void nn_rng_seed(nn_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t nn_rng_u64(nn_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double nn_rng_uniform(nn_rng *r)
{
    return (double)(nn_rng_u64(r) >> 11) * 0x1.0p-53;
}

double nn_rng_range(nn_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * nn_rng_uniform(r);
}

/* Box-Muller: u1 in (0, 1] so the log is finite. */
double nn_rng_normal(nn_rng *r)
{
    double u1 = 1.0 - nn_rng_uniform(r);
    double u2 = nn_rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

double nn_rng_truncnormal(nn_rng *r, double sd)
{
    double v;
    do
        v = nn_rng_normal(r);
    while (fabs(v) > 2.0);
    return v * sd;
}

/* Lemire's multiply-shift with rejection: unbiased for every n. */
uint32_t nn_rng_below(nn_rng *r, uint32_t n)
{
    uint64_t m = (uint64_t)(uint32_t)(nn_rng_u64(r) >> 32) * n;
    uint32_t lo = (uint32_t)m;
    if (lo < n) {
        uint32_t t = (uint32_t)(-n) % n;
        while (lo < t) {
            m = (uint64_t)(uint32_t)(nn_rng_u64(r) >> 32) * n;
            lo = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

void nn_rng_shuffle(nn_rng *r, int *idx, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)nn_rng_below(r, (uint32_t)i + 1);
        int t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
}
