#include <dagrad/graph/dag.hpp>

#include <iterator>

#include <boost/graph/topological_sort.hpp>

#include <dagrad/core/error.hpp>

namespace dagrad::graph {

namespace {

template <class Graph>
std::vector<Vertex> reverse_order(const Graph& g) {
  std::vector<Vertex> order;
  order.reserve(boost::num_vertices(g));
  try {
    // Boost writes the reverse topological order, which is exactly backward's order.
    boost::topological_sort(g, std::back_inserter(order));
  } catch (const boost::not_a_dag&) {
    throw GraphError("graph: the graph has a cycle, so it cannot be ordered");
  }
  return order;
}

}  // namespace

void add_edges(Dag& dag, std::span<const Edge> edges) {
  for (const Edge& e : edges) boost::add_edge(e.source, e.target, EdgeInfo{e.slot}, dag);
}

Topology make_topology(std::size_t vertices, std::span<const Edge> edges) {
  std::vector<std::pair<Vertex, Vertex>> pairs;
  pairs.reserve(edges.size());
  for (const Edge& e : edges) pairs.emplace_back(e.source, e.target);
  return Topology(boost::edges_are_unsorted_multi_pass, pairs.begin(), pairs.end(), vertices);
}

std::vector<Vertex> reverse_topological_order(const Dag& dag) {
  return reverse_order(dag);
}

std::vector<Vertex> reverse_topological_order(const Topology& graph) {
  return reverse_order(graph);
}

}  // namespace dagrad::graph
