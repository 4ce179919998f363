/* fuzz_kernel.c - libFuzzer harness for the Jupyter kernel's message
 * parser (repl/kernel_wire.c: kn_parse), over raw multipart frames as a
 * ZeroMQ socket hands them in.
 *
 * Input: one flags byte, then frames, each a 2-byte big-endian length and
 * that many bytes (a length past the end takes what is left).  Flags: bit 0
 * checks signatures with the key "fuzz-key"; bit 1 (with bit 0) first
 * re-signs the message, so the JSON behind a good signature is reached
 * too.  A parse either fails (a message said, nothing kept) or gives four
 * JSON objects, a msg_type, and identities that end at <IDS|MSG>. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kernel_wire.h"

static const unsigned char key[] = "fuzz-key";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int flags = data[0];
    kn_frame f[KN_MAX_FRAMES + 2];
    int n = 0;
    size_t at = 1;
    while (at < size && n < KN_MAX_FRAMES + 2) {
        size_t len = at + 2 <= size ? ((size_t)data[at] << 8 | data[at + 1]) : 0;
        at += 2;
        if (at > size)
            at = size;
        if (len > size - at)
            len = size - at;
        f[n].data = malloc(len ? len : 1);   /* its own buffer: ASan sees overreads */
        if (!f[n].data)
            abort();
        memcpy(f[n].data, data + at, len);
        f[n].len = len;
        n++;
        at += len;
    }
    size_t klen = flags & 1 ? sizeof key - 1 : 0;
    if ((flags & 3) == 3) {             /* re-sign: frames after <IDS|MSG> */
        for (int d = 0; d + 5 < n; d++)
            if (f[d].len == 9 && !memcmp(f[d].data, KN_DELIM, 9)) {
                const char *part[4];
                size_t plen[4];
                for (int i = 0; i < 4; i++) {
                    part[i] = (const char *)f[d + 2 + i].data;
                    plen[i] = f[d + 2 + i].len;
                }
                char hex[65];
                if (kn_sign(key, klen, part, plen, hex) == 0) {
                    free(f[d + 1].data);
                    f[d + 1].data = malloc(64);
                    if (!f[d + 1].data)
                        abort();
                    memcpy(f[d + 1].data, hex, 64);
                    f[d + 1].len = 64;
                }
                break;
            }
    }
    kn_msg m;
    char why[256];
    int r = kn_parse(f, n, key, klen, &m, why, sizeof why);
    if (r != KN_OK) {
        if (!why[0] || (r != KN_BAD && r != KN_BADSIG))
            abort();
        if (m.header || m.content)
            abort();
    } else {
        if (!json_is_object(m.header) || !json_is_object(m.parent) ||
            !json_is_object(m.metadata) || !json_is_object(m.content) ||
            !m.type || !*m.type || m.nids < 0 || m.nids > n - 6 ||
            m.ids[m.nids].len != 9 || memcmp(m.ids[m.nids].data, KN_DELIM, 9))
            abort();
        /* what the handlers read: strings and numbers from content */
        json_t *code = json_object_get(m.content, "code");
        if (code && json_is_string(code))
            (void)strlen(json_string_value(code));
        char *again = json_dumps(m.content, JSON_COMPACT);
        free(again);
        kn_msg_free(&m);
    }
    kn_frames_free(f, n);
    return 0;
}
