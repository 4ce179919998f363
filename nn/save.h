/* save.h - the model file (save.c writes it, load.c reads it): a whole
 * model (architecture, weights, compile settings, optimizer state) and its
 * history in one versioned file, as
 * Keras's model.save("my_model.keras") and keras.models.load_model();
 * and atomic file writing, which every file nnlab saves goes through.
 *
 * Saving is atomic: the file is written to PATH.tmpXXXXXX, flushed,
 * fsync'ed and renamed over PATH, so a failed save (full disk, no
 * permission, a crash) leaves the previous file as it was.  Loading
 * validates everything (magic, version, length, checksum, every count and
 * size against the file and the memory cap before allocating, every index,
 * enum and name) and builds a fresh model: on failure nothing the caller
 * owns is touched.
 *
 * The format (version 1), all integers and floats little-endian:
 *   header   "NNLABMDL", u32 version, u32 flags (0), u64 file length
 *   model    name[32], u32 sequential, u32 nodes, u32 nout, u32 out[4],
 *            u64 nparams, u32 compiled, i64 steps, i32 epochs_done
 *   nodes    per node: u32 kind, name[32], u32 nin, u32 in[8], u32 ndim,
 *            u32 shape[4], u32 size, u32 act, dense config (u32 units,
 *            activation, use_bias, kernel_initializer, bias_initializer,
 *            f32 kernel_value, bias_value, u32 trainable), u32 fan_in,
 *            u32 shared, u64 w_off, u64 b_off, and in version 2 u32
 *            col_from (an input's first data column plus 1, 0: all); in
 *            version 3 the kernel's then the bias's initializer arguments
 *            (f32 mean, stddev, minval, maxval, scale, gain, u32 mode,
 *            distribution)
 *   params   nparams f32 (each Dense kernel (fan_in, units) row-major,
 *            then its bias (units), at w_off / b_off)
 *   compile  when compiled: per output u32 loss, u32 from_logits, f32
 *            delta, and in version 3 f32 gamma, f32 alpha, u32
 *            apply_class_balancing (the focal losses); f64 loss_weights[4];
 *            u32 nmetrics, u32 metrics[8], in version 3 u32 top_k;
 *            the optimizer's settings as compiled (optcfg)
 *   state    when compiled: the optimizer's current settings (optcfg),
 *            u64 n, i64 t, f64 u_prod, u32 has_m, u32 has_v, in version
 *            3 u32 has_vh, u32 has_ema, then m, v, vh, ema (n f32 each,
 *            when present)
 *   history  u32 nkeys, keys[64] each, u32 nepochs, per epoch i32 epoch,
 *            f64 lr, f64 value per key
 *   trailer  u32 CRC-32 (zlib's) of every byte before it
 *   optcfg = u32 kind, f64 learning_rate, momentum, u32 nesterov, f64 rho,
 *            beta_1, beta_2, epsilon, initial_accumulator_value, and in
 *            version 3 u32 amsgrad, f64 learning_rate_power,
 *            l1_regularization_strength, l2_regularization_strength,
 *            l2_shrinkage_regularization_strength, beta, weight_decay,
 *            clipnorm, clipvalue, global_clipnorm, u32 use_ema, f64
 *            ema_momentum, u32 ema_overwrite_frequency
 * The header and the trailer keep their place in every later version.
 * A model whose inputs all read all columns is written as version 1, which
 * older nnlab reads; version 2 only adds col_from to each node; version 3
 * (written for a focal loss, an initializer with arguments other than
 * Keras's defaults, an optimizer after nadam, a common optimizer option,
 * amsgrad, or a metric after rmse) adds the focal settings, the
 * initializers' arguments, and the optcfg and state fields above. */
#ifndef NN_SAVE_H
#define NN_SAVE_H

#include <stddef.h>
#include "nn.h"
#include "model.h"
#include "history.h"

#define NN_SAVE_MAGIC "NNLABMDL"    /* 8 bytes at offset 0 */
#define NN_SAVE_VERSION 3

/* Writes m (and h when not NULL) to path.  NN_OK, or NN_FAIL with e filled
 * and any previous file at path unchanged. */
int nn_model_save(const nn_model *m, const nn_history *h, const char *path,
                  nn_err *e);

/* Reads a model file.  Returns a new model (free with nn_model_free), and
 * when h_out is not NULL replaces *h_out with the saved history (h_out must
 * be initialized; it is left untouched on failure).  NULL with e filled on
 * any error. */
nn_model *nn_model_load(const char *path, nn_history *h_out, nn_err *e);

/* The same from bytes in memory (len bytes at buf).  check_crc 0 skips the
 * checksum, for fuzzing the parser behind it; everything else is checked. */
nn_model *nn_model_from_bytes(const void *buf, size_t len, int check_crc,
                              nn_history *h_out, nn_err *e);

/* ---- atomic files ----
 * nn_afile_open creates PATH.tmpXXXXXX beside path; writes go there;
 * nn_afile_commit flushes, fsyncs and renames it over path (keeping an
 * existing file's permissions; following a symbolic link to its target);
 * on any failure the temporary file is removed and path is untouched.
 * path must not name a directory or a device.  For tests, the environment
 * variable NNLAB_FAULT_WRITE=N makes the Nth write(2) of each file fail
 * with ENOSPC (a full disk). */
typedef struct nn_afile {
    int fd;
    char *path;          /* the final name (a link's target) */
    char *tmp;           /* the temporary name */
    int err;             /* errno of the first failed write, or 0 */
    long nwrites, fault_at;
} nn_afile;

/* out[4n] = the n floats of a as IEEE-754 little-endian bytes (the model
 * file's and NumPy's '<f4'), whatever the machine's byte order. */
void nn_f32_to_le(unsigned char *out, const float *a, size_t n);
int nn_afile_open(nn_afile *f, const char *path, nn_err *e);
/* NN_OK or NN_FAIL; after a failure later writes do nothing and commit
 * fails. */
int nn_afile_write(nn_afile *f, const void *data, size_t len);
int nn_afile_commit(nn_afile *f, nn_err *e);   /* closes f either way */
void nn_afile_abort(nn_afile *f);              /* removes the temporary */

#endif
