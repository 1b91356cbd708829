// DOT text for a graph::Dag. Generic: it draws vertices by their VertexInfo and knows nothing of
// tensors or ops (core/export.hpp builds the labelled Dag from a tensor).
//
// What the text holds, in this order (same Dag and options, same bytes):
//   - graph attributes (rankdir, the title as a top label), node and edge defaults;
//   - a "legend" cluster with one sample vertex per role (parameter, input / constant, op,
//     output), plus "folded" and "highlighted" samples when the graph uses them;
//   - every vertex "n<id>" in id order, labelled "label \n shape dtype \n details...",
//     styled by role (parameters orange rounded boxes, inputs grey boxes, ops blue ellipses, the
//     output a green bold box), folded vertices as 3-D boxes, highlighted ones red;
//   - one cluster per named scope: "model/fc1" is drawn as cluster "fc1" nested in "model";
//   - the edges, grouped by consumer in slot order; a consumer with several inputs shows the slot
//     as a small head label.
// Every text (labels, tooltips, scope names, the title) is written as a quoted DOT string through
// escape_label / escape_tooltip, so any name gives valid DOT and displays as written.
#pragma once

#include <string>
#include <string_view>

#include <dagrad/graph/dag.hpp>

namespace dagrad::graph {

struct DotOptions {
  std::string rankdir = "TB";  // TB, LR, BT or RL
  bool legend = true;          // draw the legend cluster
  std::string title{};         // drawn above the graph; none when empty
};

// The DOT text of dag. Throws GraphError for a rankdir other than TB, LR, BT, RL.
std::string write_dot(const Dag& dag, const DotOptions& options = {});

// The body of a quoted DOT string (without the quotes) that Graphviz displays as `text` in a
// label: `\` and `"` escaped, newlines as line breaks (`\n`), `&` as `&amp;` (Graphviz decodes
// entities in labels), other control characters as their Unicode control pictures (U+2400...),
// and bytes that are not valid UTF-8 (or not XML characters) as U+FFFD, so SVG output stays
// well-formed.
std::string escape_label(std::string_view text);

// The same for a tooltip, whose backslashes Graphviz unescapes twice: `\` becomes `\\\\`.
std::string escape_tooltip(std::string_view text);

}  // namespace dagrad::graph
