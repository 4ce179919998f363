/* cmd_gradcheck.c - gradcheck: backpropagation's gradients against
 * finite differences (L(w+h) - L(w-h)) / 2h on the first training
 * samples.  The parameters, and the gradients grads shows, are put back. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "repl.h"
#include "inspect.h"
#include "print.h"
#include "progress.h"
#include "gradcheck.h"
#include "outmap.h"

#define GRADCHECK_PER_TENSOR 100

static int cmd_gradcheck(repl_session *s, const repl_args *a)
{
    long n;
    double h;
    if (repl_opt_int(s, a, "n", &n) < 0 ||
        repl_opt_num(s, a, "h", &h) < 0)
        return -1;
    if (h > 1)
        return repl_error(s, "gradcheck", "h must be a small step, at most 1 "
                          "(got '%s'); 1e-3 suits float32",
                          repl_arg_str(a, "h"));
    if (repl_need_model(s, "gradcheck") < 0)
        return -1;
    nn_model *m = s->model;
    if (!m->compiled)
        return repl_error(s, "gradcheck", "the model is not compiled; the "
                          "check needs its loss: compile loss=... first");
    if (repl_need_data(s, "gradcheck") < 0 ||
        repl_check_input(s, "gradcheck", &s->train) < 0)
        return -1;
    nn_err e = {{0}};
    if (nn_check_data(m, &s->train, &e) != NN_OK)
        return repl_error(s, "gradcheck", "%s", e.msg);
    if (m->nparams == 0)
        return repl_error(s, "gradcheck", "the model has no weights to check; "
                          "add dense first");
    int rows = n < s->train.n ? (int)n : s->train.n;
    /* keep the last training batch's gradients for grads */
    float *keep = malloc(m->nparams * sizeof *keep);
    if (!keep)
        return repl_error(s, "gradcheck", "out of memory");
    memcpy(keep, m->grads, m->nparams * sizeof *keep);
    long keep_step = m->grads_step;
    nn_gradcheck_report rep;
    /* each output's targets of the first rows */
    nn_outmap om;
    if (nn_outmap_make(&om, m, &s->train, &e) != NN_OK) {
        free(keep);
        return repl_error(s, "gradcheck", "%s", e.msg);
    }
    float *ybuf = malloc((size_t)rows * (size_t)nn_outmap_room(&om) * sizeof *ybuf + 1);
    const float *ys[NN_MAXOUT];
    if (ybuf)
        nn_outmap_batch(&om, &s->train, s->train.y, rows, ybuf, ys);
    float *buf = s->train.x8 ? malloc((size_t)rows * s->train.d * sizeof *buf) : NULL;
    int rc = !ybuf || (s->train.x8 && !buf) ? nn_fail(&e, "out of memory")
             : nn_gradcheck_ys(m, nn_dataset_rows(&s->train, 0, rows, buf), s->train.d,
                               ys, rows, h, GRADCHECK_PER_TENSOR, &rep, &e);
    free(buf);
    memcpy(m->grads, keep, m->nparams * sizeof *keep);
    m->grads_step = keep_step;
    free(keep);
    if (rc != NN_OK) {
        free(ybuf);
        return repl_error(s, "gradcheck", "%s", e.msg);
    }

    /* The loss at w, for the rounding floor: float32 keeps about 7
     * digits of L, so (L(w+h) - L(w-h)) / 2h is off by up to about
     * eps * |L| / h whatever the gradient is. */
    double L = nn_model_loss(m, ys, NULL, NULL, 0);
    free(ybuf);
    double floor_abs = FLT_EPSILON * (fabs(L) > 1 ? fabs(L) : 1) / h;
    printf("gradient check on the first %d training samples, h = %g: "
           "backprop against finite differences\n", rows, h);
    int tw = 6;
    for (int i = 0; i < rep.nrows; i++)
        if ((int)strlen(rep.rows[i].tensor) > tw)
            tw = (int)strlen(rep.rows[i].tensor);
    printf("  %-*s  %7s  %16s  %16s  %s\n", tw, "tensor", "checked",
           "worst rel. error", "worst abs. error", "verdict");
    int bad = 0, noise = 0;
    for (int i = 0; i < rep.nrows; i++) {
        const nn_gradcheck_row *r = &rep.rows[i];
        char b1[32], b2[32];
        const char *verdict;
        if (r->count == 0)
            verdict = "skipped (not trainable)";
        else if (r->max_rel < 1e-2)
            verdict = "ok";
        else if (r->max_abs < floor_abs) {
            verdict = "ok (rounding)";
            noise++;
        } else {
            verdict = "check";
            bad++;
        }
        printf("  %-*s  %7zu  %16s  %16s  %s\n", tw, r->tensor, r->count,
               r->count ? repl_num(b1, sizeof b1, r->max_rel) : "-",
               r->count ? repl_num(b2, sizeof b2, r->max_abs) : "-", verdict);
    }
    char lb[32], fb[32];
    printf("numeric = (L(w+h) - L(w-h)) / 2h, one weight at a time (at most "
           "%d per tensor);\n", GRADCHECK_PER_TENSOR);
    printf("relative error = |backprop - numeric| / (|backprop| + |numeric|), "
           "ok below 1e-2.\n");
    printf("L = %s is float32 (about 7 digits): differences under eps * L / h "
           "= %s\n", repl_num(lb, sizeof lb, L), repl_num(fb, sizeof fb, floor_abs));
    printf("are rounding; the relative error of so tiny a gradient means "
           "nothing%s.\n", noise ? " (ok (rounding))" : "");
    if (bad)
        printf("check: a backprop error, or a ReLU kink (z within h of 0 for a "
               "sample);\ntry h=1e-2, another n, or tanh to tell them "
               "apart.\n");
    return 0;
}

static const repl_opt gradcheck_opts[] = {
    {.name = "n", .type = REPL_T_INT, .min = 1, .max = 1000, .shown = "8", .def = "8",
     .help = "number of samples the loss is computed on"},
    {.name = "h", .type = REPL_T_POS, .shown = "1e-3", .def = "1e-3",
     .help = "the finite-difference step"},
    REPL_END
};

const repl_cmd repl_cmds_gradcheck[] = {
    {.name = "gradcheck", .topic = "inspect", .run = cmd_gradcheck,
     .opts = gradcheck_opts,
     .summary = "check backprop against finite differences",
     .help =
     "Checks the gradients backpropagation computes against numeric\n"
     "ones, on the first n training samples: for a weight w, numeric =\n"
     "(L(w+h) - L(w-h)) / 2h.  Prints per tensor how many weights were\n"
     "checked (at most 100, evenly spread), the worst relative error\n"
     "|backprop - numeric| / (|backprop| + |numeric|) and a verdict:\n"
     "ok below 1e-2.  In float32 errors around 1e-4 .. 1e-3 are only\n"
     "rounding.  The weights, and the gradients grads shows, are left\n"
     "as they were.  Needs data and a compiled model.\n"
     "\n"
     "Example:\n"
     "  gradcheck n=16 h=1e-3\n"
     "\n"
     "Python: the check of CS231n's gradient notes; TensorFlow's\n"
     "  tf.test.compute_gradient(f, [x])",
     .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {NULL},
};
