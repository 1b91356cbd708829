// Seeded randn/uniform: the same seed gives the same values, another seed other values; the
// values have the distribution asked for (checked on a fixed seed, so deterministic).
#include <cmath>

#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"

namespace dagrad::testing {
namespace {

TEST(Random, SameSeedSameValues) {
  EXPECT_TRUE(tensor_near(randn({3, 4}, 11), randn({3, 4}, 11), 0, 0));
  EXPECT_TRUE(tensor_near(uniform({5}, -1, 2, 11), uniform({5}, -1, 2, 11), 0, 0));
  Generator g1(5), g2(5);
  EXPECT_TRUE(tensor_near(randn({6}, g1, DType::f64), randn({6}, g2, DType::f64), 0, 0));
}

TEST(Random, DifferentSeedsDiffer) {
  const std::vector<double> a = randn({8}, 1).to_vector(), b = randn({8}, 2).to_vector();
  int same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) same += a[i] == b[i];
  EXPECT_EQ(same, 0);
  EXPECT_NE(uniform({4}, 0, 1, 1).to_vector(), uniform({4}, 0, 1, 2).to_vector());
}

TEST(Random, AGeneratorMovesOn) {
  Generator g(3);
  EXPECT_NE(randn({4}, g).to_vector(), randn({4}, g).to_vector());
}

TEST(Random, RandnIsStandardNormal) {
  const std::vector<double> v = randn({20000}, 123, DType::f64).to_vector();
  double mean = 0, sq = 0;
  for (double x : v) mean += x / v.size();
  for (double x : v) sq += (x - mean) * (x - mean) / v.size();
  EXPECT_NEAR(mean, 0.0, 0.03);
  EXPECT_NEAR(std::sqrt(sq), 1.0, 0.03);
}

TEST(Random, UniformStaysInItsInterval) {
  const std::vector<double> v = uniform({20000}, -0.5, 1.5, 9, DType::f64).to_vector();
  double lo = 1e9, hi = -1e9, mean = 0;
  for (double x : v) {
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    mean += x / v.size();
  }
  EXPECT_GE(lo, -0.5);
  EXPECT_LT(hi, 1.5);
  EXPECT_LT(lo, -0.49);
  EXPECT_GT(hi, 1.49);
  EXPECT_NEAR(mean, 0.5, 0.02);
  EXPECT_THROW_WITH(uniform({2}, 1.0, 0.0, 1), ValueError, "uniform");
}

TEST(Random, DtypeIsHonoured) {
  EXPECT_EQ(randn({2}, 1).dtype(), DType::f32);
  EXPECT_EQ(uniform({2}, 0, 1, 1, DType::f64).dtype(), DType::f64);
  EXPECT_THROW(randn({2}, 1, DType::i64), DTypeError);
}

}  // namespace
}  // namespace dagrad::testing
