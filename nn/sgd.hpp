// Stochastic gradient descent with momentum and weight decay, as torch.optim.SGD:
//   g = ∇p + weight_decay · p
//   buf = g on the first step, then buf = momentum · buf + (1 − dampening) · g
//   d = nesterov ? g + momentum · buf : buf            (d = g when momentum is 0)
//   p ← p − lr · d
#pragma once

#include <vector>

#include <dagrad/nn/optimizer.hpp>

namespace dagrad::nn {

struct SgdOptions {
  double lr = 0.01;
  double momentum = 0.0;
  double dampening = 0.0;
  double weight_decay = 0.0;
  bool nesterov = false;
};

class SGD : public Optimizer {
 public:
  // ValueError as Optimizer, or when momentum/dampening/weight_decay are negative or not
  // finite, or nesterov is asked without momentum.
  explicit SGD(std::vector<Tensor> params, const SgdOptions& options = {});
  void step() override;
  const SgdOptions& options() const { return options_; }

 private:
  SgdOptions options_;
  std::vector<Tensor> momentum_;  // per parameter; undefined until its first update
};

}  // namespace dagrad::nn
