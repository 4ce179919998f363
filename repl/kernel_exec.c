/* kernel_exec.c - the shell channel's requests (kernel.h): a cell run line
 * by line in the kernel's one session, the shell's own completion, help
 * as inspection, is_complete and history. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel.h"
#include "complete.h"

#define CELLS_MAX 10000        /* cells kept for history_request */

void kn_kernel_info(kn_kernel *k, const kn_msg *req)
{
    kn_send(k, k->reply_sock, req, "kernel_info_reply", json_pack(
        "{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s}, s:s, s:[]}",
        "status", "ok", "protocol_version", "5.3", "implementation", "nnlab",
        "implementation_version", PACKAGE_VERSION,
        "language_info", "name", "nnlab", "version", PACKAGE_VERSION,
        "mimetype", "text/x-nnlab", "file_extension", ".nnl",
        "codemirror_mode", "shell",
        "banner", "nnlab " PACKAGE_VERSION ": how neural networks train, with "
        "Keras's names (type help)", "help_links"));
}

static void keep_cell(kn_kernel *k, const char *code)
{
    if (k->ncells >= CELLS_MAX)
        return;
    char **c = realloc(k->cells, (size_t)(k->ncells + 1) * sizeof *c);
    if (!c)
        return;
    k->cells = c;
    if ((c[k->ncells] = strdup(code)))
        k->ncells++;
}

int kn_run_cell(kn_kernel *k, const char *code, char **failed)
{
    repl_session *s = k->s;
    const char *p = code;
    int n = 0;
    *failed = NULL;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *line = malloc(len + 1);
        if (!line)
            return n + 1;
        memcpy(line, p, len);
        line[len] = 0;
        if (len && line[len - 1] == '\r')
            line[len - 1] = 0;
        n++;
        int before = s->errors;
        int r = memchr(p, 0, len) ? -1 : repl_run_line(s, line);
        if (s->quit) {
            s->quit = 0;
            printf("quit: the kernel goes on (Kernel > Shut Down ends it)\n");
        }
        if (r < 0 || s->errors > before || repl_interrupted) {
            *failed = line;
            return n;
        }
        free(line);
        p = e ? e + 1 : p + len;
    }
    return 0;
}

void kn_execute(kn_kernel *k, const kn_msg *req)
{
    const char *code = json_string_value(json_object_get(req->content, "code"));
    int silent = json_is_true(json_object_get(req->content, "silent"));
    json_t *sh = json_object_get(req->content, "store_history");
    int store = !silent && (!sh || json_is_true(sh));
    if (!code)
        code = "";
    if (store) {
        k->exec_count++;
        keep_cell(k, code);
    }
    if (!silent)
        kn_iopub(k, "execute_input", json_pack("{s:s, s:i}", "code", code,
                                               "execution_count", k->exec_count));
    pthread_mutex_lock(&k->lock);
    k->last_error[0] = 0;
    pthread_mutex_unlock(&k->lock);
    repl_interrupted = 0;
    char *failed;
    int bad = kn_run_cell(k, code, &failed);
    kn_capture_sync(k);
    if (!bad) {
        kn_send(k, k->reply_sock, req, "execute_reply", json_pack(
            "{s:s, s:i, s:{}, s:[]}", "status", "ok", "execution_count",
            k->exec_count, "user_expressions", "payload"));
        return;
    }
    json_t *err = kn_cell_error(k, bad, failed);
    free(failed);
    kn_iopub(k, "error", json_deep_copy(err));
    json_object_set_new(err, "status", json_string("error"));
    json_object_set_new(err, "execution_count", json_integer(k->exec_count));
    kn_send(k, k->reply_sock, req, "execute_reply", err);
}

json_t *kn_cell_error(kn_kernel *k, int line, const char *failed)
{
    char ev[1200], where[1200];
    const char *ename = "NnlabError";
    pthread_mutex_lock(&k->lock);
    if (repl_interrupted && !k->last_error[0]) {
        ename = "KeyboardInterrupt";
        snprintf(ev, sizeof ev, "interrupted; the model keeps what it "
                 "learned, and the rest of the cell was not run");
    } else {
        snprintf(ev, sizeof ev, "%s", k->last_error[0] ? k->last_error
                                                       : "error: failed");
    }
    pthread_mutex_unlock(&k->lock);
    repl_interrupted = 0;
    snprintf(where, sizeof where, "(line %d of the cell: %s)", line,
             failed ? failed : "");
    return json_pack("{s:s, s:o, s:[o, o]}", "ename", ename, "evalue",
                     kn_text(ev, strlen(ev)), "traceback",
                     kn_text(ev, strlen(ev)), kn_text(where, strlen(where)));
}

/* The line of code around cursor (Jupyter counts code points), as a byte
 * range [*b, *e) of code, and the cursor's byte offset in *at. */
static void line_at(const char *code, long cursor, size_t *b, size_t *e,
                    size_t *at)
{
    size_t n = strlen(code), i = 0;
    long cp = 0;
    while (i < n && cp < cursor) {
        i++;
        while (i < n && ((unsigned char)code[i] & 0xC0) == 0x80)
            i++;
        cp++;
    }
    *at = i;
    *b = i;
    while (*b > 0 && code[*b - 1] != '\n')
        (*b)--;
    *e = i;
    while (*e < n && code[*e] != '\n')
        (*e)++;
}

/* Code points in code[0..bytes). */
static long points(const char *code, size_t bytes)
{
    long n = 0;
    for (size_t i = 0; i < bytes; i++)
        n += ((unsigned char)code[i] & 0xC0) != 0x80;
    return n;
}

static long cursor_of(const kn_msg *req, const char *code)
{
    json_t *c = json_object_get(req->content, "cursor_pos");
    long pos = json_is_integer(c) ? (long)json_integer_value(c) : -1;
    long max = points(code, strlen(code));
    return pos < 0 || pos > max ? max : pos;
}

void kn_complete(kn_kernel *k, const kn_msg *req)
{
    const char *code = json_string_value(json_object_get(req->content, "code"));
    if (!code)
        code = "";
    size_t b, e, at;
    line_at(code, cursor_of(req, code), &b, &e, &at);
    char *line = strndup(code + b, e - b);
    repl_comp c = {0};
    json_t *matches = json_array();
    long start = points(code, at), end = start;
    if (line && repl_complete(k->s, line, (int)(at - b), &c) == 0) {
        for (int i = 0; i < c.n; i++)
            json_array_append_new(matches, kn_text(c.items[i], strlen(c.items[i])));
        start = points(code, b + (size_t)c.start);
    }
    repl_comp_free(&c);
    free(line);
    kn_send(k, k->reply_sock, req, "complete_reply", json_pack(
        "{s:s, s:o, s:i, s:i, s:{}}", "status", "ok", "matches", matches,
        "cursor_start", (int)start, "cursor_end", (int)end, "metadata"));
}

void kn_inspect(kn_kernel *k, const kn_msg *req)
{
    const char *code = json_string_value(json_object_get(req->content, "code"));
    if (!code)
        code = "";
    size_t b, e, at;
    line_at(code, cursor_of(req, code), &b, &e, &at);
    /* the command of the line: its first word */
    while (b < e && (code[b] == ' ' || code[b] == '\t'))
        b++;
    size_t w = b;
    while (w < e && code[w] != ' ' && code[w] != '\t')
        w++;
    char name[64] = "";
    if (w - b < sizeof name) {
        memcpy(name, code + b, w - b);
        name[w - b] = 0;
    }
    json_t *data = json_object();
    int found = name[0] && repl_find(name) != NULL;
    if (found) {
        char cmd[80];
        snprintf(cmd, sizeof cmd, "help %s", name);
        kn_capture_sync(k);
        pthread_mutex_lock(&k->lock);
        k->collect = malloc(1);
        k->ncollect = 0;
        k->capcollect = k->collect ? 1 : 0;
        if (k->collect)
            k->collect[0] = 0;
        pthread_mutex_unlock(&k->lock);
        repl_run_line(k->s, cmd);
        kn_capture_sync(k);
        pthread_mutex_lock(&k->lock);
        char *text = k->collect;
        size_t n = k->ncollect;
        k->collect = NULL;
        pthread_mutex_unlock(&k->lock);
        if (text)
            json_object_set_new(data, "text/plain", kn_text(text, n));
        free(text);
        found = text != NULL;
    }
    kn_send(k, k->reply_sock, req, "inspect_reply", json_pack(
        "{s:s, s:b, s:o, s:{}}", "status", "ok", "found", found, "data", data,
        "metadata"));
}

void kn_is_complete(kn_kernel *k, const kn_msg *req)
{
    /* one command per line: a cell is always complete, unless a quote is
     * left open (then no line of it would run) */
    const char *code = json_string_value(json_object_get(req->content, "code"));
    const char *state = "complete";
    for (const char *p = code ? code : ""; *p;) {
        char q = 0;
        for (; *p && *p != '\n'; p++) {
            if (q == '"' && *p == '\\' && p[1] && p[1] != '\n')
                p++;
            else if (q && *p == q)
                q = 0;
            else if (!q && (*p == '"' || *p == '\''))
                q = *p;
            else if (!q && *p == '#')
                while (p[1] && p[1] != '\n')
                    p++;
        }
        if (q)
            state = "invalid";
        if (*p)
            p++;
    }
    kn_send(k, k->reply_sock, req, "is_complete_reply",
            json_pack("{s:s}", "status", state));
}

void kn_history(kn_kernel *k, const kn_msg *req)
{
    json_t *nj = json_object_get(req->content, "n");
    long n = json_is_integer(nj) ? (long)json_integer_value(nj) : k->ncells;
    if (n < 0 || n > k->ncells)
        n = k->ncells;
    json_t *h = json_array();
    for (int i = k->ncells - (int)n; i < k->ncells; i++)
        json_array_append_new(h, json_pack("[i, i, s]", 0, i + 1, k->cells[i]));
    kn_send(k, k->reply_sock, req, "history_reply",
            json_pack("{s:s, s:o}", "status", "ok", "history", h));
}
