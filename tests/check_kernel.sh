#!/bin/sh
# check_kernel.sh - the Jupyter kernel driven by the real Jupyter client
# (tests/kernel_test.py with jupyter_client's KernelManager), through a
# kernelspec that nnlab --install-kernel --prefix writes in a scratch
# JUPYTER_PATH.  Skipped (77) when nnlab
# was built without the kernel or no python3 has jupyter_client.
LC_ALL=C
export LC_ALL
srcdir=${NNLAB_SRCDIR:-$(dirname "$0")/..}
bin=${NNLAB_BIN:-./nnlab}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
if "$bin" --kernel /nonexistent 2>&1 | grep -q 'built without'; then
    echo "check_kernel: SKIP (nnlab built without the kernel: apt-get install libzmq3-dev libjansson-dev libssl-dev)"
    exit 77
fi
py=
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import jupyter_client' 2>/dev/null; then
        py=$p
        break
    fi
done
if [ -z "$py" ]; then
    echo "check_kernel: SKIP (needs python3 with jupyter_client: apt-get install python3-jupyter-client)"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nnlab-kernel.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/runtime"
# the kernelspec as a person installs it (the valgrind wrapper is not
# used: the client's timeouts are too short for it)
"$bin" --install-kernel --prefix="$tmp" >"$tmp/install.log" 2>&1 || {
    echo "check_kernel: FAIL: nnlab --install-kernel --prefix=$tmp"
    cat "$tmp/install.log"
    exit 1
}
JUPYTER_PATH=$tmp/share/jupyter JUPYTER_RUNTIME_DIR=$tmp/runtime HOME=$tmp \
    NNLAB_GNUPLOT_TIMEOUT=30 exec "$py" "$srcdir/tests/kernel_test.py"
