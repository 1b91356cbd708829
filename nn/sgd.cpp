#include <dagrad/nn/sgd.hpp>

#include <dagrad/core/parallel.hpp>

#include <cmath>

#include <Eigen/Core>

#include <dagrad/core/error.hpp>
#include <dagrad/core/grad_mode.hpp>

namespace dagrad::nn {

namespace {
void check_hyper(double v, const char* what) {
  if (!(std::isfinite(v) && v >= 0))
    throw ValueError(std::string("SGD: ") + what + " must be finite and non-negative (got " +
                     std::to_string(v) + ")");
}
}  // namespace

SGD::SGD(std::vector<Tensor> params, const SgdOptions& options)
    : Optimizer(std::move(params), options.lr, "SGD"), options_(options) {
  check_hyper(options.momentum, "momentum");
  check_hyper(options.dampening, "dampening");
  check_hyper(options.weight_decay, "weight_decay");
  if (options.nesterov && (options.momentum == 0 || options.dampening != 0))
    throw ValueError("SGD: nesterov needs momentum > 0 and dampening 0");
  momentum_.resize(params_.size());
}

SGD::~SGD() {
  fuse_into_backward(false);
}

void SGD::fuse_into_backward(bool on) {
  if (on && options_.momentum != 0)
    throw ValueError("SGD: fuse_into_backward needs momentum 0 (got " +
                     std::to_string(options_.momentum) +
                     "): the momentum buffer needs the whole "
                     "gradient before the update");
  if (on == fused()) return;
  if (on) {
    fused_ = std::make_shared<FusedUpdate>();
    lr_changed();
    for (Tensor& p : params_)  // a parameter frozen since (requires_grad off) is left alone
      if (p.requires_grad()) p.set_fused_update(fused_);
    return;
  }
  for (Tensor& p : params_)  // unless another optimiser has taken the parameter over since
    if (p.fused_update() == fused_) p.set_fused_update(nullptr);
  fused_.reset();
}

void SGD::lr_changed() {
  if (!fused_) return;
  fused_->scale = -lr_;
  fused_->decay = 1 - lr_ * options_.weight_decay;
}

void SGD::step() {
  NoGradGuard no_grad;  // the update is not part of any graph
  const SgdOptions& o = options_;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Tensor g = gradient_of(i);
    if (!g.defined()) continue;
    Tensor& p = params_[i];
    const bool first = !momentum_[i].defined();
    if (o.momentum != 0 && first) momentum_[i] = zeros(p.shape(), p.dtype());
    dispatch_floating(p.dtype(), "SGD", [&](auto tag) {
      using T = typename decltype(tag)::type;
      using Vec = Eigen::Array<T, Eigen::Dynamic, 1>;
      T* pw = p.template data<T>();
      const T* pg = g.template data<T>();
      T* pbuf = o.momentum != 0 ? momentum_[i].template data<T>() : nullptr;
      const T lr = static_cast<T>(lr_), wd = static_cast<T>(o.weight_decay);
      const T mu = static_cast<T>(o.momentum), damp = static_cast<T>(1 - o.dampening);
      // Element by element, so a large parameter is split over threads.
      parallel_elements(p.numel(), [&](std::int64_t begin, std::int64_t end) {
        const std::int64_t n = end - begin;
        Eigen::Map<Vec> w(pw + begin, n);
        const Eigen::Map<const Vec> grad(pg + begin, n);
        if (!pbuf) {
          // The common case, fused into one pass over the parameter.
          if (wd != 0)
            w -= lr * (grad + wd * w);
          else
            w -= lr * grad;
          return;
        }
        Eigen::Map<Vec> buf(pbuf + begin, n);
        // d is an expression, not a temporary (no allocation inside a thread team); it reads w,
        // which is updated last.
        const auto momentum_step = [&](const auto& d) {
          if (first)
            buf = d;
          else
            buf = mu * buf + damp * d;
          if (o.nesterov)
            w -= lr * (d + mu * buf);
          else
            w -= lr * buf;
        };
        if (wd != 0)
          momentum_step(grad + wd * w);
        else
          momentum_step(grad);
      });
    });
  }
  ++steps_;
}

}  // namespace dagrad::nn
