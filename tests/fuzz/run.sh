#!/bin/sh
# run.sh - builds the libFuzzer harnesses and runs each for a set time.
#
#   tests/fuzz/run.sh [NAME ...]      NAME: cmd csv idx model npy kernel
#                                     (default all)
#
# Each harness is built with clang -fsanitize=fuzzer,address,undefined from
# the engine and shell sources themselves (nn/*.c, plots/*.c, repl/*.c but
# main.c and the Jupyter kernel's and notebooks' files), linked with OpenBLAS, zlib and
# readline (kernel: its message parser, repl/kernel_wire.c, with jansson
# and libcrypto; skipped without them), and run for
# FUZZ_SECONDS seconds (default 30) from its seed corpus
# tests/fuzz/corpus_NAME (never written: new inputs go to the work
# folder).  A harness stops at its first crash, timeout or out-of-memory,
# and the reproducer's path is printed; rerun it with
#     WORK/fuzz_NAME REPRODUCER
# model and npy are skipped while nn/save.c and nn/npy.h do not exist.
#
# FUZZ_RUNS=N runs each harness for N inputs instead of a time, and
# FUZZ_SEED=S fixes libFuzzer's random seed: with both, a run explores the
# same inputs on any machine (CI uses them, so that what it checks is what
# a developer can rerun; the open-ended search for new bugs is a long
# time-limited run: make fuzz FUZZ_SECONDS=1200).
#
# Environment: FUZZ_SECONDS (per harness), FUZZ_WORK (objects, programs,
# corpora and crashes; default ./fuzz-work), FUZZ_JOBS (parallel
# compiles, default 2), CC (default clang).  Exits 77 when clang cannot
# build a libFuzzer program (apt-get install clang libclang-rt-14-dev).
# Ends with "fuzz: N passed, N failed".

LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
secs=${FUZZ_SECONDS:-30}
runs=${FUZZ_RUNS:-}
seed=${FUZZ_SEED:-}
case $runs$seed in *[!0-9]*)
    echo "fuzz: FUZZ_RUNS and FUZZ_SEED must be whole numbers"; exit 99 ;;
esac
limit="-max_total_time=$secs" what="$secs s"
[ -n "$runs" ] && limit="-runs=$runs" what="$runs inputs"
[ -n "$seed" ] && limit="$limit -seed=$seed" what="$what, seed $seed"
work=${FUZZ_WORK:-./fuzz-work}
jobs=${FUZZ_JOBS:-2}
cc=${CC:-clang}
case $cc in *clang*) ;; *) cc=clang ;; esac
mkdir -p "$work" || exit 99
work=$(cd "$work" && pwd)

blas=$(pkg-config --cflags openblas 2>/dev/null)
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-std=c11 -g -O1 -fno-omit-frame-pointer $san -D_DEFAULT_SOURCE
 -I$src/nn -I$src/plots -I$src/repl -I$here $blas -w"
libs="-lopenblas -lz -lreadline -lm"
blaslib=$(pkg-config --libs openblas 2>/dev/null)

# Can clang build a fuzzer here?
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
    >"$work/probe.c"
if ! $cc -fsanitize=fuzzer,address "$work/probe.c" -o "$work/probe" \
        >"$work/probe.log" 2>&1; then
    echo "fuzz: skipped: $cc cannot build a libFuzzer program" \
         "(apt-get install clang libclang-rt-14-dev)"
    sed 's/^/  /' "$work/probe.log" | head -n 5
    exit 77
fi

# ---- objects: every source once, with coverage (a generated Makefile:
# make rebuilds what changed, headers included through -MMD) ----
mkdir -p "$work/obj"
objs_nn="" objs_repl=""
mk="$work/obj/Makefile"
{
    printf 'CC = %s\n' "$cc"
    printf 'CFLAGS = -fsanitize=fuzzer-no-link %s %s\n' \
        "$(echo "$cflags" | tr '\n' ' ')" \
        "-DNNLAB_SRCDIR='\"$src\"' -DNNLAB_DATADIR='\"$src/lessons\"'"
    printf 'all:'
} >"$mk.tmp"
rules=""
for f in "$src"/nn/*.c "$src"/plots/*.c "$src"/repl/*.c; do
    [ -f "$f" ] || continue
    case $f in */repl/main.c | */repl/kernel*.c | */repl/notebook.c | \
        */repl/notebook_exec.c) continue ;; esac
    d=$(basename "$(dirname "$f")")
    o="${d}_$(basename "${f%.c}").o"
    case $d in
    nn) objs_nn="$objs_nn $work/obj/$o" ;;
    *) objs_repl="$objs_repl $work/obj/$o" ;;
    esac
    printf ' %s' "$o" >>"$mk.tmp"
    rules="$rules$o: $f
	\$(CC) \$(CFLAGS) -MMD -c $f -o $o
"
done
{
    printf '\n%s' "$rules"
    printf -- '-include *.d\n'
} >>"$mk.tmp"
mv "$mk.tmp" "$mk"
if ! make -s -C "$work/obj" -j"$jobs" >"$work/obj/build.log" 2>&1; then
    echo "fuzz: the sources do not build with $cc"
    sed 's/^/  /' "$work/obj/build.log" | head -n 20
    echo "fuzz: 0 passed, 1 failed"
    exit 1
fi

# ---- the dictionary of fuzz_cmd: command names, keywords, values ----
dict="$work/cmd.dict"
{
    for w in '=' ',' ':' '#' '"' "'" '\\' 'x' '-1' '0' '1e9' '1e308' 'nan' \
             'inf' '-inf' '99999999999999999999' '0.5' '1,2' '2x2' 'true' \
             'false' 'train' 'valid' 'test'; do
        printf '"%s"\n' "$(printf '%s' "$w" | sed 's/\\/\\\\/g; s/"/\\"/g')"
    done
    grep -ho '"[a-z][a-z0-9_]\{1,30\}"' "$src"/repl/*.c | sort -u
    # every declared keyword, as "key=" (repl_opt's .name in the command files)
    grep -ho '{\.name = "[a-zA-Z_.0-9]*", \.type' "$src"/repl/*.c |
        sed 's/{\.name = "//; s/", \.type//; s/^LAYER\./dense./' | sort -u |
        sed 's/.*/"&="/'
} >"$dict"

# ---- harnesses ----
names=${*:-cmd csv idx model npy kernel}
pass=0 fail=0 skip=0
for name in $names; do
    h="$here/fuzz_$name.c"
    objs="$objs_nn"
    extra=""
    maxlen=4096
    case $name in
    cmd) objs="$objs_nn $objs_repl"; extra="-dict=$dict"; maxlen=400 ;;
    csv | idx) ;;
    model)
        maxlen=65536
        if [ ! -f "$src/nn/save.c" ]; then
            echo "SKIP fuzz_$name (no nn/save.c yet)"
            skip=$((skip + 1)); continue
        fi ;;
    npy)
        if [ ! -f "$src/nn/npy.h" ] || [ ! -f "$src/nn/npy.c" ]; then
            echo "SKIP fuzz_$name (no nn/npy.c yet)"
            skip=$((skip + 1)); continue
        fi ;;
    kernel)
        maxlen=8192
        if ! kl=$(pkg-config --libs jansson libcrypto 2>/dev/null); then
            echo "SKIP fuzz_$name (no jansson or libcrypto: apt-get install libjansson-dev libssl-dev)"
            skip=$((skip + 1)); continue
        fi
        objs="$src/repl/kernel_wire.c $(pkg-config --cflags jansson libcrypto) $kl" ;;
    *) echo "fuzz: no harness $name"; fail=$((fail + 1)); continue ;;
    esac
    prog="$work/fuzz_$name"
    # shellcheck disable=SC2086
    if ! $cc -fsanitize=fuzzer $(echo "$cflags" | tr '\n' ' ') "$h" $objs \
            $blaslib $libs -o "$prog" >"$work/build_$name.log" 2>&1; then
        echo "FAIL fuzz_$name: does not build"
        sed 's/^/  /' "$work/build_$name.log" | head -n 20
        fail=$((fail + 1)); continue
    fi
    corpus="$work/corpus_$name"
    mkdir -p "$corpus" "$work/crashes"
    seeds="$here/corpus_$name"
    [ -d "$seeds" ] || seeds=""
    if [ "$name" = model ]; then     # seeds in the current file format
        seeds="$work/seeds_model"
        mkdir -p "$seeds"
        # shellcheck disable=SC2086
        $cc $(echo "$cflags" | tr '\n' ' ') "$here/seed_model.c" $objs_nn $objs_repl \
            -fsanitize=fuzzer-no-link $blaslib $libs -o "$work/seed_model" \
            >"$work/build_seed_model.log" 2>&1 &&
        (cd "$seeds" && "$work/seed_model" "$seeds" >/dev/null 2>&1)
    fi
    prefix="$work/crashes/$name-"
    before=$(ls "$work/crashes" | wc -l)
    echo "fuzz_$name: $what"
    (cd "$work" && ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:quarantine_size_mb=32:malloc_context_size=8} \
        UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        OPENBLAS_NUM_THREADS=1 \
        "$prog" $limit -max_len="$maxlen" -timeout=10 \
        -rss_limit_mb=2048 -close_fd_mask=3 -print_final_stats=1 \
        -artifact_prefix="$prefix" $extra "$corpus" $seeds \
        >"$work/fuzz_$name.log" 2>&1)
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz_$name.log")
    if [ $rc -eq 0 ]; then
        echo "PASS fuzz_$name (${execs:-?} runs, corpus $(ls "$corpus" | wc -l))"
        pass=$((pass + 1))
    else
        echo "FAIL fuzz_$name (exit $rc after ${execs:-?} runs): log $work/fuzz_$name.log"
        grep -E 'ERROR|SUMMARY|runtime error|==[0-9]+==' "$work/fuzz_$name.log" |
            head -n 8 | sed 's/^/  /'
        ls -t "$work/crashes" | head -n $(( $(ls "$work/crashes" | wc -l) - before )) |
            while read -r c; do echo "  reproducer: $work/crashes/$c"; done
        [ "$name" = cmd ] && [ -f "$work/fuzz_cmd-history.nnl" ] &&
            echo "  the inputs before it: $work/fuzz_cmd-history.nnl"
        echo "  rerun: $prog REPRODUCER"
        fail=$((fail + 1))
    fi
done
line="fuzz: $pass passed, $fail failed"
[ $skip -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ $fail -gt 0 ] && exit 1
exit 0
