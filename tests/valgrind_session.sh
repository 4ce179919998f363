#!/bin/sh
# valgrind_session.sh - valgrind memcheck on a scripted session that uses
# every command (tests/scripts/rel_every_command.nnl): no memory error and
# no definite leak, as the reliability issue asks.
#
# First checks that the script runs every command `nnlab --commands` lists
# (a new command must be added to it), then runs it twice under memcheck:
# as a script file and piped on standard input.  The script has errors on
# purpose (exit status 1); memcheck's own status for an error or a
# definite leak is 3.  Exits 77 without valgrind.  Ends with
# "valgrind: N passed, N failed".
#
# Environment: NNLAB_BIN (the program, default ./nnlab), NNLAB_SRCDIR (the
# source tree), VALGRIND (default valgrind).

LC_ALL=C
export LC_ALL
srcdir=${NNLAB_SRCDIR:-$(dirname "$0")/..}
bin=${NNLAB_BIN:-./nnlab}
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
vg=${VALGRIND:-valgrind}
script=$srcdir/tests/scripts/rel_every_command.nnl

if ! command -v "$vg" >/dev/null 2>&1; then
    echo "SKIP valgrind_session: no valgrind (apt-get install valgrind)"
    exit 77
fi
if [ ! -x "$bin" ]; then
    echo "valgrind_session.sh: no program at $bin (set NNLAB_BIN)" >&2
    exit 99
fi
if "$bin" --version 2>/dev/null | grep -qi sanitizer ||
   nm "$bin" 2>/dev/null | grep -q __asan_init ||
   { command -v ldd >/dev/null && ldd "$bin" 2>/dev/null | grep -q libasan; }; then
    echo "SKIP valgrind_session: $bin is built with AddressSanitizer"
    exit 77
fi

pass=0 fail=0

# ---- every command is in the script ----
missing=""
for c in $("$bin" --commands | sed -n 's/^| `\([a-z_][a-z_0-9]*\).*/\1/p'); do
    grep -q "^$c\( \|$\)" "$script" || missing="$missing $c"
done
if [ -n "$missing" ]; then
    echo "FAIL coverage: rel_every_command.nnl never runs:$missing"
    fail=$((fail + 1))
else
    echo "PASS coverage: rel_every_command.nnl runs every command"
    pass=$((pass + 1))
fi

# ---- memcheck, in a scratch copy (the script writes files) ----
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nnlab-valgrind.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/tree/tests/scripts" || exit 99
ln -s "$srcdir/tests/data" "$tmp/tree/tests/data"
ln -s "$srcdir/lessons" "$tmp/tree/lessons"
work=$tmp/tree/tests/scripts

memcheck() {   # memcheck LABEL ARGS...: runs nnlab under memcheck in $work
    label=$1
    shift
    rm -rf "$work"/every* "$work/rel_every_command.nnl"
    cp "$script" "$work/" || exit 99
    (cd "$work" && OPENBLAS_NUM_THREADS=1 NNLAB_GNUPLOT_TIMEOUT=60 \
        "$vg" -q --error-exitcode=3 --leak-check=full \
        --errors-for-leak-kinds=definite --show-leak-kinds=definite \
        --num-callers=30 --log-file="$tmp/vg.log" \
        "$bin" --seed 42 --keep-going "$@" >"$tmp/out" 2>&1)
    rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 1 ] || [ -s "$tmp/vg.log" ]; then
        echo "FAIL memcheck ($label): exit status $rc"
        sed 's/^/  /' "$tmp/vg.log" | head -n 60
        [ -s "$tmp/vg.log" ] || tail -n 20 "$tmp/out" | sed 's/^/  /'
        fail=$((fail + 1))
    else
        echo "PASS memcheck ($label): no error, no definite leak"
        pass=$((pass + 1))
    fi
}
memcheck "script file" rel_every_command.nnl
memcheck "standard input" <"$script"

echo "valgrind: $pass passed, $fail failed"
[ $fail -eq 0 ]
