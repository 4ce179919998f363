/* load_node.h - the check of one node as a model file gives it
 * (engine-internal: load.c calls it). */
#ifndef NN_LOAD_NODE_H
#define NN_LOAD_NODE_H

#include "model.h"

/* Node i as the file gives it, checked against saved[0..i): NN_OK, or
 * NN_FAIL with e saying what is wrong; *off is the next free parameter
 * offset (see load_node.c). */
int nn_load_node_ok(const nn_node *saved, int i, int sequential, size_t nparams,
                    size_t *off, nn_err *e);

#endif
