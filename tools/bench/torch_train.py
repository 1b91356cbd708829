#!/usr/bin/python3
"""PyTorch twin of dagrad's default Fashion-MNIST training (examples/fashion_mnist), for the
peak-memory row of tools/bench/compare: 784-256-10 ReLU, Adam lr 1e-3 with cosine decay per
step, batch 128, standardised pixels, shuffled, one thread; evaluates on the test set after
each epoch. The IDX files are read from Debian's dataset-fashion-mnist. Like dagrad's
BatchLoader, it keeps the pixels as bytes and standardises one batch at a time, so the memory
compared is the framework's, not a float copy of the data set.

  /usr/bin/python3 tools/bench/torch_train.py [--epochs 1] [--data-dir DIR]
"""

import argparse
import gzip
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before torch loads, as in torch_bench.py
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir, split):
    x = read_idx(os.path.join(data_dir, f"{split}-images-idx3-ubyte.gz"))
    y = read_idx(os.path.join(data_dir, f"{split}-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(x.reshape(len(x), -1).copy())  # bytes: a read-only buffer
    return x, torch.from_numpy(y.astype(np.int64))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    args = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)

    x_train, y_train = load(args.data_dir, "train")
    x_test, y_test = load(args.data_dir, "t10k")
    # The training set's statistics standardise both sets (computed in float64 without a copy
    # of the whole set).
    n = x_train.numel()
    mean = sum(float(r.double().sum()) for r in x_train.split(1000)) / n
    std = (sum(float(((r.double() - mean) ** 2).sum()) for r in x_train.split(1000)) / n) ** 0.5

    def scaled(x):
        return (x.float() - mean) / std

    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    steps = -(-len(x_train) // args.batch) * args.epochs
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    for epoch in range(args.epochs):
        order = torch.randperm(len(x_train))
        for i in range(0, len(order), args.batch):
            idx = order[i:i + args.batch]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(scaled(x_train[idx])), y_train[idx])
            loss.backward()
            opt.step()
            sched.step()
        with torch.no_grad():
            predicted = torch.cat([model(scaled(x)).argmax(1) for x in x_test.split(1000)])
            correct = int((predicted == y_test).sum())
        print(f"epoch {epoch + 1}: test accuracy {100 * correct / len(x_test):.2f}%", flush=True)


if __name__ == "__main__":
    main()
