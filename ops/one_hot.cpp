#include <dagrad/ops/one_hot.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/labels.hpp>

namespace dagrad {

namespace {

DType dtype_attr(const Attrs& attrs) {
  return attrs.get("float64", false) ? DType::f64 : DType::f32;
}

}  // namespace

namespace ops_table {
void register_one_hot(OpRegistry& reg) {
  OpDef op;
  op.name = "one_hot";
  op.doc = "one-hot rows for int64 labels: num_classes=INT (float64=BOOL for double)";
  op.keywords = {"num_classes", "float64"};
  op.infer = [](std::span<const Tensor> in, const Attrs& attrs) {
    const auto c = attrs.get<std::int64_t>("num_classes");
    if (c < 0) throw ShapeError("one_hot: num_classes must be >= 0, got " + std::to_string(c));
    detail::check_labels(in[0], c, "one_hot");
    Shape s = in[0].shape();
    s.push_back(c);
    return TensorMeta{s, dtype_attr(attrs)};
  };
  op.forward = [](std::span<const Tensor> in, const Attrs& attrs) {
    const auto c = attrs.get<std::int64_t>("num_classes");
    Shape s = in[0].shape();
    s.push_back(c);
    Tensor out = zeros(s, dtype_attr(attrs));
    const std::int64_t* labels = in[0].data<std::int64_t>();
    dispatch_floating(out.dtype(), "one_hot", [&](auto tag) {
      using T = typename decltype(tag)::type;
      T* p = out.data<T>();
      for (std::int64_t i = 0, n = in[0].numel(); i < n; ++i) p[i * c + labels[i]] = T(1);
    });
    return out;
  };
  reg.add(std::move(op));  // no vjp: labels are not differentiable
}
}  // namespace ops_table

Tensor one_hot(const Tensor& labels, std::int64_t num_classes, DType dtype) {
  static const OpDef& op = registry().get("one_hot");
  if (!is_floating(dtype))
    throw DTypeError(std::string("one_hot: output dtype must be floating, got ") +
                     dtype_name(dtype));
  Attrs attrs{{"num_classes", num_classes}};
  if (dtype == DType::f64) attrs.set("float64", true);
  return apply(op, {labels}, std::move(attrs));
}

}  // namespace dagrad
