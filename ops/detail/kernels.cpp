#include <dagrad/ops/detail/kernels.hpp>

#include <algorithm>

#include <dagrad/core/object_pool.hpp>

namespace dagrad::detail {

DType floating_dtype(std::span<const Tensor> inputs, const char* op) {
  const DType d = inputs[0].dtype();
  for (const Tensor& t : inputs) {
    if (!is_floating(t.dtype()))
      throw DTypeError(std::string(op) + ": expected floating tensors (float32 or float64), got " +
                       dtype_name(t.dtype()));
    if (t.dtype() != d)
      throw DTypeError(std::string(op) + ": inputs have different dtypes (" + dtype_name(d) +
                       " and " + dtype_name(t.dtype()) + "); convert one with .to()");
  }
  return d;
}

TensorMeta same_as_input(std::span<const Tensor> inputs, const char* op) {
  return {inputs[0].shape(), floating_dtype(inputs, op)};
}

TensorMeta broadcast_meta(std::span<const Tensor> inputs, const char* op) {
  const DType d = floating_dtype(inputs, op);
  return {broadcast_shapes(inputs[0].shape(), inputs[1].shape(), op), d};
}

BroadcastPlan plan_broadcast(const Shape& a, const Shape& b, const Shape& out) {
  const std::size_t rank = out.size();
  BroadcastPlan p;
  // Strides of each operand over the output's dimensions; 0 where it is broadcast.
  std::vector<std::int64_t> sa(rank, 0), sb(rank, 0);
  std::int64_t acc_a = 1, acc_b = 1;
  for (std::size_t i = rank; i-- > 0;) {
    const std::size_t ia = i + a.size() - rank, ib = i + b.size() - rank;
    const bool has_a = i + a.size() >= rank, has_b = i + b.size() >= rank;
    const std::int64_t da = has_a ? a[ia] : 1, db = has_b ? b[ib] : 1;
    sa[i] = (da == 1 && out[i] != 1) ? 0 : acc_a;
    sb[i] = (db == 1 && out[i] != 1) ? 0 : acc_b;
    acc_a *= da;
    acc_b *= db;
  }
  // Merge dimension i into i+1 when both operands step through them as one.
  for (std::size_t i = 0; i < rank; ++i) {
    if (out[i] == 1 && rank > 1) continue;  // extent-1 dimensions add nothing
    if (!p.shape.empty()) {
      const std::size_t j = p.shape.size() - 1;
      const bool merge_a = p.stride_a[j] == sa[i] * out[i];
      const bool merge_b = p.stride_b[j] == sb[i] * out[i];
      if (merge_a && merge_b) {
        p.shape[j] *= out[i];
        p.stride_a[j] = sa[i];
        p.stride_b[j] = sb[i];
        continue;
      }
    }
    p.shape.push_back(out[i]);
    p.stride_a.push_back(sa[i]);
    p.stride_b.push_back(sb[i]);
  }
  if (p.shape.empty()) {
    p.shape = {1};
    p.stride_a = {1};
    p.stride_b = {1};
  }
  return p;
}

std::vector<int> normalize_axes(const std::vector<std::int64_t>& axes, const Shape& shape,
                                const char* op) {
  std::vector<int> out;
  if (axes.empty()) {
    for (std::size_t i = 0; i < shape.size(); ++i) out.push_back(static_cast<int>(i));
    return out;
  }
  for (std::int64_t a : axes) out.push_back(normalize_axis(a, shape.size(), op, shape));
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end())
    throw ShapeError(std::string(op) + ": an axis is repeated in the axis list for shape " +
                     to_string(shape));
  return out;
}

Shape reduced_shape(const Shape& shape, const std::vector<int>& axes, bool keepdim) {
  Shape out;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const bool reduced = std::binary_search(axes.begin(), axes.end(), static_cast<int>(i));
    if (!reduced)
      out.push_back(shape[i]);
    else if (keepdim)
      out.push_back(1);
  }
  return out;
}

AxisView axis_view(const Shape& shape, int axis) {
  AxisView v;
  for (int i = 0; i < static_cast<int>(shape.size()); ++i) {
    if (i < axis)
      v.outer *= shape[i];
    else if (i == axis)
      v.extent = shape[i];
    else
      v.inner *= shape[i];
  }
  return v;
}

namespace {

// Sums the contiguous run of axes [first, last] of x (given as its current shape).
template <class T>
Tensor sum_run(const Tensor& x, int first, int last) {
  Shape s = x.shape();
  std::int64_t outer = 1, extent = 1, inner = 1;
  for (int i = 0; i < static_cast<int>(s.size()); ++i) {
    if (i < first)
      outer *= s[i];
    else if (i <= last)
      extent *= s[i];
    else
      inner *= s[i];
  }
  for (int i = first; i <= last; ++i) s[i] = 1;
  Tensor out = Tensor::empty(s, x.dtype());
  const T* px = x.data<T>();
  T* po = out.data<T>();
  if (inner == 1) {
    parallel_chunks(outer, extent, [&](std::int64_t begin, std::int64_t end) {
      MatMap<T>(po + begin, end - begin, 1) =
          ConstMatMap<T>(px + begin * extent, end - begin, extent).rowwise().sum();
    });
  } else {
    // Split by columns: each thread adds up the rows of its columns in every block (a bias
    // gradient is one block of batch × features). Row after row, so every column is summed in
    // the same order however the columns are split, and results do not depend on the threads.
    parallel_chunks(inner, outer * extent, [&](std::int64_t begin, std::int64_t end) {
      const std::int64_t len = end - begin;
      for (std::int64_t o = 0; o < outer; ++o) {
        const T* block = px + o * extent * inner + begin;
        VecMap<T> acc(po + o * inner + begin, len);
        if (extent == 0) {  // an empty sum
          acc.setZero();
          continue;
        }
        acc = ConstVecMap<T>(block, len);
        for (std::int64_t r = 1; r < extent; ++r) acc += ConstVecMap<T>(block + r * inner, len);
      }
    });
  }
  return out;
}

}  // namespace

Tensor sum_kernel(const Tensor& x, const std::vector<int>& axes) {
  return dispatch_floating(x.dtype(), "sum", [&](auto tag) {
    using T = typename decltype(tag)::type;
    if (axes.empty()) return x.clone();
    Tensor cur = x;
    // Reduce each maximal run of consecutive axes, last run first.
    std::size_t end = axes.size();
    while (end > 0) {
      std::size_t begin = end - 1;
      while (begin > 0 && axes[begin - 1] + 1 == axes[begin]) --begin;
      cur = sum_run<T>(cur, axes[begin], axes[end - 1]);
      end = begin;
    }
    return cur;
  });
}

Tensor view_as(const Tensor& x, const Shape& shape) {
  auto impl = make_pooled<TensorImpl>();
  impl->shape = shape;
  impl->dtype = x.dtype();
  impl->storage = x.impl()->storage;
  return Tensor(std::move(impl));
}

std::vector<std::int64_t> axes_attr(const Attrs& attrs) {
  if (!attrs.has("axis")) return {};
  for (const auto& [k, v] : attrs.items())
    if (k == "axis") {
      if (const auto* one = std::get_if<std::int64_t>(&v)) return {*one};
      if (const auto* list = std::get_if<std::vector<std::int64_t>>(&v)) return *list;
    }
  throw GraphError("attribute 'axis' must be an integer or a list of integers");
}

}  // namespace dagrad::detail

namespace dagrad::detail {

Tensor broadcast_kernel(const Tensor& x, const Shape& shape) {
  Tensor out = Tensor::empty(shape, x.dtype());
  if (out.numel() == 0) return out;
  dispatch_any(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const BroadcastPlan p = plan_broadcast(x.shape(), shape, shape);
    const std::size_t rank = p.shape.size();
    const std::int64_t inner = p.shape[rank - 1];
    const bool contiguous_inner = p.stride_a[rank - 1] != 0;
    const T* px = x.data<T>();
    T* po = out.data<T>();
    std::vector<std::int64_t> counter(rank, 0);
    std::int64_t off = 0;
    for (std::int64_t o = 0, n = out.numel(); o < n; o += inner) {
      if (contiguous_inner)
        std::copy_n(px + off, inner, po + o);
      else
        std::fill_n(po + o, inner, px[off]);
      for (std::size_t d = rank - 1; d-- > 0;) {
        off += p.stride_a[d];
        if (++counter[d] < p.shape[d]) break;
        off -= p.stride_a[d] * p.shape[d];
        counter[d] = 0;
      }
    }
  });
  return out;
}

std::vector<std::int64_t> broadcast_sources(const Shape& from, const Shape& to) {
  const std::size_t rank = to.size(), lead = rank - from.size();
  // from's stride along each dimension of to: 0 where from is missing or broadcast.
  std::vector<std::int64_t> stride(rank, 0);
  std::int64_t acc = 1;
  for (std::size_t d = from.size(); d-- > 0;) {
    if (from[d] != 1) stride[d + lead] = acc;
    acc *= from[d];
  }
  std::vector<std::int64_t> src(static_cast<std::size_t>(numel(to)));
  std::vector<std::int64_t> counter(rank, 0);
  std::int64_t off = 0;
  for (std::size_t i = 0; i < src.size(); ++i) {
    src[i] = off;
    for (std::size_t d = rank; d-- > 0;) {  // odometer over to's index
      off += stride[d];
      if (++counter[d] < to[d]) break;
      off -= stride[d] * to[d];
      counter[d] = 0;
    }
  }
  return src;
}

Tensor sum_jacobian(const Shape& in, const Shape& kept, DType dtype, double scale) {
  const auto dst = broadcast_sources(kept, in);
  return fill_jacobian(numel(kept), numel(in), dtype, [&](auto& j) {
    using T = typename std::decay_t<decltype(j)>::Scalar;
    for (std::size_t x = 0; x < dst.size(); ++x)
      j(dst[x], static_cast<std::int64_t>(x)) = static_cast<T>(scale);
  });
}

}  // namespace dagrad::detail
