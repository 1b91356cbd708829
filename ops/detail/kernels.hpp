// Shared Eigen kernels for ops: element-wise maps with NumPy broadcasting, and reductions over
// axes. Ops pass Eigen array expressions; nothing here calls a function per element.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include <dagrad/core/error.hpp>
#include <dagrad/core/op.hpp>
#include <dagrad/core/parallel.hpp>
#include <dagrad/core/tensor.hpp>

namespace dagrad::detail {

template <class T>
using ArrayX = Eigen::Array<T, Eigen::Dynamic, 1>;
template <class T>
using VecMap = Eigen::Map<ArrayX<T>>;
template <class T>
using ConstVecMap = Eigen::Map<const ArrayX<T>>;
template <class T>
using MatrixR = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using MatMap = Eigen::Map<MatrixR<T>>;
template <class T>
using ConstMatMap = Eigen::Map<const MatrixR<T>>;

template <class T>
VecMap<T> vec(Tensor& t) {
  return VecMap<T>(t.data<T>(), t.numel());
}
template <class T>
ConstVecMap<T> vec(const Tensor& t) {
  return ConstVecMap<T>(t.data<T>(), t.numel());
}

// The dtype shared by all inputs, which must be floating; DTypeError naming op otherwise.
DType floating_dtype(std::span<const Tensor> inputs, const char* op);

// Shape rule of an element-wise op with one input: same shape, floating dtype.
TensorMeta same_as_input(std::span<const Tensor> inputs, const char* op);
// Shape rule of an element-wise op with two inputs: the broadcast shape, shared floating dtype.
TensorMeta broadcast_meta(std::span<const Tensor> inputs, const char* op);

// out = f(x) element-wise; f receives an Eigen array expression (of a part of x when large
// tensors are split over threads, so f must not look beyond the element it computes).
template <class F>
Tensor map_unary(const Tensor& x, const char* op, F&& f) {
  Tensor out = Tensor::empty(x.shape(), x.dtype());
  dispatch_floating(x.dtype(), op, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* px = x.data<T>();
    T* po = out.data<T>();
    parallel_elements(x.numel(), [&](std::int64_t begin, std::int64_t end) {
      VecMap<T>(po + begin, end - begin) = f(ConstVecMap<T>(px + begin, end - begin));
    });
  });
  return out;
}

// Layout of a broadcast binary op after merging dimensions that broadcast alike: out has
// `shape`, and a and b are read with `stride_a` / `stride_b` (0 on broadcast dimensions).
struct BroadcastPlan {
  std::vector<std::int64_t> shape, stride_a, stride_b;
};
BroadcastPlan plan_broadcast(const Shape& a, const Shape& b, const Shape& out);

// out = f(a, b) element-wise with broadcasting. f receives two Eigen array expressions of equal
// length (a broadcast operand arrives as a constant array), covering a part of the output when
// large tensors are split over threads.
template <class F>
Tensor map_binary(const Tensor& a, const Tensor& b, const char* op, F&& f) {
  const Shape out_shape = broadcast_shapes(a.shape(), b.shape(), op);
  const DType dtype = a.dtype();
  Tensor out = Tensor::empty(out_shape, dtype);
  dispatch_floating(dtype, op, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* pa = a.data<T>();
    const T* pb = b.data<T>();
    T* po = out.data<T>();
    const std::int64_t n_out = out.numel();
    if (n_out == 0) return;
    const bool same = a.shape() == b.shape();
    if (same || a.numel() == 1 || b.numel() == 1) {
      // Flat: both read element by element, or one of them is a single number.
      const bool a_one = !same && a.numel() == 1, b_one = !same && !a_one;
      parallel_elements(n_out, [&](std::int64_t begin, std::int64_t end) {
        const std::int64_t len = end - begin;
        VecMap<T> dst(po + begin, len);
        if (a_one)
          dst = f(ArrayX<T>::Constant(len, pa[0]), ConstVecMap<T>(pb + begin, len));
        else if (b_one)
          dst = f(ConstVecMap<T>(pa + begin, len), ArrayX<T>::Constant(len, pb[0]));
        else
          dst = f(ConstVecMap<T>(pa + begin, len), ConstVecMap<T>(pb + begin, len));
      });
      return;
    }
    const BroadcastPlan p = plan_broadcast(a.shape(), b.shape(), out_shape);
    const std::size_t rank = p.shape.size();
    const std::int64_t inner = p.shape[rank - 1];
    const std::int64_t sa = p.stride_a[rank - 1], sb = p.stride_b[rank - 1];
    // Rows of `inner` outputs, each one Eigen expression; split over threads by rows. Each chunk
    // has its own outer counter (all dimensions but the innermost), allocated here: nothing may
    // throw inside a thread team.
    const std::int64_t rows = n_out / inner;
    const int threads = chunk_threads(rows, inner);
    std::vector<std::int64_t> counters(rank * static_cast<std::size_t>(threads), 0);
    for_each_chunk(rows, threads, 16, [&](std::int64_t row_begin, std::int64_t row_end, int chunk) {
      // The counter and offsets of the chunk's first row.
      std::int64_t* counter = counters.data() + static_cast<std::size_t>(chunk) * rank;
      std::int64_t off_a = 0, off_b = 0;
      for (std::int64_t rest = row_begin, d = static_cast<std::int64_t>(rank) - 1; d-- > 0;) {
        counter[d] = rest % p.shape[d];
        rest /= p.shape[d];
        off_a += counter[d] * p.stride_a[d];
        off_b += counter[d] * p.stride_b[d];
      }
      for (std::int64_t o = row_begin * inner; o < row_end * inner; o += inner) {
        VecMap<T> dst(po + o, inner);
        if (sa && sb)
          dst = f(ConstVecMap<T>(pa + off_a, inner), ConstVecMap<T>(pb + off_b, inner));
        else if (sa)
          dst = f(ConstVecMap<T>(pa + off_a, inner), ArrayX<T>::Constant(inner, pb[off_b]));
        else if (sb)
          dst = f(ArrayX<T>::Constant(inner, pa[off_a]), ConstVecMap<T>(pb + off_b, inner));
        else
          dst = f(ArrayX<T>::Constant(inner, pa[off_a]), ArrayX<T>::Constant(inner, pb[off_b]));
        // Advance the outer counter.
        for (std::size_t d = rank - 1; d-- > 0;) {
          off_a += p.stride_a[d];
          off_b += p.stride_b[d];
          if (++counter[d] < p.shape[d]) break;
          off_a -= p.stride_a[d] * p.shape[d];
          off_b -= p.stride_b[d] * p.shape[d];
          counter[d] = 0;
        }
      }
    });
  });
  return out;
}

// Sorted, de-duplicated, non-negative axes from user axes (empty = all axes).
std::vector<int> normalize_axes(const std::vector<std::int64_t>& axes, const Shape& shape,
                                const char* op);
// Shape after reducing axes: extent 1 there (keepdim) or removed.
Shape reduced_shape(const Shape& shape, const std::vector<int>& axes, bool keepdim);

// Sum over axes (sorted, non-negative); the result has the keepdim shape.
Tensor sum_kernel(const Tensor& x, const std::vector<int>& axes);

// Views x as [outer, extent(axis), inner] for per-axis work (softmax, max).
struct AxisView {
  std::int64_t outer = 1, extent = 1, inner = 1;
};
AxisView axis_view(const Shape& shape, int axis);

// Same storage, another shape (numel must match): a view for reshape-like ops.
Tensor view_as(const Tensor& x, const Shape& shape);

// The attribute list of an op as an axis list ("axis" may hold one int or a list).
std::vector<std::int64_t> axes_attr(const Attrs& attrs);

}  // namespace dagrad::detail

namespace dagrad::detail {
// x repeated along broadcast dimensions to `shape` (x's shape must broadcast to it).
Tensor broadcast_kernel(const Tensor& x, const Shape& shape);
}  // namespace dagrad::detail

namespace dagrad::detail {

// An OpDef::jacobian for an element-wise op with one input: the diagonal matrix of
// d(x, y, attrs), the derivative given as an Eigen expression of the input x and output y.
template <class D>
auto elementwise_jacobian(D d) {
  return [d](std::span<const Tensor> in, const Tensor& out, const Attrs& attrs, std::size_t) {
    const std::int64_t n = out.numel();
    Tensor j = zeros({n, n}, out.dtype());
    dispatch_floating(out.dtype(), "jacobian", [&](auto tag) {
      using T = typename decltype(tag)::type;
      const ArrayX<T> diag = d(vec<T>(in[0]), vec<T>(out), attrs);
      MatMap<T>(j.template data<T>(), n, n).diagonal() = diag.matrix();
    });
    return j;
  };
}

// For each element of `to` (row-major), the flat index of the element of `from` that NumPy
// broadcasting reads for it (`from` must broadcast to `to`). Read backwards, it is also the
// output element each input element of a reduction from `to` down to `from` sums into.
std::vector<std::int64_t> broadcast_sources(const Shape& from, const Shape& to);

// A zero [rows, cols] Jacobian of dtype, filled by fill(j) with j an Eigen row-major matrix map.
template <class F>
Tensor fill_jacobian(std::int64_t rows, std::int64_t cols, DType dtype, F&& fill) {
  Tensor j = zeros({rows, cols}, dtype);
  dispatch_floating(dtype, "jacobian", [&](auto tag) {
    using T = typename decltype(tag)::type;
    MatMap<T> m(j.template data<T>(), rows, cols);
    fill(m);
  });
  return j;
}

// An OpDef::jacobian for a broadcasting binary op out = f(a, b): row i has one non-zero, in the
// column of the element of input `input` broadcast to out[i], with the value d(a, b, input) of
// the partial derivative at the two scalars that produced out[i].
template <class D>
auto broadcast_binary_jacobian(D d) {
  return [d](std::span<const Tensor> in, const Tensor& out, const Attrs&, std::size_t input) {
    const auto src_a = broadcast_sources(in[0].shape(), out.shape());
    const auto src_b = broadcast_sources(in[1].shape(), out.shape());
    const auto& src = input == 0 ? src_a : src_b;
    return fill_jacobian(out.numel(), in[input].numel(), out.dtype(), [&](auto& j) {
      using T = typename std::decay_t<decltype(j)>::Scalar;
      const T* pa = in[0].template data<T>();
      const T* pb = in[1].template data<T>();
      for (std::size_t i = 0; i < src.size(); ++i)
        j(static_cast<std::int64_t>(i), src[i]) = d(pa[src_a[i]], pb[src_b[i]], input);
    });
  };
}

// The [numel(kept), numel(in)] Jacobian of a sum over the axes where `kept` (in's shape with
// those axes at extent 1) is 1, times scale: out[o] = scale · Σ x[j] over the j that fold
// into o, so ∂out[o]/∂x[j] = scale there and 0 elsewhere.
Tensor sum_jacobian(const Shape& in, const Shape& kept, DType dtype, double scale);

}  // namespace dagrad::detail
