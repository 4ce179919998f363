#!/bin/sh
# rel_alloc_fail.sh - an allocation that fails although it is under the
# memory cap (the cap set high, the address space limited with ulimit -v)
# is an error line, never a crash, and the session goes on unchanged.
#
# Skipped (77) under AddressSanitizer or valgrind (both need far more
# address space than the limit leaves) and where ulimit -v is refused.
LC_ALL=C
export LC_ALL
bin=${NNLAB_BIN:-./nnlab}
if [ ! -x "$bin" ]; then
    echo "rel_alloc_fail.sh: no program at $bin (set NNLAB_BIN)" >&2
    exit 99
fi
if [ -n "$NNLAB_WRAPPER" ] || nm "$bin" 2>/dev/null | grep -q __asan_init ||
   { command -v ldd >/dev/null && ldd "$bin" 2>/dev/null | grep -q libasan; }; then
    echo "SKIP rel_alloc_fail: sanitizer or valgrind build"
    exit 77
fi
if ! (ulimit -v 700000) 2>/dev/null; then
    echo "SKIP rel_alloc_fail: ulimit -v is not allowed here"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nnlab-alloc.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

# 4 million parameters fit; batches of 100,000 rows of 2,000 units do not
(ulimit -v 700000
 OPENBLAS_NUM_THREADS=1 "$bin" --seed 42 --keep-going -c '
set memory_cap=64G
data xor n=200000
input
dense 2000 activation=relu
dense 2000
dense 1 activation=sigmoid
compile loss=binary_crossentropy optimizer=adam
fit epochs=1 batch_size=100000 verbose=0
activations dense n=200000
step 1 batch_size=200000
lrfind steps=2 batch_size=100000
input 4000
model
input 4000
dense 30000
summary' >"$tmp/out" 2>"$tmp/err")
rc=$?

pass=0 fail=0
check() {   # check NAME CONDITION...
    name=$1
    shift
    if "$@"; then
        echo "PASS $name"
        pass=$((pass + 1))
    else
        echo "FAIL $name"
        fail=$((fail + 1))
    fi
}
check "exit status 1 (errors, no crash; got $rc)" [ "$rc" -eq 1 ]
nerr=$(grep -c 'out of memory' "$tmp/err")
check "every refused allocation says out of memory ($nerr lines)" [ "$nerr" -ge 5 ]
check "every stderr line is one error line" \
    sh -c '! grep -v "^-c:[0-9]*: error: " "$1"' sh "$tmp/err"
check "the session went on to the end" grep -q 'Total params: 0' "$tmp/out"
if [ $fail -gt 0 ]; then
    echo "--- stderr"; cat "$tmp/err"; echo "--- stdout (end)"; tail -n 20 "$tmp/out"
fi
echo "alloc: $pass passed, $fail failed"
[ $fail -eq 0 ]
