#!/bin/sh
# run_lessons.sh - every lesson in lessons/ runs to the end without an
# error.  Lessons check their own results with `expect` (e.g. the moons
# classifier reaches 95% test accuracy), so a lesson that no longer
# teaches what it says fails here.
#
# Each lesson runs as `nnlab --seed 42 LESSON` in a scratch folder of its
# own (lessons such as callbacks.nnl write files in the current folder).
# A comment line "# requires: fashion-mnist" skips the lesson when the
# data package is missing (NNLAB_FASHION_MNIST names another folder to
# look for); "# requires: gnuplot" when gnuplot is not on PATH.  A lesson
# draws none of the coach's warnings, but the N its "# warns: N" line
# says it draws on purpose (where it makes the mistake to show it).
#
# Environment: NNLAB_BIN (the program), NNLAB_SRCDIR (the source tree),
# NNLAB_WRAPPER (a command to run nnlab under).  Arguments: names of
# lessons to run (default: all).
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

if [ ! -x "$bin" ]; then
    echo "run_lessons.sh: no program at $bin (set NNLAB_BIN)" >&2
    exit 99
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nnlab-lessons.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

pass=0 fail=0 skip=0
for f in "$srcdir"/lessons/*.nnl; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    if [ $# -gt 0 ]; then
        want=0
        for a in "$@"; do
            [ "$a" = "$name" ] || [ "$a.nnl" = "$name" ] && want=1
        done
        [ $want = 1 ] || continue
    fi
    req=$(sed -n 's/^# requires: *//p' "$f" | head -n 1)
    if [ "$req" = "fashion-mnist" ] && [ ! -d "$fmnist" ]; then
        echo "SKIP $name (needs $fmnist: apt-get install dataset-fashion-mnist)"
        skip=$((skip + 1))
        continue
    fi
    if [ "$req" = "gnuplot" ] &&
        ! command -v "${NNLAB_GNUPLOT:-gnuplot}" >/dev/null 2>&1; then
        echo "SKIP $name (needs gnuplot: apt-get install gnuplot)"
        skip=$((skip + 1))
        continue
    fi
    rm -rf "$tmp/work"
    mkdir "$tmp/work" || exit 99
    out=$(cd "$tmp/work" && ${NNLAB_WRAPPER:-} "$bin" --seed 42 "$f" \
        </dev/null 2>&1)
    rc=$?
    want_w=$(sed -n 's/^# warns: *//p' "$f" | head -n 1 | sed 's/[^0-9].*//')
    got_w=$(printf '%s\n' "$out" | grep -cE '^([^ ]+:[0-9]+: )?warning: .*\(section 10\.[0-9.]+\)$')
    if [ $rc -eq 0 ] && [ "$got_w" != "${want_w:-0}" ]; then
        fail=$((fail + 1))
        echo "FAIL $name: $got_w warning lines, expected ${want_w:-0} (# warns: N)"
        printf '%s\n' "$out" | grep -E 'warning: .*\(section 10' | sed 's/^/    /'
    elif [ $rc -eq 0 ]; then
        pass=$((pass + 1))
        echo "PASS $name"
        printf '%s\n' "$out" | grep '^ok:' | sed 's/^/    /'
    else
        fail=$((fail + 1))
        echo "FAIL $name (exit $rc)"
        printf '%s\n' "$out" | tail -n 20 | sed 's/^/    /'
    fi
done
line="lessons: $pass passed, $fail failed"
[ $skip -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ $fail -gt 0 ] && exit 1
[ $pass -eq 0 ] && [ $skip -gt 0 ] && exit 77
exit 0
