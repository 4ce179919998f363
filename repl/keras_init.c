/* keras_init.c - an initializer as Keras code, for the generator of
 * keras.c (Dense's kernel_initializer= and bias_initializer=). */
#include "keras.h"
#include "pyfmt.h"

/* An initializer as Keras 3 takes it: its name when its arguments are the
 * defaults, else its class with the arguments that differ
 * (keras.initializers.RandomNormal(mean=0.0, stddev=0.05, seed=None),
 * RandomUniform(minval, maxval), TruncatedNormal(mean, stddev),
 * VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal"),
 * Orthogonal(gain=1.0), Identity(gain=1.0), Constant(value)). */
void repl_keras_init(nn_buf *b, nn_init_kind k, const nn_init_args *a, float value)
{
    static const char *const cls[NN_INIT_COUNT] = {
        [NN_INIT_RANDOM_NORMAL] = "RandomNormal", [NN_INIT_RANDOM_UNIFORM] = "RandomUniform",
        [NN_INIT_TRUNCATED_NORMAL] = "TruncatedNormal",
        [NN_INIT_VARIANCE_SCALING] = "VarianceScaling",
        [NN_INIT_ORTHOGONAL] = "Orthogonal", [NN_INIT_IDENTITY] = "Identity",
    };
    nn_init_args d;
    nn_init_args_defaults(&d);
    char n1[32];
    if (k == NN_INIT_CONSTANT) {
        nn_buf_printf(b, "keras.initializers.Constant(%s)",
                      repl_py_float(n1, sizeof n1, value, REPL_PY_F32));
        return;
    }
    if (nn_init_args_are_default(k, a) || !cls[k]) {
        nn_buf_printf(b, "\"%s\"", nn_init_names[k]);
        return;
    }
    nn_buf_printf(b, "keras.initializers.%s(", cls[k]);
    const char *sep = "";
#define KW(name, field)                                                        \
    if (a->field != d.field) {                                                 \
        nn_buf_printf(b, "%s" name "=%s", sep,                                 \
                      repl_py_float(n1, sizeof n1, a->field, REPL_PY_F32));    \
        sep = ", ";                                                            \
    }
    switch (k) {
    case NN_INIT_RANDOM_NORMAL:
    case NN_INIT_TRUNCATED_NORMAL:
        KW("mean", mean) KW("stddev", stddev) break;
    case NN_INIT_RANDOM_UNIFORM:
        KW("minval", minval) KW("maxval", maxval) break;
    case NN_INIT_VARIANCE_SCALING:
        KW("scale", scale)
        if (a->mode != d.mode) {
            nn_buf_printf(b, "%smode=\"%s\"", sep, nn_fan_mode_names[a->mode]);
            sep = ", ";
        }
        if (a->distribution != d.distribution)
            nn_buf_printf(b, "%sdistribution=\"%s\"", sep,
                          nn_init_dist_names[a->distribution]);
        break;
    default:
        KW("gain", gain) break;
    }
#undef KW
    nn_buf_printf(b, ")");
}
