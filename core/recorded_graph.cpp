#include <dagrad/core/recorded_graph.hpp>

#include <algorithm>

#include <dagrad/core/error.hpp>
#include <dagrad/core/node.hpp>

namespace dagrad {

namespace {

// Every node reachable from the roots, in creation order, and each entered in `seen` (with
// no meaningful value yet). Iterative.
std::vector<Node*> reachable_nodes(std::span<const Tensor> roots, PointerMap& seen) {
  std::vector<Node*> nodes;
  std::vector<Node*> stack;
  auto visit = [&](Node* n) {
    if (n && seen.find_or_insert(n, 0) == PointerMap::kAbsent) stack.push_back(n);
  };
  for (const Tensor& r : roots)
    if (r.defined()) visit(r.grad_fn().get());
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    nodes.push_back(n);
    for (const Tensor& input : n->inputs) visit(input.impl()->grad_fn.get());
  }
  // Sequence numbers are unique and every input was created before its consumer. A chain is
  // found consumer first: reversing makes the sort's input nearly sorted.
  std::reverse(nodes.begin(), nodes.end());
  std::sort(nodes.begin(), nodes.end(),
            [](const Node* a, const Node* b) { return a->sequence < b->sequence; });
  return nodes;
}

}  // namespace

RecordedGraph record_graph(std::span<const Tensor> roots, bool with_leaves) {
  RecordedGraph g;
  // The map that found the nodes becomes their index: one hash table, filled once.
  g.nodes = reachable_nodes(roots, g.index);
  const std::size_t n_nodes = g.nodes.size();

  // Leaves get their vertex just before their first consumer, so vertices are renumbered as the
  // nodes are walked; an input always has its vertex before its consumer is numbered.
  std::vector<Node*> by_vertex;
  by_vertex.reserve(with_leaves ? 2 * n_nodes : n_nodes);
  g.index.reserve(with_leaves ? 2 * n_nodes : n_nodes);
  g.edges.reserve(2 * n_nodes);
  for (Node* n : g.nodes) {
    const std::size_t first_edge = g.edges.size();
    for (std::size_t slot = 0; slot < n->inputs.size(); ++slot) {
      const Tensor& input = n->inputs[slot];
      const TensorImpl* impl = input.impl();
      graph::Vertex source;
      if (impl->grad_fn) {
        source = g.index.find(impl->grad_fn.get());
        // Inputs are numbered before their consumers (sequence order); a node created out of
        // order would make the edge point nowhere.
        if (source == PointerMap::kAbsent)
          throw GraphError("graph: the input of '" + n->op->name + "' was recorded after it");
      } else if (!with_leaves) {
        continue;
      } else {
        source = g.index.find_or_insert(impl, by_vertex.size());
        if (source == PointerMap::kAbsent) {
          source = by_vertex.size();
          g.leaves.resize(by_vertex.size(), nullptr);
          g.leaves.push_back(&input);
          by_vertex.push_back(nullptr);
        }
      }
      g.edges.push_back({source, 0, static_cast<int>(slot)});
    }
    const graph::Vertex v = by_vertex.size();
    for (std::size_t e = first_edge; e < g.edges.size(); ++e) g.edges[e].target = v;
    g.index.assign(n, v);
    by_vertex.push_back(n);
  }
  g.leaves.resize(by_vertex.size(), nullptr);
  g.nodes = std::move(by_vertex);
  return g;
}

}  // namespace dagrad
