// Reference values from PyTorch (tools/reference/make_op_references.py, float64), compiled in
// from tests/ops/reference_values.inc, and the check that runs an op against them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <dagrad/core/tensor.hpp>

#include "ops/support/gradcheck.hpp"

namespace dagrad::testing {

enum class RefKind { none, f64, i64 };

struct RefTensor {
  RefKind kind = RefKind::none;  // none: no value (a non-differentiable input's gradient)
  Shape shape;
  std::vector<double> values;
  Tensor make(DType floating = DType::f64) const;  // i64 stays int64
};

struct RefCase {
  std::string op, variant;
  std::vector<RefTensor> inputs;
  RefTensor output;
  RefTensor weights;             // none when the op is not differentiable
  std::vector<RefTensor> grads;  // of Σ output ⊙ weights, one per input
};

const std::vector<RefCase>& reference_cases();

// For each reference case of `op`, calls variants.at(case.variant) on the case's inputs and
// compares, in float64, the output and the gradients of Σ output ⊙ weights; then the output
// again with float32 inputs. Fails when a case has no variant here or a variant has no case.
void check_reference_cases(const std::string& op, const std::map<std::string, Fn>& variants);

}  // namespace dagrad::testing
