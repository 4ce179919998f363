/* check_loss.c - every loss against hand-computed batches (with and
 * without sample weights: the reduction divides by rows), backward against
 * central finite differences of forward for every loss and from_logits,
 * the fused gradients against the chain rule, clipping and stability. */
#include <stdlib.h>
#include <string.h>
#include "check_util.h"
#include "loss.h"
#include "rng.h"

START_TEST(test_loss_names)
{
    for (int k = 0; k < NN_LOSS_COUNT; k++) {
        nn_loss_kind got = NN_LOSS_COUNT;
        ck_assert_msg(nn_loss_names[k] != NULL, "name %d missing", k);
        ck_assert_msg(nn_loss_parse(nn_loss_names[k], &got) == 0
                      && got == (nn_loss_kind)k,
                      "%s does not parse back", nn_loss_names[k]);
    }
    ck_assert_ptr_null(nn_loss_names[NN_LOSS_COUNT]);
    nn_loss_kind k = NN_LOSS_COUNT;
    ck_assert(nn_loss_parse("mean_squared_error", &k) == 0 && k == NN_LOSS_MSE);
    ck_assert(nn_loss_parse("mean_absolute_error", &k) == 0 && k == NN_LOSS_MAE);
    k = NN_LOSS_HUBER;
    ck_assert_msg(nn_loss_parse("crossentropy", &k) == -1 && k == NN_LOSS_HUBER,
                  "unknown name accepted");
    ck_assert_int_eq(nn_loss_parse("", &k), -1);
    ck_assert_int_eq(nn_loss_parse("MSE", &k), -1);
    static const struct { const char *w; nn_loss_kind k; } al[] = {
        { "kld", NN_LOSS_KLD }, { "kullback_leibler_divergence", NN_LOSS_KLD },
        { "mape", NN_LOSS_MAPE }, { "msle", NN_LOSS_MSLE },
        { "logcosh", NN_LOSS_LOG_COSH }, { "huber_loss", NN_LOSS_HUBER },
    };
    for (size_t i = 0; i < sizeof al / sizeof al[0]; i++)
        ck_assert_msg(nn_loss_parse(al[i].w, &k) == 0 && k == al[i].k,
                      "%s parses to %d", al[i].w, k);
}
END_TEST

/* One hand-computed batch: expected batch loss without weights and with
 * w = {2, 0.5} (sum_i w_i l_i / 2, never / 2.5). */
typedef struct hand_case {
    const char *what;
    nn_loss L;
    int rows, cols;
    float out[6], y[6];
    double l[2];          /* per-sample l_i */
} hand_case;

static const double CLIP = 16.11809565095832;   /* -ln(1e-7) */

static hand_case hand[] = {
    { "mse", { NN_LOSS_MSE, 0, 1, 0, 0, 0 }, 2, 2,
      { 0.5f, 1, 2, -1 }, { 0, 1, 1, 1 }, { 0.125, 2.5 } },
    { "mae", { NN_LOSS_MAE, 0, 1, 0, 0, 0 }, 2, 2,
      { 0.5f, 1, 2, -1 }, { 0, 1, 1, 1 }, { 0.25, 1.5 } },
    /* errors 0.5, 0 | 1, -2: h = 0.125, 0 | 0.5, 2 - 0.5 */
    { "huber delta 1", { NN_LOSS_HUBER, 0, 1, 0, 0, 0 }, 2, 2,
      { 0.5f, 1, 2, -1 }, { 0, 1, 1, 1 }, { 0.0625, 1.0 } },
    /* delta 2: |-2| <= 2 is quadratic, 0.5 * 4 */
    { "huber delta 2", { NN_LOSS_HUBER, 0, 2, 0, 0, 0 }, 2, 2,
      { 0.5f, 1, 2, -1 }, { 0, 1, 1, 1 }, { 0.0625, 1.25 } },
    /* delta 0.5: 0.5 * 0.5 - 0.125 = 0.125 at e = 0.5 (the seam) */
    { "huber delta 0.5", { NN_LOSS_HUBER, 0, 0.5f, 0, 0, 0 }, 2, 2,
      { 0.5f, 1, 2, -1 }, { 0, 1, 1, 1 }, { 0.0625, (0.375 + 0.875) / 2 } },
    { "bce", { NN_LOSS_BCE, 0, 1, 0, 0, 0 }, 2, 2,
      { 0.8f, 0.3f, 0.1f, 0.6f }, { 1, 0, 0, 0 }, { 0, 0 } },
    { "bce from_logits", { NN_LOSS_BCE, 1, 1, 0, 0, 0 }, 2, 2,
      { 2, -1, 0, 3 }, { 1, 0, 1, 1 }, { 0, 0 } },
    { "cce", { NN_LOSS_CCE, 0, 1, 0, 0, 0 }, 2, 3,
      { 0.2f, 0.7f, 0.1f, 0.5f, 0.25f, 0.25f }, { 0, 1, 0, 1, 0, 0 }, { 0, 0 } },
    /* rows summing to 4 and 0.5: Keras divides by the sum first */
    { "cce renormalised", { NN_LOSS_CCE, 0, 1, 0, 0, 0 }, 2, 3,
      { 1, 2, 1, 0.1f, 0.1f, 0.3f }, { 0, 1, 0, 0, 0, 1 }, { 0, 0 } },
    { "cce from_logits", { NN_LOSS_CCE, 1, 1, 0, 0, 0 }, 2, 3,
      { 1, 2, 3, 0, 0, 0 }, { 0, 0, 1, 0, 1, 0 }, { 0, 0 } },
    { "scce", { NN_LOSS_SCCE, 0, 1, 0, 0, 0 }, 2, 3,
      { 0.2f, 0.7f, 0.1f, 0.5f, 0.25f, 0.25f }, { 1, 0 }, { 0, 0 } },
    { "scce from_logits", { NN_LOSS_SCCE, 1, 1, 0, 0, 0 }, 2, 3,
      { 1, 2, 3, 0, 0, 0 }, { 2, 1 }, { 0, 0 } },
    /* clipping: p = 0 where y = 1 and p = 1 where y = 0 */
    { "bce clipped", { NN_LOSS_BCE, 0, 1, 0, 0, 0 }, 2, 1,
      { 0, 1 }, { 1, 0 }, { 0, 0 } },
    { "cce clipped", { NN_LOSS_CCE, 0, 1, 0, 0, 0 }, 2, 2,
      { 0, 1, 1, 0 }, { 1, 0, 0, 1 }, { 0, 0 } },
    { "scce clipped", { NN_LOSS_SCCE, 0, 1, 0, 0, 0 }, 2, 2,
      { 0, 1, 1, 0 }, { 0, 1 }, { 0, 0 } },
    /* Keras 3's others: l_i from Keras's formulas (keras/src/losses/
     * losses.py, loss.h) in NumPy on the same float32 numbers */
    { "kl_divergence", { NN_LOSS_KLD, 0, 1, 2, 0.25f, 0 }, 2, 2,
      { 0.2f, 0.8f, 0.6f, 0.4f }, { 0.3f, 0.7f, 0, 1 }, { 0.028167549119461746, 0.91628915624598717 } },
    { "poisson", { NN_LOSS_POISSON, 0, 1, 2, 0.25f, 0 }, 2, 2,
      { 0.5f, 2, 1.5f, 0.1f }, { 1, 3, 0, 2 }, { 0.55685264444006677, 3.1025840788384573 } },
    { "log_cosh", { NN_LOSS_LOG_COSH, 0, 1, 2, 0.25f, 0 }, 2, 2,
      { 0.5f, 1, 2, -1 }, { 0, 1, 1, 1 }, { 0.060057253479138727, 0.87939178892044567 } },
    /* 0/1 labels become -1/1: the same as the next */
    { "hinge 0/1 labels", { NN_LOSS_HINGE, 0, 1, 2, 0.25f, 0 }, 2, 2,
      { 0.3f, -0.8f, 2, 0.5f }, { 1, 0, 0, 1 }, { 0.44999998807907104, 1.75 } },
    { "hinge -1/1 labels", { NN_LOSS_HINGE, 0, 1, 2, 0.25f, 0 }, 2, 2,
      { 0.3f, -0.8f, 2, 0.5f }, { 1, -1, -1, 1 }, { 0.44999998807907104, 1.75 } },
    { "squared_hinge", { NN_LOSS_SQUARED_HINGE, 0, 1, 2, 0.25f, 0 }, 2, 2,
      { 0.3f, -0.8f, 2, 0.5f }, { 1, 0, 0, 1 }, { 0.26499998927116408, 4.625 } },
    { "categorical_hinge", { NN_LOSS_CATEGORICAL_HINGE, 0, 1, 2, 0.25f, 0 }, 2, 3,
      { 0.2f, 0.7f, 0.1f, 0.5f, 0.25f, 0.25f }, { 0, 1, 0, 0, 0, 1 }, { 0.50000001490116119, 1.25 } },
    /* negative: -1 when the directions agree */
    { "cosine_similarity", { NN_LOSS_COSINE, 0, 1, 2, 0.25f, 0 }, 2, 3,
      { 1, 2, 3, -1, 0.5f, 0 }, { 1, 2, 3, 1, 1, 1 }, { -1, 0.25819888974716115 } },
    { "binary_focal", { NN_LOSS_BINARY_FOCAL, 0, 1, 2, 0.25f, 0 }, 2, 2,
      { 0.8f, 0.3f, 0.1f, 0.6f }, { 1, 0, 0, 1 }, { 0.020513244715402824, 0.041392844453020168 } },
    { "binary_focal from_logits", { NN_LOSS_BINARY_FOCAL, 1, 1, 2, 0.25f, 0 }, 2, 2,
      { 2, -1, 0, 3 }, { 1, 0, 1, 1 }, { 0.012230810171853849, 0.086698039232241661 } },
    { "binary_focal gamma 3 balanced alpha 0.5", { NN_LOSS_BINARY_FOCAL, 0, 1, 3, 0.5f, 1 }, 2, 2,
      { 0.8f, 0.3f, 0.1f, 0.6f }, { 1, 0, 0, 1 }, { 0.0028538432665650643, 0.008199548013495227 } },
    { "binary_focal gamma 3 balanced alpha 0.1", { NN_LOSS_BINARY_FOCAL, 0, 1, 3, 0.1f, 1 }, 2, 2,
      { 0.8f, 0.3f, 0.1f, 0.6f }, { 1, 0, 0, 1 }, { 0.004422858690979108, 0.0016820538115084427 } },
    { "categorical_focal", { NN_LOSS_CATEGORICAL_FOCAL, 0, 1, 2, 0.25f, 0 }, 2, 3,
      { 0.2f, 0.7f, 0.1f, 1, 2, 1 }, { 0, 1, 0, 1, 0, 0 }, { 0.0080251868129099357, 0.19494764453248462 } },
    { "categorical_focal from_logits", { NN_LOSS_CATEGORICAL_FOCAL, 1, 1, 2, 0.25f, 0 }, 2, 3,
      { 1, 2, 3, 0, 0, 0 }, { 0, 0, 1, 0, 1, 0 }, { 0.011419449741971222, 0.12206803207423444 } },
    { "categorical_focal gamma 1 alpha 0.5", { NN_LOSS_CATEGORICAL_FOCAL, 0, 1, 1, 0.5f, 0 }, 2, 3,
      { 0.2f, 0.7f, 0.1f, 1, 2, 1 }, { 0, 1, 0, 1, 0, 0 }, { 0.05350124422355356, 0.5198603854199589 } },
    /* y = 0: the eps floor makes it 1e9 (Keras's too) */
    { "mape", { NN_LOSS_MAPE, 0, 1, 2, 0.25f, 0 }, 2, 2,
      { 0.5f, 1, 2, -1 }, { 1, 2, 0, 1 }, { 50, 1000000100 } },
    { "msle", { NN_LOSS_MSLE, 0, 1, 2, 0.25f, 0 }, 2, 2,
      { 0.5f, 1, 2, -1 }, { 0, 1, 3, 1 }, { 0.082200936400078903, 0.28160692504946694 } },
};
#define NHAND ((int)(sizeof hand / sizeof hand[0]))

/* The cross-entropy expectations, by hand from the same numbers. */
static void hand_fill(void)
{
    hand[5].l[0] = (-log(0.8) - log(0.7)) / 2;
    hand[5].l[1] = (-log(0.9) - log(0.4)) / 2;
    /* max(z,0) - z y + ln(1 + e^-|z|) */
    hand[6].l[0] = (2 - 2 + log1p(exp(-2)) + log1p(exp(-1))) / 2;
    hand[6].l[1] = (log(2) + 0 + log1p(exp(-3))) / 2;
    hand[7].l[0] = -log(0.7);
    hand[7].l[1] = -log(0.5);
    hand[8].l[0] = -log(0.5);
    hand[8].l[1] = -log(0.6);
    hand[9].l[0] = log(exp(1) + exp(2) + exp(3)) - 3;
    hand[9].l[1] = log(3);
    hand[10].l[0] = -log(0.7);
    hand[10].l[1] = -log(0.5);
    hand[11].l[0] = log(exp(1) + exp(2) + exp(3)) - 3;
    hand[11].l[1] = log(3);
    for (int i = 12; i < 15; i++)
        hand[i].l[0] = hand[i].l[1] = CLIP;
}

START_TEST(test_loss_hand)
{
    hand_fill();
    const hand_case *c = &hand[_i];
    float ps[2] = { -1, -1 };
    const float w[2] = { 2.0f, 0.5f };
    double L = nn_loss_forward(&c->L, c->out, c->y, NULL, c->rows, c->cols, ps);
    double want = (c->l[0] + c->l[1]) / 2;
    ck_assert_msg(fabs(L - want) <= 1e-6 * (1 + want),
                  "%s: loss %.9g, want %.9g", c->what, L, want);
    for (int i = 0; i < 2; i++)
        ck_assert_msg(fabs(ps[i] - c->l[i]) <= 1e-6 * (1 + c->l[i]),
                      "%s: per_sample[%d] = %.9g, want %.9g", c->what, i,
                      ps[i], c->l[i]);
    double Lw = nn_loss_forward(&c->L, c->out, c->y, w, c->rows, c->cols, ps);
    double wantw = (2.0 * c->l[0] + 0.5 * c->l[1]) / 2;  /* / rows */
    ck_assert_msg(fabs(Lw - wantw) <= 1e-6 * (1 + wantw),
                  "%s: weighted loss %.9g, want sum w l / rows = %.9g "
                  "(/ sum w would be %.9g)", c->what, Lw, wantw,
                  (2.0 * c->l[0] + 0.5 * c->l[1]) / 2.5);
    /* per_sample stays unweighted */
    ck_assert_msg(fabs(ps[0] - c->l[0]) <= 1e-6 * (1 + c->l[0]),
                  "%s: weighted per_sample[0] = %.9g, want %.9g", c->what,
                  ps[0], c->l[0]);
    /* NULL per_sample is allowed */
    double again = nn_loss_forward(&c->L, c->out, c->y, w, c->rows, c->cols,
                                   NULL);
    ck_assert_msg(again == Lw, "%s: per_sample NULL changed the loss", c->what);
}
END_TEST

START_TEST(test_loss_huber_default_delta)
{
    /* delta 0 in a zeroed struct means Keras's default 1.0 */
    nn_loss a = { NN_LOSS_HUBER, 0, 0.0f, 0, 0, 0 }, b = { NN_LOSS_HUBER, 0, 1.0f, 0, 0, 0 };
    float out[3] = { 3, -0.5f, 0.2f }, y[3] = { 0, 0, 0 };
    ck_assert_double_eq_tol(nn_loss_forward(&a, out, y, NULL, 3, 1, NULL),
                            nn_loss_forward(&b, out, y, NULL, 3, 1, NULL),
                            1e-12);
    ck_assert_double_eq_tol(nn_loss_forward(&b, out, y, NULL, 3, 1, NULL),
                            (2.5 + 0.125 + 0.02) / 3, 1e-7);
}
END_TEST

START_TEST(test_loss_stable_logits)
{
    /* from_logits at +-1000 and 1e4: finite losses with the exact values */
    nn_loss bce = { NN_LOSS_BCE, 1, 1, 0, 0, 0 }, cce = { NN_LOSS_CCE, 1, 1, 0, 0, 0 },
            scce = { NN_LOSS_SCCE, 1, 1, 0, 0, 0 };
    float z[4] = { 1000, -1000, 1e4f, -1e4f }, yb[4] = { 0, 1, 1, 0 };
    float g[4];
    ck_assert_double_eq_tol(nn_loss_forward(&bce, z, yb, NULL, 1, 4, NULL),
                            2000.0 / 4, 1e-9);
    nn_loss_backward(&bce, g, z, yb, NULL, 1, 4);
    ck_assert_float_eq_tol(g[0], 0.25, 1e-7);
    ck_assert_float_eq_tol(g[1], -0.25, 1e-7);
    ck_assert_float_eq_tol(g[2], 0, 1e-7);
    ck_assert_float_eq_tol(g[3], 0, 1e-7);
    float zc[3] = { 1000, -1000, 0 }, yc[3] = { 0, 1, 0 }, lab[1] = { 1 };
    ck_assert_double_eq_tol(nn_loss_forward(&cce, zc, yc, NULL, 1, 3, NULL),
                            2000.0, 1e-9);
    ck_assert_double_eq_tol(nn_loss_forward(&scce, zc, lab, NULL, 1, 3, NULL),
                            2000.0, 1e-9);
    float gc[3];
    nn_loss_backward(&cce, gc, zc, yc, NULL, 1, 3);
    ck_assert_msg(gc[0] == 1.0f && gc[1] == -1.0f && gc[2] == 0.0f,
                  "cce logits gradient %g %g %g", gc[0], gc[1], gc[2]);
    nn_loss_backward(&scce, gc, zc, lab, NULL, 1, 3);
    ck_assert_msg(gc[0] == 1.0f && gc[1] == -1.0f && gc[2] == 0.0f,
                  "scce logits gradient %g %g %g", gc[0], gc[1], gc[2]);
}
END_TEST

START_TEST(test_loss_clip_gradient)
{
    /* where the clip is active the loss is flat: zero gradient, finite */
    nn_loss bce = { NN_LOSS_BCE, 0, 1, 0, 0, 0 }, cce = { NN_LOSS_CCE, 0, 1, 0, 0, 0 };
    float p[2] = { 1e-9f, 1.0f }, y[2] = { 1, 0 }, g[2] = { 9, 9 };
    nn_loss_backward(&bce, g, p, y, NULL, 1, 2);
    ck_assert_msg(g[0] == 0.0f && g[1] == 0.0f, "bce clipped gradient %g %g",
                  g[0], g[1]);
    float pc[3] = { 0, 0.5f, 0.5f }, yc[3] = { 1, 0, 0 }, gc[3] = { 9, 9, 9 };
    nn_loss_backward(&cce, gc, pc, yc, NULL, 1, 3);
    for (int j = 0; j < 3; j++)
        ck_assert_msg(gc[j] == 0.0f, "cce clipped gradient[%d] = %g", j, gc[j]);
    /* just inside the clip the gradient is -y/p: large but finite */
    float pi[2] = { 1e-6f, 1 - 1e-6f }, yi[2] = { 1, 1 }, gi[2];
    nn_loss_backward(&bce, gi, pi, yi, NULL, 1, 1);
    ck_assert_msg(fabs(gi[0] + 1e6) < 1, "bce gradient at p=1e-6: %g", gi[0]);
}
END_TEST

START_TEST(test_loss_bad_label)
{
    /* a sparse label outside [0, cols): NaN loss, zero gradient row */
    nn_loss L = { NN_LOSS_SCCE, 0, 1, 0, 0, 0 };
    float out[6] = { 0.2f, 0.3f, 0.5f, 0.1f, 0.1f, 0.8f }, y[2] = { 3, 2 };
    float ps[2], g[6];
    double l = nn_loss_forward(&L, out, y, NULL, 2, 3, ps);
    ck_assert_msg(isnan(l) && isnan(ps[0]) && !isnan(ps[1]),
                  "label 3 of 3 classes: loss %g, per-sample %g %g", l,
                  ps[0], ps[1]);
    nn_loss_backward(&L, g, out, y, NULL, 2, 3);
    ck_assert_msg(g[0] == 0 && g[1] == 0 && g[2] == 0 && g[5] != 0,
                  "bad label row gradient %g %g %g", g[0], g[1], g[2]);
}
END_TEST

/* Random inputs that fit the loss: probabilities away from the clip for
 * from_logits 0 (categorical: positive rows NOT summing to 1, to test the
 * renormalisation), logits otherwise; labels 0/1, soft, one-hot or
 * indices. */
static void make_batch(const nn_loss *L, nn_rng *r, float *out, float *y,
                       int rows, int cols)
{
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) {
            float *o = &out[i * cols + j];
            switch (L->kind) {
            case NN_LOSS_BCE:
            case NN_LOSS_BINARY_FOCAL:
                *o = L->from_logits ? (float)nn_rng_range(r, -4, 4)
                                    : (float)nn_rng_range(r, 0.05, 0.95);
                y[i * cols + j] = j % 3 == 2 ? 0.3f : (float)nn_rng_below(r, 2);
                break;
            case NN_LOSS_KLD:            /* probabilities, away from the clip */
                *o = (float)nn_rng_range(r, 0.05, 0.95);
                y[i * cols + j] = (float)nn_rng_range(r, 0.0, 1.0);
                break;
            case NN_LOSS_POISSON:        /* rates > 0, counts */
            case NN_LOSS_MSLE:
                *o = (float)nn_rng_range(r, 0.1, 3.0);
                y[i * cols + j] = (float)nn_rng_below(r, 4);
                break;
            case NN_LOSS_HINGE:          /* 0/1 labels: made -1/1 */
            case NN_LOSS_SQUARED_HINGE:
                *o = (float)nn_rng_range(r, -2, 2);
                y[i * cols + j] = (float)nn_rng_below(r, 2);
                break;
            case NN_LOSS_CCE:
            case NN_LOSS_SCCE:
            case NN_LOSS_CATEGORICAL_FOCAL:
            case NN_LOSS_CATEGORICAL_HINGE:
                *o = L->from_logits ? (float)nn_rng_range(r, -3, 3)
                                    : (float)nn_rng_range(r, 0.1, 1.0);
                break;
            default:
                *o = (float)nn_rng_range(r, -2, 2);
                y[i * cols + j] = (float)nn_rng_range(r, -2, 2);
                break;
            }
        }
    if (L->kind == NN_LOSS_CCE || L->kind == NN_LOSS_CATEGORICAL_FOCAL ||
        L->kind == NN_LOSS_CATEGORICAL_HINGE)
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++)
                y[i * cols + j] = 0;
            if (i == rows - 1) {   /* a soft row, summing to 1.2 */
                y[i * cols] = 0.9f;
                y[i * cols + 1] = 0.3f;
            } else
                y[i * cols + nn_rng_below(r, (uint32_t)cols)] = 1;
        }
    if (L->kind == NN_LOSS_SCCE)
        for (int i = 0; i < rows; i++)
            y[i] = (float)nn_rng_below(r, (uint32_t)cols);
}

/* every kind x from_logits x (no weights, weights) */
START_TEST(test_loss_backward_fd)
{
    enum { R = 4, C = 3 };
    nn_loss L = { (nn_loss_kind)(_i / 4), (_i / 2) % 2, 1.3f, 2.0f, 0.25f, 0 };
    int weighted = _i % 2;
    if (L.kind == NN_LOSS_BINARY_FOCAL)   /* class balancing, gamma 3 */
        L.apply_class_balancing = weighted, L.gamma = weighted ? 3.0f : 2.0f;
    if (L.kind == NN_LOSS_CATEGORICAL_FOCAL && weighted)
        L.gamma = 1.5f, L.alpha = 0.6f;
    const float w[R] = { 1.5f, 0.2f, 1.0f, 3.0f };
    const float *wp = weighted ? w : NULL;
    float out[R * C], y[R * C], g[R * C], os[R * C];
    nn_rng r;
    nn_rng_seed(&r, 100 + (uint64_t)_i);
    make_batch(&L, &r, out, y, R, C);
    for (int i = 0; i < R * C; i++)
        g[i] = 1e30f;   /* backward overwrites */
    nn_loss_backward(&L, g, out, y, wp, R, C);
    const double h = 1e-3;
    for (int k = 0; k < R * C; k++) {
        double Ls[2], step[2];
        for (int sign = 0; sign < 2; sign++) {
            memcpy(os, out, sizeof out);
            os[k] = (float)(out[k] + (sign ? -h : h));
            step[sign] = os[k];
            Ls[sign] = nn_loss_forward(&L, os, y, wp, R, C, NULL);
        }
        double num = (Ls[0] - Ls[1]) / (step[0] - step[1]);
        ck_assert_msg(fabs(g[k] - num) <= 1e-3 * fabs(num) + 1e-6,
                      "%s from_logits=%d%s: dL/dout[%d] = %.7g, finite "
                      "difference %.7g", nn_loss_names[L.kind], L.from_logits,
                      weighted ? " weighted" : "", k, g[k], num);
    }
}
END_TEST

START_TEST(test_loss_fusable)
{
    for (int k = 0; k < NN_LOSS_COUNT; k++)
        for (int fl = 0; fl < 2; fl++)
            for (int a = 0; a < NN_ACT_COUNT; a++) {
                nn_loss L = { (nn_loss_kind)k, fl, 1, 0, 0, 0 };
                int want = !fl && ((a == NN_ACT_SOFTMAX
                                    && (k == NN_LOSS_CCE || k == NN_LOSS_SCCE))
                                   || (a == NN_ACT_SIGMOID && k == NN_LOSS_BCE));
                ck_assert_msg(!!nn_loss_fusable(&L, (nn_act)a) == want,
                              "fusable(%s, from_logits=%d, %s) should be %d",
                              nn_loss_names[k], fl, nn_act_names[a], want);
            }
}
END_TEST

/* The fused dz equals loss backward followed by act backward (chain rule),
 * on pre-activations that keep p away from the clip. */
START_TEST(test_loss_fused_chain)
{
    static const struct { nn_loss_kind k; nn_act a; } pair[] = {
        { NN_LOSS_BCE, NN_ACT_SIGMOID }, { NN_LOSS_CCE, NN_ACT_SOFTMAX },
        { NN_LOSS_SCCE, NN_ACT_SOFTMAX },
    };
    enum { R = 5, C = 4 };
    nn_loss L = { pair[_i / 2].k, 0, 1, 0, 0, 0 };
    nn_act act = pair[_i / 2].a;
    const float w[R] = { 0.5f, 2, 1, 1.5f, 0.1f };
    const float *wp = _i % 2 ? w : NULL;
    float z[R * C], p[R * C], y[R * C], g[R * C], chain[R * C], fused[R * C];
    nn_rng r;
    nn_rng_seed(&r, 300 + (uint64_t)_i);
    nn_loss logits = { L.kind, 1, 1, 0, 0, 0 };
    make_batch(&logits, &r, z, y, R, C);
    nn_act_forward(act, p, z, R, C);
    nn_loss_backward(&L, g, p, y, wp, R, C);
    memset(chain, 0, sizeof chain);
    nn_act_backward(act, chain, g, z, p, R, C);
    nn_loss_backward_fused(&L, fused, p, y, wp, R, C);
    for (int i = 0; i < R * C; i++)
        ck_assert_msg(fabs(fused[i] - chain[i]) <= 1e-4 * fabs(chain[i]) + 1e-7,
                      "%s + %s%s: fused dz[%d] = %.7g, chain rule %.7g",
                      nn_loss_names[L.kind], nn_act_names[act],
                      wp ? " weighted" : "", i, fused[i], chain[i]);
    /* and the fused gradient is also the gradient of the from_logits loss */
    nn_loss_backward(&logits, g, z, y, wp, R, C);
    for (int i = 0; i < R * C; i++)
        ck_assert_msg(fabs(fused[i] - g[i]) <= 1e-5 * fabs(g[i]) + 1e-7,
                      "%s + %s: fused dz[%d] = %.7g, from_logits grad %.7g",
                      nn_loss_names[L.kind], nn_act_names[act], i, fused[i],
                      g[i]);
}
END_TEST

START_TEST(test_loss_fused_hand)
{
    /* w_i (p - y) / rows; bce also / cols; exact where p saturates */
    nn_loss bce = { NN_LOSS_BCE, 0, 1, 0, 0, 0 }, cce = { NN_LOSS_CCE, 0, 1, 0, 0, 0 },
            scce = { NN_LOSS_SCCE, 0, 1, 0, 0, 0 };
    float p[4] = { 1.0f, 0.25f, 0.0f, 0.5f }, y[4] = { 0, 1, 1, 1 };
    float w[2] = { 3, 1 }, dz[4];
    nn_loss_backward_fused(&bce, dz, p, y, w, 2, 2);
    ck_assert_float_eq_tol(dz[0], 3 * 1.0 / 4, 1e-7);
    ck_assert_float_eq_tol(dz[1], 3 * -0.75 / 4, 1e-7);
    ck_assert_float_eq_tol(dz[2], -1.0 / 4, 1e-7);
    ck_assert_float_eq_tol(dz[3], -0.5 / 4, 1e-7);
    float pc[4] = { 0.75f, 0.25f, 0.5f, 0.5f }, yc[4] = { 0, 1, 1, 0 };
    nn_loss_backward_fused(&cce, dz, pc, yc, w, 2, 2);
    ck_assert_float_eq_tol(dz[0], 3 * 0.75 / 2, 1e-7);
    ck_assert_float_eq_tol(dz[1], 3 * -0.75 / 2, 1e-7);
    ck_assert_float_eq_tol(dz[2], -0.25, 1e-7);
    ck_assert_float_eq_tol(dz[3], 0.25, 1e-7);
    float lab[2] = { 1, 0 };
    float dzs[4];
    nn_loss_backward_fused(&scce, dzs, pc, lab, w, 2, 2);
    ck_assert_msg(memcmp(dz, dzs, sizeof dz) == 0,
                  "sparse fused differs from one-hot fused");
}
END_TEST

Suite *suite_loss(void)
{
    Suite *s = suite_create("loss");
    TCase *tc = tcase_create("loss");
    tcase_add_test(tc, test_loss_names);
    tcase_add_loop_test(tc, test_loss_hand, 0, NHAND);
    tcase_add_test(tc, test_loss_huber_default_delta);
    tcase_add_test(tc, test_loss_stable_logits);
    tcase_add_test(tc, test_loss_clip_gradient);
    tcase_add_test(tc, test_loss_bad_label);
    tcase_add_loop_test(tc, test_loss_backward_fd, 0, NN_LOSS_COUNT * 4);
    tcase_add_test(tc, test_loss_fusable);
    tcase_add_loop_test(tc, test_loss_fused_chain, 0, 6);
    tcase_add_test(tc, test_loss_fused_hand);
    suite_add_tcase(s, tc);
    return s;
}
