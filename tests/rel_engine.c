/* rel_engine.c - engine regressions found by the fuzzers, as small C
 * checks (they are not reachable from a script).  Built with the
 * sanitizers in CI, where each failure is a report, not a wrong number.
 *
 *   - nn_model_clone of a model with no layers (nn_model_new's, or a model
 *     file that holds none: fuzz_model) passed a NULL node array to
 *     memcpy (undefined behaviour; UBSan: "null pointer passed as argument
 *     2").
 *
 * Ends with "engine: N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>
#include "model.h"
#include "rng.h"
#include "rel_check.h"


int main(void)
{
    nn_err e = {{0}};
    nn_model *m = nn_model_new("empty", 1, &e);
    check(m != NULL, "a new model");
    if (m) {
        nn_model *c = nn_model_clone(m, &e);
        check(c != NULL && c->n == 0 && c->nparams == 0,
              "a model with no layers clones");
        nn_model_free(c);
        nn_model_free(m);
    }
    m = nn_model_new("capped", 1, &e);
    int shape[1] = {4000};      /* 12,003 parameters: 48 KB */
    nn_dense_cfg dc;
    nn_dense_defaults(&dc, 3);
    nn_rng r;
    nn_rng_seed(&r, 1);
    int ok = m && nn_model_add_input(m, shape, 1, NULL, &e) >= 0 &&
             nn_model_add_dense(m, 0, &dc, NULL, &r, &e) >= 0;
    check(ok, "a model with a layer");
    if (ok) {
        size_t cap = nn_memcap();
        /* the model struct fits, its node array does not */
        size_t nodes = (size_t)m->cap * sizeof *m->nodes;
        check(nodes > sizeof *m, "the node array is larger than the model");
        nn_set_memcap(sizeof *m);
        nn_err ce = {{0}};
        nn_model *c = nn_model_clone(m, &ce);
        check(c == NULL && ce.msg[0] != '\0',
              "a clone over the memory cap fails with a message");
        nn_model_free(c);
        nn_set_memcap(nodes);     /* nodes fit, parameters do not */
        c = nn_model_clone(m, &ce);
        check(c == NULL, "a clone whose parameters are over the cap fails");
        nn_model_free(c);
        nn_set_memcap(cap);
        c = nn_model_clone(m, &ce);
        check(c != NULL && c->n == m->n && c->nparams == m->nparams,
              "the same clone under the default cap works");
        nn_model_free(c);
    }
    nn_model_free(m);
    return rel_done("engine");
}
