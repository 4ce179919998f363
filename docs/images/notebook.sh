#!/bin/sh
# notebook.sh - remakes docs/images/notebook.png, the README's screenshot of
# a real notebook page: docs/images/notebook.nnl as an executed notebook,
# rendered by nbconvert and photographed by headless Chromium.
# Needs jupyter-nbconvert and chromium (apt-get install chromium).
# Run from the build tree: sh docs/images/notebook.sh
set -e
here=$(cd "$(dirname "$0")" && pwd)
bin=${NNLAB_BIN:-./nnlab}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nnlab-shot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$bin" --notebook "$here/notebook.nnl" "$tmp/moons.ipynb" --execute
jupyter nbconvert --to html "$tmp/moons.ipynb" >/dev/null 2>&1
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size=1000,1080 --screenshot="$here/notebook.png" \
    "file://$tmp/moons.html" >/dev/null 2>&1
echo "wrote $here/notebook.png"
