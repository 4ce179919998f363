/* print.c - the shell's shared printers (print.h): matrices, summary
 * statistics, layer descriptions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "print.h"
#include "progress.h"

/* ---- repl_print_matrix ---- */

/* Rows and columns shown: all, or the first and last ones around a cut
 * ("..."), as NumPy summarizes a large array. */
static void corner_plan(int n, int max, int *top, int *bot)
{
    if (max <= 0 || n <= max) {
        *top = n;
        *bot = 0;
    } else {
        *top = (max + 1) / 2;
        *bot = max - *top;
    }
}

void repl_print_matrix(FILE *f, const float *a, int rows, int cols,
                       int max_rows, int max_cols)
{
    if (!a || rows <= 0 || cols <= 0)
        return;
    int rtop, rbot, ctop, cbot;
    corner_plan(rows, max_rows, &rtop, &rbot);
    corner_plan(cols, max_cols, &ctop, &cbot);
    int rcut = rtop + rbot < rows, ccut = ctop + cbot < cols;
    /* the columns shown, -1 for the "..." one; each as wide as its
     * widest shown number */
    int nsh = ctop + cbot + ccut;
    int *col = malloc((size_t)nsh * sizeof *col);
    int *w = malloc((size_t)nsh * sizeof *w);
    if (!col || !w) {
        free(col);
        free(w);
        return;
    }
    int k = 0;
    for (int j = 0; j < ctop; j++)
        col[k++] = j;
    if (ccut)
        col[k++] = -1;
    for (int j = cols - cbot; j < cols; j++)
        col[k++] = j;
    char b[48];
    for (int c = 0; c < nsh; c++) {
        w[c] = 3;   /* "..." */
        if (col[c] < 0)
            continue;
        for (int i = 0; i < rows; i++) {
            if (i == rtop && rcut)
                i = rows - rbot;
            if (i >= rows)
                break;
            int l = (int)strlen(repl_num(b, sizeof b, a[(size_t)i * cols + col[c]]));
            if (l > w[c])
                w[c] = l;
        }
    }
    for (int i = 0; i < rows; i++) {
        if (i == rtop && rcut) {
            for (int c = 0; c < nsh; c++)
                fprintf(f, "  %*s", w[c], "...");
            fputc('\n', f);
            i = rows - rbot;
            if (i >= rows)
                break;
        }
        for (int c = 0; c < nsh; c++)
            fprintf(f, "  %*s", w[c], col[c] < 0 ? "..."
                    : repl_num(b, sizeof b, a[(size_t)i * cols + col[c]]));
        fputc('\n', f);
    }
    free(col);
    free(w);
}

/* ---- statistics and descriptions ---- */

repl_stats repl_stats_of(const float *a, size_t n)
{
    repl_stats st = {0, 0, 0, 0, 0};
    if (n == 0)
        return st;
    double sum = 0, ss = 0, mn = a[0], mx = a[0];
    for (size_t i = 0; i < n; i++) {
        double v = a[i];
        sum += v;
        ss += v * v;
        if (v < mn)
            mn = v;
        if (v > mx)
            mx = v;
    }
    st.mean = sum / (double)n;
    double var = 0;
    for (size_t i = 0; i < n; i++) {
        double t = a[i] - st.mean;
        var += t * t;
    }
    st.std = sqrt(var / (double)n);
    st.min = mn;
    st.max = mx;
    st.l2 = sqrt(ss);
    return st;
}

void repl_print_stats(const repl_stats *st)
{
    char b1[32], b2[32], b3[32], b4[32];
    printf("  mean %s  std %s  min %s  max %s\n", repl_num(b1, sizeof b1, st->mean),
           repl_num(b2, sizeof b2, st->std), repl_num(b3, sizeof b3, st->min),
           repl_num(b4, sizeof b4, st->max));
}

/* "Dense(8, activation=relu)" and the like. */
void repl_layer_desc(const nn_node *nd, char *buf, size_t len)
{
    switch (nd->kind) {
    case NN_NODE_DENSE:
        snprintf(buf, len, "Dense(%d, activation=%s)", nd->dense.units,
                 nn_act_names[nd->dense.activation]);
        break;
    case NN_NODE_ACTIVATION:
        snprintf(buf, len, "Activation(%s)", nn_act_names[nd->act]);
        break;
    default:
        snprintf(buf, len, "%s", nn_node_class[nd->kind]);
        break;
    }
}
