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
 * variance_scaling is the same with its own scale, mode and distribution
 * (untruncated_normal: N(0, sqrt(scale / n))).  orthogonal (Keras 3's
 * Orthogonal): a normal (max(r, c), min(r, c)) matrix, its QR, Q's columns
 * times the signs of R's diagonal, transposed when r < c, times gain;
 * Gram-Schmidt gives that Q directly (R's diagonal comes out positive), so
 * here it runs on the columns of the (fan_in, fan_out) kernel, or on its
 * rows when fan_in < fan_out (the transposed case), twice for float's
 * sake.  identity (Keras 3's Identity): gain on the main diagonal.
 * Every draw comes from r, in index order, so a seed fixes the weights. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "init.h"

const char *const nn_init_names[] = {
    "glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
    "lecun_uniform", "lecun_normal", "random_normal", "random_uniform",
    "truncated_normal", "zeros", "ones", "constant", "orthogonal",
    "variance_scaling", "identity", NULL
};
_Static_assert(sizeof nn_init_names / sizeof nn_init_names[0] == NN_INIT_COUNT + 1,
               "one name per initializer");

const char *const nn_fan_mode_names[] = { "fan_in", "fan_out", "fan_avg", NULL };
const char *const nn_init_dist_names[] = {
    "truncated_normal", "untruncated_normal", "uniform", NULL
};

void nn_init_args_defaults(nn_init_args *a)
{
    memset(a, 0, sizeof *a);
    a->stddev = 0.05f;       /* RandomNormal, TruncatedNormal */
    a->minval = -0.05f;      /* RandomUniform */
    a->maxval = 0.05f;
    a->scale = 1.0f;         /* VarianceScaling(1.0, "fan_in", "truncated_normal") */
    a->mode = NN_FAN_IN;
    a->distribution = NN_DIST_TRUNCATED;
    a->gain = 1.0f;          /* Orthogonal, Identity */
}

int nn_init_needs_matrix(nn_init_kind k)
{
    return k == NN_INIT_ORTHOGONAL || k == NN_INIT_IDENTITY;
}

const char *nn_init_arg_names(nn_init_kind k)
{
    switch (k) {
    case NN_INIT_RANDOM_NORMAL:
    case NN_INIT_TRUNCATED_NORMAL: return "mean stddev";
    case NN_INIT_RANDOM_UNIFORM:   return "minval maxval";
    case NN_INIT_CONSTANT:         return "value";
    case NN_INIT_VARIANCE_SCALING: return "scale mode distribution";
    case NN_INIT_ORTHOGONAL:
    case NN_INIT_IDENTITY:         return "gain";
    default:                       return "";
    }
}

int nn_init_args_are_default(nn_init_kind k, const nn_init_args *a)
{
    nn_init_args d;
    nn_init_args_defaults(&d);
    switch (k) {
    case NN_INIT_RANDOM_NORMAL:
    case NN_INIT_TRUNCATED_NORMAL: return a->mean == d.mean && a->stddev == d.stddev;
    case NN_INIT_RANDOM_UNIFORM:   return a->minval == d.minval && a->maxval == d.maxval;
    case NN_INIT_VARIANCE_SCALING:
        return a->scale == d.scale && a->mode == d.mode &&
               a->distribution == d.distribution;
    case NN_INIT_ORTHOGONAL:
    case NN_INIT_IDENTITY:         return a->gain == d.gain;
    default:                       return 1;
    }
}

int nn_init_args_check(nn_init_kind k, const nn_init_args *a, nn_err *e)
{
    if (!isfinite(a->mean) || !isfinite(a->stddev) || !isfinite(a->minval) ||
        !isfinite(a->maxval) || !isfinite(a->scale) || !isfinite(a->gain) ||
        fabsf(a->mean) > 1e6f || a->stddev > 1e6f || fabsf(a->minval) > 1e6f ||
        fabsf(a->maxval) > 1e6f || a->scale > 1e6f || fabsf(a->gain) > 1e6f)
        return nn_fail(e, "%s's arguments must be finite numbers up to 1e6",
                       nn_init_names[k]);
    if ((unsigned)a->mode > NN_FAN_AVG || (unsigned)a->distribution > NN_DIST_UNIFORM)
        return nn_fail(e, "unknown mode or distribution");
    if (a->stddev < 0)
        return nn_fail(e, "%s: stddev must be >= 0", nn_init_names[k]);
    if (a->minval > a->maxval)
        return nn_fail(e, "random_uniform: minval must not be above maxval");
    if (!(a->scale > 0))   /* Keras: "scale must be positive" */
        return nn_fail(e, "variance_scaling: scale must be > 0");
    return NN_OK;
}

/* One "key=value" or positional value of spec for kind k into a / value. */
static int set_arg(nn_init_kind k, const char *key, const char *v, nn_init_args *a,
                   float *value, nn_err *e)
{
    const char *name = nn_init_names[k];
    if (strcmp(key, "mode") == 0 || strcmp(key, "distribution") == 0) {
        const char *const *t = key[0] == 'm' ? nn_fan_mode_names : nn_init_dist_names;
        int i = nn_lookup(t, v);
        if (i < 0 && key[0] == 'd' && strcmp(v, "normal") == 0)
            i = NN_DIST_TRUNCATED;   /* Keras 3 takes "normal" for truncated */
        if (i < 0)
            return nn_fail(e, "%s: %s must be %s (got '%s')", name, key,
                           key[0] == 'm' ? "fan_in, fan_out or fan_avg"
                                         : "truncated_normal, untruncated_normal or uniform",
                           v);
        *(key[0] == 'm' ? &a->mode : &a->distribution) = i;
        return NN_OK;
    }
    char *end = NULL;
    double x = strtod(v, &end);
    if (!*v || *end || !isfinite(x))
        return nn_fail(e, "%s: %s takes a number (got '%s')", name, key, v);
    if (strcmp(key, "mean") == 0) a->mean = (float)x;
    else if (strcmp(key, "stddev") == 0) a->stddev = (float)x;
    else if (strcmp(key, "minval") == 0) a->minval = (float)x;
    else if (strcmp(key, "maxval") == 0) a->maxval = (float)x;
    else if (strcmp(key, "scale") == 0) a->scale = (float)x;
    else if (strcmp(key, "gain") == 0) a->gain = (float)x;
    else if (strcmp(key, "value") == 0) *value = (float)x;
    return NN_OK;
}

int nn_init_parse(const char *spec, nn_init_kind *k, nn_init_args *a,
                  float *value, int *unknown_name, nn_err *e)
{
    char buf[256], *open;
    *unknown_name = 0;
    if (!spec || strlen(spec) >= sizeof buf)
        return nn_fail(e, "initializer too long");
    strcpy(buf, spec);
    open = strchr(buf, '(');
    if (open)
        *open = 0;
    int i = nn_lookup(nn_init_names, buf);
    if (i < 0) {
        *unknown_name = 1;
        return nn_fail(e, "unknown initializer '%s'", buf);
    }
    *k = (nn_init_kind)i;
    nn_init_args_defaults(a);
    if (!open)
        return NN_OK;
    size_t len = strlen(open + 1);
    if (len == 0 || open[len] != ')')
        return nn_fail(e, "%s(...) must end with ')' (no spaces inside, or quote "
                          "it)", buf);
    open[len] = 0;
    const char *names = nn_init_arg_names(*k);
    char order[64];
    snprintf(order, sizeof order, "%s", names);
    char *osave = NULL, *next_pos = strtok_r(order, " ", &osave);
    int seen_key = 0;
    char *save = NULL;
    for (char *t = strtok_r(open + 1, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (!*names)
            return nn_fail(e, "%s takes no arguments (got '%s')", buf, t);
        char *eq = strchr(t, '=');
        const char *key = t, *v = t;
        if (eq) {
            *eq = 0;
            v = eq + 1;
            seen_key = 1;
            char w[32];
            snprintf(w, sizeof w, " %s ", key);
            char all[72];
            snprintf(all, sizeof all, " %s ", names);
            if (!*key || !strstr(all, w))
                return nn_fail(e, "%s takes %s%s (got '%s')", buf,
                               *names ? names : "no arguments",
                               *names ? " (Keras's names)" : "", key);
        } else {
            if (seen_key || !next_pos)
                return nn_fail(e, "%s: '%s' needs a name (%s=...)", buf, t,
                               next_pos ? next_pos : *names ? names : "no arguments");
            key = next_pos;
        }
        if (next_pos && strcmp(key, next_pos) == 0)
            next_pos = strtok_r(NULL, " ", &osave);
        if (set_arg(*k, key, v, a, value, e) != NN_OK)
            return NN_FAIL;
    }
    return nn_init_args_check(*k, a, e);
}

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

/* w (rows, cols) row-major: its columns (rows >= cols) or its rows
 * (rows < cols) made orthonormal by modified Gram-Schmidt, twice. */
static void orthonormalize(float *w, int rows, int cols)
{
    int bycol = rows >= cols;
    int nv = bycol ? cols : rows, len = bycol ? rows : cols;
    size_t step = bycol ? (size_t)cols : 1, vstep = bycol ? 1 : (size_t)cols;
    for (int pass = 0; pass < 2; pass++)
        for (int v = 0; v < nv; v++) {
            float *x = w + (size_t)v * vstep;
            for (int u = 0; u < v; u++) {
                const float *q = w + (size_t)u * vstep;
                double dot = 0.0;
                for (int i = 0; i < len; i++)
                    dot += (double)x[i * step] * q[i * step];
                for (int i = 0; i < len; i++)
                    x[i * step] = (float)(x[i * step] - dot * q[i * step]);
            }
            double nrm = 0.0;
            for (int i = 0; i < len; i++)
                nrm += (double)x[i * step] * x[i * step];
            nrm = sqrt(nrm);
            if (nrm > 0.0)
                for (int i = 0; i < len; i++)
                    x[i * step] = (float)(x[i * step] / nrm);
        }
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
    nn_init_fill_args(k, value, NULL, w, n, fan_in, fan_out, r);
}

void nn_init_fill_args(nn_init_kind k, float value, const nn_init_args *args,
                       float *w, size_t n, int fan_in, int fan_out, nn_rng *r)
{
    nn_init_args d;
    if (!args) {
        nn_init_args_defaults(&d);
        args = &d;
    }
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
    case NN_INIT_RANDOM_NORMAL:    /* Keras RandomNormal(mean=0, stddev=0.05) */
        fill_normal(w, n, args->stddev, r);
        for (size_t i = 0; i < n; i++)
            w[i] += args->mean;
        break;
    case NN_INIT_RANDOM_UNIFORM:   /* Keras RandomUniform(-0.05, 0.05) */
        for (size_t i = 0; i < n; i++)
            w[i] = (float)nn_rng_range(r, args->minval, args->maxval);
        break;
    case NN_INIT_TRUNCATED_NORMAL: /* Keras TruncatedNormal(mean=0, stddev=0.05) */
        fill_truncnormal(w, n, args->stddev, r);
        for (size_t i = 0; i < n; i++)
            w[i] += args->mean;
        break;
    case NN_INIT_VARIANCE_SCALING: {
        int fan = args->mode == NN_FAN_IN ? fan_in : fan_out;
        double v = args->mode == NN_FAN_AVG ? args->scale * v_avg
                                            : var_scale(args->scale, fan);
        if (args->distribution == NN_DIST_UNIFORM)
            fill_uniform(w, n, sqrt(3.0 * v), r);
        else if (args->distribution == NN_DIST_UNTRUNCATED)
            fill_normal(w, n, sqrt(v), r);
        else
            fill_truncnormal(w, n, sqrt(v) / TRUNC_SD, r);
        break;
    }
    case NN_INIT_ORTHOGONAL:       /* gain * Q (see the top of the file) */
        if (n != (size_t)fan_in * (size_t)fan_out || fan_in < 1 || fan_out < 1) {
            fill_const(w, n, 0.0f);
            break;
        }
        fill_normal(w, n, 1.0, r);
        orthonormalize(w, fan_in, fan_out);
        for (size_t i = 0; i < n; i++)
            w[i] *= args->gain;
        break;
    case NN_INIT_IDENTITY:         /* gain * eye(fan_in, fan_out) */
        fill_const(w, n, 0.0f);
        if (n == (size_t)fan_in * (size_t)fan_out)
            for (int i = 0; i < fan_in && i < fan_out; i++)
                w[(size_t)i * fan_out + i] = args->gain;
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
