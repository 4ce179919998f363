"""keras_code_check.py - runs the data part of the code `keras to=FILE.py`
wrote (everything above its "# nnlab's arrays:" line) with NumPy and
scikit-learn, and checks what it made against what nnlab had:

  the shapes of X_train, y_train, X_valid, ... (the comment line), always;
  --means M1,M2,...   the scaler's fitted means (or the raw means of X when
                      unscaled) equal nnlab's, to 4 decimals;
  --scaled standard   X_train's columns have mean 0 and std 1;
  --scaled minmax     X_train's columns span [0, 1];
  --pixels            X arrays are images scaled to [0, 1] (x / 255.);
  --counts C0,C1,...  y_train's class counts are these;
  --slack K           the shapes' first sizes may differ by K: a stratified
                      split rounds each class's share (nnlab) where
                      train_test_split rounds the total, then shares it out.

keras itself is not needed: a stand-in module gives keras.datasets.
fashion_mnist.load_data() from the idx files (--fmnist DIR).  Prints one
"ok" line, or "FAIL: ..." lines and exits 1.
"""
import argparse
import gzip
import os
import re
import sys
import types

import numpy as np


def idx(path):
    with gzip.open(path) if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def fake_keras(fmnist):
    def find(name):
        for n in (name + ".gz", name):
            p = os.path.join(fmnist, n)
            if os.path.exists(p):
                return p
        raise FileNotFoundError(name)

    def load_data():
        return ((idx(find("train-images-idx3-ubyte")), idx(find("train-labels-idx1-ubyte"))),
                (idx(find("t10k-images-idx3-ubyte")), idx(find("t10k-labels-idx1-ubyte"))))

    keras = types.ModuleType("keras")
    keras.datasets = types.SimpleNamespace(
        fashion_mnist=types.SimpleNamespace(load_data=load_data))
    return keras


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--means")
    ap.add_argument("--scaled", choices=["standard", "minmax"])
    ap.add_argument("--pixels", action="store_true")
    ap.add_argument("--counts")
    ap.add_argument("--slack", type=int, default=0)
    ap.add_argument("--fmnist", default="/usr/share/datasets/fashion-mnist")
    o = ap.parse_args()
    text = open(o.file).read()
    head, sep, tail = text.partition("# nnlab's arrays:")
    fails = []
    if not sep:
        print("FAIL: %s has no \"# nnlab's arrays:\" line" % o.file)
        return 1
    shapes = tail.split("\n", 1)[0]
    sys.modules["keras"] = fake_keras(o.fmnist)
    env = {"__name__": "keras_code"}
    exec(compile(head, o.file, "exec"), env)
    for name, shape in re.findall(r"([Xy]_[a-z]+) (\([0-9, ]+\))", shapes):
        want = tuple(int(v) for v in re.findall(r"[0-9]+", shape))
        got = np.shape(env.get(name))
        if name not in env:
            fails.append("%s is not defined" % name)
        elif len(got) != len(want) or got[1:] != want[1:] or abs(got[0] - want[0]) > o.slack:
            fails.append("%s has shape %s, nnlab's %s" % (name, got, want))
    X = np.asarray(env.get("X_train"), dtype=float)
    cols = X.reshape(len(X), -1)
    if o.means:
        want = [float(v) for v in o.means.split(",")]
        scaler = env.get("scaler")
        got = scaler.mean_ if scaler is not None and hasattr(scaler, "mean_") else cols.mean(0)
        if scaler is not None and hasattr(scaler, "data_min_"):
            got = scaler.data_min_
        if len(got) != len(want) or np.abs(np.round(got, 4) - want).max() > 1.5e-4:
            fails.append("means %s, nnlab's %s" % (np.round(got, 4).tolist(), want))
    if o.scaled == "standard":
        if np.abs(cols.mean(0)).max() > 1e-6 or np.abs(cols.std(0) - 1).max() > 1e-6:
            fails.append("X_train is not standardized: means %s, stds %s"
                         % (cols.mean(0), cols.std(0)))
    if o.scaled == "minmax":
        if np.abs(cols.min(0)).max() > 1e-9 or np.abs(cols.max(0) - 1).max() > 1e-9:
            fails.append("X_train does not span [0, 1]: %s..%s" % (cols.min(0), cols.max(0)))
    if o.pixels:
        for name in ("X_train", "X_valid", "X_test"):
            a = np.asarray(env.get(name))
            if a.dtype.kind != "f" or a.min() < 0 or a.max() > 1 or a.max() < 0.99:
                fails.append("%s is not pixels / 255.: %s %s..%s"
                             % (name, a.dtype, a.min(), a.max()))
    if o.counts:
        want = [int(v) for v in o.counts.split(",")]
        got = np.bincount(np.asarray(env["y_train"], dtype=int)).tolist()
        if got != want:
            fails.append("y_train's class counts %s, nnlab's %s" % (got, want))
    for f in fails:
        print("FAIL: %s: %s" % (o.file, f))
    if not fails:
        print("ok %s%s" % (os.path.basename(o.file), shapes))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
