#include <dagrad/ops/pow.hpp>

#include <sstream>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/mul.hpp>

namespace dagrad {

namespace ops_table {
void register_pow(OpRegistry& reg) {
  OpDef op;
  op.name = "pow";
  op.doc = "x^p for a real exponent p=NUMBER";
  op.keywords = {"p"};
  op.label = [](const Attrs& attrs) {
    std::ostringstream os;
    os << "pow(p=" << attrs.get<double>("p") << ")";
    return os.str();
  };
  op.infer = [](std::span<const Tensor> in, const Attrs& attrs) {
    attrs.get<double>("p");  // required
    return detail::same_as_input(in, "pow");
  };
  op.forward = [](std::span<const Tensor> in, const Attrs& attrs) {
    const double p = attrs.get<double>("p");
    return detail::map_unary(in[0], "pow", [p](auto x) {
      using T = typename decltype(x)::Scalar;
      return x.pow(T(p));
    });
  };
  op.jacobian = detail::elementwise_jacobian([](auto x, auto, const Attrs& attrs) {
    using T = typename decltype(x)::Scalar;
    const T p = static_cast<T>(attrs.get<double>("p"));
    if (p == T(0)) return detail::ArrayX<T>::Zero(x.size()).eval();  // as the vjp: no 0·x⁻¹
    return detail::ArrayX<T>(p * x.pow(p - T(1)));
  });
  op.vjp = [](const VjpArgs& a) {
    const double p = a.attrs.get<double>("p");
    if (p == 0.0) return std::vector<Tensor>{zeros(a.inputs[0].shape(), a.inputs[0].dtype())};
    return std::vector<Tensor>{mul(a.grad_output, mul(pow(a.inputs[0], p - 1.0), p))};
  };
  reg.add(std::move(op));

  OpDef sq;
  sq.name = "square";
  sq.doc = "x*x";
  sq.infer = [](std::span<const Tensor> in, const Attrs&) {
    return detail::same_as_input(in, "square");
  };
  sq.forward = [](std::span<const Tensor> in, const Attrs&) {
    return detail::map_unary(in[0], "square", [](auto x) { return x.square(); });
  };
  sq.jacobian = detail::elementwise_jacobian([](auto x, auto, const Attrs&) {
    using T = typename decltype(x)::Scalar;
    return detail::ArrayX<T>(T(2) * x);
  });
  sq.vjp = [](const VjpArgs& a) {
    return std::vector<Tensor>{mul(a.grad_output, mul(a.inputs[0], 2.0))};
  };
  reg.add(std::move(sq));
}
}  // namespace ops_table

Tensor pow(const Tensor& x, double p) {
  static const OpDef& op = registry().get("pow");
  return apply(op, {x}, {{"p", p}});
}

Tensor square(const Tensor& x) {
  static const OpDef& op = registry().get("square");
  return apply(op, {x});
}

}  // namespace dagrad
