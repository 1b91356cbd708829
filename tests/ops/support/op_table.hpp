// Table-driven gradient checks, in the style of JAX's op tests: each op expanded over shapes and
// over an input domain that suits it, each case checked with the float64 gradcheck.
//
//   INSTANTIATE_TEST_SUITE_P(Add, OpGradcheck, ::testing::ValuesIn(std::vector<OpCase>{
//       {"3x1_1x4", {{3, 1}, {1, 4}}, {any()}, [](auto& in) { return add(in[0], in[1]); }},
//   }), op_case_name);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <dagrad/core/tensor.hpp>

#include "ops/support/gradcheck.hpp"

namespace dagrad::testing {

// Where an input's values are drawn from.
struct Domain {
  enum class Kind {
    uniform,         // uniform in [lo, hi)
    away_from_zero,  // |x| uniform in [lo, hi), random sign: clear of relu's kink and of 1/x's pole
    distinct,        // a shuffled grid lo, lo+step, ...: no two values within `hi` of each other
  };
  Kind kind = Kind::uniform;
  double lo = -2, hi = 2;
};
inline Domain any() {
  return {Domain::Kind::uniform, -2, 2};
}
inline Domain positive() {
  return {Domain::Kind::uniform, 0.5, 3};
}
inline Domain away_from_zero() {
  return {Domain::Kind::away_from_zero, 0.2, 2};
}
inline Domain distinct() {
  return {Domain::Kind::distinct, -1.5, 0.25};
}  // spacing 0.25

// A float64 tensor of `shape` with values from `domain`, the same for the same seed.
Tensor sample(const Shape& shape, const Domain& domain, std::uint64_t seed);

struct OpCase {
  std::string name;             // test name suffix: letters, digits, '_'
  std::vector<Shape> shapes;    // one per input
  std::vector<Domain> domains;  // one per input, or one for all
  Fn fn;
  GradcheckOptions options = {};
  bool reduce_with_weights = false;  // also check Σ f ⊙ random weights as a scalar function
};

std::string op_case_name(const ::testing::TestParamInfo<OpCase>& info);

// The test: sample each input from its domain (fixed seeds), run gradcheck on fn, and, when
// reduce_with_weights, on the scalar Σ fn ⊙ random weights as well.
class OpGradcheck : public ::testing::TestWithParam<OpCase> {};

}  // namespace dagrad::testing
