/* bench_fit.c - how fast nnlab trains the book's Fashion-MNIST model, and
 * how far that is from the matrix products it cannot avoid (issue 6).
 *
 *   bench_fit [DATADIR [NNLAB]]
 *     DATADIR  the Fashion-MNIST IDX files (default
 *              /usr/share/datasets/fashion-mnist, or $NNLAB_FASHION)
 *     NNLAB    the program, for start-up time and peak memory (default
 *              ./nnlab; skipped when it is not there)
 *   BENCH_RUNS=N  runs per median (default 3)
 *
 * The model is the book's (Geron, chapter 10): Flatten, Dense(300, relu),
 * Dense(100, relu), Dense(10, softmax), SGD learning_rate 0.01, sparse
 * categorical cross-entropy, one epoch over the first 55,000 training
 * images.  Measured, each the median of BENCH_RUNS:
 *   load    nn_idx_load of the train and test .gz files
 *   fit     nn_fit, one epoch, batch 32 and 256, shuffled, no validation,
 *           keeping the gradients of the steps the shell reads (its
 *           gradient record: every 16th step at batch 32, every 2nd at
 *           256, and each epoch's last batch), as `fit` in nnlab does;
 *           also every step's (what keeping all costs) and only the last
 *           batch's (the floor for this loop: the SGD update folded into
 *           the dW products on every other step)
 *   floor   the 8 sgemm calls of a training step alone, on the same shapes
 *           and the same number of steps (3 forward x W, 3 dW = x^T dz,
 *           2 dx = dz W^T; the first layer needs no dx): cblas_sgemm with
 *           OpenBLAS's own threads (as the issue measured it; the target
 *           is fit <= 1.25x this), the best of 1 and all OpenBLAS threads
 *           per product, and through nn_gemm (the engine's split)
 *   grads   what the separate update pass costs, as a share of fit: the
 *           engine's products with dW into the gradient buffer plus its SGD
 *           step out of place (nn_opt_step_to, as fit runs it), against
 *           the products with the update folded into them (dW gemm with
 *           alpha = -lr, beta = 1 into W), which keeps no gradient; and
 *           split in two: folding into a copy of the weights (what the
 *           NaN undo needs without gradients) tells the gradients' share
 *           from the undo's.  (The activations cost nothing to keep:
 *           backward needs them.)
 * and: start-up of NNLAB to its prompt (-c quit, median of 11), peak RSS
 * of NNLAB loading Fashion-MNIST and training one epoch, against the
 * dataset as float32 plus parameters plus optimizer state.  The CPU time
 * other processes took meanwhile is printed too (from /proc/stat): on a
 * busy machine, wall times mean little.
 *
 * Exits 77 (skipped) when the data is not installed. */
#include <cblas.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench_util.h"
#include "fit.h"
#include "mat.h"

#define LR 0.01f


static int readable(const char *path)
{
    return access(path, R_OK) == 0;
}

/* ---- the model ---- */


/* Multiply-adds of one sample through the products of a step, times 2:
 * forward x W (784*300 + 300*100 + 100*10), dW the same, dx for the
 * last two layers (300*100 + 100*10). */
static double flops_per_sample(void)
{
    double fw = 784.0 * 300 + 300.0 * 100 + 100.0 * 10;
    double dx = 300.0 * 100 + 100.0 * 10;
    return 2.0 * (fw + fw + dx);
}

/* ---- fit ---- */

typedef struct fit_run {
    double secs, loss, acc;
} fit_run;

/* Which steps keep their gradients: all, the shell's (its gradient
 * record's stride for this many batches an epoch: repl_plot_grads_begin),
 * none but each epoch's last. */
enum { KEEP_ALL, KEEP_SHELL, KEEP_LAST };

static int keep_every(void *ctx, const nn_model *m)
{
    long stride = *(const long *)ctx;
    return (m->steps + 1) % stride == 0;
}

static int keep_none(void *ctx, const nn_model *m)
{
    (void)ctx, (void)m;
    return 0;
}

static fit_run time_fit(const nn_dataset *tr, int bs, uint64_t seed, int keep)
{
    nn_model *m = book_model(seed);
    nn_fit_opts o;
    nn_fit_defaults(&o);
    o.batch_size = bs;
    o.epochs = 1;
    long stride = 1;
    int nb = (tr->n + bs - 1) / bs;
    while (stride * 2 <= nb / 64)
        stride *= 2;
    o.hooks.ctx = &stride;
    o.hooks.keep_grads = keep == KEEP_SHELL ? keep_every :
                         keep == KEEP_LAST ? keep_none : NULL;
    nn_history h;
    nn_history_init(&h);
    nn_rng r;
    nn_rng_seed(&r, seed + 1);
    nn_err e;
    double t0 = now();
    if (nn_fit(m, tr, &o, &h, &r, NULL, &e) != NN_OK) {
        fprintf(stderr, "bench_fit: fit: %s\n", e.msg);
        exit(1);
    }
    fit_run fr = {now() - t0, 0, 0};
    fr.loss = nn_history_at(&h, 0, nn_history_key(&h, "loss"));
    fr.acc = nn_history_at(&h, 0, nn_history_key(&h, "accuracy"));
    nn_history_free(&h);
    nn_model_free(m);
    return fr;
}

/* ---- the floor: the 8 products of a step on the same shapes ---- */

typedef struct shapes {
    float *x;                    /* the data, (n, 784), read in order */
    nn_model *m;                 /* the weights and gradients, as in fit */
    float *w[3], *g[3];          /* (fan_in, units), in m->params, m->grads */
    float *wt[3];                /* where a folded dW update goes */
    float *z[3], *dz[3], *da[3]; /* (bs, units); da[l] is dx of layer l+1 */
} shapes;

static const int fan[3] = {784, 300, 100};

static float *falloc(size_t n)
{
    float *p = calloc(n, sizeof *p);
    if (!p) {
        fprintf(stderr, "bench_fit: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        p[i] = (float)((i * 2654435761u) % 1000) * 1e-4f - 0.05f;
    return p;
}

/* Points w and g at the model's current buffers (after a swap too). */
static void shapes_bind(shapes *s)
{
    for (int l = 0; l < 3; l++) {
        s->w[l] = s->m->params + s->m->nodes[2 + l].w_off;
        s->g[l] = s->m->grads + s->m->nodes[2 + l].w_off;
        s->wt[l] = s->w[l];
    }
}

static void shapes_alloc(shapes *s, float *x, int bs)
{
    s->x = x;
    s->m = book_model(42);
    shapes_bind(s);
    for (int l = 0; l < 3; l++) {
        s->z[l] = falloc((size_t)bs * units[l]);
        s->dz[l] = falloc((size_t)bs * units[l]);
        s->da[l] = falloc((size_t)bs * units[l]);
    }
}

static void shapes_free(shapes *s)
{
    nn_model_free(s->m);
    for (int l = 0; l < 3; l++) {
        free(s->z[l]);
        free(s->dz[l]);
        free(s->da[l]);
    }
}

/* C = alpha op(A) op(B) + beta C through OpenBLAS directly (engine 0) or
 * the engine's nn_gemm (1). */
static void gemm(int engine, int ta, int tb, int M, int N, int K, float alpha,
                 const float *A, int lda, const float *B, int ldb, float beta,
                 float *C, int ldc)
{
    if (engine)
        nn_gemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    else
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans,
                    tb ? CblasTrans : CblasNoTrans, M, N, K, alpha, A, lda, B,
                    ldb, beta, C, ldc);
}

/* Product p (0..7) of a step on rows rows, as the engine does it:
 *   0..2  z_l = a_{l-1} W_l          (rows, units)
 *   3..5  g_l = a_{l-1}^T dz_l       (fan_in, units)  [folded: W_l -= lr ..]
 *   6..7  da_{l-1} = dz_l W_l^T      (rows, fan_in), l = 2, 1 */
static void product(shapes *s, const float *x, int p, int rows, int folded,
                    int engine)
{
    if (p < 3) {
        int l = p;
        const float *a = l ? s->z[l - 1] : x;
        gemm(engine, 0, 0, rows, units[l], fan[l], 1.0f, a, fan[l], s->w[l],
             units[l], 0.0f, s->z[l], units[l]);
    } else if (p < 6) {
        int l = 5 - p;
        const float *a = l ? s->z[l - 1] : x;
        gemm(engine, 1, 0, fan[l], units[l], rows, folded ? -LR : 1.0f, a,
             fan[l], s->dz[l], units[l], folded ? 1.0f : 0.0f,
             folded ? s->wt[l] : s->g[l], units[l]);
    } else {
        int l = p == 6 ? 2 : 1;
        gemm(engine, 0, 1, rows, fan[l], units[l], 1.0f, s->dz[l], units[l],
             s->w[l], units[l], 0.0f, s->da[l - 1], fan[l]);
    }
}


/* One epoch of steps (n rows, batch bs, the last batch short) of the 8
 * products.  update: 0 products only; 1 products, then the engine's SGD
 * step out of place from (w, g) into alt, and the pointers swap, as in
 * fit; 2 the update folded into the dW products (dx first, as folding
 * needs), in place: no gradients kept, nothing to undo; 3 folded into
 * alt after a copy of the weights there (the transaction fit makes for
 * TerminateOnNaN, without the gradients). */
static double floor_epoch(shapes *s, int n, int bs, int update, int engine,
                          float **alt)
{
    nn_model *m = s->m;
    static const int order[8] = {0, 1, 2, 3, 6, 4, 7, 5};
    static const int folded_order[8] = {0, 1, 2, 6, 3, 7, 4, 5};
    size_t off = 0, len = m->nparams;
    double t0 = now();
    for (int at = 0; at < n; at += bs) {
        int rows = n - at < bs ? n - at : bs;
        const float *x = s->x + (size_t)at * 784;
        if (update == 3) {
            nn_copy_floats(*alt, m->params, m->nparams);
            for (int l = 0; l < 3; l++)
                s->wt[l] = *alt + m->nodes[2 + l].w_off;
        }
        for (int k = 0; k < 8; k++)
            product(s, x, update >= 2 ? folded_order[k] : order[k], rows,
                    update >= 2, engine);
        if (update == 3) {
            float *t = m->params;
            m->params = *alt;
            *alt = t;
            shapes_bind(s);
        }
        if (update == 1) {   /* and the pointers swap, as in fit */
            nn_opt_step_to(&m->opt, *alt, m->params, m->grads, NULL, &off, &len, 1);
            float *t = m->params;
            m->params = *alt;
            *alt = t;
            shapes_bind(s);
        }
    }
    return now() - t0;
}

/* Seconds per call of product p at rows rows with t OpenBLAS threads. */
static double time_product(shapes *s, int p, int rows, int t)
{
    openblas_set_num_threads(t);
    int reps = 0;
    product(s, s->x, p, rows, 0, 0);
    double t0 = now(), el;
    do {
        for (int k = 0; k < 50; k++)
            product(s, s->x, p, rows, 0, 0);
        reps += 50;
        el = now() - t0;
    } while (el < 0.05);
    return el / reps;
}

static const char *const pname[8] = {
    "z1 = x W1", "z2 = a1 W2", "z3 = a2 W3", "dW3 = a2^T dz3",
    "dW2 = a1^T dz2", "dW1 = x^T dz1", "da2 = dz3 W3^T", "da1 = dz2 W2^T",
};

static void product_dims(int p, int rows, int *M, int *N, int *K)
{
    if (p < 3)
        *M = rows, *N = units[p], *K = fan[p];
    else if (p < 6)
        *M = fan[5 - p], *N = units[5 - p], *K = rows;
    else {
        int l = p == 6 ? 2 : 1;
        *M = rows, *N = fan[l], *K = units[l];
    }
}

/* ---- the machine: what other processes took ---- */


/* ---- the program: start-up and peak memory ---- */


int main(int argc, char **argv)
{
    const char *dir = getenv("NNLAB_FASHION");
    if (argc > 1)
        dir = argv[1];
    if (!dir || !*dir)
        dir = "/usr/share/datasets/fashion-mnist";
    const char *prog = argc > 2 ? argv[2] : "./nnlab";
    int runs = 3;
    if (getenv("BENCH_RUNS"))
        runs = atoi(getenv("BENCH_RUNS"));
    if (runs < 1 || runs > MAXRUNS)
        runs = 3;

    char tri[4096], trl[4096], tei[4096], tel[4096];
    snprintf(tri, sizeof tri, "%s/train-images-idx3-ubyte.gz", dir);
    snprintf(trl, sizeof trl, "%s/train-labels-idx1-ubyte.gz", dir);
    snprintf(tei, sizeof tei, "%s/t10k-images-idx3-ubyte.gz", dir);
    snprintf(tel, sizeof tel, "%s/t10k-labels-idx1-ubyte.gz", dir);
    if (!readable(tri) || !readable(trl) || !readable(tei) || !readable(tel)) {
        printf("bench_fit: Fashion-MNIST not found in %s (apt install "
               "dataset-fashion-mnist, or give its directory): skipped\n", dir);
        return 77;
    }
    double busy0 = machine_busy(), self0 = self_busy(), wall0 = now();

    int maxt = nn_blas_threads_max();
    int nthreads = nn_blas_threads_get();   /* makes OpenBLAS single-threaded */
    int ob_threads = openblas_get_num_threads();   /* the engine's setting */
    printf("nnlab bench: the book's Fashion-MNIST MLP (784-300-100-10, relu, "
           "softmax, SGD lr 0.01),\none epoch over %d images, median of %d "
           "runs; OpenBLAS %s; %d CPUs, the engine uses %d threads\n\n",
           NTRAIN, runs, openblas_get_corename(), maxt, nthreads);

    /* load */
    nn_dataset full = {0}, test = {0};
    nn_err e;
    double tl[MAXRUNS];
    for (int k = 0; k < runs; k++) {
        nn_dataset_free(&full);
        nn_dataset_free(&test);
        double t0 = now();
        if (nn_idx_load(&full, tri, trl, &e) != NN_OK ||
            nn_idx_load(&test, tei, tel, &e) != NN_OK) {
            fprintf(stderr, "bench_fit: %s\n", e.msg);
            return 1;
        }
        tl[k] = now() - t0;
    }
    double load = median(tl, runs);
    if (full.n < NTRAIN) {
        fprintf(stderr, "bench_fit: only %d training images in %s\n", full.n, dir);
        return 1;
    }
    nn_dataset tr;
    nn_dataset_view(&tr, &full, 0, NTRAIN);
    tr.nclasses = 10;

    const int bss[2] = {32, 256};
    double fitt[2], fit_all[2], fit_last[2];
    double flo_ob[2], flo_best[2], flo_nn[2], upd_sep[2], upd_fold[2];
    double upd_tx[2];
    fit_run first[2];
    double gflop = flops_per_sample() * NTRAIN * 1e-9;
    double per[2][8][2];   /* seconds per call: [batch][product][1, all threads] */

    for (int b = 0; b < 2; b++) {
        int bs = bss[b];
        double t[MAXRUNS];
        double ta[MAXRUNS], tz[MAXRUNS];
        for (int k = 0; k < runs; k++) {   /* interleaved: the same load */
            fit_run fr = time_fit(&tr, bs, 42, KEEP_SHELL);
            if (k == 0)
                first[b] = fr;
            t[k] = fr.secs;
            ta[k] = time_fit(&tr, bs, 42, KEEP_ALL).secs;
            tz[k] = time_fit(&tr, bs, 42, KEEP_LAST).secs;
        }
        fitt[b] = median(t, runs);
        fit_all[b] = median(ta, runs);
        fit_last[b] = median(tz, runs);

        shapes s;
        shapes_alloc(&s, tr.x, bs);
        /* the engine's products, and what keeping the gradients costs */
        float *alt = falloc(s.m->nparams);
        floor_epoch(&s, NTRAIN, bs, 0, 1, &alt);   /* warm */
        for (int k = 0; k < runs; k++)
            t[k] = floor_epoch(&s, NTRAIN, bs, 0, 1, &alt);
        flo_nn[b] = median(t, runs);
        for (int k = 0; k < runs; k++)
            t[k] = floor_epoch(&s, NTRAIN, bs, 1, 1, &alt);
        upd_sep[b] = median(t, runs);
        for (int k = 0; k < runs; k++)
            t[k] = floor_epoch(&s, NTRAIN, bs, 2, 1, &alt);
        upd_fold[b] = median(t, runs);
        for (int k = 0; k < runs; k++)
            t[k] = floor_epoch(&s, NTRAIN, bs, 3, 1, &alt);
        upd_tx[b] = median(t, runs);
        free(alt);

        /* OpenBLAS with its own threads, as the issue measured the floor */
        openblas_set_num_threads(maxt);
        floor_epoch(&s, NTRAIN, bs, 0, 0, NULL);
        for (int k = 0; k < runs; k++)
            t[k] = floor_epoch(&s, NTRAIN, bs, 0, 0, NULL);
        flo_ob[b] = median(t, runs);
        /* per product, 1 and all OpenBLAS threads */
        int nfull = NTRAIN / bs, last = NTRAIN % bs;
        double best = 0;
        for (int p = 0; p < 8; p++) {
            per[b][p][0] = time_product(&s, p, bs, 1);
            per[b][p][1] = maxt > 1 ? time_product(&s, p, bs, maxt) : per[b][p][0];
            best += nfull * fmin(per[b][p][0], per[b][p][1]);
            if (last) {
                double c1 = time_product(&s, p, last, 1);
                double c2 = maxt > 1 ? time_product(&s, p, last, maxt) : c1;
                best += fmin(c1, c2);
            }
        }
        flo_best[b] = best;
        openblas_set_num_threads(ob_threads);   /* the engine's setting again */
        shapes_free(&s);
    }

    /* the table */
    printf("%-40s %11s %11s\n", "", "batch 32", "batch 256");
    printf("%-40s %11.3f %11.3f\n", "fit, s/epoch", fitt[0], fitt[1]);
    printf("%-40s %11.0f %11.0f\n", "fit, samples/s", NTRAIN / fitt[0], NTRAIN / fitt[1]);
    printf("%-40s %11.1f %11.1f\n", "fit, GFLOP/s", gflop / fitt[0], gflop / fitt[1]);
    printf("%-40s %11.3f %11.3f\n", "floor: sgemm, OpenBLAS threads, s", flo_ob[0], flo_ob[1]);
    printf("%-40s %11.1f %11.1f\n", "floor: sgemm, OpenBLAS threads, GFLOP/s",
           gflop / flo_ob[0], gflop / flo_ob[1]);
    printf("%-40s %11.3f %11.3f\n", "floor: sgemm, best threads/product, s",
           flo_best[0], flo_best[1]);
    printf("%-40s %11.3f %11.3f\n", "floor: nn_gemm (engine split), s", flo_nn[0], flo_nn[1]);
    printf("%-40s %11.2f %11.2f\n", "fit / floor (OpenBLAS threads)",
           fitt[0] / flo_ob[0], fitt[1] / flo_ob[1]);
    printf("%-40s %11.2f %11.2f\n", "fit / floor (best threads/product)",
           fitt[0] / flo_best[0], fitt[1] / flo_best[1]);
    printf("%-40s %11.2f %11.2f\n", "fit / floor (nn_gemm)",
           fitt[0] / flo_nn[0], fitt[1] / flo_nn[1]);
    printf("%-40s %11.3f %11.3f\n", "fit keeping every step's gradients, s",
           fit_all[0], fit_all[1]);
    printf("%-40s %11.3f %11.3f\n", "fit keeping the last batch's only, s",
           fit_last[0], fit_last[1]);
    printf("%-40s %10.1f%% %10.1f%%\n", "inspection: fit vs last batch only",
           100 * (fitt[0] - fit_last[0]) / fit_last[0],
           100 * (fitt[1] - fit_last[1]) / fit_last[1]);
    printf("%-40s %10.1f%% %10.1f%%\n", "every step's gradients vs last only",
           100 * (fit_all[0] - fit_last[0]) / fit_last[0],
           100 * (fit_all[1] - fit_last[1]) / fit_last[1]);
    printf("products alone (no loss, no gather), one epoch:\n");
    printf("%-40s %10.1f%% %10.1f%%\n", "update pass vs folded, share of fit",
           100 * (upd_sep[0] - upd_fold[0]) / fitt[0],
           100 * (upd_sep[1] - upd_fold[1]) / fitt[1]);
    printf("%-40s %10.1f%% %10.1f%%\n", "  of which keeping the gradients",
           100 * (upd_sep[0] - upd_tx[0]) / fitt[0],
           100 * (upd_sep[1] - upd_tx[1]) / fitt[1]);
    printf("%-40s %10.1f%% %10.1f%%\n", "  of which the NaN undo (new weights apart)",
           100 * (upd_tx[0] - upd_fold[0]) / fitt[0],
           100 * (upd_tx[1] - upd_fold[1]) / fitt[1]);
    printf("%-40s %11.3f %11.3f\n", "  products + SGD step (as fit), s",
           upd_sep[0], upd_sep[1]);
    printf("%-40s %11.3f %11.3f\n", "  products folded into a copy, s",
           upd_tx[0], upd_tx[1]);
    printf("%-40s %11.3f %11.3f\n", "  products folded in place, s",
           upd_fold[0], upd_fold[1]);
    printf("%-40s %11.4f %11.4f\n", "after 1 epoch: loss", first[0].loss, first[1].loss);
    printf("%-40s %11.4f %11.4f\n", "after 1 epoch: accuracy", first[0].acc, first[1].acc);
    printf("(%.1f GFLOP per epoch in the products)\n\n", gflop);

    printf("per product, microseconds per call, 1 / %d OpenBLAS threads:\n", maxt);
    printf("%-16s %13s %16s %13s %16s\n", "", "batch 32", "", "batch 256", "");
    for (int p = 0; p < 8; p++) {
        char sh[2][32];
        for (int b = 0; b < 2; b++) {
            int M, N, K;
            product_dims(p, bss[b], &M, &N, &K);
            snprintf(sh[b], sizeof sh[b], "%dx%dx%d", M, N, K);
        }
        printf("%-16s %13s %7.1f / %6.1f %13s %7.1f / %6.1f\n", pname[p],
               sh[0], 1e6 * per[0][p][0], 1e6 * per[0][p][1],
               sh[1], 1e6 * per[1][p][0], 1e6 * per[1][p][1]);
    }
    printf("\n");

    /* data and the program */
    double data_mb = ((double)(full.n + test.n) * (full.d + 1)) * 4 / 1048576.0;
    printf("%-34s %9.3f s  (train + test .gz, %d + %d images)\n", "load Fashion-MNIST",
           load, full.n, test.n);
    nn_dataset_free(&full);
    nn_dataset_free(&test);

    if (access(prog, X_OK) != 0) {
        printf("%-34s %s not found: start-up and memory skipped\n", "", prog);
    } else {
        double ts[11];
        int nts = 0;
        for (int k = 0; k < 11; k++) {
            char *av[] = {(char *)prog, "-c", "quit", NULL};
            double t = run_child(prog, av, NULL, NULL);
            if (t >= 0)
                ts[nts++] = t;
        }
        if (nts)
            printf("%-34s %9.1f ms (%s -c quit, median of %d)\n", "start-up",
                   1e3 * median(ts, nts), prog, nts);

        char script[] = "/tmp/bench_fit_XXXXXX";
        int fd = mkstemp(script);
        if (fd >= 0) {
            char text[1024];
            int len = snprintf(text, sizeof text,
                "data fashion_mnist path=%s\ninput 28x28\nflatten\n"
                "dense 300 activation=relu\ndense 100 activation=relu\n"
                "dense 10 activation=softmax\ncompile "
                "loss=sparse_categorical_crossentropy optimizer=sgd "
                "metrics=accuracy\nfit epochs=1\nevaluate test\n", dir);
            ssize_t w = write(fd, text, (size_t)len);
            close(fd);
            long kb = 0;
            char *av[] = {(char *)prog, NULL};
            double t = w == len ? run_child(prog, av, script, &kb) : -1;
            unlink(script);
            /* reference: the 70,000 images and labels as float32, the
             * parameters and SGD's state (its momentum buffer) */
            double params_mb = 266610.0 * 4 * 2 / 1048576.0;
            if (t >= 0)
                printf("%-34s %9.1f MiB = %.2fx (data %.1f + params and state %.1f MiB)\n"
                       "%-34s %9.3f s  (data, fit 1 epoch with validation, evaluate)\n",
                       "peak RSS of nnlab, 1 epoch", kb / 1024.0,
                       kb / 1024.0 / (data_mb + params_mb), data_mb, params_mb,
                       "nnlab end to end", t);
            else
                printf("%-34s %s failed on the fit script\n", "peak RSS", prog);
        }
    }

    double busy1 = machine_busy(), self1 = self_busy(), wall = now() - wall0;
    if (busy0 >= 0 && busy1 >= 0) {
        double others = (busy1 - busy0) - (self1 - self0);
        printf("%-34s %9.1f CPU s in %.1f s (%.2f of %d CPUs busy with other work)\n",
               "other processes meanwhile", others < 0 ? 0 : others, wall,
               others < 0 ? 0 : others / wall, maxt);
    }
    return 0;
}
