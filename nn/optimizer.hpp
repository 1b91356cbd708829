// Optimiser base: holds the parameters (shared handles to the model's leaves) and the learning
// rate. step() updates the parameters in place from their .grad(), outside the graph; a
// parameter whose gradient is undefined (it took no part in the loss) is left alone.
#pragma once

#include <cstdint>
#include <vector>

#include <dagrad/core/tensor.hpp>

namespace dagrad::nn {

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // One update of every parameter from its gradient. DTypeError when a gradient's dtype differs
  // from its parameter's.
  virtual void step() = 0;
  // Clears the parameters' gradients (see Tensor::zero_grad).
  void zero_grad(bool set_to_none = true);

  double lr() const { return lr_; }
  // ValueError when lr is negative or not finite.
  void set_lr(double lr);
  const std::vector<Tensor>& parameters() const { return params_; }
  std::int64_t steps() const { return steps_; }  // step() calls so far

 protected:
  // ValueError when a tensor is undefined, not a leaf, does not require grad, or appears twice,
  // or when lr is invalid. `who` names the optimiser in messages.
  Optimizer(std::vector<Tensor> params, double lr, const char* who);
  // The gradient of parameter i, or an undefined tensor to skip it. Checks its dtype.
  Tensor gradient_of(std::size_t i) const;
  // Called by set_lr after the learning rate changed.
  virtual void lr_changed() {}

  std::vector<Tensor> params_;
  double lr_ = 0;
  std::int64_t steps_ = 0;
  const char* who_;
};

}  // namespace dagrad::nn
