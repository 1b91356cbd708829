#include <dagrad/ops/sigmoid.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/mul.hpp>
#include <dagrad/ops/sub.hpp>

namespace dagrad {

namespace ops_table {
void register_sigmoid(OpRegistry& reg) {
  OpDef op;
  op.name = "sigmoid";
  op.doc = "1 / (1 + exp(-x))";
  op.infer = [](std::span<const Tensor> in, const Attrs&) {
    return detail::same_as_input(in, "sigmoid");
  };
  op.forward = [](std::span<const Tensor> in, const Attrs&) {
    // Eigen's logistic saturates cleanly: no overflow to nan for |x| large.
    return detail::map_unary(in[0], "sigmoid", [](auto x) { return x.logistic(); });
  };
  op.jacobian = detail::elementwise_jacobian([](auto, auto y, const Attrs&) {
    using T = typename decltype(y)::Scalar;
    return detail::ArrayX<T>(y * (T(1) - y));
  });
  op.vjp = [](const VjpArgs& a) {
    const Tensor& s = a.output;  // σ'(x) = σ(1 − σ), from the saved output
    return std::vector<Tensor>{mul(a.grad_output, mul(s, 1.0 - s))};
  };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor sigmoid(const Tensor& x) {
  static const OpDef& op = registry().get("sigmoid");
  return apply(op, {x});
}

}  // namespace dagrad
