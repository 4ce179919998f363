#!/bin/sh
# run_scripts.sh - script tests (jq's shtest): run the real nnlab on each
# tests/scripts/*.nnl and compare its output, with times masked, with the
# file of the same name ending in .out.
#
# Directives in a script's comment lines:
#   # stdin              (first line) feed the script on standard input
#   # keep-going         run with --keep-going
#   # exit: N            the expected exit status (default 0)
#   # args: ARGS         run `nnlab --seed 42 ARGS` instead of the script
#                        (quoted as in sh: # args: -c 'seed 1; set')
#   # requires: fashion-mnist   skipped when the data package is missing
#   # requires: gnuplot         skipped when gnuplot is not on PATH
#   # warns: N           the script draws N of the coach's warnings on
#                        purpose (it makes the mistakes); without it, none:
#                        a correct session with a warning line fails
#
# Each script runs in a scratch copy of tests/scripts (so `run inc/x.nnl`
# and `record out.nnl` work and the source tree stays untouched), with its
# plain name, so messages read "name.nnl:3: error: ...".  Beside the copy,
# links to the other tests/ folders and to lessons/ keep relative paths
# such as ../data/x.csv and ../../lessons/xor.nnl working.
#
# Environment: NNLAB_BIN (the program), NNLAB_SRCDIR (the source tree),
# NNLAB_WRAPPER (a command to run nnlab under, e.g. "valgrind -q
# --error-exitcode=3"), NNLAB_UPDATE=1 to rewrite the .out files instead
# of comparing (for developers; read the diff before committing).
# Arguments: names of scripts to run (default: all).

LC_ALL=C
export LC_ALL
srcdir=${NNLAB_SRCDIR:-$(dirname "$0")/..}
bin=${NNLAB_BIN:-./nnlab}
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
fmnist=${NNLAB_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
scripts=$srcdir/tests/scripts

if [ ! -x "$bin" ]; then
    echo "run_scripts.sh: no program at $bin (set NNLAB_BIN)" >&2
    exit 99
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nnlab-scripts.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# Times and speeds change from run to run, and so do their units (a slow
# build under valgrind prints ms where a fast one prints us): "12ms/step"
# becomes "T/step", and a lone duration such as " 3s " becomes " T ".
mask() {
    sed -E \
        -e 's/[0-9]+(\.[0-9]+)?(ms|us|s)\/(step|sample|epoch)/T\/\3/g' \
        -e 's/(^|[ (])[0-9]+(\.[0-9]+)?(ms|us|s)([ ),]|$)/\1T\4/g' \
        -e 's/ETA: [0-9:]+( ?[a-z]+)?/ETA: T/g' \
        -e 's/in [0-9]+(\.[0-9]+)? (seconds|ms)/in T \2/g'
}

directive() {    # directive NAME FILE: the value of "# NAME: value"
    sed -n "s/^# $1: *//p" "$2" | head -n 1
}

pass=0 fail=0 skip=0 updated=0
for f in "$scripts"/*.nnl; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    if [ $# -gt 0 ]; then
        want=0
        for a in "$@"; do
            [ "$a" = "$name" ] || [ "$a.nnl" = "$name" ] && want=1
        done
        [ $want = 1 ] || continue
    fi
    expected=${f%.nnl}.out
    req=$(directive requires "$f")
    if [ "$req" = "fashion-mnist" ] && [ ! -d "$fmnist" ]; then
        echo "SKIP $name (needs $fmnist: apt-get install dataset-fashion-mnist)"
        skip=$((skip + 1))
        continue
    fi
    if [ "$req" = "gnuplot" ] && ! command -v "${NNLAB_GNUPLOT:-gnuplot}" >/dev/null 2>&1; then
        echo "SKIP $name (needs gnuplot: apt-get install gnuplot)"
        skip=$((skip + 1))
        continue
    fi
    status=$(directive exit "$f")
    status=${status:-0}
    opts=""
    grep -q '^# keep-going' "$f" && opts="--keep-going"
    args=$(directive args "$f")

    rm -rf "$tmp/tree"
    mkdir -p "$tmp/tree/tests" || exit 99
    cp -R "$scripts" "$tmp/tree/tests/scripts" || exit 99
    for d in "$srcdir"/tests/* "$srcdir"/lessons; do
        [ -d "$d" ] && [ "$d" != "$scripts" ] || continue
        case $d in
        */lessons) ln -s "$d" "$tmp/tree/lessons" ;;
        *) ln -s "$d" "$tmp/tree/tests/${d##*/}" ;;
        esac
    done
    work=$tmp/tree/tests/scripts
    if [ -n "$args" ]; then
        (cd "$work" && eval "\$NNLAB_WRAPPER \"\$bin\" --seed 42 $opts $args" \
            </dev/null >"$tmp/raw" 2>&1)
    elif head -n 1 "$f" | grep -q '^# stdin'; then
        (cd "$work" && $NNLAB_WRAPPER "$bin" --seed 42 $opts <"$name" \
            >"$tmp/raw" 2>&1)
    else
        (cd "$work" && $NNLAB_WRAPPER "$bin" --seed 42 $opts "$name" \
            </dev/null >"$tmp/raw" 2>&1)
    fi
    got=$?
    mask <"$tmp/raw" >"$tmp/out"

    if [ "${NNLAB_UPDATE:-0}" = 1 ]; then
        if [ ! -f "$expected" ] || ! cmp -s "$tmp/out" "$expected"; then
            cp "$tmp/out" "$expected" && echo "UPDATED $name"
            updated=$((updated + 1))
        fi
    fi
    ok=1
    if [ ! -f "$expected" ]; then
        echo "FAIL $name: no ${expected##*/} (make one with NNLAB_UPDATE=1)"
        ok=0
    elif ! cmp -s "$expected" "$tmp/out"; then
        echo "FAIL $name: output differs (- expected, + got)"
        diff -u "$expected" "$tmp/out" | sed -n '3,80p'
        ok=0
    fi
    # the coach: exactly the warnings the script makes on purpose, so a
    # false alarm in a correct session fails even with its .out rewritten
    want_w=$(directive warns "$f" | sed 's/[^0-9].*//')
    got_w=$(grep -cE '^([^ ]+:[0-9]+: )?warning: .*\(section 10\.[0-9.]+\)$' "$tmp/out")
    if [ "$got_w" != "${want_w:-0}" ]; then
        echo "FAIL $name: $got_w warning lines, expected ${want_w:-0} (# warns: N)"
        ok=0
    fi
    if [ "$got" != "$status" ]; then
        echo "FAIL $name: exit status $got, expected $status"
        ok=0
    fi
    if [ $ok = 1 ]; then
        echo "PASS $name"
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
    fi
done

line="scripts: $pass passed, $fail failed"
[ $skip -gt 0 ] && line="$line, $skip skipped"
[ $updated -gt 0 ] && line="$line ($updated .out files rewritten)"
echo "$line"
[ $fail -gt 0 ] && exit 1
[ $pass -eq 0 ] && [ $skip -gt 0 ] && exit 77
exit 0
