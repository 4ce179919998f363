/* callbacks.c - placeholder until the callback commands land: no
 * callbacks are ever active. */
#include "repl.h"

int repl_callbacks_begin(repl_session *s, nn_model *m, int epochs, int nbatches,
                         repl_cb_run **run)
{
    *run = NULL;
    return 0;
}
int repl_callbacks_epoch_begin(repl_cb_run *r, nn_model *m, int epoch) { return 0; }
int repl_callbacks_batch_begin(repl_cb_run *r, nn_model *m, int epoch, int batch) { return 0; }
int repl_callbacks_batch_end(repl_cb_run *r, nn_model *m, int epoch, int batch,
                             int nbatches, const nn_logs *logs) { return 0; }
int repl_callbacks_epoch_end(repl_cb_run *r, nn_model *m, int epoch,
                             const nn_logs *logs) { return 0; }
void repl_callbacks_end(repl_cb_run *r, repl_session *s, const nn_fit_result *res) {}
void repl_callbacks_free(repl_session *s) {}
void repl_callbacks_keras(const repl_session *s, char *buf, size_t len, int *n)
{
    if (len)
        buf[0] = 0;
    *n = 0;
}
