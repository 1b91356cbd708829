// The shape table shared by the broadcasting element-wise ops (add, sub, mul, div).
#pragma once

#include <functional>
#include <vector>

#include "ops/support/op_table.hpp"

namespace dagrad::testing {

using BinaryFn = std::function<Tensor(const Tensor&, const Tensor&)>;

// f(a, b) over equal shapes, rank 0, scalar with matrix both ways, [3,1] with [1,4], [2,1,4] with
// [3,1], a missing leading axis, broadcasting on one side only. b is drawn from b_domain.
inline std::vector<OpCase> binary_cases(const BinaryFn& f, Domain b_domain = any()) {
  const Fn fn = [f](const std::vector<Tensor>& in) { return f(in[0], in[1]); };
  const std::vector<std::pair<const char*, std::vector<Shape>>> shapes = {
      {"scalar_scalar", {{}, {}}},
      {"3x4_3x4", {{3, 4}, {3, 4}}},
      {"3x1_1x4", {{3, 1}, {1, 4}}},
      {"1x4_3x1", {{1, 4}, {3, 1}}},
      {"scalar_2x3", {{}, {2, 3}}},
      {"2x3_scalar", {{2, 3}, {}}},
      {"2x1x4_3x1", {{2, 1, 4}, {3, 1}}},
      {"4_3x4", {{4}, {3, 4}}},
      {"3x4_3x1", {{3, 4}, {3, 1}}},
      {"1x1_2x3", {{1, 1}, {2, 3}}},
      {"2x3x1x2_3x4x1", {{2, 3, 1, 2}, {3, 4, 1}}},
  };
  std::vector<OpCase> cases;
  for (const auto& [name, s] : shapes) cases.push_back({name, s, {any(), b_domain}, fn});
  return cases;
}

}  // namespace dagrad::testing
