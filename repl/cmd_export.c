/* cmd_export.c - taking a model to Keras: export keras DIR (the .npy
 * weights, model.py and README.txt in a folder) and keras (the session
 * printed as Keras code).  The Python itself comes from keras.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "repl.h"
#include "keras.h"
#include "pyfmt.h"
#include "save.h"
#include "npy.h"

/* ---- export keras DIR ---- */

static int write_text(const char *path, const char *text, size_t len, nn_err *e)
{
    nn_afile f;
    if (nn_afile_open(&f, path, e) != NN_OK)
        return NN_FAIL;
    nn_afile_write(&f, text, len);
    return nn_afile_commit(&f, e);
}

/* Up to 8 samples to check Keras's predictions against nnlab's: the first
 * rows of the training data when they fit the model, else U(-1, 1) values
 * from a fixed seed.  x is (rows, d). */
static int check_inputs(const repl_session *s, int d, float *x, int *rows)
{
    if (s->have_data && s->train.d == d && s->train.n > 0) {
        *rows = s->train.n < 8 ? s->train.n : 8;
        nn_dataset_gather(&s->train, NULL, *rows, x);
        return 1;
    }
    nn_rng r;
    nn_rng_seed(&r, 42);
    *rows = 8;
    for (size_t k = 0; k < (size_t)8 * d; k++)
        x[k] = (float)nn_rng_range(&r, -1.0, 1.0);
    return 0;
}

static const char *join(char *buf, size_t len, const char *dir, const char *name)
{
    snprintf(buf, len, "%s/%s", dir, name);
    return buf;
}


/* Each Dense layer's kernel and bias as DIR/LAYER_kernel.npy and
 * DIR/LAYER_bias.npy, as layer.get_weights() gives them; counts the files
 * into *nfiles. */
static int export_weights(const nn_model *m, const char *dir, int *nfiles, nn_err *e)
{
    char path[4096];
    for (int i = 0; i < m->n; i++) {
        const nn_node *nd = &m->nodes[i];
        if (nd->kind != NN_NODE_DENSE || nd->shared != i)
            continue;
        char name[NN_NAMEMAX + 16];
        long ks[2] = {nd->fan_in, nd->dense.units}, bs[1] = {nd->dense.units};
        snprintf(name, sizeof name, "%s_kernel.npy", nd->name);
        if (nn_npy_save(join(path, sizeof path, dir, name), m->params + nd->w_off, 2,
                        ks, e) != NN_OK)
            return NN_FAIL;
        (*nfiles)++;
        if (nd->dense.use_bias) {
            snprintf(name, sizeof name, "%s_bias.npy", nd->name);
            if (nn_npy_save(join(path, sizeof path, dir, name), m->params + nd->b_off,
                            1, bs, e) != NN_OK)
                return NN_FAIL;
            (*nfiles)++;
        }
    }
    return NN_OK;
}

/* DIR/check_x.npy and DIR/check_y.npy: a few inputs (*rows; *from_data
 * when they are the training data's) and nnlab's outputs, for model.py to
 * compare.  Only for a model of one input and one output that takes all
 * the columns (*check 0 otherwise: nothing written). */
static int export_check(const repl_session *s, const char *dir, int *check, int *rows,
                        int *from_data, nn_err *e)
{
    const nn_model *m = s->model;
    int outs[NN_MAXOUT], nout = nn_model_outputs(m, outs);
    int in = nn_model_input(m);
    *check = nn_model_ninputs(m) == 1 && nout == 1 && m->nodes[in].col_from == 0;
    *from_data = 0;
    *rows = 0;
    if (!*check)
        return NN_OK;
    char path[4096];
    int d = m->nodes[in].size, od = m->nodes[outs[0]].size, rc = NN_FAIL;
    float *x = calloc((size_t)8 * d, sizeof *x);
    float *y = calloc((size_t)8 * od, sizeof *y);
    nn_model *c = nn_model_clone(m, e);   /* predicting must not touch m's activations */
    if (!x || !y || !c) {
        if (c)
            nn_fail(e, "out of memory");
        goto out;
    }
    *from_data = check_inputs(s, d, x, rows);
    if (nn_model_predict(c, x, d, *rows, y, e) != NN_OK)
        goto out;
    long xs[NN_MAXDIMS + 1], ys[2] = {*rows, od};
    xs[0] = *rows;
    for (int k = 0; k < m->nodes[in].ndim; k++)
        xs[k + 1] = m->nodes[in].shape[k];
    if (nn_npy_save(join(path, sizeof path, dir, "check_x.npy"), x,
                    m->nodes[in].ndim + 1, xs, e) != NN_OK ||
        nn_npy_save(join(path, sizeof path, dir, "check_y.npy"), y, 2, ys, e) != NN_OK)
        goto out;
    rc = NN_OK;
out:
    free(x);
    free(y);
    nn_model_free(c);
    return rc;
}

/* README.txt: what the folder holds and how to run it. */
static void export_readme(nn_buf *rd, const nn_model *m, const char *dir, int check,
                          int rows, int from_data)
{
    char q[NN_NAMEMAX * 2 + 4], xnew[4096];
    nn_buf_printf(rd, "This folder holds the model %s, exported by nnlab (export keras).\n\n"
                      "  model.py            rebuilds it with Keras, sets the weights and "
                      "compiles it\n"
                      "  LAYER_kernel.npy    each Dense layer's kernel, shape (fan_in, "
                      "units)\n"
                      "  LAYER_bias.npy      and its bias, shape (units,)\n",
                  repl_py_str(q, sizeof q, m->name));
    if (check)
        nn_buf_printf(rd, "  check_x.npy         %d input samples (%s)\n"
                          "  check_y.npy         nnlab's predictions for them\n",
                      rows, from_data ? "the first rows of the training data"
                                      : "random values in [-1, 1)");
    nn_buf_printf(rd, "\nRun it (needs Python 3 with NumPy and Keras 3, or TensorFlow 2):\n"
                      "  pip install keras tensorflow numpy\n"
                      "  python3 model.py\n"
                      "It prints model.summary()%s.\n\n"
                      "Use it from Python:\n"
                      "  import sys; sys.path.insert(0, \"%s\")\n"
                      "  from model import model\n"
                      "  model.predict(%s)\n"
                      "Read one array:  np.load(\"LAYER_kernel.npy\")\n"
                      "Save it as a Keras file:  model.save(\"my_model.keras\")\n",
                  check ? " and the largest difference between Keras's\npredictions "
                          "and nnlab's on the check samples (it should be about 1e-7)"
                        : "",
                  dir, repl_keras_x(xnew, sizeof xnew, m, "X_new"));
}

/* DIR/name holding b's text; NN_OK, or NN_FAIL with e filled. */
static int write_buf(const char *dir, const char *name, const nn_buf *b, nn_err *e)
{
    char path[4096];
    if (b->oom)
        return nn_fail(e, "out of memory");
    return write_text(join(path, sizeof path, dir, name), nn_buf_str(b), b->len, e);
}

static int cmd_export(repl_session *s, const repl_args *a)
{
    if (strcmp(a->pos[0], "keras") != 0)
        return repl_error(s, "export", "unknown format '%s'; give: export keras DIR",
                          a->pos[0]);
    if (a->npos != 2)
        return repl_error(s, "export", "give a folder: export keras DIR");
    const char *dir = a->pos[1];
    nn_model *m = s->model;
    if (!m || m->n - nn_model_ninputs(m) == 0)
        return repl_error(s, "export", "there is no model to export; build one first");
    if (strlen(dir) > 3000)
        return repl_error(s, "export", "folder name too long");
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return repl_error(s, "export", "%s exists and is not a folder", dir);
    } else if (mkdir(dir, 0777) != 0)
        return repl_error(s, "export", "cannot make the folder %s: %s", dir,
                          strerror(errno));
    nn_err e;
    int nfiles = 0, check, rows, from_data, rc = 0;
    nn_buf py, rd;
    nn_buf_init(&py);
    nn_buf_init(&rd);
    if (export_weights(m, dir, &nfiles, &e) != NN_OK ||
        export_check(s, dir, &check, &rows, &from_data, &e) != NN_OK)
        goto fail;
    nfiles += check ? 2 : 0;
    repl_keras_model_py(&py, m, check, rows);
    if (write_buf(dir, "model.py", &py, &e) != NN_OK)
        goto fail;
    nfiles++;
    export_readme(&rd, m, dir, check, rows, from_data);
    if (write_buf(dir, "README.txt", &rd, &e) != NN_OK)
        goto fail;
    nfiles++;
    printf("exported \"%s\" to %s/: model.py, README.txt and %d .npy file%s; run: "
           "python3 %s/model.py\n", m->name, dir, nfiles - 2, nfiles - 2 == 1 ? "" : "s",
           dir);
    goto out;
fail:
    rc = repl_error(s, "export", "%s", e.msg);
out:
    nn_buf_free(&py);
    nn_buf_free(&rd);
    return rc;
}

/* ---- keras: the session as Keras code ---- */

static int cmd_keras(repl_session *s, const repl_args *a)
{
    const nn_model *m = s->model;
    if (!m || m->n - nn_model_ninputs(m) == 0)
        return repl_error(s, "keras", "there is no model yet; build one (input, dense "
                          "...) and keras prints it as Keras code");
    nn_buf b;
    nn_buf_init(&b);
    repl_keras_session(&b, s);
    if (b.oom) {
        nn_buf_free(&b);
        return repl_error(s, "keras", "out of memory");
    }
    const char *to = repl_arg_str(a, "to");
    nn_err e;
    int rc = 0;
    if (!to)
        fputs(nn_buf_str(&b), stdout);
    else if (!*to)
        rc = repl_error(s, "keras", "to= needs a file name, e.g. keras to=model_code.py");
    else if (write_text(to, nn_buf_str(&b), b.len, &e) != NN_OK)
        rc = repl_error(s, "keras", "%s", e.msg);
    else
        printf("wrote the session's Keras code to %s; run it: python3 %s\n", to, to);
    nn_buf_free(&b);
    return rc;
}

static const repl_opt keras_opts[] = {
    {.name = "to", .type = REPL_T_FILE, .shown = "FILE.py",
     .help = "write the code to this file (written whole, then renamed) instead of "
             "printing it"},
    REPL_END
};

/* ---- the table ---- */

/* What export writes: one format so far (its word, then the folder). */
static const repl_form export_forms[] = {
    {.word = "keras", .args = "DIR"},
    {0}
};


const repl_cmd repl_cmds_export[] = {
    {.name = "export", .topic = "files", .run = cmd_export,
     .forms = export_forms,
     .summary = "write the model as Keras code plus .npy weights",
     .help =
     "Makes the folder DIR (when needed) and writes into it:\n"
     "  model.py          Python that rebuilds the model with Keras (Sequential\n"
     "                    or Functional), sets nnlab's weights with\n"
     "                    layer.set_weights and compiles it the same way\n"
     "  LAYER_kernel.npy  each Dense layer's kernel (fan_in, units) and\n"
     "  LAYER_bias.npy    bias (units,), in NumPy's .npy format (float32)\n"
     "  check_x.npy       a few inputs and nnlab's predictions for them,\n"
     "  check_y.npy       which model.py compares with Keras's\n"
     "  README.txt        how to run it\n"
     "The optimizer's state and the history stay behind (Keras starts a new\n"
     "optimizer).  Run: python3 DIR/model.py\n"
     "\n"
     "Example:\n"
     "  export keras my_model_keras\n"
     "\n"
     "Keras: model.get_layer(\"dense\").set_weights([np.load(\"dense_kernel.npy\"),\n"
     "                                             np.load(\"dense_bias.npy\")])",
     .minpos = 2, .maxpos = 2, .pos_kind = REPL_POS_FORMS},
    {.name = "keras", .topic = "files", .run = cmd_keras, .opts = keras_opts,
     .summary = "print the session as Keras code: data, model, compile, fit",
     .help =
     "Prints the Python code that does in Keras what this session did: the\n"
     "data made as the session made it (Fashion-MNIST loaded as the book does\n"
     "and divided by 255; iris from scikit-learn; a CSV file read with its\n"
     "target; nnlab's generated sets in NumPy with the same formulas; the\n"
     "same split with train_test_split and the same scaler fitted on\n"
     "X_train), the model (keras.Sequential or the Functional API), compile\n"
     "with the same loss, optimizer and metrics, and the last fit with its\n"
     "settings and callbacks.  Weights are not in it: export keras DIR\n"
     "writes them too.  With to=FILE.py the code goes to that file.\n"
     "\n"
     "Example:\n"
     "  keras to=session.py\n"
     "\n"
     "Keras: the code it prints, e.g. model = keras.Sequential([...]);\n"
     "       model.compile(...); history = model.fit(X_train, y_train, ...)",
     .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {NULL},
};
