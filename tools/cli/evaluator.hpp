// Runs a parsed program with the engine: every operator and call goes through
// dagrad::apply(op, inputs, attrs), so built-in and user-registered ops are treated alike.
//
// Names: a statement `name = expr` binds name to the tensor expr produced (the same graph node
// wherever it is used afterwards); a later statement may rebind it. A name not bound (yet) refers
// to the input of that name.
//
// grad(EXPR, NAME) is the language's own function (not an op of the registry): the gradient of
// the scalar EXPR with respect to the input or bound name NAME, with the graph of that gradient
// recorded, so it can be differentiated again. A program that calls grad records the graph from
// every floating input.
//
// Input dtypes: every input is a floating tensor of the program's dtype, except where it is
// passed, directly by name, as integer labels: the second argument of cross_entropy and
// nll_loss, the first of one_hot. There the same values are given as an int64 tensor (ValueError
// if one is not an integer).
#pragma once

#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <dagrad/core/tensor.hpp>

#include "ast.hpp"
#include "json_io.hpp"

namespace dagrad::cli {

struct NamedInput {
  std::string name;
  InputValue value;
};

class Evaluator {
 public:
  // `requires_grad`: names of the inputs whose floating tensors record the graph (leaves that
  // will receive gradients).
  Evaluator(std::vector<NamedInput> inputs, DType dtype,
            const std::vector<std::string>& requires_grad);

  // Inputs given as tensors, used as they are (so gradients flow back to them): a floating
  // tensor is the input's floating leaf; an int64 tensor is its labels (and, converted to
  // `dtype`, a constant where it is used as a number). Used by gradcheck, which calls the
  // program on its own leaves.
  Evaluator(const std::vector<std::string>& names, std::span<const Tensor> tensors, DType dtype);

  // With `on`, every tensor the program computes keeps its gradient after backward
  // (retain_grad), so that an exported graph can show gradients on every node.
  void retain_grads(bool on) { retain_grads_ = on; }

  // Runs every statement and returns the output. Throws ProgramError, whose message is the
  // engine's (or "unknown name 'z'"), located at the failing node.
  Tensor run(const Program& program);

  // The floating leaf of an input (nullptr when there is no such input).
  const Tensor* input(const std::string& name) const;
  // The int64 labels of an input, built when it was used as labels (nullptr otherwise).
  const Tensor* labels(const std::string& name) const;
  // Whether the input was used as integer labels somewhere.
  bool used_as_labels(const std::string& name) const;
  // The tensor a name was last bound to by the program (nullptr when it was never bound).
  const Tensor* binding(const std::string& name) const;
  const std::vector<std::string>& input_names() const { return names_; }

 private:
  struct Leaf {
    std::string name;
    InputValue value;
    Tensor floating;
    Tensor labels;  // built on first use as labels
  };
  Tensor evaluate(const Program& program, const Node& node, const std::vector<Tensor>& values,
                  NodeId first);
  Tensor call(const Program& program, const Node& node, const std::vector<Tensor>& values,
              NodeId first);
  // grad(EXPR, NAME): d EXPR / d NAME for a scalar EXPR, recorded so it is differentiable.
  Tensor grad_call(const Program& program, const Node& node, const std::vector<Tensor>& values,
                   NodeId first);
  void record_grad_targets(const Program& program);
  Tensor as_labels(const Tensor& t);

  DType dtype_;
  bool retain_grads_ = false;
  std::vector<std::string> names_;
  std::unordered_map<std::string, Leaf> leaves_;
  std::unordered_map<const TensorImpl*, Leaf*> leaf_of_;
  std::unordered_map<std::string, Tensor> bindings_;
  // Per symbol of the running program: its current tensor (an input or a binding).
  std::vector<Tensor> scope_;
  // Per symbol of the running program: whether it is the NAME of some grad(EXPR, NAME).
  std::vector<bool> grad_target_;
};

}  // namespace dagrad::cli
