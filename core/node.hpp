// A node of the recorded DAG: one application of an op to tensors that need gradients.
// The output tensor owns its node (TensorImpl::grad_fn); the node owns its inputs, and through
// them the rest of the graph, so a graph lives exactly as long as some tensor still uses it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <dagrad/core/attrs.hpp>
#include <dagrad/core/op.hpp>
#include <dagrad/core/tensor.hpp>

namespace dagrad {

struct Node {
  const OpDef* op = nullptr;
  std::vector<Tensor> inputs;
  Attrs attrs;
  // Weak: the output owns this node. Alive during backward, because every output in the graph
  // is either the root or an input of a later node.
  std::weak_ptr<TensorImpl> output;
  TensorMeta output_meta;      // kept for DOT when the output itself is gone
  std::string scope;           // named scope at creation ("fc1"), drawn as a DOT cluster
  std::uint64_t sequence = 0;  // creation order; ties in orderings break on it
  bool released = false;       // set by backward() without retain_graph
  bool anomalous = false;      // where anomaly mode found a NaN/Inf (drawn red)

  Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  ~Node();
};

}  // namespace dagrad
