/* check_csv.c - the CSV loader: every malformed file gives an error that
 * names the problem (and the line) and leaves the data set zeroed; good
 * files (quotes, CRLF, CR, BOM, blank lines, text labels, header=0, index
 * targets, long lines) parse to exact values; the auto task threshold;
 * the memory cap; iris.  Test files are written into a mkdtemp directory. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check_util.h"
#include "dataset.h"
#include "rng.h"

static char tmpdir[64];
static char paths[8][128];
static int npaths;

static void setup(void)
{
    strcpy(tmpdir, "/tmp/nnlab-csv-XXXXXX");
    ck_assert_msg(mkdtemp(tmpdir) != NULL, "mkdtemp failed");
    npaths = 0;
}

static void teardown(void)
{
    for (int i = 0; i < npaths; i++)
        unlink(paths[i]);
    rmdir(tmpdir);
}

/* Writes len bytes (strlen when len < 0) to tmpdir/name; returns the path. */
static const char *write_file(const char *name, const char *text, long len)
{
    ck_assert(npaths < 8);
    char *p = paths[npaths++];
    snprintf(p, sizeof paths[0], "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", p);
    size_t n = len < 0 ? strlen(text) : (size_t)len;
    ck_assert(fwrite(text, 1, n, f) == n);
    fclose(f);
    return p;
}

static int is_zeroed(const nn_dataset *ds)
{
    static const nn_dataset zero;
    return memcmp(ds, &zero, sizeof zero) == 0;
}

/* ---- bad files ---- */

typedef struct bad_case {
    const char *what, *text;
    long len;              /* -1: strlen */
    const char *target;
    int header, task;
    const char *msg[3];    /* substrings the message must hold */
} bad_case;

static const bad_case bad[] = {
    {"empty file", "", -1, NULL, 1, 0, {"file is empty"}},
    {"only blank lines", "\n  \r\n\t\n", -1, NULL, 1, 0, {"file is empty"}},
    {"BOM only", "\xEF\xBB\xBF", -1, NULL, 1, 0, {"file is empty"}},
    {"header only", "a,b,y\n", -1, NULL, 1, 0, {"only a header", "no data rows"}},
    {"header only, blank lines", "a,b,y\n\n\n", -1, NULL, 1, 0, {"only a header"}},
    {"ragged short row", "a,b,y\n1,2,0\n1,2\n", -1, NULL, 1, 0,
     {"bad.csv:3:", "ragged", "2 fields"}},
    {"ragged long row", "a,b,y\n1,2,0,5\n", -1, NULL, 1, 0,
     {"bad.csv:2:", "ragged", "4 fields"}},
    {"ragged after blank line", "a,y\n1,0\n\n2,1,3\n", -1, NULL, 1, 0,
     {"bad.csv:4:", "ragged"}},
    {"missing value (empty)", "a,b,y\n1,,0\n2,3,1\n", -1, NULL, 1, 0,
     {"bad.csv:2:", "missing value", "column 'b'"}},
    {"missing value at row end", "a,b,y\n1,2,0\n2,3,\n", -1, NULL, 1, 0,
     {"bad.csv:3:", "missing value", "target column 'y'"}},
    {"missing value NA", "a,b,y\n1,NA,0\n", -1, NULL, 1, 0,
     {"bad.csv:2:", "missing value 'NA'"}},
    {"missing value '?'", "a,y\n1,0\n?,1\n", -1, NULL, 1, 0,
     {"bad.csv:3:", "missing value '?'", "'a'"}},
    {"text in a feature", "a,b,y\n1,2,0\n3,abc,1\n", -1, NULL, 1, 0,
     {"bad.csv:3:", "'abc', not a number", "column 'b'"}},
    {"number with junk", "a,y\n1.5x,0\n2,1\n", -1, NULL, 1, 0,
     {"bad.csv:2:", "'1.5x', not a number"}},
    {"comma decimal", "a,y\n\"1,5\",0\n2,1\n", -1, NULL, 1, 0,
     {"'1,5', not a number"}},
    {"hex is not a number", "a,y\n0x10,0\n2,1\n", -1, NULL, 1, 0, {"'0x10'"}},
    {"inf", "a,y\ninf,0\n2,1\n", -1, NULL, 1, 0, {"'inf', not a number"}},
    {"out of float range", "a,y\n1e39,0\n2,1\n", -1, NULL, 1, 0,
     {"bad.csv:2:", "out of float range"}},
    {"no such target", "a,b,y\n1,2,0\n3,4,1\n", -1, "z", 1, 0,
     {"no column 'z'", "columns: a, b, y"}},
    {"target index too big", "a,b,y\n1,2,0\n3,4,1\n", -1, "3", 1, 0,
     {"no column '3'", "0..2"}},
    {"target name without header", "1,2,0\n3,4,1\n", -1, "y", 0, 0,
     {"no column 'y'", "c0, c1, c2"}},
    {"one text class", "a,y\n1,cat\n2,cat\n", -1, NULL, 1, 0,
     {"only one class", "'cat'"}},
    {"one numeric class (auto)", "a,y\n1,1\n2,1\n", -1, NULL, 1, 0,
     {"only one class", "'1'", "task=regression"}},
    {"one class (forced)", "a,y\n1,0.5\n2,0.5\n", -1, NULL, 1, 1, {"only one class"}},
    {"text target, regression", "a,y\n1,2\n2,dog\n", -1, NULL, 1, 2,
     {"bad.csv:3:", "'dog', not a number", "classification"}},
    {"unclosed quote", "a,y\n1,\"cat\n2,dog\n", -1, NULL, 1, 0,
     {"bad.csv:2:", "never closed"}},
    {"text after closing quote", "a,y\n1,\"cat\"s\n", -1, NULL, 1, 0,
     {"bad.csv:2:", "after a closing quote"}},
    {"line numbers after a quoted newline", "a,y\n1,\"x\ny\"\n2,\n", -1, NULL, 1, 0,
     {"bad.csv:4:", "missing value"}},
    {"line numbers with CRLF", "a,y\r\n1,0\r\n\r\n2,b,c\r\n", -1, NULL, 1, 0,
     {"bad.csv:4:", "ragged"}},
    {"one column", "a\n1\n2\n", -1, NULL, 1, 0, {"only one column"}},
    {"semicolons", "a;b;y\n1;2;0\n", -1, NULL, 1, 0, {"only one column", "','"}},
    {"NUL byte", "a,y\n1\0,1\n", 9, NULL, 1, 0, {"bad.csv:2:", "NUL byte"}},
    {"bad task", "a,y\n1,0\n", -1, NULL, 1, 3, {"task must be"}},
};

START_TEST(test_bad)
{
    const bad_case *bc = &bad[_i];
    const char *p = write_file("bad.csv", bc->text, bc->len);
    nn_dataset ds;
    nn_err e = {""};
    memset(&ds, 0xab, sizeof ds);
    int rc = nn_csv_load(&ds, p, bc->target, bc->header, bc->task, &e);
    ck_assert_msg(rc == NN_FAIL, "%s: accepted", bc->what);
    ck_assert_msg(is_zeroed(&ds), "%s: ds not zeroed", bc->what);
    for (int k = 0; k < 3 && bc->msg[k]; k++)
        ck_assert_msg(strstr(e.msg, bc->msg[k]), "%s: '%s' lacks '%s'", bc->what,
                      e.msg, bc->msg[k]);
}
END_TEST

START_TEST(test_bad_paths)
{
    nn_dataset ds;
    nn_err e = {""};
    char p[160];
    snprintf(p, sizeof p, "%s/no-such.csv", tmpdir);
    memset(&ds, 0xab, sizeof ds);
    ck_assert_int_eq(nn_csv_load(&ds, p, NULL, 1, 0, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "cannot open") && strstr(e.msg, "no-such.csv"),
                  "'%s'", e.msg);
    ck_assert(is_zeroed(&ds));
    memset(&ds, 0xab, sizeof ds);
    ck_assert_int_eq(nn_csv_load(&ds, tmpdir, NULL, 1, 0, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, tmpdir) || strstr(e.msg, "empty"), "'%s'", e.msg);
    ck_assert(is_zeroed(&ds));
    ck_assert_int_eq(nn_csv_load(&ds, NULL, NULL, 1, 0, &e), NN_FAIL);
    ck_assert_int_eq(nn_csv_load(&ds, "", NULL, 1, 0, &e), NN_FAIL);
}
END_TEST

/* ---- good files ---- */

typedef struct good_case {
    const char *what, *text;
    const char *target;
    int header, task;
    int n, d, nclasses;
    float x[8], y[4];
    const char *features[3];
    const char *classes[4];
} good_case;

static const good_case good[] = {
    {"plain, auto classes", "a,b,y\n1,2,0\n3,4,1\n", NULL, 1, 0, 2, 2, 2,
     {1, 2, 3, 4}, {0, 1}, {"a", "b"}, {"0", "1"}},
    {"target by name in the middle", "a,y,b\n1,5,2\n3,6,4\n", "y", 1, 0, 2, 2, 2,
     {1, 2, 3, 4}, {0, 1}, {"a", "b"}, {"5", "6"}},
    {"target by index", "a,b,y\n7,2,3\n8,4,5\n", "0", 1, 0, 2, 2, 2,
     {2, 3, 4, 5}, {0, 1}, {"b", "y"}, {"7", "8"}},
    {"header=0, last column", "1,2,0\n3,4,1\n", NULL, 0, 0, 2, 2, 2,
     {1, 2, 3, 4}, {0, 1}, {"c0", "c1"}, {"0", "1"}},
    {"header=0, index target", "1,2,9\n3,4,8\n", "1", 0, 2, 2, 2, 0,
     {1, 9, 3, 8}, {2, 4}, {"c0", "c2"}, {NULL}},
    {"header=0, name target c0", "1,2,9\n3,4,8\n", "c0", 0, 2, 2, 2, 0,
     {2, 9, 4, 8}, {1, 3}, {"c1", "c2"}, {NULL}},
    {"text labels sorted", "x,species\n1,virginica\n2,setosa\n3,versicolor\n4,setosa\n",
     "species", 1, 0, 4, 1, 3, {1, 2, 3, 4}, {2, 0, 1, 0}, {"x"},
     {"setosa", "versicolor", "virginica"}},
    {"quoted fields", "\"a,1\",\"b \"\"q\"\"\",label\n\"1.5\",2,\"cat, big\"\n"
                      "-3, \"4\" ,\"say \"\"hi\"\"\"\n",
     NULL, 1, 0, 2, 2, 2, {1.5f, 2, -3, 4}, {0, 1}, {"a,1", "b \"q\""},
     {"cat, big", "say \"hi\""}},
    /* a newline inside quotes is part of the label; names keep no control
     * characters, so it shows as ? */
    {"quoted newline in a label", "a,y\n1,\"two\nlines\"\n2,b\n", NULL, 1, 0,
     2, 1, 2, {1, 2}, {1, 0}, {"a"}, {"b", "two?lines"}},
    {"CRLF", "a,b,y\r\n1,2,x\r\n3,4,y\r\n", NULL, 1, 0, 2, 2, 2,
     {1, 2, 3, 4}, {0, 1}, {"a", "b"}, {"x", "y"}},
    {"CR only", "a,y\r1,0\r2,1\r", NULL, 1, 0, 2, 1, 2, {1, 2}, {0, 1}, {"a"},
     {"0", "1"}},
    {"BOM", "\xEF\xBB\xBF" "a,b,y\n1,2,0\n3,4,1\n", "y", 1, 0, 2, 2, 2,
     {1, 2, 3, 4}, {0, 1}, {"a", "b"}, {"0", "1"}},
    {"BOM with quoted header", "\xEF\xBB\xBF\"a\",y\n1,0\n2,1\n", NULL, 1, 0,
     2, 1, 2, {1, 2}, {0, 1}, {"a"}, {"0", "1"}},
    {"blank lines and no final newline", "\na,y\n\n1,0\n  \n2,1\n\n\n\n", NULL, 1, 0,
     2, 1, 2, {1, 2}, {0, 1}, {"a"}, {"0", "1"}},
    {"no final newline", "a,y\n1,0\n2,1", NULL, 1, 0, 2, 1, 2, {1, 2}, {0, 1},
     {"a"}, {"0", "1"}},
    {"spaces trimmed", "a , b ,y\n 1 , 2 ,\t0\n3,4,1 \n", NULL, 1, 0, 2, 2, 2,
     {1, 2, 3, 4}, {0, 1}, {"a", "b"}, {"0", "1"}},
    {"number forms", "a,y\n-1.5e2,+3\n.5,-3\n2.,3\n1E-1,-3\n", NULL, 1, 0, 4, 1, 2,
     {-150, 0.5f, 2, 0.1f}, {1, 0, 1, 0}, {"a"}, {"-3", "3"}},
    {"regression (auto, decimals)", "a,y\n1,0.5\n2,1.5\n", NULL, 1, 0, 2, 1, 0,
     {1, 2}, {0.5f, 1.5f}, {"a"}, {NULL}},
    {"regression (forced ints)", "a,y\n1,1\n2,2\n", NULL, 1, 2, 2, 1, 0,
     {1, 2}, {1, 2}, {"a"}, {NULL}},
    {"classes (forced decimals)", "a,y\n1,0.5\n2,1.5\n3,0.5\n", NULL, 1, 1, 3, 1, 2,
     {1, 2, 3}, {0, 1, 0}, {"a"}, {"0.5", "1.5"}},
    {"mixed labels are text", "a,y\n1,10\n2,9\n3,b\n", NULL, 1, 0, 3, 1, 3,
     {1, 2, 3}, {0, 1, 2}, {"a"}, {"10", "9", "b"}},
    {"empty header name", "a,,y\n1,2,0\n3,4,1\n", NULL, 1, 0, 2, 2, 2,
     {1, 2, 3, 4}, {0, 1}, {"a", "c1"}, {"0", "1"}},
};

START_TEST(test_good)
{
    const good_case *gc = &good[_i];
    const char *p = write_file("good.csv", gc->text, -1);
    nn_dataset ds;
    nn_err e = {""};
    int rc = nn_csv_load(&ds, p, gc->target, gc->header, gc->task, &e);
    ck_assert_msg(rc == NN_OK, "%s: %s", gc->what, e.msg);
    ck_assert_msg(ds.n == gc->n && ds.d == gc->d && ds.nclasses == gc->nclasses,
                  "%s: n=%d d=%d nclasses=%d", gc->what, ds.n, ds.d, ds.nclasses);
    ck_assert_msg(ds.ycols == 1 && ds.ndim == 1 && ds.shape[0] == gc->d && ds.owns,
                  "%s: shape", gc->what);
    ck_assert_str_eq(ds.name, "good.csv");
    for (int i = 0; i < gc->n * gc->d; i++)
        ck_assert_msg(ds.x[i] == gc->x[i], "%s: x[%d] = %g, expected %g", gc->what,
                      i, ds.x[i], gc->x[i]);
    for (int i = 0; i < gc->n; i++)
        ck_assert_msg(ds.y[i] == gc->y[i], "%s: y[%d] = %g, expected %g", gc->what,
                      i, ds.y[i], gc->y[i]);
    for (int j = 0; j < gc->d; j++)
        ck_assert_msg(strcmp(ds.feature_names[j], gc->features[j]) == 0,
                      "%s: feature %d is '%s', expected '%s'", gc->what, j,
                      ds.feature_names[j], gc->features[j]);
    if (gc->nclasses == 0)
        ck_assert_msg(ds.class_names == NULL, "%s: regression has classes", gc->what);
    for (int c = 0; c < gc->nclasses; c++)
        ck_assert_msg(strcmp(ds.class_names[c], gc->classes[c]) == 0,
                      "%s: class %d is '%s', expected '%s'", gc->what, c,
                      ds.class_names[c], gc->classes[c]);
    nn_dataset_free(&ds);
}
END_TEST

/* Auto: integers with <= 20 distinct values are classes, 21 are not. */
START_TEST(test_auto_threshold)
{
    for (int k = 20; k <= 21; k++) {
        char text[1024] = "a,y\n";
        for (int i = 0; i < k; i++)
            snprintf(text + strlen(text), sizeof text - strlen(text), "%d,%d\n",
                     i, 100 - 5 * i);
        const char *p = write_file(k == 20 ? "t20.csv" : "t21.csv", text, -1);
        nn_dataset ds;
        nn_err e;
        ck_assert_msg(nn_csv_load(&ds, p, "y", 1, 0, &e) == NN_OK, "%s", e.msg);
        if (k == 20) {
            ck_assert_int_eq(ds.nclasses, 20);
            /* sorted by value: 5 is class 0, 100 class 19 */
            ck_assert_str_eq(ds.class_names[0], "5");
            ck_assert_str_eq(ds.class_names[19], "100");
            ck_assert_float_eq(ds.y[0], 19.0f);
            ck_assert_float_eq(ds.y[19], 0.0f);
        } else {
            ck_assert_int_eq(ds.nclasses, 0);
            ck_assert_float_eq(ds.y[20], 0.0f);
            ck_assert_float_eq(ds.y[0], 100.0f);
        }
        nn_dataset_free(&ds);
    }
}
END_TEST

/* More than 1000 text labels is refused; 1000 is fine. */
START_TEST(test_too_many_classes)
{
    size_t cap = 1001 * 24 + 16;
    char *text = malloc(cap);
    for (int k = 1000; k <= 1001; k++) {
        strcpy(text, "a,y\n");
        for (int i = 0; i < k; i++)
            snprintf(text + strlen(text), cap - strlen(text), "%d,id%04d\n", i, i);
        const char *p = write_file(k == 1000 ? "c1000.csv" : "c1001.csv", text, -1);
        nn_dataset ds;
        nn_err e = {""};
        int rc = nn_csv_load(&ds, p, NULL, 1, 0, &e);
        if (k == 1000) {
            ck_assert_msg(rc == NN_OK, "%s", e.msg);
            ck_assert_int_eq(ds.nclasses, 1000);
            ck_assert_str_eq(ds.class_names[999], "id0999");
            nn_dataset_free(&ds);
        } else {
            ck_assert_int_eq(rc, NN_FAIL);
            ck_assert_msg(strstr(e.msg, "1001 distinct") && strstr(e.msg, "wrong column"),
                          "'%s'", e.msg);
            ck_assert(is_zeroed(&ds));
        }
    }
    free(text);
}
END_TEST

/* No line-length limit: 5000 columns and a 300 kB label. */
START_TEST(test_long_lines)
{
    const int cols = 5000, lab = 300000;
    size_t cap = (size_t)cols * 32 + 2 * (size_t)lab + 1000;   /* 3 lines of < 10 chars per column */
    char *text = malloc(cap), *s = text;
    for (int j = 0; j < cols; j++)
        s += sprintf(s, "%sf%d", j ? "," : "", j);
    s += sprintf(s, ",label\n");
    for (int r = 0; r < 2; r++) {
        for (int j = 0; j < cols; j++)
            s += sprintf(s, "%d.25,", j + r);
        memset(s, r ? 'b' : 'a', (size_t)lab);
        s += lab;
        *s++ = '\n';
    }
    *s = '\0';
    const char *p = write_file("long.csv", text, -1);
    free(text);
    nn_dataset ds;
    nn_err e;
    ck_assert_msg(nn_csv_load(&ds, p, "label", 1, 0, &e) == NN_OK, "%s", e.msg);
    ck_assert_int_eq(ds.n, 2);
    ck_assert_int_eq(ds.d, cols);
    ck_assert_int_eq(ds.nclasses, 2);
    ck_assert_float_eq(ds.x[cols - 1], cols - 1 + 0.25f);
    ck_assert_float_eq(ds.x[2 * cols - 1], cols + 0.25f);
    ck_assert_str_eq(ds.feature_names[cols - 1], "f4999");
    ck_assert_uint_eq(strlen(ds.class_names[1]), (size_t)lab);
    ck_assert_int_eq(ds.class_names[1][0], 'b');
    nn_dataset_free(&ds);
}
END_TEST

/* Under the cap nothing is read: the file buffer is refused. */
START_TEST(test_memcap)
{
    char text[8192] = "a,b,y\n";
    for (int i = 0; i < 400; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%d,%d,%d\n",
                 i, i, i % 2);
    const char *p = write_file("cap.csv", text, -1);
    size_t old = nn_memcap();
    nn_dataset ds;
    nn_err e = {""};
    nn_set_memcap(1024);
    memset(&ds, 0xab, sizeof ds);
    int rc = nn_csv_load(&ds, p, NULL, 1, 0, &e);
    nn_set_memcap(old);
    ck_assert_int_eq(rc, NN_FAIL);
    ck_assert_msg(strstr(e.msg, "memory cap"), "'%s'", e.msg);
    ck_assert(is_zeroed(&ds));
    ck_assert_int_eq(nn_csv_load(&ds, p, NULL, 1, 0, &e), NN_OK);
    ck_assert_int_eq(ds.n, 400);
    nn_dataset_free(&ds);
}
END_TEST

/* Numbers are read in the C locale even when LC_NUMERIC uses ','. */
START_TEST(test_locale)
{
    static const char *const locs[] = {"de_DE.UTF-8", "fr_FR.UTF-8", "de_DE", NULL};
    int set = 0;
    for (int i = 0; locs[i] && !set; i++)
        set = setlocale(LC_NUMERIC, locs[i]) != NULL;
    const char *p = write_file("loc.csv", "a,y\n1.5,0\n2.25,1\n", -1);
    nn_dataset ds;
    nn_err e;
    ck_assert_msg(nn_csv_load(&ds, p, NULL, 1, 0, &e) == NN_OK, "%s", e.msg);
    ck_assert_float_eq(ds.x[0], 1.5f);
    ck_assert_float_eq(ds.x[1], 2.25f);
    nn_dataset_free(&ds);
    /* the caller's locale is back */
    if (set)
        ck_assert_msg(strcmp(localeconv()->decimal_point, ".") != 0,
                      "locale not restored");
    setlocale(LC_NUMERIC, "C");
}
END_TEST

START_TEST(test_iris)
{
    nn_dataset ds;
    nn_err e;
    const char *p = ck_srcpath("lessons/data/iris.csv");
    ck_assert_msg(nn_csv_load(&ds, p, "species", 1, 0, &e) == NN_OK, "%s", e.msg);
    ck_assert_int_eq(ds.n, 150);
    ck_assert_int_eq(ds.d, 4);
    ck_assert_int_eq(ds.nclasses, 3);
    ck_assert_str_eq(ds.name, "iris.csv");
    ck_assert_str_eq(ds.class_names[0], "setosa");
    ck_assert_str_eq(ds.class_names[1], "versicolor");
    ck_assert_str_eq(ds.class_names[2], "virginica");
    ck_assert_str_eq(ds.feature_names[0], "sepal_length");
    ck_assert_str_eq(ds.feature_names[3], "petal_width");
    int cnt[3];
    nn_dataset_class_counts(&ds, cnt);
    for (int c = 0; c < 3; c++)
        ck_assert_msg(cnt[c] == 50, "class %d has %d", c, cnt[c]);
    /* first row 5.1,3.5,1.4,0.2,setosa; last 5.9,3.0,5.1,1.8,virginica */
    ck_assert_float_eq(ds.x[0], 5.1f);
    ck_assert_float_eq(ds.x[3], 0.2f);
    ck_assert_float_eq(ds.y[0], 0.0f);
    ck_assert_float_eq(ds.x[149 * 4 + 2], 5.1f);
    ck_assert_float_eq(ds.y[149], 2.0f);
    nn_dataset_free(&ds);
    /* the default target is the last column */
    ck_assert_int_eq(nn_csv_load(&ds, p, NULL, 1, 0, &e), NN_OK);
    ck_assert_int_eq(ds.nclasses, 3);
    nn_dataset_free(&ds);
    /* a numeric target: petal_width as regression */
    ck_assert_int_eq(nn_csv_load(&ds, p, "petal_width", 1, 0, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "'setosa', not a number"), "'%s'", e.msg);
}
END_TEST

/* Numbers parse to (float)strtod of their text, bit for bit: the loader's
 * fast path (m * 10^k in double) on the texts it takes and strtod's on the
 * others.  Hand-picked edges (2^53 and past it, 19 and 20 digits, 10^22
 * and 10^23, leading and trailing zeros, signs, subnormal floats, halfway
 * cases of float rounding), then random texts of every shape. */
START_TEST(test_numbers_exact)
{
    static const char *const edges[] = {
        "0", "-0", "+0", "0.0", "-0.000", "00012", "1.", ".5", "-.5", "+.25e1",
        "9007199254740992", "9007199254740993", "9007199254740994",
        "18014398509481985", "1234567890123456789", "12345678901234567890",
        "0.1234567890123456789", "0.12345678901234567891", "1e22", "1e23",
        "1e-22", "1e-23", "4.5e-39", "1.4e-45", "3.4028234e38", "1e-46",
        "0.000001", "1000000000000000000000", "1.00000005960464477539",
        "16777217", "16777219", "0.30000000000000004", "2.5E+3", "7e0",
        "123456.789e-3", "0e999", "000000000000000000000000001.5",
        "1.0000000000000000000000000001", "-2.2250738585072014e-308",
        /* halfway between two floats, through a division by 10^k: a double
         * off by an ulp rounds to the other float */
        "16777217.0", "16777217.00000", "16777219.0", "-16777221.000",
        "33554434.000", "33554438.0", "50331650.0000", "16777217000e-3",
    };
    enum { NE = sizeof edges / sizeof edges[0], NR = 3000 };
    static char text[(NE + NR) * 48 + 64];
    static char nums[NE + NR][40];
    for (int i = 0; i < NE; i++)
        snprintf(nums[i], sizeof nums[i], "%s", edges[i]);
    nn_rng r;
    nn_rng_seed(&r, 99);
    for (int i = NE; i < NE + NR; i++) {
        /* [-]int[.frac][e[-]exp]: 0 to 11 digits each side, exponents -29..24 */
        char *q = nums[i];
        int ni = (int)nn_rng_below(&r, 12), nf = (int)nn_rng_below(&r, 12);
        if (nn_rng_below(&r, 2))
            *q++ = '-';
        for (int k = 0; k < ni; k++)
            *q++ = (char)('0' + nn_rng_below(&r, k == 0 && nn_rng_below(&r, 2) ? 1 : 10));
        if (nf || !ni) {
            *q++ = '.';
            for (int k = 0; k < nf + !ni; k++)
                *q++ = (char)('0' + nn_rng_below(&r, 10));
        }
        if (nn_rng_below(&r, 3) == 0) {   /* within float range: < 1e12 * 1e24 */
            int neg = (int)nn_rng_below(&r, 2);
            q += sprintf(q, "e%s%u", neg ? "-" : "",
                         (unsigned)nn_rng_below(&r, neg ? 30 : 25));
        }
        *q = '\0';
    }
    size_t len = (size_t)sprintf(text, "x,y\n");
    for (int i = 0; i < NE + NR; i++)
        len += (size_t)sprintf(text + len, "%s,1\n", nums[i]);
    nn_dataset ds;
    nn_err e;
    ck_assert_msg(nn_csv_load(&ds, write_file("num.csv", text, (long)len), "y", 1, 2,
                              &e) == NN_OK, "%s", e.msg);
    ck_assert_int_eq(ds.n, NE + NR);
    for (int i = 0; i < NE + NR; i++) {
        float want = (float)strtod(nums[i], NULL);
        ck_assert_msg(memcmp(&ds.x[i], &want, sizeof want) == 0,
                      "'%s' read as %.9g, strtod gives %.9g", nums[i], ds.x[i], want);
    }
    nn_dataset_free(&ds);
}
END_TEST

Suite *suite_csv(void)
{
    Suite *s = suite_create("csv");
    TCase *tc = tcase_create("csv");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, test_bad_paths);
    tcase_add_loop_test(tc, test_good, 0, (int)(sizeof good / sizeof good[0]));
    tcase_add_test(tc, test_auto_threshold);
    tcase_add_test(tc, test_too_many_classes);
    tcase_add_test(tc, test_long_lines);
    tcase_add_test(tc, test_memcap);
    tcase_add_test(tc, test_locale);
    tcase_add_test(tc, test_iris);
    tcase_add_test(tc, test_numbers_exact);
    suite_add_tcase(s, tc);
    return s;
}
