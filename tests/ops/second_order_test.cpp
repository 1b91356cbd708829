// Derivatives are written with dagrad's own ops, so they can be differentiated again: for each
// op, the gradient of Σ w ⊙ op(x) (create_graph) is itself gradient-checked as a function of x.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "ops/support/op_table.hpp"

namespace dagrad::testing {
namespace {

// x -> ∂/∂x_k Σ w ⊙ f(x), recorded, as a function gradcheck can differentiate once more.
Fn gradient_of(Fn f, std::size_t k = 0) {
  return [f = std::move(f), k](const std::vector<Tensor>& in) {
    EnableGradGuard recording;  // the numeric pass runs under no_grad; this one must record
    std::vector<Tensor> xs;
    for (const Tensor& t : in) xs.push_back(t.requires_grad() ? t : t.detach().set_requires_grad());
    const Tensor y = f(xs);
    const Tensor loss = weighted_sum(y, random_weights(y.shape(), 11, y.dtype()));
    GradOptions o;
    o.create_graph = true;
    return grad(std::span<const Tensor>(&loss, 1), xs, o)[k];
  };
}

Fn unary(Tensor (*op)(const Tensor&)) {
  return [op](const std::vector<Tensor>& in) { return op(in[0]); };
}
Fn binary(Tensor (*op)(const Tensor&, const Tensor&)) {
  return [op](const std::vector<Tensor>& in) { return op(in[0], in[1]); };
}

OpCase second(std::string name, std::vector<Shape> shapes, std::vector<Domain> domains, Fn f,
              std::size_t k = 0) {
  return {std::move(name), std::move(shapes), std::move(domains), gradient_of(std::move(f), k)};
}

Tensor labels() {
  return Tensor::from_values({3}, std::vector<std::int64_t>{1, 0, 3});
}

INSTANTIATE_TEST_SUITE_P(
    SecondOrder, OpGradcheck,
    ::testing::ValuesIn(std::vector<OpCase>{
        second("sigmoid", {{2, 3}}, {any()}, unary(sigmoid)),
        second("tanh", {{2, 3}}, {any()}, unary(tanh)),
        second("exp", {{2, 3}}, {any()}, unary(exp)),
        second("log", {{2, 3}}, {positive()}, unary(log)),
        second("sqrt", {{2, 3}}, {positive()}, unary(sqrt)),
        second("square", {{2, 3}}, {any()}, unary(square)),
        second("pow_2_5", {{2, 3}}, {positive()},
               [](const std::vector<Tensor>& in) { return pow(in[0], 2.5); }),
        second("relu", {{2, 3}}, {away_from_zero()}, unary(relu)),
        second("mul_da", {{2, 3}, {3}}, {any()}, binary(mul), 0),
        second("mul_db", {{2, 3}, {3}}, {any()}, binary(mul), 1),
        second("div_da", {{2, 3}, {2, 1}}, {any(), away_from_zero()}, binary(div), 0),
        second("div_db", {{2, 3}, {2, 1}}, {any(), away_from_zero()}, binary(div), 1),
        second(
            "matmul_da", {{2, 3}, {3, 4}}, {any()},
            [](const std::vector<Tensor>& in) { return square(matmul(in[0], in[1])); }, 0),
        second(
            "matmul_db", {{2, 3}, {3, 4}}, {any()},
            [](const std::vector<Tensor>& in) { return square(matmul(in[0], in[1])); }, 1),
        second("softmax", {{2, 4}}, {any()},
               [](const std::vector<Tensor>& in) { return softmax(in[0]); }),
        second("softmax_axis0", {{3, 2}}, {any()},
               [](const std::vector<Tensor>& in) { return softmax(in[0], 0); }),
        second("log_softmax", {{2, 4}}, {any()},
               [](const std::vector<Tensor>& in) { return log_softmax(in[0]); }),
        second("cross_entropy", {{3, 4}}, {any()},
               [](const std::vector<Tensor>& in) { return cross_entropy(in[0], labels()); }),
        second("mse_loss", {{2, 3}, {2, 3}}, {any()},
               [](const std::vector<Tensor>& in) { return mse_loss(in[0], in[1]); }),
        second("mean_then_square", {{2, 3}}, {any()},
               [](const std::vector<Tensor>& in) { return square(mean(in[0], {1})); }),
        second("max_then_square", {{2, 3}}, {distinct()},
               [](const std::vector<Tensor>& in) { return square(max(in[0], 1)); }),
        second("transpose_then_mul", {{2, 3}}, {any()},
               [](const std::vector<Tensor>& in) { return matmul(transpose(in[0]), in[0]); }),
        second(
            "dense_sigmoid", {{2, 3}, {3, 4}}, {any()},
            [](const std::vector<Tensor>& in) { return sigmoid(matmul(in[0], in[1])); }, 1),
    }),
    op_case_name);

}  // namespace
}  // namespace dagrad::testing
