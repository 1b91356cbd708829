// The recorded DAG, collected in one place: its vertices and edges, from which backward builds the
// Boost graph it orders and walks, and to_dot / render the Boost graph they label and draw; the
// same vertices and edges either way, so the picture is what is differentiated.
#pragma once

#include <span>
#include <vector>

#include <dagrad/core/pointer_map.hpp>
#include <dagrad/core/tensor.hpp>
#include <dagrad/graph/dag.hpp>

namespace dagrad {

struct Node;

// Vertices are numbered in creation order; the edges are kept as a list (consumer, then slot
// order) from which each user builds the Boost graph it needs: backward a bare graph::Topology
// to order, to_dot a labelled graph::Dag to draw; the same vertices and edges either way.
struct RecordedGraph {
  std::size_t num_vertices() const { return nodes.size(); }

  // From an input's vertex to its consumer's, labelled with the input slot.
  std::vector<graph::Edge> edges;
  // By vertex: the op node it stands for, or nullptr for a leaf vertex.
  std::vector<Node*> nodes;
  // By vertex: the leaf tensor (one of the nodes' inputs) or nullptr for an op vertex.
  std::vector<const Tensor*> leaves;

  // Read on the way, so that backward need not visit every node again (the graph is often larger
  // than the cache): a node an earlier backward released, if any; and the impl of every input
  // that has no node (a leaf), once per edge, whether or not leaves got vertices.
  const Node* released = nullptr;
  std::vector<const TensorImpl*> leaf_inputs;

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
