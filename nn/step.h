/* step.h - inside the engine: one training step (forward, loss, backward,
 * optimizer; Keras's train_step) and what fit keeps from step to step: the
 * trainable ranges, the NaN-undo transaction and the room plain SGD needs
 * to be folded into backward.  fit.c runs the loop around it; the public
 * one-batch call, nn_train_batch, is in fit.h. */
#ifndef NN_STEP_H
#define NN_STEP_H

#include "model.h"

/* The NaN-undo transaction (TerminateOnNaN).  The optimizer reads the
 * weights (and its state) from the current buffers and writes the new ones
 * into the alternate buffers, and then the pointers swap; a non-finite
 * loss at the next forward swaps them back, which restores the weights of
 * the last batch with a finite loss at no copy at all (a memcpy of the
 * weights and state before every step cost as much as the SGD update
 * itself).  m->params and m->opt.m, v are the current weights and state
 * whenever fit is not inside a step. */
typedef struct nn_tx {
    float *w, *state;       /* the alternate buffers (w NULL: in place) */
    size_t nw, nstate;      /* their floats: the model's when allocated */
    struct {                /* the last step, to undo it */
        const float *w, *state;   /* what it made current; w NULL: none */
        long t;                   /* the optimizer's t and u_prod before it */
        double u_prod;
        int swapped_state;        /* it swapped the state too */
    } undo;
} nn_tx;

typedef struct nn_stepper {
    nn_tx tx;
    size_t *off, *len;      /* trainable ranges, room for nroom nodes each */
    int nroom;
    float *fold_db;         /* room for one layer's db; NULL: never folds */
    int fold_room;
} nn_stepper;

/* Buffers for steps on m: the transaction's with undo, the fold's with
 * fold (when m may fold at all). */
int nn_stepper_init(nn_stepper *s, const nn_model *m, int undo, int fold,
                    nn_err *e);
void nn_stepper_free(nn_stepper *s);
/* Whether this step may fold SGD into backward (the model may, and the
 * room fits it). */
int nn_stepper_can_fold(const nn_stepper *s, const nn_model *m);
/* Back to the weights and state before the last step; 0 when there is
 * nothing to undo (no step yet, or the model changed under it). */
int nn_stepper_undo(nn_stepper *s, nn_model *m);

/* Forward, loss, backward, step on a gathered batch, x (rows, d) fed as
 * nn_model_forward_data does, ys[k] (rows, its columns) output k's targets,
 * w (rows) or NULL; *loss gets the loss, per[k] each output's.  Returns 1
 * when the loss is not finite (nothing updated), -1 on error.  s NULL:
 * in place.  With fold (nn_stepper_can_fold), backward and the update are
 * one pass and m->grads are left as they were. */
int nn_step_batch(nn_model *m, nn_stepper *s, int fold, const float *x,
                  int d, const float *const *ys, const float *w, int rows,
                  double *loss, double *per, nn_err *e);

/* use_ema: the optimizer's moving average into the trainable weights
 * (Keras's finalize_variable_values, at the end of fit). */
int nn_step_finalize(nn_model *m, nn_err *e);

/* A compiled model with the optimizer state sized for its parameters
 * (recompiles when a layer was added since). */
int nn_step_ready(nn_model *m, nn_err *e);

#endif
