/* bench_shell.c - the book's Fashion-MNIST model as a student types it
 * (issue 15): the shell's load and fit against the engine, zlib, the
 * sgemm floor, PyTorch and numpy, each figure beside its goal and the
 * ratio measured in the same run.
 *
 *   bench_shell [DATADIR [NNLAB]]     (BENCH_RUNS=N: median of N, default 3)
 *
 * What is timed (wall seconds, medians of BENCH_RUNS, the runs of the
 * different programs interleaved so they share the machine's load):
 *   zcat     the four .gz files inflated (zlib's own speed, the goal's yard)
 *   load     nnlab -c 'data fashion_mnist path=DATADIR' minus nnlab -c quit
 *   fit      nnlab -c 'data ...; input 28x28; flatten; dense 300 ...;
 *            compile ...; fit epochs=E batch_size=B validation_data=none
 *            verbose=0' for E = 0 (no fit), 1 and 3: the first epoch is
 *            E=1 minus E=0, a later epoch (E=3 minus E=1) / 2
 *   engine   nn_fit in this process on the same data as the shell holds it
 *            (bytes, nn_idx_load_u8), the same model, seeds and gradient
 *            record: epoch 1 of 3, and the mean of epochs 2 and 3
 *   floor    the 8 sgemm products of every step (3 x W forward, 3 dW, 2
 *            dx), cblas_sgemm with OpenBLAS's threads, one epoch
 *   PyTorch  bench/torch_fit.py, the same model and epoch (when Debian's
 *            python3-torch is there; OMP_WAIT_POLICY=PASSIVE)
 *   csv      nnlab -c 'data csv FILE target=label' minus start-up, on a
 *            generated 200,000 x 51 CSV, against numpy.loadtxt of the file
 *            timed inside Python (when numpy is there)
 *   memory   the peak RSS of the session with one epoch at batch 32.
 * The CPU time other processes took meanwhile is printed last: on a busy
 * machine the wall times mean little.  Exits 77 without the data. */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench_util.h"
#include "mat.h"

static int runs = 3;
static const char *prog, *dir;
static const int bss[2] = {32, 256};

/* The figures, seconds (kb: KiB), filled by main's measurements and
 * printed by print_table. */
static double zcat, load, first[2], later[2], ef[2], el[2], flo[2];
static double torch[2] = {-1, -1}, nl = -1, np = -1;
static long kb;

/* Wall time of nnlab -c text (its peak RSS into *rss when rss). */
static double shell(const char *text, long *rss)
{
    char *av[] = {(char *)prog, "-c", (char *)text, NULL};
    return run_child(prog, av, NULL, rss);
}

static void fit_script(char *buf, size_t len, int epochs, int bs)
{
    int k = snprintf(buf, len,
        "data fashion_mnist path=%s; input 28x28; flatten; "
        "dense 300 activation=relu; dense 100 activation=relu; "
        "dense 10 activation=softmax; compile "
        "loss=sparse_categorical_crossentropy optimizer=sgd metrics=accuracy",
        dir);
    if (epochs > 0)
        snprintf(buf + k, len - (size_t)k, "; fit epochs=%d batch_size=%d "
                 "validation_data=none verbose=0", epochs, bs);
}

/* ---- the engine, as the shell runs it ---- */

typedef struct clock_ctx {
    long stride;            /* the shell's gradient record: every stride-th step */
    double t[4];            /* when epochs 0..3 began / ended */
} clock_ctx;

static int keep_every(void *ctx, const nn_model *m)
{
    return (m->steps + 1) % ((const clock_ctx *)ctx)->stride == 0;
}

static int epoch_end(void *ctx, nn_model *m, int epoch, const nn_logs *l)
{
    (void)m, (void)l;
    ((clock_ctx *)ctx)->t[epoch + 1] = now();
    return 0;
}

/* Epoch 1 and the mean of epochs 2, 3 of the engine's fit. */
static void engine_fit(const nn_dataset *tr, int bs, double *e1, double *e23)
{
    nn_model *m = book_model(42);
    nn_fit_opts o;
    nn_fit_defaults(&o);
    o.batch_size = bs;
    o.epochs = 3;
    clock_ctx c = {1, {0}};
    int nb = (tr->n + bs - 1) / bs;
    while (c.stride * 2 <= nb / 64)
        c.stride *= 2;
    o.hooks.ctx = &c;
    o.hooks.keep_grads = keep_every;
    o.hooks.epoch_end = epoch_end;
    nn_rng r;
    nn_rng_seed(&r, 43);
    nn_err e;
    c.t[0] = now();
    if (nn_fit(m, tr, &o, NULL, &r, NULL, &e) != NN_OK) {
        fprintf(stderr, "bench_shell: fit: %s\n", e.msg);
        exit(1);
    }
    *e1 = c.t[1] - c.t[0];
    *e23 = (c.t[3] - c.t[1]) / 2;
    nn_model_free(m);
}

/* One epoch of the step's 8 products (no loss, no update), bs rows. */
static double floor_epoch(int bs)
{
    static const int fan[3] = {784, 300, 100};
    float *buf[9] = {NULL};
    size_t big = (size_t)bs * 784 + 784 * 300;
    for (int i = 0; i < 9; i++)
        if (!(buf[i] = calloc(big, sizeof(float))))
            exit(1);
    int steps = (NTRAIN + bs - 1) / bs;
    double t0 = now();
    for (int s = 0; s < steps; s++)
        for (int l = 0; l < 3; l++) {
            /* z = x W (bs x units), dW = x^T dz (fan x units), dx = dz W^T */
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, bs, units[l],
                        fan[l], 1, buf[0], fan[l], buf[1 + l], units[l], 0,
                        buf[4], units[l]);
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, fan[l], units[l],
                        bs, 1, buf[0], fan[l], buf[5], units[l], 0, buf[6],
                        units[l]);
            if (l > 0)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, bs, fan[l],
                            units[l], 1, buf[5], units[l], buf[1 + l], units[l],
                            0, buf[7], fan[l]);
        }
    double t = now() - t0;
    for (int i = 0; i < 9; i++)
        free(buf[i]);
    return t;
}

/* ---- Python: PyTorch and numpy, when there ---- */

static const char *python(const char *module)
{
    static const char *const cands[] = {"/usr/bin/python3", "/usr/local/bin/python3"};
    for (int i = 0; i < 2; i++) {
        if (access(cands[i], X_OK) != 0)
            continue;
        char code[128];
        snprintf(code, sizeof code, "import %s", module);
        char *av[] = {(char *)cands[i], "-c", code, NULL};
        if (run_child(cands[i], av, NULL, NULL) >= 0)
            return cands[i];
    }
    return NULL;
}

/* Runs py with args; the seconds it writes into a temporary file. */
static double python_secs(const char *py, char **args, int nargs)
{
    char out[] = "/tmp/bench_shell_XXXXXX";
    int fd = mkstemp(out);
    if (fd < 0)
        return -1;
    close(fd);
    char *av[12] = {(char *)py};
    for (int i = 0; i < nargs && i < 9; i++)
        av[1 + i] = args[i];
    av[1 + (nargs < 9 ? nargs : 9)] = out;
    double secs = -1;
    if (run_child(py, av, NULL, NULL) >= 0) {
        FILE *f = fopen(out, "r");
        if (f && fscanf(f, "%lf", &secs) != 1)
            secs = -1;
        if (f)
            fclose(f);
    }
    unlink(out);
    return secs;
}

/* 200,000 rows of 50 N(0, 1) features ("%.6f") and a label 0..2. */
static int write_csv(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (int j = 0; j < 50; j++)
        fprintf(f, "f%d,", j);
    fprintf(f, "label\n");
    nn_rng r;
    nn_rng_seed(&r, 1);
    for (int i = 0; i < 200000; i++) {
        for (int j = 0; j < 50; j++)
            fprintf(f, "%.6f,", nn_rng_normal(&r));
        fprintf(f, "%u\n", (unsigned)nn_rng_below(&r, 3));
    }
    return fclose(f) == 0 ? 0 : -1;
}

/* ---- the table ---- */

static void row(const char *what, double v, const char *unit, const char *goal,
                double ratio, int ok)
{
    printf("%-44s %9.3f %-4s", what, v, unit);
    if (goal)
        printf("  %-26s %6.2f  %s", goal, ratio, ok ? "ok" : "NOT MET");
    printf("\n");
}

static double med_of(double *v)
{
    return median(v, runs);
}

/* Every figure with its goal and the ratio of this run. */
static void print_table(void)
{
    printf("%-44s %9s %-4s  %-26s %6s\n", "", "measured", "", "goal", "ratio");
    row("zcat of the 4 .gz files", zcat, "s", NULL, 0, 0);
    row("data fashion_mnist (shell, minus start-up)", load, "s", "<= 1.3x zcat",
        load / zcat, load <= 1.3 * zcat);
    row("peak RSS, data + 1 epoch at batch 32", kb / 1024.0, "MiB", "< 90 MiB",
        kb / 1024.0 / 90, kb / 1024.0 < 90);
    for (int b = 0; b < 2; b++) {
        char w[96];
        printf("batch %d:\n", bss[b]);
        row("  engine fit (nn_fit), epoch 1", ef[b], "s", NULL, 0, 0);
        row("  engine fit, a later epoch", el[b], "s", NULL, 0, 0);
        row("  shell fit, first epoch", first[b], "s", "<= 1.1x the engine's",
            first[b] / ef[b], first[b] <= 1.1 * ef[b]);
        row("  shell fit, a later epoch", later[b], "s", "<= 1.1x the engine's",
            later[b] / el[b], later[b] <= 1.1 * el[b]);
        row("  floor: the step's sgemm, OpenBLAS threads", flo[b], "s", NULL, 0, 0);
        /* the goal is at batch 256; batch 32 is printed for reference */
        snprintf(w, sizeof w, "<= 1.25x the floor");
        row("  shell fit, a later epoch / floor", later[b] / flo[b], "x",
            b ? w : NULL, later[b] / flo[b], later[b] <= 1.25 * flo[b]);
        if (torch[b] > 0)
            row("  PyTorch, one epoch (torch_fit.py)", torch[b], "s",
                ">= 2x the shell's", torch[b] / later[b], torch[b] >= 2 * later[b]);
        else
            printf("  PyTorch: not measured (apt-get install python3-torch)\n");
    }
    if (nl > 0 && np > 0) {
        row("numpy.loadtxt, 200,000 x 51 CSV", np, "s", NULL, 0, 0);
        row("data csv, the same file (minus start-up)", nl, "s", "<= 1.0x numpy",
            nl / np, nl <= np);
    } else
        printf("CSV: not measured (a temporary file or numpy missing)\n");
}

int main(int argc, char **argv)
{
    dir = argc > 1 ? argv[1] : getenv("NNLAB_FASHION");
    if (!dir || !*dir)
        dir = "/usr/share/datasets/fashion-mnist";
    prog = argc > 2 ? argv[2] : "./nnlab";
    if (getenv("BENCH_RUNS"))
        runs = atoi(getenv("BENCH_RUNS"));
    if (runs < 1 || runs > MAXRUNS)
        runs = 3;
    static const char *const files[4] = {
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};
    char path[4][4096];
    for (int i = 0; i < 4; i++) {
        snprintf(path[i], sizeof path[i], "%s/%s", dir, files[i]);
        if (access(path[i], R_OK) != 0) {
            printf("bench_shell: Fashion-MNIST not found in %s: skipped\n", dir);
            return 77;
        }
    }
    if (access(prog, X_OK) != 0) {
        printf("bench_shell: %s not found: skipped\n", prog);
        return 77;
    }
    double busy0 = machine_busy(), self0 = self_busy(), wall0 = now();
    printf("nnlab bench, the shell (issue 15): the book's Fashion-MNIST MLP typed "
           "as nnlab -c '...',\nmedian of %d runs, interleaved\n\n", runs);

    /* the shell: start-up, load, and the fits at both batch sizes */
    char zc[20000], load_cmd[4400], scr[3][2][4800];
    snprintf(zc, sizeof zc, "exec zcat '%s' '%s' '%s' '%s' >/dev/null", path[0],
             path[1], path[2], path[3]);
    snprintf(load_cmd, sizeof load_cmd, "data fashion_mnist path=%s", dir);
    static const int eps[3] = {0, 1, 3};
    for (int e = 0; e < 3; e++)
        for (int b = 0; b < 2; b++)
            fit_script(scr[e][b], sizeof scr[e][b], eps[e], bss[b]);
    double tz[MAXRUNS], tq[MAXRUNS], tl[MAXRUNS], tf[3][2][MAXRUNS];
    for (int k = 0; k < runs; k++) {
        char *zav[] = {"/bin/sh", "-c", zc, NULL};
        tz[k] = run_child("/bin/sh", zav, NULL, NULL);
        tq[k] = shell("quit", NULL);
        tl[k] = shell(load_cmd, NULL);
        for (int b = 0; b < 2; b++)
            for (int e = 0; e < 3; e++)
                tf[e][b][k] = shell(scr[e][b], e == 1 && b == 0 ? &kb : NULL);
        if (tz[k] < 0 || tq[k] < 0 || tl[k] < 0) {
            fprintf(stderr, "bench_shell: zcat or %s failed\n", prog);
            return 1;
        }
    }
    double quit = med_of(tq);
    zcat = med_of(tz);
    load = med_of(tl) - quit;
    for (int b = 0; b < 2; b++) {
        double f0 = med_of(tf[0][b]), f1 = med_of(tf[1][b]), f3 = med_of(tf[2][b]);
        first[b] = f1 - f0;
        later[b] = (f3 - f1) / 2;
    }

    /* the engine on the same data, and the floor */
    nn_dataset set[2];
    nn_err err;
    const char *imgs[2] = {path[0], path[2]}, *labs[2] = {path[1], path[3]};
    if (nn_idx_load_u8(set, imgs, labs, 2, &err) != NN_OK) {
        fprintf(stderr, "bench_shell: %s\n", err.msg);
        return 1;
    }
    nn_dataset tr;
    nn_dataset_view(&tr, &set[0], 0, NTRAIN);
    tr.nclasses = 10;
    int maxt = nn_blas_threads_max();
    nn_blas_threads_get();   /* the engine's setting: OpenBLAS on one thread */
    for (int b = 0; b < 2; b++) {
        double a[MAXRUNS], c[MAXRUNS], f[MAXRUNS];
        for (int k = 0; k < runs; k++) {
            engine_fit(&tr, bss[b], &a[k], &c[k]);
            openblas_set_num_threads(maxt);
            f[k] = floor_epoch(bss[b]);
            openblas_set_num_threads(1);
        }
        ef[b] = med_of(a);
        el[b] = med_of(c);
        flo[b] = med_of(f);
    }
    nn_dataset_free(&set[0]);
    nn_dataset_free(&set[1]);

    /* PyTorch and numpy */
    const char *pyt = python("torch"), *pyn = python("numpy");
    char tfile[4200], src[4200];
    snprintf(src, sizeof src, "%s", argv[0]);
    char *slash = strrchr(src, '/');
    snprintf(tfile, sizeof tfile, "%.*s/torch_fit.py", slash ? (int)(slash - src) : 1,
             slash ? src : ".");
    if (getenv("BENCH_SRCDIR"))
        snprintf(tfile, sizeof tfile, "%s/bench/torch_fit.py", getenv("BENCH_SRCDIR"));
    if (pyt && access(tfile, R_OK) == 0) {
        setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
        for (int b = 0; b < 2; b++) {
            double t[MAXRUNS];
            char bsz[16];
            snprintf(bsz, sizeof bsz, "%d", bss[b]);
            for (int k = 0; k < runs; k++) {
                char *args[] = {tfile, (char *)dir, bsz};
                t[k] = python_secs(pyt, args, 3);
            }
            torch[b] = med_of(t);
        }
    }
    char csv[] = "/tmp/bench_shell_csv_XXXXXX";
    int fd = mkstemp(csv);
    if (fd >= 0 && (close(fd), write_csv(csv) == 0)) {
        char cmd[200];
        snprintf(cmd, sizeof cmd, "data csv %s target=label", csv);
        double a[MAXRUNS], c[MAXRUNS], q[MAXRUNS];
        static char code[600];
        snprintf(code, sizeof code,
                 "import sys, time, numpy\n"
                 "t = time.perf_counter()\n"
                 "numpy.loadtxt(sys.argv[1], delimiter=',', skiprows=1, dtype=numpy.float32)\n"
                 "open(sys.argv[2], 'w').write(str(time.perf_counter() - t))\n");
        for (int k = 0; k < runs; k++) {
            q[k] = shell("quit", NULL);
            a[k] = shell(cmd, NULL) - q[k];
            char *args[] = {"-c", code, csv};
            c[k] = pyn ? python_secs(pyn, args, 3) : -1;
        }
        nl = med_of(a);
        np = pyn ? med_of(c) : -1;
    }
    unlink(csv);

    print_table();
    double busy1 = machine_busy(), self1 = self_busy(), wall = now() - wall0;
    if (busy0 >= 0 && busy1 >= 0) {
        double others = (busy1 - busy0) - (self1 - self0);
        printf("%-44s %9.1f CPU s in %.1f s (%.2f of %d CPUs busy with other work)\n",
               "other processes meanwhile", others < 0 ? 0 : others, wall,
               others < 0 ? 0 : others / wall, maxt);
    }
    return 0;
}
