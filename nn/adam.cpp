#include <dagrad/nn/adam.hpp>

#include <dagrad/core/parallel.hpp>

#include <cmath>

#include <Eigen/Core>

#include <dagrad/core/error.hpp>
#include <dagrad/core/grad_mode.hpp>

namespace dagrad::nn {

Adam::Adam(std::vector<Tensor> params, const AdamOptions& options)
    : Optimizer(std::move(params), options.lr, "Adam"), options_(options) {
  for (auto [v, what] : {std::pair{options.beta1, "beta1"}, std::pair{options.beta2, "beta2"}})
    if (!(v >= 0 && v < 1))
      throw ValueError(std::string("Adam: ") + what + " must be in [0, 1) (got " +
                       std::to_string(v) + ")");
  if (!(std::isfinite(options.eps) && options.eps > 0))
    throw ValueError("Adam: eps must be positive (got " + std::to_string(options.eps) + ")");
  if (!(std::isfinite(options.weight_decay) && options.weight_decay >= 0))
    throw ValueError("Adam: weight_decay must be finite and non-negative (got " +
                     std::to_string(options.weight_decay) + ")");
  m_.resize(params_.size());
  v_.resize(params_.size());
  t_.assign(params_.size(), 0);
}

void Adam::step() {
  NoGradGuard no_grad;  // the update is not part of any graph
  const AdamOptions& o = options_;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Tensor g = gradient_of(i);
    if (!g.defined()) continue;
    Tensor& p = params_[i];
    if (!m_[i].defined()) {
      m_[i] = zeros(p.shape(), p.dtype());
      v_[i] = zeros(p.shape(), p.dtype());
    }
    const std::int64_t t = ++t_[i];
    // Bias corrections in double: β^t for large t underflows gracefully to 0.
    const double bc1 = 1 - std::pow(o.beta1, static_cast<double>(t));
    const double bc2 = 1 - std::pow(o.beta2, static_cast<double>(t));
    dispatch_floating(p.dtype(), "Adam", [&](auto tag) {
      using T = typename decltype(tag)::type;
      using Vec = Eigen::Array<T, Eigen::Dynamic, 1>;
      T* pw = p.template data<T>();
      T* pm = m_[i].template data<T>();
      T* pv = v_[i].template data<T>();
      const T* pg = g.template data<T>();
      const T b1 = static_cast<T>(o.beta1), b2 = static_cast<T>(o.beta2);
      const T wd = static_cast<T>(o.weight_decay);
      const T step_size = static_cast<T>(lr_ / bc1);
      const T inv_sqrt_bc2 = static_cast<T>(1 / std::sqrt(bc2));
      const T eps = static_cast<T>(o.eps);
      // Element by element, so a large parameter is split over threads.
      parallel_elements(p.numel(), [&](std::int64_t begin, std::int64_t end) {
        const std::int64_t n = end - begin;
        Eigen::Map<Vec> w(pw + begin, n), m(pm + begin, n), v(pv + begin, n);
        const Eigen::Map<const Vec> grad(pg + begin, n);
        // d is an expression, not a temporary (no allocation inside a thread team); it reads w,
        // which is updated last.
        const auto moments = [&](const auto& d) {
          m = b1 * m + (1 - b1) * d;
          v = b2 * v + (1 - b2) * d.square();
        };
        if (wd != 0)
          moments(grad + wd * w);
        else
          moments(grad);
        w -= step_size * m / (v.sqrt() * inv_sqrt_bc2 + eps);
      });
    });
  }
  ++steps_;
}

}  // namespace dagrad::nn
