/* cmd_step.c - `step`: N training steps on single random mini-batches
 * (Keras's train_on_batch), each loss printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "progress.h"
#include "repl.h"
#include "train_common.h"
#include "outmap.h"

static int cmd_step(repl_session *s, const repl_args *a)
{
    if (repl_need_model_data(s, "step", 1) != 0)
        return -1;
    long n = 1, bs;
    if (a->npos == 1 && (repl_parse_long(a->pos[0], &n) != 0 || n < 1 || n > 100000))
        return repl_error(s, "step", "N must be a whole number from 1 to 100000 "
                          "(got '%s')", a->pos[0]);
    if (repl_opt_int(s, a, "batch_size", &bs) < 0)
        return -1;
    nn_err e;
    if (nn_check_data(s->model, &s->train, &e) != NN_OK)
        return repl_error(s, "step", "%s", e.msg);
    const nn_dataset *d = &s->train;
    if (bs > d->n)
        bs = d->n;
    int *idx = malloc((size_t)d->n * sizeof *idx);
    float *x = malloc((size_t)bs * d->d * sizeof *x + 1);
    float *y = malloc((size_t)bs * d->ycols * sizeof *y + 1);
    nn_outmap om;
    nn_err e0 = {{0}};
    int room = nn_outmap_make(&om, s->model, d, &e0) == NN_OK ? nn_outmap_room(&om) : 0;
    float *ybuf = malloc((size_t)bs * (size_t)room * sizeof *ybuf + 1);
    int rc = 0;
    if (e0.msg[0]) {
        rc = repl_error(s, "step", "%s", e0.msg);
        goto out;
    }
    if (!idx || !x || !y || !ybuf) {
        rc = repl_error(s, "step", "out of memory");
        goto out;
    }
    for (int i = 0; i < d->n; i++)
        idx[i] = i;
    for (long k = 0; k < n; k++) {
        if (repl_interrupted) {
            printf("Interrupted after %ld step%s.\n", k, k == 1 ? "" : "s");
            break;
        }
        /* a random mini-batch: the first bs of a partial Fisher-Yates */
        for (int j = 0; j < bs; j++) {
            int r = j + (int)nn_rng_below(&s->rng, (uint32_t)(d->n - j));
            int t = idx[j];
            idx[j] = idx[r];
            idx[r] = t;
            nn_dataset_gather(d, idx + j, 1, x + (size_t)j * d->d);
            memcpy(y + (size_t)j * d->ycols, d->y + (size_t)idx[j] * d->ycols,
                   (size_t)d->ycols * sizeof *y);
        }
        double loss;
        const float *ys[NN_MAXOUT];
        nn_outmap_batch(&om, d, y, (int)bs, ybuf, ys);
        if (nn_train_batch_ys(s->model, x, d->d, ys, NULL, (int)bs, &loss, &e) != NN_OK) {
            rc = repl_error(s, "step", "%s", e.msg);
            goto out;
        }
        repl_plot_record_step(s, s->model);
        char v[32];
        repl_format_value(v, sizeof v, loss);
        printf("step %ld: loss %s (batch of %ld)\n", s->model->steps, v, bs);
    }
out:
    free(idx);
    free(x);
    free(y);
    free(ybuf);
    return rc;
}

static const repl_opt step_opts[] = {
    {.name = "batch_size", .type = REPL_T_INT, .min = 1, .max = 1 << 20,
     .shown = "32", .def = "32",
     .help = "samples per step"},
    REPL_END
};

const repl_cmd repl_cmds_step[] = {
    {.name = "step", .topic = "train", .run = cmd_step,
     .args = "[N]",
     .opts = step_opts,
     .summary = "train on N single random mini-batches, printing each loss",
     .help =
     "Runs N training steps, each on a fresh random mini-batch: forward pass,\n"
     "loss, backpropagation, one optimizer update.  Use it to watch the loss\n"
     "move batch by batch, then look inside with grads and activations.\n"
     "Steps are not epochs: they do not enter history.\n"
     "\n"
     "Example:\n"
     "  step 5 batch_size=16\n"
     "\n"
     "Keras: model.train_on_batch(X_batch, y_batch)",
     .minpos = 0, .maxpos = 1, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {NULL},
};
