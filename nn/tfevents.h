/* tfevents.h - TensorBoard event files, written without TensorFlow.
 *
 * A file is a sequence of TFRecords (REFERENCE.md):
 *   uint64 len | uint32 masked_crc32c(len bytes) | data | uint32 masked_crc32c(data)
 * all little-endian; CRC-32C is Castagnoli's (reflected polynomial
 * 0x82F63B78; crc32c("123456789") = 0xE3069283) and
 *   masked = ((crc >> 15) | (crc << 17)) + 0xA282EAD8  (mod 2^32).
 * Each record holds one protobuf Event (tensorflow/core/util/event.proto):
 *   Event    wall_time=1 (double), step=2 (int64 varint), file_version=3
 *            (string), summary=5 (Summary)
 *   Summary  value=1 (repeated Value)
 *   Value    tag=1 (string), simple_value=2 (float), histo=5 (HistogramProto)
 *   HistogramProto  min=1 max=2 num=3 sum=4 sum_squares=5 (doubles),
 *            bucket_limit=6 and bucket=7 (packed doubles; bucket i counts
 *            the values in (limit[i-1], limit[i]]).
 * The first record is Event{wall_time, file_version "brain.Event:2"}.
 * Fields equal to their proto3 default (step 0) are left out, as
 * protobuf's own serializer does.  TensorBoard reads simple_value and histo
 * as it reads what tf.summary writes (its data_compat layer migrates them).
 *
 * Files are named events.out.tfevents.<10-digit unix seconds>.<hostname>;
 * when that name is taken (two fits in the same second) ".1", ".2", ...
 * is appended (TensorBoard reads every file whose name holds "tfevents"). */
#ifndef NN_TFEVENTS_H
#define NN_TFEVENTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "buf.h"
#include "nn.h"

/* CRC-32C of n bytes, and its running form (start with crc = 0). */
uint32_t nn_crc32c(const void *data, size_t n);
uint32_t nn_crc32c_update(uint32_t crc, const void *data, size_t n);
/* TFRecord's masked CRC. */
uint32_t nn_crc32c_mask(uint32_t crc);

/* A growable byte string: the growing buffer of buf.h, its fields seen
 * as bytes.  Appends never fail loudly: on out of memory `failed` is set
 * and later appends do nothing.  {0} is empty. */
typedef union nn_bytes {
    nn_buf buf;
    struct {             /* buf's s, len, cap and oom */
        uint8_t *p;
        size_t len, cap;
        int failed;
    };
} nn_bytes;

void nn_bytes_free(nn_bytes *b);

/* Protobuf encodings of one Event, appended to out.  Return NN_OK, or
 * NN_FAIL when memory ran out. */
int nn_tfevent_version(nn_bytes *out, double wall_time);
int nn_tfevent_scalar(nn_bytes *out, double wall_time, int64_t step,
                      const char *tag, float value);
/* Histogram of the n values v (non-finite ones left out) in nbuckets
 * equal-width buckets from their min to their max (tf.summary.histogram's
 * default of 30 when nbuckets <= 0). */
int nn_tfevent_histogram(nn_bytes *out, double wall_time, int64_t step,
                         const char *tag, const float *v, size_t n,
                         int nbuckets);
/* Frames n bytes of data as one TFRecord appended to out. */
int nn_tfrecord(nn_bytes *out, const void *data, size_t n);

/* An open event file. */
typedef struct nn_tfwriter {
    FILE *f;
    char path[4096];
} nn_tfwriter;

/* Seconds since the epoch, with fractions (an Event's wall_time). */
double nn_tfevents_now(void);
/* Creates dir (and its parents) when missing, then a new event file in it
 * named from wall_time and host (gethostname() when host is NULL), and
 * writes the file_version record.  NN_OK or NN_FAIL with e filled. */
int nn_tfwriter_open(nn_tfwriter *w, const char *dir, double wall_time,
                     const char *host, nn_err *e);
int nn_tfwriter_scalar(nn_tfwriter *w, double wall_time, int64_t step,
                       const char *tag, double value, nn_err *e);
int nn_tfwriter_histogram(nn_tfwriter *w, double wall_time, int64_t step,
                          const char *tag, const float *v, size_t n,
                          nn_err *e);
/* Pushes what was written to the file (TensorBoard reads while training). */
int nn_tfwriter_flush(nn_tfwriter *w, nn_err *e);
/* Flushes and closes; safe on a writer that is not open. */
int nn_tfwriter_close(nn_tfwriter *w, nn_err *e);

/* mkdir -p: NN_OK when path is (now) a directory. */
int nn_mkdirs(const char *path, nn_err *e);

#endif
