// Tensor hooks (inspect, replace, remove) and anomaly mode (the first NaN/Inf names its op).
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include <dagrad/core/anomaly.hpp>
#include <dagrad/core/export.hpp>
#include <dagrad/core/grad_mode.hpp>
#include <dagrad/core/node.hpp>
#include <dagrad/ops/ops.hpp>

namespace dagrad {
namespace {

TEST(Hooks, SeeTheTotalGradientOfALeafAndCanReplaceIt) {
  Tensor x = tensor({1.0, 2.0}, DType::f64).set_requires_grad();
  std::vector<double> seen;
  auto h = x.register_hook([&](const Tensor& g) {
    seen = g.to_vector();
    return mul(g, 10.0);
  });
  sum(add(mul(x, x), x)).backward();  // two edges into x: 2x and 1
  EXPECT_EQ(seen, (std::vector<double>{3.0, 5.0}));
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{30.0, 50.0}));
  h.remove();
  x.zero_grad();
  sum(add(mul(x, x), x)).backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{3.0, 5.0}));
}

TEST(Hooks, OnANonLeafChangeWhatFlowsOn) {
  Tensor x = tensor({1.0, -1.0}, DType::f64).set_requires_grad();
  Tensor y = mul(x, 3.0);
  y.register_hook([](const Tensor& g) { return mul(g, 0.0); });
  sum(y).backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{0.0, 0.0}));
}

TEST(Hooks, ReturningTheWrongShapeIsAGraphError) {
  Tensor x = tensor({1.0, 2.0}, DType::f64).set_requires_grad();
  x.register_hook([](const Tensor&) { return zeros({3}, DType::f64); });
  EXPECT_THROW(sum(x).backward(), GraphError);
}

TEST(Hooks, NeedATensorThatRequiresGrad) {
  Tensor x = tensor({1.0});
  EXPECT_THROW(x.register_hook([](const Tensor& g) { return g; }), GraphError);
}

TEST(Anomaly, ForwardNaNNamesTheOpAndMarksItsNode) {
  Tensor x = tensor({1.0, 2.0}, DType::f64).set_requires_grad();
  AnomalyGuard guard;
  try {
    const Tensor y = log(x - 2.0);  // log(-1) = nan, log(0) = -inf
    FAIL() << "no error";
  } catch (const AnomalyError& e) {
    EXPECT_NE(std::string(e.what()).find("log"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[2]"), std::string::npos) << e.what();
    ASSERT_TRUE(e.tensor().grad_fn());
    EXPECT_TRUE(e.tensor().grad_fn()->anomalous);
    // The picture shows it: the log node's line carries the red colour.
    const std::string dot = to_dot(e.tensor());
    std::istringstream lines(dot);
    bool log_is_red = false;
    for (std::string line; std::getline(lines, line);)
      if (line.find("label=\"log") != std::string::npos &&
          line.find("#d32f2f") != std::string::npos)
        log_is_red = true;
    EXPECT_TRUE(log_is_red) << dot;
  }
}

TEST(Anomaly, BackwardInfNamesTheOpWhoseDerivativeProducedIt) {
  Tensor x = tensor({0.0, 4.0}, DType::f64).set_requires_grad();
  const Tensor y = sum(sqrt(x));  // fine forward; d sqrt at 0 is inf
  AnomalyGuard guard;
  try {
    y.backward();
    FAIL() << "no error";
  } catch (const AnomalyError& e) {
    EXPECT_NE(std::string(e.what()).find("sqrt: backward"), std::string::npos) << e.what();
  }
}

TEST(Anomaly, ScopeIsNamedInTheMessage) {
  Tensor x = tensor({-1.0}, DType::f64).set_requires_grad();
  AnomalyGuard guard;
  ScopeGuard scope("fc1");
  try {
    (void)sqrt(x);
    FAIL() << "no error";
  } catch (const AnomalyError& e) {
    EXPECT_NE(std::string(e.what()).find("fc1"), std::string::npos) << e.what();
  }
}

// The line of the DOT output that draws the node labelled `label` (first match), or "".
std::string dot_line_of(const std::string& dot, const std::string& label) {
  std::istringstream lines(dot);
  for (std::string line; std::getline(lines, line);)
    if (line.find("label=\"" + label) != std::string::npos) return line;
  return "";
}

TEST(Anomaly, BackwardFaultNamesOpShapesAndScopeAndPaintsThatNodeRed) {
  Tensor x = tensor({{0.0, 4.0, 1.0}}, DType::f64).set_requires_grad();
  Tensor y;
  {
    ScopeGuard scope("encoder");
    ScopeGuard inner("fc1");
    y = sum(mul(sqrt(x), 2.0));  // fine forward; d sqrt at 0 is inf
  }
  AnomalyGuard guard;
  try {
    y.backward();
    FAIL() << "no error";
  } catch (const AnomalyError& e) {
    const std::string what = e.what();
    for (const char* part : {"sqrt: backward", "gradient of input 0", "[1,3] float64",
                             "in scope 'encoder/fc1'", "node #"})
      EXPECT_NE(what.find(part), std::string::npos) << part << " missing from: " << what;
    // The error carries the root, whose picture shows the sqrt node red and nothing else.
    ASSERT_EQ(e.tensor().impl(), y.impl());
    const std::string dot = to_dot(e.tensor());
    const std::string sqrt_line = dot_line_of(dot, "sqrt");
    ASSERT_FALSE(sqrt_line.empty()) << dot;
    EXPECT_NE(sqrt_line.find("#d32f2f"), std::string::npos) << sqrt_line;
    for (const char* other : {"mul", "sum"}) {
      const std::string line = dot_line_of(dot, other);
      ASSERT_FALSE(line.empty()) << other << " not drawn: " << dot;
      EXPECT_EQ(line.find("#d32f2f"), std::string::npos) << other << " painted red: " << line;
    }
  }
}

TEST(Anomaly, AnUnrecordedForwardStillNamesItsScope) {
  const Tensor x = tensor({-1.0, 1.0}, DType::f64);  // no gradient wanted: no node is recorded
  AnomalyGuard guard;
  ScopeGuard scope("preprocess");
  try {
    (void)log(x);
    FAIL() << "no error";
  } catch (const AnomalyError& e) {
    const std::string what = e.what();
    for (const char* part : {"log: forward", "[2] float64", "in scope 'preprocess'"})
      EXPECT_NE(what.find(part), std::string::npos) << part << " missing from: " << what;
  }
}

TEST(Anomaly, OffByDefaultAndRestoredAfterTheGuard) {
  Tensor x = tensor({-1.0}, DType::f64).set_requires_grad();
  { AnomalyGuard guard; }
  EXPECT_FALSE(anomaly_enabled());
  EXPECT_TRUE(std::isnan(sqrt(x).item()));
}

}  // namespace
}  // namespace dagrad
