/* coach_model.c - the coach's model checks: the output layer against the
 * loss (compile, and fit for what needs the labels), hidden layers that
 * start symmetric (compile), and the cause of a NaN loss when it is a
 * cross-entropy's log of an output that is not a probability. */
#include <stdio.h>
#include "activation.h"
#include "coach.h"
#include "init.h"
#include "loss.h"

#define SYMMETRIC_MIN_UNITS 2
#define REGRESSION_MIN_CLASSES 3

/* The outputs: the declared ones, or the last node (Sequential). */
static int outs_of(const nn_model *m, int *outs)
{
    return nn_model_outputs(m, outs);
}

/* The activation of output node o. */
static nn_act out_act(const nn_model *m, int o)
{
    const nn_node *nd = &m->nodes[o];
    return nd->kind == NN_NODE_DENSE || nd->kind == NN_NODE_ACTIVATION ? nd->act
                                                                     : NN_ACT_LINEAR;
}

static int is_ce(nn_loss_kind k)
{
    return k == NN_LOSS_BCE || k == NN_LOSS_CCE || k == NN_LOSS_SCCE;
}

/* Activations whose values lie in [0, 1]. */
static int gives_probability(nn_act a)
{
    return a == NN_ACT_SIGMOID || a == NN_ACT_SOFTMAX || a == NN_ACT_HARD_SIGMOID;
}

/* The output a cross-entropy takes the log of although it is not a
 * probability, or -1. */
static int non_probability_output(const nn_model *m)
{
    if (!m || !m->compiled)
        return -1;
    int outs[NN_MAXOUT], n = outs_of(m, outs);
    for (int k = 0; k < n; k++) {
        const nn_loss *L = &m->cc.loss[k];
        int kind = m->nodes[outs[k]].kind;
        if (is_ce(L->kind) && !L->from_logits &&
            (kind == NN_NODE_DENSE || kind == NN_NODE_ACTIVATION) &&
            !gives_probability(out_act(m, outs[k])))
            return k;
    }
    return -1;
}

/* What a cross-entropy's output should be: softmax, or sigmoid for the
 * binary one. */
static const char *fitting_act(nn_loss_kind k)
{
    return k == NN_LOSS_BCE ? "sigmoid" : "softmax";
}

static int is_output(const nn_model *m, int i)
{
    int outs[NN_MAXOUT], n = outs_of(m, outs);
    for (int k = 0; k < n; k++)
        if (outs[k] == i)
            return 1;
    return 0;
}

/* A hidden Dense layer whose kernel values are all equal, from a
 * zeros, ones or constant initializer. */
static void check_symmetric_init(repl_session *s)
{
    const nn_model *m = s->model;
    for (int i = 0; i < m->n && repl_warn_due(s, REPL_W_SYMMETRIC_INIT); i++) {
        const nn_node *nd = &m->nodes[i];
        nn_init_kind ki = nd->dense.kernel_initializer;
        if (nd->kind != NN_NODE_DENSE || is_output(m, i) || nd->shared != i ||
            !nd->dense.trainable || nd->size < SYMMETRIC_MIN_UNITS ||
            (ki != NN_INIT_ZEROS && ki != NN_INIT_ONES && ki != NN_INIT_CONSTANT))
            continue;
        const float *w = m->params + nd->w_off;
        size_t nw = (size_t)nd->fan_in * nd->size, j = 1;
        while (j < nw && w[j] == w[0])
            j++;
        if (j < nw)
            continue;   /* the weights were set since (weights load=) */
        repl_warn(s, REPL_W_SYMMETRIC_INIT, "compile",
                  "layer '%s' starts with all its weights equal "
                  "(kernel_initializer=%s), so its %d units get the same "
                  "gradient and stay the same (symmetry); give it a random "
                  "initializer: leave kernel_initializer out (glorot_uniform) "
                  "or use he_normal", nd->name, nn_init_names[ki], nd->size);
    }
}

void repl_coach_compile(repl_session *s)
{
    const nn_model *m = s->model;
    if (!m || !m->compiled)
        return;
    int outs[NN_MAXOUT], nout = outs_of(m, outs);
    for (int k = 0; k < nout; k++) {
        const nn_loss *L = &m->cc.loss[k];
        const nn_node *nd = &m->nodes[outs[k]];
        nn_act act = out_act(m, outs[k]);
        if (!is_ce(L->kind) || L->from_logits ||
            (nd->kind != NN_NODE_DENSE && nd->kind != NN_NODE_ACTIVATION))
            continue;   /* an input or concat as output: fit refuses it */
        if (act == NN_ACT_SOFTMAX && nd->size == 1)
            repl_warn(s, REPL_W_SOFTMAX_ONE_UNIT, "compile",
                      "the output layer '%s' is softmax over 1 unit, which is "
                      "always 1, so the loss cannot move; for two classes use "
                      "dense 1 activation=sigmoid with loss=binary_crossentropy "
                      "(or 2 softmax units)", nd->name);
        else if (!gives_probability(act))
            repl_warn(s, REPL_W_OUTPUT_NOT_PROBABILITY, "compile",
                      "the output layer '%s' is %s, so its outputs are not "
                      "probabilities, and %s takes their log (the loss can turn "
                      "NaN); give it activation=%s (or compile from_logits=true)",
                      nd->name, nn_act_names[act], nn_loss_names[L->kind],
                      fitting_act(L->kind));
        else if (act != NN_ACT_SOFTMAX && L->kind != NN_LOSS_BCE && nd->size >= 2)
            repl_warn(s, REPL_W_SIGMOID_SPARSE, "compile",
                      "the output layer '%s' is %s with %s: its %d scores do not "
                      "sum to 1 as exclusive classes' probabilities do; give it "
                      "activation=softmax", nd->name, nn_act_names[act],
                      nn_loss_names[L->kind], nd->size);
    }
    check_symmetric_init(s);
}

void repl_coach_fit_model(repl_session *s)
{
    const nn_model *m = s->model;
    const nn_dataset *ds = &s->train;
    int outs[NN_MAXOUT];
    if (!m || !m->compiled || outs_of(m, outs) != 1 || ds->nclasses <= 0)
        return;
    const nn_loss *L = &m->cc.loss[0];
    const nn_node *nd = &m->nodes[outs[0]];
    if ((L->kind == NN_LOSS_MSE || L->kind == NN_LOSS_MAE ||
         L->kind == NN_LOSS_HUBER) && ds->nclasses >= REGRESSION_MIN_CLASSES)
        repl_warn(s, REPL_W_REGRESSION_LOSS_ON_CLASSES, "fit",
                  "loss %s treats the %d class numbers as quantities (class 2 "
                  "'twice' class 1); for classes use dense %d "
                  "activation=softmax and compile "
                  "loss=sparse_categorical_crossentropy",
                  nn_loss_names[L->kind], ds->nclasses, ds->nclasses);
    else if ((L->kind == NN_LOSS_SCCE || L->kind == NN_LOSS_CCE) &&
             nd->size != ds->nclasses)
        repl_warn(s, REPL_W_UNITS_NOT_CLASSES, "fit",
                  "the output layer '%s' has %d units for %d classes; give it "
                  "one unit per class: dense %d activation=softmax", nd->name,
                  nd->size, ds->nclasses, ds->nclasses);
}

const char *repl_coach_nan_cause(const repl_session *s, char *buf, size_t len)
{
    int k = non_probability_output(s->model);
    if (k < 0)
        return NULL;
    const nn_model *m = s->model;
    int outs[NN_MAXOUT];
    outs_of(m, outs);
    nn_loss_kind lk = m->cc.loss[k].kind;
    snprintf(buf, len, "The cause is not the learning rate: the output layer "
             "'%s' is %s, so its outputs are not probabilities, and %s takes "
             "their log (log 0 = -inf).  Give it activation=%s (or compile "
             "from_logits=true).", m->nodes[outs[k]].name,
             nn_act_names[out_act(m, outs[k])], nn_loss_names[lk], fitting_act(lk));
    return buf;
}
