// The recorded DAG as a Boost.Graph, built in one place: backward orders and walks it, and
// to_dot / render label and draw the very same graph, so the picture is what is differentiated.
#pragma once

#include <span>
#include <vector>

#include <dagrad/core/pointer_map.hpp>
#include <dagrad/core/tensor.hpp>
#include <dagrad/graph/dag.hpp>

namespace dagrad {

struct Node;

// Note: Boost's adjacency_list has no move constructor or move assignment (only copies and
// swap), so a RecordedGraph is built in place and its dag handed on with swap().
struct RecordedGraph {
  explicit RecordedGraph(std::size_t vertices) : dag(vertices) {}

  // Edges run from an input's vertex to its consumer's, labelled with the input slot.
  graph::Dag dag;
  // By vertex: the op node it stands for, or nullptr for a leaf vertex.
  std::vector<Node*> nodes;
  // By vertex: the leaf tensor (one of the nodes' inputs) or nullptr for an op vertex.
  std::vector<const Tensor*> leaves;

  // The vertex of a node, or (when leaves were collected) of a leaf's TensorImpl;
  // PointerMap::kAbsent when it is not in the graph.
  graph::Vertex vertex_of(const void* node_or_impl) const { return index.find(node_or_impl); }

  PointerMap index;
};

// Every node reachable from the roots' grad_fns, numbered in creation order (so an input's vertex
// always comes before its consumer's and the numbering is deterministic). With with_leaves, every
// leaf tensor the nodes read gets a vertex too, numbered just before its first consumer. Iterative:
// a 1,000,000-node chain is fine.
RecordedGraph record_graph(std::span<const Tensor> roots, bool with_leaves);

}  // namespace dagrad
