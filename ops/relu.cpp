#include <dagrad/ops/relu.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/mul.hpp>

namespace dagrad {

namespace ops_table {
void register_relu(OpRegistry& reg) {
  OpDef op;
  op.name = "relu";
  op.doc = "max(0, x)";
  op.infer = [](std::span<const Tensor> in, const Attrs&) {
    return detail::same_as_input(in, "relu");
  };
  op.forward = [](std::span<const Tensor> in, const Attrs&) {
    return detail::map_unary(in[0], "relu", [](auto x) {
      using T = typename decltype(x)::Scalar;
      return x.max(T(0));
    });
  };
  op.jacobian = detail::elementwise_jacobian([](auto x, auto, const Attrs&) {
    using T = typename decltype(x)::Scalar;
    return detail::ArrayX<T>((x > T(0)).template cast<T>());
  });
  op.vjp = [](const VjpArgs& a) {
    // relu'(x) = step(x): 0 at the kink, as PyTorch.
    return std::vector<Tensor>{mul(a.grad_output, step(a.inputs[0]))};
  };
  reg.add(std::move(op));

  OpDef s;
  s.name = "step";
  s.doc = "1 where x > 0, else 0 (relu's derivative; gradients stop here)";
  s.infer = [](std::span<const Tensor> in, const Attrs&) {
    return detail::same_as_input(in, "step");
  };
  s.forward = [](std::span<const Tensor> in, const Attrs&) {
    return detail::map_unary(in[0], "step", [](auto x) {
      using T = typename decltype(x)::Scalar;
      return (x > T(0)).template cast<T>();
    });
  };
  // Piecewise constant: ∂step(x_i)/∂x_j = 0 wherever it exists (everywhere but x = 0).
  s.jacobian = [](std::span<const Tensor>, const Tensor& out, const Attrs&, std::size_t) {
    return zeros({out.numel(), out.numel()}, out.dtype());
  };
  // Piecewise constant: its derivative is 0 wherever it exists, so no gradient flows.
  s.vjp = [](const VjpArgs&) { return std::vector<Tensor>{Tensor()}; };
  reg.add(std::move(s));
}
}  // namespace ops_table

Tensor relu(const Tensor& x) {
  static const OpDef& op = registry().get("relu");
  return apply(op, {x});
}

Tensor step(const Tensor& x) {
  static const OpDef& op = registry().get("step");
  return apply(op, {x});
}

}  // namespace dagrad
