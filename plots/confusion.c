/* confusion.c - the confusion matrix of a classifier on one split (as
 * scikit-learn's ConfusionMatrixDisplay): row i is the true class, column
 * j the predicted one, the cell the count; the colour is the fraction of
 * the true class (recall on the diagonal), so small classes show too. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plots.h"
#include "fit.h"

#define MAXCLASSES 100

static void name_of(const nn_dataset *ds, int c, char *buf, size_t len)
{
    if (ds->class_names && c < ds->nclasses)
        snprintf(buf, len, "%s", ds->class_names[c]);
    else
        snprintf(buf, len, "%d", c);
}

/* Runs the model over ds and counts: cm (k, k) true by predicted, row
 * (k) the samples of each true class, *right the correct ones. */
static int count(nn_model *m, const nn_dataset *ds, int k, int kout, long *cm,
                 long *row, long *right, nn_err *e)
{
    float *out = malloc((size_t)ds->n * kout * sizeof *out);
    int *pred = malloc((size_t)ds->n * sizeof *pred);
    if (!out || !pred) {
        free(out);
        free(pred);
        return nn_fail(e, "out of memory");
    }
    nn_err pe = {{0}};
    if (nn_predict_set(m, ds, 0, ds->n, out, &pe) != NN_OK) {
        free(out);
        free(pred);
        return nn_fail(e, "%s", pe.msg);
    }
    plot_argmax(out, ds->n, kout, pred);
    *right = 0;
    for (int i = 0; i < ds->n; i++) {
        int t = (int)ds->y[(size_t)i * ds->ycols];
        if (t < 0 || t >= k)
            continue;
        cm[(size_t)t * k + pred[i]]++;
        row[t]++;
        *right += t == pred[i];
    }
    free(out);
    free(pred);
    return NN_OK;
}

/* Both axes' tics: class names (x rotated when long); text: numbers
 * across, "number name" down. */
static void tics(plot_buf *b, const nn_dataset *ds, int k, int text)
{
    for (int axis = 0; axis < 2; axis++) {
        plot_buf_printf(b, "set %ctics (", axis ? 'y' : 'x');
        for (int c = 0; c < k; c++) {
            char cname[96], name[112];
            name_of(ds, c, cname, sizeof cname);
            if (text && axis == 0)
                snprintf(name, sizeof name, "%d", c);
            else if (text && ds->class_names)
                snprintf(name, sizeof name, "%d %s", c, cname);
            else
                snprintf(name, sizeof name, "%s", cname);
            if (c)
                plot_buf_puts(b, ", ");
            plot_buf_quote(b, name);
            plot_buf_printf(b, " %d", c);
        }
        plot_buf_puts(b, ")");
        int longest = 0;
        for (int c = 0; c < k; c++) {
            char cname[96];
            name_of(ds, c, cname, sizeof cname);
            if ((int)strlen(cname) > longest)
                longest = (int)strlen(cname);
        }
        if (axis == 0 && !text && longest > 3)
            plot_buf_puts(b, " rotate by 35 right");
        plot_buf_puts(b, " scale 0\n");
    }
}

/* The gnuplot text: $confusion (true predicted count fraction_of_true),
 * the settings, and the cells as an image with their counts on top
 * (labels alone for text). */
static void write_script(plot_buf *b, const nn_dataset *ds, int k,
                         const long *cm, const long *row, const char *title,
                         int text)
{
    plot_buf_block_begin(b, "confusion");
    plot_buf_puts(b, "# true predicted count fraction_of_true\n");
    for (int t = 0; t < k; t++)
        for (int p = 0; p < k; p++) {
            long c = cm[(size_t)t * k + p];
            plot_buf_printf(b, "%d %d %ld ", t, p, c);
            plot_buf_num(b, row[t] ? (double)c / row[t] : 0.0);
            plot_buf_putc(b, '\n');
        }
    plot_buf_block_end(b);
    plot_buf_puts(b, "set title ");
    plot_buf_quote(b, title);
    if (text)   /* dumb drops a y label wider than the margin: say it on top */
        plot_buf_puts(b, "\nset xlabel 'predicted class'\nset tmargin 4\n"
                         "set title offset 0,1\nset label 'rows: true class' "
                         "at screen 0, graph 1 offset character 1, character 1 "
                         "left\n");
    else
        plot_buf_puts(b, "\nset xlabel 'predicted class'\nset ylabel 'true class'\n");
    plot_buf_printf(b, "set xrange [-0.5:%g]\nset yrange [%g:-0.5]\n", k - 0.5,
                    k - 0.5);
    tics(b, ds, k, text);
    if (text) {
        plot_buf_puts(b, "set border 15\nunset key\n"
                         "plot $confusion using 2:1:(sprintf('%d', $3)) with "
                         "labels notitle\n");
        return;
    }
    plot_buf_puts(b,
        "set size square\nunset key\nset tics out nomirror\n"
        "set palette defined (0 '#f7fbff', 0.4 '#9ecae1', 0.7 '#3182bd', "
        "1 '#08306b')\n"
        "set cbrange [0:1]\nset cblabel 'fraction of the true class'\n");
    plot_buf_printf(b, "set xtics font ',%d'\nset ytics font ',%d'\n",
                    k > 12 ? 7 : 10, k > 12 ? 7 : 10);
    plot_buf_printf(b,
        "plot $confusion using 2:1:4 with image notitle, \\\n"
        "     $confusion using 2:1:($4 > 0.55 ? sprintf('%%d', $3) : '') "
        "with labels tc rgb 'white' font ',%d' notitle, \\\n"
        "     $confusion using 2:1:($4 <= 0.55 ? sprintf('%%d', $3) : '') "
        "with labels tc rgb 'black' font ',%d' notitle\n",
        k > 12 ? 7 : 11, k > 12 ? 7 : 11);
}

/* nnlab's own drawing: the counts in a table, rows "number name". */
static void draw_text(plot_buf *t, const nn_dataset *ds, int k,
                      const long *cm, const char *title)
{
    int nw = 5;
    for (int c = 0; c < k; c++) {
        char name[96];
        name_of(ds, c, name, sizeof name);
        if ((int)strlen(name) + 4 > nw)
            nw = (int)strlen(name) + 4;
    }
    int cw = 6;
    for (int c = 0; c < k * k; c++) {
        char v[32];
        int l = snprintf(v, sizeof v, "%ld", cm[c]);
        if (l + 2 > cw)
            cw = l + 2;
    }
    plot_text_center(t, title, nw + cw * k);
    plot_buf_printf(t, "rows: true class, columns: predicted class\n");
    plot_buf_printf(t, "%-*s", nw, "");
    for (int c = 0; c < k; c++)
        plot_buf_printf(t, "%*d", cw, c);
    plot_buf_putc(t, '\n');
    for (int r = 0; r < k; r++) {
        char name[96], lab[128];
        name_of(ds, r, name, sizeof name);
        char num[16];
        snprintf(num, sizeof num, "%d", r);
        if (strcmp(name, num) != 0)      /* "3 Dress"; "3" alone */
            snprintf(lab, sizeof lab, "%s %s", num, name);
        else
            snprintf(lab, sizeof lab, "%s", num);
        plot_buf_printf(t, "%-*s", nw, lab);
        for (int c = 0; c < k; c++)
            plot_buf_printf(t, "%*ld", cw, cm[(size_t)r * k + c]);
        plot_buf_putc(t, '\n');
    }
}

int plot_confusion(plot_job *job, nn_model *m, const nn_dataset *ds,
                   const char *split, const plot_out *o, nn_err *e)
{
    int k = ds->nclasses;
    if (k <= 0)
        return nn_fail(e, "a confusion matrix needs a classification data set; "
                       "this one is regression (try plot regression, or "
                       "plot history)");
    if (k > MAXCLASSES)
        return nn_fail(e, "too many classes (%d) for a confusion matrix (at "
                       "most %d)", k, MAXCLASSES);
    if (ds->n == 0)
        return nn_fail(e, "the %s set is empty", split);
    int in = nn_model_input(m), on = nn_model_output(m);
    if (in < 0 || on < 0 || on == in)
        return nn_fail(e, "the model has no layers yet");
    int kout = m->nodes[on].size;
    if (nn_model_check_columns(m, ds->d, e) != NN_OK)
        return NN_FAIL;
    if (kout != k && !(kout == 1 && k == 2))
        return nn_fail(e, "the model has %d outputs but the data has %d "
                       "classes", kout, k);
    long *cm = calloc((size_t)k * k, sizeof *cm);
    long *row = calloc((size_t)k, sizeof *row);
    long right = 0;
    int rc = cm && row ? count(m, ds, k, kout, cm, row, &right, e)
                       : nn_fail(e, "out of memory");
    if (rc == NN_OK) {
        char title[160];
        snprintf(title, sizeof title, "Confusion matrix on %s (%d samples, "
                 "accuracy %.4f)", split, ds->n, (double)right / ds->n);
        write_script(&job->gp, ds, k, cm, row, title, plot_out_is_text(o));
        if (o->fallback)
            draw_text(&job->text, ds, k, cm, title);
    }
    free(cm);
    free(row);
    if (rc != NN_OK)
        return NN_FAIL;
    job->w = 760;
    job->h = 680;
    snprintf(job->title, sizeof job->title, "nnlab: confusion");
    if (job->gp.oom || job->text.oom)
        return nn_fail(e, "out of memory");
    return 0;
}
