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
  RecordedGraph g;
  const std::vector<Node*> nodes = reachable_nodes(roots);

  // Numbering first, so the Dag is created at its final size (no regrowth of 100,000 vertex
  // records); `sources` holds every input's vertex, in node and slot order.
  std::vector<graph::Vertex> sources;
  sources.reserve(2 * nodes.size());
  g.nodes.reserve(with_leaves ? 2 * nodes.size() : nodes.size());
  for (Node* n : nodes) {
    for (const Tensor& input : n->inputs) {
      const TensorImpl* impl = input.impl();
      if (impl->grad_fn) {
        sources.push_back(g.index.find(impl->grad_fn.get()));
        continue;
      }
      if (!with_leaves) continue;
      const graph::Vertex found = g.index.find_or_insert(impl, g.nodes.size());
      if (found == PointerMap::kAbsent) {
        sources.push_back(g.nodes.size());
        g.nodes.push_back(nullptr);
        g.leaves.resize(g.nodes.size(), nullptr);
        g.leaves.back() = &input;
      } else {
        sources.push_back(found);
      }
    }
    g.index.find_or_insert(n, g.nodes.size());
    g.nodes.push_back(n);
  }
  g.leaves.resize(g.nodes.size(), nullptr);

  g.dag = graph::Dag(g.nodes.size());
  auto source = sources.begin();
  for (graph::Vertex v = 0; v < g.nodes.size(); ++v) {
    const Node* n = g.nodes[v];
    if (!n) continue;
    for (std::size_t slot = 0; slot < n->inputs.size(); ++slot) {
      if (!with_leaves && !n->inputs[slot].impl()->grad_fn) continue;
      boost::add_edge(*source++, v, graph::EdgeInfo{static_cast<int>(slot)}, g.dag);
    }
  }
  return g;
}

}  // namespace dagrad
