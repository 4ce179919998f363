/* history.h - loss and metrics per epoch, as Keras's History callback keeps
 * them (history.history), across every fit of a session.
 *
 * Keys are "loss", the metric names, then "val_" + each; several outputs
 * add "<output>_loss".  A key missing in an epoch (validation in one fit
 * and not in the next) holds NaN. */
#ifndef NN_HISTORY_H
#define NN_HISTORY_H

#include "nn.h"

#define NN_MAXKEYS 80    /* 2 x (loss + 4 outputs x (loss + 8 metrics)) + lr */
#define NN_KEYMAX 64

/* The logs of one moment of training: names and values, as Keras passes
 * logs to callbacks. */
typedef struct nn_logs {
    int n;
    char names[NN_MAXKEYS][NN_KEYMAX];
    double values[NN_MAXKEYS];
} nn_logs;

/* Value of key in logs, or NaN when absent. */
double nn_logs_get(const nn_logs *l, const char *key);
/* Sets key to v (adds it when absent); fails silently past NN_MAXKEYS. */
void nn_logs_set(nn_logs *l, const char *key, double v);

typedef struct nn_history {
    int nkeys;
    char keys[NN_MAXKEYS][NN_KEYMAX];
    int nepochs, cap;
    int *epoch;         /* epoch numbers, 1-based, (nepochs) */
    double *values;     /* (nepochs, NN_MAXKEYS) */
    double *lr;         /* learning rate at the end of each epoch */
} nn_history;

void nn_history_init(nn_history *h);
void nn_history_free(nn_history *h);
void nn_history_clear(nn_history *h);
/* Appends one epoch's logs. */
int nn_history_add(nn_history *h, int epoch, const nn_logs *l, double lr,
                   nn_err *e);
/* Column of key (index), or -1. */
int nn_history_key(const nn_history *h, const char *key);
double nn_history_at(const nn_history *h, int row, int key);
int nn_history_copy(nn_history *dst, const nn_history *src, nn_err *e);

#endif
