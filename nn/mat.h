/* mat.h - matrix products.  Every product in the engine goes through
 * nn_gemm, a thin wrapper over cblas_sgemm (row-major); nn_gemm_ref is the
 * plain triple loop the tests compare it with.
 *
 *   C (M, N) = alpha * op(A) (M, K) * op(B) (K, N) + beta * C
 * op(X) is X or X^T as ta / tb say; lda, ldb, ldc are row strides of the
 * matrices as stored. */
#ifndef NN_MAT_H
#define NN_MAT_H

void nn_gemm(int ta, int tb, int M, int N, int K, float alpha,
             const float *A, int lda, const float *B, int ldb,
             float beta, float *C, int ldc);
void nn_gemm_ref(int ta, int tb, int M, int N, int K, float alpha,
                 const float *A, int lda, const float *B, int ldb,
                 float beta, float *C, int ldc);

/* OpenBLAS thread count for the products that follow (1..cores). */
void nn_blas_threads(int n);
int nn_blas_threads_max(void);

#endif
