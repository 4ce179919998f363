/* keras.h - the Keras code generator (keras.c): the Python that rebuilds
 * the session's model, compile, fit and callbacks in Keras.  The `keras`
 * command prints repl_keras_session; export keras DIR writes
 * repl_keras_model_py as model.py.  (repl_callbacks_keras, the callbacks
 * alone, is declared in repl.h.) */
#ifndef REPL_KERAS_H
#define REPL_KERAS_H

#include "repl.h"
#include "buf.h"

/* import, the data's shapes, the model, compile and (once compiled) the
 * last fit; s->model must hold a layer. */
void repl_keras_session(nn_buf *b, const repl_session *s);
/* model.py: the model with its weights set from LAYER_kernel.npy and
 * LAYER_bias.npy, compiled; with check, its main block compares Keras's
 * predictions on check_x.npy (rows samples) with check_y.npy. */
void repl_keras_model_py(nn_buf *b, const nn_model *m, int check, int rows);
/* What Keras is given for X (named x): x itself, or each input's columns,
 * e.g. "(X_train[:, 0:5], X_train[:, 2:8])"; returns buf. */
const char *repl_keras_x(char *buf, size_t len, const nn_model *m, const char *x);

/* Initializer k with arguments a (constant: value) as Keras 3 takes it: its
 * name ("he_normal"), or keras.initializers.Class(arguments that differ
 * from the defaults) (keras_init.c). */
void repl_keras_init(nn_buf *b, nn_init_kind k, const nn_init_args *a, float value);

#endif
