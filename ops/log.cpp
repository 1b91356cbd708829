#include <dagrad/ops/log.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/div.hpp>

namespace dagrad {

namespace ops_table {
void register_log(OpRegistry& reg) {
  OpDef op;
  op.name = "log";
  op.doc = "natural logarithm";
  op.infer = [](std::span<const Tensor> in, const Attrs&) {
    return detail::same_as_input(in, "log");
  };
  op.forward = [](std::span<const Tensor> in, const Attrs&) {
    return detail::map_unary(in[0], "log", [](auto x) { return x.log(); });
  };
  op.jacobian = detail::elementwise_jacobian([](auto x, auto, const Attrs&) {
    using T = typename decltype(x)::Scalar;
    return detail::ArrayX<T>(x.inverse());
  });
  op.vjp = [](const VjpArgs& a) { return std::vector<Tensor>{div(a.grad_output, a.inputs[0])}; };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor log(const Tensor& x) {
  static const OpDef& op = registry().get("log");
  return apply(op, {x});
}

}  // namespace dagrad
