// The engine: applying an op (and recording it), and back-propagating through what was recorded.
#pragma once

#include <span>
#include <vector>

#include <dagrad/core/attrs.hpp>
#include <dagrad/core/op.hpp>
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// Runs op on inputs: checks them (arity, defined, shape rule), computes the forward value, and,
// when grad mode is on and some input requires grad, records a node in the DAG. Every op, built
// in or user-registered, goes through here.
Tensor apply(const OpDef& op, std::vector<Tensor> inputs, Attrs attrs = {});

// Looks the op up in the registry by name, then applies it.
Tensor apply(const std::string& op_name, std::vector<Tensor> inputs, Attrs attrs = {});

struct GradOptions {
  std::vector<Tensor> grad_outputs{};  // one per output; undefined = ones for a scalar output
  bool retain_graph = false;
  bool create_graph = false;
  bool allow_unused = false;  // otherwise an input the outputs do not depend on is a GraphError
};

// Functional gradients (like torch.autograd.grad): d(sum of outputs·grad_outputs)/d(inputs),
// returned rather than accumulated into grad(). An unused input gives an undefined tensor
// when allow_unused, a GraphError otherwise.
std::vector<Tensor> grad(std::span<const Tensor> outputs, std::span<const Tensor> inputs,
                         const GradOptions& options = {});
Tensor grad(const Tensor& output, const Tensor& input, const GradOptions& options = {});

// Number of nodes reachable from t's grad_fn (0 for a leaf).
std::size_t graph_size(const Tensor& t);

}  // namespace dagrad
