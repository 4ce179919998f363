/* data_common.h - what the data commands share (data, split, scale,
 * show): the data set names, how to load the current data again, the
 * fraction keywords, and where Fashion-MNIST is installed. */
#ifndef REPL_DATA_COMMON_H
#define REPL_DATA_COMMON_H

#include <stddef.h>
#include "repl.h"

/* Where `data fashion_mnist` looks (the Debian package
 * dataset-fashion-mnist); lessons' "# requires: fashion-mnist" too. */
#define REPL_FASHION_DIR "/usr/share/datasets/fashion-mnist"

/* The words `data` takes first: the generated sets, iris, fashion_mnist,
 * csv; NULL-terminated. */
extern const char *const repl_data_words[];

/* How to load the current data again: "data xor", or for a CSV file the
 * command with its file (data_name holds the file's base name); returns
 * buf. */
const char *repl_reload_cmd(const repl_session *s, char *buf, size_t len);
/* Whether the class names say more than the class numbers. */
int repl_names_differ(const nn_dataset *ds);
/* A fraction key (test_split, test_size): absent 0 (out = def), valid 1,
 * else -1 after saying that it must lie strictly between 0 and 1. */
int repl_frac_arg(repl_session *s, const repl_args *a, const char *key,
                  double def, double *out);

#endif
