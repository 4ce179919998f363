"""torch_fit.py - one epoch of the book's Fashion-MNIST MLP in PyTorch, for
bench_shell (issue 15): the same model (Flatten, Dense 300 relu, Dense 100
relu, Dense 10), SGD learning_rate 0.01, cross-entropy, batch B, shuffled,
on the first 55,000 training images scaled to [0, 1].

    python3 torch_fit.py DATADIR BATCH OUTFILE

Writes the seconds of the epoch (the data loaded and the model built
before the clock starts) into OUTFILE.  Run with OMP_WAIT_POLICY=PASSIVE
(bench_shell sets it), as the issue measured it.
"""
import gzip
import sys
import time

import numpy as np
import torch


def images(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    n = int.from_bytes(raw[4:8], "big")
    return np.frombuffer(raw, np.uint8, offset=16).reshape(n, 784)


def labels(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    return np.frombuffer(raw, np.uint8, offset=8)


def main():
    data, bs, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    torch.manual_seed(42)
    x = torch.from_numpy(images(data + "/train-images-idx3-ubyte.gz")[:55000]
                         .astype(np.float32) / 255.0)
    y = torch.from_numpy(labels(data + "/train-labels-idx1-ubyte.gz")[:55000]
                         .astype(np.int64))
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 300), torch.nn.ReLU(),
        torch.nn.Linear(300, 100), torch.nn.ReLU(),
        torch.nn.Linear(100, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()
    t = time.perf_counter()
    perm = torch.randperm(x.shape[0])
    for s in range(0, x.shape[0], bs):
        idx = perm[s:s + bs]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
    secs = time.perf_counter() - t
    with open(out, "w") as f:
        f.write(repr(secs))


if __name__ == "__main__":
    main()
