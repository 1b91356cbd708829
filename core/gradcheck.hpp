// gradcheck: compares the engine's gradients of a function with central finite differences, in
// float64, over every element of every input — for users' own functions and ops.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include <dagrad/core/op.hpp>
#include <dagrad/core/tensor.hpp>

namespace dagrad {

struct GradcheckOptions {
  double eps = 1e-6;   // finite-difference step
  double atol = 1e-5;  // pass when |analytic − numeric| ≤ atol + rtol·|numeric|
  double rtol = 1e-3;
};

// The worst disagreement found, or the first one beyond tolerance.
struct GradcheckMismatch {
  std::size_t input = 0;          // which input
  std::int64_t input_index = 0;   // flat element index in that input
  std::int64_t output_index = 0;  // flat element index in the output
  double analytic = 0, numeric = 0, abs_error = 0, rel_error = 0;
};

struct GradcheckResult {
  bool ok = true;
  double max_abs_error = 0, max_rel_error = 0;
  GradcheckMismatch worst;  // valid when !ok
  std::string nearest_op;   // the first op (inputs first) whose own derivative disagrees
  std::string report;       // one line when ok; the details when not
};

using TensorFn = std::function<Tensor(std::span<const Tensor>)>;

// Calls f on float64 leaf copies of inputs (integer inputs pass through untouched, as labels
// do) and compares the full Jacobian from backward with central differences.
GradcheckResult gradcheck(const TensorFn& f, std::span<const Tensor> inputs,
                          const GradcheckOptions& options = {});

// Checks one op at the given inputs (float64 copies), as gradcheck does for a function.
GradcheckResult gradcheck_op(const OpDef& op, std::span<const Tensor> inputs, const Attrs& attrs,
                             const GradcheckOptions& options = {});

}  // namespace dagrad
