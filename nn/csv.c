/* csv.c - a CSV file into a data set.
 *
 * The format is RFC 4180's, read leniently: fields separated by ','; a
 * field that starts with '"' is quoted and may hold commas, newlines and
 * doubled quotes ("" -> "); line ends are LF, CRLF or CR; a UTF-8
 * byte-order mark is skipped; blank lines (only spaces or tabs) are
 * skipped anywhere, as pandas' skip_blank_lines does; spaces around an
 * unquoted field are trimmed.  Every row must have as many fields as the
 * first.  Numbers are C-locale decimals ([+-]digits[.digits][e[+-]digits]),
 * whatever LC_NUMERIC the shell runs in.
 *
 * How it works: the whole file is read into one buffer (no line-length
 * limit), then one pass rewrites it in place as NUL-terminated fields
 * (unquoting never makes a field longer, so the write pointer stays behind
 * the read pointer) and checks the shape; only then, with n and d known,
 * is the data set allocated and filled.
 *
 * The target column: a header name, else a 0-based index ("4"), else the
 * last column when target is NULL or "".  task 0 (auto) picks
 * classification for a text target or for integer values with at most 20
 * distinct values (a threshold like scikit-learn's type_of_target, which
 * calls integers "multiclass"), regression otherwise.  Classes are the
 * sorted distinct values (scikit-learn's LabelEncoder: strings by byte
 * order, numbers by value), named by their text. */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "dataset.h"

#define CSV_AUTO_MAXCLASSES 20    /* auto task: at most this many integers */
#define CSV_MAXCLASSES 1000       /* more is surely the wrong column */

typedef struct csv {
    const char *path;   /* as shown in messages */
    char *buf;          /* the file, then its fields NUL-terminated */
    size_t len;
    int nrec;           /* records (rows, the header included) */
    int ncol;           /* fields per record */
    int *lines;         /* line where each record starts, 1-based */
} csv;

/* A long path is shown by its last component, so the line number and
 * the hint still fit in the message. */
static const char *shown_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    return strlen(path) > 60 && slash ? slash + 1 : path;
}

/* Puts "path: " before a message from nn_calloc (the memory cap). */
static int with_path(nn_err *e, const char *path)
{
    if (e) {
        char m[NN_ERRMAX];
        memcpy(m, e->msg, sizeof m);
        m[sizeof m - 1] = '\0';
        nn_fail(e, "%s: %s", path, m);
    }
    return NN_FAIL;
}

/* Reads the whole file into c->buf (one spare byte for the last NUL).
 * The size comes from fstat for a regular file, else (a pipe) the buffer
 * grows by doubling; every buffer goes through nn_calloc, so the cap applies. */
static int read_file(csv *c, const char *path, nn_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return nn_fail(e, "cannot open '%s': %s (check the path and name)",
                       c->path, strerror(errno));
    size_t cap = 65536, len = 0;
    struct stat st;
    if (fstat(fileno(f), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            fclose(f);
            return nn_fail(e, "'%s' is a directory, not a CSV file", c->path);
        }
        if (S_ISREG(st.st_mode) && st.st_size >= 0 &&
            (uintmax_t)st.st_size < SIZE_MAX - 2)
            cap = (size_t)st.st_size + 1;   /* +1: EOF is seen in one read */
    }
    char *buf = nn_calloc(cap + 1, 1, e);
    if (!buf) {
        fclose(f);
        return with_path(e, c->path);
    }
    nn_advise_huge(buf, cap + 1);
    for (;;) {
        if (len == cap) {
            if (cap > (SIZE_MAX - 1) / 2) {
                free(buf);
                fclose(f);
                return nn_fail(e, "'%s' is too large to read", c->path);
            }
            char *nb = nn_calloc(2 * cap + 1, 1, e);
            if (!nb) {
                free(buf);
                fclose(f);
                return with_path(e, c->path);
            }
            memcpy(nb, buf, len);
            free(buf);
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                int err = errno;
                free(buf);
                fclose(f);
                return nn_fail(e, "cannot read '%s': %s", c->path,
                               err ? strerror(err) : "read error");
            }
            break;
        }
    }
    fclose(f);
    c->buf = buf;
    c->len = len;
    return NN_OK;
}

static int is_blank(char ch) { return ch == ' ' || ch == '\t'; }

/* Steps over one line end (LF, CRLF or CR) at *p. */
static void eat_newline(const char **p, const char *end)
{
    if (**p == '\r') {
        (*p)++;
        if (*p < end && **p == '\n')
            (*p)++;
    } else
        (*p)++;
}

/* The bytes that end an unquoted field (a NUL is refused there). */
static const unsigned char field_end[256] = {
    [','] = 1, ['\n'] = 1, ['\r'] = 1, ['\0'] = 1
};

/* One pass over the file: splits it into fields in place, counts records,
 * and checks that every record has the first one's number of fields. */
static int tokenize(csv *c, nn_err *e)
{
    char *buf = c->buf;
    const char *rp = buf, *end = buf + c->len;
    char *wp = buf;
    const char *P = c->path;

    /* records <= line ends + 1: the size of the line-number table */
    size_t maxrec = 1;
    for (size_t i = 0; i < c->len; i++)
        if (buf[i] == '\n' || buf[i] == '\r')
            maxrec++;
    if (maxrec > (size_t)INT_MAX)
        return nn_fail(e, "%s: too many lines (more than %d)", P, INT_MAX);
    c->lines = nn_calloc(maxrec, sizeof *c->lines, e);
    if (!c->lines)
        return NN_FAIL;

    if (c->len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        rp += 3;   /* UTF-8 byte-order mark (Excel writes one) */
    int line = 1;
    c->nrec = 0;
    c->ncol = -1;
    while (rp < end) {
        const char *t = rp;
        while (t < end && is_blank(*t))
            t++;
        if (t == end)
            break;
        if (*t == '\n' || *t == '\r') {   /* blank line */
            rp = t;
            eat_newline(&rp, end);
            line++;
            continue;
        }
        int recline = line, nf = 0;
        for (;;) {
            while (rp < end && is_blank(*rp))
                rp++;
            char *fs = wp;
            if (rp < end && *rp == '"') {
                int qline = line;
                rp++;
                for (;;) {
                    if (rp >= end)
                        return nn_fail(e, "%s:%d: a quoted field is never closed "
                                          "(a '\"' is missing)", P, qline);
                    char ch = *rp++;
                    if (ch == '"') {
                        if (rp < end && *rp == '"') {
                            rp++;
                            *wp++ = '"';
                            continue;
                        }
                        break;
                    }
                    if (ch == '\0')
                        return nn_fail(e, "%s:%d: NUL byte: this is not a text "
                                          "CSV file", P, line);
                    if (ch == '\n' || (ch == '\r' && !(rp < end && *rp == '\n')))
                        line++;
                    *wp++ = ch;
                }
                while (rp < end && is_blank(*rp))
                    rp++;
                if (rp < end && *rp != ',' && *rp != '\n' && *rp != '\r')
                    return nn_fail(e, "%s:%d: text after a closing quote "
                                      "(inside quotes write a quote as \"\")",
                                   P, line);
            } else {
                /* to the field's end; copied only once a quoted field has
                 * put the write pointer behind */
                const char *f0 = rp;
                while (rp < end && !field_end[(unsigned char)*rp])
                    rp++;
                if (wp != f0)
                    memmove(wp, f0, (size_t)(rp - f0));
                wp += rp - f0;
                if (rp < end && *rp == '\0')
                    return nn_fail(e, "%s:%d: NUL byte: this is not a text "
                                      "CSV file", P, line);
                while (wp > fs && is_blank(wp[-1]))
                    wp--;
            }
            if (nf == INT_MAX)
                return nn_fail(e, "%s:%d: too many fields", P, recline);
            nf++;
            /* read the terminator before writing the NUL: wp may equal rp */
            char term = rp < end ? *rp : '\n';
            if (rp < end) {
                if (term == ',')
                    rp++;
                else {
                    eat_newline(&rp, end);
                    line++;
                }
            }
            *wp++ = '\0';
            if (term != ',')
                break;
        }
        if (c->ncol < 0)
            c->ncol = nf;
        else if (nf != c->ncol)
            return nn_fail(e, "%s:%d: ragged row: %d fields, but line %d has %d "
                              "(every row needs the same columns)",
                           P, recline, nf, c->lines[0], c->ncol);
        c->lines[c->nrec++] = recline;
    }
    return NN_OK;
}

/* The next NUL-terminated field at *p. */
static const char *next_field(const char **p)
{
    const char *s = *p;
    *p += strlen(s) + 1;
    return s;
}

/* 10^k for k in 0..22: exact in double (5^22 < 2^53). */
static const double pow10_exact[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
    1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/* A C-locale decimal number, the whole field: [+-]d[.d][e[+-]d].  Returns
 * 1 and *v when the syntax is a number (possibly out of range), else 0.
 * The value is strtod's, correctly rounded: computed here when the digits
 * (leading zeros aside) fit in 2^53 and the power of ten is at most 22,
 * where m * 10^k or m / 10^k is one correctly rounded operation on exact
 * operands (Clinger's fast path, as in every fast strtod); strtod
 * otherwise. */
static int parse_num(const char *s, double *v)
{
    const char *p = s;
    int digits = 0, neg = 0, sig = 0, exp10 = 0;
    uint64_t m = 0;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    for (; *p >= '0' && *p <= '9'; p++, digits++)
        if (m || *p != '0') {
            if (sig < 19)
                m = m * 10 + (uint64_t)(*p - '0');
            else
                exp10++;   /* a digit past 19: the fast path gives up below */
            sig++;
        }
    if (*p == '.') {
        p++;
        for (; *p >= '0' && *p <= '9'; p++, digits++)
            if (m || *p != '0') {
                if (sig < 19) {
                    m = m * 10 + (uint64_t)(*p - '0');
                    exp10--;
                }
                sig++;
            } else
                exp10--;
    }
    if (!digits)
        return 0;
    if (*p == 'e' || *p == 'E') {
        int ed = 0, eneg = 0, ev = 0;
        p++;
        if (*p == '+' || *p == '-')
            eneg = *p++ == '-';
        for (; *p >= '0' && *p <= '9'; p++, ed++)
            if (ev < 100000)
                ev = ev * 10 + (*p - '0');
        if (!ed)
            return 0;
        exp10 += eneg ? -ev : ev;
    }
    if (*p)
        return 0;
    if (sig <= 19 && m <= (UINT64_C(1) << 53) && exp10 >= -22 && exp10 <= 22) {
        double x = (double)m;
        x = exp10 < 0 ? x / pow10_exact[-exp10] : x * pow10_exact[exp10];
        *v = neg ? -x : x;
        return 1;
    }
    *v = strtod(s, NULL);
    return 1;
}

/* Texts that mean "no value" in files written by R, pandas and others. */
static int is_missing(const char *s)
{
    static const char *const marks[] = {
        "", "NA", "N/A", "NaN", "nan", "NAN", "null", "NULL", "None", "?", NULL
    };
    return nn_lookup(marks, s) >= 0;
}

/* Checks one numeric field; fills *v or the error. */
static int field_num(const csv *c, int line, const char *col, const char *s,
                     int is_target, double *v, nn_err *e)
{
    const char *what = is_target ? "target column" : "column";
    if (parse_num(s, v))   /* first: no mark of a missing value is a number */
        goto range;
    if (is_missing(s))
        return nn_fail(e, "%s:%d: missing value%s%.20s%s in %s '%.40s' "
                          "(fill it in or delete the row)", c->path, line,
                       *s ? " '" : "", s, *s ? "'" : "", what, col);
    return nn_fail(e, "%s:%d: %s '%.40s' has '%.30s', not a number "
                      "(%s)", c->path, line, what, col, s,
                   is_target ? "a text target needs classification"
                             : "feature columns must be numeric; "
                               "choose another target= or drop the column");
range:
    if (!isfinite(*v) || fabs(*v) > FLT_MAX)
        return nn_fail(e, "%s:%d: %s '%.40s' has '%.30s', out of float range",
                       c->path, line, what, col, s);
    return NN_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Column names: the header's, or c0, c1, ... (also for empty header
 * fields).  gen holds the made-up ones, 16 bytes each. */
static int column_names(const csv *c, int header, const char ***names,
                        char **gen, nn_err *e)
{
    *names = nn_calloc((size_t)c->ncol, sizeof **names, e);
    *gen = *names ? nn_calloc((size_t)c->ncol, 16, e) : NULL;
    if (!*gen)
        return NN_FAIL;
    const char *p = c->buf;
    for (int j = 0; j < c->ncol; j++) {
        const char *s = header ? next_field(&p) : "";
        if (!*s) {
            snprintf(*gen + 16 * (size_t)j, 16, "c%d", j);
            s = *gen + 16 * (size_t)j;
        }
        (*names)[j] = s;
    }
    return NN_OK;
}

/* The target's column: by name, then as a 0-based index, else an error
 * that lists the columns. */
static int find_target(const csv *c, const char *const *names,
                       const char *target, int *col, nn_err *e)
{
    if (!target || !*target) {
        *col = c->ncol - 1;
        return NN_OK;
    }
    for (int j = 0; j < c->ncol; j++)
        if (strcmp(names[j], target) == 0) {
            *col = j;
            return NN_OK;
        }
    size_t k = strspn(target, "0123456789");
    if (k > 0 && k < 10 && target[k] == '\0') {
        long j = strtol(target, NULL, 10);
        if (j < c->ncol) {
            *col = (int)j;
            return NN_OK;
        }
    }
    char list[160] = "";
    for (int j = 0; j < c->ncol; j++) {
        size_t used = strlen(list);
        if (used + strlen(names[j]) + 6 >= sizeof list) {
            snprintf(list + used, sizeof list - used, ", ...");
            break;
        }
        snprintf(list + used, sizeof list - used, "%s%s", j ? ", " : "", names[j]);
    }
    return nn_fail(e, "%s: no column '%.30s' (columns: %s; or an index 0..%d)",
                   c->path, target, list, c->ncol - 1);
}

/* Fills t from the records; tstr[i] keeps each row's target text. */
static int fill(csv *c, nn_dataset *t, int header, int tcol,
                const char *const *names, double *tv, const char **tstr,
                int *text_row, nn_err *e)
{
    const char *p = c->buf;
    int d = t->d;
    *text_row = -1;
    if (header)
        for (int j = 0; j < c->ncol; j++)
            next_field(&p);
    for (int i = 0; i < t->n; i++) {
        int line = c->lines[i + header];
        float *row = t->x + (size_t)i * (size_t)d;
        for (int j = 0, k = 0; j < c->ncol; j++) {
            const char *s = next_field(&p);
            double v;
            if (j == tcol) {
                tstr[i] = s;
                if (is_missing(s))
                    return field_num(c, line, names[j], s, 1, &v, e);
                if (parse_num(s, &v)) {
                    if (field_num(c, line, names[j], s, 1, &v, e) != NN_OK)
                        return NN_FAIL;
                    tv[i] = v;
                } else if (*text_row < 0)
                    *text_row = i;
                continue;
            }
            if (field_num(c, line, names[j], s, 0, &v, e) != NN_OK)
                return NN_FAIL;
            row[k++] = (float)v;
        }
    }
    return NN_OK;
}

/* Turns the target texts or values into class indices and names. */
static int make_classes(csv *c, nn_dataset *t, const char *tname, int text,
                        const double *tv, const char **tstr, nn_err *e)
{
    int n = t->n, k = 0, rc = NN_FAIL;
    const char **u = NULL, **names = NULL;
    double *dv = NULL;
    char *numtxt = NULL;
    if (text) {
        u = nn_calloc((size_t)n, sizeof *u, e);
        if (!u)
            goto out;
        memcpy(u, tstr, (size_t)n * sizeof *u);
        qsort(u, (size_t)n, sizeof *u, cmp_str);
        for (int i = 0; i < n; i++)
            if (i == 0 || strcmp(u[i], u[k - 1]) != 0)
                u[k++] = u[i];
    } else {
        dv = nn_calloc((size_t)n, sizeof *dv, e);
        if (!dv)
            goto out;
        memcpy(dv, tv, (size_t)n * sizeof *dv);
        qsort(dv, (size_t)n, sizeof *dv, cmp_dbl);
        for (int i = 0; i < n; i++)
            if (i == 0 || dv[i] != dv[k - 1])
                dv[k++] = dv[i];
    }
    if (k > CSV_MAXCLASSES) {
        nn_fail(e, "%s: target '%.40s' has %d distinct values, over %d classes "
                   "(wrong column? for numbers use task=regression)",
                c->path, tname, k, CSV_MAXCLASSES);
        goto out;
    }
    names = nn_calloc((size_t)k, sizeof *names, e);
    if (!names)
        goto out;
    if (text)
        memcpy(names, u, (size_t)k * sizeof *names);
    else {
        /* integers without a decimal point, others with enough digits */
        numtxt = nn_calloc((size_t)k, 32, e);
        if (!numtxt)
            goto out;
        for (int i = 0; i < k; i++) {
            char *s = numtxt + 32 * (size_t)i;
            if (dv[i] == floor(dv[i]) && fabs(dv[i]) < 1e15)
                snprintf(s, 32, "%.0f", dv[i]);
            else
                snprintf(s, 32, "%.9g", dv[i]);
            names[i] = s;
        }
    }
    if (k < 2) {
        nn_fail(e, "%s: target '%.40s' has only one class ('%.30s'); "
                   "classification needs at least 2%s", c->path, tname, names[0],
                text ? "" : " (or use task=regression)");
        goto out;
    }
    for (int i = 0; i < n; i++) {
        int lo = 0, hi = k - 1;   /* binary search: the value is there */
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            int below = text ? strcmp(names[mid], tstr[i]) < 0 : dv[mid] < tv[i];
            if (below)
                lo = mid + 1;
            else
                hi = mid;
        }
        t->y[i] = (float)lo;
    }
    rc = nn_dataset_set_classes(t, k, names, e);
out:
    free(u);
    free(dv);
    free(names);
    free(numtxt);
    return rc;
}

static int load(csv *c, nn_dataset *t, const char *path, const char *target,
                int header, int task, nn_err *e)
{
    const char **names = NULL, **tstr = NULL, **fnames = NULL;
    char *gen = NULL;
    double *tv = NULL;
    int rc = NN_FAIL, tcol = 0, text_row = -1;

    if (read_file(c, path, e) != NN_OK || tokenize(c, e) != NN_OK)
        goto out;
    if (c->nrec == 0) {
        nn_fail(e, "%s: file is empty (no rows)", c->path);
        goto out;
    }
    if (c->nrec - header < 1) {
        nn_fail(e, "%s: only a header line, no data rows", c->path);
        goto out;
    }
    if (c->ncol < 2) {
        nn_fail(e, "%s: only one column; need feature columns and a target "
                   "(fields are separated by ',')", c->path);
        goto out;
    }
    if (column_names(c, header, &names, &gen, e) != NN_OK ||
        find_target(c, names, target, &tcol, e) != NN_OK)
        goto out;
    int n = c->nrec - header, d = c->ncol - 1;
    if (nn_dataset_alloc(t, n, d, 1, e) != NN_OK) {
        with_path(e, c->path);
        goto out;
    }
    tv = nn_calloc((size_t)n, sizeof *tv, e);
    tstr = tv ? nn_calloc((size_t)n, sizeof *tstr, e) : NULL;
    fnames = tstr ? nn_calloc((size_t)d, sizeof *fnames, e) : NULL;
    if (!fnames)
        goto out;
    for (int j = 0, k = 0; j < c->ncol; j++)
        if (j != tcol)
            fnames[k++] = names[j];
    if (nn_dataset_set_features(t, fnames, e) != NN_OK)
        goto out;
    if (fill(c, t, header, tcol, names, tv, tstr, &text_row, e) != NN_OK)
        goto out;

    int text = text_row >= 0, cls;
    if (text && task == 2) {
        double v;
        field_num(c, c->lines[text_row + header], names[tcol], tstr[text_row],
                  1, &v, e);
        goto out;
    }
    if (text || task == 1)
        cls = 1;
    else if (task == 2)
        cls = 0;
    else {
        /* auto: integers with few distinct values are classes */
        int allint = 1, k = 0;
        for (int i = 0; i < n && allint; i++)
            allint = tv[i] == floor(tv[i]);
        if (allint) {
            double *dv = nn_calloc((size_t)n, sizeof *dv, e);
            if (!dv)
                goto out;
            memcpy(dv, tv, (size_t)n * sizeof *dv);
            qsort(dv, (size_t)n, sizeof *dv, cmp_dbl);
            for (int i = 0; i < n; i++)
                k += i == 0 || dv[i] != dv[i - 1];
            free(dv);
        }
        cls = allint && k <= CSV_AUTO_MAXCLASSES;
    }
    if (cls) {
        if (make_classes(c, t, names[tcol], text, tv, tstr, e) != NN_OK)
            goto out;
    } else
        for (int i = 0; i < n; i++)
            t->y[i] = (float)tv[i];

    const char *base = strrchr(path, '/');
    snprintf(t->name, sizeof t->name, "%s", base ? base + 1 : path);
    rc = NN_OK;
out:
    free(names);
    free(gen);
    free(tv);
    free(tstr);
    free(fnames);
    return rc;
}

int nn_csv_load(nn_dataset *ds, const char *path, const char *target,
                int header, int task, nn_err *e)
{
    memset(ds, 0, sizeof *ds);
    if (!path || !*path)
        return nn_fail(e, "no CSV file name given");
    if (task < 0 || task > 2)
        return nn_fail(e, "task must be 0 (auto), 1 (classification) or "
                          "2 (regression), got %d", task);
    header = header ? 1 : 0;

    /* Numbers are read in the C locale: "5.1" even under de_DE. */
    locale_t cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = cloc ? uselocale(cloc) : (locale_t)0;

    csv c = {0};
    c.path = shown_path(path);
    nn_dataset t = {0};
    int rc = load(&c, &t, path, target, header, task, e);
    free(c.buf);
    free(c.lines);
    if (cloc) {
        uselocale(old);
        freelocale(cloc);
    }
    if (rc != NN_OK) {
        nn_dataset_free(&t);
        return NN_FAIL;
    }
    *ds = t;
    return NN_OK;
}
