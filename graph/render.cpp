#include <dagrad/graph/render.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <dagrad/core/error.hpp>

namespace dagrad::graph {

namespace {

// ---- Graphviz ----

// cgraph, its lexer and its error hook are process-wide.
std::mutex& graphviz_mutex() {
  static std::mutex m;
  return m;
}

std::string g_messages;  // guarded by graphviz_mutex()

int collect_message(char* message) {
  g_messages += message;
  return 0;
}

// While alive, Graphviz's messages go to g_messages instead of stderr, so they can be put into
// the exception the caller sees.
class MessageCapture {
 public:
  MessageCapture() : previous_(agseterrf(&collect_message)) {
    g_messages.clear();
    agreseterrors();
  }
  ~MessageCapture() { agseterrf(previous_); }
  MessageCapture(const MessageCapture&) = delete;
  MessageCapture& operator=(const MessageCapture&) = delete;

  // "Error: syntax error in line 1 near ';'" on one line, or `fallback` when Graphviz was silent.
  static std::string text(const char* fallback) {
    std::string out;
    for (char c : g_messages) out += (c == '\n' ? ' ' : c);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out.empty() ? fallback : out;
  }

 private:
  agusererrf previous_;
};

struct GraphCloser {
  void operator()(Agraph_t* g) const { agclose(g); }
};
using GraphPtr = std::unique_ptr<Agraph_t, GraphCloser>;

// One context for the whole process, created on first use and never freed. Graphviz 2.42's
// pango text layout keeps a pointer to the last font it measured, and that font belongs to the
// context: freeing the context and laying out with a new one reads freed memory (AddressSanitizer
// caught it). The dot program itself also uses one context for all its graphs.
// Caller holds graphviz_mutex().
GVC_t* context() {
  static GVC_t* gvc = gvContext();
  if (!gvc) throw GraphError("render_dot: Graphviz could not create a context");
  return gvc;
}

// Caller holds graphviz_mutex() and a MessageCapture.
GraphPtr parse(const std::string& dot, const char* who) {
  if (dot.find('\0') != std::string::npos)
    throw GraphError(std::string(who) + ": the DOT text contains a NUL byte (at offset " +
                     std::to_string(dot.find('\0')) + ")");
  GraphPtr g(agmemread(dot.c_str()));
  if (!g)
    throw GraphError(std::string(who) + ": Graphviz cannot parse the DOT text (" +
                     MessageCapture::text("no graph found") + ")");
  return g;
}

std::string lower_extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

void write_file(const std::string& path, std::string_view bytes) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (file) file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (file) file.close();
  if (!file)
    throw IoError("render_dot: cannot write '" + path + "' (" + std::strerror(errno) + ")");
}

// The rendered bytes of dot in a Graphviz output format ("svg", "png", "pdf").
std::string render_bytes(const std::string& dot, const char* format) {
  std::lock_guard lock(graphviz_mutex());
  MessageCapture capture;
  GraphPtr g = parse(dot, "render_dot");
  GVC_t* gvc = context();
  if (gvLayout(gvc, g.get(), "dot") != 0)
    throw GraphError("render_dot: Graphviz could not lay the graph out (" +
                     MessageCapture::text("no message") + ")");
  char* data = nullptr;
  unsigned int length = 0;
  const int rc = gvRenderData(gvc, g.get(), format, &data, &length);
  std::string bytes;
  if (rc == 0 && data) bytes.assign(data, length);
  if (data) gvFreeRenderData(data);
  gvFreeLayout(gvc, g.get());
  if (rc != 0)
    throw GraphError(std::string("render_dot: Graphviz could not render ") + format + " (" +
                     MessageCapture::text("no message") + ")");
  return bytes;
}

// ---- summarize ----

constexpr std::size_t kNone = SIZE_MAX;
constexpr std::size_t kMinRun = 3;  // folding two vertices into one hides more than it saves

bool is_leaf(Vertex v, const Dag& dag) {
  return boost::in_degree(v, dag) == 0;
}

bool foldable(Vertex v, const Dag& dag) {
  const VertexInfo& info = dag[v];
  return info.role == Role::op && !info.highlight && info.folded == 0 && !is_leaf(v, dag);
}

std::string plural(std::size_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

struct Run {
  std::vector<Vertex> members;  // in chain order
  std::size_t parameters = 0;   // absorbed leaves, by role
  std::size_t inputs = 0;
};

VertexInfo folded_vertex(const Run& run, const Dag& dag) {
  const VertexInfo& first = dag[run.members.front()];
  const VertexInfo& last = dag[run.members.back()];
  std::vector<std::string> labels;
  for (Vertex v : run.members)
    if (std::find(labels.begin(), labels.end(), dag[v].label) == labels.end()) {
      labels.push_back(dag[v].label);
      if (labels.size() > 3) break;
    }
  VertexInfo info;
  const std::size_t k = run.members.size();
  if (labels.size() == 1) {
    info.label = labels[0] + " ×" + std::to_string(k);
  } else {
    info.label = std::to_string(k) + " ops: ";
    for (std::size_t i = 0; i < std::min<std::size_t>(labels.size(), 3); ++i)
      info.label += (i ? ", " : "") + labels[i];
    if (labels.size() > 3) info.label += ", …";
  }
  info.shape = last.shape;
  info.dtype = last.dtype;
  if (run.parameters + run.inputs > 0) {
    std::string absorbed = "absorbs ";
    if (run.parameters) absorbed += plural(run.parameters, "parameter");
    if (run.parameters && run.inputs) absorbed += ", ";
    if (run.inputs) absorbed += plural(run.inputs, "input");
    info.details.push_back(absorbed);
  }
  info.role = Role::op;
  info.cluster = first.cluster;
  info.folded = k;
  info.tooltip = "folded run of " + std::to_string(k) + " vertices, from '" + first.label +
                 "' to '" + last.label + "'";
  if (!last.tooltip.empty()) info.tooltip += "\nlast: " + last.tooltip;
  return info;
}

Dag fold_chains(const Dag& dag) {
  const std::size_t n = boost::num_vertices(dag);
  std::vector<Vertex> order = reverse_topological_order(dag);
  std::reverse(order.begin(), order.end());  // inputs before consumers

  // A vertex extends the run of its only non-leaf input when that input feeds nothing else.
  std::vector<std::size_t> run_of(n, kNone);
  std::vector<Run> runs;
  for (Vertex v : order) {
    if (!foldable(v, dag)) continue;
    Vertex pred = 0;
    std::size_t non_leaf_inputs = 0;
    for (auto [it, end] = boost::in_edges(v, dag); it != end; ++it) {
      const Vertex s = boost::source(*it, dag);
      if (is_leaf(s, dag)) continue;
      pred = s;
      ++non_leaf_inputs;
    }
    if (non_leaf_inputs == 1 && run_of[pred] != kNone && boost::out_degree(pred, dag) == 1 &&
        dag[pred].cluster == dag[v].cluster) {
      run_of[v] = run_of[pred];
    } else {
      run_of[v] = runs.size();
      runs.emplace_back();
    }
    runs[run_of[v]].members.push_back(v);
  }
  const auto folded_run = [&](Vertex v) {
    return run_of[v] != kNone && runs[run_of[v]].members.size() >= kMinRun;
  };

  // Leaves whose every consumer lies inside one folded run disappear into it. Those feeding the
  // run's first op stay: they are what the run starts from.
  std::vector<std::size_t> absorbed_into(n, kNone);
  for (Vertex v = 0; v < n; ++v) {
    if (!is_leaf(v, dag) || boost::out_degree(v, dag) == 0) continue;
    std::size_t run = kNone;
    bool private_to_run = true;
    for (auto [it, end] = boost::out_edges(v, dag); it != end && private_to_run; ++it) {
      const Vertex t = boost::target(*it, dag);
      private_to_run = folded_run(t) && (run == kNone || run == run_of[t]) &&
                       runs[run_of[t]].members.front() != t;
      run = run_of[t];
    }
    if (!private_to_run) continue;
    absorbed_into[v] = run;
    (dag[v].role == Role::parameter ? runs[run].parameters : runs[run].inputs) += 1;
  }

  Dag out;
  std::vector<Vertex> new_of(n, kNone);
  std::vector<Vertex> run_vertex(runs.size(), kNone);
  for (Vertex v = 0; v < n; ++v) {
    if (absorbed_into[v] != kNone) continue;
    if (folded_run(v)) {
      const std::size_t r = run_of[v];
      if (run_vertex[r] == kNone)
        run_vertex[r] = boost::add_vertex(folded_vertex(runs[r], dag), out);
      new_of[v] = run_vertex[r];
    } else {
      new_of[v] = boost::add_vertex(dag[v], out);
    }
  }

  const std::uint64_t stride = boost::num_vertices(out);
  std::unordered_set<std::uint64_t> edges_into_folded;
  for (Vertex t = 0; t < n; ++t) {
    if (new_of[t] == kNone) continue;
    for (auto [it, end] = boost::in_edges(t, dag); it != end; ++it) {
      const Vertex s = boost::source(*it, dag);
      if (new_of[s] == kNone || new_of[s] == new_of[t]) continue;
      if (out[new_of[t]].folded > 0 &&
          !edges_into_folded.insert(new_of[s] * stride + new_of[t]).second)
        continue;
      boost::add_edge(new_of[s], new_of[t], dag[*it], out);
    }
  }
  return out;
}

Dag truncate(const Dag& dag, std::size_t max_vertices) {
  const std::size_t n = boost::num_vertices(dag);
  const std::size_t keep = max_vertices - 1;  // one vertex stands for the rest

  // Breadth-first from the sinks against the edges: what lies nearest the outputs stays.
  std::vector<bool> seen(n, false), kept(n, false);
  std::deque<Vertex> queue;
  for (Vertex v = 0; v < n; ++v)
    if (boost::out_degree(v, dag) == 0) {
      seen[v] = true;
      queue.push_back(v);
    }
  for (std::size_t taken = 0; taken < keep && !queue.empty(); ++taken) {
    const Vertex v = queue.front();
    queue.pop_front();
    kept[v] = true;
    for (auto [it, end] = boost::in_edges(v, dag); it != end; ++it) {
      const Vertex s = boost::source(*it, dag);
      if (!seen[s]) {
        seen[s] = true;
        queue.push_back(s);
      }
    }
  }

  std::size_t hidden = 0;
  for (Vertex v = 0; v < n; ++v)
    if (!kept[v]) hidden += std::max<std::size_t>(dag[v].folded, 1);

  Dag out;
  VertexInfo rest;
  rest.label = "… " + std::to_string(hidden) + (hidden == 1 ? " more vertex" : " more vertices") +
               " not shown";
  rest.role = Role::input;
  rest.folded = hidden;
  rest.tooltip = "the graph has " + std::to_string(n) +
                 " vertices after folding chains; only the " + std::to_string(keep) +
                 " nearest the outputs are drawn";
  const Vertex rest_vertex = boost::add_vertex(rest, out);
  std::vector<Vertex> new_of(n, kNone);
  for (Vertex v = 0; v < n; ++v)
    if (kept[v]) new_of[v] = boost::add_vertex(dag[v], out);
  for (Vertex t = 0; t < n; ++t) {
    if (!kept[t]) continue;
    bool lost_input = false;
    for (auto [it, end] = boost::in_edges(t, dag); it != end; ++it) {
      const Vertex s = boost::source(*it, dag);
      if (kept[s]) {
        boost::add_edge(new_of[s], new_of[t], dag[*it], out);
      } else if (!lost_input) {
        lost_input = true;
        boost::add_edge(rest_vertex, new_of[t], dag[*it], out);
      }
    }
  }
  return out;
}

}  // namespace

void validate_dot(const std::string& dot) {
  std::lock_guard lock(graphviz_mutex());
  MessageCapture capture;
  parse(dot, "validate_dot");
}

void render_dot(const std::string& dot, const std::string& path) {
  const std::string ext = lower_extension(path);
  if (ext == ".dot") {
    write_file(path, dot);
    return;
  }
  if (ext != ".svg" && ext != ".png" && ext != ".pdf")
    throw IoError("render_dot: cannot tell the format from the extension of '" + path +
                  "' (expected .svg, .png, .pdf or .dot, got '" + ext + "')");
  write_file(path, render_bytes(dot, ext.c_str() + 1));
}

Dag summarize(const Dag& dag, std::size_t max_vertices) {
  if (max_vertices < 2)
    throw GraphError("summarize: max_vertices must be at least 2 (got " +
                     std::to_string(max_vertices) + ")");
  if (boost::num_vertices(dag) <= max_vertices) return dag;
  Dag folded = fold_chains(dag);
  if (boost::num_vertices(folded) <= max_vertices) return folded;
  return truncate(folded, max_vertices);
}

}  // namespace dagrad::graph
