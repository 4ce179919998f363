#!/bin/sh
# check_notebook.sh - lessons and scripts as notebooks.
#   1. nnlab --notebook --execute on a small script: the notebook validates
#      against nbformat's schema, holds the streams and an inline PNG, and
#      an error cell stops the run (status 1, an error output, the cells
#      after it not run);
#   2. record FILE.ipynb writes the session so far as an executed
#      notebook that validates and holds its figure;
#   3. every lesson converted with --notebook and executed by
#      `jupyter nbconvert --execute` with the nnlab kernel: a lesson's
#      `expect`s hold there too (a failing one is an error: nbconvert
#      stops).  NNLAB_NOTEBOOK_LESSONS="xor moons" runs only those.
# Skipped (77) without the kernel or without python3's nbformat and
# jupyter nbconvert.
LC_ALL=C
export LC_ALL
srcdir=${NNLAB_SRCDIR:-$(dirname "$0")/..}
case $srcdir in /*) ;; *) srcdir=$(pwd)/$srcdir ;; esac
bin=${NNLAB_BIN:-./nnlab}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
fmnist=${NNLAB_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
if "$bin" --notebook /nonexistent 2>&1 | grep -q 'built without'; then
    echo "check_notebook: SKIP (nnlab built without the kernel: apt-get install libzmq3-dev libjansson-dev libssl-dev)"
    exit 77
fi
py=
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 &&
        "$p" -c 'import nbformat, nbconvert, jupyter_client' 2>/dev/null; then
        py=$p
        break
    fi
done
if [ -z "$py" ]; then
    echo "check_notebook: SKIP (needs python3 with nbformat and nbconvert: apt-get install python3-nbformat jupyter-nbconvert)"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nnlab-notebook.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -f "$tmp/log" ] && sed 's/^/    /' "$tmp/log" | tail -n 15; }

# what a notebook must hold: python3 check.py NB MIN_PNG ERRORS RUN_CELLS
cat >"$tmp/check.py" <<'PY'
import sys, base64, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
code = [c for c in nb.cells if c.cell_type == "code"]
outs = [o for c in code for o in c.outputs]
pngs = [base64.b64decode(o.data["image/png"]) for o in outs
        if o.output_type == "display_data" and "image/png" in o.data]
errs = [o for o in outs if o.output_type == "error"]
run = [c for c in code if c.execution_count is not None]
assert nb.metadata.kernelspec.name == "nnlab", nb.metadata
assert all(p[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs), "not a PNG"
assert len(pngs) >= int(sys.argv[2]), "%d PNG, want %s" % (len(pngs), sys.argv[2])
assert len(errs) == int(sys.argv[3]), "%d errors: %r" % (len(errs), errs)
assert len(run) == int(sys.argv[4]), "%d cells run, want %s" % (len(run), sys.argv[4])
assert any(o.output_type == "stream" and "Total params" in o.text for o in outs), "no summary"
PY

# 1. --execute, then an error that stops it
cat >"$tmp/small.nnl" <<'NNL'
# small.nnl - a title
#
# Some text.
data xor n=100
input 2
dense 4 activation=tanh
dense 1 activation=sigmoid
compile loss=binary_crossentropy optimizer=adam learning_rate=0.05

# Training, then a figure.
fit epochs=5 verbose=0
summary
plot history
NNL
if (cd "$tmp" && "$bin" --notebook small.nnl --execute >"$tmp/log" 2>&1) &&
    "$py" "$tmp/check.py" "$tmp/small.ipynb" 1 0 2 >>"$tmp/log" 2>&1; then
    ok "notebook --execute"
else
    bad "notebook --execute"
fi
{ cat "$tmp/small.nnl"; printf '\n# Broken.\nfit epochs=banana\n\n# Never run.\nsummary\n'; } \
    >"$tmp/broken.nnl"
(cd "$tmp" && "$bin" --notebook broken.nnl out.ipynb --execute >"$tmp/log" 2>&1)
rc=$?
if [ $rc -eq 1 ] && grep -q "epochs" "$tmp/log" &&
    "$py" "$tmp/check.py" "$tmp/out.ipynb" 1 1 3 >>"$tmp/log" 2>&1; then
    ok "notebook --execute stops at an error"
else
    bad "notebook --execute stops at an error (exit $rc)"
fi

# --notebook's own errors: one line each, status 2, nothing written
errs_ok=1
for args in "--notebook" "--notebook $tmp/none.nnl" "--notebook $tmp/small.nnl $tmp/x.txt" \
        "--notebook $tmp/small.nnl $tmp/a.ipynb $tmp/b.ipynb" "--notebook $tmp/small.nnl --bogus"; do
    # shellcheck disable=SC2086
    "$bin" $args >"$tmp/log" 2>&1
    rc=$?
    if [ $rc -ne 2 ] || [ "$(wc -l <"$tmp/log")" -gt 2 ] || ! grep -q '^nnlab: --notebook' "$tmp/log" ||
        [ -e "$tmp/x.txt" ] || [ -e "$tmp/a.ipynb" ]; then
        errs_ok=0
        echo "    $args: exit $rc: $(cat "$tmp/log")"
    fi
done
if [ $errs_ok = 1 ]; then ok "--notebook errors"; else rm -f "$tmp/log"; bad "--notebook errors"; fi
# the cells: Markdown from comment blocks (title as a heading, requires:
# left out), code cells split at blank lines and comment blocks
printf '# t.nnl - the title\n# requires: gnuplot\n#\n# Text.\ndata xor\n\ninput 2\n# More.\nsummary\n' >"$tmp/t.nnl"
if "$bin" --notebook "$tmp/t.nnl" >"$tmp/log" 2>&1 && "$py" -c "
import nbformat, sys
nb = nbformat.read(sys.argv[1], 4); nbformat.validate(nb)
got = [(c.cell_type, c.source) for c in nb.cells]
want = [('markdown', '# t.nnl - the title\n\nText.'), ('code', 'data xor'),
        ('code', 'input 2'), ('markdown', 'More.'), ('code', 'summary')]
assert got == want, got" "$tmp/t.ipynb" >>"$tmp/log" 2>&1; then
    ok "--notebook cells"
else
    bad "--notebook cells"
fi

# 2. record FILE.ipynb
if (cd "$tmp" && "$bin" -c "data xor n=100; input 2; dense 4 activation=tanh; dense 1 activation=sigmoid; compile loss=binary_crossentropy; fit epochs=2 verbose=0; summary; plot history; record rec.ipynb" >"$tmp/log" 2>&1) &&
    grep -q "rec.ipynb" "$tmp/log" &&
    "$py" "$tmp/check.py" "$tmp/rec.ipynb" 1 0 9 >>"$tmp/log" 2>&1; then
    ok "record FILE.ipynb"
else
    bad "record FILE.ipynb"
fi

# lesson NAME notebook=OUT.ipynb: the same as --notebook --execute
if (cd "$tmp" && "$bin" -c "lesson xor notebook=xor.ipynb" >"$tmp/log" 2>&1) &&
    "$bin" --notebook "$srcdir/lessons/xor.nnl" "$tmp/xor2.ipynb" --execute >>"$tmp/log" 2>&1 &&
    "$py" "$tmp/check.py" "$tmp/xor.ipynb" 1 0 \
        "$("$py" -c "import json,sys; print(sum(c['cell_type']=='code' for c in json.load(open(sys.argv[1]))['cells']))" "$tmp/xor2.ipynb")" \
        >>"$tmp/log" 2>&1; then
    ok "lesson NAME notebook=OUT.ipynb"
else
    bad "lesson NAME notebook=OUT.ipynb"
fi

# set plots=DIR: every figure also saved, numbered (needs gnuplot)
if command -v gnuplot >/dev/null 2>&1; then
    if (cd "$tmp" && "$bin" -c "data xor n=50; input 2; dense 1 activation=sigmoid; compile loss=binary_crossentropy; fit epochs=2 verbose=0; set plots=slides; plot history terminal=text; plot boundary to=b.png; set plots=off; plot history terminal=text" >"$tmp/log" 2>&1) && [ -f "$tmp/slides/figure-001.png" ] && [ -f "$tmp/slides/figure-002.png" ] &&
        [ ! -f "$tmp/slides/figure-003.png" ] && [ -f "$tmp/b.png" ] &&
        head -c 8 "$tmp/slides/figure-001.png" | od -c | grep -q 'P   N   G'; then
        ok "set plots=DIR"
    else
        bad "set plots=DIR"
    fi
    echo x >"$tmp/notadir"
    if (cd "$tmp" && "$bin" -c "set plots=notadir" >"$tmp/log" 2>&1); then
        bad "set plots= a file is an error"
    elif grep -q "error: set: plots= needs a folder" "$tmp/log"; then
        ok "set plots= a file is an error"
    else
        bad "set plots= a file is an error"
    fi
else
    echo "SKIP set plots=DIR (needs gnuplot)"; skip=$((skip + 1))
fi

# 3. every lesson through jupyter nbconvert --execute with the nnlab kernel
mkdir -p "$tmp/runtime" "$tmp/home"
"$bin" --install-kernel --prefix="$tmp/k" >/dev/null || { bad "install-kernel"; exit 1; }
for f in "$srcdir"/lessons/*.nnl; do
    name=$(basename "$f" .nnl)
    if [ -n "${NNLAB_NOTEBOOK_LESSONS:-}" ]; then
        case " $NNLAB_NOTEBOOK_LESSONS " in *" $name "*) ;; *) continue ;; esac
    fi
    req=$(sed -n 's/^# requires: *//p' "$f" | head -n 1)
    if [ "$req" = "fashion-mnist" ] && [ ! -d "$fmnist" ]; then
        echo "SKIP lesson $name (needs $fmnist)"; skip=$((skip + 1)); continue
    fi
    rm -rf "$tmp/work" && mkdir "$tmp/work" || exit 99
    if (cd "$tmp/work" && "$bin" --notebook "$f" "$name.ipynb" >"$tmp/log" 2>&1 &&
        JUPYTER_PATH=$tmp/k/share/jupyter JUPYTER_RUNTIME_DIR=$tmp/runtime \
        HOME=$tmp/home "$py" -m nbconvert --to notebook --execute \
        --ExecutePreprocessor.timeout=600 "$name.ipynb" --output done.ipynb \
        >>"$tmp/log" 2>&1) &&
        "$py" -c "import nbformat,sys; nb=nbformat.read(sys.argv[1],4); nbformat.validate(nb); assert not [o for c in nb.cells if c.cell_type=='code' for o in c.outputs if o.output_type=='error']" \
            "$tmp/work/done.ipynb" >>"$tmp/log" 2>&1; then
        ok "lesson $name (nbconvert --execute)"
    else
        bad "lesson $name (nbconvert --execute)"
    fi
done
line="notebook: $pass passed, $fail failed"
[ $skip -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ $fail -gt 0 ] && exit 1
exit 0
