/* cmd_split.c - `split`: a random (stratified) part of the training data
 * moved to a test set, and to a validation set (scikit-learn's
 * train_test_split).  The session changes only when all of it worked. */
#include <stdio.h>
#include "data_common.h"
#include "coach.h"
#include "repl.h"

static int cmd_split(repl_session *s, const repl_args *a)
{
    char rb[96];
    double test_size, valid_size;
    int stratify;
    int has_strat;
    if (repl_opt_num(s, a, "test_size", &test_size) < 0 ||
        repl_opt_num(s, a, "valid_size", &valid_size) < 0 ||
        (has_strat = repl_opt_bool(s, a, "stratify", &stratify)) < 0)
        return -1;
    if (test_size + valid_size >= 1.0)
        return repl_error(s, "split", "test_size + valid_size must be below 1 "
                          "(got %g + %g), or nothing is left for training",
                          test_size, valid_size);
    if (repl_need_data(s, "split") < 0)
        return -1;
    if (s->test.n > 0)
        return repl_error(s, "split", "already split (train %d, test %d); "
                          "%s to reload", s->train.n, s->test.n,
                          repl_reload_cmd(s, rb, sizeof rb));
    if (s->valid.n > 0)
        return repl_error(s, "split", "already split (train %d, valid %d); "
                          "%s to reload", s->train.n, s->valid.n,
                          repl_reload_cmd(s, rb, sizeof rb));
    if (s->scaled)
        return repl_error(s, "split", "the data is already scaled, with "
                          "statistics of all of it, so the test part would leak "
                          "into training; %s to reload, then split before "
                          "scale", repl_reload_cmd(s, rb, sizeof rb));
    if (has_strat && stratify && s->train.nclasses == 0)
        return repl_error(s, "split", "stratify=true needs class labels, but "
                          "%s is a regression set; leave stratify out",
                          s->data_name);
    int strat = stratify && s->train.nclasses > 0;

    nn_rng r = s->rng;
    nn_err e = {{0}};
    nn_dataset rest, te, tr = {0}, va = {0};
    if (nn_dataset_split(&s->train, test_size, strat, &r, &rest, &te, &e) !=
        NN_OK)
        return repl_error(s, "split", "%s", e.msg);
    if (valid_size > 0) {
        /* valid_size is a fraction of the whole set, as test_size is */
        double f = valid_size / (1.0 - test_size);
        if (nn_dataset_split(&rest, f, strat, &r, &tr, &va, &e) != NN_OK) {
            nn_dataset_free(&rest);
            nn_dataset_free(&te);
            return repl_error(s, "split", "valid_size=%g: %s", valid_size,
                              e.msg);
        }
        nn_dataset_free(&rest);
    } else
        tr = rest;
    printf("split: train %d, ", tr.n);
    if (va.n)
        printf("valid %d, ", va.n);
    printf("test %d%s\n", te.n, strat ? " (stratified by class)" : "");
    nn_dataset_free(&s->train);
    s->train = tr;
    s->valid = va;
    s->test = te;
    s->perc_valid = 0;
    s->rng = r;
    repl_coach_data_loaded(s);
    return 0;
}

static const repl_opt split_opts[] = {
    {.name = "test_size", .type = REPL_T_FRAC, .shown = "0.2", .def = "0.2",
     .help = "fraction of the samples moved to the test set"},
    {.name = "stratify", .type = REPL_T_BOOL, .shown = "true", .def = "true",
     .help = "keep each class's share in both parts"},
    {.name = "valid_size", .type = REPL_T_NUM, .min = 0.0, .max = 1.0, .shown = "0",
     .def = "0",
     .help = "fraction of the samples moved to a validation set"},
    REPL_END
};

const repl_cmd repl_cmds_split[] = {
    {.name = "split", .topic = "data", .run = cmd_split,
     .opts = split_opts,
     .summary = "move a random part of the training data to a test set",
     .help =
     "Shuffles the training data with the session's generator and\n"
     "moves the fraction test_size of it to a test set (and valid_size,\n"
     "also a fraction of the whole, to a validation set).  With\n"
     "stratify=true (the default for classes) each class keeps its\n"
     "proportion in every part.  The test set is for the end: evaluate\n"
     "test.  Split before scale, so the scaler never sees the test set.\n"
     "A set that is split already must be loaded again to split anew.\n"
     "\n"
     "Example:\n"
     "  split test_size=0.2 valid_size=0.1\n"
     "\n"
     "scikit-learn: X_train, X_test, y_train, y_test = "
     "train_test_split(\n"
     "  X, y, test_size=0.2, stratify=y)",
     .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {NULL},
};
