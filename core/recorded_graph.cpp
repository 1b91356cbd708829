#include <dagrad/core/recorded_graph.hpp>

#include <algorithm>

#include <dagrad/core/node.hpp>

namespace dagrad {

namespace {

// Every node reachable from the roots, in creation order. Iterative.
std::vector<Node*> reachable_nodes(std::span<const Tensor> roots) {
  std::vector<Node*> nodes;
  PointerMap seen;
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
  const std::vector<Node*> nodes = reachable_nodes(roots);

  // Numbering first, so the Dag is created at its final size (no regrowth of 100,000 vertex
  // records); `sources` holds every input's vertex, in node and slot order.
  PointerMap index;
  std::vector<Node*> by_vertex;
  std::vector<const Tensor*> leaves;
  std::vector<graph::Vertex> sources;
  sources.reserve(2 * nodes.size());
  by_vertex.reserve(with_leaves ? 2 * nodes.size() : nodes.size());
  for (Node* n : nodes) {
    for (const Tensor& input : n->inputs) {
      const TensorImpl* impl = input.impl();
      if (impl->grad_fn) {
        sources.push_back(index.find(impl->grad_fn.get()));
        continue;
      }
      if (!with_leaves) continue;
      const graph::Vertex found = index.find_or_insert(impl, by_vertex.size());
      if (found == PointerMap::kAbsent) {
        sources.push_back(by_vertex.size());
        leaves.resize(by_vertex.size(), nullptr);
        leaves.push_back(&input);
        by_vertex.push_back(nullptr);
      } else {
        sources.push_back(found);
      }
    }
    index.find_or_insert(n, by_vertex.size());
    by_vertex.push_back(n);
  }
  leaves.resize(by_vertex.size(), nullptr);

  RecordedGraph g(by_vertex.size());
  auto source = sources.begin();
  for (graph::Vertex v = 0; v < by_vertex.size(); ++v) {
    const Node* n = by_vertex[v];
    if (!n) continue;
    for (std::size_t slot = 0; slot < n->inputs.size(); ++slot) {
      if (!with_leaves && !n->inputs[slot].impl()->grad_fn) continue;
      boost::add_edge(*source++, v, graph::EdgeInfo{static_cast<int>(slot)}, g.dag);
    }
  }
  g.nodes = std::move(by_vertex);
  g.leaves = std::move(leaves);
  g.index = std::move(index);
  return g;
}

}  // namespace dagrad
