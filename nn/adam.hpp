// Adam (Kingma & Ba 2015), as torch.optim.Adam, with L2 weight decay added to the gradient:
//   g = ∇p + weight_decay · p
//   m ← β1·m + (1 − β1)·g          v ← β2·v + (1 − β2)·g²          (both start at 0; t counts
//   steps) p ← p − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
#pragma once

#include <vector>

#include <dagrad/nn/optimizer.hpp>

namespace dagrad::nn {

struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
};

class Adam : public Optimizer {
 public:
  // ValueError as Optimizer, or when a beta is outside [0, 1), eps is not positive, or
  // weight_decay is negative.
  explicit Adam(std::vector<Tensor> params, const AdamOptions& options = {});
  void step() override;
  const AdamOptions& options() const { return options_; }

 private:
  AdamOptions options_;
  std::vector<Tensor> m_, v_;    // moment estimates per parameter, created on first use
  std::vector<std::int64_t> t_;  // updates per parameter (a parameter may skip steps)
};

}  // namespace dagrad::nn
