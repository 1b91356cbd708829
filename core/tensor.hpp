// Tensor: a cheap-to-copy handle to an N-dimensional, contiguous, row-major array of float32
// (default), float64 or int64, plus its autograd state. Copies share data and graph, as in
// PyTorch; clone() copies the data.
//
// Ops (matmul, sigmoid, +, ...) are free functions declared in <dagrad/ops/ops.hpp>.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include <dagrad/core/dtype.hpp>
#include <dagrad/core/shape.hpp>
#include <dagrad/core/storage.hpp>

namespace dagrad {

struct Node;
class Tensor;
class Generator;

// A gradient hook: sees the gradient arriving at a tensor during backward and may replace it
// (return a tensor of the same shape) or leave it (return an undefined Tensor).
using GradHook = std::function<Tensor(const Tensor& grad)>;

// Note [Fused updates]
// A leaf with a FusedUpdate is updated by backward() itself, p ← decay · p + scale · ∇p, as soon
// as its gradient is known, and its gradient is not stored in grad(): plain SGD fused into the
// backward pass (nn::SGD::fuse_into_backward sets scale = −lr, decay = 1 − lr · weight_decay).
// It saves writing each gradient and reading it back, and when the leaf feeds a single op that
// can add its derivative straight into a buffer (OpDef::accumulate_vjp: matmul, one GEMM with
// β = 1) the gradient is never materialised at all. Functional grad(), create_graph and hooks
// see ordinary gradients; the update then waits for step() as usual.
struct FusedUpdate {
  double scale = 0;
  double decay = 1;
};

// Shared state behind a Tensor handle. Library code uses it through Tensor.
struct TensorImpl {
  Shape shape;
  DType dtype = DType::f32;
  std::shared_ptr<Storage> storage;
  bool requires_grad = false;
  bool retains_grad = false;
  std::shared_ptr<TensorImpl> grad;  // accumulated gradient (leaves, or retain_grad)
  std::shared_ptr<Node> grad_fn;     // the node that produced this tensor; null for leaves
  std::string name;                  // display name for DOT and messages
  std::vector<std::pair<std::uint64_t, GradHook>> hooks;  // run in registration order
  std::shared_ptr<const FusedUpdate> fused_update;        // Note [Fused updates]
};

// Removes a hook registered with Tensor::register_hook; harmless if the tensor is gone.
class HookHandle {
 public:
  HookHandle() = default;
  HookHandle(std::weak_ptr<TensorImpl> tensor, std::uint64_t id)
      : tensor_(std::move(tensor)), id_(id) {}
  void remove();

 private:
  std::weak_ptr<TensorImpl> tensor_;
  std::uint64_t id_ = 0;
};

// A nested list of numbers, for writing tensors in code: tensor({{1, 2}, {3, 4}}).
class Nested {
 public:
  Nested(double v) : value_(v) {}  // NOLINT: implicit on purpose
  Nested(std::initializer_list<Nested> items) : value_(std::vector<Nested>(items)) {}
  bool is_scalar() const { return std::holds_alternative<double>(value_); }
  double scalar() const { return std::get<double>(value_); }
  const std::vector<Nested>& items() const { return std::get<std::vector<Nested>>(value_); }

 private:
  std::variant<double, std::vector<Nested>> value_;
};

class Tensor {
 public:
  Tensor() = default;  // undefined: defined() is false
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  // Uninitialised storage of the given shape; library kernels fill it.
  static Tensor empty(const Shape& shape, DType dtype = DType::f32);
  // Values given flat in row-major order; throws ShapeError if the count does not match.
  static Tensor from_values(const Shape& shape, std::span<const double> values,
                            DType dtype = DType::f32);
  static Tensor from_values(const Shape& shape, std::span<const float> values);
  static Tensor from_values(const Shape& shape, std::span<const std::int64_t> values);

  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const;
  std::size_t dim() const { return shape().size(); }
  std::int64_t size(std::int64_t axis) const;  // negative axes count from the end
  std::int64_t numel() const { return dagrad::numel(shape()); }
  DType dtype() const;

  // Raw storage; T must match dtype() (DTypeError otherwise).
  template <class T>
  T* data();
  template <class T>
  const T* data() const;

  // Element access by full index, bounds-checked (ValueError); values as double.
  double at(std::initializer_list<std::int64_t> index) const;
  void set(std::initializer_list<std::int64_t> index, double value);
  // The single value of a one-element tensor (ValueError otherwise).
  double item() const;
  // All values, row-major, as double.
  std::vector<double> to_vector() const;

  // Autograd state.
  bool requires_grad() const;
  // Marks a leaf as a parameter; GraphError on a non-leaf. Returns *this for chaining.
  Tensor& set_requires_grad(bool on = true);
  bool is_leaf() const;
  Tensor grad() const;  // undefined when no gradient has arrived
  void set_grad(const Tensor& g);
  // Clears the gradient (set_to_none) or fills it with zeros, keeping its buffer.
  void zero_grad(bool set_to_none = true);
  // Keeps the gradient of a non-leaf in grad() after backward.
  Tensor& retain_grad();
  const std::shared_ptr<Node>& grad_fn() const;
  // Runs hook on the total gradient reaching this tensor in each backward pass, before it is
  // accumulated into grad() (leaves) or passed on (non-leaves). GraphError unless the tensor
  // requires grad.
  HookHandle register_hook(GradHook hook);
  // Has backward() update this leaf in place instead of storing its gradient (Note [Fused
  // updates]); the update is read at each backward, so its owner may change it. nullptr turns it
  // off. GraphError unless the tensor is a leaf that requires grad.
  void set_fused_update(std::shared_ptr<const FusedUpdate> update);
  const std::shared_ptr<const FusedUpdate>& fused_update() const;

  // Back-propagates from this tensor. A non-scalar needs an explicit upstream gradient of its
  // shape (GraphError otherwise). Gradients accumulate into grad() of leaves that require
  // them. Without retain_graph the graph is released and a second backward() through it is a
  // GraphError. With create_graph the backward pass is recorded (gradients of gradients) and
  // the graph is retained, as in PyTorch. As there, a leaf's recorded gradient refers to a
  // graph that refers to the leaf: a reference cycle, freed once the gradient is reset
  // (zero_grad(true) or set_grad(Tensor())). grad(..., {.create_graph = true}) returns the
  // gradient instead of storing it and makes no cycle.
  void backward(const Tensor& grad_output = Tensor(), bool retain_graph = false,
                bool create_graph = false) const;

  // Same data, no graph: the result is a leaf that does not require grad.
  Tensor detach() const;
  // A deep copy of the data, as a new leaf (no graph, requires_grad false).
  Tensor clone() const;
  // Converted copy (or *this when dtype already matches); not recorded in the graph.
  Tensor to(DType dtype) const;

  const std::string& name() const;
  Tensor& set_name(std::string name);

  // Identity of the shared state: two handles are the same tensor when these are equal.
  TensorImpl* impl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }

 private:
  const TensorImpl& checked() const;
  std::shared_ptr<TensorImpl> impl_;
};

// Construction helpers, all leaves with requires_grad false.
Tensor tensor(const Nested& values, DType dtype = DType::f32);
Tensor zeros(const Shape& shape, DType dtype = DType::f32);
Tensor ones(const Shape& shape, DType dtype = DType::f32);
Tensor full(const Shape& shape, double value, DType dtype = DType::f32);
Tensor scalar(double value, DType dtype = DType::f32);
// [start, start+step, ...) up to stop, exclusive.
Tensor arange(double stop, DType dtype = DType::f32);
Tensor arange(double start, double stop, double step = 1.0, DType dtype = DType::f32);
// Standard normal / uniform in [low, high), from a seeded generator (same seed, same values).
Tensor randn(const Shape& shape, Generator& gen, DType dtype = DType::f32);
Tensor randn(const Shape& shape, std::uint64_t seed, DType dtype = DType::f32);
Tensor uniform(const Shape& shape, double low, double high, Generator& gen,
               DType dtype = DType::f32);
Tensor uniform(const Shape& shape, double low, double high, std::uint64_t seed,
               DType dtype = DType::f32);

// tensor([[1, 2], [3, 4]], shape=[2,2], dtype=float32, requires_grad=true); long tensors are
// abbreviated with "..." (first and last three along each axis), as NumPy and PyTorch do.
std::ostream& operator<<(std::ostream& os, const Tensor& t);

}  // namespace dagrad
