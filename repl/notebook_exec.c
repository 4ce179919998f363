/* notebook_exec.c - nnlab --notebook --execute (notebook.h): the code
 * cells run in one fresh session, as the kernel runs them (the same
 * output capture, kernel_io.c, and the same cell runner, kernel_exec.c),
 * but the outputs go into the cells instead of onto a socket: stream text
 * (consecutive pieces of one stream joined), figures as display_data, and
 * the error that stops the run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "notebook.h"
#include "kernel.h"
#include "figures.h"

typedef struct nb_run {
    json_t *outputs;             /* of the cell running */
} nb_run;

/* Appends text to the outputs: to the last one when it is the same
 * stream.  Under k->lock (kernel_io.c's emit). */
static void on_output(kn_kernel *k, int which, const char *t, size_t n)
{
    nb_run *r = k->nb;
    if (!r->outputs)
        return;
    const char *name = which ? "stderr" : "stdout";
    size_t last = json_array_size(r->outputs);
    json_t *o = last ? json_array_get(r->outputs, last - 1) : NULL;
    json_t *text = kn_text(t, n);
    if (o && !strcmp(json_string_value(json_object_get(o, "output_type")) ?
                     json_string_value(json_object_get(o, "output_type")) : "",
                     "stream") &&
        !strcmp(json_string_value(json_object_get(o, "name")) ?
                json_string_value(json_object_get(o, "name")) : "", name)) {
        json_t *old = json_object_get(o, "text");
        size_t a = json_string_length(old), b = json_string_length(text);
        char *both = malloc(a + b + 1);
        if (both) {
            memcpy(both, json_string_value(old), a);
            memcpy(both + a, json_string_value(text), b);
            json_object_set_new(o, "text", json_stringn(both, a + b));
            free(both);
        }
        json_decref(text);
        return;
    }
    json_array_append_new(r->outputs, json_pack("{s:s, s:s, s:o}", "output_type",
                          "stream", "name", name, "text", text));
}

static void on_figure(void *ctx, const char *path, const char *mime)
{
    kn_kernel *k = ctx;
    nb_run *r = k->nb;
    json_t *data = kn_figure_data(path, mime);
    if (!data) {
        fprintf(stderr, "plot: cannot read the figure back from %s\n", path);
        return;
    }
    kn_capture_sync(k);                   /* the figure after its text */
    pthread_mutex_lock(&k->lock);
    json_array_append_new(r->outputs, json_pack("{s:s, s:o, s:{}}",
                          "output_type", "display_data", "data", data,
                          "metadata"));
    pthread_mutex_unlock(&k->lock);
}

/* A cell's source (a string or a list of strings) as one string. */
static char *source(json_t *cell)
{
    json_t *src = json_object_get(cell, "source");
    if (json_is_string(src))
        return strdup(json_string_value(src));
    size_t len = 0, i;
    json_t *v;
    json_array_foreach(src, i, v)
        len += json_string_length(v);
    char *s = malloc(len + 1), *o = s;
    if (!s)
        return NULL;
    json_array_foreach(src, i, v) {
        memcpy(o, json_string_value(v) ? json_string_value(v) : "",
               json_string_length(v));
        o += json_string_length(v);
    }
    *o = 0;
    return s;
}

int nb_execute(json_t *nb, uint64_t seed)
{
    static kn_kernel k;
    static repl_session s;
    nb_run run = {0};
    memset(&k, 0, sizeof k);
    k.log = stderr;
    k.nb = &run;
    k.on_output = on_output;
    pthread_mutex_init(&k.lock, NULL);
    repl_session_init(&s, seed);
    k.s = &s;
    {
        char line[40];
        snprintf(line, sizeof line, "seed %llu", (unsigned long long)seed);
        repl_log_add(&s, line);
    }
    repl_signals_init();
    if (kn_capture_start(&k) < 0) {
        fprintf(stderr, "nnlab: --execute: cannot capture the output\n");
        repl_session_free(&s);
        return -1;
    }
    repl_figures_sink(on_figure, &k);
    int bad = 0, count = 0;
    size_t i;
    json_t *cell;
    json_array_foreach(json_object_get(nb, "cells"), i, cell) {
        const char *type = json_string_value(json_object_get(cell, "cell_type"));
        if (!type || strcmp(type, "code"))
            continue;
        char *code = source(cell);
        if (!code)
            continue;
        json_t *outputs = json_array();
        pthread_mutex_lock(&k.lock);
        run.outputs = outputs;
        k.last_error[0] = 0;
        pthread_mutex_unlock(&k.lock);
        char *failed;
        int line = kn_run_cell(&k, code, &failed);
        kn_capture_sync(&k);
        pthread_mutex_lock(&k.lock);
        run.outputs = NULL;
        pthread_mutex_unlock(&k.lock);
        if (line) {
            json_t *err = kn_cell_error(&k, line, failed);
            json_object_set_new(err, "output_type", json_string("error"));
            json_array_append_new(outputs, err);
            bad = 1;
        }
        free(failed);
        free(code);
        json_object_set_new(cell, "outputs", outputs);
        json_object_set_new(cell, "execution_count", json_integer(++count));
        if (bad)
            break;
    }
    repl_figures_sink(NULL, NULL);
    kn_capture_stop(&k);
    if (bad) {
        pthread_mutex_lock(&k.lock);
        fprintf(stderr, "nnlab: --execute: %s\n", k.last_error[0] ?
                k.last_error : "a cell failed");
        pthread_mutex_unlock(&k.lock);
    }
    repl_session_free(&s);
    pthread_mutex_destroy(&k.lock);
    return bad ? -1 : 0;
}
