/* soak.c - a long session in one process: 10,000 commands from a seeded
 * generator, valid and invalid mixed, run through repl_run_line as a
 * script would run them.
 *
 * Checked, as the reliability issue asks:
 *   - no crash (a sanitizer build turns any memory error into one);
 *   - every error is one line: after each command, what it wrote on
 *     stderr is read back; each line must start "FILE:LINE: error: ", a
 *     failed command must have written exactly one such line naming its
 *     own line ("soak:N: error: "; `run` may add the lines of its script),
 *     and a command that succeeded none (`run` and `lesson`: at least one
 *     line when they fail, naming their script);
 *   - bad input never changes state: a command that fails leaves the
 *     session as it found it (data, model and its weights, history,
 *     settings, the random generator, the record), by a hash taken before
 *     and after (`run` and `lesson` are left out: the lines before an
 *     error stay run; fit, step and lrfind may keep the batches trained
 *     before the one that failed: their weights and history);
 *   - memory does not grow: after a warm-up, at every checkpoint the
 *     session is freed and a new one started in the same process, and the
 *     heap in use and the resident set size are measured; at the end
 *     neither may have grown by 5% or more since the warm-up (what a freed
 *     session leaves allocated is a leak, or a cache that must stay
 *     bounded).  Under AddressSanitizer the heap is its count of live
 *     bytes and the RSS (which holds its quarantine) is not checked.
 *
 *   soak [SEED [COMMANDS]]      defaults 1 and 10000 (1000 under valgrind)
 *
 * Environment: NNLAB_SRCDIR (the source tree, for tests/data), SOAK_LOG=FILE
 * to write every generated command there (to replay: nnlab --keep-going
 * FILE).  Ends with "soak: 1 passed, 0 failed" or the reason it failed. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "repl.h"

#if defined(__SANITIZE_ADDRESS__)
#define SOAK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SOAK_ASAN 1
#endif
#endif
#ifdef SOAK_ASAN
/* <sanitizer/allocator_interface.h>, which gcc does not install */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

#define WARMUP_FRACTION 10     /* the first tenth warms up */
#define CHECKPOINTS 10

/* ---- the generator: xorshift64*, seeded ---- */

static uint64_t rs;

static uint32_t rnd(void)
{
    rs ^= rs >> 12;
    rs ^= rs << 25;
    rs ^= rs >> 27;
    return (uint32_t)((rs * 0x2545F4914F6CDD1DULL) >> 32);
}

static int rn(int n)
{
    return (int)(rnd() % (uint32_t)n);
}

static const char *pick(const char *const *t)
{
    int n = 0;
    while (t[n])
        n++;
    return t[rn(n)];
}

static char srcdir[1024];

static const char *const gen_sets[] = {
    "xor", "circles", "moons", "spiral", "gauss", "plane", "sine", "outliers",
    NULL
};
static const char *const acts[] = {
    "relu", "sigmoid", "tanh", "softmax", "linear", "elu", "selu",
    "leaky_relu", "gelu", "softplus", NULL
};
static const char *const inits[] = {
    "glorot_uniform", "he_normal", "lecun_normal", "zeros", "ones",
    "random_normal", NULL
};
static const char *const losses[] = {
    "mse", "mae", "huber", "binary_crossentropy", "categorical_crossentropy",
    "sparse_categorical_crossentropy", NULL
};
static const char *const opts[] = {
    "sgd", "rmsprop", "adam", "adagrad", "nadam", NULL
};
static const char *const layers[] = {
    "dense", "dense_1", "dense_2", "input_layer", "h", "out", "flatten", NULL
};
static const char *const helps[] = {
    "fit", "dense", "plot", "relu", "loss", "callback", "zzz", NULL
};
static const char *const bad_numbers[] = {
    "nan", "inf", "-inf", "-1", "0", "1e99", "99999999999999999999", "abc",
    "1.5.2", "0x10", "", "1e-400", "-0", NULL
};
static const char *const bad_words[] = {
    "fti", "dnese", "compil", "evalute", "xyzzy", "show", "data", "help",
    NULL
};

/* A valid-looking command into buf (it may still fail: no data, no model). */
static void gen_valid(char *b, size_t n)
{
    switch (rn(42)) {
    case 0:
        snprintf(b, n, "data %s n=%d noise=%.2f", pick(gen_sets), 10 + rn(190),
                 rn(50) / 100.0);
        break;
    case 1:
        snprintf(b, n, rn(2) ? "data iris" : "data xor n=%d test_split=0.%d",
                 20 + rn(100), 1 + rn(5));
        break;
    case 2:
        snprintf(b, n, "data csv %s/tests/data/%s", srcdir,
                 rn(2) ? "flowers.csv target=kind" : "houses.csv target=price");
        break;
    case 3:
        snprintf(b, n, "split test_size=0.%d stratify=%s", 1 + rn(5),
                 rn(2) ? "true" : "false");
        break;
    case 4:
        snprintf(b, n, "scale %s", rn(2) ? "standard" : "minmax");
        break;
    case 5:
        snprintf(b, n, "show data");
        break;
    case 6:
        snprintf(b, n, rn(4) ? "model" : "model api=functional");
        break;
    case 7:
        snprintf(b, n, "input %s", rn(5) ? (rn(2) ? "2" : "1") : rn(2) ? "4" : "2x2");
        break;
    case 8:
    case 9:
    case 10:
        snprintf(b, n, "dense %d activation=%s kernel_initializer=%s", 1 + rn(12),
                 pick(acts), pick(inits));
        break;
    case 11:
        snprintf(b, n, "activation %s", pick(acts));
        break;
    case 12:
        snprintf(b, n, rn(2) ? "flatten" : "pop");
        break;
    case 13:
        snprintf(b, n, "%s %s", rn(2) ? "freeze" : "unfreeze", pick(layers));
        break;
    case 14:
        snprintf(b, n, "summary");
        break;
    case 15:
    case 16:
        snprintf(b, n, "compile loss=%s optimizer=%s learning_rate=0.0%d%s",
                 pick(losses), pick(opts), 1 + rn(9),
                 rn(2) ? " metrics=accuracy" : "");
        break;
    case 17:
    case 18:
        snprintf(b, n, "fit epochs=%d batch_size=%d verbose=%d%s", 1 + rn(2),
                 1 << (2 + rn(5)), rn(3),
                 rn(3) ? "" : " validation_split=0.2");
        break;
    case 19:
        snprintf(b, n, "step %d batch_size=%d", 1 + rn(4), 1 << (2 + rn(4)));
        break;
    case 20:
        snprintf(b, n, "evaluate %s", rn(2) ? "train" : "test");
        break;
    case 21:
        snprintf(b, n, rn(2) ? "predict %d.5,-%d" : "predict train 0:%d", rn(3),
                 1 + rn(4));
        break;
    case 22:
        snprintf(b, n, rn(2) ? "history" : "history format=csv");
        break;
    case 23:
        snprintf(b, n, "expect loss max=%d", 1 + rn(1000));
        break;
    case 24:
        snprintf(b, n, rn(3) ? "perceptron max_iter=%d" : "perceptron predict 1,%d",
                 1 + rn(30));
        break;
    case 25:
        snprintf(b, n, "weights %s", pick(layers));
        break;
    case 26:
        snprintf(b, n, rn(2) ? "grads" : "activations %s n=%d", pick(layers),
                 1 + rn(50));
        break;
    case 27:
        snprintf(b, n, "gradcheck n=%d", 1 + rn(3));
        break;
    case 28:
        snprintf(b, n, "seed %d", rn(1000));
        break;
    case 29:
        snprintf(b, n, "set verbose=%d%s", rn(3), rn(4) ? "" : " memory_cap=64M");
        break;
    case 30:
        snprintf(b, n, "help %s", pick(helps));
        break;
    case 31:
        snprintf(b, n, rn(20) ? "show data" : "reset");
        break;
    case 32:
        snprintf(b, n, rn(10) ? "summary" : "record soak-record.nnl");
        break;
    case 33:
        snprintf(b, n, "plot %s terminal=text size=40x12",
                 rn(2) ? "history" : rn(2) ? "boundary" : "activation relu");
        break;
    case 34:
        snprintf(b, n, rn(2) ? "callback earlystopping patience=%d monitor=loss"
                             : "callback remove all", rn(3));
        break;
    case 35:
        snprintf(b, n, rn(2) ? "callbacks" : "callback reduce_lr_on_plateau "
                 "monitor=loss patience=%d", 1 + rn(2));
        break;
    case 36:
        snprintf(b, n, "lrfind steps=%d", 10 + rn(20));
        break;
    case 37:
        snprintf(b, n, rn(2) ? "save soak-model.nnlab" : "load soak-model.nnlab");
        break;
    case 38:
        snprintf(b, n, rn(3) ? "keras" : rn(2) ? "export keras soak-export"
                                         : "weights dense save=soak-w.npy");
        break;
    case 39:
        snprintf(b, n, rn(8) ? "load soak-model.nnlab layers=1" : "lesson xor");
        break;
    case 40:
        snprintf(b, n, rn(2) ? "search grid learning_rate=0.01,0.1 cv=2 "
                 "epochs=1 verbose=0" : "search random dense.units=2:%d "
                 "n_iter=2 cv=2 epochs=1 verbose=0 refit=false", 2 + rn(6));
        break;
    default:
        snprintf(b, n, "dense %d name=%s", 1 + rn(4), pick(layers));
        break;
    }
}

/* Whole working sessions, so that the random commands find models to
 * train, inspect and break: one is queued now and then and its lines come
 * out one by one (each may still be spoilt, less often). */
static const char *const scenarios[][9] = {
    {"data xor n=%N", "input", "dense 8 activation=relu",
     "dense 1 activation=sigmoid",
     "compile loss=binary_crossentropy optimizer=%O metrics=accuracy",
     "fit epochs=2 verbose=0", "evaluate", NULL},
    {"data iris", "input", "dense 6 activation=tanh", "dense 3 activation=softmax",
     "compile loss=sparse_categorical_crossentropy optimizer=%O metrics=accuracy",
     "fit epochs=2 verbose=0 validation_split=0.2", "predict train 0:3", NULL},
    {"data sine n=%N", "input", "dense 8 activation=elu", "dense 1",
     "compile loss=mse optimizer=%O", "step 3", "fit epochs=1 verbose=0", NULL},
    {"data moons n=%N", "split test_size=0.3", "scale standard", "input",
     "dense 4 activation=relu name=h", "dense 2 activation=softmax name=out",
     "compile loss=sparse_categorical_crossentropy optimizer=%O",
     "fit epochs=1 verbose=0 validation_data=test", NULL},
    {"data xor n=%N", "model api=functional", "input 2 name=a",
     "dense 4 input=a name=h", "concat a,h name=c",
     "dense 1 input=c activation=sigmoid name=out",
     "compile loss=binary_crossentropy optimizer=%O", "fit epochs=1 verbose=0",
     NULL},
};
static char queue[9][128];
static int nqueue, qat;

/* Queues a scenario with its %N and %O filled in. */
static void queue_scenario(void)
{
    int k = rn((int)(sizeof scenarios / sizeof scenarios[0]));
    char n[16];
    snprintf(n, sizeof n, "%d", 20 + rn(180));
    const char *o = pick(opts);
    nqueue = qat = 0;
    for (int i = 0; scenarios[k][i]; i++) {
        char *q = queue[nqueue++];
        const char *p = scenarios[k][i];
        size_t at = 0;
        while (*p && at + 16 < sizeof queue[0]) {
            if (p[0] == '%' && (p[1] == 'N' || p[1] == 'O')) {
                const char *v = p[1] == 'N' ? n : o;
                at += (size_t)snprintf(q + at, sizeof queue[0] - at, "%s", v);
                p += 2;
            } else {
                q[at++] = *p++;
            }
        }
        q[at] = 0;
    }
}

/* The next command: from the queued scenario, or a random one. */
static int next_command(char *b, size_t n)
{
    if (qat == nqueue && rn(12) == 0)
        queue_scenario();
    if (qat < nqueue) {
        snprintf(b, n, "%s", queue[qat++]);
        return 1;
    }
    gen_valid(b, n);
    return 0;
}

/* Spoils a command: a typo, a bad number, junk bytes, a cut, extra words. */
static void spoil(char *b, size_t n)
{
    size_t len = strlen(b);
    char tmp[1024];
    switch (rn(9)) {
    case 0: {                       /* the command word misspelt */
        const char *sp = strchr(b, ' ');
        snprintf(tmp, sizeof tmp, "%s%s", pick(bad_words), sp ? sp : "");
        snprintf(b, n, "%s", tmp);
        break;
    }
    case 1: {                       /* a number made bad */
        char *d = strpbrk(b, "0123456789");
        if (d) {
            size_t k = strspn(d, "0123456789.");
            snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)(d - b), b,
                     pick(bad_numbers), d + k);
            snprintf(b, n, "%s", tmp);
        } else {
            snprintf(b + len, n - len, " %s", pick(bad_numbers));
        }
        break;
    }
    case 2:                         /* an unknown keyword */
        snprintf(b + len, n - len, " bogus=%d", rn(9));
        break;
    case 3:                         /* extra positional words */
        snprintf(b + len, n - len, " extra %d", rn(9));
        break;
    case 4:                         /* cut short */
        b[rn((int)len + 1)] = 0;
        break;
    case 5:                         /* junk bytes, never NUL or newline */
        for (int i = 0, k = 1 + rn(4); i < k && len; i++) {
            unsigned char c = (unsigned char)(1 + rn(255));
            b[rn((int)len)] = c == '\n' ? 0x1b : (char)c;
        }
        break;
    case 6:                         /* an unterminated quote */
        snprintf(b + len, n - len, " \"%s", rn(2) ? "x" : "");
        break;
    case 7: {                       /* a very long word */
        size_t k = 300 + (size_t)rn(400);
        if (len + k + 2 < n) {
            b[len++] = ' ';
            memset(b + len, 'a' + rn(26), k);
            b[len + k] = 0;
        }
        break;
    }
    default:                        /* a keyword given twice */
        if (strchr(b, '=')) {
            const char *eq = strchr(b, '=');
            const char *st = eq;
            while (st > b && st[-1] != ' ')
                st--;
            snprintf(b + len, n - len, " %.*s=1", (int)(eq - st), st);
        } else {
            snprintf(b + len, n - len, " x=1 x=2");
        }
        break;
    }
}

/* ---- measuring ---- */

static size_t heap_in_use(void)
{
#ifdef SOAK_ASAN
    return __sanitizer_get_current_allocated_bytes();
#else
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
#endif
}

static size_t rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, res = 0;
    if (f) {
        if (fscanf(f, "%lu %lu", &size, &res) != 2)
            res = 0;
        fclose(f);
    }
    return (size_t)res * (size_t)sysconf(_SC_PAGESIZE);
}

/* ---- what a failed command must leave as it was ----
 * A hash of the session: the data (sizes and every value), the model
 * (nodes, every parameter, compiled or not, optimizer steps), the history,
 * the perceptron, the settings, the generator's state, the record. */

typedef struct { uint64_t h; } fp_t;

static void fp_add(fp_t *f, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        f->h ^= b[i];
        f->h *= 0x100000001b3ULL;
    }
}

#define FP_VAL(f, v) do { __typeof__(v) v_ = (v); fp_add((f), &v_, sizeof v_); } while (0)

static void fp_dataset(fp_t *f, const nn_dataset *d)
{
    FP_VAL(f, d->n);
    FP_VAL(f, d->d);
    FP_VAL(f, d->ycols);
    FP_VAL(f, d->nclasses);
    if (d->n > 0 && d->x)
        fp_add(f, d->x, (size_t)d->n * (size_t)d->d * sizeof(float));
    if (d->n > 0 && d->y)
        fp_add(f, d->y, (size_t)d->n * (size_t)d->ycols * sizeof(float));
}

/* The parts of the session, hashed one by one (to say which changed). */
enum { P_DATA, P_MODEL, P_WEIGHTS, P_HISTORY, P_PERCEPTRON, P_SETTINGS,
       P_RNG, P_RECORD, P_COUNT };
static const char *const part_names[P_COUNT] = {
    "data", "model", "weights", "history", "perceptron", "settings",
    "random generator", "record"
};

static void fingerprint(const repl_session *s, uint64_t *h)
{
    fp_t f[P_COUNT];
    for (int i = 0; i < P_COUNT; i++)
        f[i].h = 0xcbf29ce484222325ULL;
    FP_VAL(&f[P_DATA], s->have_data);
    fp_dataset(&f[P_DATA], &s->train);
    fp_dataset(&f[P_DATA], &s->valid);
    fp_dataset(&f[P_DATA], &s->test);
    fp_add(&f[P_DATA], s->data_name, strlen(s->data_name));
    FP_VAL(&f[P_DATA], s->scaled);
    const nn_model *m = s->model;
    FP_VAL(&f[P_MODEL], m != NULL);
    if (m) {
        FP_VAL(&f[P_MODEL], m->n);
        FP_VAL(&f[P_MODEL], m->nout);
        FP_VAL(&f[P_MODEL], m->nparams);
        FP_VAL(&f[P_MODEL], m->compiled);
        FP_VAL(&f[P_WEIGHTS], m->steps);
        if (m->nparams && m->params)
            fp_add(&f[P_WEIGHTS], m->params, m->nparams * sizeof(float));
        for (int i = 0; i < m->n; i++) {
            const nn_node *nd = &m->nodes[i];
            FP_VAL(&f[P_MODEL], nd->kind);
            fp_add(&f[P_MODEL], nd->name, strlen(nd->name));
            FP_VAL(&f[P_MODEL], nd->size);
            FP_VAL(&f[P_MODEL], nd->dense.trainable);
        }
    }
    FP_VAL(&f[P_HISTORY], s->hist.nepochs);
    fp_add(&f[P_MODEL], s->loss_name, strlen(s->loss_name));
    FP_VAL(&f[P_PERCEPTRON], s->perc != NULL);
    if (s->perc && s->perc->w)
        fp_add(&f[P_PERCEPTRON], s->perc->w,
               (size_t)s->perc->nw * (size_t)s->perc->d * sizeof(float));
    FP_VAL(&f[P_SETTINGS], s->verbose);
    fp_add(&f[P_SETTINGS], s->plot_terminal, strlen(s->plot_terminal));
    FP_VAL(&f[P_SETTINGS], s->plot_w);
    FP_VAL(&f[P_SETTINGS], s->plot_h);
    FP_VAL(&f[P_SETTINGS], nn_memcap());
    FP_VAL(&f[P_SETTINGS], s->terminate_on_nan);
    FP_VAL(&f[P_RNG], s->seed);
    fp_add(&f[P_RNG], &s->rng, sizeof s->rng);
    FP_VAL(&f[P_RECORD], s->nlog);
    for (int i = 0; i < P_COUNT; i++)
        h[i] = f[i].h;
}

/* Commands that train batch after batch: when one fails (a NaN loss, a
 * callback's error), those before it stay done. */
static const char *const training[] = {"fit", "step", "lrfind", NULL};
/* Commands that run other lines: the lines before a failing one stay run,
 * and their errors name the script's file. */
static const char *const runs_lines[] = {"run", "lesson", NULL};

/* "weights, random generator": the parts that differ, into buf. */
static const char *changed_parts(const uint64_t *a, const uint64_t *b,
                                 char *buf, size_t len)
{
    buf[0] = 0;
    for (int i = 0; i < P_COUNT; i++)
        if (a[i] != b[i])
            snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
                     buf[0] ? ", " : "", part_names[i]);
    return buf;
}

/* ---- checking stderr ---- */

static FILE *err_in;          /* reads what the session wrote on stderr */
static FILE *out;             /* the report (the real standard output) */
static int failures;

static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("soak: FAIL: ", out);
    vfprintf(out, fmt, ap);
    fputc('\n', out);
    va_end(ap);
    fflush(out);
    failures++;
}

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* "NAME:LINE: error: " at the start of line? */
static int error_prefix(const char *line)
{
    const char *c = strstr(line, ": error: ");
    if (!c)
        return 0;
    const char *d = c;
    while (d > line && d[-1] >= '0' && d[-1] <= '9')
        d--;
    return d < c && d > line + 1 && d[-1] == ':';
}

/* The coach's "soak:N: warning: CMD: ... (section 10.x)" line of command
 * i: allowed after a command that worked or failed, and not an error. */
static int coach_line(int i, const char *line)
{
    char want[64];
    snprintf(want, sizeof want, "soak:%d: warning: ", i);
    size_t n = strlen(line);
    return strncmp(line, want, strlen(want)) == 0 && n > 2 &&
           strstr(line, " (section 10.") && line[n - 2] == ')';
}

/* Reads the new stderr lines of command i (line text for messages). */
static void check_stderr(int i, int rc, const char *cmd, const char *text)
{
    fflush(stderr);
    clearerr(err_in);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lines = 0, own = 0;
    char want[64];
    snprintf(want, sizeof want, "soak:%d: error: ", i);
    while ((n = getline(&line, &cap, err_in)) > 0) {
        if (line[n - 1] != '\n') {
            fail("command %d (%s): stderr line without an end: %s", i, text, line);
            break;
        }
        if (coach_line(i, line))
            continue;
        lines++;
        if (!error_prefix(line))
            fail("command %d (%s): stderr line is not an error line: %s", i,
                 text, line);
        if (strncmp(line, want, strlen(want)) == 0)
            own++;
    }
    free(line);
    int is_run = cmd && nn_lookup(runs_lines, cmd) >= 0;
    if (rc != 0 && own != 1 && !is_run)
        fail("command %d (%s) failed with %d error lines of its own (%d in "
             "all), not 1", i, text, own, lines);
    if (rc != 0 && is_run && lines < 1)
        fail("command %d (%s) failed silently", i, text);
    if (rc == 0 && lines > 0)
        fail("command %d (%s) succeeded but wrote %d error lines", i, text,
             lines);
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
    const char *preload = getenv("LD_PRELOAD");
    int under_valgrind = preload && strstr(preload, "vgpreload");
#ifndef SOAK_ASAN
    /* glibc counts the blocks its per-thread cache holds as in use: start
     * again without the cache, so the heap measure counts live blocks */
    const char *tun = getenv("GLIBC_TUNABLES");
    if (!under_valgrind && (!tun || !strstr(tun, "tcache_count"))) {
        char t[512];
        snprintf(t, sizeof t, "%s%sglibc.malloc.tcache_count=0", tun ? tun : "",
                 tun && *tun ? ":" : "");
        setenv("GLIBC_TUNABLES", t, 1);
        execv("/proc/self/exe", argv);
        /* no /proc: go on with the cache (the 5% may be noisier) */
    }
#endif
    int total = argc > 2 ? atoi(argv[2]) : under_valgrind ? 1000 : 10000;
    if (total < 100)
        total = 100;
    rs = seed * 2654435761u + 88172645463325252ULL;
    const char *sd = getenv("NNLAB_SRCDIR");
    if (!sd || !*sd)
        sd = NNLAB_SRCDIR;
    if (sd[0] != '/') {
        char cwd[1024];
        if (!getcwd(cwd, sizeof cwd))
            return 99;
        snprintf(srcdir, sizeof srcdir, "%.500s/%.500s", cwd, sd);
    } else {
        snprintf(srcdir, sizeof srcdir, "%s", sd);
    }

    /* a scratch folder (record, save write files), no gnuplot, quiet */
    char dir[] = "/tmp/nnlab-soak.XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0) {
        perror("soak: scratch folder");
        return 99;
    }
    setenv("NNLAB_GNUPLOT", "/nonexistent/gnuplot", 1);
    setenv("HOME", dir, 1);
    setenv("XDG_STATE_HOME", dir, 1);
    FILE *logf = getenv("SOAK_LOG") ? fopen(getenv("SOAK_LOG"), "w") : NULL;
    if (logf)
        fputs("# keep-going\n# tests/soak's commands\n", logf);
    /* stdout is the report; the session's output goes to /dev/null and its
     * stderr into a file read back after each command */
    int report = dup(STDOUT_FILENO);
    out = report >= 0 ? fdopen(report, "w") : NULL;
    if (!out || !freopen("/dev/null", "w", stdout) ||
        !freopen("soak.err", "w", stderr) || !(err_in = fopen("soak.err", "r"))) {
        perror("soak: redirect");
        return 99;
    }
    setvbuf(stderr, NULL, _IOLBF, 0);
    setvbuf(out, NULL, _IONBF, 0);   /* its buffer would count as growth */

    repl_session s;
    repl_session_init(&s, 42);
    s.src_file = "soak";
    int warm = total / WARMUP_FRACTION, every = (total - warm) / CHECKPOINTS;
    size_t heap0 = 0, rss0 = 0, heap = 0, rss = 0;
    int valid = 0, errors = 0;
    char line[4096];
    for (int i = 1; i <= total && failures < 20; i++) {
        int scripted = next_command(line, sizeof line);
        int ok_form = scripted ? rn(10) != 0 : rn(2);
        if (!ok_form)
            spoil(line, sizeof line);
        valid += ok_form;
        if (logf)
            fprintf(logf, "%s\n", line);
        s.src_line = i;
        s.quit = 0;
        char cmd[32] = "";
        sscanf(line, "%31s", cmd);
        uint64_t before[P_COUNT], after[P_COUNT];
        fingerprint(&s, before);
        int rc = repl_run_line(&s, line);
        errors += rc != 0;
        char shown[120];
        snprintf(shown, sizeof shown, "%.100s", line);
        for (char *p = shown; *p; p++)
            if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
                *p = '?';
        check_stderr(i, rc, cmd, shown);
        if (rc != 0 && nn_lookup(runs_lines, cmd) < 0) {
            char parts[200];
            fingerprint(&s, after);
            if (nn_lookup(training, cmd) >= 0) {
                /* the batches before a failing one stay trained */
                after[P_WEIGHTS] = before[P_WEIGHTS];
                after[P_HISTORY] = before[P_HISTORY];
            }
            if (*changed_parts(before, after, parts, sizeof parts))
                fail("command %d (%s) failed but changed the session: %s", i,
                     shown, parts);
        }
        if (s.quit)
            s.quit = 0;
        if (nn_memcap() > ((size_t)256 << 20))
            nn_set_memcap((size_t)256 << 20);
        if (i >= warm && (i - warm) % every == 0) {
            /* a new session in the same process: what the old one held is
             * gone, so what stays allocated is what leaked (or a cache) */
            int line_no = s.src_line;
            repl_session_free(&s);
            repl_session_init(&s, 42);
            s.src_file = "soak";
            s.src_line = line_no;
            malloc_trim(0);
            heap = heap_in_use();
            rss = rss_bytes();
            if (!heap0) {
                heap0 = heap;
                rss0 = rss;
            }
            fprintf(out, "soak: after %5d commands: heap %zu bytes, rss %zu "
                    "KiB\n", i, heap, rss / 1024);
            fflush(out);
        }
    }
    if (logf)
        fclose(logf);
    repl_session_free(&s);
    fprintf(out, "soak: seed %llu, %d commands (%d well-formed, %d spoilt), "
            "%d errors\n", (unsigned long long)seed, total, valid, total - valid,
            errors);
    if (heap0 && heap > heap0 + heap0 / 20 && !under_valgrind)
        fail("the heap grew from %zu to %zu bytes after the warm-up (5%% "
             "allowed)", heap0, heap);
#ifndef SOAK_ASAN
    if (rss0 && rss > rss0 + rss0 / 20 && !under_valgrind)
        fail("the resident set grew from %zu to %zu KiB after the warm-up "
             "(5%% allowed)", rss0 / 1024, rss / 1024);
#endif
    (void)rss0;
    if (errors == 0 || errors == total)
        fail("%d of %d commands failed: the generator is broken", errors, total);
    fclose(err_in);
    if (chdir("/") == 0)
        nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    fprintf(out, "soak: %d passed, %d failed\n", failures ? 0 : 1,
            failures ? 1 : 0);
    fclose(out);
    return failures ? 1 : 0;
}
