#include <dagrad/ops/nll_loss.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/detail/labels.hpp>
#include <dagrad/ops/mul.hpp>
#include <dagrad/ops/one_hot.hpp>

namespace dagrad {

namespace ops_table {
void register_nll_loss(OpRegistry& reg) {
  OpDef op;
  op.name = "nll_loss";
  op.min_inputs = op.max_inputs = 2;
  op.doc = "mean over the batch of -log_probs[label]; labels int64 [B]";
  op.infer = [](std::span<const Tensor> in, const Attrs&) {
    detail::check_scores_and_labels(in[0], in[1], "nll_loss");
    return TensorMeta{{}, in[0].dtype()};
  };
  op.forward = [](std::span<const Tensor> in, const Attrs&) {
    const Tensor& lp = in[0];
    Tensor out = Tensor::empty({}, lp.dtype());
    dispatch_floating(lp.dtype(), "nll_loss", [&](auto tag) {
      using T = typename decltype(tag)::type;
      const std::int64_t b = lp.shape()[0], c = lp.shape()[1];
      const std::int64_t* labels = in[1].data<std::int64_t>();
      double total = 0;
      for (std::int64_t r = 0; r < b; ++r) total -= lp.data<T>()[r * c + labels[r]];
      out.data<T>()[0] = static_cast<T>(total / static_cast<double>(b));
    });
    return out;
  };
  // L = −Σ_r lp[r, y_r] / B: ∂L/∂lp[r, c] = −1/B where c = y_r, else 0. Labels: no Jacobian.
  op.jacobian = [](std::span<const Tensor> in, const Tensor& out, const Attrs&, std::size_t) {
    const std::int64_t b = in[0].shape()[0], c = in[0].shape()[1];
    const std::int64_t* labels = in[1].data<std::int64_t>();
    return detail::fill_jacobian(1, b * c, out.dtype(), [&](auto& j) {
      using T = typename std::decay_t<decltype(j)>::Scalar;
      for (std::int64_t r = 0; r < b; ++r) j(0, r * c + labels[r]) = T(-1) / static_cast<T>(b);
    });
  };
  op.vjp = [](const VjpArgs& a) {
    const Tensor& lp = a.inputs[0];
    const double scale = -1.0 / static_cast<double>(lp.shape()[0]);
    const Tensor hot = one_hot(a.inputs[1], lp.shape()[1], lp.dtype());
    return std::vector<Tensor>{mul(hot, mul(a.grad_output, scale)), Tensor()};
  };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor nll_loss(const Tensor& log_probs, const Tensor& labels) {
  static const OpDef& op = registry().get("nll_loss");
  return apply(op, {log_probs, labels});
}

}  // namespace dagrad
