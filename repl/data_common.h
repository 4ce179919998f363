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

#endif
