/* dataset.h - a data set in memory, and what makes or reads one.
 *
 * x is (n, d) row-major float, one sample per row, d = product of shape.
 * Images may be stored as bytes instead (x8, x NULL): sample i's feature
 * j is then x8[i * d + j] / x8_div (x8_div = 255 for pixels), computed in
 * float when rows are read (nn_dataset_rows, _gather, _at), the same
 * floats bit for bit as p / 255.0f stored; a quarter of the memory.
 * y is (n, ycols): for classification ycols = 1 and y holds the class index
 * as a float (0 .. nclasses-1); for regression ycols targets.  A data set
 * owns its buffers unless it is a view (owns = 0), which points into
 * another's rows. */
#ifndef NN_DATASET_H
#define NN_DATASET_H

#include "nn.h"
#include "rng.h"

#define NN_MAXDIMS 4

#define NN_MAXTARGETS 8   /* target columns of one set */

/* One target column, for a set of several (data csv FILE target=A,B) or a
 * one-hot one.  Target k is column k of y.  Target 0's classes are the
 * set's own nclasses and class_names (what every one-target reader reads),
 * so targets[0].nclasses and .class_names stay 0 and NULL; the others'
 * are here.  onehot (to_categorical): the column keeps the class number
 * and is fed to an output as nclasses 0/1 columns (Keras's
 * keras.utils.to_categorical), so a set is never widened. */
typedef struct nn_target {
    char name[NN_NAMEMAX];
    int nclasses;          /* targets 1..: classes, 0 for regression */
    char **class_names;    /* targets 1..: nclasses names, or NULL */
    int onehot;
} nn_target;

typedef struct nn_dataset {
    char name[64];
    int n;                 /* samples */
    int d;                 /* features per sample */
    int ndim;              /* per-sample shape, e.g. (28, 28) or (2) */
    int shape[NN_MAXDIMS];
    float *x;              /* (n, d), or NULL when stored as bytes */
    unsigned char *x8;     /* (n, d) bytes when x is NULL: x = x8 / x8_div */
    float x8_div;
    int ycols;
    float *y;              /* (n, ycols) */
    int nclasses;          /* 0 for regression */
    char **class_names;    /* nclasses names, or NULL */
    char **feature_names;  /* d names, or NULL */
    nn_target *targets;    /* ycols targets, or NULL: one unnamed target of
                              ycols columns (every generated set) */
    float *sw;             /* (n) sample weights (data csv ...
                              sample_weight=COL), or NULL */
    int owns;              /* frees x, y, sw, targets and names */
} nn_dataset;

/* Asks the kernel for huge pages on a large buffer (p, len bytes), so
 * filling it faults a few dozen times, not thousands; a hint only. */
void nn_advise_huge(void *p, size_t len);
/* Allocates an owning data set of n samples of d features (shape (d)) and
 * ycols targets, zeroed; checked against the memory cap. */
int nn_dataset_alloc(nn_dataset *ds, int n, int d, int ycols, nn_err *e);
void nn_dataset_free(nn_dataset *ds);   /* frees what it owns, zeroes ds */
int nn_dataset_copy(nn_dataset *dst, const nn_dataset *src, nn_err *e);
/* A view of rows [from, from+count): shares x, y and names. */
void nn_dataset_view(nn_dataset *view, const nn_dataset *src, int from, int count);
/* Sets class_names from a list (copied). */
int nn_dataset_set_classes(nn_dataset *ds, int nclasses,
                           const char *const *names, nn_err *e);
/* Sets feature_names from a list of d names (copied). */
int nn_dataset_set_features(nn_dataset *ds, const char *const *names,
                            nn_err *e);
/* An owning set of n samples of d features stored as bytes (x8, value =
 * byte / div, div > 0) and ycols float targets, zeroed; checked against
 * the memory cap (n*d + n*ycols*4 bytes). */
int nn_dataset_alloc_u8(nn_dataset *ds, int n, int d, int ycols, float div,
                        nn_err *e);
/* Rows [from, from+count) as floats: ds->x itself when stored as float,
 * else decoded into buf (count * d floats) and buf returned. */
const float *nn_dataset_rows(const nn_dataset *ds, int from, int count,
                             float *buf);
/* Rows idx[0..count) (or 0..count when idx is NULL) into out (count, d). */
void nn_dataset_gather(const nn_dataset *ds, const int *idx, int count,
                       float *out);
/* Feature value k of the flat (n * d) array, whatever the storage. */
float nn_dataset_at(const nn_dataset *ds, size_t k);
/* Stores a byte set as float in place (for what rewrites the features:
 * scaling); nothing to do for a float set. */
int nn_dataset_to_float(nn_dataset *ds, nn_err *e);
/* How the features are stored, for show data: "float32" or
 * "uint8 (x / 255 when a batch is read)". */
const char *nn_dataset_storage(const nn_dataset *ds, char *buf, size_t len);
/* Bytes the features and targets take. */
size_t nn_dataset_bytes(const nn_dataset *ds);
/* Copies rows idx[0..count) of src into a new owning data set (stored as
 * src is). */
int nn_dataset_take(nn_dataset *dst, const nn_dataset *src, const int *idx,
                    int count, nn_err *e);
/* Shuffled split: the first (1 - test_fraction) of a seeded permutation
 * into train, the rest into test (stratified by class when stratify and the
 * set is a classification set).  0 < test_fraction < 1. */
int nn_dataset_split(const nn_dataset *src, double test_fraction, int stratify,
                     nn_rng *r, nn_dataset *train, nn_dataset *test, nn_err *e);
/* Counts per class into counts[nclasses]. */
void nn_dataset_class_counts(const nn_dataset *ds, int *counts);

/* Targets.  A set without a targets array has one target (column 0 ..
 * ycols-1, unnamed).  The count, then target k's name ("" when unnamed),
 * its classes (0: regression; names into *names, may be NULL) and
 * whether it is one-hot; k in 0 .. nn_dataset_ntargets - 1. */
int nn_dataset_ntargets(const nn_dataset *ds);
const char *nn_dataset_target_name(const nn_dataset *ds, int k);
int nn_dataset_target_classes(const nn_dataset *ds, int k,
                              char *const **names);
int nn_dataset_target_onehot(const nn_dataset *ds, int k);
/* Index of the target named name, or -1. */
int nn_dataset_find_target(const nn_dataset *ds, const char *name);
/* Names the ycols targets (ycols names) of an owning set, making its
 * targets array. */
int nn_dataset_set_target_names(nn_dataset *ds, const char *const *names,
                                nn_err *e);
/* Classes of target k >= 1 (copied), as nn_dataset_set_classes for 0. */
int nn_dataset_set_target_classes(nn_dataset *ds, int k, int nclasses,
                                  const char *const *names, nn_err *e);
/* Marks classification target k one-hot (to_categorical); fails on a
 * regression target or one already one-hot. */
int nn_dataset_to_categorical(nn_dataset *ds, int k, nn_err *e);
/* Per-sample weights (n values, copied; each finite and >= 0, else the
 * error names the row, 1-based); NULL removes them. */
int nn_dataset_set_weights(nn_dataset *ds, const float *w, nn_err *e);
/* The first classification target (the one split stratifies on), or -1. */
int nn_dataset_class_target(const nn_dataset *ds);

/* Feature scaling fitted on one set and applied to others (scikit-learn's
 * StandardScaler: (x - mean) / std, population std, std 0 -> 1;
 * MinMaxScaler: (x - min) / (max - min), range 0 -> 1). */
typedef enum nn_scale_kind { NN_SCALE_STANDARD, NN_SCALE_MINMAX } nn_scale_kind;
typedef struct nn_scaler {
    nn_scale_kind kind;
    int d;
    float *a;   /* mean or min, d */
    float *b;   /* std or max - min, d */
} nn_scaler;
int nn_scaler_fit(nn_scaler *s, nn_scale_kind kind, const nn_dataset *ds, nn_err *e);
void nn_scaler_apply(const nn_scaler *s, nn_dataset *ds);
void nn_scaler_free(nn_scaler *s);

/* Generated sets (datagen.c).  TF Playground's generators where it has
 * them (noise in [0, 0.5] as a fraction, as in Playground's slider / 100):
 *   xor, circles, gauss, spiral: 2 features, 2 classes ("0", "1");
 *   moons: scikit-learn make_moons with Gaussian noise sd = noise;
 *   plane: Playground's regression plane, y = (x1 + x2) / 10 + noise;
 *   sine: 1 feature x in U(-3, 3), y = sin(x) + N(0, noise);
 *   outliers: 1 feature, y = 0.5 x + 1 + N(0, 0.1) with 5% of points
 *   shifted by +-U(5, 10) (for MSE vs MAE vs Huber).
 * n > 0 samples; noise >= 0. */
extern const char *const nn_datagen_names[];  /* NULL-terminated */
int nn_datagen(nn_dataset *ds, const char *name, int n, double noise,
               nn_rng *r, nn_err *e);

/* CSV (csv.c): a header row when header is 1 (names from it; otherwise
 * columns are named c0, c1, ...); target is a column name or a 0-based
 * index.  task: 0 auto (text labels, or few distinct integer values ->
 * classification), 1 classification, 2 regression.  Text labels become
 * class numbers in sorted order (scikit-learn LabelEncoder), and
 * the names are kept in class_names.  Handles quoted fields with commas,
 * CRLF, a UTF-8 byte-order mark; refuses ragged rows, missing values and
 * text in feature columns with the line number in the message. */
int nn_csv_load(nn_dataset *ds, const char *path, const char *target,
                int header, int task, nn_err *e);
/* The same with several targets and a weight column: target is "A" or
 * "A,B,..." (names or indices; NULL or "": the last column), each a
 * column of y in that order, with task[k] for target k (ntask 1: one task
 * for all, 0: auto for all); sample_weight a column of per-sample
 * weights (finite, >= 0), neither feature nor target, or NULL.  The
 * targets are named (targets array) even when there is one. */
typedef struct nn_csv_spec {
    const char *target;
    int header;
    int ntask;
    int task[NN_MAXTARGETS];
    const char *sample_weight;
} nn_csv_spec;
int nn_csv_load_spec(nn_dataset *ds, const char *path, const nn_csv_spec *spec,
                     nn_err *e);

/* IDX (idx.c): Fashion-MNIST / MNIST image and label files, plain or
 * gzip (zlib's gzread reads both).  Pixels scaled to [0, 1]; shape (rows,
 * cols) from the file.  Checks magic, dimensions, sizes, and that the
 * label count equals the image count. */
int nn_idx_load(nn_dataset *ds, const char *images_path,
                const char *labels_path, nn_err *e);
/* The same, pixels kept as bytes (x8, x8_div 255: the same floats when
 * read), decoded straight into place; count pairs of files (images[k],
 * labels[k]) into ds[k], each pair on its own thread (zlib inflates one
 * stream on one core).  On failure every ds[k] is empty and e names the
 * first pair that failed. */
int nn_idx_load_u8(nn_dataset *ds, const char *const *images_path,
                   const char *const *labels_path, int count, nn_err *e);

#endif
