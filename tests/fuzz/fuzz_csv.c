/* fuzz_csv.c - libFuzzer harness for the CSV loader (nn_csv_load).
 *
 * The first byte chooses the options: bit 0 header, bits 1-2 task (auto,
 * classification, regression), bits 3-4 the target (column 0, column 2,
 * the name "label", the last column by a large index); the rest is the
 * file.  A load either fails with a one-line message and leaves the data
 * set empty, or gives a data set whose sizes agree and whose labels are
 * class numbers. */
#include <math.h>
#include "dataset.h"
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const targets[] = {"0", "2", "label", "7"};
    int header = data[0] & 1;
    int task = (data[0] >> 1) & 3;
    if (task == 3)
        task = 0;
    const char *target = targets[(data[0] >> 3) & 3];
    char path[128];
    fuzz_write("f.csv", data + 1, size - 1, path, sizeof path);

    nn_dataset ds;
    memset(&ds, 0xa5, sizeof ds);      /* the loader must not trust it */
    nn_err e = {{0}};
    if (nn_csv_load(&ds, path, target, header, task, &e) != NN_OK) {
        fuzz_check_msg(&e);
        return 0;
    }
    if (ds.n <= 0 || ds.d <= 0 || ds.ycols <= 0 || !ds.x || !ds.y)
        abort();
    volatile float sum = 0;
    for (size_t i = 0; i < (size_t)ds.n * ds.d; i++)
        sum += ds.x[i];                 /* every cell readable */
    for (int i = 0; i < ds.n; i++) {
        float y = ds.y[(size_t)i * ds.ycols];
        if (ds.nclasses > 0 && !(y >= 0 && y < ds.nclasses && y == floorf(y)))
            abort();
    }
    if (ds.class_names)
        for (int c = 0; c < ds.nclasses; c++)
            if (!ds.class_names[c])
                abort();
    if (ds.feature_names)
        for (int j = 0; j < ds.d; j++)
            if (!ds.feature_names[j])
                abort();
    nn_dataset_free(&ds);
    return 0;
}
