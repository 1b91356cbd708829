// write_dot over hand-built Dags: structure, styles, legend, clusters, escaping.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <dagrad/core/error.hpp>
#include <dagrad/graph/dot.hpp>
#include <dagrad/graph/render.hpp>

#include "graph/support/files.hpp"

namespace dagrad::graph {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Vertex add(Dag& dag, std::string label, Role role = Role::op, std::string cluster = "") {
  VertexInfo info;
  info.label = std::move(label);
  info.shape = "[2,3]";
  info.dtype = "float32";
  info.role = role;
  info.cluster = std::move(cluster);
  return boost::add_vertex(std::move(info), dag);
}

// x, W -> matmul -> out
Dag small_dag() {
  Dag dag;
  const Vertex x = add(dag, "x", Role::input);
  const Vertex w = add(dag, "W", Role::parameter);
  const Vertex mm = add(dag, "matmul", Role::output);
  boost::add_edge(x, mm, EdgeInfo{0}, dag);
  boost::add_edge(w, mm, EdgeInfo{1}, dag);
  return dag;
}

TEST(WriteDot, WritesOneStatementPerVertexAndEdge) {
  const std::string dot = write_dot(small_dag(), {.legend = false});
  EXPECT_THAT(dot, HasSubstr("n0 [label=\"x\\n[2,3] float32\""));
  EXPECT_THAT(dot, HasSubstr("n1 [label=\"W\\n[2,3] float32\""));
  EXPECT_THAT(dot, HasSubstr("n0 -> n2 [headlabel=\"0\"];"));
  EXPECT_THAT(dot, HasSubstr("n1 -> n2 [headlabel=\"1\"];"));
  EXPECT_NO_THROW(validate_dot(dot));
}

TEST(WriteDot, StylesEachRoleDistinctly) {
  const std::string dot = write_dot(small_dag(), {.legend = false});
  EXPECT_THAT(dot, HasSubstr("n0 [label=\"x\\n[2,3] float32\", shape=box, fillcolor=\"#eeeeee\", "
                             "color=\"#616161\"];"));
  EXPECT_THAT(dot,
              HasSubstr("n1 [label=\"W\\n[2,3] float32\", shape=box, "
                        "style=\"rounded,filled\", fillcolor=\"#ffe0b2\", color=\"#e65100\"];"));
  EXPECT_THAT(dot, HasSubstr("n2 [label=\"matmul\\n[2,3] float32\", shape=box, "
                             "style=\"rounded,filled,bold\", fillcolor=\"#c8e6c9\", "
                             "color=\"#2e7d32\", penwidth=2];"));
}

TEST(WriteDot, LegendExplainsTheRolesAndCanBeLeftOut) {
  const std::string with = write_dot(small_dag());
  EXPECT_THAT(with, HasSubstr("subgraph cluster_legend {"));
  for (const char* id : {"legend_parameter", "legend_input", "legend_op", "legend_output"})
    EXPECT_THAT(with, HasSubstr(id));
  EXPECT_THAT(with, Not(HasSubstr("legend_folded")));  // only when the graph has folded runs
  EXPECT_NO_THROW(validate_dot(with));
  EXPECT_THAT(write_dot(small_dag(), {.legend = false}), Not(HasSubstr("legend")));
}

TEST(WriteDot, TitleAndRankdir) {
  const std::string dot = write_dot(small_dag(), {.rankdir = "LR", .title = "my \"net\""});
  EXPECT_THAT(dot, HasSubstr("rankdir=LR"));
  EXPECT_THAT(dot, HasSubstr("labelloc=t, label=\"my \\\"net\\\"\""));
  EXPECT_THROW(write_dot(small_dag(), {.rankdir = "XY"}), GraphError);
}

TEST(WriteDot, NestedScopesBecomeNestedClusters) {
  Dag dag;
  const Vertex a = add(dag, "a", Role::input);
  const Vertex b = add(dag, "relu", Role::op, "model/fc1");
  const Vertex c = add(dag, "tanh", Role::op, "model/fc2");
  const Vertex d = add(dag, "sum", Role::output, "model");
  boost::add_edge(a, b, {}, dag);
  boost::add_edge(b, c, {}, dag);
  boost::add_edge(c, d, {}, dag);
  const std::string dot = write_dot(dag, {.legend = false});
  // "model" is cluster 0 holding n3 and clusters 1 (fc1: n1) and 2 (fc2: n2).
  const std::string expected =
      "  subgraph cluster_0 {\n"
      "    label=\"model\"; style=\"rounded\"; color=\"#9e9e9e\"; fontcolor=\"#616161\";\n"
      "    n3;\n"
      "    subgraph cluster_1 {\n"
      "      label=\"fc1\"; style=\"rounded\"; color=\"#9e9e9e\"; fontcolor=\"#616161\";\n"
      "      n1;\n"
      "    }\n"
      "    subgraph cluster_2 {\n"
      "      label=\"fc2\"; style=\"rounded\"; color=\"#9e9e9e\"; fontcolor=\"#616161\";\n"
      "      n2;\n"
      "    }\n"
      "  }\n";
  EXPECT_THAT(dot, HasSubstr(expected));
  EXPECT_NO_THROW(validate_dot(dot));
}

TEST(WriteDot, SameDagSameBytes) {
  EXPECT_EQ(write_dot(small_dag()), write_dot(small_dag()));
}

TEST(WriteDot, SingleInputConsumersHaveNoSlotLabel) {
  Dag dag;
  const Vertex a = add(dag, "a", Role::input);
  const Vertex b = add(dag, "neg", Role::output);
  boost::add_edge(a, b, {}, dag);
  EXPECT_THAT(write_dot(dag), HasSubstr("n0 -> n1;\n"));
}

TEST(WriteDot, EmptyDagIsStillAGraph) {
  EXPECT_NO_THROW(validate_dot(write_dot(Dag{})));
}

TEST(WriteDot, TooltipsAndHighlight) {
  Dag dag = small_dag();
  dag[2].tooltip = "value: [1, 2]\ngrad: none";
  dag[2].highlight = true;
  const std::string dot = write_dot(dag);
  EXPECT_THAT(dot, HasSubstr("tooltip=\"value: [1, 2]\\ngrad: none\""));
  EXPECT_THAT(dot, HasSubstr("color=\"#d32f2f\""));
  EXPECT_THAT(dot, HasSubstr("legend_highlight"));
}

// ---- escaping ----

struct EscapeCase {
  const char* what;
  std::string name;
  std::string shown;  // how the SVG displays it
};

std::vector<EscapeCase> escape_cases() {
  return {
      {"double quotes", "say \"hi\"", "say \"hi\""},
      {"backslashes", "a\\b\\\\c\\", "a\\b\\\\c\\"},
      {"graphviz escapes kept literal", "\\N \\G \\n \\l \\r \\E \\T \\H \\L",
       "\\N \\G \\n \\l \\r \\E \\T \\H \\L"},
      {"record and html characters", "<a> {b} | c -> d; [e=f]", "<a> {b} | c -> d; [e=f]"},
      {"ampersands and entities", "x & y &amp; &lt;z&gt; &#92;", "x & y &amp; &lt;z&gt; &#92;"},
      {"braces and keywords", "} digraph { node edge subgraph", "} digraph { node edge subgraph"},
      {"utf-8", "Gewicht ä 权重 Ω 🔥", "Gewicht ä 权重 Ω 🔥"},
      {"control characters", std::string("bell\a tab\t nul") + '\0' + " del\x7f",
       "bell\u2407 tab\u2409 nul\u2400 del\u2421"},
      {"invalid utf-8", "bad \xff\xfe byte \xc3 overlong \xc0\xaf surrogate \xed\xa0\x80",
       "bad \uFFFD\uFFFD byte \uFFFD overlong \uFFFD\uFFFD surrogate \uFFFD\uFFFD\uFFFD"},
      {"trailing backslash before quote", "end\\\"", "end\\\""},
  };
}

// Each name is used as a vertex label, a tooltip, a scope (cluster) and the title; the DOT must
// parse with cgraph, render to SVG, and the SVG must show the name as written.
TEST(WriteDotEscaping, EveryCaseParsesRendersAndDisplaysAsWritten) {
  testing::TempDir dir;
  for (const EscapeCase& c : escape_cases()) {
    SCOPED_TRACE(c.what);
    Dag dag;
    const Vertex x = add(dag, c.name, Role::input, c.name);
    const Vertex y = add(dag, "op", Role::output);
    dag[y].tooltip = c.name;
    boost::add_edge(x, y, {}, dag);
    const std::string dot = write_dot(dag, {.title = c.name});
    ASSERT_NO_THROW(validate_dot(dot)) << dot;
    const std::string path = dir.file("escape.svg");
    ASSERT_NO_THROW(render_dot(dot, path));
    const std::string svg = testing::read_file(path);
    EXPECT_TRUE(testing::xml_safe_utf8(svg));
    const auto texts = testing::svg_texts(svg);
    // Title, cluster label and vertex label each show the name.
    EXPECT_GE(std::count(texts.begin(), texts.end(), c.shown), 3)
        << ::testing::PrintToString(texts);
    const auto tips = testing::svg_tooltips(svg);
    EXPECT_THAT(tips, ::testing::Contains(c.shown));
  }
}

TEST(WriteDotEscaping, NewlinesBreakLabelsIntoLines) {
  testing::TempDir dir;
  Dag dag;
  add(dag, "first\nsecond \"line\"", Role::input);
  dag[0].tooltip = "tip one\ntip \\ two";
  const std::string dot = write_dot(dag, {.legend = false});
  EXPECT_THAT(dot, HasSubstr("label=\"first\\nsecond \\\"line\\\"\\n[2,3] float32\""));
  render_dot(dot, dir.file("lines.svg"));
  const std::string svg = testing::read_file(dir.file("lines.svg"));
  EXPECT_THAT(testing::svg_texts(svg),
              ::testing::ElementsAre("first", "second \"line\"", "[2,3] float32"));
  EXPECT_THAT(testing::svg_tooltips(svg), ::testing::Contains("tip one\ntip \\ two"));
}

TEST(WriteDotEscaping, EscapeFunctionsDirectly) {
  EXPECT_EQ(escape_label("a\"b\\c\nd&e"), "a\\\"b\\\\c\\nd&amp;e");
  EXPECT_EQ(escape_tooltip("a\\b"), "a\\\\\\\\b");
  EXPECT_EQ(escape_label(std::string("\x01", 1)), "\u2401");
  EXPECT_EQ(escape_label("\xef\xbf\xbe"), "\uFFFD\uFFFD\uFFFD");  // U+FFFE is not an XML char
  EXPECT_EQ(escape_label("\xf4\x90\x80\x80"), "\uFFFD\uFFFD\uFFFD\uFFFD");  // past U+10FFFF
  EXPECT_EQ(escape_label("\xf0\x9f\x94\xa5"), "\xf0\x9f\x94\xa5");
}

}  // namespace
}  // namespace dagrad::graph
