#!/bin/sh
# run_plots.sh - the real nnlab and gnuplot, process against process:
#  1. gnuplot hidden from PATH: every plot says so once, draws in plain
#     characters, and the session goes on (exit status 0);
#  2. gnuplot killed between two plots (found as nnlab's child): the next
#     plot says so once, starts a new one and writes its file;
#  3. gnuplot on PATH: a lesson's figures into PNG files, checked for the
#     signature, the size asked and a non-trivial length.
# Parts 2 and 3 need gnuplot; without it they are skipped, and the run
# exits 77 when part 1 passes.  Ends with "plots: N passed, N failed".
#
# Environment: NNLAB_BIN (the program), NNLAB_WRAPPER (e.g. valgrind).

LC_ALL=C
export LC_ALL
unset DISPLAY WAYLAND_DISPLAY NNLAB_GNUPLOT NNLAB_GNUPLOT_TIMEOUT
bin=${NNLAB_BIN:-./nnlab}
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
if [ ! -x "$bin" ]; then
    echo "run_plots.sh: no program at $bin (set NNLAB_BIN)" >&2
    exit 99
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nnlab-plots.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
cd "$tmp" || exit 99

pass=0 fail=0 skip=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; shift; for l in "$@"; do echo "  $l"; done; fail=$((fail + 1)); }

train='data moons n=300 noise=0.2; split test_size=0.2; input 2;
dense 8 activation=relu; dense 2 activation=softmax;
compile loss=sparse_categorical_crossentropy optimizer=adam learning_rate=0.02 metrics=accuracy;
fit epochs=4 validation_split=0.1 verbose=0'

# ---- 1. no gnuplot on PATH ----
PATH=/nonexistent $NNLAB_WRAPPER "$bin" --seed 42 -c "$train;
plot history; plot activation relu,sigmoid derivative=yes; plot grads;
plot boundary; plot confusion; plot hist weights; plot history to=h.png;
data sine n=100; model; input 1; dense 4 activation=tanh; dense 1;
plot regression; summary" >out.txt 2>&1
status=$?
n=$(grep -c 'plot: gnuplot not found; install it with: sudo apt-get install gnuplot' out.txt)
missing=""
for w in 'Learning curves (4 epochs)' 'Activation functions' "f'(z)" \
         'Gradient norm per layer' 'Decision boundary' 'Confusion matrix on test' \
         'Kernel weights per layer' 'h.png not written (no gnuplot)' \
         'Regression: the data and the model' 'Total params: 13'; do
    grep -qF "$w" out.txt || missing="$missing [$w]"
done
if [ $status -eq 0 ] && [ "$n" = 1 ] && [ -z "$missing" ] && [ ! -e h.png ]; then
    ok "no gnuplot: said once, every figure as text, the session goes on"
else
    bad "no gnuplot" "exit status $status, message said $n times, missing:$missing" \
        "$(head -c 3000 out.txt)"
fi

# ---- is there a gnuplot? ----
gp=""
oldifs=$IFS
IFS=:
for d in $PATH; do
    [ -x "${d:-.}/gnuplot" ] && [ ! -d "${d:-.}/gnuplot" ] && { gp=${d:-.}/gnuplot; break; }
done
IFS=$oldifs

# PNG checks: signature, IHDR width and height, more than 8 KB.
png_ok() {    # png_ok FILE W H
    [ -f "$1" ] || return 1
    sig=$(od -An -tx1 -N8 "$1" | tr -d ' \n')
    [ "$sig" = 89504e470d0a1a0a ] || return 1
    wh=$(od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
    [ "$wh" = "$2 $3" ] || return 1
    [ "$(wc -c <"$1")" -gt 8000 ]
}

if [ -z "$gp" ]; then
    echo "SKIP gnuplot killed between plots (no gnuplot on PATH)"
    echo "SKIP figures into files (no gnuplot on PATH)"
    skip=2
else
    # ---- 2. kill gnuplot between two plots ----
    mkfifo in.fifo || exit 99
    $NNLAB_WRAPPER "$bin" --seed 42 <in.fifo >kill.txt 2>&1 &
    pid=$!
    exec 3>in.fifo
    echo "$train" | tr ';' '\n' >&3
    echo "plot history to=k1.png" >&3
    child=""
    i=0
    while [ $i -lt 100 ]; do
        if png_ok k1.png 800 500; then
            sleep 0.2          # gnuplot has closed the file; let nnlab see it
            # nnlab's (or its wrapper's) gnuplot child
            for p in /proc/[0-9]*; do
                [ -r "$p/stat" ] || continue
                st=$(cat "$p/stat" 2>/dev/null) || continue
                name=${st#*(}; name=${name%%)*}
                rest=${st##*) }
                ppid=$(echo "$rest" | cut -d' ' -f2)
                # Debian's gnuplot is gnuplot-nox, -qt, -x11 behind a link
                case $name in gnuplot*) [ "$ppid" = "$pid" ] && child=${p#/proc/} ;; esac
            done
            break
        fi
        sleep 0.1
        i=$((i + 1))
    done
    if [ -n "$child" ]; then
        kill -9 "$child"
        sleep 0.2
    fi
    echo "plot history to=k2.png" >&3
    echo "plot history to=k3.png" >&3
    echo "evaluate test" >&3
    exec 3>&-
    wait $pid
    status=$?
    said=$(grep -c 'plot: gnuplot had stopped (killed by signal 9); starting a new one' kill.txt)
    if [ -n "$child" ] && [ $status -eq 0 ] && [ "$said" = 1 ] &&
       png_ok k2.png 800 500 && png_ok k3.png 800 500 && grep -q '^test (60 samples)' kill.txt; then
        ok "gnuplot killed between plots: said once, restarted"
    else
        bad "gnuplot killed between plots" "child '$child', exit status $status, said $said times" \
            "$(cat kill.txt | head -c 2000)"
    fi

    # ---- 3. a lesson's figures into files ----
    $NNLAB_WRAPPER "$bin" --seed 42 -c "$train;
plot history to=history.png size=640x400;
plot boundary to=boundary.png size=640x480;
plot activation derivative=yes to=activation.png size=900x360;
plot grads to=grads.png; plot hist activations to=hist.png;
plot confusion to=confusion.png;
plot history script=history.gp to=history2.png" >files.txt 2>&1
    status=$?
    res=""
    png_ok history.png 640 400 || res="$res history.png"
    png_ok boundary.png 640 480 || res="$res boundary.png"
    png_ok activation.png 900 360 || res="$res activation.png"
    png_ok grads.png 800 500 || res="$res grads.png"
    png_ok hist.png 800 500 || res="$res hist.png"
    png_ok confusion.png 760 680 || res="$res confusion.png"
    png_ok history2.png 800 500 || res="$res history2.png"
    # the saved script draws the same figure again, with gnuplot alone
    sed 's/history2.png/history3.png/' history.gp >history3.gp
    "$gp" history3.gp >/dev/null 2>&1 && png_ok history3.png 800 500 || res="$res history3.png"
    if [ $status -eq 0 ] && [ -z "$res" ]; then
        ok "figures into PNG files, and a saved script redraws"
    else
        bad "figures into files" "exit status $status, bad:$res" "$(head -c 2000 files.txt)"
    fi
fi

line="plots: $pass passed, $fail failed"
[ $skip -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ $fail -gt 0 ] && exit 1
[ $skip -gt 0 ] && exit 77
exit 0
