/* seed_model.c - writes the seed corpus of fuzz_model: a few real model
 * files made with nn_model_save (so the seeds follow the file format as it
 * changes), into the folder given as the only argument.  Built and run by
 * tests/fuzz/run.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "repl.h"
#include "save.h"

static const char *const models[][12] = {
    {"data xor n=50", "input 2", "dense 3 activation=relu",
     "dense 1 activation=sigmoid",
     "compile loss=binary_crossentropy optimizer=adam metrics=accuracy",
     "fit epochs=2 verbose=0", NULL},
    {"input 3", "dense 2 activation=tanh", NULL},
    {"data iris", "input 4", "dense 4 activation=relu kernel_initializer=he_normal",
     "dense 3 activation=softmax",
     "compile loss=sparse_categorical_crossentropy optimizer=sgd momentum=0.9 "
     "nesterov=true", "fit epochs=1 verbose=0", NULL},
    {"input 2x2", "flatten", "dense 2 use_bias=false", "activation softmax",
     "compile loss=categorical_crossentropy optimizer=rmsprop", NULL},
    {"model api=functional", "input 2 name=a", "input 1 name=b",
     "dense 2 input=a name=h", "concat h,b name=c", "dense 1 input=c name=out",
     "compile loss=mse optimizer=nadam", NULL},
    {"data sine n=20", "input 1", "dense 2 activation=elu trainable=false",
     "dense 1", "compile loss=huber delta=0.5 optimizer=adagrad",
     "fit epochs=1 verbose=0", NULL},
    /* two inputs reading columns: a version 2 file */
    {"data plane n=40", "model api=functional", "input features=0:1 name=w",
     "input features=0:2 name=d", "dense 3 input=d name=h", "concat w,h name=c",
     "dense 1 name=out", "compile loss=mse optimizer=sgd", "fit epochs=1 verbose=0",
     NULL},
    /* a shared layer and the merging layers */
    {"data plane n=40", "model api=functional", "input features=0:1 name=a",
     "input features=1:2 name=b", "dense 3 input=a name=s", "call s input=b name=t",
     "add s,t", "subtract s,t", "multiply s,t,s", "maximum s,t", "concat add,subtract,"
     "multiply,maximum", "dense 1", "compile loss=mse", "fit epochs=1 verbose=0", NULL},
    /* an optimizer after nadam with the common options and amsgrad's and
     * the ema's buffers, metrics after rmse: a version 3 file */
    {"data xor n=30", "input 2", "dense 3 activation=relu", "dense 1 activation=sigmoid",
     "compile loss=binary_crossentropy optimizer=adamw amsgrad=true use_ema=true "
     "clipnorm=1 metrics=precision,auc", "fit epochs=1 verbose=0", NULL},
    {"data sine n=20", "input 1", "dense 2", "dense 1",
     "compile loss=mse optimizer=ftrl l1_regularization_strength=0.01 metrics=r2_score",
     "fit epochs=1 verbose=0", NULL},
    /* a focal loss and initializer arguments: a version 3 file; glu */
    {"data moons n=30", "input 2",
     "dense 4 kernel_initializer=orthogonal(gain=2) bias_initializer=random_normal(1,0.1)",
     "activation glu", "dense 3 kernel_initializer=variance_scaling(2,fan_avg,uniform)",
     "activation sparsemax", "dense 1 activation=sigmoid",
     "compile loss=binary_focal_crossentropy gamma=3 alpha=0.4 apply_class_balancing=true",
     "fit epochs=1 verbose=0", NULL},
};

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: seed_model DIR\n");
        return 2;
    }
    if (!freopen("/dev/null", "w", stdout))
        return 1;
    int made = 0;
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        repl_session s;
        repl_session_init(&s, 42);
        int ok = 1;
        for (int k = 0; models[i][k] && ok; k++)
            ok = repl_run_line(&s, models[i][k]) == 0;
        if (ok && s.model) {
            char path[4200];
            snprintf(path, sizeof path, "%s/seed%zu.nnlab", argv[1], i);
            nn_err e = {{0}};
            if (nn_model_save(s.model, &s.hist, path, &e) == NN_OK)
                made++;
            else
                fprintf(stderr, "seed_model: %s\n", e.msg);
        }
        repl_session_free(&s);
    }
    fprintf(stderr, "seed_model: %d model files in %s\n", made, argv[1]);
    return made > 0 ? 0 : 1;
}
