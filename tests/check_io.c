/* check_io.c - saving, loading and export (nn/save.c, nn/npy.c,
 * repl/cmd_io.c): the model file round trip bit for bit; every truncation
 * and every flipped bit refused with the session untouched; files that are
 * not model files, newer, missing, directories; atomic writes under
 * injected write failures; .npy files against NumPy's own bytes and a
 * minimal reader written here; export keras against expected text;
 * transfer learning with frozen layers; weights save=/load=.
 *
 * Each test works in its own folder under $TMPDIR and removes it. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <check.h>
#include <zlib.h>
#include "repl.h"
#include "save.h"
#include "npy.h"

/* ---- helpers ---- */

static char dir[256];

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st, (void)flag, (void)f;
    chmod(p, 0700);
    return remove(p);
}

static void setup(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/check_io.XXXXXX", t && *t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *P(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static const char *srcpath(const char *rel)
{
    static char buf[1024];
    const char *root = getenv("NNLAB_SRCDIR");
    snprintf(buf, sizeof buf, "%s/%s", root ? root : ".", rel);
    return buf;
}

static void run(repl_session *s, const char *line)
{
    ck_assert_msg(repl_run_line(s, line) == 0, "command failed: %s", line);
}

static void run_all(repl_session *s, const char *const *lines)
{
    for (int i = 0; lines[i]; i++)
        run(s, lines[i]);
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static void spit(const char *path, const void *b, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(b, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static void fix_crc(unsigned char *b, size_t len)
{
    uint32_t c = (uint32_t)crc32(crc32(0L, Z_NULL, 0), b, (uInt)(len - 4));
    for (int k = 0; k < 4; k++)
        b[len - 4 + k] = (unsigned char)(c >> (8 * k));
}

static void put32(unsigned char *b, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        b[k] = (unsigned char)(v >> (8 * k));
}

/* stderr to /dev/null and back, around loops of expected errors */
static int saved_err = -1;
static void quiet(int on)
{
    fflush(stderr);
    if (on) {
        saved_err = dup(2);
        int fd = open("/dev/null", O_WRONLY);
        dup2(fd, 2);
        close(fd);
    } else if (saved_err >= 0) {
        dup2(saved_err, 2);
        close(saved_err);
        saved_err = -1;
    }
}

static int one_line(const char *msg)
{
    return msg[0] != 0 && strchr(msg, '\n') == NULL;
}

static int same_bits(const void *a, const void *b, size_t n)
{
    return n == 0 || memcmp(a, b, n) == 0;
}

static void same_optcfg(const nn_opt_cfg *a, const nn_opt_cfg *b)
{
    ck_assert_int_eq(a->kind, b->kind);
    ck_assert(same_bits(&a->learning_rate, &b->learning_rate, 8));
    ck_assert(same_bits(&a->momentum, &b->momentum, 8));
    ck_assert_int_eq(a->nesterov, b->nesterov);
    ck_assert(same_bits(&a->rho, &b->rho, 8));
    ck_assert(same_bits(&a->beta_1, &b->beta_1, 8));
    ck_assert(same_bits(&a->beta_2, &b->beta_2, 8));
    ck_assert(same_bits(&a->epsilon, &b->epsilon, 8));
    ck_assert(same_bits(&a->initial_accumulator_value, &b->initial_accumulator_value, 8));
}

/* Everything a model file keeps, compared bit for bit. */
static void same_model(const nn_model *a, const nn_model *b)
{
    ck_assert_str_eq(a->name, b->name);
    ck_assert_int_eq(a->sequential, b->sequential);
    ck_assert_int_eq(a->n, b->n);
    ck_assert_int_eq(a->nout, b->nout);
    for (int k = 0; k < a->nout; k++)
        ck_assert_int_eq(a->out[k], b->out[k]);
    ck_assert_uint_eq(a->nparams, b->nparams);
    ck_assert_int_eq(a->compiled, b->compiled);
    ck_assert_int_eq(a->steps, b->steps);
    ck_assert_int_eq(a->epochs_done, b->epochs_done);
    for (int i = 0; i < a->n; i++) {
        const nn_node *x = &a->nodes[i], *y = &b->nodes[i];
        ck_assert_int_eq(x->kind, y->kind);
        ck_assert_str_eq(x->name, y->name);
        ck_assert_int_eq(x->nin, y->nin);
        for (int k = 0; k < x->nin; k++)
            ck_assert_int_eq(x->in[k], y->in[k]);
        ck_assert_int_eq(x->ndim, y->ndim);
        for (int k = 0; k < x->ndim; k++)
            ck_assert_int_eq(x->shape[k], y->shape[k]);
        ck_assert_int_eq(x->size, y->size);
        ck_assert_int_eq(x->act, y->act);
        ck_assert_int_eq(x->dense.units, y->dense.units);
        ck_assert_int_eq(x->dense.activation, y->dense.activation);
        ck_assert_int_eq(x->dense.use_bias, y->dense.use_bias);
        ck_assert_int_eq(x->dense.kernel_initializer, y->dense.kernel_initializer);
        ck_assert_int_eq(x->dense.bias_initializer, y->dense.bias_initializer);
        ck_assert(same_bits(&x->dense.kernel_value, &y->dense.kernel_value, 4));
        ck_assert(same_bits(&x->dense.bias_value, &y->dense.bias_value, 4));
        ck_assert_int_eq(x->dense.trainable, y->dense.trainable);
        ck_assert_int_eq(x->fan_in, y->fan_in);
        ck_assert_int_eq(x->shared, y->shared);
        ck_assert_uint_eq(x->w_off, y->w_off);
        ck_assert_uint_eq(x->b_off, y->b_off);
    }
    ck_assert_msg(same_bits(a->params, b->params, a->nparams * sizeof(float)),
                  "weights differ");
    if (!a->compiled)
        return;
    for (int k = 0; k < NN_MAXOUT; k++) {
        ck_assert_int_eq(a->cc.loss[k].kind, b->cc.loss[k].kind);
        ck_assert_int_eq(a->cc.loss[k].from_logits, b->cc.loss[k].from_logits);
        ck_assert(same_bits(&a->cc.loss[k].delta, &b->cc.loss[k].delta, 4));
        ck_assert(same_bits(&a->cc.loss_weights[k], &b->cc.loss_weights[k], 8));
    }
    ck_assert_int_eq(a->cc.nmetrics, b->cc.nmetrics);
    for (int k = 0; k < NN_MAXMETRICS; k++)
        ck_assert_int_eq(a->cc.metrics[k], b->cc.metrics[k]);
    same_optcfg(&a->cc.opt, &b->cc.opt);
    same_optcfg(&a->opt.cfg, &b->opt.cfg);
    ck_assert_uint_eq(a->opt.n, b->opt.n);
    ck_assert_int_eq(a->opt.t, b->opt.t);
    ck_assert(same_bits(&a->opt.u_prod, &b->opt.u_prod, 8));
    ck_assert_int_eq(a->opt.m != NULL, b->opt.m != NULL);
    ck_assert_int_eq(a->opt.v != NULL, b->opt.v != NULL);
    if (a->opt.m)
        ck_assert_msg(same_bits(a->opt.m, b->opt.m, a->opt.n * 4), "optimizer m differs");
    if (a->opt.v)
        ck_assert_msg(same_bits(a->opt.v, b->opt.v, a->opt.n * 4), "optimizer v differs");
}

static void same_history(const nn_history *a, const nn_history *b)
{
    ck_assert_int_eq(a->nkeys, b->nkeys);
    for (int k = 0; k < a->nkeys; k++)
        ck_assert_str_eq(a->keys[k], b->keys[k]);
    ck_assert_int_eq(a->nepochs, b->nepochs);
    for (int r = 0; r < a->nepochs; r++) {
        ck_assert_int_eq(a->epoch[r], b->epoch[r]);
        ck_assert(same_bits(&a->lr[r], &b->lr[r], 8));
        for (int k = 0; k < a->nkeys; k++)
            ck_assert(same_bits(&a->values[(size_t)r * NN_MAXKEYS + k],
                                &b->values[(size_t)r * NN_MAXKEYS + k], 8));
    }
}

/* ---- models used below ---- */

/* xor, a small MLP trained with the given compile line. */
static void trained(repl_session *s, const char *compile)
{
    repl_session_init(s, 42);
    const char *lines[] = {"data xor n=64", "input 2", "dense 4 activation=relu",
                           "dense 1 activation=sigmoid", NULL};
    run_all(s, lines);
    run(s, compile);
    run(s, "fit epochs=3 batch_size=16 verbose=0 validation_split=0.25");
}

static const char *const compiles[] = {
    "compile loss=binary_crossentropy optimizer=sgd metrics=accuracy",
    "compile loss=binary_crossentropy optimizer=sgd momentum=0.9 nesterov=true",
    "compile loss=mse optimizer=rmsprop rho=0.8 metrics=mae,rmse",
    "compile loss=binary_crossentropy optimizer=adam learning_rate=0.01 metrics=accuracy",
    "compile loss=huber delta=0.5 optimizer=adagrad initial_accumulator_value=0.2",
    "compile loss=binary_crossentropy from_logits=true optimizer=nadam beta_1=0.8",
};
#define NCOMPILES ((int)(sizeof compiles / sizeof compiles[0]))

/* The small file the corruption loops go over: 3 parameters, adam. */
static void small_file(const char *path)
{
    repl_session s;
    repl_session_init(&s, 42);
    const char *lines[] = {"data xor n=16", "input 2", "dense 1 activation=sigmoid",
                           "compile loss=binary_crossentropy optimizer=adam",
                           "fit epochs=2 verbose=0", NULL};
    run_all(&s, lines);
    nn_err e;
    ck_assert_msg(nn_model_save(s.model, &s.hist, path, &e) == NN_OK, "%s", e.msg);
    repl_session_free(&s);
}

/* ---- round trip ---- */

START_TEST(test_round_trip)
{
    repl_session s;
    trained(&s, compiles[_i]);
    nn_err e;
    ck_assert_msg(nn_model_save(s.model, &s.hist, P("m.nnlab"), &e) == NN_OK, "%s", e.msg);
    nn_history h;
    nn_history_init(&h);
    nn_model *m = nn_model_load(P("m.nnlab"), &h, &e);
    ck_assert_msg(m != NULL, "%s", e.msg);
    same_model(s.model, m);
    same_history(&s.hist, &h);
    ck_assert_int_eq(h.nepochs, 3);

    /* the same predictions */
    int n = s.train.n;
    float *p1 = malloc((size_t)n * sizeof *p1), *p2 = malloc((size_t)n * sizeof *p2);
    ck_assert(nn_model_predict(s.model, s.train.x, s.train.d, n, p1, &e) == NN_OK);
    ck_assert(nn_model_predict(m, s.train.x, s.train.d, n, p2, &e) == NN_OK);
    ck_assert_msg(memcmp(p1, p2, (size_t)n * sizeof *p1) == 0, "predictions differ");

    /* the same next steps: the optimizer state came along */
    for (int k = 0; k < 3; k++) {
        double l1, l2;
        ck_assert(nn_train_batch(s.model, s.train.x, s.train.d, s.train.y, NULL, 16, &l1, &e) == NN_OK);
        ck_assert(nn_train_batch(m, s.train.x, s.train.d, s.train.y, NULL, 16, &l2, &e) == NN_OK);
        ck_assert(same_bits(&l1, &l2, 8));
    }
    same_model(s.model, m);

    /* saving again gives the same bytes */
    nn_model_free(m);
    m = nn_model_load(P("m.nnlab"), NULL, &e);
    ck_assert_ptr_nonnull(m);
    ck_assert(nn_model_save(m, &h, P("again.nnlab"), &e) == NN_OK);
    size_t l1, l2;
    unsigned char *b1 = slurp(P("m.nnlab"), &l1), *b2 = slurp(P("again.nnlab"), &l2);
    ck_assert_uint_eq(l1, l2);
    ck_assert_msg(memcmp(b1, b2, l1) == 0, "a loaded model saves different bytes");
    free(b1);
    free(b2);
    free(p1);
    free(p2);
    nn_model_free(m);
    nn_history_free(&h);
    repl_session_free(&s);
}
END_TEST

START_TEST(test_round_trip_functional)
{
    /* two inputs, concat, a frozen layer, a constant initializer, an
     * uncompiled model first */
    repl_session s;
    repl_session_init(&s, 7);
    const char *lines[] = {
        "model api=functional name=wide_deep", "input 2 name=a", "input 3x2 name=b",
        "flatten input=b name=fb",
        "dense 3 input=a name=h activation=tanh kernel_initializer=constant "
        "kernel_value=0.25 bias_initializer=ones trainable=false",
        "dense 2 input=h name=h2 use_bias=false kernel_initializer=he_normal",
        "concat h2,fb name=c", "activation relu name=r", "dense 1 name=out", NULL};
    run_all(&s, lines);
    nn_err e;
    ck_assert(nn_model_save(s.model, NULL, P("u.nnlab"), &e) == NN_OK);
    nn_model *m = nn_model_load(P("u.nnlab"), NULL, &e);
    ck_assert_msg(m != NULL, "%s", e.msg);
    same_model(s.model, m);
    nn_model_free(m);

    run(&s, "compile loss=mse optimizer=nadam");
    /* an optimizer state that is not all zeros */
    nn_rng r;
    nn_rng_seed(&r, 3);
    for (size_t k = 0; k < s.model->opt.n; k++) {
        s.model->opt.m[k] = (float)nn_rng_normal(&r);
        s.model->opt.v[k] = (float)nn_rng_uniform(&r);
    }
    s.model->opt.t = 7;
    s.model->opt.u_prod = 0.3;
    s.model->opt.cfg.learning_rate = 0.0005;    /* a schedule moved it */
    s.model->steps = 7;
    ck_assert(nn_model_save(s.model, NULL, P("c.nnlab"), &e) == NN_OK);
    m = nn_model_load(P("c.nnlab"), NULL, &e);
    ck_assert_msg(m != NULL, "%s", e.msg);
    same_model(s.model, m);

    /* forward on both */
    float xa[2 * 2] = {1, -1, 0.5f, 2}, xb[2 * 6] = {1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, -6};
    const float *x[2] = {xa, xb};
    ck_assert(nn_model_forward(s.model, x, 2, 0, &e) == NN_OK);
    ck_assert(nn_model_forward(m, x, 2, 0, &e) == NN_OK);
    ck_assert(memcmp(nn_model_out(s.model, 0), nn_model_out(m, 0), 2 * sizeof(float)) == 0);
    nn_model_free(m);
    repl_session_free(&s);
}
END_TEST

/* A shared layer (the same weights applied to two inputs), made by hand:
 * the shell has no command for it yet, the file format does. */
static nn_model *shared_model(void)
{
    nn_err e;
    nn_rng r;
    nn_rng_seed(&r, 5);
    nn_model *m = nn_model_new("siamese", 0, &e);
    int sh2[1] = {2};
    int a = nn_model_add_input(m, sh2, 1, "a", &e);
    int b = nn_model_add_input(m, sh2, 1, "b", &e);
    nn_dense_cfg c;
    nn_dense_defaults(&c, 3);
    c.activation = NN_ACT_TANH;
    int h = nn_model_add_dense(m, a, &c, "h", &r, &e);
    size_t np = m->nparams;
    int h2 = nn_model_add_dense(m, b, &c, "h_b", &r, &e);
    ck_assert(h >= 0 && h2 >= 0);
    m->nodes[h2].shared = h;
    m->nodes[h2].w_off = m->nodes[h].w_off;
    m->nodes[h2].b_off = m->nodes[h].b_off;
    m->nparams = np;
    int ins[2] = {h, h2};
    int cc = nn_model_add_concat(m, ins, 2, "c", &e);
    nn_dense_defaults(&c, 1);
    ck_assert(nn_model_add_dense(m, cc, &c, "out", &r, &e) >= 0);
    return m;
}

START_TEST(test_round_trip_shared)
{
    nn_model *a = shared_model();
    nn_err e;
    ck_assert(nn_model_save(a, NULL, P("s.nnlab"), &e) == NN_OK);
    nn_model *b = nn_model_load(P("s.nnlab"), NULL, &e);
    ck_assert_msg(b != NULL, "%s", e.msg);
    same_model(a, b);
    float xa[2] = {1, 2}, xb[2] = {-1, 0.5f};
    const float *x[2] = {xa, xb};
    ck_assert(nn_model_forward(a, x, 1, 0, &e) == NN_OK);
    ck_assert(nn_model_forward(b, x, 1, 0, &e) == NN_OK);
    ck_assert(memcmp(nn_model_out(a, 0), nn_model_out(b, 0), sizeof(float)) == 0);
    nn_model_free(a);
    nn_model_free(b);
}
END_TEST

/* ---- corrupt files ---- */

/* A session with a model and a history, for "untouched" checks. */
static void busy_session(repl_session *s)
{
    repl_session_init(s, 42);
    const char *lines[] = {"data xor n=32", "input 2", "dense 3 activation=relu",
                           "dense 1 activation=sigmoid",
                           "compile loss=binary_crossentropy optimizer=sgd",
                           "fit epochs=2 verbose=0", NULL};
    run_all(s, lines);
}

/* load must fail and leave s as it was. */
static void load_refused(repl_session *s, const char *path)
{
    nn_model *before = s->model;
    nn_model *copy = nn_model_clone(before, NULL);
    int nep = s->hist.nepochs;
    char line[600];
    snprintf(line, sizeof line, "load %s", path);
    quiet(1);
    int rc = repl_run_line(s, line);
    quiet(0);
    ck_assert_msg(rc != 0, "loaded %s", path);
    ck_assert_ptr_eq(s->model, before);
    ck_assert_int_eq(s->hist.nepochs, nep);
    same_model(copy, s->model);
    nn_model_free(copy);
}

START_TEST(test_truncated_every_offset)
{
    small_file(P("m.nnlab"));
    size_t len;
    unsigned char *b = slurp(P("m.nnlab"), &len);
    repl_session s;
    busy_session(&s);
    nn_history h;
    nn_history_init(&h);
    nn_history_copy(&h, &s.hist, NULL);
    for (size_t n = 0; n < len; n++) {
        spit(P("t.nnlab"), b, n);
        nn_err e = {{0}};
        nn_model *m = nn_model_load(P("t.nnlab"), &h, &e);
        ck_assert_msg(m == NULL, "a file cut at %zu of %zu bytes loaded", n, len);
        ck_assert_msg(one_line(e.msg), "cut at %zu: message '%s'", n, e.msg);
        ck_assert_msg(strstr(e.msg, "truncated") || strstr(e.msg, "empty") ||
                      strstr(e.msg, "corrupt"), "cut at %zu: '%s'", n, e.msg);
        ck_assert_int_eq(h.nepochs, 2);     /* the history passed in, untouched */
        if (n % 5 == 0 || n + 8 > len)
            load_refused(&s, P("t.nnlab"));
    }
    same_history(&h, &s.hist);
    nn_history_free(&h);
    repl_session_free(&s);
    free(b);
}
END_TEST

START_TEST(test_every_bit_flip)
{
    small_file(P("m.nnlab"));
    size_t len;
    unsigned char *b = slurp(P("m.nnlab"), &len);
    repl_session s;
    busy_session(&s);
    for (size_t i = 0; i < len; i++)
        for (int bit = 0; bit < 8; bit++) {
            b[i] ^= (unsigned char)(1 << bit);
            nn_err e = {{0}};
            nn_model *m = nn_model_from_bytes(b, len, 1, NULL, &e);
            ck_assert_msg(m == NULL, "bit %d of byte %zu flipped: loaded", bit, i);
            ck_assert_msg(one_line(e.msg), "flip %zu.%d: '%s'", i, bit, e.msg);
            if ((i * 8 + (size_t)bit) % 97 == 0) {
                spit(P("f.nnlab"), b, len);
                load_refused(&s, P("f.nnlab"));
            }
            b[i] ^= (unsigned char)(1 << bit);
        }
    nn_err e;
    nn_model *m = nn_model_from_bytes(b, len, 1, NULL, &e);
    ck_assert_msg(m != NULL, "the intact file: %s", e.msg);
    nn_model_free(m);
    repl_session_free(&s);
    free(b);
}
END_TEST

/* Changed fields with a correct checksum: what a checksum cannot catch,
 * the validation must.  Offsets follow save.h's layout. */
#define OFF_SEQ 56
#define OFF_N 60
#define OFF_NPARAMS 84
#define OFF_COMPILED 92
#define NODE0 108
#define NODE_LEN 156
#define NODE1 (NODE0 + NODE_LEN)
typedef struct patch {
    const char *what;
    size_t off;
    uint32_t value;
} patch;

static const patch patches[] = {
    {"sequential flag 2", OFF_SEQ, 2},
    {"a million nodes", OFF_N, 1000000},
    {"no nodes", OFF_N, 0},
    {"one parameter more", OFF_NPARAMS, 6},
    {"huge parameter count", OFF_NPARAMS + 4, 0x10},
    {"compiled flag 7", OFF_COMPILED, 7},
    {"uncompiled, state follows", OFF_COMPILED, 0},
    {"input kind unknown", NODE0, 99},
    {"dense is flatten", NODE1, NN_NODE_FLATTEN},
    {"dense input from itself", NODE1 + 4 + 32 + 4, 1},
    {"dense input from later", NODE1 + 4 + 32 + 4, 5},
    {"dense with 3 inputs", NODE1 + 4 + 32, 3},
    {"input shape 0", NODE0 + 4 + 32 + 4 + 32 + 4, 0},
    {"input 5 dimensions", NODE0 + 4 + 32 + 4 + 32, 5},
    {"dense activation 99", NODE1 + 4 + 32 + 4 + 32 + 4 + 16 + 4 + 4 + 4, 99},
    {"dense units 2", NODE1 + 4 + 32 + 4 + 32 + 4 + 16 + 4 + 4, 2},
    {"use_bias 2", NODE1 + 4 + 32 + 4 + 32 + 4 + 16 + 4 + 4 + 8, 2},
    {"dense shared with node 0", NODE1 + NODE_LEN - 20, 0},
    {"dense w_off 3", NODE1 + NODE_LEN - 16, 3},
    {"dense of 16M units", NODE1 + 4 + 32 + 4 + 32 + 4 + 16 + 4 + 4, 1 << 24},
    {"dense fan_in 16M", NODE1 + NODE_LEN - 24, 1 << 24},
    {"input of 16M values", NODE0 + 4 + 32 + 4 + 32 + 4, 1 << 24},
    {"name without NUL", NODE1 + 4, 0x61616161},
};

START_TEST(test_crafted_fields)
{
    small_file(P("m.nnlab"));
    size_t len;
    unsigned char *b = slurp(P("m.nnlab"), &len);
    ck_assert_uint_eq(b[NODE1 + 4], 'd');      /* "dense": the layout is as assumed */
    const patch *p = &patches[_i];
    unsigned char *c = malloc(len);
    memcpy(c, b, len);
    if (strcmp(p->what, "name without NUL") == 0)
        memset(c + NODE1 + 4, 'a', NN_NAMEMAX);
    else
        put32(c + p->off, p->value);
    fix_crc(c, len);
    nn_err e = {{0}};
    nn_history h;
    nn_history_init(&h);
    nn_model *m = nn_model_from_bytes(c, len, 1, &h, &e);
    ck_assert_msg(m == NULL, "%s: loaded", p->what);
    ck_assert_msg(one_line(e.msg), "%s: '%s'", p->what, e.msg);
    ck_assert_int_eq(h.nepochs, 0);
    /* without the checksum (the fuzzer's way in) too */
    m = nn_model_from_bytes(c, len, 0, &h, &e);
    ck_assert_msg(m == NULL, "%s: loaded without checksum", p->what);
    free(c);
    free(b);
}
END_TEST

START_TEST(test_not_model_files)
{
    small_file(P("m.nnlab"));
    size_t len;
    unsigned char *b = slurp(P("m.nnlab"), &len);
    nn_err e;
    repl_session s;
    busy_session(&s);

    /* wrong magic */
    b[0] = 'X';
    spit(P("magic.nnlab"), b, len);
    ck_assert_ptr_null(nn_model_load(P("magic.nnlab"), NULL, &e));
    ck_assert_msg(strstr(e.msg, "not an nnlab model file"), "%s", e.msg);
    load_refused(&s, P("magic.nnlab"));
    b[0] = 'N';

    /* a newer version: refused by name, checksum or not */
    put32(b + 8, NN_SAVE_VERSION + 1);
    spit(P("newer.nnlab"), b, len);
    ck_assert_ptr_null(nn_model_load(P("newer.nnlab"), NULL, &e));
    char vs[32];
    snprintf(vs, sizeof vs, "version %d", NN_SAVE_VERSION + 1);
    ck_assert_msg(strstr(e.msg, "newer nnlab") && strstr(e.msg, vs), "%s", e.msg);
    fix_crc(b, len);
    ck_assert_ptr_null(nn_model_from_bytes(b, len, 1, NULL, &e));
    ck_assert_msg(strstr(e.msg, "newer nnlab"), "%s", e.msg);
    load_refused(&s, P("newer.nnlab"));
    put32(b + 8, 0);
    fix_crc(b, len);
    ck_assert_ptr_null(nn_model_from_bytes(b, len, 1, NULL, &e));
    put32(b + 8, 1);
    fix_crc(b, len);

    /* bytes after the end */
    unsigned char *longer = calloc(len + 3, 1);
    memcpy(longer, b, len);
    spit(P("long.nnlab"), longer, len + 3);
    ck_assert_ptr_null(nn_model_load(P("long.nnlab"), NULL, &e));
    load_refused(&s, P("long.nnlab"));
    free(longer);

    /* other files */
    ck_assert_ptr_null(nn_model_load(srcpath("tests/data/io/numpy_5.npy"), NULL, &e));
    ck_assert_msg(strstr(e.msg, "NumPy"), "%s", e.msg);
    spit(P("zip.keras"), "PK\x03\x04rest", 8);
    ck_assert_ptr_null(nn_model_load(P("zip.keras"), NULL, &e));
    ck_assert_msg(strstr(e.msg, "zip"), "%s", e.msg);
    spit(P("empty.nnlab"), "", 0);
    ck_assert_ptr_null(nn_model_load(P("empty.nnlab"), NULL, &e));
    ck_assert_msg(strstr(e.msg, "empty"), "%s", e.msg);

    /* paths */
    ck_assert_ptr_null(nn_model_load(P("nothing.nnlab"), NULL, &e));
    ck_assert_msg(strstr(e.msg, "no such file"), "%s", e.msg);
    ck_assert_ptr_null(nn_model_load(P("no/such/dir/m.nnlab"), NULL, &e));
    ck_assert_msg(strstr(e.msg, "no such file"), "%s", e.msg);
    ck_assert_ptr_null(nn_model_load(dir, NULL, &e));
    ck_assert_msg(strstr(e.msg, "is a directory"), "%s", e.msg);
    load_refused(&s, dir);
    load_refused(&s, P("nothing.nnlab"));
    ck_assert_ptr_null(nn_model_load("/dev/null", NULL, &e));
    spit(P("locked.nnlab"), b, len);
    chmod(P("locked.nnlab"), 0);
    if (geteuid() != 0) {     /* root reads a mode-000 file anyway */
        ck_assert_ptr_null(nn_model_load(P("locked.nnlab"), NULL, &e));
        ck_assert_msg(strstr(e.msg, "permission denied"), "%s", e.msg);
        load_refused(&s, P("locked.nnlab"));
    }

    /* over the memory cap: refused before allocating */
    nn_set_memcap(64);
    ck_assert_ptr_null(nn_model_load(P("m.nnlab"), NULL, &e));
    ck_assert_msg(strstr(e.msg, "memory cap"), "%s", e.msg);
    nn_set_memcap(NN_MEMCAP_DEFAULT);
    nn_model *m = nn_model_load(P("m.nnlab"), NULL, &e);
    ck_assert_msg(m != NULL, "%s", e.msg);
    nn_model_free(m);
    repl_session_free(&s);
    free(b);
}
END_TEST

/* ---- atomic saving ---- */

static int temp_files_left(const char *name)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -q '^%s\\.tmp'", dir, name);
    return system(cmd) == 0;
}

START_TEST(test_atomic_save)
{
    repl_session s;
    trained(&s, compiles[3]);
    nn_err e;
    ck_assert(nn_model_save(s.model, &s.hist, P("m.nnlab"), &e) == NN_OK);
    size_t l0;
    unsigned char *b0 = slurp(P("m.nnlab"), &l0);
    run(&s, "fit epochs=1 verbose=0");     /* now different */

    /* the first, then a later write fails (a full disk) */
    for (int n = 1; n <= 2; n++) {
        char v[8];
        snprintf(v, sizeof v, "%d", n);
        setenv("NNLAB_FAULT_WRITE", v, 1);
        ck_assert_int_eq(nn_model_save(s.model, &s.hist, P("m.nnlab"), &e), NN_FAIL);
        unsetenv("NNLAB_FAULT_WRITE");
        ck_assert_msg(strstr(e.msg, "No space left") && strstr(e.msg, "unchanged"),
                      "%s", e.msg);
        size_t l1;
        unsigned char *b1 = slurp(P("m.nnlab"), &l1);
        ck_assert_msg(l1 == l0 && memcmp(b0, b1, l0) == 0,
                      "a failed save changed the file");
        free(b1);
        ck_assert_msg(!temp_files_left("m.nnlab"), "a temporary file was left");
    }
    /* the shell says so and the file stays */
    setenv("NNLAB_FAULT_WRITE", "1", 1);
    char line[600];
    snprintf(line, sizeof line, "save %s", P("m.nnlab"));
    quiet(1);
    ck_assert_int_ne(repl_run_line(&s, line), 0);
    quiet(0);
    unsetenv("NNLAB_FAULT_WRITE");
    size_t l1;
    unsigned char *b1 = slurp(P("m.nnlab"), &l1);
    ck_assert(l1 == l0 && memcmp(b0, b1, l0) == 0);
    free(b1);

    /* a big model: many writes, the 3rd fails */
    nn_model *big = nn_model_new(NULL, 1, &e);
    int sh[1] = {300};
    nn_dense_cfg c;
    nn_dense_defaults(&c, 200);
    nn_rng r;
    nn_rng_seed(&r, 1);
    ck_assert(nn_model_add_input(big, sh, 1, NULL, &e) >= 0);
    ck_assert(nn_model_add_dense(big, 0, &c, NULL, &r, &e) >= 0);
    setenv("NNLAB_FAULT_WRITE", "3", 1);
    ck_assert_int_eq(nn_model_save(big, NULL, P("m.nnlab"), &e), NN_FAIL);
    unsetenv("NNLAB_FAULT_WRITE");
    b1 = slurp(P("m.nnlab"), &l1);
    ck_assert(l1 == l0 && memcmp(b0, b1, l0) == 0);
    free(b1);
    ck_assert(!temp_files_left("m.nnlab"));
    ck_assert(nn_model_save(big, NULL, P("m.nnlab"), &e) == NN_OK);
    /* the file fits under the cap, the model it holds does not */
    nn_set_memcap(500000);
    ck_assert_ptr_null(nn_model_load(P("m.nnlab"), NULL, &e));
    ck_assert_msg(strstr(e.msg, "memory cap") && !strstr(e.msg, "corrupt"), "%s", e.msg);
    nn_set_memcap(NN_MEMCAP_DEFAULT);
    nn_model *back = nn_model_load(P("m.nnlab"), NULL, &e);
    ck_assert_msg(back != NULL, "%s", e.msg);
    same_model(big, back);
    nn_model_free(back);
    nn_model_free(big);

    /* unwritable places */
    ck_assert_int_eq(nn_model_save(s.model, NULL, dir, &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "is a directory"), "%s", e.msg);
    ck_assert_int_eq(nn_model_save(s.model, NULL, P("no/such/dir/m.nnlab"), &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "does not exist"), "%s", e.msg);
    ck_assert_int_eq(nn_model_save(s.model, NULL, "/dev/full", &e), NN_FAIL);
    ck_assert_msg(strstr(e.msg, "not a regular file"), "%s", e.msg);
    struct stat st;
    ck_assert(stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode));
    if (geteuid() != 0) {
        mkdir(P("ro"), 0500);
        ck_assert_int_eq(nn_model_save(s.model, NULL, P("ro/m.nnlab"), &e), NN_FAIL);
    }

    /* the mode of the file it replaces is kept; a link stays a link */
    chmod(P("m.nnlab"), 0640);
    ck_assert(nn_model_save(s.model, NULL, P("m.nnlab"), &e) == NN_OK);
    ck_assert(stat(P("m.nnlab"), &st) == 0);
    ck_assert_int_eq(st.st_mode & 0777, 0640);
    ck_assert(symlink("m.nnlab", P("link.nnlab")) == 0);
    ck_assert(nn_model_save(s.model, &s.hist, P("link.nnlab"), &e) == NN_OK);
    ck_assert(lstat(P("link.nnlab"), &st) == 0 && S_ISLNK(st.st_mode));
    nn_model *m = nn_model_load(P("m.nnlab"), NULL, &e);
    ck_assert_ptr_nonnull(m);
    same_model(s.model, m);
    nn_model_free(m);
    free(b0);
    repl_session_free(&s);
}
END_TEST

/* ---- .npy ---- */

/* A reader written from the format's description, sharing nothing with
 * npy.c: checks the layout and returns the header's dict text. */
static const unsigned char *mini_npy(const unsigned char *b, size_t len, char *dict,
                                     size_t dlen)
{
    ck_assert(len >= 10);
    ck_assert(memcmp(b, "\x93NUMPY\x01\x00", 8) == 0);
    size_t hl = (size_t)b[8] | (size_t)b[9] << 8;
    ck_assert_uint_eq((10 + hl) % 64, 0);
    ck_assert(10 + hl <= len);
    ck_assert_int_eq(b[10 + hl - 1], '\n');
    size_t end = hl - 1;
    while (end > 0 && b[10 + end - 1] == ' ')
        end--;
    ck_assert(end < dlen);
    memcpy(dict, b + 10, end);
    dict[end] = 0;
    return b + 10 + hl;
}

START_TEST(test_npy_write)
{
    nn_err e;
    float a[12];
    for (int k = 0; k < 12; k++)
        a[k] = k * 0.5f - 1;
    long sh[2] = {3, 4};
    ck_assert(nn_npy_save(P("a.npy"), a, 2, sh, &e) == NN_OK);
    size_t len;
    unsigned char *b = slurp(P("a.npy"), &len);
    char dict[256];
    const unsigned char *d = mini_npy(b, len, dict, sizeof dict);
    ck_assert_str_eq(dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }");
    ck_assert_uint_eq(len - (size_t)(d - b), 48);
    for (int k = 0; k < 12; k++) {
        uint32_t u = (uint32_t)d[4 * k] | (uint32_t)d[4 * k + 1] << 8 |
                     (uint32_t)d[4 * k + 2] << 16 | (uint32_t)d[4 * k + 3] << 24;
        float f;
        memcpy(&f, &u, 4);
        ck_assert(f == a[k]);
    }
    /* the very bytes NumPy's np.save wrote for the same array */
    size_t nl;
    unsigned char *nb = slurp(srcpath("tests/data/io/numpy_3x4.npy"), &nl);
    ck_assert_uint_eq(nl, len);
    ck_assert_msg(memcmp(nb, b, len) == 0, "not np.save's bytes");
    free(nb);
    free(b);

    float v[5] = {1.5f, -2, 3.25f, 0, 1e-3f};
    long s5[1] = {5};
    ck_assert(nn_npy_save(P("v.npy"), v, 1, s5, &e) == NN_OK);
    b = slurp(P("v.npy"), &len);
    nb = slurp(srcpath("tests/data/io/numpy_5.npy"), &nl);
    ck_assert(nl == len && memcmp(nb, b, len) == 0);
    mini_npy(b, len, dict, sizeof dict);
    ck_assert_str_eq(dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }");
    free(nb);
    free(b);

    float z[24] = {0};
    long s234[3] = {2, 3, 4};
    ck_assert(nn_npy_save(P("z.npy"), z, 3, s234, &e) == NN_OK);
    b = slurp(P("z.npy"), &len);
    nb = slurp(srcpath("tests/data/io/numpy_2x3x4.npy"), &nl);
    ck_assert(nl == len && memcmp(nb, b, len) == 0);
    free(nb);
    free(b);

    float sc = 2.5f;
    ck_assert(nn_npy_save(P("s.npy"), &sc, 0, NULL, &e) == NN_OK);
    b = slurp(P("s.npy"), &len);
    nb = slurp(srcpath("tests/data/io/numpy_scalar.npy"), &nl);
    ck_assert(nl == len && memcmp(nb, b, len) == 0);
    free(nb);
    free(b);

    /* a header length that is a multiple of 64 before padding: 64 more */
    for (long n = 1; n < 100000000000L; n = n * 10 + 1) {
        long s2[2] = {n, 0};
        char h[512];
        size_t hl = nn_npy_header(h, sizeof h, 2, s2);
        ck_assert(hl > 0 && hl % 64 == 0 && h[hl - 1] == '\n' && h[hl - 2] == ' ');
    }
}
END_TEST

START_TEST(test_npy_read)
{
    nn_npy a;
    nn_err e;
    ck_assert_msg(nn_npy_load(srcpath("tests/data/io/numpy_3x4.npy"), &a, &e) == NN_OK,
                  "%s", e.msg);
    ck_assert_int_eq(a.ndim, 2);
    ck_assert_int_eq(a.shape[0], 3);
    ck_assert_int_eq(a.shape[1], 4);
    for (int k = 0; k < 12; k++)
        ck_assert(a.data[k] == k * 0.5f - 1);
    nn_npy_free(&a);
    ck_assert(nn_npy_load(srcpath("tests/data/io/numpy_scalar.npy"), &a, &e) == NN_OK);
    ck_assert_int_eq(a.ndim, 0);
    ck_assert(a.n == 1 && a.data[0] == 2.5f);
    nn_npy_free(&a);
    ck_assert(nn_npy_load(srcpath("tests/data/io/numpy_float64.npy"), &a, &e) == NN_FAIL);
    ck_assert_msg(strstr(e.msg, "float64") && strstr(e.msg, "astype"), "%s", e.msg);
    ck_assert(nn_npy_load(srcpath("tests/data/io/numpy_fortran.npy"), &a, &e) == NN_FAIL);
    ck_assert_msg(strstr(e.msg, "Fortran"), "%s", e.msg);
    ck_assert(nn_npy_load(dir, &a, &e) == NN_FAIL);
    ck_assert(nn_npy_load(P("none.npy"), &a, &e) == NN_FAIL);
    ck_assert_msg(strstr(e.msg, "no such file"), "%s", e.msg);

    /* headers written by hand: accepted and refused */
    static const struct {
        const char *head;
        int ok;
        int n;
    } cases[] = {
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 1, 2},
        {"{'shape': (2,), 'fortran_order': False, 'descr': '<f4'}", 1, 2},
        {"{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (1, 2)}", 1, 2},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (2L,), }", 1, 2},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (2), }", 0, 2},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': [2], }", 0, 2},
        {"{'descr': '<f4', 'fortran_order': False, }", 0, 2},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", 0, 2},
        {"{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", 0, 2},
        {"{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 0, 2},
        {"{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", 0, 2},
        {"{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", 0, 2},
        {"{'descr': '<f4', 'fortran_order': false, 'shape': (2,), }", 0, 2},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 0, 2},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 0, 2},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", 0, 2},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,) ", 0, 2},
        {"{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}", 0, 2},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} x", 0, 2},
        {"['descr', '<f4']", 0, 2},
        /* found by fuzzing: a newline inside a key made a two-line message */
        {"{'descr': '<f4', 'fortran_\nrder': False, 'shape': (2,), }", 0, 2},
        {"{'descr': '<f\x01', 'fortran_order': False, 'shape': (2,), }", 0, 2},
        {"", 0, 2},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        unsigned char buf[512];
        size_t hl = strlen(cases[c].head) + 1;
        memcpy(buf, "\x93NUMPY\x01\x00", 8);
        buf[8] = (unsigned char)hl;
        buf[9] = 0;
        memcpy(buf + 10, cases[c].head, hl - 1);
        buf[10 + hl - 1] = '\n';
        float two[2] = {1, 2};
        memcpy(buf + 10 + hl, two, 8);
        int rc = nn_npy_from_bytes(buf, 10 + hl + 8, &a, &e);
        ck_assert_msg((rc == NN_OK) == cases[c].ok, "case %zu (%s): %s", c,
                      cases[c].head, rc == NN_OK ? "accepted" : e.msg);
        if (rc == NN_OK) {
            ck_assert(a.n == 2 && a.data[0] == 1 && a.data[1] == 2);
            nn_npy_free(&a);
        } else
            ck_assert_msg(one_line(e.msg), "case %zu", c);
        /* version 2.0: a 4-byte header length */
        if (cases[c].ok) {
            unsigned char b2[520];
            memcpy(b2, "\x93NUMPY\x02\x00", 8);
            put32(b2 + 8, (uint32_t)hl);
            memcpy(b2 + 12, buf + 10, hl + 8);
            ck_assert(nn_npy_from_bytes(b2, 12 + hl + 8, &a, &e) == NN_OK);
            nn_npy_free(&a);
        }
    }

    /* every truncation of a real file, and one byte too many */
    size_t len;
    unsigned char *b = slurp(srcpath("tests/data/io/numpy_3x4.npy"), &len);
    for (size_t n = 0; n < len; n++) {
        ck_assert_msg(nn_npy_from_bytes(b, n, &a, &e) == NN_FAIL, "cut at %zu loaded", n);
        ck_assert(one_line(e.msg));
    }
    unsigned char *more = calloc(len + 1, 1);
    memcpy(more, b, len);
    ck_assert(nn_npy_from_bytes(more, len + 1, &a, &e) == NN_FAIL);
    b[6] = 9;      /* version 9.0 */
    ck_assert(nn_npy_from_bytes(b, len, &a, &e) == NN_FAIL);
    ck_assert_msg(strstr(e.msg, "version 9.0"), "%s", e.msg);
    b[0] = 'X';
    ck_assert(nn_npy_from_bytes(b, len, &a, &e) == NN_FAIL);
    free(more);
    free(b);

    /* a huge shape without its data: refused before allocating */
    long huge[2] = {1L << 20, 1L << 20};
    char h[256];
    size_t hl = nn_npy_header(h, sizeof h, 2, huge);
    ck_assert(nn_npy_from_bytes(h, hl, &a, &e) == NN_FAIL);
}
END_TEST

/* ---- export keras ----
 * The expected model.py files are in tests/data/io; NNLAB_UPDATE=1 rewrites
 * them from what the code writes now (read the diff before committing). */

static void compare_text(const char *got_path, const char *want_rel)
{
    size_t gl, wl;
    unsigned char *g = slurp(got_path, &gl);
    const char *up = getenv("NNLAB_UPDATE");
    if (up && strcmp(up, "1") == 0)     /* as run_scripts.sh: rewrite, then read the diff */
        spit(srcpath(want_rel), g, gl);
    unsigned char *w = slurp(srcpath(want_rel), &wl);
    if (gl != wl || memcmp(g, w, gl) != 0) {
        char cmd[2048];
        snprintf(cmd, sizeof cmd, "diff -u '%s' '%s' >&2", srcpath(want_rel), got_path);
        if (system(cmd)) {
        }
        ck_abort_msg("%s differs from %s", got_path, want_rel);
    }
    free(g);
    free(w);
}

/* Reads an .npy file with the minimal reader, checks its shape. */
static void npy_shape(const char *path, int ndim, const long *shape)
{
    size_t len;
    unsigned char *b = slurp(path, &len);
    char dict[256], want[256], sh[128];
    const unsigned char *d = mini_npy(b, len, dict, sizeof dict);
    nn_npy_shape_str(ndim, shape, sh, sizeof sh);
    snprintf(want, sizeof want, "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }", sh);
    ck_assert_str_eq(dict, want);
    size_t n = 1;
    for (int k = 0; k < ndim; k++)
        n *= (size_t)shape[k];
    ck_assert_uint_eq(len - (size_t)(d - b), 4 * n);
    free(b);
}

START_TEST(test_export_sequential)
{
    repl_session s;
    repl_session_init(&s, 42);
    const char *lines[] = {
        "data moons n=40", "model name=my_mlp", "input 2",
        "dense 5 activation=relu kernel_initializer=he_normal",
        "dense 3 activation=tanh use_bias=false name=hidden-2",
        "dense 1 activation=sigmoid bias_initializer=constant bias_value=0.5",
        "freeze dense",
        "compile loss=binary_crossentropy optimizer=sgd learning_rate=0.05 momentum=0.9 "
        "nesterov=true metrics=accuracy", NULL};
    run_all(&s, lines);
    char line[600];
    snprintf(line, sizeof line, "export keras %s", P("out"));
    run(&s, line);
    compare_text(P("out/model.py"), "tests/data/io/export_sequential.py");
    long k1[2] = {2, 5}, b1[1] = {5}, k2[2] = {5, 3}, k3[2] = {3, 1}, b3[1] = {1};
    npy_shape(P("out/dense_kernel.npy"), 2, k1);
    npy_shape(P("out/dense_bias.npy"), 1, b1);
    npy_shape(P("out/hidden-2_kernel.npy"), 2, k2);
    ck_assert_int_ne(access(P("out/hidden-2_bias.npy"), F_OK), 0);
    npy_shape(P("out/dense_1_kernel.npy"), 2, k3);
    npy_shape(P("out/dense_1_bias.npy"), 1, b3);
    long cx[2] = {8, 2}, cy[2] = {8, 1};
    npy_shape(P("out/check_x.npy"), 2, cx);
    npy_shape(P("out/check_y.npy"), 2, cy);
    ck_assert_int_eq(access(P("out/README.txt"), R_OK), 0);

    /* the weights in the files are the model's, kernel (fan_in, units) */
    nn_npy a;
    nn_err e;
    ck_assert(nn_npy_load(P("out/dense_kernel.npy"), &a, &e) == NN_OK);
    const nn_node *d = &s.model->nodes[1];
    ck_assert(memcmp(a.data, s.model->params + d->w_off, 10 * sizeof(float)) == 0);
    nn_npy_free(&a);
    /* and check_y holds nnlab's predictions for check_x */
    nn_npy x, y;
    ck_assert(nn_npy_load(P("out/check_x.npy"), &x, &e) == NN_OK);
    ck_assert(nn_npy_load(P("out/check_y.npy"), &y, &e) == NN_OK);
    float p[8];
    ck_assert(nn_model_predict(s.model, x.data, s.train.d, 8, p, &e) == NN_OK);
    ck_assert(memcmp(p, y.data, sizeof p) == 0);
    ck_assert(memcmp(x.data, s.train.x, 16 * sizeof(float)) == 0);
    nn_npy_free(&x);
    nn_npy_free(&y);

    /* again into the same folder: fine; into a file: refused */
    run(&s, line);
    spit(P("afile"), "x", 1);
    snprintf(line, sizeof line, "export keras %s", P("afile"));
    quiet(1);
    ck_assert_int_ne(repl_run_line(&s, line), 0);
    quiet(0);
    repl_session_free(&s);
}
END_TEST

START_TEST(test_export_functional)
{
    repl_session s;
    repl_session_init(&s, 42);
    const char *lines[] = {
        "model api=functional", "input 8 name=input_",
        "dense 30 activation=relu name=hidden1", "dense 30 activation=relu name=hidden2",
        "concat input_,hidden2 name=concat", "dense 1 name=output",
        "compile loss=mse optimizer=adam learning_rate=0.001 metrics=rmse", NULL};
    run_all(&s, lines);
    char line[600];
    snprintf(line, sizeof line, "export keras %s", P("wd"));
    run(&s, line);
    compare_text(P("wd/model.py"), "tests/data/io/export_functional.py");
    long k[2] = {38, 1};
    npy_shape(P("wd/output_kernel.npy"), 2, k);
    repl_session_free(&s);

    /* a shared layer: made once, called twice, weights set once */
    repl_session_init(&s, 42);
    s.model = shared_model();
    snprintf(line, sizeof line, "export keras %s", P("sh"));
    run(&s, line);
    compare_text(P("sh/model.py"), "tests/data/io/export_shared.py");
    repl_session_free(&s);
}
END_TEST

/* ---- transfer learning ---- */

START_TEST(test_transfer)
{
    repl_session s;
    repl_session_init(&s, 42);
    const char *a_lines[] = {
        "data moons n=200", "input 2", "dense 8 activation=relu",
        "dense 4 activation=relu", "dense 1 activation=sigmoid",
        "compile loss=binary_crossentropy optimizer=adam learning_rate=0.01",
        "fit epochs=2 verbose=0", NULL};
    run_all(&s, a_lines);
    char line[600];
    snprintf(line, sizeof line, "save %s", P("a.nnlab"));
    run(&s, line);
    nn_model *a = nn_model_clone(s.model, NULL);

    snprintf(line, sizeof line, "load %s layers=1..2", P("a.nnlab"));
    run(&s, line);
    nn_model *b = s.model;
    ck_assert_int_eq(b->n, 3);
    ck_assert(b->sequential && !b->compiled);
    ck_assert_int_eq(s.hist.nepochs, 0);
    ck_assert_str_eq(b->nodes[1].name, "dense");
    ck_assert_str_eq(b->nodes[2].name, "dense_1");
    size_t reused = b->nparams;
    ck_assert_uint_eq(reused, 2 * 8 + 8 + 8 * 4 + 4);
    ck_assert(memcmp(b->params, a->params, reused * sizeof(float)) == 0);

    const char *b_lines[] = {
        "dense 1 activation=sigmoid", "freeze dense", "freeze dense_1",
        "compile loss=binary_crossentropy optimizer=sgd learning_rate=0.1", NULL};
    run_all(&s, b_lines);
    b = s.model;
    int top = nn_model_find(b, "dense_2");
    ck_assert_int_ge(top, 0);
    float top0[5];
    memcpy(top0, b->params + b->nodes[top].w_off, sizeof top0);
    run(&s, "fit epochs=3 verbose=0");
    ck_assert_msg(memcmp(b->params, a->params, reused * sizeof(float)) == 0,
                  "a frozen layer changed");
    ck_assert_msg(memcmp(top0, b->params + b->nodes[top].w_off, sizeof top0) != 0,
                  "the new top did not train");
    run(&s, "unfreeze dense_1");
    run(&s, "fit epochs=1 verbose=0");
    ck_assert(memcmp(b->params + b->nodes[2].w_off, a->params + a->nodes[2].w_off,
                     32 * sizeof(float)) != 0);
    ck_assert(memcmp(b->params, a->params, 24 * sizeof(float)) == 0);

    /* layers=N, and the errors */
    snprintf(line, sizeof line, "load %s layers=3", P("a.nnlab"));
    run(&s, line);
    ck_assert_int_eq(s.model->n, 4);
    nn_model *keep = s.model;
    const char *bad[] = {"layers=0..2", "layers=1..4", "layers=2..1", "layers=x",
                         "layers=1..", "layers=..2", NULL};
    quiet(1);
    for (int k = 0; bad[k]; k++) {
        snprintf(line, sizeof line, "load %s %s", P("a.nnlab"), bad[k]);
        ck_assert_msg(repl_run_line(&s, line) != 0, "%s accepted", bad[k]);
        ck_assert_ptr_eq(s.model, keep);
    }
    quiet(0);
    /* a Functional model with branches has no "lower layers" */
    nn_model *f = shared_model();
    nn_err e;
    ck_assert(nn_model_save(f, NULL, P("f.nnlab"), &e) == NN_OK);
    nn_model_free(f);
    snprintf(line, sizeof line, "load %s layers=1", P("f.nnlab"));
    quiet(1);
    ck_assert_int_ne(repl_run_line(&s, line), 0);
    quiet(0);
    ck_assert_ptr_eq(s.model, keep);
    /* layers from the middle: the input takes the shape before them */
    snprintf(line, sizeof line, "load %s layers=2..3", P("a.nnlab"));
    run(&s, line);
    ck_assert_int_eq(s.model->nodes[0].size, 8);
    ck_assert(memcmp(s.model->params, a->params + a->nodes[2].w_off,
                     (32 + 4 + 5) * sizeof(float)) == 0);
    nn_model_free(a);
    repl_session_free(&s);
}
END_TEST

/* ---- weights save= / load= ---- */

int repl_weights_save(repl_session *s, const char *layer, const char *file);
int repl_weights_load(repl_session *s, const char *layer, const char *file);

START_TEST(test_weights_files)
{
    repl_session s;
    repl_session_init(&s, 42);
    const char *lines[] = {"input 3", "dense 2 activation=relu", "dense 1 use_bias=false",
                           NULL};
    run_all(&s, lines);
    nn_model *m = s.model;
    ck_assert_int_eq(repl_weights_save(&s, "dense", P("w.npy")), 0);
    long ks[2] = {3, 2}, bs[1] = {2};
    npy_shape(P("w.npy"), 2, ks);
    npy_shape(P("w_bias.npy"), 1, bs);
    ck_assert_int_eq(repl_weights_save(&s, "dense_1", P("top")), 0);   /* adds .npy */
    long k1[2] = {2, 1};
    npy_shape(P("top.npy"), 2, k1);
    ck_assert_int_ne(access(P("top_bias.npy"), F_OK), 0);

    /* set by hand, load back: kernel and its bias together */
    float k[6] = {1, 2, 3, 4, 5, 6}, b[2] = {-1, 1};
    nn_err e;
    ck_assert(nn_npy_save(P("w.npy"), k, 2, ks, &e) == NN_OK);
    ck_assert(nn_npy_save(P("w_bias.npy"), b, 1, bs, &e) == NN_OK);
    ck_assert_int_eq(repl_weights_load(&s, "dense", P("w.npy")), 0);
    const nn_node *d = &m->nodes[1];
    ck_assert(memcmp(m->params + d->w_off, k, sizeof k) == 0);
    ck_assert(memcmp(m->params + d->b_off, b, sizeof b) == 0);
    /* a bias alone */
    float b2[2] = {7, 8};
    ck_assert(nn_npy_save(P("b.npy"), b2, 1, bs, &e) == NN_OK);
    ck_assert_int_eq(repl_weights_load(&s, "dense", P("b.npy")), 0);
    ck_assert(memcmp(m->params + d->b_off, b2, sizeof b2) == 0);
    ck_assert(memcmp(m->params + d->w_off, k, sizeof k) == 0);

    /* refused, weights unchanged */
    float *before = malloc(m->nparams * sizeof(float));
    memcpy(before, m->params, m->nparams * sizeof(float));
    long wrong[2] = {2, 3};
    ck_assert(nn_npy_save(P("bad.npy"), k, 2, wrong, &e) == NN_OK);
    float nan6[6] = {1, 2, NAN, 4, 5, 6};
    ck_assert(nn_npy_save(P("nan.npy"), nan6, 2, ks, &e) == NN_OK);
    ck_assert(nn_npy_save(P("x.npy"), k, 2, ks, &e) == NN_OK);
    long b3[1] = {3};
    ck_assert(nn_npy_save(P("x_bias.npy"), k, 1, b3, &e) == NN_OK);
    quiet(1);
    ck_assert_int_ne(repl_weights_load(&s, "dense", P("bad.npy")), 0);
    ck_assert_int_ne(repl_weights_load(&s, "dense", P("nan.npy")), 0);
    ck_assert_int_ne(repl_weights_load(&s, "dense", P("x.npy")), 0);   /* its bias is wrong */
    ck_assert_int_ne(repl_weights_load(&s, "dense", P("none.npy")), 0);
    ck_assert_int_ne(repl_weights_load(&s, "dense", srcpath("tests/data/io/numpy_float64.npy")), 0);
    ck_assert_int_ne(repl_weights_load(&s, "dense_1", P("b.npy")), 0); /* no bias there */
    ck_assert_int_ne(repl_weights_load(&s, "nope", P("w.npy")), 0);
    ck_assert_int_ne(repl_weights_load(&s, "input_layer", P("w.npy")), 0);
    mkdir(P("d.npy"), 0700);
    ck_assert_int_ne(repl_weights_save(&s, "dense", P("d.npy")), 0);
    quiet(0);
    ck_assert(memcmp(before, m->params, m->nparams * sizeof(float)) == 0);
    free(before);
    repl_session_free(&s);
}
END_TEST

/* ---- the runner ---- */

static Suite *suite_io(void)
{
    Suite *s = suite_create("io");
    TCase *t = tcase_create("save_load");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 120);
    tcase_add_loop_test(t, test_round_trip, 0, NCOMPILES);
    tcase_add_test(t, test_round_trip_functional);
    tcase_add_test(t, test_round_trip_shared);
    tcase_add_test(t, test_truncated_every_offset);
    tcase_add_test(t, test_every_bit_flip);
    tcase_add_loop_test(t, test_crafted_fields, 0,
                        (int)(sizeof patches / sizeof patches[0]));
    tcase_add_test(t, test_not_model_files);
    tcase_add_test(t, test_atomic_save);
    suite_add_tcase(s, t);

    t = tcase_create("npy");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, test_npy_write);
    tcase_add_test(t, test_npy_read);
    suite_add_tcase(s, t);

    t = tcase_create("shell");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, test_export_sequential);
    tcase_add_test(t, test_export_functional);
    tcase_add_test(t, test_transfer);
    tcase_add_test(t, test_weights_files);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_io());
    srunner_run_all(sr, CK_NORMAL);
    int run_n = srunner_ntests_run(sr);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    printf("check_io: %d passed, %d failed\n", run_n - failed, failed);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
