#include <dagrad/ops/mse_loss.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/mul.hpp>
#include <dagrad/ops/neg.hpp>
#include <dagrad/ops/sub.hpp>

namespace dagrad {

namespace ops_table {
void register_mse_loss(OpRegistry& reg) {
  OpDef op;
  op.name = "mse_loss";
  op.min_inputs = op.max_inputs = 2;
  op.doc = "mean((pred - target)^2); shapes must match";
  op.infer = [](std::span<const Tensor> in, const Attrs&) {
    const DType d = detail::floating_dtype(in, "mse_loss");
    if (in[0].shape() != in[1].shape())
      throw ShapeError("mse_loss: pred and target must have the same shape, got " +
                       to_string(in[0].shape()) + " and " + to_string(in[1].shape()));
    return TensorMeta{{}, d};
  };
  op.forward = [](std::span<const Tensor> in, const Attrs&) {
    Tensor out = Tensor::empty({}, in[0].dtype());
    dispatch_floating(in[0].dtype(), "mse_loss", [&](auto tag) {
      using T = typename decltype(tag)::type;
      const auto d = detail::vec<T>(in[0]) - detail::vec<T>(in[1]);
      out.data<T>()[0] = d.square().sum() / static_cast<T>(in[0].numel());
    });
    return out;
  };
  // L = Σ (p − t)² / N: ∂L/∂p_j = 2(p_j − t_j)/N and ∂L/∂t_j = −2(p_j − t_j)/N, one row.
  op.jacobian = [](std::span<const Tensor> in, const Tensor& out, const Attrs&, std::size_t input) {
    const std::int64_t n = in[0].numel();
    return detail::fill_jacobian(1, n, out.dtype(), [&](auto& j) {
      using T = typename std::decay_t<decltype(j)>::Scalar;
      const T sign = input == 0 ? T(2) : T(-2);
      j.row(0) = (sign / static_cast<T>(n)) *
                 (detail::vec<T>(in[0]) - detail::vec<T>(in[1])).matrix().transpose();
    });
  };
  op.vjp = [](const VjpArgs& a) {
    // d/dpred = 2(pred − target)/N · g; the target gets the negative.
    const double scale = 2.0 / static_cast<double>(a.inputs[0].numel());
    const Tensor d = mul(sub(a.inputs[0], a.inputs[1]), mul(a.grad_output, scale));
    return std::vector<Tensor>{a.needs_grad[0] ? d : Tensor(), a.needs_grad[1] ? neg(d) : Tensor()};
  };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor mse_loss(const Tensor& pred, const Tensor& target) {
  static const OpDef& op = registry().get("mse_loss");
  return apply(op, {pred, target});
}

}  // namespace dagrad
