#!/bin/sh
# run_lessons.sh - every lesson in lessons/ runs to the end without an
# error.  Lessons check their own results with `expect` (e.g. the moons
# classifier reaches 95% test accuracy), so a lesson that no longer
# teaches what it says fails here.
srcdir=${NNLAB_SRCDIR:-$(dirname "$0")/..}
bin=${NNLAB_BIN:-./nnlab}
pass=0 fail=0
for f in "$srcdir"/lessons/*.nnl; do
    [ -f "$f" ] || continue
    out=$(${NNLAB_WRAPPER:-} "$bin" --seed 42 "$f" 2>&1)
    rc=$?
    if [ $rc -eq 0 ]; then
        pass=$((pass + 1))
        echo "PASS $(basename "$f")"
        printf '%s\n' "$out" | grep '^ok:' | sed 's/^/    /'
    else
        fail=$((fail + 1))
        echo "FAIL $(basename "$f") (exit $rc)"
        printf '%s\n' "$out" | tail -n 20 | sed 's/^/    /'
    fi
done
echo "lessons: $pass passed, $fail failed"
[ $fail -eq 0 ]
