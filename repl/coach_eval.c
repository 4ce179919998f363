/* coach_eval.c - the coach's evaluation checks: the test set evaluated
 * again and again between fits (tuning on it), and a training accuracy
 * that never beats always answering the most frequent class. */
#include <math.h>
#include <stdlib.h>
#include "coach.h"

#define TEST_EVALS 3        /* the 3rd evaluate test with fits between */
#define MAJORITY_EPOCHS 10

void repl_coach_data_loaded(repl_session *s)
{
    s->coach.test_evals = 0;
    s->coach.fit_since_test = 0;
}

void repl_coach_evaluate(repl_session *s, int split)
{
    repl_coach *c = &s->coach;
    if (split != 2)
        return;
    if (c->test_evals == 0 || c->fit_since_test)
        c->test_evals++;
    c->fit_since_test = 0;
    if (c->test_evals >= TEST_EVALS)
        repl_warn(s, REPL_W_TEST_SET_TUNING, "evaluate",
                  "the test set is evaluated %d times with training "
                  "between: choosing settings by its score tunes them to it, "
                  "and it no longer tells how the model does on new data; "
                  "compare on a validation set (split valid_size=0.1, fit "
                  "validation_data=valid) and evaluate test once, at the end",
                  c->test_evals);
}

/* After MAJORITY_EPOCHS epochs or more of the model, its training
 * accuracy never above the share of the most frequent training class. */
static void check_majority(repl_session *s)
{
    const nn_history *h = &s->hist;
    const nn_dataset *ds = &s->train;
    int ka = nn_history_key(h, "accuracy");
    if (ka < 0 || h->nepochs < MAJORITY_EPOCHS || ds->nclasses < 2 ||
        ds->ycols != 1 || ds->n <= 0 || !repl_warn_due(s, REPL_W_MAJORITY_CLASS))
        return;
    double best = -1;
    for (int r = 0; r < h->nepochs; r++) {
        double v = nn_history_at(h, r, ka);
        if (isfinite(v) && v > best)
            best = v;
    }
    int *cnt = calloc((size_t)ds->nclasses, sizeof *cnt);
    if (!cnt || best < 0) {
        free(cnt);
        return;
    }
    nn_dataset_class_counts(ds, cnt);
    int top = 0;
    for (int k = 1; k < ds->nclasses; k++)
        if (cnt[k] > cnt[top])
            top = k;
    double share = (double)cnt[top] / ds->n;
    free(cnt);
    if (best <= share + 1e-9) {
        char b[32];
        const char *name = ds->class_names && ds->class_names[top]
                               ? ds->class_names[top] : (snprintf(b, sizeof b, "%d", top), b);
        repl_warn(s, REPL_W_MAJORITY_CLASS, "fit",
                  "in %d epochs the training accuracy was never above %.4g, the "
                  "share of the most frequent class, %s: always answering it "
                  "scores as much, so the model has learned nothing yet; look "
                  "at the learning rate (lrfind), the output layer and loss, "
                  "and scale", h->nepochs, share, name);
    }
}

void repl_coach_after_fit(repl_session *s, const nn_fit_result *res,
                          int explained)
{
    s->coach.fit_since_test = 1;
    if (res && res->stop != NN_STOP_NAN && !explained)
        check_majority(s);
}
