// softmax: references, gradcheck (never through a plain sum), and the Jacobian: the VJP equals
// Jᵀg with J from softmax_jacobian, and J matches D_j S_i = S_i(δ_ij − S_j) entry by entry.
#include <cmath>

#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Fn softmax_along(std::int64_t axis = -1) {
  return [=](const std::vector<Tensor>& in) { return softmax(in[0], axis); };
}
Tensor call_jacobian(const std::vector<Tensor>& in) {
  return softmax_jacobian(in[0]);
}

TEST(Softmax, MatchesTorchReferences) {
  check_reference_cases("softmax", {{"3x4_axis-1", softmax_along(-1)},
                                    {"3x4_axis0", softmax_along(0)},
                                    {"2x3x4_axis1", softmax_along(1)},
                                    {"vec3", softmax_along(-1)}});
}

TEST(SoftmaxJacobian, MatchesTorchReferences) {
  check_reference_cases("softmax_jacobian", {{"2x3", call_jacobian}, {"2x3x4", call_jacobian}});
}

// The full Jacobian (one-hot upstream gradients) and the random-weights reduction: neither is
// fooled by Σ softmax ≡ 1.
OpCase softmax_case(std::string name, Shape shape, std::int64_t axis) {
  OpCase c{std::move(name), {std::move(shape)}, {any()}, softmax_along(axis)};
  c.reduce_with_weights = true;
  return c;
}
INSTANTIATE_TEST_SUITE_P(Softmax, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             softmax_case("3x4_axis-1", {3, 4}, -1),
                             softmax_case("3x4_axis0", {3, 4}, 0),
                             softmax_case("1x4", {1, 4}, -1),
                             softmax_case("3x1", {3, 1}, -1),
                             softmax_case("vec5", {5}, 0),
                             softmax_case("2x3x4_axis1", {2, 3, 4}, 1),
                             softmax_case("2x3x4_axis-3", {2, 3, 4}, -3),
                         }),
                         op_case_name);

// S of one row, computed here from the definition.
std::vector<double> softmax_row(const double* x, std::int64_t n) {
  double m = x[0];
  for (std::int64_t i = 1; i < n; ++i) m = std::max(m, x[i]);
  std::vector<double> s(n);
  double total = 0;
  for (std::int64_t i = 0; i < n; ++i) total += s[i] = std::exp(x[i] - m);
  for (double& v : s) v /= total;
  return s;
}

const Tensor& batch_input() {
  static const Tensor x = sample({2, 3, 5}, any(), 42);
  return x;
}

TEST(SoftmaxJacobian, MatchesTheSeedFormulaEntryByEntry) {
  const Tensor& x = batch_input();
  const Tensor jac = softmax_jacobian(x);
  ASSERT_EQ(jac.shape(), (Shape{2, 3, 5, 5}));
  const std::int64_t n = 5;
  for (std::int64_t r = 0; r < 6; ++r) {
    const std::vector<double> s = softmax_row(x.data<double>() + r * n, n);
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        const double want = s[i] * ((i == j ? 1.0 : 0.0) - s[j]);
        EXPECT_NEAR(jac.at({r / 3, r % 3, i, j}), want, 1e-15)
            << "row " << r << ", D_" << j << " S_" << i;
      }
  }
}

TEST(SoftmaxJacobian, IsTheJacobianBackwardComputes) {
  const Tensor x = sample({5}, any(), 7);
  const auto rows = analytic_jacobian(softmax_along(-1), {x});  // rows[i][j] = ∂S_i/∂x_j
  const Tensor jac = softmax_jacobian(x);
  for (std::int64_t i = 0; i < 5; ++i)
    for (std::int64_t j = 0; j < 5; ++j) EXPECT_NEAR(jac.at({i, j}), rows[i][j], 1e-15);
}

TEST(Softmax, VjpEqualsTheExplicitJacobianProduct) {
  Tensor x = batch_input().clone().set_requires_grad();
  const Tensor g = sample({2, 3, 5}, any(), 43);
  softmax(x).backward(g);
  const Tensor jac = softmax_jacobian(x.detach());
  const std::int64_t n = 5;
  const double* pj = jac.data<double>();
  const double* pg = g.data<double>();
  std::vector<double> want(30);
  for (std::int64_t r = 0; r < 6; ++r)
    for (std::int64_t j = 0; j < n; ++j) {
      double acc = 0;  // (Jᵀg)_j = Σ_i J_ij g_i
      for (std::int64_t i = 0; i < n; ++i) acc += pj[r * n * n + i * n + j] * pg[r * n + i];
      want[r * n + j] = acc;
    }
  EXPECT_TRUE(tensor_near(x.grad(), {2, 3, 5}, want, 1e-12, 1e-15));
}

TEST(Softmax, RowsSumToOne) {
  const Tensor s = softmax(batch_input(), 1);
  const Tensor total = sum(s, {1});
  EXPECT_TRUE(tensor_near(total, {2, 5}, std::vector<double>(10, 1.0), 1e-15, 0));
}

TEST(Softmax, BadAxisIsAShapeError) {
  EXPECT_THROW_WITH(softmax(zeros({2, 3}), -3), ShapeError, "softmax", "-3", "[2,3]");
  EXPECT_THROW_WITH(softmax(zeros({2, 3}), 2), ShapeError, "softmax", "2", "[2,3]");
  EXPECT_THROW_WITH(softmax_jacobian(zeros({})), ShapeError, "softmax_jacobian", "[]");
}

TEST(Softmax, IntegerInputIsADTypeError) {
  EXPECT_THROW_WITH(softmax(zeros({2, 3}, DType::i64)), DTypeError, "softmax", "int64");
}

}  // namespace
}  // namespace dagrad::testing
