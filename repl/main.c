/* main.c - nnlab's entry: options, then a script, -c commands, standard
 * input, or the interactive prompt. */
#include <config.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "repl.h"
#include "kernel_main.h"

#define KERNEL_PACKAGES "libzmq3-dev libjansson-dev libssl-dev"

static void usage(FILE *f)
{
    fputs("usage: nnlab [--seed N] [--keep-going] [-c 'CMD; CMD'] "
          "[FILE.nnl]\n", f);
}

static void print_help(void)
{
    usage(stdout);
    fputs("\n"
          "A shell that teaches how neural networks train, with Keras's names.\n"
          "\n"
          "  FILE.nnl        run the commands of FILE, then exit (status 1 if\n"
          "                  a command failed)\n"
          "  -c 'CMD; CMD'   run these commands, separated by ';', then exit\n"
          "  --seed N        seed of the random generator (default 42)\n"
          "  --kernel FILE   serve Jupyter as its nnlab kernel, on the\n"
          "                  connection file Jupyter wrote\n"
          "  --notebook FILE.nnl [OUT.ipynb] [--execute]\n"
          "                  write the script (or lesson) as a Jupyter\n"
          "                  notebook: comment blocks as text, commands as\n"
          "                  code cells; --execute runs them and keeps every\n"
          "                  output and figure (give --seed before it)\n"
          "  --install-kernel [--user | --prefix=DIR] [--program=PATH]\n"
          "                  write the kernelspec Jupyter finds nnlab by\n"
          "                  (default /usr/local/share/jupyter/kernels/nnlab;\n"
          "                  --program: the nnlab it starts, default this one)\n"
          "  --keep-going    in a script, report every error and go on\n"
          "                  instead of stopping at the first\n"
          "  --version       print the version and exit\n"
          "  --help          print this help and exit\n"
          "\n"
          "Without FILE or -c, commands are read from the terminal (type help\n"
          "there), or as a script from standard input when it is not one.\n",
          stdout);
}

#ifndef HAVE_KERNEL
static int no_kernel(const char *opt)
{
    fprintf(stderr, "nnlab: %s: this nnlab was built without the Jupyter "
            "kernel; install " KERNEL_PACKAGES " (Debian), then run "
            "./configure and make again\n", opt);
    return 2;
}
#endif

static int bad_usage(const char *fmt, const char *arg)
{
    fputs("nnlab: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    usage(stderr);
    return 2;
}

/* Runs 'CMD; CMD': commands end at ';' or a newline outside quotes, and a
 * '#' starting a word comments out the rest of its line (as sh -c does).
 * Each command is named -c:N in messages. */
static int run_commands(repl_session *s, const char *text)
{
    size_t len = strlen(text);
    char *buf = malloc(len + 1);
    if (!buf) {
        fputs("nnlab: out of memory\n", stderr);
        return -1;
    }
    int bad = 0, n = 0;
    const char *p = text;
    s->src_file = "-c";
    while (*p && !s->quit) {
        char *o = buf, q = 0;
        for (; *p && (q || (*p != ';' && *p != '\n')); p++) {
            if (q == '"' && *p == '\\' && p[1]) {
                *o++ = *p++;
            } else if (q && *p == q) {
                q = 0;
            } else if (!q && (*p == '"' || *p == '\'')) {
                q = *p;
            } else if (!q && *p == '#' &&
                       (o == buf || o[-1] == ' ' || o[-1] == '\t')) {
                while (*p && *p != '\n')
                    p++;
                break;
            }
            *o++ = *p;
        }
        *o = 0;
        if (*p == ';' || *p == '\n')
            p++;
        s->src_line = ++n;
        if (repl_run_line(s, buf) < 0) {
            bad = 1;
            if (!s->keep_going)
                break;
        }
        if (repl_interrupted)
            break;
    }
    s->src_file = NULL;
    free(buf);
    return bad ? -1 : 0;
}

/* The README's command reference, from the command table (the single
 * source of truth): one Markdown table per topic.  tests/check_readme.sh
 * checks that README.md holds exactly this. */
/* Markdown text: '|' escaped, as a table cell needs. */
static void md(const char *t)
{
    for (; t && *t; t++)
        fputs(*t == '|' ? "\\|" : (char[2]){*t, 0}, stdout);
}

static void print_commands(void)
{
    const char *const *topics = repl_topic_names;
    const repl_cmd *const *t = repl_commands();
    for (int k = 0; topics[k]; k++) {
        int any = 0;
        for (int i = 0; t[i]; i++) {
            if (strcmp(t[i]->topic, topics[k]) != 0)
                continue;
            if (!any)
                printf("%s### %s\n\n| command | what it does |\n|---|---|\n",
                       k ? "\n" : "", topics[k]);
            any = 1;
            printf("| `");
            md(t[i]->usage);
            printf("` | %s |\n", t[i]->summary);
        }
    }
    for (int i = 0; t[i]; i++)
        if (nn_lookup(topics, t[i]->topic) < 0)
            printf("\n| `%s` | %s (topic %s) |\n", t[i]->usage, t[i]->summary,
                   t[i]->topic);
}

/* A bound as a person reads it: whole numbers in full (1048576). */
static void bound(double v)
{
    if (v == (double)(long long)v && v > -1e15 && v < 1e15)
        printf("%lld", (long long)v);
    else
        printf("%g", v);
}

/* What a keyword's value may be, in words. */
static void value_of(const repl_opt *o)
{
    const char *const *v = repl_opt_values(o);
    int nv = 0;
    while (v && v[nv])
        nv++;
    if (o->tuned) {
        fputs("values to try, comma-separated", stdout);
        if (nv && nv <= 6) {
            fputs(": ", stdout);
            for (int i = 0; i < nv; i++)
                printf("%s%s", i ? ", " : "", v[i]);
        }
        return;
    }
    switch (o->type) {
    case REPL_T_INT:
    case REPL_T_NUM: {
        double top = o->type == REPL_T_INT ? (double)LONG_MAX : DBL_MAX;
        if (o->max >= top && o->min <= -top) {
            fputs("any number", stdout);
        } else if (o->max >= top) {
            fputs(">= ", stdout);
            bound(o->min);
        } else {
            bound(o->min);
            fputs(" to ", stdout);
            bound(o->max);
        }
        if (o->type == REPL_T_INT)
            fputs(", whole", stdout);
        return;
    }
    case REPL_T_POS:
        fputs("> 0", stdout);
        return;
    case REPL_T_FRAC:
        fputs("between 0 and 1", stdout);
        return;
    case REPL_T_BOOL:
        fputs("true, false", stdout);
        return;
    case REPL_T_FILE:
        fputs("a file", stdout);
        return;
    case REPL_T_LAYER:
        fputs("a layer", stdout);
        return;
    default:
        break;
    }
    if (nv > 6)
        printf("%d names (Tab lists them)", nv);
    else
        for (int i = 0; i < nv; i++)
            printf("%s%s", i ? ", " : "", v[i]);
    if (nv && o->type == REPL_T_LIST)
        fputs(" (comma-separated)", stdout);
    else if (nv && o->type == REPL_T_TEXT)
        fputs(", ...", stdout);
    else if (!nv)
        md(o->shown ? o->shown : "text");
}

/* The default as declared, else the value the usage line shows when it
 * is a value (not a placeholder such as NAME or WxH). */
static const char *default_of(const repl_opt *o)
{
    if (o->def)
        return o->def;
    if (!o->shown || strpbrk(o->shown, "ABCDEFGHIJKLMNOPQRSTUVWXYZ|"))
        return "";
    return o->shown;
}

static void keyword_rows(const repl_cmd *c, const repl_form *f, const repl_opt *o)
{
    for (; o && o->name; o++) {
        printf("| `%s%s%s` | `%s` | ", c->name, f && f->word ? " " : "",
               f && f->word ? f->word : "", o->name);
        value_of(o);
        printf(" | %s | ", default_of(o));
        md(o->help);
        printf(" |\n");
    }
}

/* The README's keyword reference, from the declarations: every keyword
 * of every command (and form), with its values, default and help line.
 * tests/check_readme.sh checks that README.md holds exactly this. */
static void print_keywords(void)
{
    const repl_cmd *const *t = repl_commands();
    printf("| command | keyword | value | default | what it does |\n"
           "|---|---|---|---|---|\n");
    for (int i = 0; t[i]; i++) {
        keyword_rows(t[i], NULL, t[i]->opts);
        for (const repl_form *f = t[i]->forms; f && !repl_form_end(f); f++)
            keyword_rows(t[i], f, f->opts);
    }
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    long seed = 42;
    int keep_going = 0;
    const char *commands = NULL, *file = NULL, *kernel = NULL;
    int i;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        }
        if (arg[0] != '-' || strcmp(arg, "-") == 0)
            break;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            print_help();
            return 0;
        }
        if (strcmp(arg, "--commands") == 0) {
            print_commands();
            return 0;
        }
        if (strcmp(arg, "--keywords") == 0) {
            print_keywords();
            return 0;
        }
        if (strcmp(arg, "--version") == 0) {
            printf("nnlab %s\n", PACKAGE_VERSION);
            return 0;
        }
        if (strcmp(arg, "--notebook") == 0) {
#ifdef HAVE_KERNEL
            return repl_notebook_main(argc - i - 1, argv + i + 1,
                                      (uint64_t)seed);
#else
            return no_kernel("--notebook");
#endif
        }
        if (strcmp(arg, "--install-kernel") == 0) {
#ifdef HAVE_KERNEL
            return repl_kernel_install(argc - i - 1, argv + i + 1);
#else
            return no_kernel("--install-kernel");
#endif
        }
        if (strcmp(arg, "--keep-going") == 0) {
            keep_going = 1;
        } else if (strcmp(arg, "--seed") == 0 ||
                   strncmp(arg, "--seed=", 7) == 0) {
            const char *v = arg[6] == '=' ? arg + 7 : argv[++i];
            if (!v)
                return bad_usage("%s needs a number", "--seed");
            if (repl_parse_long(v, &seed) < 0 || seed < 0)
                return bad_usage("--seed must be a whole number >= 0 "
                                 "(got '%s')", v);
        } else if (strcmp(arg, "--kernel") == 0) {
            if (!argv[i + 1])
                return bad_usage("%s needs the connection file Jupyter "
                                 "writes", "--kernel");
            kernel = argv[++i];
        } else if (strcmp(arg, "-c") == 0) {
            if (!argv[i + 1])
                return bad_usage("%s needs commands: -c 'CMD; CMD'", "-c");
            commands = argv[++i];
        } else {
            return bad_usage("unknown option '%s'", arg);
        }
    }
    if (i < argc)
        file = argv[i++];
    if (i < argc)
        return bad_usage("one script at a time ('%s' is extra)", argv[i]);
    if (file && commands)
        return bad_usage("give -c or a script, not both (got '%s')", file);

    if (kernel && (file || commands))
        return bad_usage("--kernel runs alone (got '%s')", file ? file : "-c");
    if (kernel) {
#ifdef HAVE_KERNEL
        return repl_kernel_main(kernel, (uint64_t)seed);
#else
        return no_kernel("--kernel");
#endif
    }

    FILE *f = NULL;
    if (file && strcmp(file, "-") != 0) {
        f = fopen(file, "r");
        struct stat st;
        if (f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
            fclose(f);
            f = NULL;
            errno = EISDIR;
        }
        if (!f) {
            fprintf(stderr, "nnlab: cannot open '%s': %s\n", file,
                    strerror(errno));
            return 2;
        }
    }

    static repl_session s;
    repl_session_init(&s, (uint64_t)seed);
    s.keep_going = keep_going;
    repl_signals_init();
    /* The record starts with the seed, so it replays the same numbers. */
    {
        char line[40];
        snprintf(line, sizeof line, "seed %ld", seed);
        repl_log_add(&s, line);
    }

    int status = 0;
    if (commands) {
        status = run_commands(&s, commands) < 0 ? 1 : 0;
    } else if (f) {
        status = repl_run_file(&s, f, file) < 0 ? 1 : 0;
        fclose(f);
    } else if (file || !isatty(STDIN_FILENO)) {
        status = repl_run_file(&s, stdin, "-") < 0 ? 1 : 0;
    } else {
        setlocale(LC_CTYPE, "");     /* readline: multibyte input */
        s.interactive = isatty(STDOUT_FILENO);
        repl_interactive(&s);
    }
    repl_session_free(&s);
    if (fflush(stdout) != 0 && status == 0)
        status = 1;                   /* a full disk or a closed pipe */
    return status;
}
