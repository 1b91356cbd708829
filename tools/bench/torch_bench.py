#!/usr/bin/python3
"""The configurations of dagrad_bench, in PyTorch, printing the same rows with the same keys.

Threads follow shared/PERF-NOTES: "1 thread" is OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1;
"N threads" keeps torch's own pool at one thread and gives OpenBLAS N (torch's OpenMP pool and
OpenBLAS's pthreads fighting over the same cores makes PyTorch 2-3x slower). Both are read when
torch is imported, so each thread count runs in its own process: given several counts, this
script runs itself once per count.

  /usr/bin/python3 tools/bench/torch_bench.py [--json] [--quick] [--filter S] [--threads 1,2]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

MODELS = [[784, 256, 10], [784, 512, 512, 10]]
BATCHES = [1, 32, 128, 1024]
# As in mlp_bench.cpp: the MLP's forward products and its weight-gradient products.
GEMMS = [(128, 256, 784), (128, 10, 256), (1024, 256, 784), (784, 256, 128), (256, 10, 128)]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--quick", action="store_true", help="short samples: a smoke test")
    p.add_argument("--filter", default="", help="only configurations whose name contains this")
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    p.add_argument("--no-info", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--no-op-overhead", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args()


def run_per_thread_count(args, counts):
    """Re-runs this script once per thread count; op_overhead (single-threaded) runs once."""
    for i, n in enumerate(counts):
        cmd = [sys.executable, os.path.abspath(__file__), "--threads", str(n)]
        cmd += ["--filter", args.filter]
        cmd += ["--json"] * args.json + ["--quick"] * args.quick
        cmd += ["--no-info"] * (i > 0) + ["--no-op-overhead"] * (i > 0)
        rc = subprocess.call(cmd)
        if rc:
            sys.exit(rc)


def set_thread_env(threads):
    os.environ["OMP_NUM_THREADS"] = "1"
    os.environ["MKL_NUM_THREADS"] = "1"
    os.environ["OPENBLAS_NUM_THREADS"] = str(threads)


def median_seconds_per_iteration(body, warmup, warmup_seconds, sample_seconds, samples):
    """As bench::median_seconds_per_iteration: warm up for at least `warmup` iterations and
    `warmup_seconds`, which sizes the samples; the median time per iteration."""
    t0 = time.perf_counter()
    warmed = 0
    while warmed < warmup or time.perf_counter() - t0 < warmup_seconds:
        body()
        warmed += 1
    estimate = (time.perf_counter() - t0) / warmed
    iterations = max(1, int(-(-sample_seconds // estimate)))
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(iterations):
            body()
        times.append((time.perf_counter() - t0) / iterations)
    return statistics.median(times)


def main():
    args = parse_args()
    counts = [int(t) for t in args.threads.split(",") if t]
    if len(counts) > 1:
        run_per_thread_count(args, counts)
        return
    threads = counts[0]
    set_thread_env(threads)  # before torch is imported: OpenBLAS reads it when it loads

    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)
    timing = (3, 0, 0.01, 3) if args.quick else (50, 0.2, 0.2, 5)

    def emit(name, row):
        if args.filter not in name and name != "info":  # info always, as in dagrad_bench
            return
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            fields = [f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v}"
                      for k, v in list(row.items())[1:]]
            print("  ".join([row["bench"].ljust(12)] + fields), flush=True)

    def blas_library():
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line}
        return ",".join(sorted(os.path.basename(p) for p in paths)) or "none"

    def mlp_step(sizes, batch):
        torch.manual_seed(0)
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
            if i + 2 < len(sizes):
                layers.append(torch.nn.ReLU())
        model = torch.nn.Sequential(*layers)
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        x = torch.randn(batch, sizes[0])
        y = torch.arange(batch) % sizes[-1]

        def step():
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            opt.zero_grad(set_to_none=True)  # as dagrad's default (torch 1.13 defaults to zeros)

        return median_seconds_per_iteration(step, *timing)

    def op_overhead(ops):
        x = torch.ones((), requires_grad=True)
        c = torch.full((), 1e-3)

        def chain():
            y = x
            for _ in range(ops):
                y = y + c
            y.backward()
            x.grad = None

        return median_seconds_per_iteration(chain, *timing)

    def gemm(m, n, k):
        a, b = torch.randn(m, k), torch.randn(k, n)
        with torch.no_grad():
            return median_seconds_per_iteration(lambda: torch.matmul(a, b), *timing)

    if not args.no_info:
        emit("info", {"bench": "info", "engine": "torch", "torch": torch.__version__,
                      "python": sys.version.split()[0], "blas": blas_library()})
    for sizes in MODELS:
        model = "-".join(map(str, sizes))
        for batch in BATCHES:
            name = f"mlp_step/{model}/batch={batch}/threads={threads}"
            if args.filter in name:
                s = mlp_step(sizes, batch)
                emit(name, {"bench": "mlp_step", "model": model, "batch": batch, "threads": threads,
                            "torch_threads": torch.get_num_threads(), "step_us_median": s * 1e6})
    ops = 1000 if args.quick else 10000
    name = f"op_overhead/ops={ops}"
    if not args.no_op_overhead and args.filter in name:
        emit(name, {"bench": "op_overhead", "ops": ops, "us_per_op": op_overhead(ops) * 1e6 / ops})
    for m, n, k in GEMMS:
        name = f"gemm/{m}x{n}x{k}/threads={threads}"
        if args.filter in name:
            s = gemm(m, n, k)
            emit(name, {"bench": "gemm", "m": m, "n": n, "k": k, "threads": threads,
                        "us_median": s * 1e6, "gflops": 2 * m * n * k / s * 1e-9})


if __name__ == "__main__":
    main()
