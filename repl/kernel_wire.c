/* kernel_wire.c - parsing, checking and signing Jupyter messages
 * (kernel_wire.h).  Every frame comes from outside: lengths are checked
 * before anything is read, JSON is parsed with jansson from a length (no
 * NUL needed), and a message that fails any check is refused whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "kernel_wire.h"

void kn_frames_free(kn_frame *f, int n)
{
    for (int i = 0; f && i < n; i++)
        free(f[i].data);
}

void kn_msg_free(kn_msg *m)
{
    json_decref(m->header);
    json_decref(m->parent);
    json_decref(m->metadata);
    json_decref(m->content);
    memset(m, 0, sizeof *m);
}

int kn_sign(const unsigned char *key, size_t klen, const char *const part[4],
            const size_t partlen[4], char hex[65])
{
    hex[0] = 0;
    if (klen == 0)
        return 0;
    size_t total = 0;
    for (int i = 0; i < 4; i++)
        total += partlen[i];
    /* one buffer: HMAC() is libcrypto's one-shot call (HMAC_CTX is
     * deprecated in OpenSSL 3) */
    unsigned char *buf = malloc(total ? total : 1);
    if (!buf)
        return -1;
    size_t k = 0;
    for (int i = 0; i < 4; i++) {
        memcpy(buf + k, part[i], partlen[i]);
        k += partlen[i];
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    unsigned char *r = HMAC(EVP_sha256(), key, (int)klen, buf, total, mac,
                            &maclen);
    free(buf);
    if (!r || maclen != 32)
        return -1;
    for (unsigned i = 0; i < maclen; i++)
        snprintf(hex + 2 * i, 3, "%02x", mac[i]);
    return 0;
}

static json_t *object_of(const kn_frame *f, const char *what, char *why,
                         size_t whylen)
{
    json_error_t err;
    json_t *j = json_loadb((const char *)f->data, f->len,
                           JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        snprintf(why, whylen, "%s is not JSON (%s)", what, err.text);
        return NULL;
    }
    if (!json_is_object(j)) {
        snprintf(why, whylen, "%s is not a JSON object", what);
        json_decref(j);
        return NULL;
    }
    return j;
}

int kn_parse(const kn_frame *f, int n, const unsigned char *key, size_t klen,
             kn_msg *m, char *why, size_t whylen)
{
    memset(m, 0, sizeof *m);
    why[0] = 0;
    if (n > KN_MAX_FRAMES) {
        snprintf(why, whylen, "%d frames (at most %d)", n, KN_MAX_FRAMES);
        return KN_BAD;
    }
    size_t total = 0;
    int d = -1;
    for (int i = 0; i < n; i++) {
        total += f[i].len;
        if (d < 0 && f[i].len == strlen(KN_DELIM) &&
            memcmp(f[i].data, KN_DELIM, f[i].len) == 0)
            d = i;
    }
    if (total > KN_MAX_BYTES) {
        snprintf(why, whylen, "%zu bytes (at most %zu)", total, KN_MAX_BYTES);
        return KN_BAD;
    }
    if (d < 0 || n - d < 6) {
        snprintf(why, whylen, d < 0 ? "no <IDS|MSG> delimiter"
                                    : "fewer than 5 frames after <IDS|MSG>");
        return KN_BAD;
    }
    const kn_frame *sig = &f[d + 1], *p = &f[d + 2];
    if (klen) {
        const char *part[4];
        size_t len[4];
        for (int i = 0; i < 4; i++) {
            part[i] = (const char *)p[i].data;
            len[i] = p[i].len;
        }
        char hex[65];
        if (kn_sign(key, klen, part, len, hex) < 0) {
            snprintf(why, whylen, "cannot compute the signature");
            return KN_BAD;
        }
        if (sig->len != 64 || CRYPTO_memcmp(sig->data, hex, 64) != 0) {
            snprintf(why, whylen, "signature does not verify");
            return KN_BADSIG;
        }
    }
    static const char *const names[4] = {"header", "parent_header",
                                          "metadata", "content"};
    json_t *j[4] = {0};
    for (int i = 0; i < 4; i++)
        if (!(j[i] = object_of(&p[i], names[i], why, whylen))) {
            for (int k = 0; k < i; k++)
                json_decref(j[k]);
            return KN_BAD;
        }
    const char *type = json_string_value(json_object_get(j[0], "msg_type"));
    if (!type || !*type || strlen(type) > 64) {
        snprintf(why, whylen, "the header has no msg_type");
        for (int k = 0; k < 4; k++)
            json_decref(j[k]);
        return KN_BAD;
    }
    m->ids = f;
    m->nids = d;
    m->header = j[0];
    m->parent = j[1];
    m->metadata = j[2];
    m->content = j[3];
    m->type = type;
    return KN_OK;
}

void kn_new_id(char id[33])
{
    unsigned char r[16];
    static unsigned long counter;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, r, sizeof r) : -1;
    if (fd >= 0)
        close(fd);
    if (got != (ssize_t)sizeof r) {      /* unlikely: time and a counter */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long v[2] = {(unsigned long)ts.tv_nsec ^ ++counter,
                              (unsigned long)ts.tv_sec ^ (unsigned long)getpid()};
        memcpy(r, v, sizeof r < sizeof v ? sizeof r : sizeof v);
    }
    for (int i = 0; i < 16; i++)
        snprintf(id + 2 * i, 3, "%02x", r[i]);
}

json_t *kn_header(const char *type, const char *session)
{
    char id[33], date[48];
    kn_new_id(id);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    size_t k = strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(date + k, sizeof date - k, ".%06ldZ", ts.tv_nsec / 1000);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "msg_id", id,
                     "session", session, "username", "nnlab", "date", date,
                     "msg_type", type, "version", "5.3");
}
