// A generic labelled DAG on Boost.Graph. It knows nothing of tensors or ops: a vertex carries
// what a picture of it needs (label, shape, role, cluster), an edge the input slot it feeds.
// The autograd engine orders its nodes with it; the DOT writer draws it.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>

namespace dagrad::graph {

// How a vertex is drawn. parameter: a leaf that requires grad; input: a leaf that does not
// (data, constants); op: a recorded operation; output: the root the graph was built from.
enum class Role { op, parameter, input, output };

struct VertexInfo {
  std::string label;  // op name or tensor name, e.g. "matmul" or "W1"
  std::string shape;  // "[2,3]"
  std::string dtype;  // "float32"
  Role role = Role::op;
  std::string cluster;               // named scope ("fc1", nested "model/fc1"); "" for none
  std::vector<std::string> details;  // extra label lines (value/gradient summaries)
  std::string tooltip;               // SVG hover text
  bool highlight = false;            // painted red (e.g. where a NaN first appeared)
  std::size_t folded = 0;            // > 0: stands for that many vertices of a summarised graph
};

struct EdgeInfo {
  int slot = 0;  // which input of the consumer this edge feeds
};

// vecS: vertex ids are insertion indices, so iteration (and DOT output) is deterministic.
using Dag =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, VertexInfo, EdgeInfo>;
using Vertex = Dag::vertex_descriptor;

// The bare structure, for ordering only: no labels, the edges in compressed rows. Built in one
// pass over an edge list, with no allocation per vertex or edge (a Dag allocates a label record
// per vertex and a list cell per edge): backward builds one of these on every call.
using Topology = boost::compressed_sparse_row_graph<boost::directedS>;
static_assert(std::is_same_v<Topology::vertex_descriptor, Vertex>);

// One edge as recorded: from an input's vertex to its consumer's, feeding input `slot`.
struct Edge {
  Vertex source;
  Vertex target;
  int slot;
};

// Adds the edges in the given order, which is the order in_edges(v) lists them (and so the order
// DOT writes them).
void add_edges(Dag& dag, std::span<const Edge> edges);
// The graph of `vertices` vertices and these edges, without their slots.
Topology make_topology(std::size_t vertices, std::span<const Edge> edges);

// Vertices so that every edge u -> v has v before u: consumers before their inputs, which is
// the order backward visits them. Iterative (no recursion: safe for 1,000,000-vertex chains).
// Throws GraphError if the graph has a cycle.
std::vector<Vertex> reverse_topological_order(const Dag& dag);
std::vector<Vertex> reverse_topological_order(const Topology& graph);

}  // namespace dagrad::graph
