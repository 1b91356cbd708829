#include "ops/support/op_table.hpp"

#include <algorithm>
#include <cctype>
#include <random>

namespace dagrad::testing {

Tensor sample(const Shape& shape, const Domain& domain, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> u(domain.lo, domain.hi);
  const auto n = static_cast<std::size_t>(numel(shape));
  std::vector<double> v(n);
  switch (domain.kind) {
    case Domain::Kind::uniform:
      for (double& x : v) x = u(gen);
      break;
    case Domain::Kind::away_from_zero:
      for (double& x : v) x = (gen() % 2 ? -1.0 : 1.0) * u(gen);
      break;
    case Domain::Kind::distinct:
      for (std::size_t i = 0; i < n; ++i) v[i] = domain.lo + domain.hi * static_cast<double>(i);
      std::shuffle(v.begin(), v.end(), gen);
      break;
  }
  return Tensor::from_values(shape, v, DType::f64);
}

std::string op_case_name(const ::testing::TestParamInfo<OpCase>& info) {
  std::string s = info.param.name;
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

TEST_P(OpGradcheck, JacobianMatchesCentralDifferences) {
  const OpCase& c = GetParam();
  ASSERT_TRUE(c.domains.size() == 1 || c.domains.size() == c.shapes.size()) << "bad test case";
  std::vector<Tensor> inputs;
  for (std::size_t i = 0; i < c.shapes.size(); ++i)
    inputs.push_back(sample(c.shapes[i], c.domains[c.domains.size() == 1 ? 0 : i], 1000 + i));
  EXPECT_GRADCHECK(c.fn, inputs, c.options);
  if (c.reduce_with_weights) EXPECT_GRADCHECK(reduce_with_random_weights(c.fn), inputs, c.options);
}

}  // namespace dagrad::testing
