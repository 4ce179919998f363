/* mat.h - matrix products.  Every product in the engine goes through
 * nn_gemm, a thin wrapper over cblas_sgemm (row-major); nn_gemm_ref is the
 * plain triple loop the tests compare it with.
 *
 *   C (M, N) = alpha * op(A) (M, K) * op(B) (K, N) + beta * C
 * op(X) is X or X^T as ta / tb say; lda, ldb, ldc are row strides of the
 * matrices as stored. */
#ifndef NN_MAT_H
#define NN_MAT_H

#include <stddef.h>

void nn_gemm(int ta, int tb, int M, int N, int K, float alpha,
             const float *A, int lda, const float *B, int ldb,
             float beta, float *C, int ldc);
void nn_gemm_ref(int ta, int tb, int M, int N, int K, float alpha,
                 const float *A, int lda, const float *B, int ldb,
                 float beta, float *C, int ldc);

/* Threads for the products that follow (1..cores; mat.c splits a
 * product itself, OpenBLAS runs single-threaded).  The split depends on
 * the shape alone, so the numbers are the same for any thread count.
 * The default is what OPENBLAS_NUM_THREADS / OMP_NUM_THREADS allow, else
 * every CPU the process may use; 1 with an OpenBLAS not built for
 * pthreads. */
void nn_blas_threads(int n);
int nn_blas_threads_max(void);   /* CPUs this process may use */
int nn_blas_threads_get(void);   /* the current setting */

/* fn(ctx, k) for k in [0, n), shared with the threads products use when
 * they pay (mat.c measures that on the products).  The calls must be
 * independent of each other and of which thread makes them, so that the
 * results do not depend on the thread count (elementwise work over
 * disjoint blocks: the optimizer's update). */
void nn_parallel_for(int n, void (*fn)(void *ctx, int k), void *ctx);
/* dst = src, n floats, in blocks nn_parallel_for shares (one thread's
 * memcpy reaches about half the bandwidth of two). */
void nn_copy_floats(float *dst, const float *src, size_t n);

#endif
