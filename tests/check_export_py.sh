#!/bin/sh
# check_export_py.sh - runs the model.py that `export keras` writes, under
# a NumPy stand-in for Keras (tests/data/io/keras_mock), for a Sequential
# model with every kind of layer, a Functional one (Wide & Deep) and a
# 3-D input: each model.py rebuilds the model, sets the weights from the
# .npy files and asserts that its predictions match nnlab's (check_y.npy).
# Skipped (77) without python3 and NumPy.
LC_ALL=C
export LC_ALL
srcdir=${NNLAB_SRCDIR:-$(dirname "$0")/..}
bin=${NNLAB_BIN:-./nnlab}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
py=
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import numpy' 2>/dev/null; then
        py=$p
        break
    fi
done
if [ -z "$py" ]; then
    echo "check_export_py: SKIP (needs python3 with NumPy: apt-get install python3-numpy)"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nnlab-export.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/export.nnl" <<'NNL'
data moons n=100
input 2
dense 6 activation=relu kernel_initializer=he_normal
dense 3 activation=tanh use_bias=false name=hidden-2
activation softmax
dense 1 activation=sigmoid
compile loss=binary_crossentropy optimizer=adam metrics=accuracy
fit epochs=3 verbose=0
export keras seq
model api=functional name=wide_deep
input 8 name=input_
dense 30 activation=relu name=hidden1
dense 30 activation=relu name=hidden2
concat input_,hidden2 name=concat
dense 1 name=output
export keras wd
model
input 3x2
flatten
dense 4 activation=softmax
export keras flat
NNL
(cd "$tmp" && "$bin" --seed 42 export.nnl >log 2>&1) || {
    cat "$tmp/log"
    echo "check_export_py: FAIL (nnlab)"
    exit 1
}
pass=0 fail=0
for d in seq wd flat; do
    if (cd "$tmp" && PYTHONPATH="$srcdir/tests/data/io/keras_mock" "$py" "$d/model.py" \
            >"$d.log" 2>&1); then
        echo "PASS $d: $(tail -n 1 "$tmp/$d.log")"
        pass=$((pass + 1))
    else
        echo "FAIL $d:"
        cat "$tmp/$d.log"
        fail=$((fail + 1))
    fi
done
echo "check_export_py: $pass passed, $fail failed"
[ $fail -eq 0 ]
