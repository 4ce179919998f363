/* outmap.h - what each output of a model is trained against: columns of
 * the data's targets (fit, evaluate, gradcheck, train_on_batch).
 *
 * An output with target=A[,B...] (nn_node.target) takes those targets'
 * columns in that order (Keras: the output's entry of fit's y dict;
 * several 0/1 labels on one output make it multilabel).  Without one, the
 * only output of a model takes all the data's targets (Keras fit(X, y)
 * with y the target columns), and each output of a model with several
 * takes the first target (Keras fit(X, (y, y)): the book's auxiliary
 * output).  A one-hot target (to_categorical) gives nclasses columns, 1
 * at its class (keras.utils.to_categorical).  Output k's targets for a
 * batch are y itself when they are all of y's columns in order and none
 * is one-hot, else gathered into a buffer. */
#ifndef NN_OUTMAP_H
#define NN_OUTMAP_H

#include "model.h"

typedef struct nn_outmap {
    int nout;
    int nt[NN_MAXOUT];                    /* targets of output k */
    int t[NN_MAXOUT][NN_MAXTARGETS];      /* their indices in the data */
    int cols[NN_MAXOUT];                  /* columns they give */
    int direct[NN_MAXOUT];                /* y as it is */
} nn_outmap;

/* Resolves every output's targets against ds; fails on a target name the
 * data does not have (the message lists the data's targets). */
int nn_outmap_make(nn_outmap *om, const nn_model *m, const nn_dataset *ds,
                   nn_err *e);
/* Output k's targets for rows rows of y (rows, ds->ycols): y itself when
 * direct, else written into out (rows, cols[k]) and out returned. */
const float *nn_outmap_rows(const nn_outmap *om, const nn_dataset *ds, int k,
                            const float *y, int rows, float *out);
/* Columns a gathered output needs per row, summed over outputs (0: all
 * direct): the room of one buffer that holds every output's targets. */
int nn_outmap_room(const nn_outmap *om);
/* Every output's targets of rows rows of y: ys[k] points into y or into
 * buf (rows x nn_outmap_room floats). */
void nn_outmap_batch(const nn_outmap *om, const nn_dataset *ds, const float *y,
                     int rows, float *buf, const float **ys);
/* The targets of output k as text, "species" or "large, odd" (or "y"
 * for an unnamed one). */
void nn_outmap_names(const nn_outmap *om, const nn_dataset *ds, int k,
                     char *buf, size_t len);

#endif
