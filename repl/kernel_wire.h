/* kernel_wire.h - the Jupyter messaging protocol 5.3 on the wire: a
 * message's multipart frames, parsed and checked, and built and signed.
 * No sockets here (kernel_loop.c has them), so the fuzz harness
 * (tests/fuzz/fuzz_kernel.c) drives exactly what a socket hands in.
 *
 * A message, as jupyter_client sends it (messaging spec, "The wire
 * protocol"):
 *     [identity ...] "<IDS|MSG>" signature header parent_header metadata
 *     content [buffer ...]
 * signature = hex(HMAC-SHA256(key, header + parent_header + metadata +
 * content)), lower case; "" when the key is empty (no signing).  The four
 * dicts are JSON objects (jansson). */
#ifndef REPL_KERNEL_WIRE_H
#define REPL_KERNEL_WIRE_H

#include <stddef.h>
#include <jansson.h>

#define KN_MAX_FRAMES 64                 /* identities + 6 + buffers */
#define KN_MAX_BYTES ((size_t)32 << 20)  /* all frames of one message */
#define KN_DELIM "<IDS|MSG>"

typedef struct kn_frame {
    unsigned char *data;                 /* malloc'd (kn_frames_free) */
    size_t len;
} kn_frame;

typedef struct kn_msg {
    const kn_frame *ids;                 /* the routing identities (into the
                                            frames the message came from) */
    int nids;
    json_t *header, *parent, *metadata, *content;  /* owned; objects */
    const char *type;                    /* header.msg_type (into header) */
} kn_msg;

enum { KN_OK = 0, KN_BAD = -1, KN_BADSIG = -2 };

/* Parses frames f[0..n) into m, checking the signature with key (klen
 * bytes; klen 0: unsigned).  KN_OK; KN_BADSIG when the signature does not
 * verify; KN_BAD (why says what) for anything malformed.  On failure m
 * holds nothing to free.  m->ids points into f: keep f until m is done. */
int kn_parse(const kn_frame *f, int n, const unsigned char *key, size_t klen,
             kn_msg *m, char *why, size_t whylen);
void kn_msg_free(kn_msg *m);
void kn_frames_free(kn_frame *f, int n);

/* hex HMAC-SHA256 of the four parts (65 bytes with the NUL), "" when klen
 * is 0.  0, or -1 when libcrypto fails. */
int kn_sign(const unsigned char *key, size_t klen, const char *const part[4],
            const size_t partlen[4], char hex[65]);

/* A new header for a message of type, in session (the kernel's id). */
json_t *kn_header(const char *type, const char *session);

/* A fresh random id: 32 hex digits. */
void kn_new_id(char id[33]);

#endif
