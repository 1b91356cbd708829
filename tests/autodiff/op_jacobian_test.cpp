// Every op in the registry: its closed-form Jacobian, its VJP and central differences agree.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/op.hpp>
#include <dagrad/core/random.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/ops.hpp>

namespace dagrad {
namespace {

struct Point {
  std::vector<Tensor> inputs;
  Attrs attrs;
};

// Built-in ops without a derivative: their outputs are integers (argmax) or they only take
// integers (one_hot), so there is nothing to differentiate.
const std::set<std::string> kNotDifferentiable = {"argmax", "one_hot"};

// Ops registered by other tests in this binary are named test_*; the sweep covers the built-ins.
bool is_builtin(const OpDef& op) {
  return op.name.rfind("test_", 0) != 0;
}

using Shapes = std::vector<std::int64_t>;

// Points inside each op's domain (positive for log/sqrt/pow and div's denominator, away from
// kinks and ties), on non-square shapes so a missing transpose shows, with broadcasting.
std::vector<Point> points_for(const OpDef& op) {
  Generator gen(static_cast<std::uint64_t>(std::hash<std::string>{}(op.name) % 1000));
  auto pos = [&](const Shape& s) { return uniform(s, 0.5, 2.0, gen, DType::f64); };
  auto any = [&](const Shape& s) { return uniform(s, -2.0, 2.0, gen, DType::f64); };
  auto away_from_zero = [&](const Shape& s) {
    Tensor t = uniform(s, 0.3, 2.0, gen, DType::f64);
    double* p = t.data<double>();
    for (std::int64_t i = 0; i < t.numel(); i += 2) p[i] = -p[i];
    return t;
  };
  const Tensor labels = Tensor::from_values({2}, std::vector<std::int64_t>{2, 0});
  const Tensor labels3 = Tensor::from_values({3}, std::vector<std::int64_t>{1, 3, 0});
  auto shape = [](Shapes s) { return Attrs{{"shape", std::move(s)}}; };
  auto axis = [](std::int64_t a, bool keepdim = false) {
    Attrs attrs{{"axis", a}};
    if (keepdim) attrs.set("keepdim", true);
    return attrs;
  };
  const std::string& n = op.name;
  if (n == "matmul")
    return {{{any({2, 3}), any({3, 4})}, {}},
            {{any({3, 2}), any({3, 4})}, {{"transpose_a", true}}},
            {{any({2, 3}), any({4, 3})}, {{"transpose_b", true}}},
            {{any({3, 2}), any({4, 3})}, {{"transpose_a", true}, {"transpose_b", true}}},
            {{any({2, 2, 3}), any({3, 4})}, {}},        // b broadcast over a's batch
            {{any({2, 3}), any({2, 3, 4})}, {}},        // a broadcast over b's batch
            {{any({2, 1, 2, 3}), any({3, 3, 4})}, {}},  // both batches broadcast
            {{any({3}), any({3, 4})}, {}},              // vector · matrix
            {{any({2, 3}), any({3})}, {}}};             // matrix · vector
  if (n == "add" || n == "sub" || n == "mul")
    return {{{any({2, 3}), any({2, 3})}, {}},
            {{any({2, 3}), any({1, 3})}, {}},
            {{any({2, 1}), any({3})}, {}},
            {{any({}), any({2, 3})}, {}},
            {{any({4, 1, 3}), any({2, 1})}, {}}};
  if (n == "div")
    return {{{any({2, 3}), pos({2, 1})}, {}},
            {{any({3}), pos({2, 3})}, {}},
            {{any({2, 3}), pos({})}, {}},
            {{any({1, 3}), pos({4, 1})}, {}}};
  if (n == "mse_loss") return {{{any({2, 3}), any({2, 3})}, {}}, {{any({5}), any({5})}, {}}};
  if (n == "cross_entropy" || n == "nll_loss")
    return {{{any({2, 3}), labels}, {}}, {{any({3, 4}), labels3}, {}}};
  if (n == "one_hot") return {{{labels}, {{"num_classes", std::int64_t{3}}}}};
  if (n == "log" || n == "sqrt") return {{{pos({2, 3})}, {}}};
  if (n == "pow") return {{{pos({2, 3})}, {{"p", 2.5}}}};
  if (n == "relu" || n == "step") return {{{away_from_zero({2, 3})}, {}}};
  if (n == "max" || n == "argmax")
    return {{{any({2, 3})}, axis(1)}, {{any({2, 3})}, axis(0, true)}, {{any({2, 3, 4})}, axis(1)}};
  if (n == "sum_to")
    return {{{any({2, 3})}, shape({1, 3})},
            {{any({2, 3})}, shape({3})},
            {{any({2, 3, 4})}, shape({2, 1, 4})},
            {{any({2, 3})}, shape({})}};
  if (n == "broadcast_to")
    return {{{any({1, 3})}, shape({2, 3})},
            {{any({3})}, shape({2, 3})},
            {{any({2, 1, 4})}, shape({2, 3, 4})},
            {{any({})}, shape({2, 3})}};
  if (n == "reshape") return {{{any({2, 3})}, shape({3, 2})}, {{any({6})}, shape({2, 1, 3})}};
  if (n == "transpose")
    return {{{any({2, 3})}, {}},
            {{any({2, 3, 4})}, {{"axis0", std::int64_t{0}}, {"axis1", std::int64_t{2}}}},
            {{any({2, 3, 4})}, {}}};
  if (n == "softmax" || n == "log_softmax")
    return {{{any({2, 3})}, axis(0)}, {{any({2, 3})}, {}}, {{any({2, 3, 4})}, axis(1)}};
  if (n == "sum" || n == "mean")
    return {{{any({2, 3})}, axis(0)},
            {{any({2, 3})}, axis(1, true)},
            {{any({2, 3})}, {}},
            {{any({2, 3, 4})}, {{"axis", Shapes{0, 2}}}}};
  return {{{any({2, 3})}, {}}};
}

std::string shapes_of(const Point& p) {
  std::string s;
  for (const Tensor& t : p.inputs) s += (s.empty() ? "" : " ") + to_string(t.shape());
  return s + (p.attrs.empty() ? "" : " (" + p.attrs.to_string() + ")");
}

// Every differentiable built-in op writes its Jacobian down itself (OpDef::jacobian), so the
// sweep below compares three independent things; without it op_jacobian would assemble the
// "explicit" Jacobian from the vjp and compare the vjp with itself.
TEST(OpJacobian, EveryDifferentiableBuiltInOpHasAClosedForm) {
  int differentiable = 0;
  for (const OpDef* op : registry().all()) {
    if (!is_builtin(*op)) continue;
    if (!op->vjp) {
      EXPECT_TRUE(kNotDifferentiable.count(op->name))
          << "op '" << op->name << "' has no vjp; if it is not differentiable, add it to "
          << "kNotDifferentiable here";
      continue;
    }
    ++differentiable;
    EXPECT_TRUE(static_cast<bool>(op->jacobian))
        << "op '" << op->name << "' has no closed-form jacobian facet (OpDef::jacobian in "
        << "ops/" << op->name << ".cpp or the file that registers it)";
  }
  EXPECT_GE(differentiable, 26);
}

TEST(OpJacobian, ClosedFormVjpAndFiniteDifferencesAgreeForEveryOp) {
  int checked = 0;
  for (const OpDef* op : registry().all()) {
    if (!is_builtin(*op)) continue;
    for (const Point& p : points_for(*op)) {
      SCOPED_TRACE(op->name + " at " + shapes_of(p));
      for (std::size_t input = 0; input < p.inputs.size(); ++input) {
        if (!is_floating(p.inputs[input].dtype())) continue;
        const Tensor closed = op_jacobian(*op, p.inputs, p.attrs, input);
        const Tensor vjp_j = op_jacobian_from_vjp(*op, p.inputs, p.attrs, input);
        ASSERT_EQ(closed.shape(), vjp_j.shape());
        const std::int64_t n_out = closed.shape()[0], n_in = closed.shape()[1];
        ASSERT_EQ(n_in, p.inputs[input].numel());
        // Central differences, column by column.
        std::vector<Tensor> x;
        for (const Tensor& t : p.inputs) x.push_back(t.clone());
        double* px = x[input].data<double>();
        const bool differentiable = static_cast<bool>(op->vjp);
        for (std::int64_t i = 0; i < n_in; ++i) {
          const double saved = px[i];
          px[i] = saved + 1e-6;
          const auto plus = apply(*op, x, p.attrs).to_vector();
          px[i] = saved - 1e-6;
          const auto minus = apply(*op, x, p.attrs).to_vector();
          px[i] = saved;
          for (std::int64_t o = 0; o < n_out; ++o) {
            const double numeric = differentiable ? (plus[o] - minus[o]) / 2e-6 : 0.0;
            EXPECT_NEAR(closed.at({o, i}), vjp_j.at({o, i}), 1e-12)
                << "closed form vs vjp, input " << input << " entry " << o << "," << i;
            EXPECT_NEAR(closed.at({o, i}), numeric, 1e-6 * std::max(1.0, std::abs(numeric)))
                << "closed form vs central differences, input " << input << " entry " << o << ","
                << i;
          }
        }
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 70);
}

TEST(OpJacobian, LabelsAndMissingInputsHaveNoJacobianInEitherForm) {
  const OpDef& ce = registry().get("cross_entropy");
  const std::vector<Tensor> in{randn({2, 3}, 3, DType::f64),
                               Tensor::from_values({2}, std::vector<std::int64_t>{2, 0})};
  EXPECT_THROW(op_jacobian(ce, in, {}, 1), DTypeError);
  EXPECT_THROW(op_jacobian_from_vjp(ce, in, {}, 1), DTypeError);
  EXPECT_THROW(op_jacobian(ce, in, {}, 2), GraphError);
  EXPECT_THROW(op_jacobian_from_vjp(ce, in, {}, 2), GraphError);
}

TEST(OpJacobian, SoftmaxIsDiagSMinusSSt) {
  const Tensor x = randn({2, 4}, 21, DType::f64);
  const Tensor j = op_jacobian(registry().get("softmax"), std::vector<Tensor>{x}, {}, 0);
  const Tensor s = softmax(x);
  for (std::int64_t r = 0; r < 2; ++r)
    for (std::int64_t a = 0; a < 4; ++a)
      for (std::int64_t b = 0; b < 4; ++b) {
        const double sa = s.at({r, a}), sb = s.at({r, b});
        EXPECT_NEAR(j.at({r * 4 + a, r * 4 + b}), sa * ((a == b) - sb), 1e-15);
        EXPECT_EQ(j.at({r * 4 + a, (1 - r) * 4 + b}), 0.0);  // rows do not mix
      }
}

}  // namespace
}  // namespace dagrad
