#include <dagrad/ops/tanh.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/mul.hpp>
#include <dagrad/ops/sub.hpp>

namespace dagrad {

namespace ops_table {
void register_tanh(OpRegistry& reg) {
  OpDef op;
  op.name = "tanh";
  op.doc = "hyperbolic tangent";
  op.infer = [](std::span<const Tensor> in, const Attrs&) {
    return detail::same_as_input(in, "tanh");
  };
  op.forward = [](std::span<const Tensor> in, const Attrs&) {
    return detail::map_unary(in[0], "tanh", [](auto x) { return x.tanh(); });
  };
  op.jacobian = detail::elementwise_jacobian([](auto, auto y, const Attrs&) {
    using T = typename decltype(y)::Scalar;
    return detail::ArrayX<T>(T(1) - y.square());
  });
  op.vjp = [](const VjpArgs& a) {
    const Tensor& t = a.output;  // tanh' = 1 − tanh², from the saved output
    return std::vector<Tensor>{mul(a.grad_output, 1.0 - mul(t, t))};
  };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor tanh(const Tensor& x) {
  static const OpDef& op = registry().get("tanh");
  return apply(op, {x});
}

}  // namespace dagrad
