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
/* The data part of the session's code (keras_data.c): Python that makes
 * X_train, y_train (X_valid, X_test where the session has them) as the
 * session did, from the record's data, split and scale lines. */
void repl_keras_data(nn_buf *b, const repl_session *s);
/* The import lines the code needs (csv, numpy, scikit-learn), by the
 * names it uses outside comments; "import keras" is the caller's. */
void repl_keras_imports(nn_buf *b, const char *code);
/* model.py: the model with its weights set from LAYER_kernel.npy and
 * LAYER_bias.npy, compiled; with check, its main block compares Keras's
 * predictions on check_x.npy (rows samples) with check_y.npy. */
void repl_keras_model_py(nn_buf *b, const nn_model *m, int check, int rows);
/* What Keras is given for X (named x): x itself, or each input's columns,
 * e.g. "(X_train[:, 0:5], X_train[:, 2:8])"; returns buf. */
const char *repl_keras_x(char *buf, size_t len, const nn_model *m, const char *x);

/* ", name=V" after the last argument (or "name=V" right after "("), V
 * in a repl_py_float style (keras.c). */
void repl_keras_kwarg(nn_buf *b, const char *name, double v, int style);
/* keras.optimizers.Adam(learning_rate=0.001, ...): Keras's defaults left
 * out (keras_names.c). */
void repl_keras_optimizer(nn_buf *b, const nn_opt_cfg *c);
/* One metric as Keras names it, "precision" or
 * keras.metrics.F1Score(average="macro", ...), for an output with loss L;
 * top_k the k of the top_k metrics (keras_names.c). */
void repl_keras_metric(nn_buf *b, nn_metric_kind k, const nn_loss *L, int top_k);
/* Initializer k with arguments a (constant: value) as Keras 3 takes it: its
 * name ("he_normal"), or keras.initializers.Class(arguments that differ
 * from the defaults) (keras_init.c). */
void repl_keras_init(nn_buf *b, nn_init_kind k, const nn_init_args *a, float value);

#endif
