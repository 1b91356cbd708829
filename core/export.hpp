// Exporting the recorded graph behind a tensor: the labelled graph::Dag, its DOT text, and a
// picture rendered in-process by Graphviz (graph/dot.hpp and graph/render.hpp do the drawing).
//
// The Dag holds one vertex per recorded node and one per leaf feeding it, with edges
// input -> consumer (EdgeInfo::slot = the input's position):
//   - leaves (tensors without grad_fn) are parameters when they require grad, inputs/constants
//     otherwise; a tensor used several times is one vertex;
//   - the root is drawn as the output (it may be an op or, for a lone leaf, the leaf itself);
//   - an op is labelled by its registry label (op_label), a leaf by its name ("parameter" or
//     "input" when unnamed); a named op output reads "name = op"; each shows shape and dtype;
//   - ops carry their Node::scope as cluster; a parameter whose consumers all share one scope is
//     drawn in that cluster too;
//   - every vertex's tooltip holds its name, op, shape, dtype, scope and value summary (and
//     gradient summary when there is one); `values` / `grads` also print those summaries in
//     the label. A summary lists the values of a tensor of at most 6 elements
//     ("[[0.1, 0.2, 0.3]]") and gives "min=.. max=.. mean=.. norm=.." (norm: L2, NaNs counted
//     apart) for larger ones. A leaf's gradient is grad(); an op output's only when retained
//     (retain_grad()).
// Vertices are numbered by node creation order (Node::sequence), each leaf just before its
// first consumer, so the same graph gives the same Dag and byte-identical DOT. The walk is
// iterative: graphs of millions of nodes are fine.
#pragma once

#include <cstddef>
#include <string>

#include <dagrad/core/tensor.hpp>
#include <dagrad/graph/dag.hpp>
#include <dagrad/graph/render.hpp>

namespace dagrad {

struct ExportOptions {
  bool values = false;         // value summaries in the labels (tooltips always have them)
  bool grads = false;          // gradient summaries in the labels
  std::string rankdir = "TB";  // TB, LR, BT or RL
  bool legend = true;
  std::string title{};  // drawn above the graph; none when empty
  // render() draws larger graphs from graph::summarize() (chains folded, then truncated), and
  // says so in the title; 0 draws every vertex however long dot takes. to_dot never summarises.
  std::size_t render_max_vertices = graph::kRenderMaxVertices;
};

// The labelled DAG that produced root. Throws GraphError for an undefined tensor.
graph::Dag build_dag(const Tensor& root, const ExportOptions& options = {});

// The DOT text of build_dag(root, options). Throws GraphError for an undefined tensor or a bad
// rankdir.
std::string to_dot(const Tensor& root, const ExportOptions& options = {});

// Renders the graph to path: .svg, .png or .pdf through Graphviz in-process, or .dot (the full
// to_dot text). Throws IoError for another extension or an unwritable path, GraphError as
// to_dot does or when Graphviz fails.
void render(const Tensor& root, const std::string& path, const ExportOptions& options = {});

}  // namespace dagrad
