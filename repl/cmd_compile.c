/* cmd_compile.c - `compile`: the loss (one per output, with
 * loss_weights), the optimizer and its settings, the metrics (Keras's
 * model.compile). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "coach.h"
#include "repl.h"
#include "hints.h"

/* loss=NAME[,NAME...] into lks (*nl of them): one loss for every output,
 * or one per output (Keras: loss=["mse", "mse"]).  0 or -1. */
static int parse_losses(repl_session *s, const char *lname, int nout,
                        nn_loss_kind *lks, int *nl)
{
    char lb[256];
    snprintf(lb, sizeof lb, "%s", lname);
    char *save = NULL;
    *nl = 0;
    for (char *t = strtok_r(lb, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (*nl == NN_MAXOUT)
            return repl_error(s, "compile", "at most %d losses (one per output)",
                              NN_MAXOUT);
        if (nn_loss_parse(t, &lks[*nl]) != 0) {
            const char *sug = repl_suggest(t, nn_loss_names);
            char *list = repl_join(nn_loss_names, " ");
            int r = repl_error(s, "compile", "unknown loss '%s'%s%s; losses: %s", t,
                               *sug ? "; " : "", sug, list ? list : "see help compile");
            free(list);
            return r;
        }
        (*nl)++;
    }
    if (*nl == 0 || (*nl != 1 && *nl != nout))
        return repl_error(s, "compile", "give one loss, or one per output: the model "
                          "has %d output%s (got %d losses)", nout, nout == 1 ? "" : "s",
                          *nl);
    return 0;
}

/* loss_weights=W,... (Keras: loss_weights=[0.9, 0.1]): one per output
 * into lw, *nw of them (0 when absent).  0 or -1. */
static int parse_loss_weights(repl_session *s, const repl_args *a, int nout,
                              double *lw, int *nw)
{
    const char *lwl = repl_arg_str(a, "loss_weights");
    *nw = 0;
    if (!lwl)
        return 0;
    char lb[256];
    snprintf(lb, sizeof lb, "%s", lwl);
    char *save = NULL;
    for (char *t = strtok_r(lb, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (*nw == NN_MAXOUT || repl_parse_double(t, &lw[*nw]) != 0 ||
            !(lw[*nw] >= 0) || !isfinite(lw[*nw]) || lw[*nw] > 1e6)
            return repl_error(s, "compile", "loss_weights takes one number >= 0 "
                              "per output, e.g. loss_weights=0.9,0.1 (got '%s')", lwl);
        (*nw)++;
    }
    if (*nw != nout)
        return repl_error(s, "compile", "loss_weights needs one weight per output: "
                          "the model has %d (got %d)", nout, *nw);
    return 0;
}

/* from_logits=, huber's delta=, the focal losses' gamma= alpha= and
 * apply_class_balancing=, checked against the losses lks[nl], into every
 * output's loss of c.  0 or -1. */
static int parse_loss_settings(repl_session *s, const repl_args *a,
                               const nn_loss_kind *lks, int nl, int nout,
                               nn_compile_cfg *c, int *from_logits)
{
    double delta, gamma, alpha;
    int balance;
    if (repl_opt_bool(s, a, "from_logits", from_logits) < 0 ||
        repl_opt_num(s, a, "delta", &delta) < 0 ||
        repl_opt_num(s, a, "gamma", &gamma) < 0 ||
        repl_opt_num(s, a, "alpha", &alpha) < 0 ||
        repl_opt_bool(s, a, "apply_class_balancing", &balance) < 0)
        return -1;
    int huber = 0, focal = 0, bfocal = 0;
    for (int k = 0; k < nl; k++) {
        huber |= lks[k] == NN_LOSS_HUBER;
        focal |= nn_loss_is_focal(lks[k]);
        bfocal |= lks[k] == NN_LOSS_BINARY_FOCAL;
    }
    if (repl_arg_str(a, "delta") && !huber)
        return repl_error(s, "compile", "delta= is huber's setting, not %s's",
                          nn_loss_names[lks[0]]);
    const char *fk = repl_arg_str(a, "gamma") ? "gamma" : repl_arg_str(a, "alpha")
                   ? "alpha" : NULL;
    if (fk && !focal)
        return repl_error(s, "compile", "%s= is a setting of the focal losses "
                          "(binary_focal_crossentropy, categorical_focal_crossentropy), "
                          "not %s's", fk, nn_loss_names[lks[0]]);
    if (repl_arg_str(a, "apply_class_balancing") && !bfocal)
        return repl_error(s, "compile", "apply_class_balancing= is "
                          "binary_focal_crossentropy's setting, not %s's",
                          nn_loss_names[lks[0]]);
    for (int k = 0; k < nl; k++) {
        if (*from_logits && !nn_loss_takes_logits(lks[k]))
            return repl_error(s, "compile", "from_logits= applies to the "
                              "cross-entropy and focal losses only, not %s",
                              nn_loss_names[lks[k]]);
    }
    for (int k = 0; k < nout; k++) {
        c->loss[k].from_logits = *from_logits;
        c->loss[k].delta = (float)delta;
        c->loss[k].gamma = (float)gamma;
        c->loss[k].alpha = (float)alpha;
        c->loss[k].apply_class_balancing = balance;
    }
    return 0;
}

/* The settings only some optimizers take (Ftrl's, amsgrad) and the
 * common ones (every optimizer's, Keras's base Optimizer) into o.  0 or
 * -1. */
static int parse_opt_more(repl_session *s, const repl_args *a, nn_opt_cfg *o)
{
    long freq = o->ema_overwrite_frequency;
    if (repl_opt_bool_or(s, a, "amsgrad", o->amsgrad, &o->amsgrad) < 0 ||
        repl_opt_num_or(s, a, "learning_rate_power", o->learning_rate_power,
                        &o->learning_rate_power) < 0 ||
        repl_opt_num_or(s, a, "l1_regularization_strength", o->l1_regularization_strength,
                        &o->l1_regularization_strength) < 0 ||
        repl_opt_num_or(s, a, "l2_regularization_strength", o->l2_regularization_strength,
                        &o->l2_regularization_strength) < 0 ||
        repl_opt_num_or(s, a, "l2_shrinkage_regularization_strength",
                        o->l2_shrinkage_regularization_strength,
                        &o->l2_shrinkage_regularization_strength) < 0 ||
        repl_opt_num_or(s, a, "beta", o->beta, &o->beta) < 0 ||
        repl_opt_num_or(s, a, "weight_decay", o->weight_decay, &o->weight_decay) < 0 ||
        repl_opt_num_or(s, a, "clipnorm", o->clipnorm, &o->clipnorm) < 0 ||
        repl_opt_num_or(s, a, "clipvalue", o->clipvalue, &o->clipvalue) < 0 ||
        repl_opt_num_or(s, a, "global_clipnorm", o->global_clipnorm,
                        &o->global_clipnorm) < 0 ||
        repl_opt_bool_or(s, a, "use_ema", o->use_ema, &o->use_ema) < 0 ||
        repl_opt_num_or(s, a, "ema_momentum", o->ema_momentum, &o->ema_momentum) < 0 ||
        repl_opt_int_or(s, a, "ema_overwrite_frequency", freq, &freq) < 0)
        return -1;
    o->ema_overwrite_frequency = (int)freq;
    if ((repl_arg_str(a, "ema_momentum") || repl_arg_str(a, "ema_overwrite_frequency")) &&
        !o->use_ema)
        return repl_error(s, "compile", "ema_momentum= and ema_overwrite_frequency= "
                          "do nothing without use_ema=true");
    nn_err e;
    if (nn_opt_check(o, &e) != NN_OK)
        return repl_error(s, "compile", "%s", e.msg);
    return 0;
}

/* The settings of optimizer opt (Keras's defaults for the others) into
 * o; a setting that belongs to another optimizer is an error.  0 or -1. */
static int parse_opt_settings(repl_session *s, const repl_args *a, int opt,
                              nn_opt_cfg *o)
{
    nn_opt_defaults(o, (nn_opt_kind)opt);
    /* a setting of another optimizer (compile's keywords, in order) */
    const repl_cmd *cmd = repl_find("compile");
    for (const repl_opt *k = cmd ? cmd->opts : NULL; k && k->name; k++) {
        int any = 0;
        for (int j = 0; j < NN_OPT_COUNT && !any; j++)
            any = repl_word_in(nn_opt_settings[j], k->name);
        if (any && repl_arg_str(a, k->name) &&
            !repl_word_in(nn_opt_settings[opt], k->name) &&
            !repl_word_in(nn_opt_common_settings, k->name))
            return repl_error(s, "compile", "%s is not a setting of %s; it takes: %s",
                              k->name, nn_opt_names[opt], nn_opt_settings[opt]);
    }
    if (repl_opt_num_or(s, a, "learning_rate", o->learning_rate, &o->learning_rate) < 0 ||
        repl_opt_num_or(s, a, "momentum", o->momentum, &o->momentum) < 0 ||
        repl_opt_bool_or(s, a, "nesterov", o->nesterov, &o->nesterov) < 0 ||
        repl_opt_num_or(s, a, "rho", o->rho, &o->rho) < 0 ||
        repl_opt_num_or(s, a, "beta_1", o->beta_1, &o->beta_1) < 0 ||
        repl_opt_num_or(s, a, "beta_2", o->beta_2, &o->beta_2) < 0 ||
        repl_opt_num_or(s, a, "epsilon", o->epsilon, &o->epsilon) < 0 ||
        repl_opt_num_or(s, a, "initial_accumulator_value", o->initial_accumulator_value,
                        &o->initial_accumulator_value) < 0)
        return -1;
    if (o->learning_rate > 1e3)
        return repl_error(s, "compile", "learning_rate must be at most 1000 (got %g)",
                          o->learning_rate);
    return parse_opt_more(s, a, o);
}

/* metrics=NAME,... into c.  0 or -1. */
static int parse_metrics(repl_session *s, const repl_args *a, nn_compile_cfg *c)
{
    const char *mlist = repl_arg_str(a, "metrics");
    if (!mlist || !*mlist)
        return 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", mlist);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        nn_metric_kind mk;
        if (nn_metric_parse(t, &mk) != 0) {
            char *all = repl_join(nn_metric_names, " ");
            repl_error(s, "compile", "unknown metric '%s'%s%s; metrics: %s", t,
                       *repl_suggest(t, nn_metric_names) ? "; " : "",
                       repl_suggest(t, nn_metric_names), all ? all : "");
            free(all);
            return -1;
        }
        if (c->nmetrics == NN_MAXMETRICS)
            return repl_error(s, "compile", "at most %d metrics", NN_MAXMETRICS);
        c->metrics[c->nmetrics++] = mk;
    }
    return 0;
}

/* top_k=N: the k of the top_k metrics (Keras: TopKCategoricalAccuracy(k=5));
 * refused without one of them, as an option that does nothing.  0 or -1. */
static int parse_top_k(repl_session *s, const repl_args *a, nn_compile_cfg *c)
{
    long k;
    int has = repl_opt_int(s, a, "top_k", &k);
    if (has < 0)
        return -1;
    c->top_k = (int)k;
    if (!has)
        return 0;
    for (int j = 0; j < c->nmetrics; j++)
        if (c->metrics[j] == NN_MET_TOP_K || c->metrics[j] == NN_MET_SPARSE_TOP_K)
            return 0;
    return repl_error(s, "compile", "top_k= is the k of top_k_categorical_accuracy "
                      "and sparse_top_k_categorical_accuracy; add one of them to "
                      "metrics=, or leave top_k out");
}

/* ", amsgrad, weight_decay=0.004, ..." : the settings past the first
 * ones that differ from off (adamw's weight_decay always). */
static void print_opt_more(const nn_opt_cfg *o)
{
    if (o->amsgrad)
        printf(", amsgrad");
    if (o->kind == NN_OPT_FTRL)
        printf(", learning_rate_power=%g, l1=%g, l2=%g", o->learning_rate_power,
               o->l1_regularization_strength, o->l2_regularization_strength);
    if (o->weight_decay != 0 || o->kind == NN_OPT_ADAMW)
        printf(", weight_decay=%g", o->weight_decay);
    if (o->clipnorm > 0)
        printf(", clipnorm=%g", o->clipnorm);
    if (o->clipvalue > 0)
        printf(", clipvalue=%g", o->clipvalue);
    if (o->global_clipnorm > 0)
        printf(", global_clipnorm=%g", o->global_clipnorm);
    if (o->use_ema)
        printf(", use_ema, ema_momentum=%g", o->ema_momentum);
    if (o->ema_overwrite_frequency)
        printf(", ema_overwrite_frequency=%d", o->ema_overwrite_frequency);
}

/* "compiled: loss=... optimizer=sgd(learning_rate=0.01) metrics=..." */
static void print_compiled(const nn_compile_cfg *c, const nn_loss_kind *lks, int nl,
                           const double *lw, int nw, int opt, int from_logits)
{
    printf("compiled: loss=");
    for (int k = 0; k < nl; k++)
        printf("%s%s", k ? "," : "", nn_loss_names[lks[k]]);
    for (int k = 0; k < nl; k++)
        if (nn_loss_is_focal(lks[k])) {   /* the settings all outputs share */
            printf(" (gamma=%g, alpha=%g%s)", c->loss[0].gamma, c->loss[0].alpha,
                   c->loss[0].apply_class_balancing ? ", apply_class_balancing" : "");
            break;
        }
    if (nw) {
        printf(" loss_weights=");
        for (int k = 0; k < nw; k++)
            printf("%s%g", k ? "," : "", lw[k]);
    }
    printf("%s optimizer=%s(learning_rate=%g", from_logits ? " (from_logits)" : "",
           nn_opt_names[opt], c->opt.learning_rate);
    switch (opt) {
    case NN_OPT_SGD:
        if (c->opt.momentum > 0)
            printf(", momentum=%g%s", c->opt.momentum, c->opt.nesterov ? ", nesterov" : "");
        break;
    case NN_OPT_RMSPROP:
        printf(", rho=%g", c->opt.rho);
        break;
    case NN_OPT_ADADELTA:
        printf(", rho=%g", c->opt.rho);
        break;
    case NN_OPT_ADAM:
    case NN_OPT_NADAM:
    case NN_OPT_ADAMW:
    case NN_OPT_ADAMAX:
    case NN_OPT_LION:
        printf(", beta_1=%g, beta_2=%g", c->opt.beta_1, c->opt.beta_2);
        break;
    default:
        break;
    }
    print_opt_more(&c->opt);
    printf(")");
    int topk = 0;
    for (int j = 0; j < c->nmetrics; j++) {
        printf("%s%s", j ? "," : " metrics=", nn_metric_names[c->metrics[j]]);
        topk |= c->metrics[j] == NN_MET_TOP_K || c->metrics[j] == NN_MET_SPARSE_TOP_K;
    }
    if (topk && c->top_k != NN_TOP_K)
        printf(" top_k=%d", c->top_k);
    printf("\n");
}

static int cmd_compile(repl_session *s, const repl_args *a)
{
    if (!s->model)
        return repl_error(s, "compile", "there is no model; build one first "
                          "(input, dense, ...)");
    const char *lname = repl_arg_str(a, "loss");
    if (!lname) {
        char *list = repl_join(nn_loss_names, " ");
        int r = repl_error(s, "compile", "loss= is required, e.g. "
                           "loss=sparse_categorical_crossentropy; losses: %s",
                           list ? list : "see help compile");
        free(list);
        return r;
    }
    nn_compile_cfg c;
    nn_compile_defaults(&c);
    int nout = s->model->nout > 0 ? s->model->nout : 1;
    nn_loss_kind lks[NN_MAXOUT];
    double lw[NN_MAXOUT];
    int nl, nw;
    if (parse_losses(s, lname, nout, lks, &nl) != 0 ||
        parse_loss_weights(s, a, nout, lw, &nw) != 0)
        return -1;
    for (int k = 0; k < nout; k++) {
        c.loss[k].kind = lks[nl == 1 ? 0 : k];
        if (nw)
            c.loss_weights[k] = lw[k];
    }
    int opt, from_logits;
    /* Keras's compile() defaults to rmsprop */
    if (repl_opt_enum(s, a, "optimizer", &opt) < 0 ||
        parse_loss_settings(s, a, lks, nl, nout, &c, &from_logits) != 0 ||
        parse_opt_settings(s, a, opt, &c.opt) != 0 ||
        parse_metrics(s, a, &c) != 0 || parse_top_k(s, a, &c) != 0)
        return -1;
    nn_err e;
    if (nn_model_compile(s->model, &c, &e) != NN_OK)
        return repl_error(s, "compile", "%s%s", e.msg, repl_hint(e.msg));
    snprintf(s->loss_name, sizeof s->loss_name, "%s", nn_loss_names[lks[0]]);
    print_compiled(&c, lks, nl, lw, nw, opt, from_logits);
    repl_coach_compile(s);
    return 0;
}

static const repl_opt compile_opts[] = {
    {.name = "loss", .type = REPL_T_LIST, .values = nn_loss_names,
     .shown = "NAME[,NAME...]", .required = 1,
     .help = "what training minimises, one per output or one for all"},
    {.name = "loss_weights", .type = REPL_T_TEXT, .shown = "W,...",
     .help = "weight of each output's loss in the total"},
    {.name = "optimizer", .type = REPL_T_ENUM, .values = nn_opt_names, .shown = "NAME",
     .def = "rmsprop",
     .help = "how the weights follow the gradient"},
    {.name = "learning_rate", .type = REPL_T_POS, .shown = "X",
     .help = "the step size of the optimizer"},
    {.name = "momentum", .type = REPL_T_NUM, .min = 0, .max = 0.999999, .shown = "X",
     .help = "fraction of the last update kept in the next"},
    {.name = "nesterov", .type = REPL_T_BOOL, .shown = "BOOL",
     .help = "Nesterov's momentum: the gradient after the momentum step"},
    {.name = "rho", .type = REPL_T_NUM, .min = 0, .max = 0.999999, .shown = "X",
     .help = "decay of the running mean of squared gradients"},
    {.name = "beta_1", .type = REPL_T_NUM, .min = 0, .max = 0.999999, .shown = "X",
     .help = "decay of the first-moment (mean) estimate"},
    {.name = "beta_2", .type = REPL_T_NUM, .min = 0, .max = 0.999999, .shown = "X",
     .help = "decay of the second-moment (variance) estimate"},
    {.name = "epsilon", .type = REPL_T_NUM, .min = 0, .max = 1, .shown = "X",
     .help = "small number added to the denominator for stability"},
    {.name = "initial_accumulator_value", .type = REPL_T_NUM, .min = 0, .max = 1e6,
     .shown = "X",
     .help = "Adagrad's starting sum of squared gradients"},
    {.name = "amsgrad", .type = REPL_T_BOOL, .shown = "BOOL", .def = "false",
     .help = "Adam, AdamW: divide by the largest second moment so far"},
    {.name = "learning_rate_power", .type = REPL_T_NUM, .min = -10, .max = 0,
     .shown = "X", .def = "-0.5",
     .help = "Ftrl: how fast the per-weight step shrinks"},
    {.name = "l1_regularization_strength", .type = REPL_T_NUM, .min = 0, .max = 1e6,
     .shown = "X", .def = "0",
     .help = "Ftrl: L1 penalty (sets small weights to 0)"},
    {.name = "l2_regularization_strength", .type = REPL_T_NUM, .min = 0, .max = 1e6,
     .shown = "X", .def = "0",
     .help = "Ftrl: L2 penalty"},
    {.name = "l2_shrinkage_regularization_strength", .type = REPL_T_NUM, .min = 0,
     .max = 1e6, .shown = "X", .def = "0",
     .help = "Ftrl: L2 penalty on the gradient (shrinkage)"},
    {.name = "beta", .type = REPL_T_NUM, .min = 0, .max = 1e6, .shown = "X",
     .def = "0",
     .help = "Ftrl: adds beta / (2 learning_rate) to the L2 penalty"},
    {.name = "weight_decay", .type = REPL_T_NUM, .min = 0, .max = 1e3, .shown = "X",
     .help = "every optimizer: w -= w * weight_decay * lr each step (adamw 0.004)"},
    {.name = "clipnorm", .type = REPL_T_POS, .shown = "X",
     .help = "every optimizer: each weight tensor's gradient norm at most X"},
    {.name = "clipvalue", .type = REPL_T_POS, .shown = "X",
     .help = "every optimizer: each gradient entry clipped to [-X, X]"},
    {.name = "global_clipnorm", .type = REPL_T_POS, .shown = "X",
     .help = "every optimizer: the norm of all gradients together at most X"},
    {.name = "use_ema", .type = REPL_T_BOOL, .shown = "BOOL", .def = "false",
     .help = "every optimizer: keep a moving average of the weights, put in at fit's end"},
    {.name = "ema_momentum", .type = REPL_T_NUM, .min = 0, .max = 1, .shown = "X",
     .def = "0.99",
     .help = "use_ema: weight of the old average in each step's average"},
    {.name = "ema_overwrite_frequency", .type = REPL_T_INT, .min = 1, .max = 1000000000,
     .shown = "N",
     .help = "use_ema: put the average into the weights every N steps"},
    {.name = "metrics", .type = REPL_T_LIST, .values = nn_metric_names,
     .shown = "NAME,...",
     .help = "what fit and evaluate report besides the loss"},
    {.name = "top_k", .type = REPL_T_INT, .min = 1, .max = 1000000, .shown = "5",
     .def = "5",
     .help = "the k of the top_k metrics: a hit when the label is among the k best"},
    {.name = "from_logits", .type = REPL_T_BOOL, .shown = "BOOL",
     .def = "false",
     .help = "the last layer gives raw scores, not probabilities"},
    {.name = "delta", .type = REPL_T_POS, .shown = "X",
     .def = "1",
     .help = "Huber's threshold between squared and absolute error"},
    {.name = "gamma", .type = REPL_T_NUM, .min = 0, .max = 100, .shown = "X",
     .def = "2",
     .help = "focal losses: how much (1 - p_t)^gamma quiets easy samples"},
    {.name = "alpha", .type = REPL_T_NUM, .min = 0, .max = 1, .shown = "X",
     .def = "0.25",
     .help = "focal losses: the weight of the positive class (categorical: of every class)"},
    {.name = "apply_class_balancing", .type = REPL_T_BOOL, .shown = "BOOL",
     .def = "false",
     .help = "binary focal: weigh positives by alpha and negatives by 1 - alpha"},
    REPL_END
};

const repl_cmd repl_cmds_compile[] = {
    {.name = "compile", .topic = "train", .run = cmd_compile,
     .opts = compile_opts,
     .summary = "choose the loss, the optimizer and the metrics",
     .help =
     "Sets what training minimises (the loss), how (the optimizer and its\n"
     "settings) and what it reports besides (metrics).  Defaults as Keras:\n"
     "optimizer=rmsprop; sgd learning_rate=0.01 momentum=0; rmsprop 0.001\n"
     "rho=0.9; adam and nadam 0.001 beta_1=0.9 beta_2=0.999; adagrad 0.001\n"
     "initial_accumulator_value=0.1; epsilon=1e-7; adamw as adam with\n"
     "weight_decay=0.004; adamax 0.001 beta_1=0.9 beta_2=0.999; adadelta\n"
     "0.001 rho=0.95; ftrl 0.001 learning_rate_power=-0.5\n"
     "initial_accumulator_value=0.1; lion 0.001 beta_1=0.9 beta_2=0.99.\n"
     "Every optimizer takes Keras's weight_decay (w -= w*wd*lr before the\n"
     "step), one of clipnorm (per weight tensor) / global_clipnorm /\n"
     "clipvalue, and use_ema (ema_momentum=0.99, ema_overwrite_frequency=N:\n"
     "the average replaces the weights every N steps and at fit's end).\n"
     "Losses (Keras 3's; also mean_squared_error, mean_absolute_error, kld,\n"
     "mape, msle): {{loss}}.\n"
     "categorical_crossentropy takes one-hot labels,\n"
     "sparse_categorical_crossentropy class numbers; huber delta=1; the focal\n"
     "losses gamma=2 alpha=0.25 (binary: apply_class_balancing=false);\n"
     "hinge takes -1/1 labels (0/1 ones are turned into them);\n"
     "cosine_similarity is negative (-1: same direction).  from_logits=true\n"
     "when the last layer has no sigmoid/softmax.  Metrics: accuracy (chosen from\n"
     "the loss, as Keras does) binary_accuracy categorical_accuracy\n"
     "sparse_categorical_accuracy mse mae rmse, and precision recall auc\n"
     "f1_score top_k_categorical_accuracy sparse_top_k_categorical_accuracy\n"
     "r2_score mape msle cosine_similarity binary_crossentropy\n"
     "categorical_crossentropy sparse_categorical_crossentropy.  Like Keras's,\n"
     "precision, recall, auc (ROC, 200 thresholds), f1_score (Keras's\n"
     "F1Score(average=\"macro\")) and r2_score count over the whole epoch, not\n"
     "a mean of batches; top_k=N sets the k of the top_k metrics (5).\n"
     "Compiling again resets the optimizer's state (momentum, Adam's\n"
     "moments), not the weights.\n"
     "A model of several outputs (see outputs) takes one loss for all or one\n"
     "per output (loss=mse,mse) and loss_weights=0.9,0.1: the loss trained\n"
     "is the weighted sum, and fit shows each output's loss apart.\n"
     "\n"
     "Example:\n"
     "  compile loss=sparse_categorical_crossentropy optimizer=sgd metrics=accuracy\n"
     "\n"
     "Keras: model.compile(loss=\"sparse_categorical_crossentropy\",\n"
     "                     optimizer=\"sgd\", metrics=[\"accuracy\"])",
     .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {NULL},
};
