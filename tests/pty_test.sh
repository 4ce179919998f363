#!/bin/sh
# pty_test.sh - runs tests/pty_test.py (nnlab at a pseudo-terminal: Ctrl-D
# mid-line, Ctrl-C on a half line and during fit and step, Ctrl-D to
# leave).  Skipped (77) without python3 or a working pty.
srcdir=${NNLAB_SRCDIR:-$(dirname "$0")/..}
bin=${NNLAB_BIN:-./nnlab}
if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP pty_test: no python3"
    exit 77
fi
if ! python3 -c 'import os, pty; os.close(os.openpty()[0])' 2>/dev/null; then
    echo "SKIP pty_test: no pseudo-terminal here"
    exit 77
fi
if [ ! -x "$bin" ]; then
    echo "pty_test.sh: no program at $bin (set NNLAB_BIN)" >&2
    exit 99
fi
exec python3 "$srcdir/tests/pty_test.py" "$bin"
