#!/bin/sh
# check_keras_code.sh - the Keras code nnlab writes must run.
#
# 1. Every script test (tests/scripts/*.nnl, but those fed on standard input
#    or run with # args:) and every lesson is run again with one line added
#    at its end, `keras to=NAME.py`; each file written must pass
#    `python3 -m pyflakes` (no undefined name such as np without its
#    import, no unused import).
# 2. The data part of the code of sessions over every data source
#    (nnlab's generated sets, iris, CSV files, Fashion-MNIST), split and
#    scaled, is run with NumPy and scikit-learn (tests/keras_code_check.py)
#    and must make arrays of nnlab's shapes, with nnlab's scaling: the
#    scaler's statistics equal to those nnlab printed, pixels / 255.
#
# Needs a python3 with pyflakes (part 1) and NumPy + scikit-learn (part 2):
# apt-get install python3-pyflakes python3-numpy python3-sklearn; skipped
# (77) without pyflakes, part 2 skipped without scikit-learn.

LC_ALL=C
export LC_ALL
srcdir=${NNLAB_SRCDIR:-$(dirname "$0")/..}
bin=${NNLAB_BIN:-./nnlab}
case $srcdir in
/*) ;;
*) srcdir=$(pwd)/$srcdir ;;
esac
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
fmnist=${NNLAB_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}

py=""
for p in python3 /usr/bin/python3; do
    if "$p" -c 'import pyflakes' 2>/dev/null; then
        py=$p
        break
    fi
done
if [ -z "$py" ]; then
    echo "check_keras_code: SKIP (needs python3 with pyflakes: apt-get install python3-pyflakes)"
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nnlab-keras.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/py" "$tmp/tree/tests" || exit 99
cp -R "$srcdir/tests/scripts" "$tmp/tree/tests/scripts" || exit 99
cp -R "$srcdir/lessons" "$tmp/tree/lessons" || exit 99
for d in "$srcdir"/tests/*; do
    [ -d "$d" ] && [ "${d##*/}" != scripts ] && ln -s "$d" "$tmp/tree/tests/${d##*/}"
done

pass=0 fail=0

# ---- 1. pyflakes over the code of every script and lesson ----
n=0
for f in "$tmp"/tree/tests/scripts/*.nnl "$tmp"/tree/lessons/*.nnl; do
    name=$(basename "$f" .nnl)
    head -n 1 "$f" | grep -q '^# stdin' && continue
    grep -q '^# args:' "$f" && continue
    if grep -q '^# requires: fashion-mnist' "$f" && [ ! -d "$fmnist" ]; then
        continue
    fi
    case $f in */lessons/*) name=lesson_$name ;; esac
    printf '\nkeras to=%s/py/%s.py\n' "$tmp" "$name" >>"$f"
    (cd "$(dirname "$f")" && $NNLAB_WRAPPER "$bin" --seed 42 --keep-going \
        "$(basename "$f")" </dev/null >/dev/null 2>&1)
    n=$((n + 1))
done
files=$(ls "$tmp"/py/*.py 2>/dev/null | wc -l)
if [ "$files" -lt 40 ]; then
    echo "FAIL keras to=: only $files code files from $n sessions"
    fail=$((fail + 1))
elif out=$("$py" -m pyflakes "$tmp"/py/*.py 2>&1); then
    echo "PASS pyflakes: the Keras code of $files sessions (of $n run)"
    pass=$((pass + 1))
else
    echo "FAIL pyflakes on the Keras code:"
    printf '%s\n' "$out" | sed "s|$tmp/py/||" | head -n 40
    fail=$((fail + 1))
fi

# ---- 2. the data part runs and makes nnlab's arrays ----
if ! "$py" -c 'import numpy, sklearn' 2>/dev/null; then
    echo "SKIP the data checks (needs NumPy and scikit-learn: apt-get install python3-numpy python3-sklearn)"
else
    work=$tmp/tree/tests/scripts
    # check NAME 'COMMANDS' [keras_code_check.py options]: runs the
    # commands, then the data part of their code.  %M in the options
    # becomes the means (or minimums) the last `scale` printed.
    check() {
        name=$1 cmds=$2
        shift 2
        out=$(cd "$work" && "$bin" --seed 42 -c "$cmds; keras to=$tmp/$name.py" 2>&1)
        means=$(printf '%s\n' "$out" | awk '
            /^scale:/ { on = 1; s = ""; m = ""; next }
            on && /^  feature/ { next }
            on && /^  / && NF >= 3 { m = m s $(NF - 1); s = ","; next }
            { on = 0 }
            END { print m }')
        set -- $(printf '%s\n' "$@" | sed "s/%M/$means/")
        if [ ! -f "$tmp/$name.py" ]; then
            echo "FAIL $name: no code written"
            printf '%s\n' "$out" | tail -n 5 | sed 's/^/    /'
            fail=$((fail + 1))
        elif r=$(cd "$work" && "$py" "$srcdir/tests/keras_code_check.py" "$tmp/$name.py" "$@" 2>&1); then
            echo "PASS $name: $r"
            pass=$((pass + 1))
        else
            echo "FAIL $name:"
            printf '%s\n' "$r" | tail -n 8 | sed 's/^/    /'
            fail=$((fail + 1))
        fi
    }
    model='input 2; dense 1'
    check iris_unsplit 'data iris; scale standard; input 4; dense 3' \
        --scaled standard --means %M --counts 50,50,50
    check iris_split 'data iris; split test_size=0.2 valid_size=0.1; scale standard; input 4; dense 3' \
        --scaled standard --counts 35,35,35 --slack 3
    check iris_minmax 'data iris; scale minmax; input 4; dense 3' --scaled minmax --means %M
    check csv_text 'data csv ../data/flowers.csv target=kind; scale standard; input 3; dense 2' \
        --scaled standard --means %M
    check csv_regression 'data csv ../data/houses.csv target=price; input 2; dense 1'
    check csv_index 'data csv ../data/houses.csv target=2; scale standard; input 2; dense 1' \
        --scaled standard --means %M
    check csv_nohead 'data csv ../data/nohead.csv target=2 header=false; input 2; dense 2'
    check moons "data moons n=300 noise=0.2; split test_size=0.25; scale standard; $model" \
        --scaled standard --slack 2
    check spiral "data spiral n=201 noise=0.1; $model" --counts 100,101
    check gauss "data gauss n=200 noise=0.1 test_split=0.2; scale minmax; $model" \
        --scaled minmax --counts 80,80 --slack 2
    for g in xor circles plane; do
        check "$g" "data $g n=250 noise=0.1; split test_size=0.2; $model"
    done
    for g in sine outliers; do
        check "$g" "data $g n=200 noise=0.1; scale standard; input 1; dense 1" --scaled standard
    done
    if [ -d "$fmnist" ]; then
        check fashion_mnist 'data fashion_mnist; input 28,28; flatten; dense 10' --pixels
    fi
fi

echo "check_keras_code: $pass passed, $fail failed"
[ $fail -eq 0 ]
