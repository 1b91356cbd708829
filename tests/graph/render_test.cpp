// render_dot / validate_dot through Graphviz's libraries, and summarize for large graphs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include <dagrad/core/error.hpp>
#include <dagrad/graph/dot.hpp>
#include <dagrad/graph/render.hpp>

#include "graph/support/files.hpp"

namespace dagrad::graph {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kDot = "digraph { a [label=\"x\"]; b [label=\"y\"]; a -> b; }";

TEST(ValidateDot, AcceptsValidText) {
  EXPECT_NO_THROW(validate_dot(kDot));
}

TEST(ValidateDot, ReportsGraphvizsMessage) {
  try {
    validate_dot("digraph { a -> ; }");
    FAIL() << "expected GraphError";
  } catch (const GraphError& e) {
    EXPECT_THAT(e.what(), StartsWith("validate_dot: "));
    EXPECT_THAT(e.what(), HasSubstr("syntax error in line 1 near ';'"));
  }
  EXPECT_THROW(validate_dot("digraph { a [label=\"unterminated] }"), GraphError);
  EXPECT_THROW(validate_dot(""), GraphError);
  EXPECT_THROW(validate_dot(std::string("digraph { a }\0 b", 16)), GraphError);
  // The parser recovers: the next text parses again.
  EXPECT_NO_THROW(validate_dot(kDot));
}

TEST(RenderDot, WritesEachFormatByExtension) {
  testing::TempDir dir;
  render_dot(kDot, dir.file("g.svg"));
  render_dot(kDot, dir.file("g.png"));
  render_dot(kDot, dir.file("g.pdf"));
  render_dot(kDot, dir.file("g.dot"));
  render_dot(kDot, dir.file("upper.SVG"));
  const std::string svg = testing::read_file(dir.file("g.svg"));
  EXPECT_THAT(svg, HasSubstr("<svg"));
  EXPECT_THAT(svg, HasSubstr("</svg>"));
  EXPECT_THAT(testing::svg_texts(svg), ::testing::ElementsAre("x", "y"));
  EXPECT_THAT(testing::read_file(dir.file("g.png")), StartsWith("\x89PNG\r\n"));
  EXPECT_THAT(testing::read_file(dir.file("g.pdf")), StartsWith("%PDF-"));
  EXPECT_EQ(testing::read_file(dir.file("g.dot")), kDot);
  EXPECT_THAT(testing::read_file(dir.file("upper.SVG")), HasSubstr("<svg"));
}

TEST(RenderDot, RejectsUnknownExtensions) {
  testing::TempDir dir;
  for (const char* name : {"g.jpg", "g", "g.svg.txt"}) {
    SCOPED_TRACE(name);
    try {
      render_dot(kDot, dir.file(name));
      FAIL() << "expected IoError";
    } catch (const IoError& e) {
      EXPECT_THAT(e.what(), StartsWith("render_dot: cannot tell the format"));
    }
  }
}

TEST(RenderDot, ReportsUnwritablePathsAndBadText) {
  testing::TempDir dir;
  EXPECT_THROW(render_dot(kDot, dir.file("no/such/dir/g.svg")), IoError);
  EXPECT_THROW(render_dot(kDot, dir.file("no/such/dir/g.dot")), IoError);
  try {
    render_dot("digraph { a -> ; }", dir.file("bad.svg"));
    FAIL() << "expected GraphError";
  } catch (const GraphError& e) {
    EXPECT_THAT(e.what(), HasSubstr("syntax error"));
  }
}

TEST(RenderDot, IsSafeFromSeveralThreads) {
  testing::TempDir dir;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] { render_dot(kDot, dir.file(std::to_string(i) + ".svg")); });
  for (auto& t : threads) t.join();
  for (int i = 0; i < 4; ++i)
    EXPECT_THAT(testing::read_file(dir.file(std::to_string(i) + ".svg")), HasSubstr("</svg>"));
}

// ---- summarize ----

Vertex add(Dag& dag, std::string label, Role role = Role::op, std::string cluster = "") {
  VertexInfo info;
  info.label = std::move(label);
  info.shape = "[1]";
  info.dtype = "float32";
  info.role = role;
  info.cluster = std::move(cluster);
  return boost::add_vertex(std::move(info), dag);
}

// x -> (add c_i -> tanh) x steps -> output, with c_i private constants or one shared one.
Dag chain(std::size_t steps, bool shared_constant) {
  Dag dag;
  Vertex y = add(dag, "x", Role::input);
  const Vertex shared = shared_constant ? add(dag, "c", Role::input) : 0;
  for (std::size_t i = 0; i < steps; ++i) {
    const Vertex c = shared_constant ? shared : add(dag, "c" + std::to_string(i), Role::input);
    const Vertex a = add(dag, "add");
    boost::add_edge(y, a, EdgeInfo{0}, dag);
    boost::add_edge(c, a, EdgeInfo{1}, dag);
    y = add(dag, "tanh");
    boost::add_edge(a, y, EdgeInfo{0}, dag);
  }
  const Vertex out = add(dag, "sum", Role::output);
  boost::add_edge(y, out, EdgeInfo{0}, dag);
  return dag;
}

TEST(Summarize, SmallGraphsAreReturnedAsTheyAre) {
  const Dag dag = chain(3, false);
  const Dag same = summarize(dag, 100);
  EXPECT_EQ(write_dot(same), write_dot(dag));
  EXPECT_THROW(summarize(dag, 1), GraphError);
}

TEST(Summarize, FoldsAChainAndAbsorbsItsPrivateLeaves) {
  const Dag s = summarize(chain(1000, false), 50);
  // x and c0 feed the run's first op, so they stay; c1..c999 are absorbed.
  ASSERT_EQ(boost::num_vertices(s), 4u);
  EXPECT_EQ(s[0].label, "x");
  EXPECT_EQ(s[1].label, "c0");
  EXPECT_EQ(s[2].label, "2000 ops: add, tanh");
  EXPECT_EQ(s[2].folded, 2000u);
  EXPECT_THAT(s[2].details, ::testing::ElementsAre("absorbs 999 inputs"));
  EXPECT_EQ(s[3].role, Role::output);
  EXPECT_EQ(boost::num_edges(s), 3u);
  EXPECT_NO_THROW(validate_dot(write_dot(s)));
  EXPECT_THAT(write_dot(s), HasSubstr("legend_folded"));
}

TEST(Summarize, SharedLeavesKeepTheirVertexAndOneEdge) {
  const Dag s = summarize(chain(1000, true), 50);
  ASSERT_EQ(boost::num_vertices(s), 4u);
  EXPECT_EQ(s[1].label, "c");
  EXPECT_EQ(boost::out_degree(1, s), 1u);  // 1000 edges into the run became one
  Dag twice = chain(1000, true);
  const Vertex other = add(twice, "neg", Role::output);
  boost::add_edge(1, other, {}, twice);
  const Dag t = summarize(twice, 50);
  ASSERT_EQ(boost::num_vertices(t), 5u);
  EXPECT_EQ(boost::out_degree(1, t), 2u);
}

TEST(Summarize, RunsStopAtClusterBoundaries) {
  Dag dag;
  Vertex y = add(dag, "x", Role::input);
  for (int i = 0; i < 400; ++i) {
    const Vertex v = add(dag, "tanh", Role::op, i < 200 ? "fc1" : "fc2");
    boost::add_edge(y, v, {}, dag);
    y = v;
  }
  const Dag s = summarize(dag, 10);
  ASSERT_EQ(boost::num_vertices(s), 3u);
  EXPECT_EQ(s[1].label, "tanh ×200");
  EXPECT_EQ(s[1].cluster, "fc1");
  EXPECT_EQ(s[2].cluster, "fc2");
}

TEST(Summarize, TruncatesWideGraphsKeepingWhatIsNearestTheOutput) {
  // 1000 inputs -> 1000 separate negs -> one sum: nothing to fold.
  Dag dag;
  std::vector<Vertex> negs;
  for (int i = 0; i < 1000; ++i) {
    const Vertex x = add(dag, "x" + std::to_string(i), Role::input);
    negs.push_back(add(dag, "neg"));
    boost::add_edge(x, negs.back(), {}, dag);
  }
  const Vertex out = add(dag, "sum", Role::output);
  for (std::size_t i = 0; i < negs.size(); ++i)
    boost::add_edge(negs[i], out, EdgeInfo{static_cast<int>(i)}, dag);
  const Dag s = summarize(dag, 100);
  ASSERT_EQ(boost::num_vertices(s), 100u);
  EXPECT_EQ(s[0].label, "… 1902 more vertices not shown");
  EXPECT_EQ(s[0].folded, 1902u);
  EXPECT_EQ(s[99].role, Role::output);
  for (Vertex v = 1; v < 99; ++v) EXPECT_EQ(s[v].label, "neg");
  EXPECT_EQ(boost::out_degree(0, s), 99u);  // every kept neg lost its input, the sum 902
  testing::TempDir dir;
  render_dot(write_dot(s), dir.file("wide.svg"));
  EXPECT_THAT(testing::svg_texts(testing::read_file(dir.file("wide.svg"))),
              ::testing::Contains("… 1902 more vertices not shown"));
}

TEST(Summarize, HandlesAHundredThousandVertexChainAndRenders) {
  testing::TempDir dir;
  const Dag s = summarize(chain(50'000, false));
  EXPECT_LE(boost::num_vertices(s), kRenderMaxVertices);
  render_dot(write_dot(s), dir.file("chain.svg"));
  EXPECT_THAT(testing::read_file(dir.file("chain.svg")), HasSubstr("100000 ops: add, tanh"));
}

}  // namespace
}  // namespace dagrad::graph
