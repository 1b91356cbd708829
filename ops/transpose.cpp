#include <dagrad/ops/transpose.hpp>

#include <algorithm>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>

namespace dagrad {

namespace {

std::pair<int, int> axes_of(const Tensor& x, const Attrs& attrs) {
  if (x.dim() < 2 && !(attrs.has("axis0") || attrs.has("axis1")))
    throw ShapeError("transpose: needs at least 2 axes, got shape " + to_string(x.shape()));
  return {normalize_axis(attrs.get<std::int64_t>("axis0", -2), x.dim(), "transpose", x.shape()),
          normalize_axis(attrs.get<std::int64_t>("axis1", -1), x.dim(), "transpose", x.shape())};
}

Shape swapped(Shape s, std::pair<int, int> ax) {
  std::swap(s[ax.first], s[ax.second]);
  return s;
}

}  // namespace

namespace ops_table {
void register_transpose(OpRegistry& reg) {
  OpDef op;
  op.name = "transpose";
  op.doc = "swaps axis0=INT and axis1=INT (default the last two)";
  op.keywords = {"axis0", "axis1"};
  op.infer = [](std::span<const Tensor> in, const Attrs& attrs) {
    return TensorMeta{swapped(in[0].shape(), axes_of(in[0], attrs)), in[0].dtype()};
  };
  op.forward = [](std::span<const Tensor> in, const Attrs& attrs) {
    const Tensor& x = in[0];
    const auto ax = axes_of(x, attrs);
    if (ax.first == ax.second) return x.clone();  // the kernel below assumes two distinct axes
    const Shape out_shape = swapped(x.shape(), ax);
    Tensor out = Tensor::empty(out_shape, x.dtype());
    if (out.numel() == 0) return out;
    dispatch_any(x.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      // View x as [outer, A, middle, B, inner] with A, B the swapped axes; for each
      // (outer, middle) this is a strided 2-D transpose of [A, B] blocks of `inner`.
      const Shape& s = x.shape();
      const int lo = std::min(ax.first, ax.second), hi = std::max(ax.first, ax.second);
      std::int64_t outer = 1, middle = 1, inner = 1;
      for (int i = 0; i < lo; ++i) outer *= s[i];
      for (int i = lo + 1; i < hi; ++i) middle *= s[i];
      for (int i = hi + 1; i < static_cast<int>(s.size()); ++i) inner *= s[i];
      const std::int64_t na = s[lo], nb = s[hi];
      const T* px = x.data<T>();
      T* po = out.data<T>();
      for (std::int64_t o = 0; o < outer; ++o)
        for (std::int64_t a = 0; a < na; ++a)
          for (std::int64_t m = 0; m < middle; ++m)
            for (std::int64_t b = 0; b < nb; ++b) {
              const T* src = px + (((o * na + a) * middle + m) * nb + b) * inner;
              T* dst = po + (((o * nb + b) * middle + m) * na + a) * inner;
              std::copy_n(src, inner, dst);
            }
    });
    return out;
  };
  // A permutation matrix: with x viewed as [outer, A, middle, B, inner] and out as
  // [outer, B, middle, A, inner], out[o, b, m, a, i] = x[o, a, m, b, i].
  op.jacobian = [](std::span<const Tensor> in, const Tensor& out, const Attrs& attrs, std::size_t) {
    const Shape& s = in[0].shape();
    const auto ax = axes_of(in[0], attrs);
    const int lo = std::min(ax.first, ax.second), hi = std::max(ax.first, ax.second);
    std::int64_t outer = 1, middle = 1, inner = 1, na = 1, nb = 1;
    if (lo != hi) {
      for (int i = 0; i < lo; ++i) outer *= s[i];
      for (int i = lo + 1; i < hi; ++i) middle *= s[i];
      for (int i = hi + 1; i < static_cast<int>(s.size()); ++i) inner *= s[i];
      na = s[lo];
      nb = s[hi];
    } else {
      inner = in[0].numel();  // swapping an axis with itself: the identity
    }
    return detail::fill_jacobian(out.numel(), in[0].numel(), out.dtype(), [&](auto& j) {
      for (std::int64_t o = 0; o < outer; ++o)
        for (std::int64_t a = 0; a < na; ++a)
          for (std::int64_t m = 0; m < middle; ++m)
            for (std::int64_t b = 0; b < nb; ++b)
              for (std::int64_t i = 0; i < inner; ++i)
                j((((o * nb + b) * middle + m) * na + a) * inner + i,
                  (((o * na + a) * middle + m) * nb + b) * inner + i) = 1;
    });
  };
  op.vjp = [](const VjpArgs& a) {
    const auto ax = axes_of(a.inputs[0], a.attrs);
    return std::vector<Tensor>{transpose(a.grad_output, ax.first, ax.second)};
  };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor transpose(const Tensor& x, std::int64_t axis0, std::int64_t axis1) {
  static const OpDef& op = registry().get("transpose");
  Attrs attrs;
  if (axis0 != -2) attrs.set("axis0", axis0);
  if (axis1 != -1) attrs.set("axis1", axis1);
  return apply(op, {x}, std::move(attrs));
}

}  // namespace dagrad
