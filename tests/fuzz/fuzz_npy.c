/* fuzz_npy.c - libFuzzer harness for the .npy reader (nn/npy.h).
 *
 * The input is the file, read both from memory (nn_npy_from_bytes) and
 * from disk (nn_npy_load): the two must agree.  A failure has a message;
 * a success has a shape whose product is n, and survives a round trip
 * through nn_npy_save and nn_npy_load unchanged, bit for bit. */
#include "npy.h"
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

static int same(const nn_npy *a, const nn_npy *b)
{
    if (a->ndim != b->ndim || a->n != b->n)
        return 0;
    for (int i = 0; i < a->ndim; i++)
        if (a->shape[i] != b->shape[i])
            return 0;
    return a->n == 0 || memcmp(a->data, b->data, a->n * sizeof(float)) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nn_npy a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    nn_err e = {{0}}, e2 = {{0}};
    int ra = nn_npy_from_bytes(data, size, &a, &e);
    char path[128];
    fuzz_write("a.npy", data, size, path, sizeof path);
    int rb = nn_npy_load(path, &b, &e2);
    if (ra != rb)
        abort();                /* memory and disk disagree */
    if (ra != NN_OK) {
        fuzz_check_msg(&e);
        fuzz_check_msg(&e2);
        return 0;
    }
    if (!same(&a, &b))
        abort();
    size_t n = 1;
    for (int i = 0; i < a.ndim; i++) {
        if (a.shape[i] < 0)
            abort();
        n *= (size_t)a.shape[i];
    }
    if (n != a.n || a.ndim < 0 || a.ndim > NN_NPY_MAXDIMS)
        abort();
    char hdr[4096];
    size_t hl = nn_npy_header(hdr, sizeof hdr, a.ndim, a.shape);
    if (hl % 64 != 0)
        abort();
    /* round trip */
    char out[160];
    snprintf(out, sizeof out, "%s/b.npy", fuzz_dir);
    nn_npy c;
    memset(&c, 0, sizeof c);
    if (nn_npy_save(out, a.data, a.ndim, a.shape, &e) != NN_OK) {
        fuzz_check_msg(&e);     /* e.g. a shape too long for a header */
    } else {
        if (nn_npy_load(out, &c, &e) != NN_OK || !same(&a, &c))
            abort();
        nn_npy_free(&c);
    }
    nn_npy_free(&a);
    nn_npy_free(&b);
    return 0;
}
