/* perceptron.h - scikit-learn's Perceptron (sklearn.linear_model.Perceptron,
 * i.e. SGDClassifier(loss="perceptron", learning_rate="constant")).
 *
 * Defaults: eta0 1.0, max_iter 1000, tol 1e-3, penalty none, alpha 1e-4,
 * l1_ratio 0.15, shuffle 1, fit_intercept 1, n_iter_no_change 5.
 * Binary: labels mapped to -1 / +1; per sample p = w.x + b; when y p <= 0:
 * w += eta0 y x, b += eta0 y.  Penalties as scikit-learn's plain SGD
 * applies them per sample: l2 w *= (1 - eta0 alpha); l1 the cumulative
 * truncated penalty; elasticnet both with l1_ratio.  Epoch loss: sum over
 * samples of max(0, -y p); stop when it has not improved by tol * n for
 * n_iter_no_change epochs, or after max_iter epochs.
 * Several classes: one-vs-rest, one binary perceptron per class, predict
 * argmax of the decision function.  Hard threshold: no probabilities. */
#ifndef NN_PERCEPTRON_H
#define NN_PERCEPTRON_H

#include "dataset.h"

typedef enum nn_penalty { NN_PEN_NONE, NN_PEN_L2, NN_PEN_L1, NN_PEN_ELASTICNET } nn_penalty;
extern const char *const nn_penalty_names[];   /* "none","l2","l1","elasticnet" */

typedef struct nn_perceptron_opts {
    double eta0;
    int max_iter;
    double tol;            /* < 0: no tolerance check */
    nn_penalty penalty;
    double alpha;
    double l1_ratio;
    int shuffle;
    int fit_intercept;
    int n_iter_no_change;
} nn_perceptron_opts;

void nn_perceptron_defaults(nn_perceptron_opts *o);

typedef struct nn_perceptron {
    int d;           /* features */
    int nclasses;    /* >= 2 */
    int nw;          /* weight vectors: 1 when nclasses == 2, else nclasses */
    float *w;        /* (nw, d) */
    float *b;        /* (nw) */
    int n_iter;      /* epochs run (max over the one-vs-rest problems) */
} nn_perceptron;

/* Trains on a classification set (nclasses >= 2).  r drives shuffling. */
int nn_perceptron_fit(nn_perceptron *p, const nn_dataset *ds,
                      const nn_perceptron_opts *o, nn_rng *r, nn_err *e);
/* Class index per row of x (n, d) into out[n]. */
void nn_perceptron_predict(const nn_perceptron *p, const float *x, int n, int *out);
/* Mean accuracy on ds. */
double nn_perceptron_score(const nn_perceptron *p, const nn_dataset *ds);
void nn_perceptron_free(nn_perceptron *p);

#endif
