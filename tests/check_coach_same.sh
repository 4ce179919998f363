#!/bin/sh
# check_coach_same.sh - the coach never changes a number: every script
# test and lesson that draws warnings on purpose ("# warns: N") runs twice,
# with warnings on and with `set warnings=off` first, and the two runs
# must print the same (the warning lines and the `warnings` listing left
# out) and save byte-identical model files (weights, optimizer state:
# so no random number was drawn either).  A run that draws no warning
# when on, or one when off, fails too.
#
# Environment: NNLAB_BIN, NNLAB_SRCDIR, NNLAB_WRAPPER (as run_scripts.sh).
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
if [ ! -x "$bin" ]; then
    echo "check_coach_same.sh: no program at $bin (set NNLAB_BIN)" >&2
    exit 99
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nnlab-coach.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

warn_re='^([^ ]+:[0-9]+: )?warning: .*\(section 10\.[0-9.]+\)$'
# what differs on purpose: the warnings, and `warnings`'s own listing
# (its heading, then its indented lines)
# (and times, masked as run_scripts.sh masks them)
strip() {
    grep -vE "$warn_re" "$1" | awk '
        /^[0-9]+ warnings? so far/ || /^no warnings so far/ { skip = 1; next }
        skip && /^  / { next }
        { skip = 0; print }' | sed -E \
        -e 's/[0-9]+(\.[0-9]+)?(ms|us|s)\/(step|sample|epoch)/T\/\3/g' \
        -e 's/(^|[ (])[0-9]+(\.[0-9]+)?(ms|us|s)([ ),]|$)/\1T\4/g' \
        -e 's/ETA: [0-9:]+( ?[a-z]+)?/ETA: T/g' \
        -e 's/in [0-9]+(\.[0-9]+)? (seconds|ms)/in T \2/g'
}

pass=0 fail=0
# one run: run_one DIR FILE PREFIX OUT: FILE run in DIR after PREFIX, the
# model saved (under one name, so the output says the same) as OUT.nnlab
run_one() {
    (cd "$1" && $NNLAB_WRAPPER "$bin" --seed 42 --keep-going \
        -c "$3run $2; save coach_model.nnlab" </dev/null >"$4.raw" 2>&1
        mv coach_model.nnlab "$4.nnlab" 2>/dev/null)
}

check() {    # check DIR FILE NAME
    rm -f "$1/on.nnlab" "$1/off.nnlab"
    run_one "$1" "$2" "" on
    run_one "$1" "$2" "set warnings=off; " off
    ok=1
    won=$(grep -cE "$warn_re" "$1/on.raw")
    woff=$(grep -cE "$warn_re" "$1/off.raw")
    if [ "$won" -eq 0 ] || [ "$woff" -ne 0 ]; then
        echo "FAIL $3: $won warnings on, $woff off"
        ok=0
    fi
    strip "$1/on.raw" >"$1/on.txt"
    strip "$1/off.raw" >"$1/off.txt"
    if ! cmp -s "$1/on.txt" "$1/off.txt"; then
        echo "FAIL $3: the output differs with warnings off (- on, + off)"
        diff -u "$1/on.txt" "$1/off.txt" | sed -n '3,30p'
        ok=0
    fi
    if [ ! -f "$1/on.nnlab" ] || ! cmp -s "$1/on.nnlab" "$1/off.nnlab"; then
        echo "FAIL $3: the saved models differ (or none was saved)"
        ok=0
    fi
    if [ $ok = 1 ]; then
        echo "PASS $3 ($won warnings, same numbers off)"
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
    fi
}

# scripts: in a scratch copy, as run_scripts.sh (../data/x.csv works)
mkdir -p "$tmp/tree/tests" || exit 99
cp -R "$srcdir/tests/scripts" "$tmp/tree/tests/scripts" || exit 99
ln -s "$srcdir/tests/data" "$tmp/tree/tests/data"
for f in "$tmp"/tree/tests/scripts/*.nnl; do
    grep -q '^# warns:' "$f" || continue
    name=$(basename "$f")
    check "$tmp/tree/tests/scripts" "$name" "$name"
done
for f in "$srcdir"/lessons/*.nnl; do
    grep -q '^# warns:' "$f" || continue
    grep -q '^# requires:' "$f" && continue
    rm -rf "$tmp/work"
    mkdir "$tmp/work" || exit 99
    check "$tmp/work" "$f" "lessons/$(basename "$f")"
done
echo "coach on/off: $pass passed, $fail failed"
[ $fail -gt 0 ] && exit 1
exit 0
