/* cmd_show.c - `show data`: the data's shapes, features, classes per
 * part and first rows (an image drawn in characters). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "data_common.h"
#include "progress.h"
#include "repl.h"

static const char *const show_words[] = {"data", NULL};

/* "(28, 28)" or "(4,)" as NumPy prints a shape. */
static void shape_str(const nn_dataset *ds, char *buf, size_t len)
{
    size_t k = (size_t)snprintf(buf, len, "(%d", ds->n);
    for (int i = 0; i < ds->ndim && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, ", %d", ds->shape[i]);
    if (k < len)
        snprintf(buf + k, len - k, ")");
}

static void feature_name(const nn_dataset *ds, int j, char *buf, size_t len)
{
    if (ds->feature_names && ds->feature_names[j])
        snprintf(buf, len, "%s", ds->feature_names[j]);
    else
        snprintf(buf, len, "x%d", j);
}

/* The first rows of ds: up to 8 feature columns (first 4, ..., last 3
 * when there are more), then the label or target. */
static void print_rows(const nn_dataset *ds, int rows)
{
    int d = ds->d, cols[8], nc = 0, cut = -1;
    if (d <= 8) {
        for (int j = 0; j < d; j++)
            cols[nc++] = j;
    } else {
        for (int j = 0; j < 4; j++)
            cols[nc++] = j;
        cut = nc;
        for (int j = d - 3; j < d; j++)
            cols[nc++] = j;
    }
    if (rows > ds->n)
        rows = ds->n;
    int w[8];
    char b[64];
    for (int c = 0; c < nc; c++) {
        feature_name(ds, cols[c], b, sizeof b);
        w[c] = (int)strlen(b);
        if (w[c] > 16)
            w[c] = 16;
        for (int i = 0; i < rows; i++) {
            int l = (int)strlen(repl_num(b, sizeof b,
                                    nn_dataset_at(ds, (size_t)i * d + cols[c])));
            if (l > w[c])
                w[c] = l;
        }
    }
    const char *lab = ds->nclasses ? "label" : "target";
    int yw = 6;        /* the target column, right-aligned as numbers */
    for (int i = 0; i < rows && !ds->nclasses; i++) {
        int l = (int)strlen(repl_num(b, sizeof b, ds->y[(size_t)i * ds->ycols]));
        if (l > yw)
            yw = l;
    }
    printf(" ");
    for (int c = 0; c < nc; c++) {
        if (c == cut)
            printf("  ...");
        feature_name(ds, cols[c], b, sizeof b);
        printf("  %*.*s", w[c], w[c], b);
    }
    if (ds->nclasses)
        printf("  %s\n", lab);
    else
        printf("  %*s\n", yw, lab);
    for (int i = 0; i < rows; i++) {
        printf(" ");
        for (int c = 0; c < nc; c++) {
            if (c == cut)
                printf("  ...");
            printf("  %*s", w[c],
                   repl_num(b, sizeof b, nn_dataset_at(ds, (size_t)i * d + cols[c])));
        }
        double y = ds->y[(size_t)i * ds->ycols];
        if (ds->nclasses > 0 && y >= 0 && y < ds->nclasses) {
            int k = (int)y;
            if (repl_names_differ(ds))
                printf("  %d (%s)\n", k, ds->class_names[k]);
            else
                printf("  %d\n", k);
        } else
            printf("  %*s\n", yw, repl_num(b, sizeof b, y));
    }
}

/* Images: the first labels, and the first image drawn in characters
 * (pixels 0 .. 1 as ".:-=+*#%@"), which says more than 784 numbers. */
static void print_image(const nn_dataset *ds, int rows)
{
    static const char ramp[] = ".:-=+*#%@";
    printf("first %d labels of train:", rows);
    for (int i = 0; i < rows; i++) {
        int k = (int)ds->y[(size_t)i * ds->ycols];
        printf("%s %d", i ? "," : "", k);
        if (repl_names_differ(ds) && k >= 0 && k < ds->nclasses)
            printf(" (%s)", ds->class_names[k]);
    }
    printf("\nthe first image (%d x %d; '.' is 0, '@' is 1):\n",
           ds->shape[0], ds->shape[1]);
    float lo = 0, hi = 1;
    for (int j = 0; j < ds->d; j++) {
        float v = nn_dataset_at(ds, (size_t)j);
        if (v < lo)
            lo = v;
        if (v > hi)
            hi = v;
    }
    for (int r = 0; r < ds->shape[0]; r++) {
        printf("  ");
        for (int c = 0; c < ds->shape[1]; c++) {
            float v = (nn_dataset_at(ds, (size_t)r * ds->shape[1] + c) - lo) / (hi - lo);
            int k = (int)(v * (sizeof ramp - 1));
            if (k < 0)
                k = 0;
            if (k > (int)sizeof ramp - 2)
                k = (int)sizeof ramp - 2;
            putchar(ramp[k]);
        }
        putchar('\n');
    }
}

static int cmd_show(repl_session *s, const repl_args *a)
{
    if (nn_lookup(show_words, a->pos[0]) < 0) {
        const char *hint = repl_suggest(a->pos[0], show_words);
        return repl_error(s, "show", "cannot show '%s'%s%s%s; what it shows: "
                          "data", a->pos[0], *hint ? " (" : "", hint,
                          *hint ? ")" : "");
    }
    if (repl_need_data(s, "show") < 0)
        return -1;
    const nn_dataset *tr = &s->train;
    char b[128];
    printf("data: %s", s->data_name);
    if (s->scaled)
        printf(" (scaled: %s, fitted on train)",
               s->scaled == 2 ? "minmax" : "standard");
    printf("\n");
    const nn_dataset *parts[] = {&s->train, &s->valid, &s->test};
    for (int p = 0; p < 3; p++) {
        if (parts[p]->n > 0) {
            shape_str(parts[p], b, sizeof b);
            printf("  %-5s  x %s\n", repl_split_names[p], b);
        } else
            printf("  %-5s  none%s\n", repl_split_names[p],
                   p == 2 ? " (split makes one)" : "");
    }
    if (tr->x8) {
        /* images as bytes; what float32 would take, for comparison */
        size_t bytes = 0, cells = 0;
        for (int p = 0; p < 3; p++) {
            bytes += nn_dataset_bytes(parts[p]);
            cells += (size_t)parts[p]->n * (size_t)parts[p]->d;
        }
        char st[64], b1[NN_SIZETEXT], b2[NN_SIZETEXT];
        printf("stored: %s, %s in memory (float32 would take %s)\n",
               nn_dataset_storage(tr, st, sizeof st), nn_size_text((double)bytes, b1),
               nn_size_text((double)(bytes + 3 * cells), b2));
    }
    if (tr->ndim == 2)
        printf("features: %d (%d x %d images, row-major)\n", tr->d,
               tr->shape[0], tr->shape[1]);
    else if (tr->d > 16 || !tr->feature_names)
        printf("features: %d\n", tr->d);
    else {
        printf("features:");
        for (int j = 0; j < tr->d; j++) {
            const char *f = tr->feature_names[j];
            printf(strpbrk(f, " ,\t") || !*f ? " '%s'" : " %s", f);
        }
        printf("\n");
    }
    if (tr->nclasses > 0) {
        int nc = tr->nclasses;
        int *cnt = calloc((size_t)nc * 3, sizeof *cnt);
        if (!cnt)
            return repl_error(s, "show", "out of memory");
        for (int p = 0; p < 3; p++)
            if (parts[p]->n > 0)
                nn_dataset_class_counts(parts[p], cnt + (size_t)p * nc);
        int nw = 4;
        for (int k = 0; k < nc && tr->class_names; k++)
            if ((int)strlen(tr->class_names[k]) > nw)
                nw = (int)strlen(tr->class_names[k]);
        printf("classes: %d\n", nc);
        printf("  class  %-*s  %7s", nw, "name", "train");
        if (s->valid.n)
            printf("  %7s", "valid");
        if (s->test.n)
            printf("  %7s", "test");
        printf("\n");
        for (int k = 0; k < nc; k++) {
            printf("  %5d  %-*s  %7d", k, nw,
                   tr->class_names ? tr->class_names[k] : "", cnt[k]);
            if (s->valid.n)
                printf("  %7d", cnt[nc + k]);
            if (s->test.n)
                printf("  %7d", cnt[2 * nc + k]);
            printf("\n");
        }
        free(cnt);
    } else {
        printf("target: regression (%d column%s)\n", tr->ycols,
               tr->ycols == 1 ? "" : "s");
    }
    int rows = tr->n < 5 ? tr->n : 5;
    if (tr->ndim == 2)
        print_image(tr, rows);
    else {
        printf("first %d rows of train:\n", rows);
        print_rows(tr, rows);
    }
    return 0;
}


const repl_cmd repl_cmds_show[] = {
    {.name = "show", .topic = "data", .run = cmd_show,
     .args = "data",
     .summary = "show the data: shapes, classes, features, first rows",
     .help =
     "show data prints the data set's name, the shapes of its train,\n"
     "valid and test parts, the features, the number of samples of\n"
     "each class in each part, and the first 5 rows of the training\n"
     "data with their labels (or targets).\n"
     "\n"
     "Example:\n"
     "  show data\n"
     "\n"
     "Python: X_train.shape; np.bincount(y_train); X_train[:5]",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_WORDS, .pos_values = show_words},
    {NULL},
};
