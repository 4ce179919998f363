/* check_commands.c - the command declarations (repl/command.h), over every
 * command: each keyword a declaration names is in the usage line `help`
 * prints, is offered by Tab completion with its values, and is accepted
 * by the dispatcher; each declaration is well formed (a range that holds
 * its default, an enum whose default is one of its values, a help line).
 * The declarations are the one source: a keyword added there must show
 * everywhere, or this fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>
#include "repl.h"
#include "complete.h"

static repl_session sess;

/* A session with a model whose Dense layer is named "dense", so that
 * search's LAYER.units completes as dense.units. */
static void setup(void)
{
    repl_session_init(&sess, 42);
    ck_assert_int_eq(repl_run_line(&sess, "data xor"), 0);
    ck_assert_int_eq(repl_run_line(&sess, "input"), 0);
    ck_assert_int_eq(repl_run_line(&sess, "dense 2"), 0);
}

static void teardown(void)
{
    repl_session_free(&sess);
}

/* What `help NAME` prints on stdout. */
static char *help_text(const char *name)
{
    char path[] = "/tmp/nnlab-help-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    fflush(stdout);
    int saved = dup(1);
    dup2(fd, 1);
    char line[128];
    snprintf(line, sizeof line, "help %s", name);
    int r = repl_run_line(&sess, line);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    ck_assert_int_eq(r, 0);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char *text = calloc(1, 1 << 16);
    size_t n = fread(text, 1, (1 << 16) - 1, f);
    text[n] = 0;
    fclose(f);
    close(fd);
    unlink(path);
    return text;
}

static int offered(const char *line, const char *item)
{
    repl_comp c;
    ck_assert_int_eq(repl_complete(&sess, line, (int)strlen(line), &c), 0);
    int found = 0;
    for (int i = 0; i < c.n && !found; i++)
        found = strcmp(c.items[i], item) == 0;
    repl_comp_free(&c);
    return found;
}

/* The keyword as typed: LAYER.units is dense.units on the test model. */
static void typed(const repl_opt *o, char *buf, size_t len)
{
    if (strncmp(o->name, "LAYER.", 6) == 0)
        snprintf(buf, len, "dense.%s", o->name + 6);
    else
        snprintf(buf, len, "%s", o->name);
}

/* Checks one declared keyword of command c everywhere it must show (a
 * hidden form's keyword: in that form's own usage line). */
static void check_opt(const repl_cmd *c, const repl_form *f, const repl_opt *o,
                      const char *help)
{
    char key[96], word[112], line[256];
    typed(o, key, sizeof key);
    ck_assert_msg(o->help && *o->help, "%s %s=: no help line", c->name, o->name);
    /* the dispatcher's list */
    ck_assert_msg(repl_word_in(c->keys, o->name), "%s: %s not in keys '%s'",
                  c->name, o->name, c->keys);
    ck_assert_msg(repl_opt_find(c, key) &&
                  strcmp(repl_opt_find(c, key)->name, o->name) == 0,
                  "%s: %s= not found", c->name, key);
    /* the usage line, as help prints it */
    if (o->shown) {
        snprintf(word, sizeof word, o->required ? " %s=%s" : o->join ? "%s=%s" :
                 "[%s=%s", o->name, o->shown);
        if (f && f->hidden) {
            char *fu = repl_form_usage(c, f);
            ck_assert_msg(fu && strstr(fu, word), "%s %s: usage '%s' lacks '%s'",
                          c->name, f->word, fu, word);
            free(fu);
        } else {
            ck_assert_msg(strstr(c->usage, word), "%s: usage '%s' lacks '%s'",
                          c->name, c->usage, word);
            ck_assert_msg(strstr(help, word), "help %s lacks '%s'", c->name, word);
        }
    }
    /* completion of the keyword, and of its values */
    snprintf(line, sizeof line, "%s ", c->name);
    snprintf(word, sizeof word, "%s=", key);
    ck_assert_msg(offered(line, word), "'%s' + Tab does not offer %s", line, word);
    const char *const *v = repl_opt_values(o);
    for (int i = 0; v && v[i]; i++) {
        snprintf(line, sizeof line, "%s %s=", c->name, key);
        ck_assert_msg(offered(line, v[i]), "'%s' + Tab does not offer %s", line,
                      v[i]);
    }
    /* the declaration itself */
    switch (o->type) {
    case REPL_T_INT:
    case REPL_T_NUM: {
        ck_assert_msg(o->min <= o->max, "%s %s=: range [%g, %g]", c->name, o->name,
                      o->min, o->max);
        double d;
        if (o->def) {
            ck_assert_msg(repl_parse_double(o->def, &d) == 0 && d >= o->min &&
                          d <= o->max, "%s %s=: default '%s' outside [%g, %g]",
                          c->name, o->name, o->def, o->min, o->max);
        }
        break;
    }
    case REPL_T_ENUM:
        ck_assert_msg(o->values && o->values[0], "%s %s=: enum without values",
                      c->name, o->name);
        ck_assert_msg(!o->def || nn_lookup(o->values, o->def) >= 0,
                      "%s %s=: default '%s' not among its values", c->name,
                      o->name, o->def);
        break;
    case REPL_T_BOOL:
        ck_assert_msg(!o->def || !strcmp(o->def, "true") || !strcmp(o->def, "false"),
                      "%s %s=: default '%s'", c->name, o->name, o->def);
        break;
    default:
        break;
    }
}

static void check_opts(const repl_cmd *c, const repl_form *f, const repl_opt *o,
                       const char *help)
{
    for (; o && o->name; o++)
        check_opt(c, f, o, help);
}

START_TEST(test_every_keyword_shows)
{
    const repl_cmd *const *t = repl_commands();
    int nopts = 0;
    for (int i = 0; t[i]; i++) {
        const repl_cmd *c = t[i];
        char *help = help_text(c->name);
        ck_assert_msg(strncmp(help, "usage: ", 7) == 0 &&
                      strncmp(help + 7, c->usage, strlen(c->usage)) == 0,
                      "help %s does not start with its usage line", c->name);
        check_opts(c, NULL, c->opts, help);
        for (const repl_opt *o = c->opts; o && o->name; o++)
            nopts++;
        for (const repl_form *f = c->forms; f && !repl_form_end(f); f++) {
            check_opts(c, f, f->opts, help);
            for (const repl_opt *o = f->opts; o && o->name; o++)
                nopts++;
        }
        free(help);
    }
    /* the declarations hold every command's keywords (not a vacuous loop) */
    ck_assert_int_ge(nopts, 150);
}
END_TEST

/* The usage line is generated: a keyword that is declared but not shown
 * (shown NULL) is accepted and completed, and left out of the usage. */
START_TEST(test_hidden_keyword)
{
    const repl_cmd *c = repl_find("dense");
    const repl_opt *o = repl_opt_find(c, "kernel_value");
    ck_assert_ptr_nonnull(o);
    ck_assert_ptr_null(o->shown);
    ck_assert_ptr_null(strstr(c->usage, "kernel_value"));
    ck_assert(offered("dense 3 ", "kernel_value="));
    ck_assert_int_eq(repl_run_line(&sess, "dense 3 kernel_initializer=constant "
                                   "kernel_value=0.5"), 0);
}
END_TEST

/* Once the words pick a form, completion offers that form's keywords and
 * values (and the command's own), and the forms' words come from their
 * declarations. */
START_TEST(test_form_completion)
{
    ck_assert(offered("plot boundary split=", "all"));
    ck_assert(!offered("plot hist weights split=", "all"));
    ck_assert(offered("plot hist weights split=", "valid"));
    ck_assert(offered("plot hist weights ", "n="));
    ck_assert(offered("plot hist weights ", "to="));          /* the command's */
    ck_assert(!offered("plot hist weights ", "derivative="));
    ck_assert(offered("plot ", "derivative="));               /* no form yet */
    ck_assert(offered("plot hist ", "activations"));          /* its args */
    ck_assert(offered("plot ", "confusion"));                 /* form words */
    ck_assert(offered("data csv x.csv ", "target="));
    ck_assert(!offered("data csv x.csv ", "noise="));
    ck_assert(offered("callback lr_schedule ", "onecycle"));  /* two-word forms */
    ck_assert(offered("callback lr_schedule onecycle ", "max_lr="));
    ck_assert(!offered("callback lr_schedule onecycle ", "decay_rate="));
    ck_assert(offered("callback terminate_on_nan ", "off"));  /* "on|off" */
    ck_assert(offered("callback ", "earlystopping"));
    ck_assert(!offered("callback earlystopping verbose=", "2"));
    /* the caches of form words have room for every command's */
    int words = 0;
    const repl_cmd *const *t = repl_commands();
    for (int i = 0; t[i]; i++)
        for (const repl_form *f = t[i]->forms; f && !repl_form_end(f); f++)
            words++;
    ck_assert_int_lt(words, 64);
}
END_TEST

/* Typed access takes the default and the range from the declaration. */
START_TEST(test_opt_access)
{
    repl_args a;
    char msg[160];
    long v;
    int b;
    ck_assert_int_eq(repl_split("dense 3 use_bias=false", &a, msg, sizeof msg), 0);
    ck_assert_int_eq(repl_opt_bool(&sess, &a, "use_bias", &b), 1);
    ck_assert_int_eq(b, 0);
    ck_assert_int_eq(repl_opt_bool(&sess, &a, "trainable", &b), 0);
    ck_assert_int_eq(b, 1);                    /* the declared default: true */
    int before = sess.errors;
    /* a keyword the command does not declare is a bug, reported once */
    ck_assert_int_eq(repl_opt_int(&sess, &a, "epochs", &v), -1);
    ck_assert_int_eq(sess.errors, before + 1);
    repl_args_free(&a);
}
END_TEST

Suite *suite_commands(void);
Suite *suite_commands(void)
{
    Suite *s = suite_create("commands");
    TCase *tc = tcase_create("declarations");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_every_keyword_shows);
    tcase_add_test(tc, test_hidden_keyword);
    tcase_add_test(tc, test_form_completion);
    tcase_add_test(tc, test_opt_access);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_commands());
    srunner_run_all(sr, CK_NORMAL);
    int run = srunner_ntests_run(sr);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    printf("check_commands: %d passed, %d failed\n", run - failed, failed);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
