/* search_build.c - the candidate models of a hyperparameter search (see
 * search.h): the template's structure and the checks of a space against
 * it, each candidate built from the template with its values, and its
 * score.  The runs over the candidates are in search_run.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "search.h"
#include "fit.h"

const char *const nn_scoring_names[] = {"accuracy", "loss", "mse", "mae", "r2", NULL};
const char *const nn_scoring_labels[] = {
    "accuracy", "neg_loss", "neg_mean_squared_error", "neg_mean_absolute_error",
    "r2", NULL
};

/* ---- the template's structure ---- */

static int has_shared(const nn_model *m)
{
    for (int i = 0; i < m->n; i++)
        if (m->nodes[i].kind == NN_NODE_DENSE && m->nodes[i].shared != i)
            return 1;
    return 0;
}

/* The Dense layers of a Sequential stack (input, flatten..., then Dense
 * layers each followed by any Activation layers): dense[j] is the node of
 * the j-th, *nd their count; the last is the output layer. */
static int stack_of(const nn_model *m, int *dense, int *nd, nn_err *e)
{
    const char *why = "n_hidden and n_neurons rebuild the hidden layers of a "
                      "Sequential stack of Dense layers (Géron's build_model)";
    if (!m->sequential)
        return nn_fail(e, "%s; this model is Functional: search LAYER.units instead",
                       why);
    *nd = 0;
    int seen_dense = 0;
    for (int i = 0; i < m->n; i++) {
        nn_node_kind k = m->nodes[i].kind;
        if (k == NN_NODE_DENSE) {
            dense[(*nd)++] = i;
            seen_dense = 1;
        } else if (seen_dense ? k != NN_NODE_ACTIVATION
                              : k != NN_NODE_INPUT && k != NN_NODE_FLATTEN)
            return nn_fail(e, "%s; layer '%s' (%s) does not fit that shape", why,
                           m->nodes[i].name, nn_node_class[k]);
    }
    if (*nd == 0)
        return nn_fail(e, "%s; this model has no Dense layer", why);
    return NN_OK;
}

/* Which optimizers take a setting (bit per nn_opt_kind). */
static unsigned takers(nn_hp_kind k)
{
    const unsigned sgd = 1u << NN_OPT_SGD, rms = 1u << NN_OPT_RMSPROP,
                   adam = 1u << NN_OPT_ADAM, ada = 1u << NN_OPT_ADAGRAD,
                   nadam = 1u << NN_OPT_NADAM, adamw = 1u << NN_OPT_ADAMW,
                   adamax = 1u << NN_OPT_ADAMAX, delta = 1u << NN_OPT_ADADELTA,
                   ftrl = 1u << NN_OPT_FTRL, lion = 1u << NN_OPT_LION;
    switch (k) {
    case NN_HP_MOMENTUM:
    case NN_HP_NESTEROV:
        return sgd;
    case NN_HP_RHO:
        return rms | delta;
    case NN_HP_BETA_1:
    case NN_HP_BETA_2:
        return adam | nadam | adamw | adamax | lion;
    case NN_HP_EPSILON:
        return rms | adam | ada | nadam | adamw | adamax | delta;
    case NN_HP_INITIAL_ACCUMULATOR_VALUE:
        return ada | ftrl;
    default:
        return ~0u;
    }
}

int nn_space_check(const nn_space *sp, const nn_model *tmpl, nn_err *e)
{
    if (!tmpl->compiled)
        return nn_fail(e, "the model is not compiled");
    if (has_shared(tmpl))
        return nn_fail(e, "this model shares a layer's weights between two "
                          "places; search rebuilds models layer by layer and "
                          "cannot rebuild that");
    /* the optimizers the candidates use */
    unsigned opts = 1u << tmpl->cc.opt.kind;
    int io = -1;
    for (int i = 0; i < sp->n; i++)
        if (sp->p[i].kind == NN_HP_OPTIMIZER) {
            io = i;
            opts = 0;
            for (int j = 0; j < sp->p[i].nvalues; j++)
                opts |= 1u << (int)sp->p[i].values[j];
        }
    int stack = 0, layer = -1;
    for (int i = 0; i < sp->n; i++) {
        const nn_hparam *p = &sp->p[i];
        if (!(takers(p->kind) & opts)) {
            char who[128] = "", have[128] = "";
            size_t a = 0, b = 0;
            for (int k = 0; k < NN_OPT_COUNT; k++) {
                if (takers(p->kind) & (1u << k))
                    a += (size_t)snprintf(who + a, sizeof who - a, "%s%s",
                                          a ? ", " : "", nn_opt_names[k]);
                if (opts & (1u << k))
                    b += (size_t)snprintf(have + b, sizeof have - b, "%s%s",
                                          b ? ", " : "", nn_opt_names[k]);
            }
            return nn_fail(e, "%s is a setting of %s, and the %s %s; add one "
                              "of them to optimizer= or drop %s", p->name, who,
                           io >= 0 ? "search's optimizers are" : "model is compiled with",
                           have, p->name);
        }
        if (p->kind == NN_HP_N_HIDDEN || p->kind == NN_HP_N_NEURONS)
            stack = i + 1;
        if (p->node >= 0)
            layer = i;
    }
    if (stack && layer >= 0)
        return nn_fail(e, "give %s or LAYER settings such as %s, not both: "
                          "n_hidden and n_neurons rebuild the hidden layers",
                       sp->p[stack - 1].name, sp->p[layer].name);
    if (stack) {
        int *dense = malloc((size_t)tmpl->n * sizeof *dense + 1), nd;
        if (!dense)
            return nn_fail(e, "out of memory");
        int rc = stack_of(tmpl, dense, &nd, e);
        free(dense);
        return rc;
    }
    return NN_OK;
}

/* ---- building a candidate ---- */

typedef struct overrides {
    int *units;             /* per template node, -1: the template's */
    int *act, *init;
    int n_hidden, n_neurons;    /* -1 */
    nn_opt_cfg opt;
} overrides;

static void opt_set(nn_opt_cfg *c, nn_hp_kind k, double v)
{
    if (!(takers(k) & (1u << c->kind)))
        return;    /* a setting of another optimizer: this candidate ignores it */
    switch (k) {
    case NN_HP_LEARNING_RATE:
        c->learning_rate = v;
        break;
    case NN_HP_MOMENTUM:
        c->momentum = v;
        break;
    case NN_HP_NESTEROV:
        c->nesterov = v != 0;
        break;
    case NN_HP_RHO:
        c->rho = v;
        break;
    case NN_HP_BETA_1:
        c->beta_1 = v;
        break;
    case NN_HP_BETA_2:
        c->beta_2 = v;
        break;
    case NN_HP_EPSILON:
        c->epsilon = v;
        break;
    case NN_HP_INITIAL_ACCUMULATOR_VALUE:
        c->initial_accumulator_value = v;
        break;
    default:
        break;
    }
}

static void gather(overrides *o, const nn_model *tmpl, const nn_space *sp,
                   const double *vals)
{
    o->n_hidden = o->n_neurons = -1;
    o->opt = tmpl->cc.opt;
    for (int i = 0; i < tmpl->n; i++)
        o->units[i] = o->act[i] = o->init[i] = -1;
    if (!sp)
        return;
    /* the optimizer first: its settings then land on it */
    for (int j = 0; j < sp->n; j++)
        if (sp->p[j].kind == NN_HP_OPTIMIZER && (int)vals[j] != (int)o->opt.kind) {
            double lr = o->opt.learning_rate;
            nn_opt_defaults(&o->opt, (nn_opt_kind)(int)vals[j]);
            o->opt.learning_rate = lr;
        }
    for (int j = 0; j < sp->n; j++) {
        const nn_hparam *p = &sp->p[j];
        switch (p->kind) {
        case NN_HP_N_HIDDEN:
            o->n_hidden = (int)vals[j];
            break;
        case NN_HP_N_NEURONS:
            o->n_neurons = (int)vals[j];
            break;
        case NN_HP_UNITS:
            o->units[p->node] = (int)vals[j];
            break;
        case NN_HP_ACTIVATION:
            o->act[p->node] = (int)vals[j];
            break;
        case NN_HP_KERNEL_INITIALIZER:
            o->init[p->node] = (int)vals[j];
            break;
        case NN_HP_OPTIMIZER:
        case NN_HP_BATCH_SIZE:
        case NN_HP_EPOCHS:
            break;
        default:
            opt_set(&o->opt, p->kind, vals[j]);
        }
    }
}

/* Adds a copy of template node src to m, its input being node `in` of m
 * (or its own mapped inputs, map[], when in < 0). */
static int add_copy(nn_model *m, const nn_model *tmpl, int src, const int *map,
                    int in, const overrides *o, int units, const char *name,
                    nn_rng *r, nn_err *e)
{
    const nn_node *nd = &tmpl->nodes[src];
    int in0 = in >= 0 ? in : nd->nin > 0 ? map[nd->in[0]] : -1;
    switch (nd->kind) {
    case NN_NODE_INPUT: {
        int k = nn_model_add_input(m, nd->shape, nd->ndim, name, e);
        if (k >= 0 && nd->col_from > 0 &&
            nn_model_set_input_columns(m, k, nd->col_from - 1, e) != NN_OK)
            return NN_FAIL;
        return k;
    }
    case NN_NODE_FLATTEN:
        return nn_model_add_flatten(m, in0, name, e);
    case NN_NODE_DENSE: {
        nn_dense_cfg c = nd->dense;
        if (units > 0)
            c.units = units;
        if (o->units[src] > 0)
            c.units = o->units[src];
        if (o->act[src] >= 0)
            c.activation = (nn_act)o->act[src];
        if (o->init[src] >= 0)
            c.kernel_initializer = (nn_init_kind)o->init[src];
        return nn_model_add_dense(m, in0, &c, name, r, e);
    }
    case NN_NODE_ACTIVATION:
        return nn_model_add_activation(m, in0, nd->act, name, e);
    case NN_NODE_CONCAT: {
        int ins[NN_MAXIN];
        for (int j = 0; j < nd->nin; j++)
            ins[j] = map[nd->in[j]];
        return nn_model_add_concat(m, ins, nd->nin, name, e);
    }
    default: {
        if (!NN_NODE_IS_MERGE(nd->kind))
            return nn_fail(e, "unknown layer kind");
        int ins[NN_MAXIN];
        for (int j = 0; j < nd->nin; j++)
            ins[j] = map[nd->in[j]];
        return nn_model_add_merge(m, nd->kind, ins, nd->nin, name, e);
    }
    }
}

/* A name for an added copy: base_K, taken neither in the template nor in m. */
static void fresh_name(const nn_model *tmpl, const nn_model *m, const char *base,
                       char *out, size_t len)
{
    for (int k = 1;; k++) {
        snprintf(out, len, "%s_%d", base, k);
        if (nn_model_find(tmpl, out) < 0 && nn_model_find(m, out) < 0)
            return;
    }
}

/* Géron's build_model: the template's stack with n_hidden hidden layers of
 * n_neurons units.  Extra layers copy the last hidden one (with its
 * Activation layers); a template without hidden layers gets
 * Dense(n_neurons, activation="relu") ones, as build_model. */
static int build_stack(nn_model *m, const nn_model *tmpl, const overrides *o,
                       nn_rng *r, nn_err *e)
{
    int *dense = malloc((size_t)tmpl->n * sizeof *dense + 1), nd;
    int *map = malloc((size_t)tmpl->n * sizeof *map + 1);
    int rc = NN_FAIL;
    if (!dense || !map) {
        nn_fail(e, "out of memory");
        goto out;
    }
    if (stack_of(tmpl, dense, &nd, e) != NN_OK)
        goto out;
    for (int i = 0; i < dense[0]; i++)
        if ((map[i] = add_copy(m, tmpl, i, map, -1, o, 0, tmpl->nodes[i].name, r, e)) < 0)
            goto out;
    int nhid = nd - 1;
    int want = o->n_hidden >= 0 ? o->n_hidden : nhid;
    for (int j = 0; j < want; j++) {
        int blk = j < nhid ? j : nhid - 1;   /* -1: none to copy */
        char name[NN_NAMEMAX];
        if (blk < 0) {
            nn_dense_cfg c;
            nn_dense_defaults(&c, o->n_neurons > 0 ? o->n_neurons : 30);
            c.activation = NN_ACT_RELU;
            fresh_name(tmpl, m, "dense", name, sizeof name);
            if (nn_model_add_dense(m, m->n - 1, &c, name, r, e) < 0)
                goto out;
            continue;
        }
        int end = dense[blk + 1];
        for (int i = dense[blk]; i < end; i++) {
            const char *nm = tmpl->nodes[i].name;
            if (j >= nhid) {
                fresh_name(tmpl, m, tmpl->nodes[i].kind == NN_NODE_DENSE ? "dense"
                                                                         : "activation",
                           name, sizeof name);
                nm = name;
            }
            int units = tmpl->nodes[i].kind == NN_NODE_DENSE ? o->n_neurons : 0;
            if (add_copy(m, tmpl, i, map, m->n - 1, o, units, nm, r, e) < 0)
                goto out;
        }
    }
    for (int i = dense[nd - 1]; i < tmpl->n; i++)
        if (add_copy(m, tmpl, i, map, m->n - 1, o, 0, tmpl->nodes[i].name, r, e) < 0)
            goto out;
    rc = NN_OK;
out:
    free(dense);
    free(map);
    return rc;
}

static int graph_copy(nn_model *m, const nn_model *tmpl, const overrides *o,
                      nn_rng *r, nn_err *e)
{
    int *map = malloc((size_t)tmpl->n * sizeof *map + 1);
    if (!map)
        return nn_fail(e, "out of memory");
    for (int i = 0; i < tmpl->n; i++)
        if ((map[i] = add_copy(m, tmpl, i, map, -1, o, 0, tmpl->nodes[i].name, r, e)) < 0) {
            free(map);
            return NN_FAIL;
        }
    int rc = NN_OK;
    if (tmpl->nout > 0) {
        int outs[NN_MAXOUT];
        for (int k = 0; k < tmpl->nout; k++)
            outs[k] = map[tmpl->out[k]];
        rc = nn_model_set_outputs(m, outs, tmpl->nout, e);
    }
    free(map);
    return rc;
}

/* The metric scoring reads (a compiled one when there is one): its index
 * in c->metrics, or -1. */
static int scoring_metric(const nn_compile_cfg *c, nn_scoring s)
{
    for (int j = 0; j < c->nmetrics; j++) {
        nn_metric_kind k;
        if (nn_metric_resolve(c->metrics[j], &c->loss[0], &k) != 0)
            continue;
        if (s == NN_SCORE_ACCURACY && (k == NN_MET_BINARY_ACCURACY ||
                                       k == NN_MET_CATEGORICAL_ACCURACY ||
                                       k == NN_MET_SPARSE_CATEGORICAL_ACCURACY))
            return j;
        if ((s == NN_SCORE_MSE && k == NN_MET_MSE) || (s == NN_SCORE_MAE && k == NN_MET_MAE))
            return j;
    }
    return -1;
}

nn_model *nn_search_build(const nn_model *tmpl, const nn_space *sp,
                          const double *vals, nn_scoring scoring, nn_rng *r,
                          nn_err *e)
{
    if (!tmpl->compiled) {
        nn_fail(e, "the model is not compiled");
        return NULL;
    }
    if (has_shared(tmpl)) {
        nn_fail(e, "a model with shared layers cannot be rebuilt");
        return NULL;
    }
    overrides o;
    size_t n = (size_t)tmpl->n + 1;
    o.units = malloc(n * sizeof(int));
    o.act = malloc(n * sizeof(int));
    o.init = malloc(n * sizeof(int));
    nn_model *m = NULL;
    if (!o.units || !o.act || !o.init) {
        nn_fail(e, "out of memory");
        goto fail;
    }
    gather(&o, tmpl, sp, vals);
    m = nn_model_new(tmpl->name, tmpl->sequential, e);
    if (!m)
        goto fail;
    int rc = o.n_hidden >= 0 || o.n_neurons >= 0 ? build_stack(m, tmpl, &o, r, e)
                                                 : graph_copy(m, tmpl, &o, r, e);
    if (rc != NN_OK)
        goto fail;
    nn_compile_cfg c = tmpl->cc;
    c.opt = o.opt;
    if (scoring < NN_SCORE_COUNT && scoring_metric(&c, scoring) < 0 &&
        c.nmetrics < NN_MAXMETRICS) {
        if (scoring == NN_SCORE_ACCURACY)
            c.metrics[c.nmetrics++] = NN_MET_ACCURACY;
        else if (scoring == NN_SCORE_MSE)
            c.metrics[c.nmetrics++] = NN_MET_MSE;
        else if (scoring == NN_SCORE_MAE)
            c.metrics[c.nmetrics++] = NN_MET_MAE;
    }
    if (nn_model_compile(m, &c, e) != NN_OK)
        goto fail;
    free(o.units);
    free(o.act);
    free(o.init);
    return m;
fail:
    nn_model_free(m);
    free(o.units);
    free(o.act);
    free(o.init);
    return NULL;
}

void nn_search_fit_settings(const nn_space *sp, const double *vals, int *epochs,
                            int *batch_size)
{
    for (int j = 0; sp && j < sp->n; j++) {
        if (sp->p[j].kind == NN_HP_EPOCHS)
            *epochs = (int)vals[j];
        else if (sp->p[j].kind == NN_HP_BATCH_SIZE)
            *batch_size = (int)vals[j];
    }
}

/* sklearn r2_score(multioutput="uniform_average", force_finite=True) */
static int score_r2(nn_model *m, const nn_dataset *ds, double *score, nn_err *e)
{
    int k = m->nodes[nn_model_output(m)].size;
    if (k != ds->ycols)
        return nn_fail(e, "r2 needs one output per target (the model has %d, the "
                          "data %d)", k, ds->ycols);
    float *out = nn_calloc((size_t)ds->n * k + 1, sizeof *out, e);
    if (!out)
        return NN_FAIL;
    if (nn_predict_set(m, ds, 0, ds->n, out, e) != NN_OK) {
        free(out);
        return NN_FAIL;
    }
    double total = 0;
    for (int j = 0; j < k; j++) {
        double mean = 0, num = 0, den = 0;
        for (int i = 0; i < ds->n; i++)
            mean += ds->y[(size_t)i * k + j];
        mean /= ds->n;
        for (int i = 0; i < ds->n; i++) {
            double y = ds->y[(size_t)i * k + j], p = out[(size_t)i * k + j];
            num += (y - p) * (y - p);
            den += (y - mean) * (y - mean);
        }
        total += num == 0 ? 1.0 : den == 0 ? 0.0 : 1 - num / den;
    }
    free(out);
    *score = total / k;
    return NN_OK;
}

int nn_search_score(nn_model *m, const nn_dataset *ds, nn_scoring scoring,
                    double *score, nn_err *e)
{
    if (ds->n < 1)
        return nn_fail(e, "no samples to score on");
    if (scoring == NN_SCORE_R2)
        return score_r2(m, ds, score, e);
    nn_logs l;
    if (nn_evaluate(m, ds, 32, &l, e) != NN_OK)
        return NN_FAIL;
    if (scoring == NN_SCORE_LOSS) {
        *score = -nn_logs_get(&l, "loss");
        return NN_OK;
    }
    int j = scoring_metric(&m->cc, scoring);
    if (j < 0)
        return nn_fail(e, "the model does not measure %s", nn_scoring_names[scoring]);
    double v = nn_logs_get(&l, nn_metric_key(m->cc.metrics[j]));
    *score = scoring == NN_SCORE_ACCURACY ? v : -v;
    return NN_OK;
}
