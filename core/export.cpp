#include <dagrad/core/export.hpp>

#include <algorithm>
#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <vector>

#include <dagrad/core/error.hpp>
#include <dagrad/core/node.hpp>
#include <dagrad/core/recorded_graph.hpp>
#include <dagrad/graph/dot.hpp>

namespace dagrad {

namespace {

// std::to_chars rather than printf: it ignores the C locale (a decimal comma would change the
// bytes) and is several times faster, which matters at 100,000 vertices.
void append_number(std::string& out, double x) {
  if (std::isnan(x)) {
    out += "nan";
    return;
  }
  if (std::isinf(x)) {
    out += x < 0 ? "-inf" : "inf";
    return;
  }
  char buffer[32];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, x, std::chars_format::general, 4);
  out.append(buffer, result.ptr);
}

constexpr std::int64_t kListedElements = 6;

// Calls f(double) on every element of t, in row-major order.
template <class F>
void for_each_value(const Tensor& t, F&& f) {
  dispatch_any(t.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* p = t.data<T>();
    for (std::int64_t i = 0, n = t.numel(); i < n; ++i) f(static_cast<double>(p[i]));
  });
}

// "[[1, 2, 3], [4, 5, 6]]" (or "7" for a scalar) for a tensor of 1 to kListedElements values.
void append_values(std::string& out, const Tensor& t) {
  const Shape& shape = t.shape();
  out.append(shape.size(), '[');
  std::int64_t i = 0;
  const std::int64_t n = t.numel();
  for_each_value(t, [&](double x) {
    append_number(out, x);
    ++i;
    // Axes that wrap after element i close here (and reopen unless it was the last).
    std::size_t closed = 0;
    std::int64_t block = 1;
    for (std::size_t d = shape.size(); d-- > 0;) {
      block *= shape[d];
      if (i % block != 0) break;
      ++closed;
    }
    out.append(closed, ']');
    if (i < n) out.append(", ").append(closed, '[');
  });
}

void append_summary(std::string& out, const Tensor& t) {
  const std::int64_t n = t.numel();
  if (n == 0) {
    out += "(empty)";
    return;
  }
  if (n <= kListedElements) {
    append_values(out, t);
    return;
  }
  double lo = std::numeric_limits<double>::infinity(), hi = -lo, sum = 0, squares = 0;
  std::int64_t nans = 0;
  for_each_value(t, [&](double x) {
    if (std::isnan(x)) {
      ++nans;
      return;
    }
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    sum += x;
    squares += x * x;
  });
  if (nans == n) {
    out += "all nan";
    return;
  }
  out += "min=";
  append_number(out, lo);
  out += " max=";
  append_number(out, hi);
  out += " mean=";
  append_number(out, sum / static_cast<double>(n - nans));
  out += " norm=";
  append_number(out, std::sqrt(squares));
  if (nans) out += " nan=" + std::to_string(nans);
}

const char* leaf_role_name(const TensorImpl& impl) {
  return impl.requires_grad ? "parameter" : "input";
}

// Fills everything a vertex shows about tensor t (which may be undefined for an op whose
// output no longer exists; meta then gives shape and dtype).
void describe(graph::VertexInfo& info, const Tensor& t, const TensorMeta& meta,
              const std::string& heading, const std::string& scope, bool leaf,
              const ExportOptions& options) {
  info.shape = to_string(t.defined() ? t.shape() : meta.shape);
  info.dtype = dtype_name(t.defined() ? t.dtype() : meta.dtype);
  info.cluster = scope;
  std::string& tip = info.tooltip;
  tip.reserve(heading.size() + 96);
  tip.append(heading).append("\n").append(info.shape).append(" ").append(info.dtype);
  if (!scope.empty()) tip.append("\nscope: ").append(scope);
  if (!t.defined()) {
    tip.append("\nvalue: no longer held");
    return;
  }
  // Each summary line goes into the tooltip, and into the label when asked for.
  const auto add_line = [&](const char* prefix, const Tensor& of, bool in_label) {
    tip += '\n';
    const std::size_t start = tip.size();
    tip += prefix;
    if (of.defined())
      append_summary(tip, of);
    else
      tip += "none";
    if (in_label) info.details.push_back(tip.substr(start));
  };
  add_line("value: ", t, options.values);
  const TensorImpl& impl = *t.impl();
  if (impl.grad && (leaf || impl.retains_grad))
    add_line("grad: ", Tensor(impl.grad), options.grads);
  else if (leaf && impl.requires_grad)
    add_line("grad: ", Tensor(), options.grads);
}

graph::VertexInfo leaf_vertex(const Tensor& t, const ExportOptions& options) {
  const TensorImpl& impl = *t.impl();
  graph::VertexInfo info;
  info.role = impl.requires_grad ? graph::Role::parameter : graph::Role::input;
  info.label = impl.name.empty() ? leaf_role_name(impl) : impl.name;
  const std::string heading =
      impl.name.empty() ? leaf_role_name(impl) : impl.name + " (" + leaf_role_name(impl) + ")";
  describe(info, t, TensorMeta{}, heading, "", true, options);
  return info;
}

graph::VertexInfo node_vertex(const Node& node, const ExportOptions& options) {
  const std::shared_ptr<TensorImpl> out = node.output.lock();
  const Tensor t = out ? Tensor(out) : Tensor();
  graph::VertexInfo info;
  info.role = graph::Role::op;
  info.label = op_label(*node.op, node.attrs);
  if (out && !out->name.empty()) info.label = out->name + " = " + info.label;
  describe(info, t, node.output_meta, info.label, node.scope, false, options);
  info.highlight = node.anomalous;  // where anomaly mode found a NaN/Inf: drawn red
  return info;
}

// A parameter used only inside one scope (the weights of layer "fc1") is drawn in it.
void place_parameters(graph::Dag& dag) {
  for (graph::Vertex v = 0; v < boost::num_vertices(dag); ++v) {
    if (dag[v].role != graph::Role::parameter || boost::out_degree(v, dag) == 0) continue;
    auto [it, end] = boost::out_edges(v, dag);
    const std::string& scope = dag[boost::target(*it, dag)].cluster;
    bool shared = true;
    for (; it != end && shared; ++it) shared = dag[boost::target(*it, dag)].cluster == scope;
    if (shared) dag[v].cluster = scope;
  }
}

graph::DotOptions dot_options(const ExportOptions& options) {
  return graph::DotOptions{options.rankdir, options.legend, options.title};
}

void check_defined(const Tensor& root, const char* who) {
  if (!root.defined()) throw GraphError(std::string(who) + ": the tensor is undefined");
}

graph::Dag build(const Tensor& root, const ExportOptions& options) {
  if (!root.grad_fn()) {
    graph::Dag dag(1);
    dag[0] = leaf_vertex(root, options);
    dag[0].role = graph::Role::output;
    return dag;
  }
  // The graph backward walks, with the leaves as vertices too; here it only gets its labels.
  RecordedGraph recorded = record_graph(std::span<const Tensor>(&root, 1), /*with_leaves=*/true);
  graph::Dag dag(recorded.num_vertices());
  graph::add_edges(dag, recorded.edges);
  for (graph::Vertex v = 0; v < recorded.nodes.size(); ++v)
    dag[v] = recorded.nodes[v] ? node_vertex(*recorded.nodes[v], options)
                               : leaf_vertex(*recorded.leaves[v], options);
  dag[recorded.vertex_of(root.grad_fn().get())].role = graph::Role::output;
  place_parameters(dag);
  graph::Dag out;
  out.swap(dag);  // no copy of 100,000 vertex records (adjacency_list has no move constructor)
  return out;
}

std::string lower_extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

}  // namespace

graph::Dag build_dag(const Tensor& root, const ExportOptions& options) {
  check_defined(root, "build_dag");
  return build(root, options);
}

std::string to_dot(const Tensor& root, const ExportOptions& options) {
  check_defined(root, "to_dot");
  return graph::write_dot(build(root, options), dot_options(options));
}

void render(const Tensor& root, const std::string& path, const ExportOptions& options) {
  check_defined(root, "render");
  graph::Dag dag = build(root, options);
  graph::DotOptions dot = dot_options(options);
  const std::size_t limit = options.render_max_vertices;
  const std::size_t total = boost::num_vertices(dag);
  if (lower_extension(path) != ".dot" && limit > 0 && total > limit) {
    dag = graph::summarize(dag, limit);
    const std::string note = "summarised for drawing: " + std::to_string(total) +
                             " vertices shown as " + std::to_string(boost::num_vertices(dag));
    dot.title = dot.title.empty() ? note : dot.title + "\n" + note;
  }
  graph::render_dot(graph::write_dot(dag, dot), path);
}

}  // namespace dagrad
