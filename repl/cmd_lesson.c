/* cmd_lesson.c - `lesson`: the guided lessons (lessons/NAME.nnl).
 *
 * A lesson is a plain script (it runs as `nnlab lessons/xor.nnl` too)
 * whose comment blocks are the teacher's text.  Its first comment line is
 * its title; "# requires: ..." lines are directives for the test runner.
 * A step is a comment block and the commands that follow it, up to the
 * next comment block.  `lesson NAME` shows each block as prose, echoes
 * each command as `nnlab> command`, runs it through repl_run_line, and at
 * a terminal waits for Enter before the next step.  Elsewhere (a script,
 * a pipe, the test suite) it runs straight through.
 *
 * A lesson starts from an empty session with the generator restarted from
 * the session's seed, so the numbers it prints are the ones its text talks
 * about.  When it ends or stops (q, Ctrl-C, an error), the session keeps
 * what the lesson built, for the student to carry on by hand.  Reading
 * the file is lesson_file.c's. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lesson_file.h"
#include "repl.h"
#include "notebook_spawn.h"

/* The shipped lessons in the chapter's order: `lesson` lists these first
 * (then any other .nnl file found beside them), and completion offers
 * them. */
static const char *const lesson_order[] = {
    "perceptron", "xor", "backprop", "activations", "regression", "sine",
    "classification", "moons", "fashion_mnist", "functional", "callbacks",
    "lrfind", "hyperparameters", "savingkeras", NULL
};

/* ---- finding lessons ---- */

/* The folder of the shipped lessons (that of xor.nnl), into buf; NULL
 * when there is none (buf then names where it was looked for). */
static const char *lesson_dir(char *buf, size_t len)
{
    if (!repl_data_path("xor.nnl", buf, len)) {
        char *slash = strrchr(buf, '/');
        if (slash)
            *slash = 0;
        return NULL;
    }
    char *slash = strrchr(buf, '/');
    if (slash)
        *slash = 0;
    else
        snprintf(buf, len, ".");
    return buf;
}

typedef struct name_list {
    char **v;
    int n, cap;
} name_list;

static void names_free(name_list *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int names_add(name_list *l, const char *name, size_t len)
{
    if (l->n + 1 >= l->cap) {
        int c = l->cap ? 2 * l->cap : 32;
        char **v = realloc(l->v, (size_t)c * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = c;
    }
    char *s = malloc(len + 1);
    if (!s)
        return -1;
    memcpy(s, name, len);
    s[len] = 0;
    l->v[l->n++] = s;
    l->v[l->n] = NULL;
    return 0;
}

static int order_of(const char *name)
{
    int k = nn_lookup(lesson_order, name);
    return k < 0 ? 1000 : k;
}

static int cmp_lessons(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int ox = order_of(x), oy = order_of(y);
    if (ox != oy)
        return ox < oy ? -1 : 1;
    return strcmp(x, y);
}

/* The names of the .nnl files in dir, in the chapter's order.  0 or -1. */
static int list_names(const char *dir, name_list *out)
{
    memset(out, 0, sizeof *out);
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    int r = 0;
    while (r == 0 && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n <= 4 || strcmp(e->d_name + n - 4, ".nnl") != 0 ||
            e->d_name[0] == '.')
            continue;
        r = names_add(out, e->d_name, n - 4);
    }
    closedir(d);
    if (r < 0) {
        names_free(out);
        return -1;
    }
    if (out->n > 1)
        qsort(out->v, (size_t)out->n, sizeof *out->v, cmp_lessons);
    return 0;
}

static int valid_name(const char *name)
{
    if (!*name)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return 0;
    return 1;
}

/* ---- `lesson` without a name: the list ---- */

static int list_lessons(repl_session *s)
{
    char dir[4096];
    if (!lesson_dir(dir, sizeof dir))
        return repl_error(s, "lesson", "no lessons found (looked for "
                          "xor.nnl in %s); set NNLAB_DATA=DIR to the folder "
                          "that holds them", dir);
    name_list names;
    if (list_names(dir, &names) < 0)
        return repl_error(s, "lesson", "cannot read the lessons folder %s: "
                          "%s", dir, strerror(errno));
    int w = 0;
    for (int i = 0; i < names.n; i++) {
        int l = (int)strlen(names.v[i]);
        if (l > w)
            w = l;
    }
    printf("Lessons (lesson NAME runs one, step by step):\n\n");
    for (int i = 0; i < names.n; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.nnl", dir, names.v[i]);
        const char *need;
        char *title = lesson_title(path, names.v[i], &need);
        printf("  %-*s  %s%s%s%s\n", w, names.v[i], title ? title : "",
               need ? " (" : "", need ? need : "", need ? ")" : "");
        free(title);
    }
    if (names.n == 0)
        printf("  (none in %s)\n", dir);
    printf("\nlesson NAME step=N starts at step N (the steps before it run "
           "quietly).\n");
    if (repl_out_is_tty())
        printf("The files are in %s: copy one to make your own, and run it "
               "with lesson FILE.nnl.\n", dir);
    names_free(&names);
    return 0;
}

/* ---- the terminal ---- */

/* Reads one line from the terminal into buf (without the newline), with
 * Ctrl-C seen at once (select is not restarted after a signal, as a plain
 * getline would be).  0, or -1 on Ctrl-C, end of input or an error. */
static int read_answer(char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    fflush(stdout);
    for (;;) {
        if (repl_interrupted)
            return -1;
        fd_set set;
        FD_ZERO(&set);
        FD_SET(STDIN_FILENO, &set);
        if (select(STDIN_FILENO + 1, &set, NULL, NULL, NULL) < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        char c;
        ssize_t r = read(STDIN_FILENO, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            putchar('\n');          /* Ctrl-D: the cursor is after the prompt */
            return -1;
        }
        if (c == '\n')
            break;
        if (n + 1 < len)
            buf[n++] = c;
    }
    buf[n] = 0;
    return 0;
}

/* "[Enter] next, q quit": 1 to go on, 0 to stop. */
static int wait_next(void)
{
    char ans[64];
    printf("[Enter] next, q quit ");
    if (read_answer(ans, sizeof ans) < 0)
        return 0;
    const char *p = ans;
    while (*p == ' ' || *p == '\t')
        p++;
    return !(*p == 'q' || *p == 'Q');
}

/* ---- running a lesson ---- */

static int lesson_depth;

/* The command word of a line (for skipping plots while fast-forwarding). */
static int starts_with_word(const char *line, const char *word)
{
    while (*line == ' ' || *line == '\t')
        line++;
    size_t n = strlen(word);
    return strncmp(line, word, n) == 0 &&
           (line[n] == 0 || line[n] == ' ' || line[n] == '\t');
}

/* Runs the commands of step k; quiet: output to /dev/null, plots left
 * out.  Returns 0, or -1 after an error (reported with the lesson's
 * FILE:LINE) when not keep_going; *bad is set when any error happened. */
static int run_step(repl_session *s, const lesson *l, int k, int quiet,
                    int *bad)
{
    int from = l->step_start[k], to = l->step_start[k + 1];
    int saved = -1;
    if (quiet) {
        fflush(stdout);
        saved = dup(STDOUT_FILENO);
        int nul = open("/dev/null", O_WRONLY);
        if (saved >= 0 && nul >= 0)
            dup2(nul, STDOUT_FILENO);
        if (nul >= 0)
            close(nul);
    }
    int r = 0;
    for (int i = from; i < to; i++) {
        const lesson_line *ln = &l->lines[i];
        if (ln->comment)
            continue;
        if (quiet && starts_with_word(ln->text, "plot"))
            continue;
        if (!quiet) {
            printf("nnlab> %s\n", ln->text);
            fflush(stdout);
        }
        s->src_line = ln->lineno;
        int rr = repl_run_line(s, ln->text);
        fflush(stdout);
        if (rr < 0) {
            *bad = 1;
            if (!s->keep_going) {
                r = -1;
                break;
            }
        }
        if (repl_interrupted || s->quit)
            break;
    }
    if (saved >= 0) {
        fflush(stdout);
        dup2(saved, STDOUT_FILENO);
        close(saved);
    }
    return r;
}

/* The error for a lesson name that is not shipped: the nearest name and
 * the list.  Returns -1. */
static int no_such_lesson(repl_session *s, const char *arg)
{
    char dir[4096];
    name_list names = {0};
    if (lesson_dir(dir, sizeof dir))
        list_names(dir, &names);
    const char *hint = names.v ? repl_suggest(arg,
                           (const char *const *)names.v) : "";
    char all[1024] = "";
    size_t used = 0;
    for (int i = 0; i < names.n && used + 1 < sizeof all; i++)
        used += (size_t)snprintf(all + used, sizeof all - used,
                                 "%s%s", i ? ", " : "", names.v[i]);
    int r = repl_error(s, "lesson", "no lesson '%s'%s%s%s; %s%s",
                       arg, *hint ? " (" : "", hint,
                       *hint ? ")" : "",
                       names.n ? "lessons: " : "no lessons found",
                       all);
    names_free(&names);
    return r;
}

/* Where lesson ARG is: a file (a word with '/' or ending in .nnl) or a
 * shipped lesson by name.  Fills path[4096] and name[256] (the lesson's
 * name, without .nnl).  0, or -1 after the error. */
static int find_lesson(repl_session *s, const char *arg, char *path,
                       char *name, int *is_file)
{
    size_t al = strlen(arg);
    *is_file = strchr(arg, '/') != NULL ||
               (al > 4 && strcmp(arg + al - 4, ".nnl") == 0);
    if (*is_file) {
        struct stat st;
        if (stat(arg, &st) != 0)
            return repl_error(s, "lesson", "cannot open '%s': %s", arg,
                              strerror(errno));
        if (S_ISDIR(st.st_mode))
            return repl_error(s, "lesson", "'%s' is a directory, not a "
                              "lesson", arg);
        snprintf(path, 4096, "%s", arg);
        const char *base = strrchr(arg, '/');
        base = base ? base + 1 : arg;
        snprintf(name, 256, "%s", base);
        size_t nl = strlen(name);
        if (nl > 4 && strcmp(name + nl - 4, ".nnl") == 0)
            name[nl - 4] = 0;
        return 0;
    }
    char rel[300];
    snprintf(rel, sizeof rel, "%s.nnl", arg);
    if (!valid_name(arg) || al > 200 || !repl_data_path(rel, path, 4096))
        return no_such_lesson(s, arg);
    snprintf(name, 256, "%s", arg);
    return 0;
}

/* At a terminal, before a lesson drops the session's data and model:
 * 1 when the person says y. */
static int confirm_start(const char *name)
{
    printf("lesson %s starts from an empty session: your data and "
           "model will be dropped.\nGo on? [y/N] ", name);
    char ans[64];
    const char *p = ans;
    if (read_answer(ans, sizeof ans) == 0)
        while (*p == ' ' || *p == '\t')
            p++;
    if (repl_interrupted || (*p != 'y' && *p != 'Y')) {
        printf("lesson %s not started; your session is as it was.\n", name);
        return 0;
    }
    return 1;
}

/* Runs the steps of l from step first (0-based; the ones before it run
 * quietly), waiting for Enter between steps when wait.  Returns 0 or -1
 * (an error that stops the lesson); *k is the step it ended in (0-based),
 * *asked_stop is set when the person typed q, *bad when any error
 * happened. */
static int run_steps(repl_session *s, const lesson *l, int first, int wait,
                     int *k, int *asked_stop, int *bad)
{
    int r = 0;
    *k = 0;
    *asked_stop = 0;
    if (first > 0) {
        if (first == 1)
            printf("(step 1 runs quietly first, to build what step 2 "
                   "needs)\n");
        else
            printf("(steps 1-%d run quietly first, to build what step %d "
                   "needs)\n", first, first + 1);
        for (*k = 0; *k < first; (*k)++) {
            r = run_step(s, l, *k, 1, bad);
            if (r != 0 || repl_interrupted || s->quit)
                break;
        }
    }
    if (r != 0 || repl_interrupted || s->quit)
        return r;
    for (*k = first; *k < l->nsteps; (*k)++) {
        int from = l->step_start[*k], to = l->step_start[*k + 1];
        printf("\n-- step %d of %d --\n", *k + 1, l->nsteps);
        lesson_print_prose(l, from, to);
        int has_cmd = 0;
        for (int i = from; i < to; i++)
            has_cmd |= !l->lines[i].comment;
        if (has_cmd) {
            if (l->lines[from].comment)
                putchar('\n');
            r = run_step(s, l, *k, 0, bad);
        }
        if (r != 0 || repl_interrupted || s->quit)
            break;
        if (wait && *k + 1 < l->nsteps && !wait_next()) {
            *asked_stop = 1;
            break;
        }
    }
    return r;
}

/* The lesson's last line: how it ended (at: the step, from 1) and how to
 * go on.  Returns r, or -1 for a Ctrl-C in a script. */
static int say_end(repl_session *s, const char *name, int nsteps, int r,
                   int at, int asked_stop, int quit, int wait)
{
    if (r != 0) {
        printf("lesson %s stopped in step %d of %d by the error above; the "
               "session keeps what was built.\n", name, at, nsteps);
    } else if (asked_stop) {
        printf("lesson %s stopped after step %d of %d; the data and the "
               "model stay: carry on by hand.\nTo go on later: lesson %s "
               "step=%d\n", name, at, nsteps, name, at + 1);
        repl_interrupted = 0;
    } else if (repl_interrupted && !wait) {
        r = repl_error(s, "lesson", "interrupted (Ctrl-C) in step %d of %d "
                       "of lesson %s", at, nsteps, name);
    } else if (repl_interrupted) {
        printf("lesson %s stopped by Ctrl-C in step %d of %d; the data and "
               "the model stay: carry on by hand.\nTo run that step again "
               "later: lesson %s step=%d\n", name, at, nsteps, name, at);
        repl_interrupted = 0;
    } else if (quit) {
        printf("lesson %s ended by quit in step %d of %d.\n", name, at,
               nsteps);
    } else {
        printf("\nEnd of lesson %s.  The data and the model stay: carry on "
               "by hand (help lists the commands).\n", name);
    }
    return r;
}

static int cmd_lesson(repl_session *s, const repl_args *a)
{
    if (a->npos == 0) {
        if (repl_arg_str(a, "step"))
            return repl_error(s, "lesson", "step= needs a lesson: lesson "
                              "NAME step=N (type lesson for the list)");
        return list_lessons(s);
    }
    if (lesson_depth > 0)
        return repl_error(s, "lesson", "a lesson cannot start another "
                          "lesson; use run FILE inside a lesson");
    const char *step_word = repl_arg_str(a, "step");
    const char *arg = a->pos[0];
    char path[4096], name[256];
    int is_file;
    if (find_lesson(s, arg, path, name, &is_file) != 0)
        return -1;
    const char *nb = repl_arg_str(a, "notebook");
    if (nb) {
        size_t nl = strlen(nb);
        if (nl < 7 || strcmp(nb + nl - 6, ".ipynb") != 0)
            return repl_error(s, "lesson", "notebook= takes a file name ending "
                              "in .ipynb, like notebook=%s.ipynb (got '%s')",
                              name, nb);
        if (step_word)
            return repl_error(s, "lesson", "notebook= writes the whole lesson; "
                              "give it without step=");
        return repl_notebook_run(s, "lesson", path, nb);
    }

    lesson l;
    if (lesson_read(&l, path, name) < 0)
        return repl_error(s, "lesson", "cannot read '%s': %s", path,
                          strerror(errno));
    if (l.nsteps == 0) {
        lesson_free(&l);
        return repl_error(s, "lesson", "'%s' holds no steps (no commands "
                          "and no text)", arg);
    }
    long step1 = 1;
    if (step_word && (repl_parse_long(step_word, &step1) < 0 || step1 < 1 ||
                      step1 > l.nsteps)) {
        int n = l.nsteps;
        lesson_free(&l);
        return repl_error(s, "lesson", "step must be a number from 1 to %d "
                          "for lesson %s (got '%s')", n, name, step_word);
    }

    int wait = s->interactive && s->src_file == NULL &&
               isatty(STDIN_FILENO) && repl_out_is_tty();

    /* a fresh start, so the numbers are those the text speaks of */
    if (wait && (s->have_data || s->model) && !confirm_start(name)) {
        lesson_free(&l);
        return 0;
    }
    repl_session_reset(s);
    nn_rng_seed(&s->rng, s->seed);
    {
        char line[48];
        repl_log_add(s, "reset");
        snprintf(line, sizeof line, "seed %llu", (unsigned long long)s->seed);
        repl_log_add(s, line);
    }

    char shown[300];
    snprintf(shown, sizeof shown, "%s.nnl", name);
    const char *old_file = s->src_file;
    int old_line = s->src_line;
    s->src_file = is_file ? arg : shown;
    lesson_depth++;

    printf("Lesson %s (%d step%s%s)%s%s\n", name, l.nsteps,
           l.nsteps == 1 ? "" : "s", wait ? "; Enter goes on, q stops" : "",
           *l.title ? ": " : "", l.title);
    int bad = 0, k, asked_stop;      /* asked_stop: q (or Ctrl-C) at "[Enter] next" */
    int r = run_steps(s, &l, (int)step1 - 1, wait, &k, &asked_stop, &bad);
    int quit = s->quit;

    s->src_file = old_file;
    s->src_line = old_line;
    lesson_depth--;
    s->quit = 0;                     /* quit ends the lesson, not nnlab */
    r = say_end(s, name, l.nsteps, r, k + 1, asked_stop, quit, wait);
    lesson_free(&l);
    if (r == 0 && bad)
        r = -1;                      /* keep_going: errors were reported */
    return r;
}

static const repl_opt lesson_opts[] = {
    {.name = "step", .type = REPL_T_TEXT, .shown = "N",
     .help = "start at this step of the lesson"},
    {.name = "notebook", .type = REPL_T_FILE, .shown = "OUT.ipynb",
     .help = "write the lesson as an executed Jupyter notebook (a handout)"},
    REPL_END
};

const repl_cmd repl_cmds_lesson[] = {
    {.name = "lesson", .topic = "session", .run = cmd_lesson,
     .args = "[NAME|FILE.nnl]",
     .opts = lesson_opts,
     .summary = "list the guided lessons, or follow one step by step",
     .help =
     "Without NAME, lists the lessons shipped with nnlab, in the\n"
     "chapter's order, with their titles.  lesson NAME runs one: each\n"
     "step shows the teacher's text, then each command as\n"
     "nnlab> command, and runs it in your session.  At a terminal it\n"
     "waits for Enter before the next step; q (or Ctrl-C) stops the\n"
     "lesson and keeps what it built, so you can carry on by hand.\n"
     "In a script or a pipe it runs straight through.\n"
     "\n"
     "A lesson starts from an empty session (as reset) with the random\n"
     "generator restarted from the session's seed (as seed N), so it\n"
     "shows the numbers its text talks about (with the default seed\n"
     "42).  step=N starts at step N: the steps before it run quietly\n"
     "first, to build the data and the model step N needs.  An error\n"
     "stops the lesson with the lesson's file and line.\n"
     "\n"
     "A lesson is a plain script (nnlab lessons/xor.nnl runs it too):\n"
     "its first comment line is the title, each comment block is the\n"
     "text of a step, and the commands after it are the step's.  Give\n"
     "a file (lesson my_lesson.nnl) to follow your own.\n"
     "\n"
     "notebook=OUT.ipynb writes the lesson as a Jupyter notebook\n"
     "instead (text cells, code cells with every output and figure, as\n"
     "nnlab --notebook --execute makes it), and leaves this session\n"
     "as it is: a handout in one command.\n"
     "\n"
     "Example:\n"
     "  lesson\n"
     "  lesson perceptron\n"
     "  lesson callbacks step=3\n"
     "  lesson xor notebook=xor.ipynb\n"
     "\n"
     "Python: the chapter's notebook cells, run one at a time\n"
     "(Shift-Enter in Jupyter).",
     .minpos = 0, .maxpos = 1, .pos_kind = REPL_POS_WORDS, .pos_values = lesson_order},
    {NULL},
};
