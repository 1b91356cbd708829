#include <dagrad/core/tensor.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <iomanip>
#include <ostream>
#include <sstream>

#include <dagrad/core/error.hpp>
#include <dagrad/core/node.hpp>
#include <dagrad/core/object_pool.hpp>
#include <dagrad/core/random.hpp>

namespace dagrad {

namespace {

std::shared_ptr<TensorImpl> make_impl(const Shape& shape, DType dtype, const char* who) {
  check_shape(shape, who);
  auto impl = make_pooled<TensorImpl>();
  impl->shape = shape;
  impl->dtype = dtype;
  const std::size_t bytes = static_cast<std::size_t>(numel(shape)) * dtype_size(dtype);
  try {
    impl->storage = make_pooled<Storage>(bytes);
  } catch (const std::bad_alloc&) {
    throw MemoryError(std::string(who) + ": out of memory for a tensor of shape " +
                      to_string(shape) + " " + dtype_name(dtype) + " (" + std::to_string(bytes) +
                      " bytes)");
  }
  return impl;
}

template <class Src>
Tensor from_span(const Shape& shape, std::span<const Src> values, DType dtype) {
  if (static_cast<std::int64_t>(values.size()) != numel(shape))
    throw ShapeError("tensor: " + std::to_string(values.size()) + " values do not fill shape " +
                     to_string(shape) + " (" + std::to_string(numel(shape)) + " elements)");
  Tensor t = Tensor::empty(shape, dtype);
  dispatch_any(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* out = t.data<T>();
    for (std::size_t i = 0; i < values.size(); ++i) out[i] = static_cast<T>(values[i]);
  });
  return t;
}

std::int64_t flat_index(const Shape& shape, std::initializer_list<std::int64_t> index) {
  if (index.size() != shape.size())
    throw ValueError("at: index of " + std::to_string(index.size()) +
                     " numbers for a tensor of shape " + to_string(shape));
  std::int64_t flat = 0;
  std::size_t axis = 0;
  for (std::int64_t i : index) {
    if (i < 0 || i >= shape[axis])
      throw ValueError("at: index " + std::to_string(i) + " is out of range for axis " +
                       std::to_string(axis) + " of shape " + to_string(shape));
    flat = flat * shape[axis] + i;
    ++axis;
  }
  return flat;
}

}  // namespace

Tensor Tensor::empty(const Shape& shape, DType dtype) {
  return Tensor(make_impl(shape, dtype, "tensor"));
}

Tensor Tensor::from_values(const Shape& shape, std::span<const double> values, DType dtype) {
  return from_span(shape, values, dtype);
}
Tensor Tensor::from_values(const Shape& shape, std::span<const float> values) {
  return from_span(shape, values, DType::f32);
}
Tensor Tensor::from_values(const Shape& shape, std::span<const std::int64_t> values) {
  return from_span(shape, values, DType::i64);
}

const TensorImpl& Tensor::checked() const {
  if (!impl_) throw GraphError("tensor: use of an undefined tensor");
  return *impl_;
}

const Shape& Tensor::shape() const {
  return checked().shape;
}
DType Tensor::dtype() const {
  return checked().dtype;
}

std::int64_t Tensor::size(std::int64_t axis) const {
  const Shape& s = shape();
  return s[normalize_axis(axis, s.size(), "size", s)];
}

template <class T>
T* Tensor::data() {
  const TensorImpl& impl = checked();
  if (impl.dtype != dtype_of<T>())
    throw DTypeError(std::string("data: the tensor is ") + dtype_name(impl.dtype) + ", not " +
                     dtype_name(dtype_of<T>()));
  return static_cast<T*>(impl_->storage->data());
}

template <class T>
const T* Tensor::data() const {
  return const_cast<Tensor*>(this)->data<T>();
}

template float* Tensor::data<float>();
template double* Tensor::data<double>();
template std::int64_t* Tensor::data<std::int64_t>();
template const float* Tensor::data<float>() const;
template const double* Tensor::data<double>() const;
template const std::int64_t* Tensor::data<std::int64_t>() const;

double Tensor::at(std::initializer_list<std::int64_t> index) const {
  const std::int64_t i = flat_index(shape(), index);
  return dispatch_any(dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    return static_cast<double>(data<T>()[i]);
  });
}

void Tensor::set(std::initializer_list<std::int64_t> index, double value) {
  const std::int64_t i = flat_index(shape(), index);
  dispatch_any(dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    data<T>()[i] = static_cast<T>(value);
  });
}

double Tensor::item() const {
  if (numel() != 1)
    throw ValueError("item: only a one-element tensor has an item, got shape " +
                     to_string(shape()));
  return dispatch_any(dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    return static_cast<double>(data<T>()[0]);
  });
}

std::vector<double> Tensor::to_vector() const {
  std::vector<double> out(static_cast<std::size_t>(numel()));
  dispatch_any(dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* p = data<T>();
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<double>(p[i]);
  });
  return out;
}

bool Tensor::requires_grad() const {
  return checked().requires_grad;
}

Tensor& Tensor::set_requires_grad(bool on) {
  checked();
  if (impl_->grad_fn)
    throw GraphError("set_requires_grad: only leaves can be marked; this tensor was computed by '" +
                     impl_->grad_fn->op->name + "' (use detach() for a new leaf)");
  if (on && !is_floating(impl_->dtype))
    throw DTypeError(std::string("set_requires_grad: only floating tensors can require grad, "
                                 "got ") +
                     dtype_name(impl_->dtype));
  impl_->requires_grad = on;
  return *this;
}

bool Tensor::is_leaf() const {
  return !checked().grad_fn;
}

Tensor Tensor::grad() const {
  const TensorImpl& impl = checked();
  return impl.grad ? Tensor(impl.grad) : Tensor();
}

void Tensor::set_grad(const Tensor& g) {
  checked();
  if (g.defined() && (g.shape() != shape() || g.dtype() != dtype()))
    throw ShapeError("set_grad: gradient " + to_string(g.shape()) + " " + dtype_name(g.dtype()) +
                     " does not match tensor " + to_string(shape()) + " " + dtype_name(dtype()));
  impl_->grad = g.impl_ptr();
}

void Tensor::zero_grad(bool set_to_none) {
  checked();
  if (!impl_->grad) return;
  if (set_to_none || impl_->grad->grad_fn) {
    impl_->grad.reset();
    return;
  }
  std::memset(impl_->grad->storage->data(), 0,
              static_cast<std::size_t>(numel()) * dtype_size(impl_->grad->dtype));
}

void Tensor::set_fused_update(std::shared_ptr<const FusedUpdate> update) {
  checked();
  if (update && (impl_->grad_fn || !impl_->requires_grad))
    throw GraphError("set_fused_update: only a leaf that requires grad can be updated by backward");
  impl_->fused_update = std::move(update);
}

const std::shared_ptr<const FusedUpdate>& Tensor::fused_update() const {
  return checked().fused_update;
}

Tensor& Tensor::retain_grad() {
  checked();
  if (!impl_->requires_grad) throw GraphError("retain_grad: the tensor does not require grad");
  if (impl_->grad_fn) impl_->retains_grad = true;  // leaves keep their grad anyway
  return *this;
}

const std::shared_ptr<Node>& Tensor::grad_fn() const {
  return checked().grad_fn;
}

HookHandle Tensor::register_hook(GradHook hook) {
  checked();
  if (!impl_->requires_grad)
    throw GraphError("register_hook: the tensor does not require grad, so no gradient reaches it");
  static std::atomic<std::uint64_t> next_id{1};
  const std::uint64_t id = next_id.fetch_add(1, std::memory_order_relaxed);
  impl_->hooks.emplace_back(id, std::move(hook));
  return HookHandle(impl_, id);
}

void HookHandle::remove() {
  if (auto impl = tensor_.lock())
    std::erase_if(impl->hooks, [this](const auto& h) { return h.first == id_; });
}

Tensor Tensor::detach() const {
  const TensorImpl& impl = checked();
  auto out = make_pooled<TensorImpl>();
  out->shape = impl.shape;
  out->dtype = impl.dtype;
  out->storage = impl.storage;
  out->name = impl.name;
  return Tensor(std::move(out));
}

Tensor Tensor::clone() const {
  const TensorImpl& impl = checked();
  Tensor out = empty(impl.shape, impl.dtype);
  std::memcpy(out.impl_->storage->data(), impl.storage->data(),
              static_cast<std::size_t>(numel()) * dtype_size(impl.dtype));
  out.impl_->name = impl.name;
  return out;
}

Tensor Tensor::to(DType target) const {
  if (dtype() == target) return *this;
  Tensor out = empty(shape(), target);
  dispatch_any(dtype(), [&](auto src_tag) {
    using S = typename decltype(src_tag)::type;
    dispatch_any(target, [&](auto dst_tag) {
      using D = typename decltype(dst_tag)::type;
      const S* s = data<S>();
      D* d = out.data<D>();
      for (std::int64_t i = 0, n = numel(); i < n; ++i) d[i] = static_cast<D>(s[i]);
    });
  });
  return out;
}

const std::string& Tensor::name() const {
  return checked().name;
}

Tensor& Tensor::set_name(std::string name) {
  checked();
  impl_->name = std::move(name);
  return *this;
}

// ---- construction helpers ----

namespace {

void flatten_nested(const Nested& n, std::size_t depth, Shape& shape, std::vector<double>& out,
                    bool& shape_known) {
  if (n.is_scalar()) {
    if (shape_known && depth != shape.size())
      throw ShapeError("tensor: nested lists are ragged (a number where a list was expected)");
    if (!shape_known) shape_known = true;
    out.push_back(n.scalar());
    return;
  }
  const auto& items = n.items();
  if (!shape_known) {
    if (depth == shape.size()) shape.push_back(static_cast<std::int64_t>(items.size()));
  }
  if (depth >= shape.size() || shape[depth] != static_cast<std::int64_t>(items.size()))
    throw ShapeError("tensor: nested lists are ragged (lists of different lengths at depth " +
                     std::to_string(depth) + ")");
  if (items.empty()) {
    shape_known = true;
    return;
  }
  for (const Nested& item : items) flatten_nested(item, depth + 1, shape, out, shape_known);
}

}  // namespace

Tensor tensor(const Nested& values, DType dtype) {
  Shape shape;
  std::vector<double> flat;
  bool shape_known = false;
  flatten_nested(values, 0, shape, flat, shape_known);
  return Tensor::from_values(shape, flat, dtype);
}

Tensor full(const Shape& shape, double value, DType dtype) {
  Tensor t = Tensor::empty(shape, dtype);
  dispatch_any(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    std::fill_n(t.data<T>(), t.numel(), static_cast<T>(value));
  });
  return t;
}

Tensor zeros(const Shape& shape, DType dtype) {
  return full(shape, 0.0, dtype);
}
Tensor ones(const Shape& shape, DType dtype) {
  return full(shape, 1.0, dtype);
}
Tensor scalar(double value, DType dtype) {
  return full({}, value, dtype);
}

Tensor arange(double stop, DType dtype) {
  return arange(0.0, stop, 1.0, dtype);
}

Tensor arange(double start, double stop, double step, DType dtype) {
  if (step == 0 || !std::isfinite(start) || !std::isfinite(stop) || !std::isfinite(step))
    throw ValueError("arange: start, stop and step must be finite and step non-zero");
  const double count = std::ceil((stop - start) / step);
  const auto n = static_cast<std::int64_t>(std::max(0.0, count));
  Tensor t = Tensor::empty({n}, dtype);
  dispatch_any(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* p = t.data<T>();
    for (std::int64_t i = 0; i < n; ++i)
      p[i] = static_cast<T>(start + static_cast<double>(i) * step);
  });
  return t;
}

Tensor randn(const Shape& shape, Generator& gen, DType dtype) {
  Tensor t = Tensor::empty(shape, dtype);
  dispatch_floating(dtype, "randn", [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* p = t.data<T>();
    for (std::int64_t i = 0, n = t.numel(); i < n; ++i) p[i] = static_cast<T>(gen.normal());
  });
  return t;
}

Tensor randn(const Shape& shape, std::uint64_t seed, DType dtype) {
  Generator gen(seed);
  return randn(shape, gen, dtype);
}

Tensor uniform(const Shape& shape, double low, double high, Generator& gen, DType dtype) {
  if (!(low <= high))
    throw ValueError("uniform: low must not exceed high (got " + std::to_string(low) + " and " +
                     std::to_string(high) + ")");
  Tensor t = Tensor::empty(shape, dtype);
  dispatch_floating(dtype, "uniform", [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* p = t.data<T>();
    for (std::int64_t i = 0, n = t.numel(); i < n; ++i)
      p[i] = static_cast<T>(gen.uniform(low, high));
  });
  return t;
}

Tensor uniform(const Shape& shape, double low, double high, std::uint64_t seed, DType dtype) {
  Generator gen(seed);
  return uniform(shape, low, high, gen, dtype);
}

// ---- printing ----

namespace {

constexpr std::int64_t kSummariseOver = 1000;  // elements, as NumPy's threshold
constexpr std::int64_t kEdgeItems = 3;

void print_values(std::ostream& os, const std::vector<double>& v, const Shape& shape,
                  const std::vector<std::int64_t>& strides, std::size_t axis, std::int64_t offset,
                  bool summarise, bool integral) {
  if (axis == shape.size()) {
    const double x = v[static_cast<std::size_t>(offset)];
    if (integral) {
      os << static_cast<long long>(x);
    } else if (std::isnan(x)) {
      os << "nan";
    } else if (std::isinf(x)) {
      os << (x > 0 ? "inf" : "-inf");
    } else {
      std::ostringstream s;
      s << std::setprecision(6) << x;
      os << s.str();
    }
    return;
  }
  os << '[';
  const std::int64_t n = shape[axis];
  for (std::int64_t i = 0; i < n; ++i) {
    if (summarise && n > 2 * kEdgeItems && i == kEdgeItems) {
      os << "..., ";
      i = n - kEdgeItems;
    }
    print_values(os, v, shape, strides, axis + 1, offset + i * strides[axis], summarise, integral);
    if (i + 1 < n) os << ", ";
  }
  os << ']';
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
  if (!t.defined()) return os << "tensor(undefined)";
  os << "tensor(";
  print_values(os, t.to_vector(), t.shape(), contiguous_strides(t.shape()), 0, 0,
               t.numel() > kSummariseOver, t.dtype() == DType::i64);
  os << ", shape=" << to_string(t.shape()) << ", dtype=" << dtype_name(t.dtype());
  if (t.requires_grad()) os << ", requires_grad=true";
  if (!t.name().empty()) os << ", name=\"" << t.name() << '"';
  return os << ')';
}

}  // namespace dagrad
