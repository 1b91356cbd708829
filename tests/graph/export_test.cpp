// build_dag / to_dot / render over real recorded graphs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <dagrad/core/export.hpp>
#include <dagrad/dagrad.hpp>
#include <dagrad/graph/render.hpp>

#include "graph/support/files.hpp"

namespace dagrad {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

struct DenseLayer {
  Tensor x, W, b, out;
};

// The seed's dense layer: softmax(x @ W + b), x 1×2 input, W 2×3 and b 1×3 parameters.
DenseLayer dense_layer() {
  DenseLayer d;
  d.x = tensor({{1.0, 2.0}});
  d.W = tensor({{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}}).set_requires_grad().set_name("W");
  d.b = tensor({{0.0, 0.0, 0.0}}).set_requires_grad().set_name("b");
  d.out = softmax(matmul(d.x, d.W) + d.b);
  return d;
}

std::vector<std::pair<graph::Vertex, int>> inputs_of(const graph::Dag& dag, graph::Vertex v) {
  std::vector<std::pair<graph::Vertex, int>> out;
  for (auto [it, end] = boost::in_edges(v, dag); it != end; ++it)
    out.emplace_back(boost::source(*it, dag), dag[*it].slot);
  return out;
}

TEST(BuildDag, DenseLayerHasOneVertexPerNodeAndLeafInCreationOrder) {
  const graph::Dag dag = build_dag(dense_layer().out);
  ASSERT_EQ(boost::num_vertices(dag), 6u);
  const std::vector<std::pair<std::string, graph::Role>> expected = {
      {"input", graph::Role::input}, {"W", graph::Role::parameter},
      {"matmul", graph::Role::op},   {"b", graph::Role::parameter},
      {"add", graph::Role::op},      {"softmax", graph::Role::output}};
  for (graph::Vertex v = 0; v < 6; ++v) {
    EXPECT_EQ(dag[v].label, expected[v].first);
    EXPECT_EQ(dag[v].role, expected[v].second);
    EXPECT_EQ(dag[v].dtype, "float32");
  }
  EXPECT_EQ(dag[1].shape, "[2,3]");
  EXPECT_EQ(dag[4].shape, "[1,3]");
  EXPECT_THAT(inputs_of(dag, 2), ElementsAre(std::pair<graph::Vertex, int>{0, 0},
                                             std::pair<graph::Vertex, int>{1, 1}));
  EXPECT_THAT(inputs_of(dag, 4), ElementsAre(std::pair<graph::Vertex, int>{2, 0},
                                             std::pair<graph::Vertex, int>{3, 1}));
  EXPECT_THAT(inputs_of(dag, 5), ElementsAre(std::pair<graph::Vertex, int>{4, 0}));
}

TEST(BuildDag, ATensorUsedTwiceIsOneVertex) {
  Tensor x = tensor({1.0, 2.0}).set_requires_grad().set_name("x");
  Tensor h = sigmoid(x);
  Tensor y = h * h + x;  // x twice (sigmoid, add), h twice (both slots of mul)
  const graph::Dag dag = build_dag(y);
  ASSERT_EQ(boost::num_vertices(dag), 4u);  // x, sigmoid, mul, add
  EXPECT_THAT(inputs_of(dag, 2), ElementsAre(std::pair<graph::Vertex, int>{1, 0},
                                             std::pair<graph::Vertex, int>{1, 1}));
  EXPECT_THAT(inputs_of(dag, 3), ElementsAre(std::pair<graph::Vertex, int>{2, 0},
                                             std::pair<graph::Vertex, int>{0, 1}));
  EXPECT_EQ(boost::out_degree(0, dag), 2u);
}

TEST(BuildDag, NamesShowOnLeavesAndOpOutputs) {
  Tensor x = tensor({1.0, 2.0}).set_requires_grad();
  Tensor h = tanh(x);
  h.set_name("hidden");
  const graph::Dag dag = build_dag(sum(h));
  EXPECT_EQ(dag[0].label, "parameter");  // unnamed leaf that requires grad
  EXPECT_EQ(dag[1].label, "hidden = tanh");
  EXPECT_EQ(dag[2].role, graph::Role::output);
}

TEST(BuildDag, ALeafRootIsASingleOutputVertex) {
  Tensor x = tensor({1.0, 2.0}).set_name("x");
  const graph::Dag dag = build_dag(x);
  ASSERT_EQ(boost::num_vertices(dag), 1u);
  EXPECT_EQ(dag[0].label, "x");
  EXPECT_EQ(dag[0].role, graph::Role::output);
  EXPECT_NO_THROW(graph::validate_dot(to_dot(x)));
}

TEST(BuildDag, UndefinedTensorIsAGraphError) {
  EXPECT_THROW(build_dag(Tensor()), GraphError);
  EXPECT_THROW(to_dot(Tensor()), GraphError);
  EXPECT_THROW(render(Tensor(), "x.svg"), GraphError);
}

TEST(BuildDag, ValuesAndGradsGoIntoLabelsOnRequest) {
  DenseLayer d = dense_layer();
  d.out.backward(tensor({{1.0, -1.0, 0.5}}));
  const graph::Dag plain = build_dag(d.out);
  EXPECT_TRUE(plain[1].details.empty());
  const graph::Dag dag = build_dag(d.out, {.values = true, .grads = true});
  EXPECT_THAT(dag[0].details, ElementsAre("value: [[1, 2]]"));  // inputs have no gradient
  EXPECT_EQ(dag[1].details.at(0), "value: [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]");
  EXPECT_THAT(dag[1].details.at(1), ::testing::StartsWith("grad: [[")) << "W's gradient";
  EXPECT_EQ(dag[4].details.size(), 1u) << "add's gradient was not retained";
}

TEST(BuildDag, LargeTensorsAreSummarised) {
  Tensor a = arange(12.0).set_requires_grad();  // 0..11
  Tensor y = a * 2.0;
  y.retain_grad();
  sum(y).backward();
  const graph::Dag dag = build_dag(y, {.values = true, .grads = true});
  EXPECT_EQ(dag[0].details.at(0), "value: min=0 max=11 mean=5.5 norm=22.49");
  EXPECT_EQ(dag[0].details.at(1), "grad: min=2 max=2 mean=2 norm=6.928");
  // The retained gradient of a non-leaf is shown too.
  EXPECT_THAT(dag[2].details, ElementsAre("value: min=0 max=22 mean=11 norm=44.99",
                                          "grad: min=1 max=1 mean=1 norm=3.464"));
}

TEST(BuildDag, NonFiniteValuesAndEmptyTensors) {
  Tensor a = tensor({1.0, std::nan(""), INFINITY, -INFINITY, 2.0, 3.0, 4.0}).set_name("a");
  EXPECT_EQ(build_dag(a, {.values = true})[0].details.at(0),
            "value: min=-inf max=inf mean=nan norm=inf nan=1");
  Tensor e = zeros({4, 0}).set_name("e");
  EXPECT_EQ(build_dag(e, {.values = true})[0].details.at(0), "value: (empty)");
  Tensor s = scalar(0.5);
  EXPECT_EQ(build_dag(s, {.values = true})[0].details.at(0), "value: 0.5");
}

TEST(BuildDag, TooltipsAlwaysCarryTheSummaries) {
  DenseLayer d = dense_layer();
  const graph::Dag dag = build_dag(d.out);
  EXPECT_EQ(dag[1].tooltip,
            "W (parameter)\n[2,3] float32\nvalue: [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]\ngrad: none");
  EXPECT_THAT(dag[5].tooltip, ::testing::StartsWith("softmax\n[1,3] float32\nvalue: [["));
}

TEST(BuildDag, ScopesBecomeClustersAndTakeTheirParameters) {
  Tensor x = tensor({{1.0, 2.0}});
  Tensor W1 = ones({2, 3}).set_requires_grad().set_name("W1");
  Tensor W2 = ones({3, 1}).set_requires_grad().set_name("W2");
  Tensor out;
  {
    ScopeGuard model("model");
    Tensor h;
    {
      ScopeGuard fc1("fc1");
      h = tanh(matmul(x, W1));
    }
    {
      ScopeGuard fc2("fc2");
      out = matmul(h, W2);
    }
  }
  const graph::Dag dag = build_dag(out);
  ASSERT_EQ(boost::num_vertices(dag), 6u);  // x, W1, matmul, tanh, W2, matmul
  EXPECT_EQ(dag[0].cluster, "");            // inputs stay outside
  EXPECT_EQ(dag[1].cluster, "model/fc1");   // W1 is used only in fc1
  EXPECT_EQ(dag[2].cluster, "model/fc1");
  EXPECT_EQ(dag[3].cluster, "model/fc1");
  EXPECT_EQ(dag[4].cluster, "model/fc2");
  EXPECT_EQ(dag[5].cluster, "model/fc2");
  const std::string dot = to_dot(out);
  EXPECT_THAT(dot, HasSubstr("label=\"model\""));
  EXPECT_THAT(dot, HasSubstr("label=\"fc1\""));
  EXPECT_THAT(dot, HasSubstr("label=\"fc2\""));
  EXPECT_NO_THROW(graph::validate_dot(dot));
}

TEST(ToDot, SameGraphBuiltTwiceGivesIdenticalBytes) {
  const std::string first = to_dot(dense_layer().out, {.values = true, .grads = true});
  const std::string second = to_dot(dense_layer().out, {.values = true, .grads = true});
  EXPECT_EQ(first, second);
}

TEST(ToDot, HasALegendUnlessAskedNotTo) {
  const Tensor out = dense_layer().out;
  EXPECT_THAT(to_dot(out), HasSubstr("subgraph cluster_legend"));
  EXPECT_THAT(to_dot(out, {.legend = false}), Not(HasSubstr("legend")));
  EXPECT_THAT(to_dot(out, {.rankdir = "LR"}), HasSubstr("rankdir=LR"));
}

TEST(ToDot, AnyTensorNameGivesValidDotThatRenders) {
  testing::TempDir dir;
  const std::string nasty = std::string("W \"1\" \\ {a|b} <c> & é 权\n\t\x01\xff end\\");
  Tensor W = ones({2, 2}).set_requires_grad().set_name(nasty);
  Tensor y = sigmoid(W);
  y.set_name(nasty);
  const std::string dot = to_dot(y, {.values = true, .title = nasty});
  ASSERT_NO_THROW(graph::validate_dot(dot));
  render(y, dir.file("nasty.svg"), {.title = nasty});
  const std::string svg = testing::read_file(dir.file("nasty.svg"));
  EXPECT_TRUE(testing::xml_safe_utf8(svg));
  EXPECT_THAT(testing::svg_texts(svg), ::testing::Contains("W \"1\" \\ {a|b} <c> & é 权"));
  EXPECT_THAT(testing::svg_texts(svg), ::testing::Contains("\u2409\u2401\uFFFD end\\"));
}

TEST(Render, WritesEveryFormat) {
  testing::TempDir dir;
  const Tensor out = dense_layer().out;
  for (const char* name : {"g.svg", "g.png", "g.pdf"}) {
    render(out, dir.file(name));
    EXPECT_GT(testing::read_file(dir.file(name)).size(), 100u) << name;
  }
  render(out, dir.file("g.dot"));
  EXPECT_EQ(testing::read_file(dir.file("g.dot")), to_dot(out));
  EXPECT_THROW(render(out, dir.file("g.gif")), IoError);
}

TEST(Render, SvgTooltipsShowTheSummaries) {
  testing::TempDir dir;
  render(dense_layer().out, dir.file("g.svg"));
  const auto tips = testing::svg_tooltips(testing::read_file(dir.file("g.svg")));
  EXPECT_THAT(tips,
              ::testing::Contains("b (parameter)\n[1,3] float32\nvalue: [[0, 0, 0]]\ngrad: none"));
}

// y = tanh(y + c) repeated: 100,000 op nodes plus 50,001 leaves.
Tensor long_chain(int ops) {
  Tensor y = ones({1, 3}).set_requires_grad().set_name("x");
  for (int i = 0; i < ops / 2; ++i) y = tanh(y + full({1, 3}, 0.001 * (i % 7)));
  return y;
}

TEST(LargeGraphs, AHundredThousandNodeChainExportsAndRenders) {
  const Tensor y = long_chain(100'000);
  ASSERT_EQ(graph_size(y), 100'000u);
  const graph::Dag dag = build_dag(y);
  EXPECT_EQ(boost::num_vertices(dag), 150'001u);
  const std::string dot = to_dot(y);
  EXPECT_NO_THROW(graph::validate_dot(dot));
  testing::TempDir dir;
  render(y, dir.file("chain.svg"));
  const std::string svg = testing::read_file(dir.file("chain.svg"));
  EXPECT_THAT(svg, HasSubstr("99999 ops: add, tanh"));
  EXPECT_THAT(svg, HasSubstr("summarised for drawing: 150001 vertices shown as 4"));
}

// ---- golden files ----

std::string source_path(const std::string& relative) {
  return std::string(DAGRAD_SOURCE_DIR) + "/" + relative;
}

void expect_matches_golden(const std::string& relative, const std::string& actual,
                           const char* update_variable) {
  const std::string path = source_path(relative);
  if (std::getenv(update_variable)) {
    testing::write_file(path, actual);
    GTEST_SKIP() << "rewrote " << path;
  }
  std::string expected;
  try {
    expected = testing::read_file(path);
  } catch (const std::exception&) {
    FAIL() << path << " is missing; create it with " << update_variable << "=1";
  }
  if (expected == actual) return;
  const std::string actual_path =
      (std::filesystem::temp_directory_path() /
       std::filesystem::path(relative).filename().replace_extension(".actual.dot"))
          .string();
  testing::write_file(actual_path, actual);
  ADD_FAILURE() << testing::golden_mismatch(path, expected, actual, actual_path);
}

TEST(Golden, DenseLayerDot) {
  expect_matches_golden("tests/graph/golden/dense_layer.dot", to_dot(dense_layer().out),
                        "DAGRAD_UPDATE_GOLDEN");
}

// docs/dense_layer.dot and .svg are the README's picture. This test keeps the committed DOT in
// step with the code; DAGRAD_WRITE_DOCS=1 regenerates both files.
TEST(Golden, DocsDenseLayer) {
  const ExportOptions options{.values = true, .title = "dense layer: softmax(x @ W + b)"};
  const DenseLayer d = dense_layer();
  if (std::getenv("DAGRAD_WRITE_DOCS")) {
    render(d.out, source_path("docs/dense_layer.dot"), options);
    render(d.out, source_path("docs/dense_layer.svg"), options);
    GTEST_SKIP() << "rewrote docs/dense_layer.dot and docs/dense_layer.svg";
  }
  expect_matches_golden("docs/dense_layer.dot", to_dot(d.out, options), "DAGRAD_WRITE_DOCS");
}

}  // namespace
}  // namespace dagrad
