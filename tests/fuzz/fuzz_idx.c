/* fuzz_idx.c - libFuzzer harness for the IDX loader (nn_idx_load).
 *
 * Input: one byte of flags, two bytes (big-endian) giving the length of
 * the image file, the image file, then the label file.  Flag bit 0 gzips
 * the images, bit 1 the labels (through zlib, so the gzip paths are
 * reached); bit 2 then cuts the last (flags >> 3) bytes off the gzipped
 * images, as a download that stopped would.  A load either fails with a
 * one-line message or gives a data set whose labels are class numbers and
 * whose pixels are in [0, 1]. */
#include <zlib.h>
#include "dataset.h"
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

/* Writes data to path, gzipped when gz; then cuts `cut` bytes off. */
static void put(const char *name, const uint8_t *data, size_t size, int gz,
                size_t cut, char *path, size_t len)
{
    if (!gz) {
        fuzz_write(name, data, size, path, len);
        return;
    }
    snprintf(path, len, "%s/%s", fuzz_dir, name);
    gzFile g = gzopen(path, "wb1");
    if (!g)
        abort();
    if (size && gzwrite(g, data, (unsigned)size) != (int)size)
        abort();
    if (gzclose(g) != Z_OK)
        abort();
    if (cut) {
        FILE *f = fopen(path, "rb+");
        if (!f || fseek(f, 0, SEEK_END) != 0)
            abort();
        long n = ftell(f);
        fclose(f);
        if (truncate(path, n > (long)cut ? n - (long)cut : 0) != 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    int flags = data[0];
    size_t ilen = (size_t)data[1] << 8 | data[2];
    data += 3;
    size -= 3;
    if (ilen > size)
        ilen = size;
    char ipath[128], lpath[128];
    size_t cut = (flags & 4) ? (size_t)(flags >> 3) : 0;
    put("images", data, ilen, flags & 1, cut, ipath, sizeof ipath);
    put("labels", data + ilen, size - ilen, flags & 2, 0, lpath, sizeof lpath);

    /* the byte loader (two threads on the same pair) agrees with the float
     * one: both refuse (the messages may differ: the cap counts bytes), or
     * both read the same values */
    nn_dataset two[2];
    const char *ips[2] = {ipath, ipath}, *lps[2] = {lpath, lpath};
    nn_err e8 = {{0}};
    int rc8 = nn_idx_load_u8(two, ips, lps, 2, &e8);
    nn_dataset ds;
    memset(&ds, 0xa5, sizeof ds);
    nn_err e = {{0}};
    if (nn_idx_load(&ds, ipath, lpath, &e) != NN_OK) {
        fuzz_check_msg(&e);
        if (rc8 == NN_OK)
            abort();
        return 0;
    }
    if (rc8 != NN_OK || two[0].n != ds.n || two[1].d != ds.d)
        abort();
    for (size_t i = 0; i < (size_t)ds.n * ds.d; i++)
        if (nn_dataset_at(&two[0], i) != ds.x[i] || nn_dataset_at(&two[1], i) != ds.x[i])
            abort();
    nn_dataset_free(&two[0]);
    nn_dataset_free(&two[1]);
    if (ds.n <= 0 || ds.d <= 0 || ds.ycols != 1 || ds.nclasses <= 0 ||
        ds.nclasses > 256)
        abort();
    for (size_t i = 0; i < (size_t)ds.n * ds.d; i++)
        if (!(ds.x[i] >= 0 && ds.x[i] <= 1))
            abort();
    for (int i = 0; i < ds.n; i++)
        if (!(ds.y[i] >= 0 && ds.y[i] < ds.nclasses))
            abort();
    nn_dataset_free(&ds);
    return 0;
}
