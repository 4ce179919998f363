/* cmd_session.c - the session's own commands: help, seed, reset, run,
 * record, set, quit. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "repl.h"
#include "notebook_spawn.h"

/* ---- seed ---- */

static int cmd_seed(repl_session *s, const repl_args *a)
{
    long n;
    if (repl_parse_long(a->pos[0], &n) < 0 || n < 0)
        return repl_error(s, "seed", "N must be a whole number >= 0 "
                          "(got '%s')", a->pos[0]);
    s->seed = (uint64_t)n;
    nn_rng_seed(&s->rng, s->seed);
    return 0;
}

/* ---- reset ---- */

static int cmd_reset(repl_session *s, const repl_args *a)
{
    (void)a;
    repl_session_reset(s);
    printf("reset: data, model and history dropped (seed %llu and settings "
           "kept)\n", (unsigned long long)s->seed);
    return 0;
}

/* ---- run ---- */

#define RUN_DEPTH_MAX 16

static int run_depth;

static int cmd_run(repl_session *s, const repl_args *a)
{
    const char *path = a->pos[0];
    if (run_depth >= RUN_DEPTH_MAX)
        return repl_error(s, "run", "scripts nested %d deep; does %s run "
                          "itself?", RUN_DEPTH_MAX, path);
    FILE *f = fopen(path, "r");
    if (!f)
        return repl_error(s, "run", "cannot open '%s': %s", path,
                          strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return repl_error(s, "run", "'%s' is a directory, not a script",
                          path);
    }
    run_depth++;
    int r = repl_run_file(s, f, path);
    run_depth--;
    fclose(f);
    s->quit = 0;                 /* quit ends the script, not the session */
    return r;                    /* errors were reported with FILE:LINE */
}

/* ---- record ---- */

static int cmd_record(repl_session *s, const repl_args *a)
{
    const char *path = a->pos[0];
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return repl_error(s, "record", "'%s' is a directory; give a file "
                          "name", path);
    size_t pl = strlen(path);
    if (pl > 6 && !strcmp(path + pl - 6, ".ipynb"))
        return repl_notebook_record(s, path);
    char *tmp = malloc(pl + 5);
    if (!tmp)
        return repl_error(s, "record", "out of memory");
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmp", 5);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        int err = errno;
        free(tmp);
        return repl_error(s, "record", "cannot write '%s': %s", path,
                          strerror(err));
    }
    fprintf(f, "# nnlab session record: replay with  nnlab %s  or  "
            "run %s\n", path, path);
    for (int i = 0; i < s->nlog; i++)
        fprintf(f, "%s\n", s->log[i]);
    int err = 0;
    if (fflush(f) != 0 || ferror(f))
        err = errno ? errno : EIO;
    if (!err && fsync(fileno(f)) != 0)
        err = errno;
    if (fclose(f) != 0 && !err)
        err = errno;
    if (!err && rename(tmp, path) != 0)
        err = errno;
    if (err) {
        remove(tmp);
        free(tmp);
        return repl_error(s, "record", "cannot write '%s': %s", path,
                          strerror(err));
    }
    free(tmp);
    printf("recorded %d command%s to %s\n", s->nlog, s->nlog == 1 ? "" : "s",
           path);
    if (s->log_dropped)
        printf("note: the record keeps the first %d commands; %ld later ones "
               "are not in it\n", REPL_LOG_MAX, s->log_dropped);
    return 0;
}

/* ---- set ---- */


/* "512M", "4G", "1.5GiB", "100000": bytes, binary multiples. */
static int parse_bytes(const char *w, size_t *out)
{
    size_t n = strlen(w);
    char *num = malloc(n + 1);
    if (!num)
        return -1;
    memcpy(num, w, n + 1);
    char *p = num + n;
    if (p > num && (p[-1] == 'B' || p[-1] == 'b'))
        *--p = 0;
    int binary = p > num && p[-1] == 'i';     /* KiB, MiB, ... */
    if (binary)
        *--p = 0;
    double mult = 1;
    if (p > num) {
        switch (p[-1]) {
        case 'K': case 'k': mult = 1024.0; break;
        case 'M': case 'm': mult = 1048576.0; break;
        case 'G': case 'g': mult = 1073741824.0; break;
        case 'T': case 't': mult = 1099511627776.0; break;
        default: break;
        }
    }
    if (mult != 1)
        *--p = 0;
    double v;
    int r = (binary && mult == 1) ? -1 : repl_parse_double(num, &v);
    free(num);
    if (r < 0 || !(v >= 1))
        return -1;
    v = floor(v * mult);
    if (v >= (double)SIZE_MAX)
        return -1;
    *out = (size_t)v;
    return 0;
}

static void print_bytes(size_t b)
{
    static const char *const unit[] = {"", "K", "M", "G", "T"};
    int u = 0;
    double v = (double)b;
    while (u < 4 && v >= 1024 && fmod(v, 1024) == 0) {
        v /= 1024;
        u++;
    }
    printf("%.0f%s", v, unit[u]);
}

static int cmd_set(repl_session *s, const repl_args *a)
{
    /* validate everything, then change */
    size_t cap = nn_memcap();
    const char *mc = repl_arg_str(a, "memory_cap");
    if (mc && parse_bytes(mc, &cap) < 0)
        return repl_error(s, "set", "memory_cap must be a size in bytes, "
                          "like 512M or 4G (got '%s')", mc);
    long verbose;
    if (repl_opt_int_or(s, a, "verbose", s->verbose, &verbose) < 0)
        return -1;
    int term = nn_lookup(repl_terminal_values, s->plot_terminal);
    if (repl_opt_enum_or(s, a, "terminal", term, &term) < 0)
        return -1;
    int warn = !s->coach.off;
    if (repl_opt_bool_or(s, a, "warnings", warn, &warn) < 0)
        return -1;
    int w = s->plot_w, h = s->plot_h;
    const char *size = repl_arg_str(a, "size");
    if (size) {
        if (strcmp(size, "auto") == 0) {
            w = h = 0;
        } else {
            const char *x = strchr(size, 'x');
            char *wd = x ? malloc((size_t)(x - size) + 1) : NULL;
            long lw = 0, lh = 0;
            int ok = 0;
            if (wd) {
                memcpy(wd, size, (size_t)(x - size));
                wd[x - size] = 0;
                ok = repl_parse_long(wd, &lw) == 0 &&
                     repl_parse_long(x + 1, &lh) == 0 && lw >= 10 &&
                     lw <= 10000 && lh >= 10 && lh <= 10000;
                free(wd);
            }
            if (!ok)
                return repl_error(s, "set", "size must be WIDTHxHEIGHT, each "
                                  "from 10 to 10000, or auto (got '%s')",
                                  size);
            w = (int)lw;
            h = (int)lh;
        }
    }
    const char *plots = repl_arg_str(a, "plots");
    struct stat st;
    if (plots && strcmp(plots, "off") != 0) {
        if (strlen(plots) >= sizeof s->plots_dir - 24)
            return repl_error(s, "set", "plots= folder name is too long");
        if (stat(plots, &st) != 0 && mkdir(plots, 0755) != 0)
            return repl_error(s, "set", "cannot make the folder '%s': %s",
                              plots, strerror(errno));
        if (stat(plots, &st) != 0 || !S_ISDIR(st.st_mode) ||
            access(plots, W_OK) != 0)
            return repl_error(s, "set", "plots= needs a folder this session "
                              "may write in (got '%s')", plots);
    }
    if (a->nkv == 0) {
        printf("memory_cap = ");
        print_bytes(nn_memcap());
        printf("\nverbose    = %d\nterminal   = %s\nsize       = ",
               s->verbose, s->plot_terminal);
        if (s->plot_w)
            printf("%dx%d\n", s->plot_w, s->plot_h);
        else
            printf("auto\n");
        printf("warnings   = %s\n", s->coach.off ? "off" : "on");
        if (s->plots_dir[0])
            printf("plots      = %s (%d figure%s saved)\n", s->plots_dir,
                   s->plots_n, s->plots_n == 1 ? "" : "s");
        return 0;
    }
    if (plots && strcmp(plots, "off") == 0) {
        s->plots_dir[0] = 0;
    } else if (plots && strcmp(plots, s->plots_dir) != 0) {
        snprintf(s->plots_dir, sizeof s->plots_dir, "%s", plots);
        s->plots_n = 0;
    }
    nn_set_memcap(cap);
    s->verbose = (int)verbose;
    snprintf(s->plot_terminal, sizeof s->plot_terminal, "%s",
             repl_terminal_values[term]);
    s->plot_w = w;
    s->plot_h = h;
    s->coach.off = !warn;
    return 0;
}

/* ---- quit ---- */

static int cmd_quit(repl_session *s, const repl_args *a)
{
    (void)a;
    s->quit = 1;
    return 0;
}

/* ---- the table ---- */

static const repl_opt set_opts[] = {
    {.name = "memory_cap", .type = REPL_T_TEXT, .shown = "BYTES",
     .help = "the most memory a model and its data may take"},
    {.name = "verbose", .type = REPL_T_INT, .min = 0, .max = 2,
     .values = repl_verbose_values, .shown = "0|1|2",
     .help = "fit's default verbose"},
    {.name = "terminal", .type = REPL_T_ENUM, .values = repl_terminal_values,
     .shown = "auto|window|text|sixel",
     .help = "where plots go: auto, window, text or sixel"},
    {.name = "size", .type = REPL_T_TEXT, .shown = "WxH|auto",
     .help = "the size: WxH, characters for text or pixels for images"},
    {.name = "warnings", .type = REPL_T_BOOL, .shown = "on|off",
     .help = "the coach's warnings of classic mistakes (help warnings)"},
    {.name = "plots", .type = REPL_T_FILE, .shown = "DIR|off",
     .help = "also save every figure in DIR as figure-001.png, ... (for slides)"},
    REPL_END
};

const repl_cmd repl_cmds_session[] = {
    {.name = "help", .topic = "session", .run = repl_cmd_help,
     .args = "[COMMAND | WORD]",
     .summary = "list the commands, show one, or search the help",
     .help =
     "Without a word, lists every command by topic with a one-line\n"
     "summary.  With a command name, shows its usage and full help:\n"
     "what it does, an example, and the Keras or scikit-learn call it\n"
     "mirrors.  With any other word, lists the commands whose help\n"
     "mentions it (case does not matter).\n"
     "\n"
     "Example:\n"
     "  help fit\n"
     "  help momentum\n"
     "\n"
     "Python: help(keras.Model.fit)",
     .minpos = 0, .maxpos = 1, .pos_kind = REPL_POS_COMMAND, .pos_values = NULL},
    {.name = "seed", .topic = "session", .run = cmd_seed,
     .args = "N",
     .summary = "restart the random generator from seed N",
     .help =
     "Restarts the one random generator behind every random draw of\n"
     "the session (generated data, weight initialization, shuffling,\n"
     "splits) from seed N, a whole number >= 0.  The same commands\n"
     "after the same seed give the same numbers.  The session starts\n"
     "with seed 42, or the one given with nnlab --seed N.\n"
     "\n"
     "Example:\n"
     "  seed 7\n"
     "\n"
     "Keras: keras.utils.set_random_seed(7)",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {.name = "reset", .topic = "session", .run = cmd_reset,
     .summary = "drop the data, the model and its history",
     .help =
     "Drops the data, the model, its training history and the last\n"
     "learning-rate test, to start over.  The seed and the settings\n"
     "(set) are kept; the random generator goes on from where it is\n"
     "(type seed N to restart it too).\n"
     "\n"
     "Example:\n"
     "  reset\n"
     "\n"
     "Keras: keras.backend.clear_session()",
     .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {.name = "run", .topic = "session", .run = cmd_run,
     .args = "FILE",
     .summary = "run the commands of a script file",
     .help =
     "Runs the commands of FILE, one a line, in this session, as if\n"
     "typed.  The first error stops the script and names FILE and the\n"
     "line (unless nnlab was started with --keep-going).  A quit in\n"
     "the script ends the script, not the session.  Scripts may run\n"
     "other scripts.\n"
     "\n"
     "Example:\n"
     "  run lessons/xor.nnl\n"
     "\n"
     "Python: exec(open(\"xor.py\").read())",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_FILE, .pos_values = NULL},
    {.name = "record", .topic = "session", .run = cmd_record,
     .args = "FILE",
     .summary = "save the commands so far as a script",
     .help =
     "Writes every command of the session that succeeded so far, in\n"
     "order, to FILE: a script that rebuilds the same data, model and\n"
     "training (it starts with the session's seed).  help, run,\n"
     "record and quit are left out; the commands a run script ran are\n"
     "kept one by one.  FILE is replaced whole, never half written.\n"
     "\n"
     "record FILE.ipynb writes a Jupyter notebook instead: the record\n"
     "replayed in a fresh nnlab, one command a code cell, with every\n"
     "output and figure (as nnlab --notebook --execute makes them).\n"
     "\n"
     "Example:\n"
     "  record my_session.nnl\n"
     "  record my_session.ipynb\n"
     "then later:  nnlab my_session.nnl\n"
     "\n"
     "Python: IPython's %save my_session.py 1-20",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_FILE, .pos_values = NULL},
    {.name = "set", .topic = "session", .run = cmd_set,
     .opts = set_opts,
     .summary = "show or change the settings",
     .help =
     "Without keywords, shows the settings.  With them, changes them:\n"
     "  memory_cap=BYTES  the largest model or data set nnlab will\n"
     "                    allocate (K, M, G, T suffixes: 512M, 4G);\n"
     "                    a command that would pass it is refused\n"
     "  verbose=0|1|2     fit's default: 0 silent, 1 progress bar,\n"
     "                    2 one line per epoch (as Keras's verbose)\n"
     "  terminal=...      where plots go: auto (a window when there is\n"
     "                    a display, else text), window, text, sixel\n"
     "  size=WxH          plot size (pixels, or characters for text;\n"
     "                    images keep their own size when WxH is under\n"
     "                    200x150); auto follows the terminal\n"
     "  warnings=on|off   the coach's one-line warnings of classic\n"
     "                    mistakes (help warnings); on by default\n"
     "  plots=DIR|off     also save every figure of the session in DIR\n"
     "                    as figure-001.png, figure-002.png, ... while\n"
     "                    it is shown as usual (slides for a class)\n"
     "\n"
     "Example:\n"
     "  set memory_cap=512M verbose=2\n"
     "\n"
     "Keras: the verbose= argument of model.fit(); no equivalent for\n"
     "the memory cap.",
     .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {.name = "quit", .topic = "session", .run = cmd_quit,
     .summary = "leave nnlab (also exit, or Ctrl-D)",
     .help =
     "Leaves nnlab.  In a script run with run FILE, ends that script\n"
     "only.  Ctrl-D at the prompt does the same.\n"
     "\n"
     "Example:\n"
     "  quit\n"
     "\n"
     "Python: quit()",
     .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {.name = "exit", .topic = "session", .run = cmd_quit,
     .summary = "leave nnlab (same as quit)",
     .help =
     "Same as quit.\n"
     "\n"
     "Example:\n"
     "  exit\n"
     "\n"
     "Python: exit()",
     .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {NULL},
};
