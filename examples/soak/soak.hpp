// The soak program's parts. Each prints what it measured and returns whether it passed.
#pragma once

#include <cstdint>

namespace soak {

struct TrainingOptions {
  std::int64_t steps = 100000;
  // RSS is compared with its value after this many steps. Measured at 5,000: +60 KiB (1.0 % of
  // 5.8 MiB) by step 20,000 as the allocator settled, then not a byte more up to step 100,000.
  std::int64_t warmup = 20000;
  double max_growth = 0.01;  // fail when RSS grows by this fraction or more after warm-up
  bool gate = true;          // whether growth fails the run
};

// A 32-64-10 ReLU MLP, batch 32, Adam, on synthetic data.
bool soak_training(const TrainingOptions& options);

// y = x; y = y * 1; y = y + 0.5; ... for `ops` ops, then backward and to_dot.
bool deep_chain(std::int64_t ops);

// The sum of `inputs` separate leaves, added one by one and as a balanced tree, then backward
// and to_dot.
bool wide_sum(std::int64_t inputs);

}  // namespace soak
