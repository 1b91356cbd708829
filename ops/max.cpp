#include <dagrad/ops/max.hpp>

#include <cmath>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/mul.hpp>
#include <dagrad/ops/reshape.hpp>
#include <dagrad/ops/sum_to.hpp>

namespace dagrad {

namespace {

int checked_axis(const Tensor& x, const Attrs& attrs, const char* op) {
  if (!attrs.has("axis"))
    throw ShapeError(std::string(op) + ": needs axis=INT (got shape " + to_string(x.shape()) + ")");
  const int axis = normalize_axis(attrs.get<std::int64_t>("axis"), x.dim(), op, x.shape());
  if (x.shape()[axis] == 0)
    throw ShapeError(std::string(op) + ": axis " + std::to_string(axis) + " is empty in shape " +
                     to_string(x.shape()) + ", so it has no maximum");
  return axis;
}

// For each slice along axis: the index of its first maximum, and (optionally) the value.
// A NaN counts as the maximum, as in PyTorch, so a NaN is never hidden by max.
template <class T>
void scan_max(const Tensor& x, int axis, std::int64_t* index, T* value) {
  const detail::AxisView v = detail::axis_view(x.shape(), axis);
  const T* px = x.data<T>();
  for (std::int64_t o = 0; o < v.outer; ++o)
    for (std::int64_t i = 0; i < v.inner; ++i) {
      const T* p = px + o * v.extent * v.inner + i;
      std::int64_t best = 0;
      for (std::int64_t k = 1; k < v.extent; ++k) {
        const T c = p[k * v.inner], b = p[best * v.inner];
        if (std::isnan(b)) break;
        if (c > b || std::isnan(c)) best = k;
      }
      const std::int64_t out = o * v.inner + i;
      if (index) index[out] = best;
      if (value) value[out] = p[best * v.inner];
    }
}

// 1 at each slice's first maximum, 0 elsewhere: routes max's gradient (a constant).
Tensor argmax_mask(const Tensor& x, int axis) {
  Tensor mask = zeros(x.shape(), x.dtype());
  dispatch_floating(x.dtype(), "max", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const detail::AxisView v = detail::axis_view(x.shape(), axis);
    std::vector<std::int64_t> idx(static_cast<std::size_t>(v.outer * v.inner));
    scan_max<T>(x, axis, idx.data(), static_cast<T*>(nullptr));
    T* pm = mask.data<T>();
    for (std::int64_t o = 0; o < v.outer; ++o)
      for (std::int64_t i = 0; i < v.inner; ++i)
        pm[o * v.extent * v.inner + idx[o * v.inner + i] * v.inner + i] = T(1);
  });
  return mask;
}

}  // namespace

namespace ops_table {
void register_max(OpRegistry& reg) {
  OpDef op;
  op.name = "max";
  op.doc = "maximum along axis=INT, keepdim=BOOL";
  op.keywords = {"axis", "keepdim"};
  op.infer = [](std::span<const Tensor> in, const Attrs& attrs) {
    const int axis = checked_axis(in[0], attrs, "max");
    return TensorMeta{detail::reduced_shape(in[0].shape(), {axis}, attrs.get("keepdim", false)),
                      detail::floating_dtype(in, "max")};
  };
  op.forward = [](std::span<const Tensor> in, const Attrs& attrs) {
    const int axis = checked_axis(in[0], attrs, "max");
    Tensor out = Tensor::empty(
        detail::reduced_shape(in[0].shape(), {axis}, attrs.get("keepdim", false)), in[0].dtype());
    dispatch_floating(in[0].dtype(), "max", [&](auto tag) {
      using T = typename decltype(tag)::type;
      scan_max<T>(in[0], axis, nullptr, out.data<T>());
    });
    return out;
  };
  // out[o] = x[j*] with j* the first maximum of slice o: ∂out[o]/∂x[j*] = 1, 0 elsewhere (a
  // tie goes to the first maximum, as forward picks it).
  op.jacobian = [](std::span<const Tensor> in, const Tensor& out, const Attrs& attrs, std::size_t) {
    const Tensor& x = in[0];
    const int axis = checked_axis(x, attrs, "max");
    const detail::AxisView v = detail::axis_view(x.shape(), axis);
    std::vector<std::int64_t> idx(static_cast<std::size_t>(v.outer * v.inner));
    return detail::fill_jacobian(out.numel(), x.numel(), out.dtype(), [&](auto& j) {
      using T = typename std::decay_t<decltype(j)>::Scalar;
      scan_max<T>(x, axis, idx.data(), static_cast<T*>(nullptr));
      for (std::int64_t o = 0; o < v.outer; ++o)
        for (std::int64_t i = 0; i < v.inner; ++i) {
          const std::int64_t row = o * v.inner + i;
          j(row, (o * v.extent + idx[row]) * v.inner + i) = 1;
        }
    });
  };
  op.vjp = [](const VjpArgs& a) {
    const Tensor& x = a.inputs[0];
    const int axis = checked_axis(x, a.attrs, "max");
    const Tensor g = reshape(a.grad_output, detail::reduced_shape(x.shape(), {axis}, true));
    return std::vector<Tensor>{mul(broadcast_to(g, x.shape()), argmax_mask(x.detach(), axis))};
  };
  reg.add(std::move(op));

  OpDef am;
  am.name = "argmax";
  am.doc = "index (int64) of the first maximum along axis=INT, keepdim=BOOL";
  am.keywords = {"axis", "keepdim"};
  am.infer = [](std::span<const Tensor> in, const Attrs& attrs) {
    const int axis = checked_axis(in[0], attrs, "argmax");
    detail::floating_dtype(in, "argmax");
    return TensorMeta{detail::reduced_shape(in[0].shape(), {axis}, attrs.get("keepdim", false)),
                      DType::i64};
  };
  am.forward = [](std::span<const Tensor> in, const Attrs& attrs) {
    const int axis = checked_axis(in[0], attrs, "argmax");
    Tensor out = Tensor::empty(
        detail::reduced_shape(in[0].shape(), {axis}, attrs.get("keepdim", false)), DType::i64);
    dispatch_floating(in[0].dtype(), "argmax", [&](auto tag) {
      using T = typename decltype(tag)::type;
      scan_max<T>(in[0], axis, out.data<std::int64_t>(), static_cast<T*>(nullptr));
    });
    return out;
  };
  reg.add(std::move(am));  // no vjp: indices are not differentiable
}
}  // namespace ops_table

Tensor max(const Tensor& x, std::int64_t axis, bool keepdim) {
  static const OpDef& op = registry().get("max");
  Attrs attrs{{"axis", axis}};
  if (keepdim) attrs.set("keepdim", true);
  return apply(op, {x}, std::move(attrs));
}

Tensor argmax(const Tensor& x, std::int64_t axis, bool keepdim) {
  static const OpDef& op = registry().get("argmax");
  Attrs attrs{{"axis", axis}};
  if (keepdim) attrs.set("keepdim", true);
  return apply(op, {x}, std::move(attrs));
}

}  // namespace dagrad
