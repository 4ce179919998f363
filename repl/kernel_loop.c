/* kernel_loop.c - the kernel's sockets and its loop (kernel.h): the
 * connection file Jupyter writes, five ZeroMQ sockets bound to the address
 * it names only, the heartbeat echoed by a thread of its own (so a long
 * fit never looks like a dead kernel), and the loop that receives a
 * request on shell or control, checks it (kernel_wire.c) and serves it. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <zmq.h>
#include "kernel.h"
#include "figures.h"

/* ---- sending ---- */

/* One part; a signal (Jupyter's interrupt) does not cut a message. */
static int send_part(void *sock, const void *data, size_t len, int more)
{
    int r;
    while ((r = zmq_send(sock, data, len, more ? ZMQ_SNDMORE : 0)) < 0 &&
           errno == EINTR)
        ;
    return r < 0 ? -1 : 0;
}

/* ids (n of them) then the signed message; content stolen. */
static int send_msg(kn_kernel *k, void *sock, const kn_frame *ids, int nids,
                    const char *topic, json_t *parent, const char *type,
                    json_t *content)
{
    json_t *header = kn_header(type, k->session);
    json_t *meta = json_object();
    json_t *empty = parent ? NULL : json_object();  /* no parent: {} */
    char *part[4] = {0};
    int r = -1;
    if (!header || !meta || !content)
        goto out;
    part[0] = json_dumps(header, JSON_COMPACT);
    part[1] = json_dumps(parent ? parent : empty, JSON_COMPACT);
    part[2] = json_dumps(meta, JSON_COMPACT);
    part[3] = json_dumps(content, JSON_COMPACT);
    if (!part[0] || !part[1] || !part[2] || !part[3])
        goto out;
    size_t len[4];
    for (int i = 0; i < 4; i++)
        len[i] = strlen(part[i]);
    char sig[65];
    if (kn_sign(k->key, k->klen, (const char *const *)part, len, sig) < 0)
        goto out;
    int bad = 0;
    for (int i = 0; i < nids; i++)
        bad |= send_part(sock, ids[i].data, ids[i].len, 1);
    if (topic)
        bad |= send_part(sock, topic, strlen(topic), 1);
    bad |= send_part(sock, KN_DELIM, strlen(KN_DELIM), 1);
    bad |= send_part(sock, sig, strlen(sig), 1);
    for (int i = 0; i < 4; i++)
        bad |= send_part(sock, part[i], len[i], i < 3);
    r = bad ? -1 : 0;
out:
    for (int i = 0; i < 4; i++)
        free(part[i]);
    json_decref(header);
    json_decref(meta);
    json_decref(empty);
    json_decref(content);
    return r;
}

int kn_send(kn_kernel *k, void *sock, const kn_msg *req, const char *type,
            json_t *content)
{
    return send_msg(k, sock, req ? req->ids : NULL, req ? req->nids : 0, NULL,
                    req ? req->header : NULL, type, content);
}

int kn_iopub_locked(kn_kernel *k, const char *type, json_t *content)
{
    char topic[96];
    snprintf(topic, sizeof topic, "kernel.%s.%s", k->session, type);
    return send_msg(k, k->iopub, NULL, 0, topic, k->parent, type, content);
}

int kn_iopub(kn_kernel *k, const char *type, json_t *content)
{
    pthread_mutex_lock(&k->lock);
    int r = kn_iopub_locked(k, type, content);
    pthread_mutex_unlock(&k->lock);
    return r;
}

static void status(kn_kernel *k, const char *state)
{
    kn_iopub(k, "status", json_pack("{s:s}", "execution_state", state));
}

/* ---- receiving ---- */

/* All parts of one message into f (malloc'd copies); n parts.  Parts past
 * KN_MAX_FRAMES or KN_MAX_BYTES are read and dropped, and the message is
 * refused (return -1), so the socket stays in step. */
static int recv_frames(void *sock, kn_frame *f, int *n)
{
    int more = 1, bad = 0;
    size_t total = 0;
    *n = 0;
    while (more) {
        zmq_msg_t part;
        zmq_msg_init(&part);
        if (zmq_msg_recv(&part, sock, 0) < 0) {
            zmq_msg_close(&part);
            if (errno == EINTR && *n == 0)
                return -2;           /* a signal (interrupt) between messages */
            if (errno == EINTR)
                continue;
            bad = 1;
            break;
        }
        size_t len = zmq_msg_size(&part);
        more = zmq_msg_more(&part);
        total += len;
        if (*n >= KN_MAX_FRAMES || total > KN_MAX_BYTES) {
            bad = 1;
        } else if (!bad) {
            f[*n].data = malloc(len ? len : 1);
            if (!f[*n].data) {
                bad = 1;
            } else {
                memcpy(f[*n].data, zmq_msg_data(&part), len);
                f[*n].len = len;
                (*n)++;
            }
        }
        zmq_msg_close(&part);
    }
    if (bad) {
        kn_frames_free(f, *n);
        *n = 0;
        return -1;
    }
    return 0;
}

static void serve(kn_kernel *k, void *sock, const kn_msg *m)
{
    const char *t = m->type;
    pthread_mutex_lock(&k->lock);
    json_decref(k->parent);
    k->parent = json_incref(m->header);
    pthread_mutex_unlock(&k->lock);
    k->reply_sock = sock;
    status(k, "busy");
    if (!strcmp(t, "kernel_info_request"))
        kn_kernel_info(k, m);
    else if (!strcmp(t, "execute_request"))
        kn_execute(k, m);
    else if (!strcmp(t, "complete_request"))
        kn_complete(k, m);
    else if (!strcmp(t, "inspect_request"))
        kn_inspect(k, m);
    else if (!strcmp(t, "is_complete_request"))
        kn_is_complete(k, m);
    else if (!strcmp(t, "history_request"))
        kn_history(k, m);
    else if (!strcmp(t, "comm_info_request"))
        kn_send(k, sock, m, "comm_info_reply",
                json_pack("{s:s, s:{}}", "status", "ok", "comms"));
    else if (!strcmp(t, "interrupt_request")) {
        /* between cells there is nothing to stop; during one, Jupyter
         * sends SIGINT (interrupt_mode signal) */
        kn_send(k, sock, m, "interrupt_reply", json_pack("{s:s}", "status", "ok"));
    } else if (!strcmp(t, "shutdown_request")) {
        json_t *restart = json_object_get(m->content, "restart");
        kn_send(k, sock, m, "shutdown_reply",
                json_pack("{s:s, s:b}", "status", "ok", "restart",
                          json_is_true(restart)));
        k->quit = 1;
    } else {
        fprintf(k->log, "nnlab kernel: ignoring a %s message\n", t);
    }
    status(k, "idle");
}

/* One message from sock: received, checked, served. */
static void handle(kn_kernel *k, void *sock)
{
    kn_frame f[KN_MAX_FRAMES];
    int n;
    int r = recv_frames(sock, f, &n);
    if (r == -2)
        return;
    if (r < 0) {
        fprintf(k->log, "nnlab kernel: dropped an oversized message\n");
        return;
    }
    kn_msg m;
    char why[256];
    r = kn_parse(f, n, k->key, k->klen, &m, why, sizeof why);
    if (r == KN_BADSIG) {
        if (!k->told_badsig)
            fprintf(k->log, "nnlab kernel: dropped a message whose signature "
                    "does not verify (further ones are dropped silently)\n");
        k->told_badsig = 1;
    } else if (r != KN_OK) {
        fprintf(k->log, "nnlab kernel: dropped a malformed message: %s\n", why);
    } else {
        serve(k, sock, &m);
        kn_msg_free(&m);
    }
    kn_frames_free(f, n);
}

/* ---- the heartbeat: echo every ping, on its own thread ---- */

static volatile int hb_stop;

static void *heartbeat(void *arg)
{
    void *hb = arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);   /* SIGINT is the main thread's */
    while (!hb_stop) {
        zmq_pollitem_t it = {hb, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&it, 1, 200) <= 0)
            continue;
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, hb, 0) >= 0) {
            int more = zmq_msg_more(&msg);
            zmq_msg_send(&msg, hb, more ? ZMQ_SNDMORE : 0);
        }
        zmq_msg_close(&msg);
    }
    return NULL;
}

/* ---- the connection file ---- */

typedef struct conn {
    char ip[256], transport[16];
    long port[5];                /* shell iopub stdin control hb */
} conn;

static const char *const port_names[5] = {"shell_port", "iopub_port",
                                          "stdin_port", "control_port",
                                          "hb_port"};

static int read_conn(kn_kernel *k, const char *path, conn *c, char *why,
                     size_t len)
{
    json_error_t err;
    json_t *j = json_load_file(path, 0, &err);
    if (!j) {
        snprintf(why, len, "cannot read the connection file '%s': %s", path,
                 err.text);
        return -1;
    }
    int r = -1;
    const char *ip = json_string_value(json_object_get(j, "ip"));
    const char *tr = json_string_value(json_object_get(j, "transport"));
    const char *key = json_string_value(json_object_get(j, "key"));
    const char *scheme = json_string_value(json_object_get(j, "signature_scheme"));
    if (!tr)
        tr = "tcp";
    int odd = 0;                   /* blanks or control characters */
    for (const char *q = ip; q && *q; q++)
        odd |= (unsigned char)*q <= ' ' || (unsigned char)*q >= 0x7f;
    if (!ip || !*ip || odd || strlen(ip) >= sizeof c->ip) {
        snprintf(why, len, "%s: no usable \"ip\"", path);
        goto out;
    }
    if (strcmp(tr, "tcp") && strcmp(tr, "ipc")) {
        snprintf(why, len, "%s: transport must be tcp or ipc", path);
        goto out;
    }
    if (scheme && *scheme && strcmp(scheme, "hmac-sha256")) {
        snprintf(why, len, "%s: signature_scheme %s is not supported (only "
                 "hmac-sha256)", path, scheme);
        goto out;
    }
    if (key && strlen(key) >= sizeof k->key) {
        snprintf(why, len, "%s: the key is too long", path);
        goto out;
    }
    for (int i = 0; i < 5; i++) {
        json_t *p = json_object_get(j, port_names[i]);
        if (!json_is_integer(p) || json_integer_value(p) < 1 ||
            json_integer_value(p) > 65535) {
            snprintf(why, len, "%s: no usable \"%s\"", path, port_names[i]);
            goto out;
        }
        c->port[i] = (long)json_integer_value(p);
    }
    snprintf(c->ip, sizeof c->ip, "%s", ip);
    snprintf(c->transport, sizeof c->transport, "%s", tr);
    k->klen = key ? strlen(key) : 0;
    memcpy(k->key, key ? key : "", k->klen);
    r = 0;
out:
    json_decref(j);
    return r;
}

static void *bind_one(kn_kernel *k, int type, const conn *c, int i, char *why,
                      size_t len)
{
    char ep[320];
    if (!strcmp(c->transport, "ipc"))
        snprintf(ep, sizeof ep, "ipc://%s-%ld", c->ip, c->port[i]);
    else
        snprintf(ep, sizeof ep, "tcp://%s:%ld", c->ip, c->port[i]);
    void *sock = zmq_socket(k->zctx, type);
    if (!sock) {
        snprintf(why, len, "cannot make a socket: %s", zmq_strerror(errno));
        return NULL;
    }
    int64_t max = (int64_t)KN_MAX_BYTES;      /* oversized: dropped by zmq */
    int linger = 1000;
    zmq_setsockopt(sock, ZMQ_MAXMSGSIZE, &max, sizeof max);
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_bind(sock, ep) != 0) {
        snprintf(why, len, "cannot listen on %s: %s", ep, zmq_strerror(errno));
        zmq_close(sock);
        return NULL;
    }
    return sock;
}

static void on_sigint(int sig)
{
    (void)sig;
    repl_interrupted = 1;        /* fit, search, lrfind stop after the batch */
}

int repl_kernel_main(const char *connection_file, uint64_t seed)
{
    static kn_kernel k;
    static repl_session s;
    char why[512];
    conn c;
    k.log = stderr;
    if (read_conn(&k, connection_file, &c, why, sizeof why) < 0) {
        fprintf(stderr, "nnlab: --kernel: %s\n", why);
        return 2;
    }
    kn_new_id(k.session);
    pthread_mutex_init(&k.lock, NULL);
    k.zctx = zmq_ctx_new();
    static const int types[5] = {ZMQ_ROUTER, ZMQ_PUB, ZMQ_ROUTER, ZMQ_ROUTER,
                                 ZMQ_REP};
    void *sock[5] = {0};
    int bad = !k.zctx;
    for (int i = 0; i < 5 && !bad; i++)
        bad = !(sock[i] = bind_one(&k, types[i], &c, i, why, sizeof why));
    if (bad) {
        fprintf(stderr, "nnlab: --kernel: %s\n", k.zctx ? why : "no ZeroMQ");
        for (int i = 0; i < 5; i++)
            if (sock[i])
                zmq_close(sock[i]);
        if (k.zctx)
            zmq_ctx_term(k.zctx);
        return 2;
    }
    k.shell = sock[0];
    k.iopub = sock[1];
    k.stdin_sock = sock[2];
    k.control = sock[3];
    k.hb = sock[4];
    pthread_t hb;
    int hb_on = pthread_create(&hb, NULL, heartbeat, k.hb) == 0;

    /* the session, as main.c starts one; input never comes from stdin */
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) {
        dup2(devnull, STDIN_FILENO);
        close(devnull);
    }
    repl_session_init(&s, seed);
    k.s = &s;
    {
        char line[40];
        snprintf(line, sizeof line, "seed %llu", (unsigned long long)seed);
        repl_log_add(&s, line);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;        /* no SA_RESTART: zmq_poll returns */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    if (kn_capture_start(&k) < 0) {
        fprintf(stderr, "nnlab: --kernel: cannot capture the output: %s\n",
                strerror(errno));
        k.quit = 1;
    } else {
        k.log = fdopen(dup(k.saved_err), "w");
        if (!k.log)
            k.log = stderr;
        setvbuf(k.log, NULL, _IOLBF, 0);
        status(&k, "starting");
        repl_figures_sink(kn_show_figure, &k);
    }
    /* jupyter_client names itself in JPY_PARENT_PID: when it is gone
     * (killed without a shutdown), the kernel ends too, as ipykernel's
     * parent poller does */
    const char *pp = getenv("JPY_PARENT_PID");
    long parent = 0;
    if (pp && (repl_parse_long(pp, &parent) < 0 || parent <= 1))
        parent = 0;
    /* started by it directly: gone when we are handed to another parent
     * (even while it is a zombie), else when no process has its pid */
    int direct = parent && (long)getppid() == parent;
    while (!k.quit) {
        zmq_pollitem_t it[2] = {{k.control, 0, ZMQ_POLLIN, 0},
                                {k.shell, 0, ZMQ_POLLIN, 0}};
        int n = zmq_poll(it, 2, parent ? 2000 : -1);
        if (n == 0) {
            if (parent && ((direct && (long)getppid() != parent) ||
                           (kill((pid_t)parent, 0) != 0 && errno == ESRCH))) {
                fprintf(k.log, "nnlab kernel: Jupyter (pid %ld) is gone; "
                        "ending\n", parent);
                break;
            }
            continue;
        }
        if (n < 0) {
            if (errno == EINTR) {
                repl_interrupted = 0;      /* nothing was running */
                continue;
            }
            fprintf(k.log, "nnlab kernel: %s\n", zmq_strerror(errno));
            break;
        }
        if (it[0].revents & ZMQ_POLLIN)   /* control first: shutdown */
            handle(&k, k.control);
        else if (it[1].revents & ZMQ_POLLIN)
            handle(&k, k.shell);
    }
    kn_capture_stop(&k);
    hb_stop = 1;
    if (hb_on)
        pthread_join(hb, NULL);
    for (int i = 0; i < 5; i++)
        zmq_close(sock[i]);
    zmq_ctx_term(k.zctx);
    json_decref(k.parent);
    for (int i = 0; i < k.ncells; i++)
        free(k.cells[i]);
    free(k.cells);
    free(k.collect);
    repl_session_free(&s);
    if (k.log != stderr)
        fclose(k.log);
    pthread_mutex_destroy(&k.lock);
    return 0;
}
