/* callbacks_path.c - checkpoint file names as Keras fills them: Python's
 * str.format on the part Keras uses ("model_{epoch:02d}_{val_loss:.4f}.keras";
 * a float field alone is written as repr() writes it). */
#include <stdio.h>
#include <string.h>
#include "callbacks.h"
#include "pyfmt.h"

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
        int is_lr = strcmp(field, CB_LR_KEY) == 0;
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
                repl_py_float(r, sizeof r, v, REPL_PY_REPR);
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
