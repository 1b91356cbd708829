// The seed's layers, end to end: O = σ(X·W + b) and softmax(x·W + b), against torch, and
// gradient-checked with every parameter at once; a two-layer classifier's loss likewise.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Tensor dense_sigmoid(const std::vector<Tensor>& in) {
  return sigmoid(matmul(in[0], in[1]) + in[2]);
}
Tensor dense_softmax(const std::vector<Tensor>& in) {
  return softmax(matmul(in[0], in[1]) + in[2]);
}

TEST(DenseSigmoid, MatchesTorchReferences) {
  check_reference_cases("dense_sigmoid", {{"2x3_3x4_4", dense_sigmoid}});
}

TEST(DenseSoftmax, MatchesTorchReferences) {
  check_reference_cases("dense_softmax", {{"3x4_4x3_1x3", dense_softmax}});
}

Tensor two_layer_loss(const std::vector<Tensor>& in) {
  static const Tensor y = Tensor::from_values({4}, std::vector<std::int64_t>{2, 0, 1, 2});
  const Tensor h = tanh(matmul(in[0], in[1]) + in[2]);
  return cross_entropy(matmul(h, in[3]) + in[4], y);
}

INSTANTIATE_TEST_SUITE_P(
    DenseLayers, OpGradcheck,
    ::testing::ValuesIn(std::vector<OpCase>{
        {"sigmoid_2x3_3x4_4", {{2, 3}, {3, 4}, {4}}, {any()}, dense_sigmoid},
        {"sigmoid_bias_1x4", {{2, 3}, {3, 4}, {1, 4}}, {any()}, dense_sigmoid},
        {"softmax_3x4_4x3_1x3",
         {{3, 4}, {4, 3}, {1, 3}},
         {any()},
         dense_softmax,
         GradcheckOptions{},
         true},
        {"two_layer_cross_entropy", {{4, 3}, {3, 5}, {5}, {5, 3}, {3}}, {any()}, two_layer_loss},
    }),
    op_case_name);

}  // namespace
}  // namespace dagrad::testing
