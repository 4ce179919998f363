/* plots.h - the figures nnlab draws, one builder per figure family.
 *
 * Each builder checks its data, then fills a plot_job (figure.h) for the
 * output o: the gnuplot text, and the text drawing when o is the fallback
 * (no gnuplot).  It returns 0, or -1 with e filled (one line, with a hint
 * where one helps) and job untouched.  Builders read the engine's data
 * (histories, models, data sets) and may run the model forward (boundary,
 * confusion, images, regression): that changes only its per-batch
 * buffers, as predict does.
 *
 * Layers: plots/ includes nn/ headers, never readline or repl/. */
#ifndef PLOTS_H
#define PLOTS_H

#include "nn.h"
#include "model.h"
#include "history.h"
#include "dataset.h"
#include "activation.h"
#include "figure.h"

/* history.c: loss and metrics per epoch, training dashed red and
 * validation solid blue (the book's pd.DataFrame(history.history).plot()).
 * keys: the keys to draw, or NULL for all. */
int plot_history(plot_job *job, const nn_history *h, const char *const *keys,
                 int nkeys, const plot_out *o, nn_err *e);

/* activation.c: f(z) of each activation over [lo, hi]; with derivative,
 * a second panel with f'(z), where vanishing gradients show. */
int plot_activation(plot_job *job, const nn_act *acts, int n, int derivative,
                    double lo, double hi, const plot_out *o, nn_err *e);

/* lr.c: the learning-rate range test: loss against the rate on a log
 * axis, smoothed loss (may be NULL), the suggested rate marked (0: none).
 * source names where the values come from, for the title. */
int plot_lr(plot_job *job, const double *rates, const double *losses,
            const double *smooth, int n, double suggest, const char *source,
            const plot_out *o, nn_err *e);

/* grads.c: the record of gradient norms during training, and its figure.
 * plot_gradlog_record is called after every optimizer step: it keeps the
 * L2 norm of each Dense kernel's gradient, for every step up to
 * PLOT_GRADLOG_CAP records, then thins them (keeps every other one and
 * records every 2nd, 4th, ... step), so a step costs one pass over the
 * kernels' gradients at most, and less as training goes on; before a fit,
 * plot_gradlog_prepare may start it sparser.  Steps it does not keep need
 * no gradients at all (fit may then fold the SGD update into backward).  A new model
 * (another layout, or a step count that went back) starts a new record. */
#define PLOT_GRADLOG_CAP 4096
typedef struct plot_gradlog plot_gradlog;
plot_gradlog *plot_gradlog_new(void);
void plot_gradlog_free(plot_gradlog *g);
void plot_gradlog_record(plot_gradlog *g, const nn_model *m);
/* Before training m: starts a record for it if the one held is of
 * another model, and thins it to every min_stride steps at least (a
 * power of 2), so large data sets record about as many points an epoch
 * as small ones.  0, or -1 when out of memory. */
int plot_gradlog_prepare(plot_gradlog *g, const nn_model *m, long min_stride);
/* Whether the record will keep step (so its gradients must be written:
 * fit's keep_grads). */
int plot_gradlog_wants(const plot_gradlog *g, const nn_model *m, long step);
/* Records held for model m (0 when the record is of another model). */
int plot_gradlog_count(const plot_gradlog *g, const nn_model *m);
/* Every how many steps a record is kept now (1, 2, 4, ...). */
long plot_gradlog_stride(const plot_gradlog *g);
/* Copies record i: the step, and the norms of up to max layers. */
int plot_gradlog_get(const plot_gradlog *g, int i, long *step, double *norms,
                     int max);
int plot_grads(plot_job *job, const plot_gradlog *g, const nn_model *m,
               const plot_out *o, nn_err *e);

/* regression.c: 1-D data as points (train, test) and the model's curve
 * over the input range (m may be NULL: the data only). */
int plot_regression(plot_job *job, nn_model *m, const nn_dataset *train,
                    const nn_dataset *test, const char *loss_name,
                    const plot_out *o, nn_err *e);

/* boundary.c: TF Playground's picture: the model's output as a heat map
 * over the plane of the two input features, with the training (filled) and
 * test (outlined) points on top.  Two classes: P(class 1) from orange to
 * blue; more: one colour per class, paler where the model is unsure;
 * regression: the predicted value.  layer >= 0: what unit `unit` of node
 * `layer` computes instead.  m may be NULL (the points only).  Grid
 * columns in the $grid block: x1 x2 out_0 .. out_k-1 class [r g b]. */
int plot_boundary(plot_job *job, nn_model *m, int layer, int unit,
                  const nn_dataset *train, const nn_dataset *test,
                  const plot_out *o, nn_err *e);
/* The grid the boundary uses: g x g points over the data's box. */
void plot_boundary_box(const nn_dataset *train, const nn_dataset *test,
                       double box[4]);

/* hist.c: histograms of several sets of values overlaid (weights,
 * gradients or activations of one or more layers). */
int plot_hist(plot_job *job, const char *title, const char *xlabel,
              const char *const *names, const float *const *vals,
              const size_t *counts, int nsets, const plot_out *o, nn_err *e);

/* confusion.c: rows the true class, columns the predicted one, counts in
 * the cells, colour the fraction of the true class (recall). */
int plot_confusion(plot_job *job, nn_model *m, const nn_dataset *ds,
                   const char *split, const plot_out *o, nn_err *e);

/* images.c: a grid of the first n images of ds with their class names,
 * and the model's prediction (red when wrong) when m is not NULL. */
int plot_images(plot_job *job, nn_model *m, const nn_dataset *ds,
                const char *split, int n, const plot_out *o, nn_err *e);

/* Predicted class of each of n rows of out (n, k): argmax, or for one
 * sigmoid output out > 0.5. */
void plot_argmax(const float *out, int n, int k, int *pred);

#endif
