/* check_repl.c - the shell's unit tests: the line splitter, the typed
 * getters, suggestions, the dispatcher and the completion generator.
 * Error messages the code under test prints go to stderr (the test log). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>
#include "repl.h"
#include "complete.h"

/* ---- repl_split ---- */

typedef struct split_case {
    const char *line;
    int ok;                  /* 0 or -1 */
    const char *cmd;         /* NULL: none */
    int npos, nkv;
    const char *pos0, *pos1; /* first positional words, when any */
    const char *key0, *val0; /* first key=value, when any */
} split_case;

static const split_case split_cases[] = {
    {"", 0, NULL, 0, 0, NULL, NULL, NULL, NULL},
    {"   \t ", 0, NULL, 0, 0, NULL, NULL, NULL, NULL},
    {"# only a comment", 0, NULL, 0, 0, NULL, NULL, NULL, NULL},
    {"  # indented comment 'with quote", 0, NULL, 0, 0, NULL, NULL, NULL, NULL},
    {"fit", 0, "fit", 0, 0, NULL, NULL, NULL, NULL},
    {"fit epochs=5 batch_size=32", 0, "fit", 0, 2, NULL, NULL, "epochs", "5"},
    {"dense 16 activation=relu", 0, "dense", 1, 1, "16", NULL, "activation",
     "relu"},
    {"data csv 'my file.csv' target=species", 0, "data", 2, 1, "csv",
     "my file.csv", "target", "species"},
    {"model name=\"a b=c\"", 0, "model", 0, 1, NULL, NULL, "name", "a b=c"},
    {"run \"x=1\"", 0, "run", 1, 0, "x=1", NULL, NULL, NULL},
    {"run =5", 0, "run", 1, 0, "=5", NULL, NULL, NULL},
    {"a \"b\\\"c\" 'd\\e'", 0, "a", 2, 0, "b\"c", "d\\e", NULL, NULL},
    {"a \"back\\\\slash\"", 0, "a", 1, 0, "back\\slash", NULL, NULL, NULL},
    {"fit epochs=5 # train five", 0, "fit", 0, 1, NULL, NULL, "epochs", "5"},
    {"fit epochs=5#not a comment", 0, "fit", 2, 1, "a", "comment", "epochs",
     "5#not"},
    {"plot color=#ff0000", 0, "plot", 0, 1, NULL, NULL, "color", "#ff0000"},
    {"a \"# not a comment\"", 0, "a", 1, 0, "# not a comment", NULL, NULL,
     NULL},
    {"model name=", 0, "model", 0, 1, NULL, NULL, "name", ""},
    {"model name=''", 0, "model", 0, 1, NULL, NULL, "name", ""},
    {"a \"\" b", 0, "a", 2, 0, "", "b", NULL, NULL},
    {"a b=c=d", 0, "a", 0, 1, NULL, NULL, "b", "c=d"},
    {"a pre\"fix suf\"fix", 0, "a", 1, 0, "prefix suffix", NULL, NULL, NULL},
    {"epochs=5", 0, "epochs=5", 0, 0, NULL, NULL, NULL, NULL},
    {"\tfit\tepochs=5\r", 0, "fit", 0, 1, NULL, NULL, "epochs", "5"},
    {"predict 0.5,-1.2", 0, "predict", 1, 0, "0.5,-1.2", NULL, NULL, NULL},
    {"a \"unterminated", -1, NULL, 0, 0, NULL, NULL, NULL, NULL},
    {"a 'unterminated", -1, NULL, 0, 0, NULL, NULL, NULL, NULL},
    {"a name=\"open", -1, NULL, 0, 0, NULL, NULL, NULL, NULL},
    {"a \"ends in backslash\\\"", -1, NULL, 0, 0, NULL, NULL, NULL, NULL},
};

START_TEST(test_split)
{
    const split_case *c = &split_cases[_i];
    repl_args a;
    char msg[160];
    int r = repl_split(c->line, &a, msg, sizeof msg);
    ck_assert_msg(r == c->ok, "case %d '%s': returned %d, want %d", _i,
                  c->line, r, c->ok);
    if (r < 0) {
        ck_assert_msg(strstr(msg, "unterminated") != NULL,
                      "case %d: message '%s'", _i, msg);
        ck_assert_ptr_null(a.buf);
        return;
    }
    if (!c->cmd)
        ck_assert_msg(a.cmd == NULL, "case %d '%s': cmd '%s', want none",
                      _i, c->line, a.cmd);
    else
        ck_assert_msg(a.cmd && strcmp(a.cmd, c->cmd) == 0,
                      "case %d '%s': cmd '%s', want '%s'", _i, c->line,
                      a.cmd ? a.cmd : "(null)", c->cmd);
    ck_assert_msg(a.npos == c->npos && a.nkv == c->nkv,
                  "case %d '%s': %d pos %d kv, want %d %d", _i, c->line,
                  a.npos, a.nkv, c->npos, c->nkv);
    if (c->pos0)
        ck_assert_msg(strcmp(a.pos[0], c->pos0) == 0,
                      "case %d: pos0 '%s' want '%s'", _i, a.pos[0], c->pos0);
    if (c->pos1)
        ck_assert_msg(strcmp(a.pos[1], c->pos1) == 0,
                      "case %d: pos1 '%s' want '%s'", _i, a.pos[1], c->pos1);
    if (c->key0) {
        ck_assert_msg(strcmp(a.key[0], c->key0) == 0,
                      "case %d: key0 '%s' want '%s'", _i, a.key[0], c->key0);
        ck_assert_msg(strcmp(a.val[0], c->val0) == 0,
                      "case %d: val0 '%s' want '%s'", _i, a.val[0], c->val0);
    }
    repl_args_free(&a);
}
END_TEST

START_TEST(test_split_limits)
{
    /* REPL_MAXARGS positional words fit, one more does not */
    size_t cap = 16 + 4 * (REPL_MAXARGS + 2);
    char *line = malloc(cap);
    strcpy(line, "cmd");
    for (int i = 0; i < REPL_MAXARGS; i++)
        strcat(line, " w");
    repl_args a;
    char msg[160];
    ck_assert_int_eq(repl_split(line, &a, msg, sizeof msg), 0);
    ck_assert_int_eq(a.npos, REPL_MAXARGS);
    repl_args_free(&a);
    strcat(line, " w");
    ck_assert_int_eq(repl_split(line, &a, msg, sizeof msg), -1);
    ck_assert_msg(strstr(msg, "too many") != NULL, "message '%s'", msg);
    free(line);

    /* a very long word */
    size_t n = 1 << 20;
    line = malloc(n + 16);
    memcpy(line, "cmd k=", 6);
    memset(line + 6, 'x', n);
    line[n + 6] = 0;
    ck_assert_int_eq(repl_split(line, &a, msg, sizeof msg), 0);
    ck_assert_int_eq(a.nkv, 1);
    ck_assert_uint_eq(strlen(a.val[0]), n);
    repl_args_free(&a);
    free(line);

    /* the smallest message buffer is fine */
    ck_assert_int_eq(repl_split("a 'b", &a, msg, 1), -1);
    ck_assert_int_eq(msg[0], 0);
}
END_TEST

/* ---- numbers ---- */

typedef struct num_case {
    const char *w;
    int ok;
    double v;
} num_case;

static const num_case long_cases[] = {
    {"5", 0, 5}, {"-3", 0, -3}, {"+7", 0, 7}, {"0", 0, 0},
    {"007", 0, 7}, {"", -1, 0}, {" 5", -1, 0}, {"5 ", -1, 0},
    {"5x", -1, 0}, {"1e3", -1, 0}, {"1.0", -1, 0}, {"0x10", -1, 0},
    {"-", -1, 0}, {"+", -1, 0}, {"99999999999999999999", -1, 0},
    {"--5", -1, 0}, {"nan", -1, 0},
};

START_TEST(test_parse_long)
{
    const num_case *c = &long_cases[_i];
    long v = 12345;
    int r = repl_parse_long(c->w, &v);
    ck_assert_msg(r == c->ok, "'%s': returned %d, want %d", c->w, r, c->ok);
    if (r == 0)
        ck_assert_msg(v == (long)c->v, "'%s': %ld", c->w, v);
    else
        ck_assert_msg(v == 12345, "'%s': out changed on failure", c->w);
}
END_TEST

static const num_case double_cases[] = {
    {"0.5", 0, 0.5}, {"-1e-3", 0, -1e-3}, {".5", 0, 0.5}, {"5.", 0, 5},
    {"+2", 0, 2}, {"1E2", 0, 100}, {"1e+2", 0, 100}, {"0", 0, 0},
    {"nan", -1, 0}, {"NaN", -1, 0}, {"inf", -1, 0}, {"-inf", -1, 0},
    {"infinity", -1, 0}, {"1e999", -1, 0}, {"-1e999", -1, 0},
    {"0x1p3", -1, 0}, {"1.5x", -1, 0}, {"", -1, 0}, {".", -1, 0},
    {"e5", -1, 0}, {"-", -1, 0}, {" 1", -1, 0}, {"1 ", -1, 0},
    {"1,5", -1, 0}, {"1e", -1, 0}, {"--1", -1, 0}, {"1..2", -1, 0},
};

START_TEST(test_parse_double)
{
    const num_case *c = &double_cases[_i];
    double v = 12345;
    int r = repl_parse_double(c->w, &v);
    ck_assert_msg(r == c->ok, "'%s': returned %d, want %d", c->w, r, c->ok);
    if (r == 0)
        ck_assert_msg(fabs(v - c->v) < 1e-12, "'%s': %g", c->w, v);
    else
        ck_assert_msg(v == 12345, "'%s': out changed on failure", c->w);
}
END_TEST

START_TEST(test_parse_double_underflow)
{
    double v;
    ck_assert_int_eq(repl_parse_double("1e-400", &v), 0);
    ck_assert(v >= 0 && v < 1e-300);
}
END_TEST

/* ---- typed getters ---- */

static repl_session sess;

static void sess_setup(void)
{
    repl_session_init(&sess, 42);
}

static void sess_teardown(void)
{
    repl_session_free(&sess);
}

static repl_args split_ok(const char *line)
{
    repl_args a;
    char msg[160];
    ck_assert_int_eq(repl_split(line, &a, msg, sizeof msg), 0);
    return a;
}

START_TEST(test_arg_int)
{
    repl_args a = split_ok("fit epochs=5 batch_size=0 seed=x big=1e3 "
                           "neg=-4 huge=123456789012345678901234");
    long v;
    ck_assert_int_eq(repl_arg_int(&sess, &a, "absent", 7, 1, 10, &v), 0);
    ck_assert_int_eq(v, 7);
    ck_assert_int_eq(repl_arg_int(&sess, &a, "epochs", 1, 1, 100000, &v), 1);
    ck_assert_int_eq(v, 5);
    int e0 = sess.errors;
    ck_assert_int_eq(repl_arg_int(&sess, &a, "batch_size", 32, 1, LONG_MAX,
                                  &v), -1);
    ck_assert_int_eq(sess.errors, e0 + 1);
    ck_assert_int_eq(repl_arg_int(&sess, &a, "seed", 0, LONG_MIN, LONG_MAX,
                                  &v), -1);
    ck_assert_int_eq(repl_arg_int(&sess, &a, "big", 0, 0, 10000, &v), -1);
    ck_assert_int_eq(repl_arg_int(&sess, &a, "neg", 0, LONG_MIN, 0, &v), 1);
    ck_assert_int_eq(v, -4);
    ck_assert_int_eq(repl_arg_int(&sess, &a, "neg", 0, 0, 10, &v), -1);
    ck_assert_int_eq(repl_arg_int(&sess, &a, "huge", 0, LONG_MIN, LONG_MAX,
                                  &v), -1);
    ck_assert_int_eq(sess.errors, e0 + 5);
    repl_args_free(&a);
}
END_TEST

START_TEST(test_arg_double)
{
    repl_args a = split_ok("compile learning_rate=0.01 zero=0 nan=nan "
                           "inf=inf ninf=-inf junk=0.1x big=2 neg=-0.5");
    double v;
    ck_assert_int_eq(repl_arg_double(&sess, &a, "absent", 0.25, 0, 1, &v), 0);
    ck_assert(v == 0.25);
    ck_assert_int_eq(repl_arg_double(&sess, &a, "learning_rate", 0, 0, 1, &v),
                     1);
    ck_assert(v == 0.01);
    ck_assert_int_eq(repl_arg_double(&sess, &a, "nan", 0, -HUGE_VAL,
                                     HUGE_VAL, &v), -1);
    ck_assert_int_eq(repl_arg_double(&sess, &a, "inf", 0, -HUGE_VAL,
                                     HUGE_VAL, &v), -1);
    ck_assert_int_eq(repl_arg_double(&sess, &a, "ninf", 0, -HUGE_VAL,
                                     HUGE_VAL, &v), -1);
    ck_assert_int_eq(repl_arg_double(&sess, &a, "junk", 0, 0, 1, &v), -1);
    ck_assert_int_eq(repl_arg_double(&sess, &a, "big", 0, 0, 1, &v), -1);
    ck_assert_int_eq(repl_arg_double(&sess, &a, "neg", 0, -1, 1, &v), 1);
    ck_assert(v == -0.5);
    ck_assert_int_eq(repl_arg_double(&sess, &a, "zero", 0, 0, 1, &v), 1);

    /* > 0: rejects 0, negatives, NaN, inf */
    ck_assert_int_eq(repl_arg_pos_double(&sess, &a, "learning_rate", 1, &v),
                     1);
    ck_assert(v == 0.01);
    ck_assert_int_eq(repl_arg_pos_double(&sess, &a, "absent", 3, &v), 0);
    ck_assert(v == 3);
    ck_assert_int_eq(repl_arg_pos_double(&sess, &a, "zero", 1, &v), -1);
    ck_assert_int_eq(repl_arg_pos_double(&sess, &a, "neg", 1, &v), -1);
    ck_assert_int_eq(repl_arg_pos_double(&sess, &a, "nan", 1, &v), -1);
    ck_assert_int_eq(repl_arg_pos_double(&sess, &a, "inf", 1, &v), -1);
    repl_args_free(&a);
}
END_TEST

START_TEST(test_arg_bool)
{
    repl_args a = split_ok("fit a=true b=False c=yes d=NO e=1 f=0 g=on "
                           "h=off i=maybe j= k=2");
    static const struct { const char *k; int r, v; } cases[] = {
        {"a", 1, 1}, {"b", 1, 0}, {"c", 1, 1}, {"d", 1, 0}, {"e", 1, 1},
        {"f", 1, 0}, {"g", 1, 1}, {"h", 1, 0}, {"i", -1, 7}, {"j", -1, 7},
        {"k", -1, 7}, {"absent", 0, 7},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int v;
        int r = repl_arg_bool(&sess, &a, cases[i].k, 7, &v);
        ck_assert_msg(r == cases[i].r && v == cases[i].v,
                      "bool %s: r %d v %d, want %d %d", cases[i].k, r, v,
                      cases[i].r, cases[i].v);
    }
    repl_args_free(&a);
}
END_TEST

START_TEST(test_arg_enum_str)
{
    static const char *const acts[] = {"linear", "sigmoid", "relu", NULL};
    repl_args a = split_ok("dense 4 activation=relu bad=rleu name=\"x y\"");
    int v;
    ck_assert_int_eq(repl_arg_enum(&sess, &a, "activation", acts, 0, &v), 1);
    ck_assert_int_eq(v, 2);
    ck_assert_int_eq(repl_arg_enum(&sess, &a, "absent", acts, 1, &v), 0);
    ck_assert_int_eq(v, 1);
    ck_assert_int_eq(repl_arg_enum(&sess, &a, "bad", acts, 1, &v), -1);
    ck_assert_str_eq(repl_arg_str(&a, "name"), "x y");
    ck_assert_ptr_null(repl_arg_str(&a, "absent"));
    repl_args_free(&a);
}
END_TEST

/* ---- suggestions ---- */

START_TEST(test_suggest)
{
    static const char *const keys[] = {"epochs", "batch_size", "verbose",
                                       "shuffle", NULL};
    static const char *const cmds[] = {"fit", "seed", "set", "step",
                                       "summary", "pop", "record", NULL};
    ck_assert_str_eq(repl_suggest("epoch", keys), "did you mean epochs?");
    ck_assert_str_eq(repl_suggest("EPOCHS", keys), "did you mean epochs?");
    ck_assert_str_eq(repl_suggest("batchsize", keys),
                     "did you mean batch_size?");
    ck_assert_str_eq(repl_suggest("verbsoe", keys), "did you mean verbose?");
    ck_assert_str_eq(repl_suggest("fti", cmds), "did you mean fit?");
    ck_assert_str_eq(repl_suggest("sumary", cmds), "did you mean summary?");
    /* best match wins: "sed" is 1 from seed and set; the first in table */
    ck_assert_str_eq(repl_suggest("sed", cmds), "did you mean seed?");
    ck_assert_str_eq(repl_suggest("stpe", cmds), "did you mean step?");
    ck_assert_str_eq(repl_suggest("recrod", cmds), "did you mean record?");
    ck_assert_str_eq(repl_suggest("Fit", cmds), "did you mean fit?");
    /* short words get one edit only */
    ck_assert_str_eq(repl_suggest("foo", cmds), "");
    ck_assert_str_eq(repl_suggest("xyzzy", cmds), "");
    ck_assert_str_eq(repl_suggest("", cmds), "");
    ck_assert_str_eq(repl_suggest("ab", cmds), "");
    ck_assert_str_eq(repl_suggest("fit", NULL), "");
    char *long_word = malloc(100001);
    memset(long_word, 'f', 100000);
    long_word[100000] = 0;
    ck_assert_str_eq(repl_suggest(long_word, cmds), "");
    free(long_word);
}
END_TEST

/* ---- the dispatcher ---- */

START_TEST(test_run_line)
{
    int e0 = sess.errors;
    ck_assert_int_eq(repl_run_line(&sess, ""), 0);
    ck_assert_int_eq(repl_run_line(&sess, "   # nothing"), 0);
    ck_assert_int_eq(sess.nlog, 0);
    ck_assert_int_eq(repl_run_line(&sess, "fti"), -1);
    ck_assert_int_eq(repl_run_line(&sess, "seed"), -1);
    ck_assert_int_eq(repl_run_line(&sess, "seed 1 2"), -1);
    ck_assert_int_eq(repl_run_line(&sess, "seed -1"), -1);
    ck_assert_int_eq(repl_run_line(&sess, "seed x"), -1);
    ck_assert_int_eq(repl_run_line(&sess, "seed 3 x=1"), -1);
    ck_assert_int_eq(repl_run_line(&sess, "set verbos=1"), -1);
    ck_assert_int_eq(repl_run_line(&sess, "set verbose=1 verbose=2"), -1);
    ck_assert_int_eq(repl_run_line(&sess, "seed 'open"), -1);
    ck_assert_int_eq(sess.errors, e0 + 9);
    ck_assert_int_eq(sess.nlog, 0);
    ck_assert_uint_eq(sess.seed, 42);

    ck_assert_int_eq(repl_run_line(&sess, "  seed 7  "), 0);
    ck_assert_uint_eq(sess.seed, 7);
    ck_assert_int_eq(repl_run_line(&sess, "set verbose=2"), 0);
    ck_assert_int_eq(sess.verbose, 2);
    /* a bad value changes nothing, even next to a good one */
    ck_assert_int_eq(repl_run_line(&sess, "set verbose=0 terminal=nope"), -1);
    ck_assert_int_eq(sess.verbose, 2);
    ck_assert_str_eq(sess.plot_terminal, "auto");
    ck_assert_int_eq(repl_run_line(&sess, "set size=80x25 terminal=text"), 0);
    ck_assert_int_eq(sess.plot_w, 80);
    ck_assert_int_eq(sess.plot_h, 25);
    ck_assert_str_eq(sess.plot_terminal, "text");
    ck_assert_int_eq(repl_run_line(&sess, "set size=80"), -1);
    ck_assert_int_eq(repl_run_line(&sess, "set memory_cap=0"), -1);
    ck_assert_int_eq(repl_run_line(&sess, "set memory_cap=1X"), -1);
    size_t cap = nn_memcap();
    ck_assert_int_eq(repl_run_line(&sess, "set memory_cap=1.5GiB"), 0);
    ck_assert_uint_eq(nn_memcap(), (size_t)3 << 29);
    ck_assert_int_eq(repl_run_line(&sess, "set memory_cap=512k"), 0);
    ck_assert_uint_eq(nn_memcap(), (size_t)512 << 10);
    nn_set_memcap(cap);
    ck_assert_int_eq(repl_run_line(&sess, "help seed"), 0);
    ck_assert_int_eq(repl_run_line(&sess, "quit"), 0);
    ck_assert_int_eq(sess.quit, 1);
    /* recorded: the good commands but help and quit, trimmed */
    ck_assert_int_eq(sess.nlog, 5);
    ck_assert_str_eq(sess.log[0], "seed 7");
    ck_assert_str_eq(sess.log[1], "set verbose=2");
}
END_TEST

START_TEST(test_run_file)
{
    /* CRLF, a byte-order mark, a NUL byte, invalid UTF-8, a long line */
    size_t longn = 1 << 20;
    size_t cap = longn + 256;
    char *text = malloc(cap);
    size_t n = 0;
    n += (size_t)sprintf(text + n, "\xef\xbb\xbfseed 5\r\n");
    n += (size_t)sprintf(text + n, "# comment\r\n");
    memcpy(text + n, "seed\0 6\n", 8);
    n += 8;
    n += (size_t)sprintf(text + n, "se\xff\xfe 1\n");
    memcpy(text + n, "seed ", 5);
    n += 5;
    memset(text + n, '9', longn);
    n += longn;
    text[n++] = '\n';
    n += (size_t)sprintf(text + n, "seed 8");     /* no final newline */
    FILE *f = fmemopen(text, n, "r");
    ck_assert_ptr_nonnull(f);
    sess.keep_going = 1;
    int e0 = sess.errors;
    ck_assert_int_eq(repl_run_file(&sess, f, "mem.nnl"), -1);
    fclose(f);
    ck_assert_int_eq(sess.errors, e0 + 3);
    ck_assert_uint_eq(sess.seed, 8);
    ck_assert_ptr_null(sess.src_file);

    /* without keep_going: stops at the first error */
    f = fmemopen(text, n, "r");
    sess.keep_going = 0;
    sess.seed = 0;
    e0 = sess.errors;
    ck_assert_int_eq(repl_run_file(&sess, f, "mem.nnl"), -1);
    fclose(f);
    ck_assert_int_eq(sess.errors, e0 + 1);
    ck_assert_uint_eq(sess.seed, 5);
    free(text);

    static char ok[] = "seed 3\n\nseed 4\n";
    f = fmemopen(ok, strlen(ok), "r");
    ck_assert_int_eq(repl_run_file(&sess, f, "ok.nnl"), 0);
    fclose(f);
    ck_assert_uint_eq(sess.seed, 4);
}
END_TEST

START_TEST(test_record)
{
    char dir[] = "/tmp/check_repl.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[64], tmp[80], cmd[100];
    snprintf(path, sizeof path, "%s/rec.nnl", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    ck_assert_int_eq(repl_run_line(&sess, "seed 5"), 0);
    ck_assert_int_eq(repl_run_line(&sess, "set verbose=2   # two"), 0);
    ck_assert_int_eq(repl_run_line(&sess, "set verbose=9"), -1);
    ck_assert_int_eq(repl_run_line(&sess, "help"), 0);
    snprintf(cmd, sizeof cmd, "record %s", path);
    ck_assert_int_eq(repl_run_line(&sess, cmd), 0);
    ck_assert_int_eq(repl_run_line(&sess, cmd), 0);   /* replaces it */
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char text[512];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    const char *body = strchr(text, '\n');
    ck_assert_msg(text[0] == '#' && body, "no header: '%s'", text);
    ck_assert_str_eq(body + 1, "seed 5\nset verbose=2   # two\n");
    ck_assert_int_ne(access(tmp, F_OK), 0);
    /* replaying it in a fresh session gives the same state */
    repl_session t;
    repl_session_init(&t, 1);
    f = fopen(path, "r");
    ck_assert_int_eq(repl_run_file(&t, f, path), 0);
    fclose(f);
    ck_assert_uint_eq(t.seed, 5);
    ck_assert_int_eq(t.verbose, 2);
    ck_assert_int_eq(t.nlog, 2);
    repl_session_free(&t);
    remove(path);
    rmdir(dir);
}
END_TEST

START_TEST(test_commands_table)
{
    const repl_cmd *const *t = repl_commands();
    ck_assert_ptr_eq(t, repl_commands());     /* built once */
    int n = 0;
    for (; t[n]; n++) {
        const repl_cmd *c = t[n];
        ck_assert_msg(c->run && c->usage && c->summary && c->help && c->topic,
                      "command %s lacks a field", c->name);
        ck_assert_msg(c->minpos <= c->maxpos && c->maxpos <= REPL_MAXARGS,
                      "command %s: positional counts", c->name);
        ck_assert_msg(strncmp(c->usage, c->name, strlen(c->name)) == 0,
                      "command %s: usage '%s' does not start with it",
                      c->name, c->usage);
        ck_assert_msg(strstr(c->help, "Example") != NULL,
                      "command %s: help has no example", c->name);
        ck_assert_ptr_eq(repl_find(c->name), c);
        for (int j = 0; j < n; j++)
            ck_assert_msg(strcmp(t[j]->name, c->name) != 0,
                          "command %s twice", c->name);
        ck_assert_str_eq(repl_command_names()[n], c->name);
    }
    ck_assert_ptr_null(repl_command_names()[n]);
    ck_assert_ptr_null(repl_find("no such command"));
    ck_assert_ptr_nonnull(repl_find("help"));
}
END_TEST

/* ---- completion ---- */

static int has(const repl_comp *c, const char *item)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->items[i], item) == 0)
            return 1;
    return 0;
}

static void complete(const char *line, repl_comp *c)
{
    ck_assert_int_eq(repl_complete(&sess, line, (int)strlen(line), c), 0);
    ck_assert_msg(c->n == 0 || c->items[c->n] == NULL,
                  "'%s': list not NULL-terminated", line);
}

START_TEST(test_complete_commands)
{
    repl_comp c;
    complete("se", &c);
    ck_assert(has(&c, "seed") && has(&c, "set"));
    for (int i = 0; i < c.n; i++)
        ck_assert_msg(strncmp(c.items[i], "se", 2) == 0, "'%s'", c.items[i]);
    ck_assert_int_eq(c.start, 0);
    ck_assert_int_eq(c.files, 0);
    repl_comp_free(&c);

    complete("  rec", &c);
    ck_assert_int_eq(c.n, 1);
    ck_assert_str_eq(c.items[0], "record");
    ck_assert_int_eq(c.start, 2);
    repl_comp_free(&c);

    complete("", &c);
    int n = 0;
    while (repl_command_names()[n])
        n++;
    ck_assert_int_eq(c.n, n);
    repl_comp_free(&c);

    complete("zz", &c);
    ck_assert_int_eq(c.n, 0);
    repl_comp_free(&c);

    /* after an unknown command, or in a comment: nothing */
    complete("nosuch ", &c);
    ck_assert_int_eq(c.n, 0);
    repl_comp_free(&c);
    complete("# se", &c);
    ck_assert_int_eq(c.n, 0);
    repl_comp_free(&c);
    complete("seed 1 # se", &c);
    ck_assert_int_eq(c.n, 0);
    repl_comp_free(&c);

    /* help completes command names */
    complete("help se", &c);
    ck_assert(has(&c, "seed") && has(&c, "set"));
    ck_assert_int_eq(c.start, 5);
    repl_comp_free(&c);
    complete("help seed ", &c);      /* only one word */
    ck_assert_int_eq(c.n, 0);
    repl_comp_free(&c);
}
END_TEST

START_TEST(test_complete_keywords)
{
    repl_comp c;
    complete("set verb", &c);
    ck_assert_int_eq(c.n, 1);
    ck_assert_str_eq(c.items[0], "verbose=");
    ck_assert_int_eq(c.start, 4);
    repl_comp_free(&c);

    complete("set ", &c);
    ck_assert_int_eq(c.n, 6);
    ck_assert(has(&c, "memory_cap=") && has(&c, "verbose=") &&
              has(&c, "terminal=") && has(&c, "size=") && has(&c, "warnings=") &&
              has(&c, "plots="));
    repl_comp_free(&c);

    /* keywords already given are not offered again */
    complete("set verbose=1 ", &c);
    ck_assert_int_eq(c.n, 5);
    ck_assert(!has(&c, "verbose=") && has(&c, "warnings=") && has(&c, "plots="));
    repl_comp_free(&c);

    /* no keywords, no positional words: nothing */
    complete("reset ", &c);
    ck_assert_int_eq(c.n, 0);
    repl_comp_free(&c);

    /* the cursor in the middle of the line */
    const char *line = "set verb terminal=text";
    ck_assert_int_eq(repl_complete(&sess, line, 8, &c), 0);
    ck_assert_int_eq(c.n, 1);
    ck_assert_str_eq(c.items[0], "verbose=");
    repl_comp_free(&c);
}
END_TEST

START_TEST(test_complete_values)
{
    repl_comp c;
    complete("set verbose=", &c);
    ck_assert_int_eq(c.n, 3);
    ck_assert(has(&c, "0") && has(&c, "1") && has(&c, "2"));
    ck_assert_int_eq(c.start, 12);
    repl_comp_free(&c);

    complete("set terminal=s", &c);
    ck_assert_int_eq(c.n, 1);
    ck_assert_str_eq(c.items[0], "sixel");
    ck_assert_int_eq(c.start, 13);
    repl_comp_free(&c);

    /* comma lists complete the last item */
    complete("set terminal=auto,te", &c);
    ck_assert_int_eq(c.n, 1);
    ck_assert_str_eq(c.items[0], "text");
    ck_assert_int_eq(c.start, 18);
    repl_comp_free(&c);

    /* a keyword without enumerated values: nothing */
    complete("set memory_cap=", &c);
    ck_assert_int_eq(c.n, 0);
    repl_comp_free(&c);

    /* the engine's tables */
    ck_assert_ptr_eq(repl_key_values("activation"), nn_act_names);
    ck_assert_ptr_eq(repl_key_values("kernel_initializer"), nn_init_names);
    ck_assert_ptr_eq(repl_key_values("bias_initializer"), nn_init_names);
    ck_assert_ptr_eq(repl_key_values("loss"), nn_loss_names);
    ck_assert_ptr_eq(repl_key_values("optimizer"), nn_opt_names);
    ck_assert_ptr_eq(repl_key_values("metrics"), nn_metric_names);
    ck_assert_ptr_eq(repl_key_values("penalty"), nn_penalty_names);
    ck_assert_str_eq(repl_key_values("shuffle")[0], "true");
    ck_assert_str_eq(repl_key_values("use_bias")[1], "false");
    ck_assert_ptr_null(repl_key_values("shuffle")[2]);
    ck_assert_ptr_null(repl_key_values("epochs"));
    ck_assert_ptr_null(repl_key_values(NULL));

    /* with the real commands, when they are there */
    if (repl_find("compile") && repl_find("compile")->keys &&
        strstr(repl_find("compile")->keys, "metrics")) {
        complete("compile metrics=accuracy,m", &c);
        ck_assert(has(&c, "mse") && has(&c, "mae"));
        ck_assert(!has(&c, "accuracy"));
        repl_comp_free(&c);
        complete("compile loss=sparse", &c);
        ck_assert_int_eq(c.n, 1);
        ck_assert_str_eq(c.items[0], "sparse_categorical_crossentropy");
        repl_comp_free(&c);
    }
    if (repl_find("dense") && repl_find("dense")->keys &&
        strstr(repl_find("dense")->keys, "activation")) {
        complete("dense 8 activation=re", &c);
        ck_assert(has(&c, "relu") && has(&c, "relu6"));
        repl_comp_free(&c);
    }
}
END_TEST

START_TEST(test_complete_positional)
{
    repl_comp c;
    /* file names: the glue asks readline for them */
    complete("run ", &c);
    ck_assert_int_eq(c.files, 1);
    ck_assert_int_eq(c.start, 4);
    repl_comp_free(&c);
    complete("run \"my fi", &c);
    ck_assert_int_eq(c.files, 1);
    ck_assert_int_eq(c.start, 5);
    repl_comp_free(&c);
    complete("run x.nnl ", &c);
    ck_assert_int_eq(c.files, 0);
    repl_comp_free(&c);
    /* the second word is a file (or a directory) after these first words */
    static const char *const file_lines[] = {
        "data csv ", "callback checkpoint ", "callback csvlogger ",
        "export keras ", "callback checkpoint filepath=",
        "callback csvlogger filename=",
    };
    for (size_t i = 0; i < sizeof file_lines / sizeof file_lines[0]; i++) {
        complete(file_lines[i], &c);
        ck_assert_msg(c.files == 1, "'%s': no file names", file_lines[i]);
        repl_comp_free(&c);
    }
    complete("data xor ", &c);         /* not after a data set name */
    ck_assert_int_eq(c.files, 0);
    repl_comp_free(&c);
    complete("callback lr_schedule one", &c);
    ck_assert_int_eq(c.n, 1);
    ck_assert_str_eq(c.items[0], "onecycle");
    repl_comp_free(&c);
    complete("callback terminate_on_nan o", &c);
    ck_assert(c.n == 2 && has(&c, "on") && has(&c, "off"));
    repl_comp_free(&c);
    /* true/false after every boolean keyword of the tables */
    static const char *const bool_lines[] = {
        "search grid refit=f", "callback csvlogger x.csv append=t",
        "callback checkpoint x.nnlab save_best_only=t",
        "callback lr_schedule onecycle cycle_momentum=f",
    };
    for (size_t i = 0; i < sizeof bool_lines / sizeof bool_lines[0]; i++) {
        complete(bool_lines[i], &c);
        ck_assert_msg(c.n == 1, "'%s': %d words", bool_lines[i], c.n);
        repl_comp_free(&c);
    }

    /* layer names: every LAYER command, with no model, must not crash */
    const repl_cmd *const *t = repl_commands();
    ck_assert_ptr_null(sess.model);
    for (int i = 0; t[i]; i++) {
        size_t l = strlen(t[i]->name);
        char *line = malloc(l + 2);
        memcpy(line, t[i]->name, l);
        memcpy(line + l, " ", 2);
        complete(line, &c);
        if (t[i]->pos_kind == REPL_POS_WORDS && t[i]->pos_values &&
            t[i]->pos_values[0])
            ck_assert_msg(has(&c, t[i]->pos_values[0]),
                          "%s: positional value %s not offered", t[i]->name,
                          t[i]->pos_values[0]);
        repl_comp_free(&c);
        free(line);
    }

    /* with a model: its node names */
    nn_err e;
    nn_model *m = nn_model_new("m", 1, &e);
    ck_assert_ptr_nonnull(m);
    int shape[1] = {2};
    ck_assert_int_ge(nn_model_add_input(m, shape, 1, NULL, &e), 0);
    nn_dense_cfg dc;
    nn_dense_defaults(&dc, 3);
    ck_assert_int_ge(nn_model_add_dense(m, 0, &dc, "hidden", &sess.rng, &e),
                     0);
    sess.model = m;
    for (int i = 0; t[i]; i++)
        if (t[i]->pos_kind == REPL_POS_LAYER && t[i]->maxpos > 0) {
            size_t l = strlen(t[i]->name);
            char *line = malloc(l + 4);
            memcpy(line, t[i]->name, l);
            memcpy(line + l, " hi", 4);
            complete(line, &c);
            ck_assert_msg(has(&c, "hidden"), "%s: layer name not offered",
                          t[i]->name);
            repl_comp_free(&c);
            free(line);
        }
    /* concat's list: the layer after the last comma */
    complete("concat input_layer,hi", &c);
    ck_assert(has(&c, "hidden"));
    ck_assert_int_eq(c.start, (int)strlen("concat input_layer,"));
    repl_comp_free(&c);
    complete("concat input_layer,\"hi", &c);   /* a quote after the comma */
    ck_assert(has(&c, "hidden"));
    ck_assert_int_eq(c.start, (int)strlen("concat input_layer,\""));
    repl_comp_free(&c);
    sess.model = NULL;
    nn_model_free(m);

    /* a NULL session is fine too */
    ck_assert_int_eq(repl_complete(NULL, "help ", 5, &c), 0);
    repl_comp_free(&c);
    /* a point past the end is clamped */
    ck_assert_int_eq(repl_complete(NULL, "se", 99, &c), 0);
    ck_assert(has(&c, "seed"));
    repl_comp_free(&c);
}
END_TEST

static Suite *suite_repl(void)
{
    Suite *s = suite_create("repl");
    TCase *tc = tcase_create("split");
    tcase_add_loop_test(tc, test_split, 0,
                        (int)(sizeof split_cases / sizeof split_cases[0]));
    tcase_add_test(tc, test_split_limits);
    tcase_add_loop_test(tc, test_parse_long, 0,
                        (int)(sizeof long_cases / sizeof long_cases[0]));
    tcase_add_loop_test(tc, test_parse_double, 0,
                        (int)(sizeof double_cases / sizeof double_cases[0]));
    tcase_add_test(tc, test_parse_double_underflow);
    tcase_add_test(tc, test_suggest);
    suite_add_tcase(s, tc);

    tc = tcase_create("session");
    tcase_add_checked_fixture(tc, sess_setup, sess_teardown);
    tcase_add_test(tc, test_arg_int);
    tcase_add_test(tc, test_arg_double);
    tcase_add_test(tc, test_arg_bool);
    tcase_add_test(tc, test_arg_enum_str);
    tcase_add_test(tc, test_run_line);
    tcase_add_test(tc, test_run_file);
    tcase_add_test(tc, test_record);
    tcase_add_test(tc, test_commands_table);
    tcase_add_test(tc, test_complete_commands);
    tcase_add_test(tc, test_complete_keywords);
    tcase_add_test(tc, test_complete_values);
    tcase_add_test(tc, test_complete_positional);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_repl());
    srunner_run_all(sr, CK_NORMAL);
    int run = srunner_ntests_run(sr);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    printf("check_repl: %d passed, %d failed\n", run - failed, failed);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
