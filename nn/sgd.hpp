// Stochastic gradient descent with momentum and weight decay, as torch.optim.SGD:
//   g = ∇p + weight_decay · p
//   buf = g on the first step, then buf = momentum · buf + (1 − dampening) · g
//   d = nesterov ? g + momentum · buf : buf            (d = g when momentum is 0)
//   p ← p − lr · d
#pragma once

#include <memory>
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
  ~SGD() override;
  void step() override;
  const SgdOptions& options() const { return options_; }

  // Fuses the update into backward(): from now on every backward() through these parameters
  // applies p ← p − lr · (∇p + weight_decay · p) as soon as ∇p is known and stores no gradient
  // (Note [Fused updates] in core/tensor.hpp), so the usual forward / backward / step / zero_grad
  // loop does the same updates with less memory traffic; step() then only updates parameters
  // whose gradient reached grad() anyway (through grad(), create_graph or set_grad). Later
  // set_lr calls apply. The update happens during backward, so it is one update per backward:
  // a second backward before the usual step() (gradient accumulation over micro-batches, two
  // losses with retain_graph) sees the updated weights, and a backward that throws half-way may
  // have updated some parameters already. Parameters that no longer require grad are skipped.
  // ValueError with momentum (its buffer needs the whole gradient first). false turns it off.
  void fuse_into_backward(bool on = true);
  bool fused() const { return fused_ != nullptr; }

 private:
  void lr_changed() override;

  SgdOptions options_;
  std::vector<Tensor> momentum_;        // per parameter; undefined until its first update
  std::shared_ptr<FusedUpdate> fused_;  // shared with the parameters while fused
};

}  // namespace dagrad::nn
