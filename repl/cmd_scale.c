/* cmd_scale.c - `scale`: standard or minmax scaling of the features,
 * fitted on the training part only and applied to every part
 * (scikit-learn's StandardScaler, MinMaxScaler). */
#include <stdio.h>
#include <string.h>
#include "data_common.h"
#include "progress.h"
#include "repl.h"

static const char *const scale_words[] = {"standard", "minmax", NULL};

static int cmd_scale(repl_session *s, const repl_args *a)
{
    char rb[96];
    int kind = nn_lookup(scale_words, a->pos[0]);
    if (kind < 0) {
        const char *hint = repl_suggest(a->pos[0], scale_words);
        return repl_error(s, "scale", "unknown scaler '%s'%s%s%s; choose "
                          "standard ((x - mean) / std) or minmax ((x - min) / "
                          "(max - min))", a->pos[0], *hint ? " (" : "", hint,
                          *hint ? ")" : "");
    }
    if (repl_need_data(s, "scale") < 0)
        return -1;
    if (s->scaled)
        return repl_error(s, "scale", "already scaled (%s); scaling twice "
                          "changes nothing useful; %s to reload",
                          s->scaled == 2 ? "minmax" : "standard",
                          repl_reload_cmd(s, rb, sizeof rb));
    nn_scaler sc;
    nn_err e = {{0}};
    /* scaled values are floats: images kept as bytes become float32 (the
     * same values, so a failure half way changes nothing) */
    if (nn_dataset_to_float(&s->train, &e) != NN_OK ||
        nn_dataset_to_float(&s->valid, &e) != NN_OK ||
        nn_dataset_to_float(&s->test, &e) != NN_OK)
        return repl_error(s, "scale", "%s", e.msg);
    if (nn_scaler_fit(&sc, kind == 0 ? NN_SCALE_STANDARD : NN_SCALE_MINMAX,
                      &s->train, &e) != NN_OK)
        return repl_error(s, "scale", "%s", e.msg);
    nn_scaler_apply(&sc, &s->train);
    if (s->valid.n > 0)
        nn_scaler_apply(&sc, &s->valid);
    if (s->test.n > 0)
        nn_scaler_apply(&sc, &s->test);
    printf("scale: %s, fitted on train (%d samples), applied to train%s%s\n",
           scale_words[kind], s->train.n, s->valid.n ? ", valid" : "",
           s->test.n ? ", test" : "");
    int d = s->train.d, shown = d < 8 ? d : 8;
    int w = 7;
    for (int j = 0; j < shown; j++)
        if (s->train.feature_names &&
            (int)strlen(s->train.feature_names[j]) > w)
            w = (int)strlen(s->train.feature_names[j]);
    if (w > 24)
        w = 24;
    printf("  %-*s  %12s  %12s\n", w, "feature", kind == 0 ? "mean" : "min",
           kind == 0 ? "std" : "max");
    for (int j = 0; j < shown; j++) {
        char fb[32], b1[32], b2[32];
        const char *fname = s->train.feature_names ? s->train.feature_names[j]
                                                   : NULL;
        if (!fname) {
            snprintf(fb, sizeof fb, "x%d", j);
            fname = fb;
        }
        double lo = sc.a[j], hi = kind == 0 ? sc.b[j] : sc.a[j] + sc.b[j];
        printf("  %-*.*s  %12s  %12s\n", w, w, fname, repl_num(b1, sizeof b1, lo),
               repl_num(b2, sizeof b2, hi));
    }
    if (d > shown)
        printf("  ... and %d more feature%s\n", d - shown,
               d - shown == 1 ? "" : "s");
    nn_scaler_free(&s->scaler);
    s->scaler = sc;           /* kept: typed samples are scaled the same way */
    s->scaled = 1 + kind;     /* 1 standard, 2 minmax */
    s->perc_valid = 0;
    return 0;
}


const repl_cmd repl_cmds_scale[] = {
    {.name = "scale", .topic = "data", .run = cmd_scale,
     .args = "standard|minmax",
     .summary = "scale the features, fitted on the training part only",
     .help =
     "Scales every feature with statistics of the training data only,\n"
     "then applies the same transform to the valid and test parts (so\n"
     "nothing of them leaks into training):\n"
     "  standard  (x - mean) / std  (population std; a constant\n"
     "            feature is left at 0)\n"
     "  minmax    (x - min) / (max - min), into [0, 1]\n"
     "Gradient descent converges much faster on features of similar\n"
     "scale.  Scaling is done once; load the data again to change it.\n"
     "\n"
     "Example:\n"
     "  scale standard\n"
     "\n"
     "scikit-learn: scaler = StandardScaler().fit(X_train);\n"
     "  X_train = scaler.transform(X_train); X_test = "
     "scaler.transform(X_test)",
     .minpos = 1, .maxpos = 1, .pos_kind = REPL_POS_WORDS, .pos_values = scale_words},
    {NULL},
};
