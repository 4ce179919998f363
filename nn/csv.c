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

/* A column by name, then as a 0-based index, else an error that lists
 * the columns (what: "column" for sample_weight=, else "column"). */
static int find_column(const csv *c, const char *const *names,
                       const char *target, int *col, nn_err *e)
{
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

/* The roles of the columns: role[j] is 0 for a feature, 1 + k for target
 * k, -1 for the sample weights.  tcol[k] is target k's column. */
typedef struct roles {
    int nt;                     /* targets */
    int tcol[NN_MAXTARGETS];
    int wcol;                   /* -1: none */
    int *role;                  /* (ncol) */
} roles;

static int find_roles(const csv *c, const char *const *names,
                      const nn_csv_spec *sp, roles *r, nn_err *e)
{
    r->nt = 0;
    r->wcol = -1;
    r->role = nn_calloc((size_t)c->ncol, sizeof *r->role, e);
    if (!r->role)
        return NN_FAIL;
    const char *t = sp->target && *sp->target ? sp->target : NULL;
    if (!t) {
        r->tcol[r->nt++] = c->ncol - 1;
        r->role[c->ncol - 1] = 1;
    }
    while (t) {
        const char *comma = strchr(t, ',');
        char one[128];
        size_t len = comma ? (size_t)(comma - t) : strlen(t);
        if (len == 0 || len >= sizeof one)
            return nn_fail(e, "%s: target= has an empty or too long name "
                              "(target=A or target=A,B)", c->path);
        memcpy(one, t, len);
        one[len] = '\0';
        if (r->nt == NN_MAXTARGETS)
            return nn_fail(e, "%s: more than %d targets", c->path, NN_MAXTARGETS);
        int col;
        if (find_column(c, names, one, &col, e) != NN_OK)
            return NN_FAIL;
        if (r->role[col])
            return nn_fail(e, "%s: column '%.30s' is named twice in target=",
                           c->path, names[col]);
        r->tcol[r->nt++] = col;
        r->role[col] = r->nt;
        t = comma ? comma + 1 : NULL;
    }
    if (sp->sample_weight && *sp->sample_weight) {
        if (find_column(c, names, sp->sample_weight, &r->wcol, e) != NN_OK)
            return NN_FAIL;
        if (r->role[r->wcol])
            return nn_fail(e, "%s: column '%.30s' cannot be both a target and "
                              "the sample weights", c->path, names[r->wcol]);
        r->role[r->wcol] = -1;
    }
    if (sp->ntask != 0 && sp->ntask != 1 && sp->ntask != r->nt)
        return nn_fail(e, "%s: %d tasks for %d targets (give one task, or one "
                          "per target in the same order)", c->path, sp->ntask,
                       r->nt);
    if (c->ncol - r->nt - (r->wcol >= 0) < 1)
        return nn_fail(e, "%s: no feature column left: every column is a "
                          "target%s", c->path, r->wcol >= 0 ? " or the weights" : "");
    return NN_OK;
}

/* Fills t from the records: features into x, the sample weights into w,
 * each target's numbers into tv[k] and texts into tstr[k]; text_row[k] is
 * the first row whose target k is not a number (-1: none). */
static int fill(csv *c, nn_dataset *t, int header, const roles *r,
                const char *const *names, double **tv, const char ***tstr,
                float *w, int *text_row, nn_err *e)
{
    const char *p = c->buf;
    int d = t->d;
    for (int k = 0; k < r->nt; k++)
        text_row[k] = -1;
    if (header)
        for (int j = 0; j < c->ncol; j++)
            next_field(&p);
    for (int i = 0; i < t->n; i++) {
        int line = c->lines[i + header];
        float *row = t->x + (size_t)i * (size_t)d;
        for (int j = 0, f = 0; j < c->ncol; j++) {
            const char *s = next_field(&p);
            double v;
            int role = r->role[j];
            if (role > 0) {
                int k = role - 1;
                tstr[k][i] = s;
                if (is_missing(s))
                    return field_num(c, line, names[j], s, 1, &v, e);
                if (parse_num(s, &v)) {
                    if (field_num(c, line, names[j], s, 1, &v, e) != NN_OK)
                        return NN_FAIL;
                    tv[k][i] = v;
                } else if (text_row[k] < 0)
                    text_row[k] = i;
                continue;
            }
            if (field_num(c, line, names[j], s, 0, &v, e) != NN_OK)
                return NN_FAIL;
            if (role < 0) {
                if (!(v >= 0))
                    return nn_fail(e, "%s:%d: sample weight %g in column "
                                      "'%.40s' is negative (weights must be "
                                      "finite and >= 0)", c->path, line, v,
                                   names[j]);
                w[i] = (float)v;
            } else
                row[f++] = (float)v;
        }
    }
    return NN_OK;
}

/* Target k's texts or values into class indices (column k of y) and names. */
static int make_classes(csv *c, nn_dataset *t, int k, const char *tname, int text,
                        const double *tv, const char **tstr, nn_err *e)
{
    int n = t->n, nu = 0, rc = NN_FAIL;
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
            if (i == 0 || strcmp(u[i], u[nu - 1]) != 0)
                u[nu++] = u[i];
    } else {
        dv = nn_calloc((size_t)n, sizeof *dv, e);
        if (!dv)
            goto out;
        memcpy(dv, tv, (size_t)n * sizeof *dv);
        qsort(dv, (size_t)n, sizeof *dv, cmp_dbl);
        for (int i = 0; i < n; i++)
            if (i == 0 || dv[i] != dv[nu - 1])
                dv[nu++] = dv[i];
    }
    if (nu > CSV_MAXCLASSES) {
        nn_fail(e, "%s: target '%.40s' has %d distinct values, over %d classes "
                   "(wrong column? for numbers use task=regression)",
                c->path, tname, nu, CSV_MAXCLASSES);
        goto out;
    }
    names = nn_calloc((size_t)nu, sizeof *names, e);
    if (!names)
        goto out;
    if (text)
        memcpy(names, u, (size_t)nu * sizeof *names);
    else {
        /* integers without a decimal point, others with enough digits */
        numtxt = nn_calloc((size_t)nu, 32, e);
        if (!numtxt)
            goto out;
        for (int i = 0; i < nu; i++) {
            char *s = numtxt + 32 * (size_t)i;
            if (dv[i] == floor(dv[i]) && fabs(dv[i]) < 1e15)
                snprintf(s, 32, "%.0f", dv[i]);
            else
                snprintf(s, 32, "%.9g", dv[i]);
            names[i] = s;
        }
    }
    if (nu < 2) {
        nn_fail(e, "%s: target '%.40s' has only one class ('%.30s'); "
                   "classification needs at least 2%s", c->path, tname, names[0],
                text ? "" : " (or use task=regression)");
        goto out;
    }
    for (int i = 0; i < n; i++) {
        int lo = 0, hi = nu - 1;   /* binary search: the value is there */
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            int below = text ? strcmp(names[mid], tstr[i]) < 0 : dv[mid] < tv[i];
            if (below)
                lo = mid + 1;
            else
                hi = mid;
        }
        t->y[(size_t)i * (size_t)t->ycols + (size_t)k] = (float)lo;
    }
    rc = nn_dataset_set_target_classes(t, k, nu, names, e);
out:
    free(u);
    free(dv);
    free(names);
    free(numtxt);
    return rc;
}

/* Whether target k (column col) is classification: text or task 1;
 * auto: integers with few distinct values.  -1 on an error (text with
 * task=regression, or no memory). */
static int is_classes(csv *c, int header, const char *const *names, int col,
                      int task, int text_row, const double *tv,
                      const char **tstr, int n, nn_err *e)
{
    if (text_row >= 0 && task == 2) {
        double v;
        field_num(c, c->lines[text_row + header], names[col], tstr[text_row],
                  1, &v, e);
        return -1;
    }
    if (text_row >= 0 || task == 1)
        return 1;
    if (task == 2)
        return 0;
    int allint = 1, k = 0;
    for (int i = 0; i < n && allint; i++)
        allint = tv[i] == floor(tv[i]);
    if (allint) {
        double *dv = nn_calloc((size_t)n, sizeof *dv, e);
        if (!dv)
            return -1;
        memcpy(dv, tv, (size_t)n * sizeof *dv);
        qsort(dv, (size_t)n, sizeof *dv, cmp_dbl);
        for (int i = 0; i < n; i++)
            k += i == 0 || dv[i] != dv[i - 1];
        free(dv);
    }
    return allint && k <= CSV_AUTO_MAXCLASSES;
}

static int load(csv *c, nn_dataset *t, const char *path, const nn_csv_spec *sp,
                nn_err *e)
{
    const char **names = NULL, **fnames = NULL, **tnames = NULL;
    const char **tstr[NN_MAXTARGETS] = {0};
    double *tv[NN_MAXTARGETS] = {0};
    float *w = NULL;
    char *gen = NULL;
    roles r = {0};
    int rc = NN_FAIL, header = sp->header, text_row[NN_MAXTARGETS];

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
        find_roles(c, names, sp, &r, e) != NN_OK)
        goto out;
    int n = c->nrec - header, d = c->ncol - r.nt - (r.wcol >= 0);
    if (nn_dataset_alloc(t, n, d, r.nt, e) != NN_OK) {
        with_path(e, c->path);
        goto out;
    }
    for (int k = 0; k < r.nt; k++) {
        tv[k] = nn_calloc((size_t)n, sizeof **tv, e);
        tstr[k] = tv[k] ? nn_calloc((size_t)n, sizeof **tstr, e) : NULL;
        if (!tstr[k])
            goto out;
    }
    fnames = nn_calloc((size_t)d, sizeof *fnames, e);
    tnames = fnames ? nn_calloc((size_t)r.nt, sizeof *tnames, e) : NULL;
    w = tnames && r.wcol >= 0 ? nn_calloc((size_t)n, sizeof *w, e) : NULL;
    if (!tnames || (r.wcol >= 0 && !w))
        goto out;
    for (int j = 0, f = 0; j < c->ncol; j++)
        if (r.role[j] == 0)
            fnames[f++] = names[j];
    for (int k = 0; k < r.nt; k++)
        tnames[k] = names[r.tcol[k]];
    if (nn_dataset_set_features(t, fnames, e) != NN_OK ||
        nn_dataset_set_target_names(t, tnames, e) != NN_OK)
        goto out;
    if (fill(c, t, header, &r, names, tv, tstr, w, text_row, e) != NN_OK)
        goto out;
    for (int k = 0; k < r.nt; k++) {
        int task = sp->ntask == 0 ? 0 : sp->task[sp->ntask == 1 ? 0 : k];
        int cls = is_classes(c, header, names, r.tcol[k], task, text_row[k],
                             tv[k], tstr[k], n, e);
        if (cls < 0)
            goto out;
        if (cls) {
            if (make_classes(c, t, k, tnames[k], text_row[k] >= 0, tv[k],
                             tstr[k], e) != NN_OK)
                goto out;
        } else
            for (int i = 0; i < n; i++)
                t->y[(size_t)i * (size_t)r.nt + (size_t)k] = (float)tv[k][i];
    }
    if (w && nn_dataset_set_weights(t, w, e) != NN_OK)
        goto out;
    const char *base = strrchr(path, '/');
    snprintf(t->name, sizeof t->name, "%s", base ? base + 1 : path);
    rc = NN_OK;
out:
    free(names);
    free(gen);
    for (int k = 0; k < NN_MAXTARGETS; k++) {
        free(tv[k]);
        free(tstr[k]);
    }
    free(fnames);
    free(tnames);
    free(w);
    free(r.role);
    return rc;
}

int nn_csv_load(nn_dataset *ds, const char *path, const char *target,
                int header, int task, nn_err *e)
{
    nn_csv_spec sp = {.target = target, .header = header, .ntask = 1,
                      .task = {task}};
    return nn_csv_load_spec(ds, path, &sp, e);
}

int nn_csv_load_spec(nn_dataset *ds, const char *path, const nn_csv_spec *spec,
                     nn_err *e)
{
    memset(ds, 0, sizeof *ds);
    if (!path || !*path)
        return nn_fail(e, "no CSV file name given");
    nn_csv_spec sp = *spec;
    if (sp.ntask < 0 || sp.ntask > NN_MAXTARGETS)
        return nn_fail(e, "%d tasks: give one, or one per target", sp.ntask);
    for (int k = 0; k < sp.ntask; k++)
        if (sp.task[k] < 0 || sp.task[k] > 2)
            return nn_fail(e, "task must be 0 (auto), 1 (classification) or "
                              "2 (regression), got %d", sp.task[k]);
    sp.header = sp.header ? 1 : 0;

    /* Numbers are read in the C locale: "5.1" even under de_DE. */
    locale_t cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = cloc ? uselocale(cloc) : (locale_t)0;

    csv c = {0};
    c.path = shown_path(path);
    nn_dataset t = {0};
    int rc = load(&c, &t, path, &sp, e);
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
