/* inspect.h - what the commands that look inside a network share
 * (weights, grads, activations, gradcheck): the model, a layer by name,
 * whether data fits the model's input. */
#ifndef REPL_INSPECT_H
#define REPL_INSPECT_H

#include "repl.h"

/* 0 when there is a model with a node, else -1 after the error for cmd. */
int repl_need_model(repl_session *s, const char *cmd);
/* Index of the layer named name, or -1 after an error that suggests a
 * name and lists the layers. */
int repl_find_layer(repl_session *s, const char *cmd, const char *name);
/* 0 when the model's single input takes ds's rows, else -1 after the
 * error for cmd. */
int repl_check_input(repl_session *s, const char *cmd, const nn_dataset *ds);

#endif
