/* callback_parse.c - each callback kind's settings from the `callback`
 * command's words into a cb (callbacks.h): Keras's defaults (but
 * verbose=1), the keywords a kind takes (from its form's declaration in
 * cmd_callback.c), and their values. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "callbacks.h"

static int check_keys(repl_session *s, const repl_args *a, const char *what,
                      const char *allowed)
{
    for (int i = 0; i < a->nkv; i++)
        if (!repl_word_in(allowed, a->key[i]))
            return *allowed
                ? repl_error(s, "callback", "%s does not take %s=; it takes: %s",
                             what, a->key[i], allowed)
                : repl_error(s, "callback", "%s takes no keywords (got %s=)",
                             what, a->key[i]);
    return 0;
}

/* The keywords of the callback form `what` ("checkpoint", "lr_schedule
 * onecycle") checked against its declaration. */
int cb_check_form_keys(repl_session *s, const repl_args *a, const char *what)
{
    const repl_cmd *cmd = repl_find("callback");
    char *keys = cmd ? repl_form_keys(cmd, repl_form_named(cmd, what)) : NULL;
    if (!keys)
        return repl_error(s, "callback", "out of memory");
    int r = check_keys(s, a, what, keys);
    free(keys);
    return r;
}

static int parse_monitor(repl_session *s, const repl_args *a, cb *c)
{
    const char *m = repl_arg_str(a, "monitor");
    if (!m)
        return 0;
    if (nn_lookup(cb_possible_keys(), m) < 0 && !cb_output_key(s->model, m, 0)) {
        const char *hint = "";
        static char pre[NN_KEYMAX + 32];
        /* a key it begins first: Keras 2's "val_acc" is Keras 3's
         * "val_accuracy" (not the nearer "val_auc") */
        for (int i = 0; !*hint && cb_possible_keys()[i]; i++)
            if (strncmp(cb_possible_keys()[i], m, strlen(m)) == 0) {
                snprintf(pre, sizeof pre, "did you mean %s?", cb_possible_keys()[i]);
                hint = pre;
            }
        if (!*hint)
            hint = repl_suggest(m, cb_possible_keys());
        return repl_error(s, "callback", "monitor=%s is never logged by fit%s%s; "
                          "monitor loss, val_loss, a metric (accuracy, mae, ...) "
                          "or val_ of one", m, *hint ? "; " : "", hint);
    }
    snprintf(c->monitor, sizeof c->monitor, "%s", m);
    return 0;
}

/* "1000,2000" into v (at most max), strictly increasing when incr. */
static int parse_list(repl_session *s, const char *key, const char *str,
                      double *v, int max, int *n)
{
    char buf[1024];
    if (strlen(str) >= sizeof buf)
        return repl_error(s, "callback", "%s is too long", key);
    strcpy(buf, str);
    *n = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        double x;
        if (*n == max)
            return repl_error(s, "callback", "%s takes at most %d numbers", key, max);
        if (repl_parse_double(t, &x) != 0)
            return repl_error(s, "callback", "%s: '%s' is not a number; give "
                              "comma-separated numbers, e.g. %s", key, t,
                              strcmp(key, "values") == 0 ? "values=0.01,0.005,0.001"
                                                         : "boundaries=1000,2000");
        v[(*n)++] = x;
    }
    if (*n == 0)
        return repl_error(s, "callback", "%s needs at least one number", key);
    return 0;
}

static int file_arg(repl_session *s, const repl_args *a, const char *key,
                    const char *what, const char *example, char *out)
{
    const char *f = a->npos == 2 ? a->pos[1] : repl_arg_str(a, key);
    if (a->npos == 2 && repl_arg_str(a, key))
        return repl_error(s, "callback", "give the file once: %s FILE or %s=FILE",
                          what, key);
    if (!f || !*f)
        return repl_error(s, "callback", "%s needs a file name, e.g. callback %s %s",
                          what, what, example);
    if (strlen(f) >= PATHLEN)
        return repl_error(s, "callback", "the file name is too long");
    strcpy(out, f);
    return 0;
}

static void cb_defaults(cb *c, int kind)
{
    memset(c, 0, sizeof *c);
    c->kind = kind;
    strcpy(c->monitor, "val_loss");
    c->verbose = 1;
    switch (kind) {
    case CB_EARLYSTOP:
        break;
    case CB_CHECKPOINT:
        break;
    case CB_REDUCE_LR:
        c->factor = 0.1;
        c->patience = 10;
        c->min_delta = 1e-4;
        break;
    case CB_SCHEDULE:
        c->decay_steps = 1000;
        c->decay_rate = 0.1;
        c->nb = 2;
        c->bounds[0] = 1000, c->bounds[1] = 2000;
        c->values[0] = 0.01, c->values[1] = 0.005, c->values[2] = 0.001;
        break;
    case CB_CSV:
        c->sep = ',';
        break;
    case CB_TENSORBOARD:
        strcpy(c->log_dir, "logs");
        break;
    }
}

/* ---- each kind's settings (after cb_defaults) ---- */

static int parse_earlystop(repl_session *s, const repl_args *a, cb *c)
{
    long l;
    if (parse_monitor(s, a, c) != 0 ||
        repl_opt_num(s, a, "min_delta", &c->min_delta) < 0 ||
        repl_opt_int(s, a, "patience", &l) < 0)
        return -1;
    c->patience = (int)l;
    if (repl_opt_enum(s, a, "mode", &c->mode) < 0 ||
        repl_opt_bool(s, a, "restore_best_weights", &c->restore) < 0 ||
        repl_opt_int(s, a, "start_from_epoch", &l) < 0)
        return -1;
    c->start_from_epoch = (int)l;
    if ((c->has_baseline = repl_opt_num(s, a, "baseline", &c->baseline)) < 0)
        return -1;
    return 0;
}

static int parse_checkpoint(repl_session *s, const repl_args *a, cb *c)
{
    if (file_arg(s, a, "filepath", cb_kind_names[CB_CHECKPOINT], "best.nnlab",
                 c->path) != 0 ||
        parse_monitor(s, a, c) != 0 ||
        repl_opt_bool(s, a, "save_best_only", &c->save_best_only) < 0 ||
        repl_opt_bool(s, a, "save_weights_only", &c->save_weights_only) < 0 ||
        repl_opt_enum(s, a, "mode", &c->mode) < 0)
        return -1;
    char out[PATHLEN], msg[256];
    if (cb_format_path(c->path, 1, NULL, 0, out, sizeof out, msg, sizeof msg) != 0)
        return repl_error(s, "callback", "checkpoint: %s", msg);
    c->best = cb_maximize(c) ? -INFINITY : INFINITY;
    return 0;
}

static int parse_reduce_lr(repl_session *s, const repl_args *a, cb *c)
{
    long l;
    double d;
    if (parse_monitor(s, a, c) != 0)
        return -1;
    if (repl_arg_str(a, "factor")) {
        if (repl_parse_double(repl_arg_str(a, "factor"), &d) != 0 || !(d > 0 && d < 1))
            return repl_error(s, "callback", "factor must be a number between 0 "
                              "and 1, both excluded: the new rate is lr * factor "
                              "(got '%s')", repl_arg_str(a, "factor"));
        c->factor = d;
    }
    if (repl_opt_int(s, a, "patience", &l) < 0)
        return -1;
    c->patience = (int)l;
    if (repl_opt_num(s, a, "min_delta", &c->min_delta) < 0 ||
        repl_opt_int(s, a, "cooldown", &l) < 0)
        return -1;
    c->cooldown = (int)l;
    if (repl_opt_num(s, a, "min_lr", &c->min_lr) < 0 ||
        repl_opt_enum(s, a, "mode", &c->mode) < 0)
        return -1;
    return 0;
}

/* lr_schedule exponential: lr0 * decay_rate^(step / decay_steps). */
static int parse_exponential(repl_session *s, const repl_args *a, cb *c)
{
    if (repl_opt_num_or(s, a, "initial_learning_rate", 0, &c->lr0) < 0 ||
        repl_opt_num(s, a, "decay_steps", &c->decay_steps) < 0 ||
        repl_opt_num(s, a, "decay_rate", &c->decay_rate) < 0 ||
        repl_opt_bool(s, a, "staircase", &c->staircase) < 0)
        return -1;
    if (c->lr0 > 1000)
        return repl_error(s, "callback", "initial_learning_rate must be at "
                          "most 1000 (got %g)", c->lr0);
    if (c->decay_rate > 1e6)
        return repl_error(s, "callback", "decay_rate must be at most 1e6 "
                          "(got %g)", c->decay_rate);
    return 0;
}

/* lr_schedule piecewise: values[i] up to step boundaries[i]. */
static int parse_piecewise(repl_session *s, const repl_args *a, cb *c)
{
    const char *bs = repl_arg_str(a, "boundaries"), *vs = repl_arg_str(a, "values");
    int nv = c->nb + 1;
    if (bs && parse_list(s, "boundaries", bs, c->bounds, MAXBOUNDS, &c->nb) != 0)
        return -1;
    if (vs && parse_list(s, "values", vs, c->values, MAXBOUNDS + 1, &nv) != 0)
        return -1;
    if (nv != c->nb + 1)
        return repl_error(s, "callback", "piecewise needs one value more than "
                          "boundaries: %d boundar%s, so %d values (got %d)",
                          c->nb, c->nb == 1 ? "y" : "ies", c->nb + 1, nv);
    for (int i = 0; i < c->nb; i++)
        if (!(c->bounds[i] >= 0) || (i && !(c->bounds[i] > c->bounds[i - 1])))
            return repl_error(s, "callback", "boundaries must be step numbers "
                              ">= 0 in increasing order (got %g after %g)",
                              c->bounds[i], i ? c->bounds[i - 1] : 0.0);
    for (int i = 0; i < nv; i++)
        if (!(c->values[i] > 0 && c->values[i] <= 1000))
            return repl_error(s, "callback", "values are learning rates: "
                              "numbers > 0 and at most 1000 (got %g)",
                              c->values[i]);
    return 0;
}

/* lr_schedule onecycle: start_lr -> max_lr -> start_lr -> last_lr. */
static int parse_onecycle(repl_session *s, const repl_args *a, cb *c)
{
    if (repl_opt_num_or(s, a, "max_lr", 0, &c->max_lr) < 0 ||
        repl_opt_num_or(s, a, "start_lr", 0, &c->start_lr) < 0 ||
        repl_opt_num_or(s, a, "last_lr", 0, &c->last_lr) < 0 ||
        repl_opt_bool(s, a, "cycle_momentum", &c->cycle_momentum) < 0)
        return -1;
    if (c->max_lr > 1000)
        return repl_error(s, "callback", "max_lr must be at most 1000 (got %g)",
                          c->max_lr);
    if (c->max_lr > 0 && c->start_lr >= c->max_lr)
        return repl_error(s, "callback", "start_lr must be below max_lr "
                          "(got start_lr=%g max_lr=%g)", c->start_lr, c->max_lr);
    return 0;
}

static int parse_csv(repl_session *s, const repl_args *a, cb *c)
{
    if (file_arg(s, a, "filename", cb_kind_names[CB_CSV], "log.csv", c->path) != 0 ||
        repl_opt_bool(s, a, "append", &c->append) < 0)
        return -1;
    const char *sep = repl_arg_str(a, "separator");
    if (sep) {
        if (strlen(sep) != 1 || strchr("\"\r\n0123456789.-+e", sep[0]))
            return repl_error(s, "callback", "separator must be one character "
                              "that cannot appear in a number, e.g. separator=';' "
                              "(got '%s')", sep);
        c->sep = sep[0];
    }
    return 0;
}

static int parse_tensorboard(repl_session *s, const repl_args *a, cb *c)
{
    long l;
    const char *dir = repl_arg_str(a, "log_dir");
    if (dir) {
        if (!*dir || strlen(dir) >= PATHLEN - 64)
            return repl_error(s, "callback", "log_dir must be a directory name, "
                              "e.g. log_dir=logs/run_1");
        strcpy(c->log_dir, dir);
    }
    if (repl_opt_int(s, a, "histogram_freq", &l) < 0)
        return -1;
    c->histogram_freq = (int)l;
    const char *uf = repl_arg_str(a, "update_freq");
    if (uf) {
        if (strcmp(uf, "epoch") == 0)
            c->update_freq = 0;
        else if (strcmp(uf, "batch") == 0)
            c->update_freq = 1;
        else if (repl_parse_long(uf, &l) == 0 && l >= 1 && l <= 1000000)
            c->update_freq = (int)l;
        else
            return repl_error(s, "callback", "update_freq must be epoch, batch or "
                              "a number of batches >= 1 (got '%s')", uf);
    }
    return 0;
}

/* lr_schedule's word (exponential, piecewise, onecycle) into c->sched,
 * and its keys checked.  0 or -1. */
static int parse_sched_word(repl_session *s, const repl_args *a, cb *c)
{
    if (a->npos < 2)
        return repl_error(s, "callback", "lr_schedule needs a schedule: "
                          "exponential, piecewise or onecycle, e.g. callback "
                          "lr_schedule onecycle max_lr=0.01");
    c->sched = nn_lookup(cb_sched_names, a->pos[1]);
    if (c->sched < 0) {
        const char *hint = repl_suggest(a->pos[1], cb_sched_names);
        return repl_error(s, "callback", "unknown schedule '%s'%s%s; schedules: "
                          "exponential piecewise onecycle", a->pos[1],
                          *hint ? "; " : "", hint);
    }
    char w[64];
    snprintf(w, sizeof w, "lr_schedule %s", cb_sched_names[c->sched]);
    return cb_check_form_keys(s, a, w);
}

/* The settings of a callback of kind into c: Keras's defaults, then the
 * command's words.  0, or -1 after the error. */
int cb_parse_kind(repl_session *s, const repl_args *a, int kind, cb *c)
{
    static int (*const parse_sched[])(repl_session *, const repl_args *, cb *) = {
        parse_exponential, parse_piecewise, parse_onecycle};
    const char *what = cb_kind_names[kind];
    cb_defaults(c, kind);
    int takes_file = kind == CB_CHECKPOINT || kind == CB_CSV;
    int takes_word = kind == CB_SCHEDULE;
    if (a->npos == 2 && !takes_file && !takes_word)
        return repl_error(s, "callback", "%s takes only key=value settings (got "
                          "'%s')", what, a->pos[1]);
    if (kind == CB_SCHEDULE) {
        if (parse_sched_word(s, a, c) != 0)
            return -1;
    } else if (cb_check_form_keys(s, a, what) != 0)
        return -1;
    int r = 0;
    switch (kind) {
    case CB_EARLYSTOP:
        r = parse_earlystop(s, a, c);
        break;
    case CB_CHECKPOINT:
        r = parse_checkpoint(s, a, c);
        break;
    case CB_REDUCE_LR:
        r = parse_reduce_lr(s, a, c);
        break;
    case CB_SCHEDULE:
        r = parse_sched[c->sched](s, a, c);
        break;
    case CB_CSV:
        r = parse_csv(s, a, c);
        break;
    case CB_TENSORBOARD:
        r = parse_tensorboard(s, a, c);
        break;
    }
    if (r != 0)
        return -1;
    if (kind == CB_EARLYSTOP || kind == CB_CHECKPOINT || kind == CB_REDUCE_LR) {
        long v;
        if (repl_opt_int(s, a, "verbose", &v) < 0)
            return -1;
        c->verbose = (int)v;
    }
    return 0;
}

