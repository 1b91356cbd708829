// The measured configurations of the engine benchmark, each returning one result row. The same
// configurations, with the same keys, are in torch_bench.py.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness.hpp"

namespace bench {

// One SGD training step of an MLP with ReLU hidden layers and a cross-entropy loss, written as a
// user writes it: forward, loss, backward, optimiser step, zero_grad. `sizes` is
// {784, 256, 10} for "784-256-10". The row carries step_us_median.
// With fused, the same loop after SGD::fuse_into_backward(): backward applies the update
// (the row's "sgd" is "fused" instead of "step").
Row mlp_step(const std::vector<std::int64_t>& sizes, std::int64_t batch, int threads,
             const TimingOptions& timing, bool fused = false);

// Forward and backward of a chain y = (...((x + c) + c)...) of `ops` additions on one-element
// tensors, divided by `ops`: the engine's recording and dispatch cost per op.
Row op_overhead(std::int64_t ops, const TimingOptions& timing);

// C[m,n] = A[m,k]·B[k,n] through the matmul op under no-grad; GFLOP/s = 2mnk / time.
Row gemm(std::int64_t m, std::int64_t n, std::int64_t k, int threads, const TimingOptions& timing);

// "784-256-10"
std::string model_name(const std::vector<std::int64_t>& sizes);

// Sets Eigen's thread count and returns the count Eigen will use: 1 whatever was asked when
// the build has no OpenMP.
int set_threads(int threads);

}  // namespace bench
