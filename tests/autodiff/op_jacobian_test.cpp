// Every op in the registry: its explicit Jacobian, its VJP and central differences agree.
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

// Inputs inside each op's domain (positive for log/sqrt/pow, away from kinks and ties).
Point point_for(const OpDef& op) {
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
  const std::string& n = op.name;
  if (n == "matmul") return {{any({2, 3}), any({3, 4})}, {}};
  if (n == "add" || n == "sub" || n == "mul") return {{any({2, 3}), any({1, 3})}, {}};
  if (n == "div") return {{any({2, 3}), pos({2, 1})}, {}};
  if (n == "mse_loss") return {{any({2, 3}), any({2, 3})}, {}};
  if (n == "cross_entropy" || n == "nll_loss") return {{any({2, 3}), labels}, {}};
  if (n == "one_hot") return {{labels}, {{"num_classes", std::int64_t{3}}}};
  if (n == "log" || n == "sqrt") return {{pos({2, 3})}, {}};
  if (n == "pow") return {{pos({2, 3})}, {{"p", 2.5}}};
  if (n == "relu" || n == "step") return {{away_from_zero({2, 3})}, {}};
  if (n == "max" || n == "argmax") return {{any({2, 3})}, {{"axis", std::int64_t{1}}}};
  if (n == "sum_to") return {{any({2, 3})}, {{"shape", std::vector<std::int64_t>{1, 3}}}};
  if (n == "broadcast_to") return {{any({1, 3})}, {{"shape", std::vector<std::int64_t>{2, 3}}}};
  if (n == "reshape") return {{any({2, 3})}, {{"shape", std::vector<std::int64_t>{3, 2}}}};
  if (n == "softmax" || n == "log_softmax") return {{any({2, 3})}, {{"axis", std::int64_t{0}}}};
  if (n == "sum" || n == "mean") return {{any({2, 3})}, {{"axis", std::int64_t{0}}}};
  return {{any({2, 3})}, {}};
}

TEST(OpJacobian, ExplicitVjpAndFiniteDifferencesAgreeForEveryOp) {
  int checked = 0, closed_forms = 0;
  for (const OpDef* op : registry().all()) {
    if (op->name.rfind("test_", 0) == 0) continue;  // ops registered by other tests
    SCOPED_TRACE(op->name);
    Point p = point_for(*op);
    for (std::size_t input = 0; input < p.inputs.size(); ++input) {
      if (!is_floating(p.inputs[input].dtype())) continue;
      const Tensor explicit_j = op_jacobian(*op, p.inputs, p.attrs, input);
      const Tensor vjp_j = op_jacobian_from_vjp(*op, p.inputs, p.attrs, input);
      ASSERT_EQ(explicit_j.shape(), vjp_j.shape());
      const std::int64_t n_out = explicit_j.shape()[0], n_in = explicit_j.shape()[1];
      // Central differences, column by column.
      std::vector<Tensor> x;
      for (const Tensor& t : p.inputs) x.push_back(t.clone());
      double* px = x[input].data<double>();
      for (std::int64_t i = 0; i < n_in; ++i) {
        const double saved = px[i];
        px[i] = saved + 1e-6;
        const auto plus = apply(*op, x, p.attrs).to_vector();
        px[i] = saved - 1e-6;
        const auto minus = apply(*op, x, p.attrs).to_vector();
        px[i] = saved;
        for (std::int64_t o = 0; o < n_out; ++o) {
          const bool differentiable = static_cast<bool>(op->vjp);
          const double numeric = differentiable ? (plus[o] - minus[o]) / 2e-6 : 0.0;
          EXPECT_NEAR(explicit_j.at({o, i}), vjp_j.at({o, i}), 1e-12) << "entry " << o << "," << i;
          EXPECT_NEAR(vjp_j.at({o, i}), numeric, 1e-6 * std::max(1.0, std::abs(numeric)))
              << "input " << input << " entry " << o << "," << i;
        }
      }
      ++checked;
    }
    if (op->jacobian) ++closed_forms;
  }
  EXPECT_GE(checked, 25);
  EXPECT_GE(closed_forms, 11);
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
