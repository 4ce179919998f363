/* fuzz_model.c - libFuzzer harness for the model-file loader
 * (nn_model_load and nn_model_from_bytes, nn/save.h).
 *
 * The input is the file, loaded twice: as it is from disk (every check),
 * and from memory with its length field set right and the checksum not
 * checked, so that mutations reach the parser behind the CRC.  A load
 * either fails with a message, leaving the history passed in as it was,
 * or gives a model that works:
 * a forward pass on a small batch of zeros for every input, and when it
 * is compiled a loss against zero targets and a backward pass, all without
 * a sanitizer report; then it is cloned and freed. */
#include "model.h"
#include "history.h"
#include "save.h"
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

#define ROWS 3

static void exercise(nn_model *m)
{
    float *x[NN_MAXOUT + 16] = {0};
    const float *xin[NN_MAXOUT + 16];
    int nin = 0;
    for (int i = 0; i < m->n && nin < (int)(sizeof x / sizeof x[0]); i++)
        if (m->nodes[i].kind == NN_NODE_INPUT) {
            x[nin] = calloc((size_t)ROWS * (size_t)m->nodes[i].size,
                            sizeof(float));
            if (!x[nin])
                goto out;
            xin[nin] = x[nin];
            nin++;
        }
    nn_err e = {{0}};
    if (nn_model_forward(m, xin, ROWS, 0, &e) != NN_OK) {
        fuzz_check_msg(&e);
        goto out;
    }
    if (m->compiled) {
        /* a Sequential model may list no outputs: its last node is one */
        int nout = m->nout > 0 ? m->nout : 1;
        float *y[NN_MAXOUT] = {0};
        const float *yin[NN_MAXOUT] = {0};
        int ok = 1;
        for (int k = 0; k < nout; k++) {
            int o = m->nout > 0 ? m->out[k] : nn_model_output(m);
            y[k] = calloc((size_t)ROWS * (size_t)m->nodes[o].size,
                          sizeof(float));
            ok = ok && y[k];
            yin[k] = y[k];
        }
        if (ok) {
            nn_model_loss(m, yin, NULL, NULL, 1);
            nn_model_backward(m);
        }
        for (int k = 0; k < nout; k++)
            free(y[k]);
    }
    nn_model *c = nn_model_clone(m, &e);
    nn_model_free(c);
out:
    for (int i = 0; i < nin; i++)
        free(x[i]);
}

/* One load: a failure has a message and leaves h alone; a model works. */
static void one(nn_model *m, nn_history *h, const nn_err *e)
{
    if (!m) {
        fuzz_check_msg(e);
        if (h->nepochs != 0)    /* left untouched on failure */
            abort();
    } else {
        exercise(m);
        nn_model_free(m);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the file as it is: every check, checksum and length included */
    char path[128];
    fuzz_write("m.nnlab", data, size, path, sizeof path);
    nn_history h;
    nn_history_init(&h);
    nn_err e = {{0}};
    one(nn_model_load(path, &h, &e), &h, &e);
    nn_history_free(&h);

    /* behind the checksum: the length field (bytes 16-23) made right and
     * the CRC not checked, so mutations reach the parser (a random change
     * almost never keeps a CRC-32 right) */
    unsigned char *b = malloc(size ? size : 1);
    if (!b)
        return 0;
    memcpy(b, data, size);
    if (size >= 24)
        for (int k = 0; k < 8; k++)
            b[16 + k] = (unsigned char)((uint64_t)size >> (8 * k));
    nn_history_init(&h);
    memset(&e, 0, sizeof e);
    one(nn_model_from_bytes(b, size, 0, &h, &e), &h, &e);
    nn_history_free(&h);
    free(b);
    return 0;
}
