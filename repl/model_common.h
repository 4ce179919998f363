/* model_common.h - what the model-building commands share (model_common.c). */
#ifndef REPL_MODEL_COMMON_H
#define REPL_MODEL_COMMON_H

#include "repl.h"

/* The model can take a layer that joins branches (concat, add, ..., call):
 * it has layers and is Functional; 0, or -1 after the error for cmd. */
int repl_need_functional(repl_session *s, const char *cmd);
/* A new structure: the history of the old one is cleared. */
void repl_model_changed(repl_session *s);
/* The node a new layer connects to: input=NAME, or the last one; 0, or -1
 * after the error for cmd. */
int repl_pick_input(repl_session *s, const repl_args *a, const char *cmd, int *in);
/* "dense (Dense): output (None, 4), 12 parameters" for node i. */
void repl_layer_added(const repl_session *s, int i);
/* "a,b,c" into the indices of those layers (at most max) in idx, their
 * number in n; 0, or -1 after saying what is wrong. */
int repl_layer_list(repl_session *s, const char *cmd, const char *word,
                    int *idx, int max, int *n);

#endif
