#include <dagrad/core/recorded_graph.hpp>

#include <algorithm>

#include <dagrad/core/error.hpp>
#include <dagrad/core/node.hpp>

namespace dagrad {

namespace {

// A vertex number not given out yet: what the search enters each node under.
constexpr graph::Vertex kUnnumbered = PointerMap::kAbsent - 1;

// One input of a reachable node, as the search read it.
struct FoundInput {
  const Node* source;    // the input's node, or nullptr for a leaf
  const Tensor* tensor;  // the input itself
  int slot;
};

// A reachable node and the range of its inputs in the search's list.
struct FoundNode {
  std::uint64_t sequence;
  Node* node;
  std::size_t first_input, end_input;
};

// Every node reachable from the roots, in creation order, each entered in g.index as
// kUnnumbered; and every node's inputs (leaves too when with_leaves); g.released and
// g.leaf_inputs. Iterative. Each node and
// tensor is read once, here: the graph is larger than the cache, so reading them again while
// numbering (and comparing nodes' sequence numbers through their pointers) was most of
// record_graph's time, in cache misses.
void search(std::span<const Tensor> roots, bool with_leaves, RecordedGraph& g,
            std::vector<FoundNode>& nodes, std::vector<FoundInput>& inputs) {
  PointerMap& seen = g.index;
  std::vector<Node*> stack;
  auto visit = [&](Node* n) {
    if (n && seen.find_or_insert(n, kUnnumbered) == PointerMap::kAbsent) stack.push_back(n);
  };
  for (const Tensor& r : roots)
    if (r.defined()) visit(r.grad_fn().get());
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    // The earliest released node, as a walk in creation order would meet it first.
    if (n->released && (!g.released || n->sequence < g.released->sequence)) g.released = n;
    const std::size_t first = inputs.size();
    for (std::size_t slot = 0; slot < n->inputs.size(); ++slot) {
      const Tensor& input = n->inputs[slot];
      Node* source = input.impl()->grad_fn.get();
      visit(source);
      if (!source) g.leaf_inputs.push_back(input.impl());
      if (source || with_leaves) inputs.push_back({source, &input, static_cast<int>(slot)});
    }
    nodes.push_back({n->sequence, n, first, inputs.size()});
  }
  // Sequence numbers are unique and every input was created before its consumer. A chain is
  // found consumer first: reversed, it is sorted already.
  std::reverse(nodes.begin(), nodes.end());
  const auto by_sequence = [](const FoundNode& a, const FoundNode& b) {
    return a.sequence < b.sequence;
  };
  if (!std::is_sorted(nodes.begin(), nodes.end(), by_sequence))
    std::sort(nodes.begin(), nodes.end(), by_sequence);
}

// The search's lists, kept by each thread between calls: backward runs once per training step,
// and lists allocated afresh each time came from new pages (glibc returns a large free block to
// the system), whose faults were a tenth of a 10,000-op backward. A list that grew past
// kKeptEntries is released after the call, so a huge graph does not pin its memory; up to that
// size (about 3.5 MB for both lists) each thread that ran a backward keeps them until it ends.
template <class T>
class Scratch {
 public:
  static constexpr std::size_t kKeptEntries = std::size_t{1} << 16;
  Scratch() { list_.clear(); }
  ~Scratch() {
    if (list_.capacity() > kKeptEntries) std::vector<T>().swap(list_);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  std::vector<T>& operator*() { return list_; }

 private:
  static thread_local std::vector<T> list_;
};
template <class T>
thread_local std::vector<T> Scratch<T>::list_;

}  // namespace

RecordedGraph record_graph(std::span<const Tensor> roots, bool with_leaves) {
  RecordedGraph g;
  // record_graph calls no user code, so a thread never uses its lists twice at once.
  Scratch<FoundNode> found_scratch;
  Scratch<FoundInput> inputs_scratch;
  std::vector<FoundNode>& found = *found_scratch;
  std::vector<FoundInput>& inputs = *inputs_scratch;
  // The map that found the nodes becomes their index: one hash table, filled once.
  search(roots, with_leaves, g, found, inputs);
  const std::size_t n_nodes = found.size();

  // Leaves get their vertex just before their first consumer, so vertices are renumbered as the
  // nodes are walked; an input always has its vertex before its consumer is numbered.
  std::vector<Node*>& by_vertex = g.nodes;
  by_vertex.reserve(with_leaves ? 2 * n_nodes : n_nodes);
  g.index.reserve(with_leaves ? 2 * n_nodes : n_nodes);
  g.edges.reserve(inputs.size());
  for (const FoundNode& n : found) {
    const std::size_t first_edge = g.edges.size();
    for (std::size_t i = n.first_input; i < n.end_input; ++i) {
      const FoundInput& input = inputs[i];
      graph::Vertex source;
      if (input.source) {
        source = g.index.find(input.source);
        // Inputs are numbered before their consumers (sequence order); a node created out of
        // order would make the edge point nowhere.
        if (source == kUnnumbered)
          throw GraphError("graph: the input of '" + n.node->op->name + "' was recorded after it");
      } else {
        source = g.index.find_or_insert(input.tensor->impl(), by_vertex.size());
        if (source == PointerMap::kAbsent) {
          source = by_vertex.size();
          g.leaves.resize(by_vertex.size(), nullptr);
          g.leaves.push_back(input.tensor);
          by_vertex.push_back(nullptr);
        }
      }
      g.edges.push_back({source, 0, input.slot});
    }
    const graph::Vertex v = by_vertex.size();
    for (std::size_t e = first_edge; e < g.edges.size(); ++e) g.edges[e].target = v;
    g.index.assign(n.node, v);
    by_vertex.push_back(n.node);
  }
  g.leaves.resize(by_vertex.size(), nullptr);
  return g;
}

}  // namespace dagrad
