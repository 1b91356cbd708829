// The Op interface: everything the engine, the graph exporter and the CLI know about an op.
// Each built-in op fills one OpDef in its own file under ops/; users fill their own the same way
// and register it (see registry.hpp).
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include <dagrad/core/attrs.hpp>
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// What an op's shape rule returns: the output's shape and dtype.
struct TensorMeta {
  Shape shape;
  DType dtype = DType::f32;
};

// What a derivative receives. inputs and output are the recorded tensors themselves (with their
// own graph), so a derivative written with dagrad ops is itself differentiable.
struct VjpArgs {
  std::span<const Tensor> inputs;
  const Tensor& output;
  const Tensor& grad_output;  // same shape as output
  const Attrs& attrs;
  std::span<const bool> needs_grad;  // needs_grad[i]: input i wants a gradient; skip the others
};

struct OpDef {
  // The op's name: its DOT label and the name the CLI's expression language calls.
  std::string name;
  // How many inputs it takes: [min_inputs, max_inputs]; max_inputs < 0 means any number.
  int min_inputs = 1;
  int max_inputs = 1;
  // Shape rule: validates inputs and attrs, returns the output's meta. Throws ShapeError or
  // DTypeError whose message starts with the op's name. Runs before forward.
  std::function<TensorMeta(std::span<const Tensor>, const Attrs&)> infer;
  // Forward kernel: computes the output (Eigen over the inputs' storage). May return a view.
  std::function<Tensor(std::span<const Tensor>, const Attrs&)> forward;
  // Derivative: one gradient per input, each of that input's shape, written with dagrad ops.
  // An undefined Tensor means "no gradient" (non-differentiable input, or not needed).
  // Left empty for ops that are not differentiable (argmax).
  std::function<std::vector<Tensor>(const VjpArgs&)> vjp;
  // Optional, for speed: adds scale · (the gradient of input `input`) into `into`, a buffer of
  // that input's shape and dtype, without materialising the gradient (matmul: one GEMM with
  // β = 1). Returns false when it cannot for these shapes; the engine then uses vjp. Never
  // recorded: the engine calls it only for a leaf with a fused update (Note [Fused updates]).
  std::function<bool(const VjpArgs&, std::size_t input, Tensor& into, double scale)> accumulate_vjp;
  // Closed-form Jacobian of the output with respect to floating input `input`, as a dense
  // [output.numel(), input.numel()] matrix (row-major flattening of both), written from the
  // math rather than from the vjp (element-wise: a diagonal; softmax: diag(S) − S Sᵀ per
  // slice; matmul: I ⊗ Bᵀ and A ⊗ I), so the two can be checked against each other. Every
  // differentiable built-in op has one (tests/autodiff/op_jacobian_test.cpp holds that); for a
  // user's op it is optional, and op_jacobian() assembles the matrix from the vjp without it.
  std::function<Tensor(std::span<const Tensor> inputs, const Tensor& output, const Attrs&,
                       std::size_t input)>
      jacobian;
  // DOT label; defaults to "name" or "name(attrs)".
  std::function<std::string(const Attrs&)> label;
  // Names of the attributes the CLI may pass as keywords (e.g. {"axis"}).
  std::vector<std::string> keywords;
  // One line for help texts: what it computes.
  std::string doc;
};

std::string op_label(const OpDef& op, const Attrs& attrs);

// The explicit Jacobian [output.numel(), inputs[input].numel()] of op at a point: the op's own
// closed form when it has one, else assembled row by row from its vjp. Not recorded.
Tensor op_jacobian(const OpDef& op, std::span<const Tensor> inputs, const Attrs& attrs,
                   std::size_t input);

// The same, always assembled from the vjp (what the closed form is checked against).
Tensor op_jacobian_from_vjp(const OpDef& op, std::span<const Tensor> inputs, const Attrs& attrs,
                            std::size_t input);

}  // namespace dagrad
