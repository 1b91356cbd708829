// A float64 gradient checker in the flashlight style: the full Jacobian of f at the given inputs
// by central differences, against the Jacobian assembled from backward() with a one-hot upstream
// gradient per output element.
//
// Agreement per entry (analytic a, numeric n):
//   err = |a − n| / max(|a|, |n|, floor)     must be ≤ tolerance (default 1e-6)
// i.e. a relative error, which for entries smaller than `floor` becomes an absolute error of
// tolerance·floor (the central difference itself carries ~1e-10 of rounding noise at eps 1e-6).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <dagrad/core/tensor.hpp>

namespace dagrad::testing {

using Fn = std::function<Tensor(const std::vector<Tensor>&)>;

struct GradcheckOptions {
  double eps = 1e-6;        // central-difference step
  double tolerance = 1e-6;  // on the mixed relative error above
  double floor = 1e-2;      // below this magnitude, the error is measured absolutely
};

struct GradcheckResult {
  bool ok = true;
  double max_error = 0;  // the largest mixed relative error seen
  std::string report;    // every failing entry (first 20), or a summary when ok
};

// f maps float64 inputs to one float64 output. The inputs are copied into fresh leaves that
// require grad; the caller's tensors are left untouched. A gradient that never arrives at an
// input counts as zero.
GradcheckResult gradcheck(const Fn& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options = {});

// The analytic Jacobian, one row per output element and one column per input element
// (inputs concatenated), from backward() with one-hot upstream gradients.
std::vector<std::vector<double>> analytic_jacobian(const Fn& f, const std::vector<Tensor>& inputs);
// The same by central differences.
std::vector<std::vector<double>> numeric_jacobian(const Fn& f, const std::vector<Tensor>& inputs,
                                                  double eps);

// Fixed pseudo-random weights in [0.5, 1.5) with alternating sign, of the given shape: reducing
// with these instead of a plain sum keeps gradient checks honest for ops whose plain sum is
// constant (sum(softmax) ≡ 1, whose gradient is zero whatever the backward does).
Tensor random_weights(const Shape& shape, unsigned seed = 7, DType dtype = DType::f64);
// Σ t ⊙ w: a scalar, recorded in the graph.
Tensor weighted_sum(const Tensor& t, const Tensor& weights);
// f followed by a weighted sum with random_weights of f's output shape.
Fn reduce_with_random_weights(Fn f, unsigned seed = 7);

}  // namespace dagrad::testing

// EXPECT_GRADCHECK(f, inputs): runs gradcheck and prints its report on failure.
#define EXPECT_GRADCHECK(f, ...)                                                 \
  do {                                                                           \
    const auto gradcheck_result_ = ::dagrad::testing::gradcheck(f, __VA_ARGS__); \
    EXPECT_TRUE(gradcheck_result_.ok) << gradcheck_result_.report;               \
  } while (0)
