/* cmd_history.c - `history`: the loss and metrics of every epoch trained,
 * as a table or CSV (Keras's history.history, CSVLogger's file). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "progress.h"
#include "repl.h"

static int write_history_csv(FILE *f, const nn_history *h)
{
    fprintf(f, "epoch");
    for (int k = 0; k < h->nkeys; k++)
        fprintf(f, ",%s", h->keys[k]);
    fprintf(f, ",learning_rate\n");
    for (int r = 0; r < h->nepochs; r++) {
        fprintf(f, "%d", h->epoch[r] - 1);   /* Keras's CSVLogger counts from 0 */
        for (int k = 0; k < h->nkeys; k++)
            fprintf(f, ",%.17g", nn_history_at(h, r, k));
        fprintf(f, ",%.17g\n", h->lr[r]);
    }
    return ferror(f) ? -1 : 0;
}


static int cmd_history(repl_session *s, const repl_args *a)
{
    int fmt;
    if (repl_opt_enum(s, a, "format", &fmt) < 0)
        return -1;
    const char *file = repl_arg_str(a, "file");
    const nn_history *h = &s->hist;
    if (h->nepochs == 0)
        return repl_error(s, "history", "no epochs trained yet; run fit");
    if (file) {
        char tmp[4096];
        if (snprintf(tmp, sizeof tmp, "%s.tmp%ld", file, (long)getpid()) >= (int)sizeof tmp)
            return repl_error(s, "history", "file name too long");
        FILE *f = fopen(tmp, "w");
        if (!f)
            return repl_error(s, "history", "cannot write %s: %s", file, strerror(errno));
        int bad = write_history_csv(f, h);
        bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
        bad |= fclose(f) != 0;
        if (bad || rename(tmp, file) != 0) {
            int err = errno;
            unlink(tmp);
            return repl_error(s, "history", "cannot write %s: %s", file, strerror(err));
        }
        printf("history: %d epochs written to %s\n", h->nepochs, file);
        return 0;
    }
    if (fmt == 1)
        return write_history_csv(stdout, h) == 0 ? 0 : repl_error(s, "history", "write failed");
    printf("%5s", "epoch");
    for (int k = 0; k < h->nkeys; k++)
        printf("  %*s", (int)(strlen(h->keys[k]) > 10 ? strlen(h->keys[k]) : 10), h->keys[k]);
    printf("\n");
    for (int r = 0; r < h->nepochs; r++) {
        printf("%5d", h->epoch[r]);
        for (int k = 0; k < h->nkeys; k++) {
            char v[32];
            double x = nn_history_at(h, r, k);
            if (isnan(x))
                snprintf(v, sizeof v, "-");
            else
                repl_format_value(v, sizeof v, x);
            printf("  %*s", (int)(strlen(h->keys[k]) > 10 ? strlen(h->keys[k]) : 10), v);
        }
        printf("\n");
    }
    return 0;
}

static const repl_opt history_opts[] = {
    {.name = "format", .type = REPL_T_ENUM, .values = repl_format_values, .shown = "table|csv",
     .def = "table",
     .help = "table, or csv"},
    {.name = "file", .type = REPL_T_FILE, .shown = "FILE.csv",
     .help = "write the history to this CSV file"},
    REPL_END
};

const repl_cmd repl_cmds_history[] = {
    {.name = "history", .topic = "train", .run = cmd_history,
     .opts = history_opts,
     .summary = "loss and metrics of every epoch trained",
     .help =
     "Shows history.history as a table: one row per epoch, one column per\n"
     "loss or metric (val_ ones on the validation data).  format=csv prints\n"
     "CSV; file= writes it (as Keras's CSVLogger, epochs counted from 0).\n"
     "\n"
     "Example:\n"
     "  history\n"
     "\n"
     "Keras: pd.DataFrame(history.history)",
     .minpos = 0, .maxpos = 0, .pos_kind = REPL_POS_NONE, .pos_values = NULL},
    {NULL},
};
