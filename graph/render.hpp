// Drawing DOT in-process through Graphviz's libraries: cgraph parses the text, gvc lays it out
// with the `dot` engine and renders it. No shell, no `dot` subprocess. Graphviz keeps global
// state, so calls are serialised by one lock and are safe from several threads.
//
// Large graphs: dot's layout time grows much faster than the graph (a chain of tanh(y + c)
// steps, measured on 2 busy cores: 500 vertices 0.8 s, 1,500 vertices 5 s, 4,500 vertices 84 s),
// so a graph is drawn whole only up to kRenderMaxVertices vertices; larger ones are drawn from
// summarize(), which
//   1. folds chains: a run of at least 3 ops, each the only consumer of the one before and
//      taking no other input than leaves, all in one cluster, becomes one 3-D box vertex
//      "tanh ×k" (or "k ops: add, tanh") showing the run's last output shape; leaves used only
//      by the run's later ops are absorbed (counted in its label), the others keep their vertex
//      and one edge to the box;
//   2. if that is still too large, truncates: keeps the vertices nearest the outputs
//      (breadth-first against the edges from every sink, in vertex order) and replaces the
//      rest by one grey 3-D box "… N more vertices not shown" feeding the vertices that lost
//      an input.
// A 100,000-op chain thus renders as 4 vertices; building its Dag is then most of the time.
#pragma once

#include <cstddef>
#include <string>

#include <dagrad/graph/dag.hpp>

namespace dagrad::graph {

// Most vertices render() draws without summarising (under a second of dot layout for a chain).
inline constexpr std::size_t kRenderMaxVertices = 500;

// Writes dot to path in the format its extension names (case-insensitive): .svg, .png and .pdf
// are laid out with dot and rendered; .dot writes the text as given. Throws IoError for any
// other extension or when the file cannot be written, GraphError with Graphviz's own message
// ("render_dot: ... syntax error in line 1 near ';'") when the text does not parse or Graphviz
// cannot lay it out or render it. The text is drawn as given, however large: pass the DOT of a
// summarize()d Dag for large graphs.
void render_dot(const std::string& dot, const std::string& path);

// Parses dot with cgraph (agmemread). Throws GraphError "validate_dot: <Graphviz's message>"
// when the text is not a valid graph (syntax error, empty text, embedded NUL byte).
void validate_dot(const std::string& dot);

// dag itself when it has at most max_vertices vertices, else the chain-folded and, if still
// needed, truncated summary described above, with at most max_vertices vertices. Vertices that
// stand for others have VertexInfo::folded set. Throws GraphError if max_vertices < 2 or dag
// has a cycle.
Dag summarize(const Dag& dag, std::size_t max_vertices = kRenderMaxVertices);

}  // namespace dagrad::graph
