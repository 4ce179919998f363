/* model.h - a network as a small directed graph of nodes.
 *
 * Nodes are appended in an order where every node's inputs come before it,
 * so the array order is already a topological order: forward is a loop up
 * the array, backward a loop down it (kann's compiled graph, without the
 * compile).  The Sequential API appends a chain; the Functional API names
 * the inputs of each node and may give several inputs and outputs,
 * concatenation and shared layers.
 *
 * Every trainable parameter lives in one buffer, params (nparams floats);
 * gradients in the twin buffer grads.  A Dense node's kernel is (fan_in,
 * units) row-major at params + w_off, its bias (units) at params + b_off,
 * as Keras stores them (get_weights()).
 *
 * Activations: for the last batch each node keeps its output a and the
 * gradient of the loss with respect to it, da, both (rows, size); Dense
 * nodes also keep the pre-activation z and its gradient dz.  All of them
 * stay readable after training (the shell's grads and activations). */
#ifndef NN_MODEL_H
#define NN_MODEL_H

#include <stddef.h>
#include "nn.h"
#include "rng.h"
#include "init.h"
#include "activation.h"
#include "loss.h"
#include "metrics.h"
#include "optim.h"
#include "dataset.h"

#define NN_MAXIN 8       /* inputs of one node */
#define NN_MAXOUT 4      /* outputs of a model */
#define NN_MAXMETRICS 8
#define NN_TARGETSPEC 128   /* an output's target=A,B,... with the NUL */

typedef enum nn_node_kind {
    NN_NODE_INPUT,
    NN_NODE_FLATTEN,
    NN_NODE_DENSE,
    NN_NODE_ACTIVATION,
    NN_NODE_CONCAT,
    /* Keras's merging layers: inputs of one shape, merged element-wise
     * (merge.c); subtract takes exactly two */
    NN_NODE_ADD,
    NN_NODE_SUBTRACT,
    NN_NODE_MULTIPLY,
    NN_NODE_AVERAGE,
    NN_NODE_MAXIMUM,
    NN_NODE_MINIMUM,
    NN_NODE_KIND_COUNT
} nn_node_kind;

#define NN_NODE_IS_MERGE(k) ((k) >= NN_NODE_ADD && (k) <= NN_NODE_MINIMUM)

/* Keras class names: "InputLayer", "Flatten", "Dense", "Activation",
 * "Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum",
 * "Minimum". */
extern const char *const nn_node_class[];

typedef struct nn_dense_cfg {
    int units;                    /* > 0 */
    nn_act activation;            /* default linear, as Keras */
    int use_bias;                 /* default 1 */
    nn_init_kind kernel_initializer;   /* default glorot_uniform */
    nn_init_kind bias_initializer;     /* default zeros */
    float kernel_value, bias_value;    /* for constant */
    nn_init_args kernel_args, bias_args;   /* the initializers' keyword
                                              arguments (Keras's defaults) */
    int trainable;                /* default 1 */
} nn_dense_cfg;

void nn_dense_defaults(nn_dense_cfg *c, int units);

typedef struct nn_node {
    nn_node_kind kind;
    char name[NN_NAMEMAX];
    int nin;                      /* number of inputs */
    int in[NN_MAXIN];             /* indices of input nodes */
    int ndim;                     /* output shape, batch axis left out */
    int shape[NN_MAXDIMS];
    int size;                     /* product of shape: row width */
    /* dense */
    nn_dense_cfg dense;
    int fan_in;
    int shared;                   /* index of the node that owns the weights
                                     (itself unless a shared layer) */
    size_t w_off, b_off;          /* into params / grads */
    /* activation node */
    nn_act act;
    /* last batch, (rows, size); a and da may alias another node's buffers
     * (input and flatten pass through) */
    float *a, *da, *z, *dz;
    int fused;                    /* dz written by a fused loss */
    /* backward's bookkeeping: the first gradient written into a buffer
     * overwrites it, later ones add (so nothing is zeroed first) */
    int da_set;                   /* da holds a gradient of this batch */
    int dw_set;                   /* (owner) grads of the weights written */
    /* input: the data columns it reads are [col_from - 1, col_from - 1 +
     * size) (Keras: X[:, a:b] given to that input); 0: all of them (a
     * model of one input) */
    int col_from;
    /* an output's targets (Keras: the key of its y in fit's dict):
     * "A" or "A,B" (several labels on one output), "" for the default
     * (outmap.h says which) */
    char target[NN_TARGETSPEC];
} nn_node;

typedef struct nn_compile_cfg {
    nn_loss loss[NN_MAXOUT];      /* one per output */
    double loss_weights[NN_MAXOUT];   /* default 1 */
    int nmetrics;
    nn_metric_kind metrics[NN_MAXMETRICS];  /* as given (accuracy unresolved) */
    int top_k;                    /* k of top_k_categorical_accuracy (Keras: 5) */
    nn_opt_cfg opt;
} nn_compile_cfg;

typedef struct nn_model {
    char name[NN_NAMEMAX];
    int sequential;               /* built with the Sequential API */
    int n, cap;                   /* nodes */
    nn_node *nodes;
    int nout;
    int out[NN_MAXOUT];           /* output nodes (Sequential: the last) */
    size_t nparams;
    float *params, *grads;
    int batch_cap;                /* rows the per-batch buffers hold */
    float *slab;                  /* one allocation behind a, da, z, dz */
    size_t slab_len;
    int rows;                     /* rows of the last forward */
    int compiled;
    nn_compile_cfg cc;
    nn_opt opt;
    float *gather;                /* nn_model_forward_data's input columns */
    size_t gather_len;            /* floats it holds */
    long steps;                   /* optimizer steps taken in all */
    long grads_step;              /* the step whose gradients grads hold
                                     (0: none); fit may skip writing
                                     them on steps nothing reads them */
    int epochs_done;              /* epochs trained in all (history) */
} nn_model;

nn_model *nn_model_new(const char *name, int sequential, nn_err *e);
void nn_model_free(nn_model *m);
/* A deep copy: nodes, parameters, compile settings and optimizer state. */
nn_model *nn_model_clone(const nn_model *m, nn_err *e);

/* Building.  Each returns the new node's index, or NN_FAIL with e filled
 * and the model unchanged.  name may be NULL or "" for Keras's automatic
 * names (dense, dense_1, ...).  Weights are drawn from r at once. */
int nn_model_add_input(nn_model *m, const int *shape, int ndim,
                       const char *name, nn_err *e);
int nn_model_add_flatten(nn_model *m, int input, const char *name, nn_err *e);
int nn_model_add_dense(nn_model *m, int input, const nn_dense_cfg *c,
                       const char *name, nn_rng *r, nn_err *e);
int nn_model_add_activation(nn_model *m, int input, nn_act a,
                            const char *name, nn_err *e);
int nn_model_add_concat(nn_model *m, const int *inputs, int n,
                        const char *name, nn_err *e);
/* A merging layer (kind NN_NODE_ADD .. NN_NODE_MINIMUM) of n inputs of
 * one shape (subtract: exactly 2). */
int nn_model_add_merge(nn_model *m, nn_node_kind kind, const int *inputs, int n,
                       const char *name, nn_err *e);
/* Applies Dense layer `layer` again, with the same weights, to `input`
 * (Keras: shared = Dense(30); a = shared(x1); b = shared(x2)): a new node
 * whose weights are its owner's (nd->shared), no parameters of its own;
 * backward adds both uses' gradients into the owner's.  input's size
 * must be the layer's fan_in.  Draws no random number. */
int nn_model_add_call(nn_model *m, int layer, int input, const char *name,
                      nn_err *e);
/* Sets the outputs (Functional API); Sequential models use their last node. */
int nn_model_set_outputs(nn_model *m, const int *outs, int n, nn_err *e);
/* Removes the last node (Sequential pop); fails on an empty model or when
 * only the input is left. */
int nn_model_pop(nn_model *m, nn_err *e);
/* Index of the node named name, or -1. */
int nn_model_find(const nn_model *m, const char *name);
/* Re-draws every parameter from its initializer. */
void nn_model_reinit(nn_model *m, nn_rng *r);

/* Parameters of node i (0 for layers without weights); trainable or not. */
size_t nn_node_params(const nn_model *m, int i);
/* Total, trainable and non-trainable parameter counts. */
void nn_model_count(const nn_model *m, size_t *total, size_t *trainable);
/* Bytes the model would need with rows-row batches (params, grads,
 * optimizer state, activations). */
size_t nn_model_bytes(const nn_model *m, int rows);
/* Number of input nodes (1 for a Sequential model). */
int nn_model_ninputs(const nn_model *m);
/* Which data columns input node i reads: from (0-based) on, its size of
 * them (Keras: fit((X[:, :5], X[:, 2:]), y)); fails when i is not an
 * input or from < 0. */
int nn_model_set_input_columns(nn_model *m, int i, int from, nn_err *e);
/* Whether rows of d values feed the model's inputs: one input without
 * columns takes all d; each input with columns takes its range, which
 * must lie within d; several inputs all need columns. */
int nn_model_check_columns(const nn_model *m, int d, nn_err *e);
/* Input and output nodes of a Sequential model. */
int nn_model_input(const nn_model *m);   /* first input node, or -1 */
int nn_model_output(const nn_model *m);  /* first output node, or -1 */
/* The output nodes into outs (room for NN_MAXOUT): m->out, or the last
 * node when none were set; returns their number (0: no node). */
int nn_model_outputs(const nn_model *m, int *outs);
/* Shape as Keras prints it: "(None, 784)". */
void nn_node_shape_str(const nn_node *n, char *buf, size_t len);

/* Compiling: checks the settings against the outputs and allocates the
 * optimizer state (resetting it). */
void nn_compile_defaults(nn_compile_cfg *c);
int nn_model_compile(nn_model *m, const nn_compile_cfg *c, nn_err *e);

/* Merging layers (merge.c), for pass.c: forward writes nd->a from its
 * inputs' a; backward adds nd->da's share into each input's da (the first
 * write of a batch overwrites: *set flags, as pass.c's put). */
void nn_merge_forward(const nn_model *m, nn_node *nd, int rows);
void nn_merge_backward(nn_model *m, const nn_node *nd, int rows, float *const *dx,
                       int *const *dx_set);

/* Forward for rows samples.  x[i] is (rows, size) for the i-th input node
 * (in node order).  Grows the per-batch buffers when rows > batch_cap.
 * training is 1 inside fit (no effect until layers that differ, such as
 * dropout, arrive). */
int nn_model_forward(nn_model *m, const float *const *x, int rows,
                     int training, nn_err *e);
/* Output k of the last forward, (rows, size). */
const float *nn_model_out(const nn_model *m, int k);

/* Loss of the last forward against targets y[k] (rows, ycols) for each
 * output, with per-sample weights w (rows) or NULL: total = sum_k
 * loss_weights[k] * L_k.  per_out[k] receives each L_k when not NULL.
 * When grad is 1 it also writes the gradient of the total into the
 * outputs' da (or dz when fused), ready for nn_model_backward. */
double nn_model_loss(nn_model *m, const float *const *y, const float *w,
                     double *per_out, int grad);
/* Backward pass from the gradients nn_model_loss left: writes every
 * parameter gradient (zero for frozen layers) and every node's da.  A
 * buffer's first contribution overwrites it and later ones (shared
 * layers, several consumers) add, as zeroing then accumulating would. */
void nn_model_backward(nn_model *m);

/* Plain SGD folded into backward (the "update folded into the
 * weight-gradient product"): for a model whose optimizer is SGD without
 * momentum and which shares no layer (nn_model_can_fold_sgd), one pass
 * that writes, for every trainable Dense layer,
 *   W_out = W_out - lr x^T dz    (sgemm with alpha = -lr, beta = 1)
 *   b_out = b_out - lr sum_rows dz
 * after dx = dz W^T has used the weights before the step, and never
 * writes m->grads (which keep the step m->grads_step).  w_out is
 * m->params (in place) or a copy of it (frozen layers are not written);
 * db has room for nn_model_fold_room floats.  The caller counts the step
 * (m->steps, m->opt.t).  The numbers differ from backward then
 * nn_opt_step in the last bits only: sgemm rounds -lr x^T dz + W once
 * where the two passes round x^T dz, lr g and W - lr g. */
int nn_model_can_fold_sgd(const nn_model *m);
int nn_model_fold_room(const nn_model *m);
void nn_model_backward_sgd(nn_model *m, float lr, float *w_out, float *db);

/* Predictions for n samples of d values each (x: (n, d)) of a model with
 * one output, in chunks: out is (n, output size). */
int nn_model_predict(nn_model *m, const float *x, int d, int n, float *out,
                     nn_err *e);
/* Forward on rows samples of d values each (x: (rows, d)), each input
 * given its columns (gathered into m->gather when they are not all of
 * x); the shapes checked by nn_model_check_columns first. */
int nn_model_forward_data(nn_model *m, const float *x, int d, int rows,
                          int training, nn_err *e);

#endif
