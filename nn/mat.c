/* mat.c - every matrix product of the engine, through cblas_sgemm. */
#include <cblas.h>
#include "mat.h"

/* OpenBLAS's own controls (openblas_config.h declares them). */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_procs(void);

void nn_gemm(int ta, int tb, int M, int N, int K, float alpha,
             const float *A, int lda, const float *B, int ldb,
             float beta, float *C, int ldc)
{
    if (M <= 0 || N <= 0)
        return;
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans,
                tb ? CblasTrans : CblasNoTrans, M, N, K, alpha, A, lda, B,
                ldb, beta, C, ldc);
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
    int max = nn_blas_threads_max();
    if (n < 1)
        n = 1;
    if (n > max)
        n = max;
    openblas_set_num_threads(n);
}

int nn_blas_threads_max(void)
{
    int n = openblas_get_num_procs();
    return n < 1 ? 1 : n;
}
