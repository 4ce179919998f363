/* callbacks_keras.c - Python, as Keras users read it: a float as repr()
 * writes it (CSVLogger's numbers), a checkpoint file name as str.format
 * fills it ("model_{epoch:02d}_{val_loss:.4f}.keras"), and the Keras code
 * that rebuilds the session's callbacks (the `keras` command). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "callbacks.h"
#include "schedule.h"

/* Python's repr() of a float: the shortest digits that read back the same,
 * fixed notation for exponents -4..15, else d.ddde+XX ("1e-05", "0.1",
 * "1.0"), as Keras's CSVLogger writes them. */
void cb_py_float(char *buf, size_t len, double v)
{
    if (isnan(v)) {
        snprintf(buf, len, "nan");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, len, v < 0 ? "-inf" : "inf");
        return;
    }
    char e[48];
    for (int p = 1; p <= 17; p++) {
        snprintf(e, sizeof e, "%.*e", p - 1, v);
        if (strtod(e, NULL) == v)
            break;
    }
    char dig[24];
    int nd = 0, neg = e[0] == '-';
    const char *q = e + neg;
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9' && nd < 20)
            dig[nd++] = *q;
    int x = *q ? atoi(q + 1) : 0;
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    char out[64];
    size_t o = 0;
    if (neg)
        out[o++] = '-';
    if (x >= -4 && x < 16) {
        if (x >= 0) {
            for (int i = 0; i <= x; i++)
                out[o++] = i < nd ? dig[i] : '0';
            out[o++] = '.';
            if (nd > x + 1)
                for (int i = x + 1; i < nd; i++)
                    out[o++] = dig[i];
            else
                out[o++] = '0';
        } else {
            out[o++] = '0';
            out[o++] = '.';
            for (int i = 0; i < -x - 1; i++)
                out[o++] = '0';
            for (int i = 0; i < nd; i++)
                out[o++] = dig[i];
        }
        out[o] = 0;
    } else {
        out[o++] = dig[0];
        if (nd > 1) {
            out[o++] = '.';
            for (int i = 1; i < nd; i++)
                out[o++] = dig[i];
        }
        snprintf(out + o, sizeof out - o, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
    }
    snprintf(buf, len, "%s", out);
}

/* ---- checkpoint file names: Python's str.format, the part Keras uses ----
 * "{epoch}" "{epoch:02d}" "{val_loss:.4f}" "{{" "}}".  epoch is an int
 * (1-based), the rest floats.  With logs NULL only the template is
 * checked.  Returns 0, or -1 with msg filled. */
int cb_format_path(const char *t, int epoch1, const nn_logs *logs,
                       double lr, char *out, size_t outlen, char *msg,
                       size_t msglen)
{
    size_t o = 0;
#define EMIT(str)                                                        \
    do {                                                                 \
        size_t l_ = strlen(str);                                         \
        if (o + l_ >= outlen)                                            \
            goto toolong;                                                \
        memcpy(out + o, str, l_);                                        \
        o += l_;                                                         \
    } while (0)
    while (*t) {
        if (t[0] == '{' && t[1] == '{') {
            EMIT("{");
            t += 2;
            continue;
        }
        if (t[0] == '}' && t[1] == '}') {
            EMIT("}");
            t += 2;
            continue;
        }
        if (*t == '}') {
            snprintf(msg, msglen, "a single '}' in the file name; write '}}' "
                     "for a brace");
            return -1;
        }
        if (*t != '{') {
            char c[2] = {*t++, 0};
            EMIT(c);
            continue;
        }
        const char *end = strchr(t, '}');
        if (!end) {
            snprintf(msg, msglen, "'{' without '}' in the file name");
            return -1;
        }
        char field[NN_KEYMAX + 32];
        size_t fl = (size_t)(end - t - 1);
        if (fl >= sizeof field) {
            snprintf(msg, msglen, "a field in the file name is too long");
            return -1;
        }
        memcpy(field, t + 1, fl);
        field[fl] = 0;
        t = end + 1;
        char *spec = strchr(field, ':');
        if (spec)
            *spec++ = 0;
        int is_epoch = strcmp(field, "epoch") == 0;
        int is_lr = strcmp(field, "learning_rate") == 0;
        if (!is_epoch && !is_lr && nn_lookup(cb_possible_keys(), field) < 0) {
            const char *hint = repl_suggest(field, cb_possible_keys());
            snprintf(msg, msglen, "the file name asks for {%s}, which fit never "
                     "logs%s%s; use {epoch}, loss, a metric or val_ of one",
                     field, *hint ? "; " : "", hint);
            return -1;
        }
        /* spec: [0][width][.precision][type] */
        int zero = 0, width = 0, prec = -1;
        char type = 0;
        if (spec) {
            const char *p = spec;
            if (*p == '0')
                zero = 1, p++;
            while (*p >= '0' && *p <= '9' && width < 1000)
                width = width * 10 + (*p++ - '0');
            if (*p == '.') {
                p++;
                if (*p < '0' || *p > '9')
                    goto badspec;
                prec = 0;
                while (*p >= '0' && *p <= '9' && prec < 100)
                    prec = prec * 10 + (*p++ - '0');
            }
            if (*p && strchr("dfeg", *p))
                type = *p++;
            if (*p || width > 200 || prec > 30)
                goto badspec;
            if (type == 'd' && (!is_epoch || prec >= 0)) {
                snprintf(msg, msglen, "{%s:%s}: 'd' formats whole numbers; "
                         "%s is not one (use .4f)", field, spec, field);
                return -1;
            }
        }
        char val[640];
        if (!logs) {
            continue;
        } else if (is_epoch) {
            if (type == 'f' || type == 'e' || type == 'g') {
                char f[32];
                snprintf(f, sizeof f, "%%%s%d.%d%c", zero ? "0" : "", width,
                         prec < 0 ? 6 : prec, type);
                snprintf(val, sizeof val, f, (double)epoch1);
            } else
                snprintf(val, sizeof val, zero ? "%0*d" : "%*d", width, epoch1);
        } else {
            double v;
            if (is_lr)
                v = lr;
            else if (cb_logs_has(logs, field))
                v = nn_logs_get(logs, field);
            else {
                char keys[512];
                cb_logs_keys(logs, keys, sizeof keys);
                snprintf(msg, msglen, "the file name asks for {%s} but this "
                         "fit logs only: epoch,%.100s", field, keys);
                return -1;
            }
            if (!type && prec < 0) {
                char r[64];
                cb_py_float(r, sizeof r, v);
                snprintf(val, sizeof val, "%*s", width, r);
            } else {
                char f[32];
                snprintf(f, sizeof f, "%%%s%d.%d%c", zero ? "0" : "", width,
                         prec < 0 ? 6 : prec, type ? type : 'g');
                snprintf(val, sizeof val, f, v);
            }
        }
        EMIT(val);
        continue;
    badspec:
        snprintf(msg, msglen, "{%s:%s}: give a format such as {epoch:02d} or "
                 "{val_loss:.4f}", field, spec);
        return -1;
    }
    out[o] = 0;
    return 0;
toolong:
    snprintf(msg, msglen, "the file name is too long");
    return -1;
#undef EMIT
}

/* ---- Keras code ---- */

static void py_str(char *b, size_t len, const char *v)
{
    size_t n = 0;
    if (len < 3)
        return;
    b[n++] = '"';
    for (; *v && n + 3 < len; v++) {
        if (*v == '"' || *v == '\\')
            b[n++] = '\\';
        b[n++] = *v;
    }
    b[n++] = '"';
    b[n] = 0;
}

static void keras_one(const repl_session *s, const cb *c, char *b, size_t len)
{
    size_t n = 0;
    char q[2 * PATHLEN + 40], f[64];
#define ADD(...) do { if (n < len) n += (size_t)snprintf(b + n, len - n, __VA_ARGS__); } while (0)
#define SEP() (b[n - 1] == '(' ? "" : ", ")
#define ADDF(x, ...) do { cb_py_float(f, sizeof f, x); ADD(__VA_ARGS__); } while (0)
    switch (c->kind) {
    case CB_EARLYSTOP:
        ADD("keras.callbacks.EarlyStopping(");
        if (strcmp(c->monitor, "val_loss"))
            ADD("%smonitor=\"%s\"", SEP(), c->monitor);
        if (c->min_delta)
            ADDF(c->min_delta, "%smin_delta=%s", SEP(), f);
        if (c->patience)
            ADD("%spatience=%d", SEP(), c->patience);
        if (c->mode)
            ADD("%smode=\"%s\"", SEP(), cb_mode_names[c->mode]);
        if (c->has_baseline)
            ADDF(c->baseline, "%sbaseline=%s", SEP(), f);
        if (c->restore)
            ADD("%srestore_best_weights=True", SEP());
        if (c->start_from_epoch)
            ADD("%sstart_from_epoch=%d", SEP(), c->start_from_epoch);
        if (c->verbose)
            ADD("%sverbose=1", SEP());
        ADD(")");
        break;
    case CB_CHECKPOINT: {
        /* Keras insists on .keras (.weights.h5 for weights only) */
        char kp[PATHLEN + 16];
        snprintf(kp, sizeof kp, "%s", c->path);
        char *dot = strrchr(kp, '.'), *slash = strrchr(kp, '/');
        if (dot && dot > kp && (!slash || dot > slash + 1) && !strchr(dot, '}'))
            *dot = 0;
        strcat(kp, c->save_weights_only ? ".weights.h5" : ".keras");
        py_str(q, sizeof q, kp);
        ADD("keras.callbacks.ModelCheckpoint(%s", q);
        if (strcmp(c->monitor, "val_loss"))
            ADD(", monitor=\"%s\"", c->monitor);
        if (c->save_best_only)
            ADD(", save_best_only=True");
        if (c->save_weights_only)
            ADD(", save_weights_only=True");
        if (c->mode)
            ADD(", mode=\"%s\"", cb_mode_names[c->mode]);
        if (c->verbose)
            ADD(", verbose=1");
        ADD(")");
        break;
    }
    case CB_REDUCE_LR:
        ADD("keras.callbacks.ReduceLROnPlateau(");
        if (strcmp(c->monitor, "val_loss"))
            ADD("%smonitor=\"%s\"", SEP(), c->monitor);
        if (c->factor != 0.1)
            ADDF(c->factor, "%sfactor=%s", SEP(), f);
        if (c->patience != 10)
            ADD("%spatience=%d", SEP(), c->patience);
        if (c->min_delta != 1e-4)
            ADDF(c->min_delta, "%smin_delta=%s", SEP(), f);
        if (c->cooldown)
            ADD("%scooldown=%d", SEP(), c->cooldown);
        if (c->min_lr)
            ADDF(c->min_lr, "%smin_lr=%s", SEP(), f);
        if (c->mode)
            ADD("%smode=\"%s\"", SEP(), cb_mode_names[c->mode]);
        if (c->verbose)
            ADD("%sverbose=1", SEP());
        ADD(")");
        break;
    case CB_SCHEDULE: {
        /* Keras puts per-step schedules in the optimizer; as a callback
         * they set the rate before each batch from optimizer.iterations */
        double lr0 = c->lr0 > 0 ? c->lr0
                     : s->model && s->model->compiled ? s->model->cc.opt.learning_rate : 0.001;
        ADD("keras.callbacks.LambdaCallback(on_train_batch_begin=lambda batch, logs: "
            "model.optimizer.learning_rate.assign(");
        if (c->sched == SCHED_EXP) {
            cb_py_float(f, sizeof f, lr0);
            ADD("keras.optimizers.schedules.ExponentialDecay(initial_learning_rate=%s, ", f);
            cb_py_float(f, sizeof f, c->decay_steps);
            ADD("decay_steps=%s, ", f);
            cb_py_float(f, sizeof f, c->decay_rate);
            ADD("decay_rate=%s%s)(model.optimizer.iterations)))", f,
                c->staircase ? ", staircase=True" : "");
        } else if (c->sched == SCHED_PIECEWISE) {
            ADD("keras.optimizers.schedules.PiecewiseConstantDecay(boundaries=[");
            for (int i = 0; i < c->nb; i++)
                ADD("%s%ld", i ? ", " : "", (long)c->bounds[i]);
            ADD("], values=[");
            for (int i = 0; i <= c->nb; i++)
                ADDF(c->values[i], "%s%s", i ? ", " : "", f);
            ADD("])(model.optimizer.iterations)))");
        } else {
            /* 1cycle as np.interp over its corners (Geron's OneCycleScheduler) */
            long its = 1;
            if (s->last_fit.set && s->last_fit.batch_size > 0) {
                int ntr = s->last_fit.validation_split > 0
                              ? (int)floor(s->train.n * (1 - s->last_fit.validation_split))
                              : s->train.n;
                its = (long)s->last_fit.epochs * ((ntr + s->last_fit.batch_size - 1) /
                                                  s->last_fit.batch_size);
            }
            nn_onecycle oc;
            double max_lr = c->max_lr > 0 ? c->max_lr : lr0;
            nn_onecycle_init(&oc, its, max_lr, c->start_lr, c->last_lr, 0);
            char a1[64], a2[64], a3[64];
            cb_py_float(a1, sizeof a1, oc.start_lr);
            cb_py_float(a2, sizeof a2, oc.max_lr);
            cb_py_float(a3, sizeof a3, oc.last_lr);
            ADD("float(np.interp(int(keras.ops.convert_to_numpy(model.optimizer.iterations)), "
                "[0, %ld, %ld, %ld], "
                "[%s, %s, %s, %s]))))", oc.half, 2 * oc.half, oc.iterations, a1, a2, a1, a3);
        }
        break;
    }
    case CB_CSV:
        py_str(q, sizeof q, c->path);
        ADD("keras.callbacks.CSVLogger(%s", q);
        if (c->sep != ',')
            ADD(", separator=\"%c\"", c->sep);
        if (c->append)
            ADD(", append=True");
        ADD(")");
        break;
    case CB_TENSORBOARD:
        py_str(q, sizeof q, c->log_dir);
        ADD("keras.callbacks.TensorBoard(log_dir=%s", q);
        if (c->histogram_freq)
            ADD(", histogram_freq=%d", c->histogram_freq);
        if (c->update_freq == 1)
            ADD(", update_freq=\"batch\"");
        else if (c->update_freq > 1)
            ADD(", update_freq=%d", c->update_freq);
        ADD(")");
        break;
    }
#undef SEP
#undef ADDF
#undef ADD
}

void repl_callbacks_keras(const repl_session *s, char *buf, size_t len, int *n)
{
    *n = 0;
    if (!len)
        return;
    buf[0] = 0;
    const cb_list *l = s->callbacks;
    int count = (l ? l->n : 0) + (s->terminate_on_nan ? 1 : 0);
    if (count == 0)
        return;
    size_t o = 0;
    o += (size_t)snprintf(buf, len, "[");
    for (int i = 0; l && i < l->n && o < len; i++) {
        char one[2048];
        keras_one(s, l->items[i], one, sizeof one);
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", one);
    }
    /* nnlab stops on a NaN loss by default; Keras needs the callback */
    if (s->terminate_on_nan && o < len)
        o += (size_t)snprintf(buf + o, len - o, "%skeras.callbacks.TerminateOnNaN()",
                              l && l->n ? ", " : "");
    if (o < len)
        snprintf(buf + o, len - o, "]");
    *n = count;
}
