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

static int pass, fail;

static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "PASS" : "FAIL", what);
    if (ok)
        pass++;
    else
        fail++;
}

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
    printf("engine: %d passed, %d failed\n", pass, fail);
    return fail ? 1 : 0;
}
