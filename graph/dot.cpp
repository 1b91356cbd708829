#include <dagrad/graph/dot.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include <dagrad/core/error.hpp>

namespace dagrad::graph {

namespace {

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Length of the well-formed UTF-8 sequence starting at text[i] that encodes an XML character,
// or 0. Overlong forms, surrogates, code points past U+10FFFF and U+FFFE/U+FFFF are rejected:
// Graphviz would copy them into SVG, which XML parsers refuse.
std::size_t valid_sequence(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t len;
  char32_t c;
  if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2;
    c = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
    c = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
    c = lead & 0x07;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    c = (c << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr std::array<char32_t, 5> min_for_length{0, 0, 0x80, 0x800, 0x10000};
  if (c < min_for_length[len] || c > 0x10FFFF) return 0;
  if ((c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFE || c == 0xFFFF) return 0;
  return len;
}

// Shared by labels and tooltips; they differ only in how a backslash survives Graphviz.
// Appends to out: the writer escapes straight into the DOT text.
void escape_into(std::string& out, std::string_view text, std::string_view backslash) {
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    if (b >= 0x80) {
      const std::size_t len = valid_sequence(text, i);
      if (len == 0) {
        append_utf8(out, U'\uFFFD');
        ++i;
      } else {
        out.append(text, i, len);
        i += len;
      }
      continue;
    }
    switch (b) {
      case '\n':
        out += "\\n";
        break;
      case '\\':
        out += backslash;
        break;
      case '"':
        out += "\\\"";
        break;
      case '&':
        out += "&amp;";
        break;
      case 0x7F:
        append_utf8(out, U'\u2421');
        break;
      default:
        if (b < 0x20)
          append_utf8(out, U'\u2400' + b);  // SVG cannot hold raw C0 controls
        else
          out += static_cast<char>(b);
    }
    ++i;
  }
}

struct Style {
  const char* shape;
  const char* style;
  const char* fill;
  const char* color;
};

// Ops take the node defaults written in the header; the other roles override them.
constexpr Style kOpStyle{"ellipse", "filled", "#e3f2fd", "#1565c0"};

Style style_of(Role role) {
  switch (role) {
    case Role::parameter:
      return {"box", "rounded,filled", "#ffe0b2", "#e65100"};
    case Role::input:
      return {"box", "filled", "#eeeeee", "#616161"};
    case Role::output:
      return {"box", "rounded,filled,bold", "#c8e6c9", "#2e7d32"};
    case Role::op:
      break;
  }
  return kOpStyle;
}

// The attribute list of a vertex after its label (", shape=box, ..."), empty for a plain op.
std::string style_attrs(Role role, bool folded, bool highlight) {
  const Style s = style_of(role);
  const auto differs = [](const char* a, const char* b) { return std::string_view(a) != b; };
  std::string out;
  const char* shape = folded ? "box3d" : s.shape;
  if (differs(shape, kOpStyle.shape)) out += std::string(", shape=") + shape;
  if (differs(s.style, kOpStyle.style)) out += std::string(", style=\"") + s.style + '"';
  if (differs(s.fill, kOpStyle.fill)) out += std::string(", fillcolor=\"") + s.fill + '"';
  if (highlight)
    out += ", color=\"#d32f2f\", fontcolor=\"#d32f2f\", penwidth=2.5";
  else if (differs(s.color, kOpStyle.color))
    out += std::string(", color=\"") + s.color + '"';
  if (role == Role::output && !highlight) out += ", penwidth=2";
  return out;
}

std::size_t style_index(Role role, bool folded, bool highlight) {
  return 4 * static_cast<std::size_t>(role) + 2 * folded + highlight;
}

constexpr std::string_view kLabelBackslash = "\\\\";
constexpr std::string_view kTooltipBackslash = "\\\\\\\\";

void append_label(std::string& out, const VertexInfo& info) {
  escape_into(out, info.label, kLabelBackslash);
  if (!info.shape.empty() || !info.dtype.empty()) {
    out += "\\n";
    escape_into(out, info.shape, kLabelBackslash);
    if (!info.shape.empty() && !info.dtype.empty()) out += ' ';
    escape_into(out, info.dtype, kLabelBackslash);
  }
  for (const std::string& line : info.details) {
    out += "\\n";
    escape_into(out, line, kLabelBackslash);
  }
}

void append_id(std::string& out, Vertex v) {
  char buffer[24];
  out += 'n';
  out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, v).ptr);
}

void write_legend(std::string& out, bool sideways, bool any_folded, bool any_highlight) {
  out +=
      "  subgraph cluster_legend {\n"
      "    label=\"legend\"; style=\"rounded\"; color=\"#bdbdbd\"; fontcolor=\"#757575\"; "
      "fontsize=10;\n"
      "    node [fontsize=9];\n";
  struct Sample {
    const char* id;
    const char* label;
    Role role;
    bool folded;
    bool highlight;
  };
  const Sample samples[] = {
      {"legend_parameter", "parameter\\n(requires grad)", Role::parameter, false, false},
      {"legend_input", "input / constant", Role::input, false, false},
      {"legend_op", "op", Role::op, false, false},
      {"legend_output", "output", Role::output, false, false},
      {"legend_folded", "folded run (×k)", Role::op, true, false},
      {"legend_highlight", "highlighted", Role::op, false, true},
  };
  std::vector<const char*> shown;
  for (const Sample& s : samples) {
    if ((s.folded && !any_folded) || (s.highlight && !any_highlight)) continue;
    out += std::string("    ") + s.id + " [label=\"" + s.label + "\"" +
           style_attrs(s.role, s.folded, s.highlight) + "];\n";
    shown.push_back(s.id);
  }
  // One rank, chained by invisible edges so the samples read in the order above. dot lays a
  // sideways (LR, RL) rank out bottom to top, hence the reversal.
  if (sideways) std::reverse(shown.begin(), shown.end());
  out += "    {rank=same; ";
  for (std::size_t i = 0; i < shown.size(); ++i) out += (i ? std::string(" -> ") : "") + shown[i];
  out += " [style=invis];}\n";
  out += "  }\n";
}

// Named scopes as a tree of clusters: "model/fc1" is the child "fc1" of "model".
struct Cluster {
  std::string name;  // last path segment, the drawn label
  std::vector<std::size_t> children;
  std::vector<Vertex> members;
};

struct ClusterTree {
  std::vector<Cluster> clusters;  // in order of first appearance
  std::vector<std::size_t> roots;
};

ClusterTree build_clusters(const Dag& dag) {
  ClusterTree tree;
  std::unordered_map<std::string, std::size_t> index_of;  // full path -> cluster
  for (Vertex v = 0; v < boost::num_vertices(dag); ++v) {
    const std::string& path = dag[v].cluster;
    if (path.empty()) continue;
    if (const auto known = index_of.find(path); known != index_of.end()) {
      tree.clusters[known->second].members.push_back(v);
      continue;
    }
    std::size_t parent = SIZE_MAX;
    std::size_t start = 0;
    while (true) {
      const std::size_t slash = path.find('/', start);
      const std::size_t end = slash == std::string::npos ? path.size() : slash;
      auto [it, inserted] = index_of.try_emplace(path.substr(0, end), tree.clusters.size());
      if (inserted) {
        tree.clusters.push_back(Cluster{path.substr(start, end - start), {}, {}});
        (parent == SIZE_MAX ? tree.roots : tree.clusters[parent].children).push_back(it->second);
      }
      parent = it->second;
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    tree.clusters[parent].members.push_back(v);
  }
  return tree;
}

// Iterative, so deeply nested scope names cannot exhaust the stack.
void write_clusters(std::string& out, const ClusterTree& tree) {
  struct Step {
    std::size_t cluster;
    bool close;
    std::size_t depth;
  };
  std::vector<Step> stack;
  for (auto it = tree.roots.rbegin(); it != tree.roots.rend(); ++it)
    stack.push_back({*it, false, 1});
  while (!stack.empty()) {
    const Step step = stack.back();
    stack.pop_back();
    const std::string indent(2 * step.depth, ' ');
    if (step.close) {
      out += indent + "}\n";
      continue;
    }
    const Cluster& c = tree.clusters[step.cluster];
    out += indent + "subgraph cluster_" + std::to_string(step.cluster) + " {\n";
    out += indent + "  label=\"" + escape_label(c.name) +
           "\"; style=\"rounded\"; color=\"#9e9e9e\"; fontcolor=\"#616161\";\n";
    if (!c.members.empty()) {
      out += indent + " ";
      for (Vertex v : c.members) out += " n" + std::to_string(v) + ';';
      out += '\n';
    }
    stack.push_back({step.cluster, true, step.depth});
    for (auto it = c.children.rbegin(); it != c.children.rend(); ++it)
      stack.push_back({*it, false, step.depth + 1});
  }
}

}  // namespace

std::string escape_label(std::string_view text) {
  std::string out;
  escape_into(out, text, kLabelBackslash);
  return out;
}

std::string escape_tooltip(std::string_view text) {
  std::string out;
  escape_into(out, text, kTooltipBackslash);
  return out;
}

std::string write_dot(const Dag& dag, const DotOptions& options) {
  const std::string& rd = options.rankdir;
  if (rd != "TB" && rd != "LR" && rd != "BT" && rd != "RL")
    throw GraphError("write_dot: rankdir must be TB, LR, BT or RL (got '" + rd + "')");

  const std::size_t n = boost::num_vertices(dag);
  std::string out;
  out.reserve(256 + n * 192);
  out += "digraph dagrad {\n";
  out += "  graph [rankdir=" + rd + ", fontname=\"Helvetica\", fontsize=12";
  if (!options.title.empty()) out += ", labelloc=t, label=\"" + escape_label(options.title) + '"';
  out += "];\n";
  out += std::string("  node [shape=") + kOpStyle.shape + ", style=\"" + kOpStyle.style +
         "\", fillcolor=\"" + kOpStyle.fill + "\", color=\"" + kOpStyle.color +
         "\", fontname=\"Helvetica\", fontsize=11];\n";
  // labeldistance/labelangle: slot numbers sit beside the arrowhead, not under it.
  out +=
      "  edge [color=\"#424242\", arrowsize=0.7, fontname=\"Helvetica\", fontsize=8, "
      "fontcolor=\"#757575\", labeldistance=1.8, labelangle=35];\n";

  if (options.legend) {
    bool any_folded = false, any_highlight = false;
    for (Vertex v = 0; v < n; ++v) {
      any_folded = any_folded || dag[v].folded > 0;
      any_highlight = any_highlight || dag[v].highlight;
    }
    write_legend(out, rd == "LR" || rd == "RL", any_folded, any_highlight);
  }

  std::array<std::string, 16> styles;  // computed once, not per vertex
  for (Role role : {Role::op, Role::parameter, Role::input, Role::output})
    for (bool folded : {false, true})
      for (bool highlight : {false, true})
        styles[style_index(role, folded, highlight)] = style_attrs(role, folded, highlight);
  for (Vertex v = 0; v < n; ++v) {
    const VertexInfo& info = dag[v];
    out += "  ";
    append_id(out, v);
    out += " [label=\"";
    append_label(out, info);
    out += '"';
    if (!info.tooltip.empty()) {
      out += ", tooltip=\"";
      escape_into(out, info.tooltip, kTooltipBackslash);
      out += '"';
    }
    out += styles[style_index(info.role, info.folded > 0, info.highlight)];
    out += "];\n";
  }

  write_clusters(out, build_clusters(dag));

  // Grouped by consumer in slot order, the order dot tends to lay inputs out left to right.
  for (Vertex v = 0; v < n; ++v) {
    const bool show_slot = boost::in_degree(v, dag) > 1 && dag[v].folded == 0;
    for (auto [it, end] = boost::in_edges(v, dag); it != end; ++it) {
      out += "  ";
      append_id(out, boost::source(*it, dag));
      out += " -> ";
      append_id(out, v);
      if (show_slot) out += " [headlabel=\"" + std::to_string(dag[*it].slot) + "\"]";
      out += ";\n";
    }
  }
  out += "}\n";
  return out;
}

}  // namespace dagrad::graph
