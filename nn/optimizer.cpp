#include <dagrad/nn/optimizer.hpp>

#include <cmath>
#include <unordered_set>

#include <dagrad/core/error.hpp>

namespace dagrad::nn {

Optimizer::Optimizer(std::vector<Tensor> params, double lr, const char* who)
    : params_(std::move(params)), who_(who) {
  std::unordered_set<const TensorImpl*> seen;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Tensor& p = params_[i];
    const std::string at = std::string(who) + ": parameter " + std::to_string(i);
    if (!p.defined()) throw ValueError(at + " is undefined");
    if (!p.is_leaf() || !p.requires_grad())
      throw ValueError(at + " ('" + p.name() +
                       "') is not a leaf that requires grad (call set_requires_grad())");
    if (!seen.insert(p.impl()).second)
      throw ValueError(at + " ('" + p.name() + "') is listed twice");
  }
  set_lr(lr);
}

void Optimizer::set_lr(double lr) {
  if (!(std::isfinite(lr) && lr >= 0))
    throw ValueError(std::string(who_) + ": learning rate must be finite and non-negative (got " +
                     std::to_string(lr) + ")");
  lr_ = lr;
  lr_changed();
}

void Optimizer::zero_grad(bool set_to_none) {
  for (Tensor& p : params_) p.zero_grad(set_to_none);
}

Tensor Optimizer::gradient_of(std::size_t i) const {
  Tensor g = params_[i].grad();
  if (g.defined() && g.dtype() != params_[i].dtype())
    throw DTypeError(std::string(who_) + ": gradient of '" + params_[i].name() + "' is " +
                     dtype_name(g.dtype()) + " but the parameter is " +
                     dtype_name(params_[i].dtype()));
  return g;
}

}  // namespace dagrad::nn
