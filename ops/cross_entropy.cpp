#include <dagrad/ops/cross_entropy.hpp>

#include <cmath>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/detail/labels.hpp>
#include <dagrad/ops/mul.hpp>
#include <dagrad/ops/one_hot.hpp>
#include <dagrad/ops/softmax.hpp>
#include <dagrad/ops/sub.hpp>

namespace dagrad {

namespace ops_table {
void register_cross_entropy(OpRegistry& reg) {
  OpDef op;
  op.name = "cross_entropy";
  op.min_inputs = op.max_inputs = 2;
  op.doc = "mean over the batch of -log softmax(logits)[label]; labels int64 [B]";
  op.infer = [](std::span<const Tensor> in, const Attrs&) {
    detail::check_scores_and_labels(in[0], in[1], "cross_entropy");
    return TensorMeta{{}, in[0].dtype()};
  };
  op.forward = [](std::span<const Tensor> in, const Attrs&) {
    const Tensor& logits = in[0];
    Tensor out = Tensor::empty({}, logits.dtype());
    dispatch_floating(logits.dtype(), "cross_entropy", [&](auto tag) {
      using T = typename decltype(tag)::type;
      const std::int64_t b = logits.shape()[0], c = logits.shape()[1];
      const std::int64_t* labels = in[1].data<std::int64_t>();
      detail::ConstMatMap<T> x(logits.data<T>(), b, c);
      // Fused log-sum-exp: −log S_y = lse(x) − x_y, with the row max subtracted first.
      double total = 0;
      for (std::int64_t r = 0; r < b; ++r) {
        const T m = x.row(r).maxCoeff();
        const T lse = m + std::log((x.row(r).array() - m).exp().sum());
        total += static_cast<double>(lse - x(r, labels[r]));
      }
      out.data<T>()[0] = static_cast<T>(total / static_cast<double>(b));
    });
    return out;
  };
  // L = Σ_r (lse(x_r) − x_r,y_r) / B: ∂L/∂x_rc = (S_rc − [c = y_r]) / B, S = softmax of row r.
  // The labels are integers: they have no Jacobian.
  op.jacobian = [](std::span<const Tensor> in, const Tensor& out, const Attrs&, std::size_t) {
    const Tensor& logits = in[0];
    const std::int64_t b = logits.shape()[0], c = logits.shape()[1];
    const std::int64_t* labels = in[1].data<std::int64_t>();
    return detail::fill_jacobian(1, b * c, out.dtype(), [&](auto& j) {
      using T = typename std::decay_t<decltype(j)>::Scalar;
      detail::ConstMatMap<T> x(logits.data<T>(), b, c);
      for (std::int64_t r = 0; r < b; ++r) {
        const auto e = (x.row(r).array() - x.row(r).maxCoeff()).exp();
        const detail::ArrayX<T> s = (e / e.sum()).transpose();
        for (std::int64_t k = 0; k < c; ++k)
          j(0, r * c + k) = (s(k) - (k == labels[r] ? T(1) : T(0))) / static_cast<T>(b);
      }
    });
  };
  op.vjp = [](const VjpArgs& a) {
    // d/dlogits = (softmax(logits) − onehot(labels)) / B · g.
    const Tensor& logits = a.inputs[0];
    const double inv_b = 1.0 / static_cast<double>(logits.shape()[0]);
    const Tensor diff =
        sub(softmax(logits, -1), one_hot(a.inputs[1], logits.shape()[1], logits.dtype()));
    return std::vector<Tensor>{mul(diff, mul(a.grad_output, inv_b)), Tensor()};
  };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor cross_entropy(const Tensor& logits, const Tensor& labels) {
  static const OpDef& op = registry().get("cross_entropy");
  return apply(op, {logits, labels});
}

}  // namespace dagrad
