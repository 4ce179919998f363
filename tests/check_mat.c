/* check_mat.c - nn_gemm (cblas_sgemm) against the plain triple loop
 * nn_gemm_ref, for every transpose combination, odd sizes, non-trivial
 * alpha and beta, and row strides wider than the matrices. */
#include <stdio.h>
#include <stdlib.h>
#include "check_util.h"
#include "mat.h"
#include "rng.h"

typedef struct gemm_case {
    int M, N, K;
    float alpha, beta;
    int pad;          /* extra columns in each stored row (lda > width) */
} gemm_case;

static const gemm_case gemm_cases[] = {
    { 1, 1, 1, 1.0f, 0.0f, 0 },
    { 1, 1, 1, -0.5f, 2.0f, 3 },
    { 3, 5, 7, 1.0f, 0.0f, 0 },
    { 3, 5, 7, 0.75f, -1.25f, 2 },
    { 5, 3, 7, -1.5f, 0.5f, 1 },
    { 37, 19, 53, 0.3f, 0.7f, 0 },
    { 37, 19, 53, -2.0f, 1.0f, 5 },
    { 53, 37, 19, 1.0f, 1.0f, 11 },
};

/* Fills rows x cols of a matrix stored with row stride ld; the padding
 * gets a sentinel the product must neither read into C nor overwrite. */
static float *rand_mat(nn_rng *r, int rows, int cols, int ld)
{
    float *a = malloc((size_t)rows * ld * sizeof *a);
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < ld; j++)
            a[(size_t)i * ld + j] = j < cols ? (float)nn_rng_range(r, -1, 1) : 1e30f;
    return a;
}

START_TEST(test_gemm_vs_ref)
{
    const gemm_case *c = &gemm_cases[_i / 4];
    int ta = (_i % 4) & 1, tb = ((_i % 4) >> 1) & 1;
    nn_rng r;
    nn_rng_seed(&r, 1000 + (uint64_t)_i);
    /* op(A) is (M, K): stored (M, K), or (K, M) when transposed. */
    int arows = ta ? c->K : c->M, acols = ta ? c->M : c->K;
    int brows = tb ? c->N : c->K, bcols = tb ? c->K : c->N;
    int lda = acols + c->pad, ldb = bcols + c->pad, ldc = c->N + c->pad;
    float *A = rand_mat(&r, arows, acols, lda);
    float *B = rand_mat(&r, brows, bcols, ldb);
    float *C1 = rand_mat(&r, c->M, c->N, ldc);
    float *C2 = malloc((size_t)c->M * ldc * sizeof *C2);
    for (size_t i = 0; i < (size_t)c->M * ldc; i++)
        C2[i] = C1[i];

    nn_gemm(ta, tb, c->M, c->N, c->K, c->alpha, A, lda, B, ldb, c->beta, C1, ldc);
    nn_gemm_ref(ta, tb, c->M, c->N, c->K, c->alpha, A, lda, B, ldb, c->beta, C2, ldc);

    double worst = 0;
    int wi = 0, wj = 0;
    for (int i = 0; i < c->M; i++) {
        for (int j = 0; j < ldc; j++) {
            float x = C1[(size_t)i * ldc + j], y = C2[(size_t)i * ldc + j];
            if (j >= c->N) {
                ck_assert_msg(x == 1e30f && y == 1e30f,
                              "case %d (ta %d tb %d %dx%dx%d): padding of C "
                              "overwritten at (%d, %d)", _i / 4, ta, tb,
                              c->M, c->N, c->K, i, j);
                continue;
            }
            /* absolute error scaled by the size of the sum */
            double err = fabs((double)x - y) / (1.0 + fabs((double)y));
            if (err > worst)
                worst = err, wi = i, wj = j;
        }
    }
    ck_assert_msg(worst < 1e-5,
                  "case %d (ta %d tb %d M %d N %d K %d alpha %g beta %g pad %d): "
                  "largest difference %g at (%d, %d)", _i / 4, ta, tb, c->M,
                  c->N, c->K, (double)c->alpha, (double)c->beta, c->pad,
                  worst, wi, wj);
    free(A);
    free(B);
    free(C1);
    free(C2);
}
END_TEST

/* A product small enough to check by hand: the wrapper must not swap
 * operands or transposes in a way that both versions share. */
START_TEST(test_gemm_by_hand)
{
    /* A (2,3) = [1 2 3; 4 5 6], B (3,2) = [7 8; 9 10; 11 12]
     * A B = [58 64; 139 154];  C = 2 A B + 0.5 [1 1; 1 1] */
    static const float A[] = { 1, 2, 3, 4, 5, 6 };
    static const float B[] = { 7, 8, 9, 10, 11, 12 };
    static const float want[] = { 116.5f, 128.5f, 278.5f, 308.5f };
    float C[4] = { 1, 1, 1, 1 }, Cr[4] = { 1, 1, 1, 1 };
    nn_gemm(0, 0, 2, 2, 3, 2.0f, A, 3, B, 2, 0.5f, C, 2);
    nn_gemm_ref(0, 0, 2, 2, 3, 2.0f, A, 3, B, 2, 0.5f, Cr, 2);
    for (int i = 0; i < 4; i++) {
        ck_assert_msg(C[i] == want[i], "nn_gemm C[%d] = %g, want %g", i,
                      (double)C[i], (double)want[i]);
        ck_assert_msg(Cr[i] == want[i], "nn_gemm_ref C[%d] = %g, want %g", i,
                      (double)Cr[i], (double)want[i]);
    }
    /* A^T (3,2) times A (2,3) with lda 3: [17 22 27; 22 29 36; 27 36 45] */
    static const float want2[] = { 17, 22, 27, 22, 29, 36, 27, 36, 45 };
    float D[9], Dr[9];
    nn_gemm(1, 0, 3, 3, 2, 1.0f, A, 3, A, 3, 0.0f, D, 3);
    nn_gemm_ref(1, 0, 3, 3, 2, 1.0f, A, 3, A, 3, 0.0f, Dr, 3);
    for (int i = 0; i < 9; i++) {
        ck_assert_msg(D[i] == want2[i], "nn_gemm A^T A [%d] = %g, want %g", i,
                      (double)D[i], (double)want2[i]);
        ck_assert_msg(Dr[i] == want2[i], "nn_gemm_ref A^T A [%d] = %g, want %g",
                      i, (double)Dr[i], (double)want2[i]);
    }
}
END_TEST

/* beta = 0 must ignore what C held, even NaN (BLAS semantics). */
START_TEST(test_gemm_beta_zero_ignores_c)
{
    static const float A[] = { 1, 2 }, B[] = { 3, 4 };
    float C[1] = { NAN }, Cr[1] = { NAN };
    nn_gemm(0, 0, 1, 1, 2, 1.0f, A, 2, B, 1, 0.0f, C, 1);
    nn_gemm_ref(0, 0, 1, 1, 2, 1.0f, A, 2, B, 1, 0.0f, Cr, 1);
    ck_assert_msg(C[0] == 11.0f, "nn_gemm with beta 0 gave %g, want 11", (double)C[0]);
    ck_assert_msg(Cr[0] == 11.0f, "nn_gemm_ref with beta 0 gave %g, want 11",
                  (double)Cr[0]);
}
END_TEST

Suite *suite_mat(void)
{
    Suite *s = suite_create("mat");
    TCase *tc = tcase_create("gemm");
    int ncases = (int)(sizeof gemm_cases / sizeof gemm_cases[0]);
    tcase_add_loop_test(tc, test_gemm_vs_ref, 0, ncases * 4);
    tcase_add_test(tc, test_gemm_by_hand);
    tcase_add_test(tc, test_gemm_beta_zero_ignores_c);
    suite_add_tcase(s, tc);
    return s;
}
