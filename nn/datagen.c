/* datagen.c - generated data sets: TensorFlow Playground's four
 * classification sets and its regression plane (tensorflow/playground,
 * src/dataset.ts), scikit-learn's make_moons, and two 1-D regression sets
 * for the lessons on losses.
 *
 * Playground labels are -1 / +1; here they are class indices 0 / 1
 * (-1 -> 0), with class names "0" and "1".  Features are named x1, x2
 * (x for the 1-D sets).  Every draw comes from the nn_rng passed in, so
 * the same seed gives the same data.  As Playground (playground.ts
 * shuffles after generating) and make_moons (shuffle=True) do, the rows
 * are shuffled at the end: a set is never grouped by class, which matters
 * because validation_split takes the last rows unshuffled. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "dataset.h"

#define PI 3.14159265358979323846

const char *const nn_datagen_names[] = {
    "xor", "circles", "moons", "spiral", "gauss", "plane", "sine", "outliers",
    NULL
};

/* Each generator writes n rows of x (n, d) and y (n, 1) in generation
 * order.  Where a class set is made in two halves, class 1 (Playground's
 * positive half, generated first) gets ceil(n/2) rows and class 0 the
 * rest; Playground loops i < n/2 for each half, which makes n+1 points
 * for an odd n. */
typedef void gen_fn(float *x, float *y, int n, double noise, nn_rng *r);

/* classifyCircleData: radius 5; class 1 inside r in U(0, 2.5), class 0 in
 * the ring r in U(3.5, 5); (x, y) = (r sin a, r cos a), a in U(0, 2 pi).
 * The label is decided on the point shifted by U(-5, 5) * noise per
 * coordinate, so noise flips labels near the gap but never moves points. */
static void gen_circles(float *x, float *y, int n, double noise, nn_rng *r)
{
    const double radius = 5.0;
    int n1 = (n + 1) / 2;
    for (int i = 0; i < n; i++) {
        double rr = i < n1 ? nn_rng_range(r, 0, radius * 0.5)
                           : nn_rng_range(r, radius * 0.7, radius);
        double a = nn_rng_range(r, 0, 2 * PI);
        double px = rr * sin(a), py = rr * cos(a);
        double nx = nn_rng_range(r, -radius, radius) * noise;
        double ny = nn_rng_range(r, -radius, radius) * noise;
        double dist = sqrt((px + nx) * (px + nx) + (py + ny) * (py + ny));
        x[2 * i] = (float)px;
        x[2 * i + 1] = (float)py;
        y[i] = dist < radius * 0.5 ? 1.0f : 0.0f;
    }
}

/* classifyXORData: x, y in U(-5, 5) pushed 0.3 away from 0 (padding);
 * label 1 when (x + nx)(y + ny) >= 0, nx, ny in U(-5, 5) * noise. */
static void gen_xor(float *x, float *y, int n, double noise, nn_rng *r)
{
    const double pad = 0.3;
    for (int i = 0; i < n; i++) {
        double px = nn_rng_range(r, -5, 5);
        px += px > 0 ? pad : -pad;
        double py = nn_rng_range(r, -5, 5);
        py += py > 0 ? pad : -pad;
        double nx = nn_rng_range(r, -5, 5) * noise;
        double ny = nn_rng_range(r, -5, 5) * noise;
        x[2 * i] = (float)px;
        x[2 * i + 1] = (float)py;
        y[i] = (px + nx) * (py + ny) >= 0 ? 1.0f : 0.0f;
    }
}

/* classifyTwoGaussData: class 1 around (2, 2), class 0 around (-2, -2),
 * each coordinate N(c, variance) with variance = 0.5 + 7 noise (d3's
 * linear scale [0, 0.5] -> [0.5, 4]).  Playground draws normals with the
 * polar method; Box-Muller gives the same distribution. */
static void gen_gauss(float *x, float *y, int n, double noise, nn_rng *r)
{
    double sd = sqrt(0.5 + 7.0 * noise);
    int n1 = (n + 1) / 2;
    for (int i = 0; i < n; i++) {
        double c = i < n1 ? 2.0 : -2.0;
        x[2 * i] = (float)(c + sd * nn_rng_normal(r));
        x[2 * i + 1] = (float)(c + sd * nn_rng_normal(r));
        y[i] = i < n1 ? 1.0f : 0.0f;
    }
}

/* classifySpiralData: two arms of m points, i = 0..m-1:
 *   r = 5 i / m,  t = 1.75 * 2 pi i / m + dt,
 *   (x, y) = (r sin t, r cos t) + U(-1, 1) * noise each;
 * class 1 has dt = 0, class 0 dt = pi. */
static void gen_spiral(float *x, float *y, int n, double noise, nn_rng *r)
{
    int n1 = (n + 1) / 2;
    for (int i = 0; i < n; i++) {
        int first = i < n1;
        int k = first ? i : i - n1, m = first ? n1 : n - n1;
        double rr = 5.0 * k / m;
        double t = 1.75 * 2 * PI * k / m + (first ? 0.0 : PI);
        x[2 * i] = (float)(rr * sin(t) + nn_rng_range(r, -1, 1) * noise);
        x[2 * i + 1] = (float)(rr * cos(t) + nn_rng_range(r, -1, 1) * noise);
        y[i] = first ? 1.0f : 0.0f;
    }
}

/* regressPlane: x, y in U(-6, 6); target = (x + nx + y + ny) / 10 (d3's
 * scale [-10, 10] -> [-1, 1]) with nx, ny in U(-6, 6) * noise. */
static void gen_plane(float *x, float *y, int n, double noise, nn_rng *r)
{
    const double radius = 6.0;
    for (int i = 0; i < n; i++) {
        double px = nn_rng_range(r, -radius, radius);
        double py = nn_rng_range(r, -radius, radius);
        double nx = nn_rng_range(r, -radius, radius) * noise;
        double ny = nn_rng_range(r, -radius, radius) * noise;
        x[2 * i] = (float)px;
        x[2 * i + 1] = (float)py;
        y[i] = (float)((px + nx + py + ny) / 10.0);
    }
}

/* scikit-learn make_moons: n_out = n // 2 points of class 0 on the upper
 * half circle (cos t, sin t), n_in = n - n_out of class 1 on the lower one
 * (1 - cos t, 1 - sin t - 0.5), t = linspace(0, pi, m); then every
 * coordinate gets N(0, noise) added.  (Here class 0 comes first: its
 * count is n // 2, not ceil(n/2) as for the Playground sets.) */
static void gen_moons(float *x, float *y, int n, double noise, nn_rng *r)
{
    int nout = n / 2, nin = n - nout;
    for (int i = 0; i < n; i++) {
        int outer = i < nout;
        int k = outer ? i : i - nout, m = outer ? nout : nin;
        double t = m > 1 ? PI * k / (m - 1) : 0.0;   /* linspace(0, pi, m) */
        double px = outer ? cos(t) : 1.0 - cos(t);
        double py = outer ? sin(t) : 1.0 - sin(t) - 0.5;
        x[2 * i] = (float)(px + noise * nn_rng_normal(r));
        x[2 * i + 1] = (float)(py + noise * nn_rng_normal(r));
        y[i] = outer ? 0.0f : 1.0f;
    }
}

/* sine: x in U(-3, 3), y = sin(x) + N(0, noise). */
static void gen_sine(float *x, float *y, int n, double noise, nn_rng *r)
{
    for (int i = 0; i < n; i++) {
        double px = nn_rng_range(r, -3, 3);
        x[i] = (float)px;
        y[i] = (float)(sin(px) + noise * nn_rng_normal(r));
    }
}

/* outliers: x in U(-3, 3), y = 0.5 x + 1 + N(0, sd) with
 * sd = sqrt(0.1^2 + noise^2) (exactly N(0, 0.1) at noise 0; the slider
 * adds ordinary noise on top), and round(5% of n) of the points shifted
 * by +-U(5, 10), sign fair.  Those are the first rows made; the final
 * shuffle scatters them.  For comparing MSE, MAE and Huber. */
static void gen_outliers(float *x, float *y, int n, double noise, nn_rng *r)
{
    double sd = sqrt(0.01 + noise * noise);
    int k = (int)floor(0.05 * n + 0.5);
    for (int i = 0; i < n; i++) {
        double px = nn_rng_range(r, -3, 3);
        double py = 0.5 * px + 1.0 + sd * nn_rng_normal(r);
        if (i < k) {
            double s = nn_rng_uniform(r) < 0.5 ? -1.0 : 1.0;
            py += s * nn_rng_range(r, 5, 10);
        }
        x[i] = (float)px;
        y[i] = (float)py;
    }
}

static const struct gen {
    const char *name;
    int d, nclasses;
    double max_noise;   /* Playground's slider tops at 0.5; sd elsewhere */
    gen_fn *fn;
} gens[] = {
    {"xor", 2, 2, 0.5, gen_xor},
    {"circles", 2, 2, 0.5, gen_circles},
    {"moons", 2, 2, 10.0, gen_moons},
    {"spiral", 2, 2, 0.5, gen_spiral},
    {"gauss", 2, 2, 0.5, gen_gauss},
    {"plane", 2, 0, 0.5, gen_plane},
    {"sine", 1, 0, 10.0, gen_sine},
    {"outliers", 1, 0, 10.0, gen_outliers},
};

/* Fisher-Yates on whole rows, as nn_rng_shuffle on indices. */
static void shuffle_rows(nn_dataset *ds, nn_rng *r)
{
    int d = ds->d;
    for (int i = ds->n - 1; i > 0; i--) {
        int j = (int)nn_rng_below(r, (uint32_t)i + 1);
        for (int k = 0; k < d; k++) {
            float t = ds->x[(size_t)i * d + k];
            ds->x[(size_t)i * d + k] = ds->x[(size_t)j * d + k];
            ds->x[(size_t)j * d + k] = t;
        }
        float t = ds->y[i];
        ds->y[i] = ds->y[j];
        ds->y[j] = t;
    }
}

int nn_datagen(nn_dataset *ds, const char *name, int n, double noise,
               nn_rng *r, nn_err *e)
{
    static const char *const classes[] = {"0", "1"};
    static const char *const feat2[] = {"x1", "x2"};
    static const char *const feat1[] = {"x"};
    memset(ds, 0, sizeof *ds);
    int g = nn_lookup(nn_datagen_names, name);
    if (g < 0) {
        char list[160] = "";
        for (int i = 0; nn_datagen_names[i]; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                     i ? ", " : "", nn_datagen_names[i]);
        return nn_fail(e, "unknown data set '%.40s' (choose one of: %s)",
                       name ? name : "", list);
    }
    const struct gen *gp = &gens[g];
    if (n <= 0)
        return nn_fail(e, "%s: number of samples must be > 0, got %d", gp->name, n);
    if (!(noise >= 0.0 && noise <= gp->max_noise))
        return nn_fail(e, "%s: noise must be in [0, %g], got %g%s", gp->name,
                       gp->max_noise, noise,
                       gp->max_noise == 0.5 ? " (a fraction: Playground's "
                                              "noise slider 0..50 / 100)" : "");
    nn_dataset t;
    if (nn_dataset_alloc(&t, n, gp->d, 1, e) != NN_OK)
        return NN_FAIL;
    snprintf(t.name, sizeof t.name, "%s", gp->name);
    if (nn_dataset_set_features(&t, gp->d == 2 ? feat2 : feat1, e) != NN_OK ||
        (gp->nclasses && nn_dataset_set_classes(&t, 2, classes, e) != NN_OK)) {
        nn_dataset_free(&t);
        return NN_FAIL;
    }
    gp->fn(t.x, t.y, n, noise, r);
    shuffle_rows(&t, r);
    *ds = t;
    return NN_OK;
}
