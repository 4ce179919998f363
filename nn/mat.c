/* mat.c - every matrix product of the engine, through cblas_sgemm.
 *
 * Threads.  OpenBLAS's own threading loses on the products of a small
 * network: on 2 cores its threads spin and yield between calls (up to a
 * second of system time per Fashion-MNIST epoch), a product split over 2
 * threads was slower than on 1 whenever another process held a core, and
 * its split depends on the thread count, so the same script gave other
 * numbers under OPENBLAS_NUM_THREADS=1 or on another machine.  So
 * OpenBLAS runs single-threaded and the engine splits a product itself:
 *
 *   - the split depends on the shape alone: C is cut into 1, 2, 4 or 8
 *     column blocks (or row blocks when C has more rows than columns, so
 *     that the smaller operand is the one packed twice), each a multiple
 *     of 16 wide.  The numbers are the same whatever the thread count,
 *     the load, or who computes which block;
 *   - blocks are claimed, not assigned: the caller and the helper threads
 *     take the next block from one atomic ticket, so a helper that is
 *     asleep or descheduled costs nothing (the caller does its blocks):
 *     never slower than one thread by more than the split's overhead;
 *   - helpers spin briefly after a product (products come every few
 *     microseconds while training), then sleep on a condition variable;
 *     they are started at the first product that is split;
 *   - whether helpers are used at all is measured, not guessed: split
 *     products are timed in windows of WINDOW products, and now and then
 *     a shorter window runs the other way (with helpers or without); the
 *     faster way wins, and a way that keeps losing is tried less often.
 *     A machine busy with other work, where a descheduled helper would
 *     stall every product, falls back to one thread within a few windows,
 *     and gets the helpers back when they pay again.  Since the blocks
 *     are the same either way, this changes no number.
 * Products under SPLIT_MIN flops are one call on the caller's thread. */
#include <cblas.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "mat.h"

/* OpenBLAS's own controls (openblas_config.h declares them). */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_procs(void);
int openblas_get_num_threads(void);
int openblas_get_parallel(void);

#define MAXTHREADS 16        /* caller included */
#define SPLIT_MIN 1.0e6      /* flops: below, one call */
#define BLOCK_ALIGN 16       /* block widths are multiples of this */
#define SPIN_NS 100000L      /* helpers spin this long before sleeping */
#define WINDOW 256           /* split products per timed window */
#define TRY_WINDOW 64        /* ... when trying the other way, or at first */
#define PROBE_MIN 8          /* windows between tries of the other way */
#define PROBE_MAX 128

static void sgemm(int ta, int tb, int M, int N, int K, float alpha,
                  const float *A, int lda, const float *B, int ldb,
                  float beta, float *C, int ldc)
{
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans,
                tb ? CblasTrans : CblasNoTrans, M, N, K, alpha, A, lda, B,
                ldb, beta, C, ldc);
}

/* ---- the split ---- */

typedef struct gemm_job {
    int ta, tb, M, N, K;
    float alpha, beta;
    const float *A, *B;
    float *C;
    int lda, ldb, ldc;
    int by_cols;     /* blocks of columns of C (else of rows) */
    int width;       /* block width, a multiple of BLOCK_ALIGN */
    int nblocks;
} gemm_job;

/* How many blocks: from the shape alone (the numbers depend on it).
 * Splitting in 2 costs 0-5% on one thread for these sizes, in 4 or 8
 * more (measured on the book's shapes), so 2 until the product is
 * large. */
static void plan(gemm_job *j)
{
    double flops = 2.0 * j->M * (double)j->N * j->K;
    j->by_cols = j->M <= j->N;
    int dim = j->by_cols ? j->N : j->M;
    int c = flops < SPLIT_MIN ? 1 : flops < 256e6 ? 2 : flops < 2e9 ? 4 : 8;
    while (c > 1 && dim < c * BLOCK_ALIGN)
        c /= 2;
    int w = (dim + c - 1) / c;
    w = (w + BLOCK_ALIGN - 1) / BLOCK_ALIGN * BLOCK_ALIGN;
    j->width = w;
    j->nblocks = (dim + w - 1) / w;
}

/* Block k of the product: columns (or rows) [k w, k w + w) of C. */
static void run_block(const gemm_job *j, int k)
{
    int lo = k * j->width;
    if (j->by_cols) {
        int n = j->N - lo < j->width ? j->N - lo : j->width;
        const float *B = j->tb ? j->B + (size_t)lo * j->ldb : j->B + lo;
        sgemm(j->ta, j->tb, j->M, n, j->K, j->alpha, j->A, j->lda, B, j->ldb,
              j->beta, j->C + lo, j->ldc);
    } else {
        int m = j->M - lo < j->width ? j->M - lo : j->width;
        const float *A = j->ta ? j->A + lo : j->A + (size_t)lo * j->lda;
        sgemm(j->ta, j->tb, m, j->N, j->K, j->alpha, A, j->lda, j->B, j->ldb,
              j->beta, j->C + (size_t)lo * j->ldc, j->ldc);
    }
}

/* ---- the helpers ---- */

/* ticket = generation << 32 | next block << 16 | number of blocks: a
 * block is claimed by moving next, for the current generation only. */
#define T_GEN(t) ((uint32_t)((t) >> 32))
#define T_NEXT(t) ((int)(((t) >> 16) & 0xffff))
#define T_COUNT(t) ((int)((t) & 0xffff))

static struct pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int threads;                 /* wanted, caller included (0: not set) */
    int started;                 /* helpers running */
    pthread_t th[MAXTHREADS];
    int stopping;                /* at exit (under mu) */
    int safe;                    /* OpenBLAS takes concurrent calls */
    uint32_t gen;                /* the caller's last generation */
    void (*fn)(void *ctx, int k);   /* the job: fn(ctx, k) for each block */
    void *ctx;                   /* both stable while its blocks are out */
    _Atomic uint64_t ticket;
    _Atomic int done;            /* blocks finished, this generation */
    _Atomic int helpers;         /* helpers that may take blocks */
    _Atomic int sleepers;
    atomic_flag busy;            /* a caller is using the pool */
} pool = {
    .mu = PTHREAD_MUTEX_INITIALIZER,
    .cv = PTHREAD_COND_INITIALIZER,
    .busy = ATOMIC_FLAG_INIT,
};

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static long elapsed_ns(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000000000L + (t.tv_nsec - t0->tv_nsec);
}

/* Next block of generation gen, or -1. */
static int claim(uint32_t gen)
{
    uint64_t t = atomic_load_explicit(&pool.ticket, memory_order_acquire);
    for (;;) {
        if (T_GEN(t) != gen || T_NEXT(t) >= T_COUNT(t))
            return -1;
        if (atomic_compare_exchange_weak_explicit(&pool.ticket, &t,
                t + ((uint64_t)1 << 16), memory_order_acq_rel,
                memory_order_acquire))
            return T_NEXT(t);
    }
}

static void work(uint32_t gen)
{
    int k;
    while ((k = claim(gen)) >= 0) {
        pool.fn(pool.ctx, k);
        atomic_fetch_add_explicit(&pool.done, 1, memory_order_release);
    }
}

/* Waits for a generation other than seen: spins SPIN_NS, then sleeps. */
static uint32_t wait_gen(uint32_t seen)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 1;; i++) {
        uint32_t g = T_GEN(atomic_load_explicit(&pool.ticket, memory_order_acquire));
        if (g != seen)
            return g;
        cpu_relax();
        if ((i & 255) == 0 && elapsed_ns(&t0) > SPIN_NS)
            break;
    }
    pthread_mutex_lock(&pool.mu);
    atomic_fetch_add(&pool.sleepers, 1);
    uint32_t g;
    while ((g = T_GEN(atomic_load(&pool.ticket))) == seen && !pool.stopping)
        pthread_cond_wait(&pool.cv, &pool.mu);
    atomic_fetch_sub(&pool.sleepers, 1);
    int stop = pool.stopping;
    pthread_mutex_unlock(&pool.mu);
    return stop ? seen : g;
}

static void *helper(void *arg)
{
    int id = (int)(intptr_t)arg;
    uint32_t seen = T_GEN(atomic_load(&pool.ticket));
    for (;;) {
        uint32_t g = wait_gen(seen);
        if (g == seen)
            return NULL;   /* stopping */
        seen = g;
        if (id < atomic_load_explicit(&pool.helpers, memory_order_relaxed))
            work(seen);
    }
}

/* At exit: the helpers sleep, then end, and are joined (so that tools
 * such as valgrind see no thread left behind). */
static void pool_stop(void)
{
    pthread_mutex_lock(&pool.mu);
    pool.stopping = 1;
    pthread_cond_broadcast(&pool.cv);
    pthread_mutex_unlock(&pool.mu);
    for (int i = 0; i < pool.started; i++)
        pthread_join(pool.th[i], NULL);
    pool.started = 0;
}

/* A forked child has the caller's thread only: it does every block. */
static void after_fork_child(void)
{
    pthread_mutex_init(&pool.mu, NULL);
    pthread_cond_init(&pool.cv, NULL);
    pool.started = 0;
    atomic_store(&pool.helpers, 0);
    atomic_store(&pool.sleepers, 0);
}

/* The thread count the user's environment allows (OPENBLAS_NUM_THREADS,
 * OMP_NUM_THREADS, the CPUs this process may use), read once before
 * OpenBLAS is made single-threaded; then OpenBLAS's threads stay idle.
 * Only OpenBLAS built with pthreads (Debian's libopenblas0-pthread, the
 * one pkg-config's openblas names) takes calls from several threads at
 * once safely; with a serial or an OpenMP build the helpers stay off (the
 * numbers are the same either way). */
static void pool_init(void)
{
    if (pool.threads)
        return;
    int n = openblas_get_num_threads();
    int max = nn_blas_threads_max();
    if (n < 1 || n > max)
        n = max;
    pool.threads = n > MAXTHREADS ? MAXTHREADS : n;
    pool.safe = openblas_get_parallel() == 1;
    if (!pool.safe)
        pool.threads = 1;
    openblas_set_num_threads(1);
    pthread_atfork(NULL, NULL, after_fork_child);
}

/* Starts helpers up to threads - 1; returns how many run. */
static int pool_start(void)
{
    static int registered;
    if (!registered && pool.started < pool.threads - 1) {
        atexit(pool_stop);
        registered = 1;
    }
    while (pool.started < pool.threads - 1) {
        if (pthread_create(&pool.th[pool.started], NULL, helper,
                           (void *)(intptr_t)pool.started) != 0)
            break;   /* fewer helpers; the caller does the rest */
        pool.started++;
    }
    int h = pool.threads - 1 < pool.started ? pool.threads - 1 : pool.started;
    atomic_store(&pool.helpers, h);
    return h;
}

/* fn(ctx, k) for k in [0, n) shared with the helpers (pool.busy held,
 * helpers started). */
static void run_helped(int n, void (*fn)(void *, int), void *ctx)
{
    pool.fn = fn;
    pool.ctx = ctx;
    atomic_store_explicit(&pool.done, 0, memory_order_relaxed);
    uint32_t gen = ++pool.gen;
    if (gen == 0)
        gen = ++pool.gen;
    atomic_store(&pool.ticket, (uint64_t)gen << 32 | (uint64_t)n);
    if (atomic_load(&pool.sleepers) > 0) {
        pthread_mutex_lock(&pool.mu);
        pthread_cond_broadcast(&pool.cv);
        pthread_mutex_unlock(&pool.mu);
    }
    work(gen);
    /* blocks a helper took are running: wait for them, letting the
     * helper have this core if the system moved it here */
    for (int i = 1; atomic_load_explicit(&pool.done, memory_order_acquire) < n;
         i++) {
        cpu_relax();
        if ((i & 1023) == 0)
            sched_yield();
    }
}

static void gemm_block(void *j, int k)
{
    run_block(j, k);
}

/* Which way split products run: with helpers (1) or without (0); see
 * the top of the file.  Touched by the thread holding pool.busy only. */
static struct adapt {
    int best;            /* the faster way so far */
    int cur;             /* the way of this window */
    int count;           /* products in this window */
    double ns, flops;    /* this window's time and work */
    double rate[2];      /* ns per flop of the last window each way, 0: none */
    int left;            /* windows of best before the next try */
    int interval;        /* windows between tries */
} ad = {1, 1, 0, 0, 0, {0, 0}, PROBE_MIN, PROBE_MIN};

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return 1e9 * (double)t.tv_sec + (double)t.tv_nsec;
}

static void adapt_end_window(void)
{
    struct adapt *a = &ad;
    a->rate[a->cur] = a->ns / a->flops;
    a->count = 0;
    a->ns = a->flops = 0;
    if (a->rate[!a->cur] == 0) {   /* try the other way once at the start */
        a->cur = !a->cur;
        return;
    }
    if (a->cur != a->best) {       /* a try: keep the faster way */
        if (a->rate[a->cur] < 0.97 * a->rate[a->best]) {
            a->best = a->cur;
            a->interval = PROBE_MIN;
        } else if (a->interval < PROBE_MAX) {
            a->interval *= 2;
        }
        a->cur = a->best;
        a->left = a->interval;
    } else if (--a->left <= 0 || a->rate[a->cur] > a->rate[!a->cur] / 0.97) {
        a->cur = !a->best;   /* time to try, or the load changed */
    }
}

static void run_split(const gemm_job *j)
{
    if (pool.threads > 1 && !atomic_flag_test_and_set(&pool.busy)) {
        double t0 = now_ns();
        if (ad.cur && pool_start() > 0)
            run_helped(j->nblocks, gemm_block, (void *)j);
        else
            for (int k = 0; k < j->nblocks; k++)
                run_block(j, k);
        ad.ns += now_ns() - t0;
        ad.flops += 2.0 * j->M * (double)j->N * j->K;
        int len = ad.cur == ad.best && ad.rate[!ad.cur] > 0 ? WINDOW : TRY_WINDOW;
        if (++ad.count >= len)
            adapt_end_window();
        atomic_flag_clear(&pool.busy);
        return;
    }
    for (int k = 0; k < j->nblocks; k++)   /* the same blocks, in order */
        run_block(j, k);
}

void nn_gemm(int ta, int tb, int M, int N, int K, float alpha,
             const float *A, int lda, const float *B, int ldb,
             float beta, float *C, int ldc)
{
    if (M <= 0 || N <= 0)
        return;
    pool_init();
    gemm_job j = {ta, tb, M, N, K, alpha, beta, A, B, C, lda, ldb, ldc, 0, 0, 1};
    plan(&j);
    if (j.nblocks <= 1) {
        sgemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    run_split(&j);
}

void nn_parallel_for(int n, void (*fn)(void *ctx, int k), void *ctx)
{
    pool_init();
    if (n > 1 && pool.threads > 1 && !atomic_flag_test_and_set(&pool.busy)) {
        if (ad.best && pool_start() > 0) {
            run_helped(n, fn, ctx);
            atomic_flag_clear(&pool.busy);
            return;
        }
        atomic_flag_clear(&pool.busy);
    }
    for (int k = 0; k < n; k++)
        fn(ctx, k);
}

#define COPY_BLOCK 16384
typedef struct copy_job {
    float *dst;
    const float *src;
    size_t n;
} copy_job;

static void copy_block(void *ctx, int k)
{
    const copy_job *j = ctx;
    size_t a = (size_t)k * COPY_BLOCK, len = j->n - a < COPY_BLOCK ? j->n - a : COPY_BLOCK;
    memcpy(j->dst + a, j->src + a, len * sizeof(float));
}

void nn_copy_floats(float *dst, const float *src, size_t n)
{
    copy_job j = {dst, src, n};
    nn_parallel_for((int)((n + COPY_BLOCK - 1) / COPY_BLOCK), copy_block, &j);
}

/* C = alpha op(A) op(B) + beta C, accumulated in double. */
void nn_gemm_ref(int ta, int tb, int M, int N, int K, float alpha,
                 const float *A, int lda, const float *B, int ldb,
                 float beta, float *C, int ldc)
{
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            double s = 0;
            for (int k = 0; k < K; k++) {
                float a = ta ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k];
                float b = tb ? B[(size_t)j * ldb + k] : B[(size_t)k * ldb + j];
                s += (double)a * b;
            }
            float *c = &C[(size_t)i * ldc + j];
            *c = (float)(alpha * s + (beta == 0.0f ? 0.0 : (double)beta * *c));
        }
}

void nn_blas_threads(int n)
{
    pool_init();
    int max = nn_blas_threads_max();
    if (n < 1)
        n = 1;
    if (n > max)
        n = max;
    if (n > MAXTHREADS)
        n = MAXTHREADS;
    pool.threads = pool.safe ? n : 1;
    if (pool.started)
        atomic_store(&pool.helpers, n - 1 < pool.started ? n - 1 : pool.started);
}

int nn_blas_threads_max(void)
{
    int n = openblas_get_num_procs();
    return n < 1 ? 1 : n;
}

int nn_blas_threads_get(void)
{
    pool_init();
    return pool.threads;
}
