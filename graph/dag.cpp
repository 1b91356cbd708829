#include <dagrad/graph/dag.hpp>

#include <iterator>

#include <boost/graph/topological_sort.hpp>

#include <dagrad/core/error.hpp>

namespace dagrad::graph {

std::vector<Vertex> reverse_topological_order(const Dag& dag) {
  std::vector<Vertex> order;
  order.reserve(boost::num_vertices(dag));
  try {
    // Boost writes the reverse topological order, which is exactly backward's order.
    boost::topological_sort(dag, std::back_inserter(order));
  } catch (const boost::not_a_dag&) {
    throw GraphError("graph: the graph has a cycle, so it cannot be ordered");
  }
  return order;
}

}  // namespace dagrad::graph
