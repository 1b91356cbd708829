// Regression (found while fuzzing the IDX reader): extents whose product passes 2^64 wrapped to
// a small number, so a header [2^31, 2^9, 2^31] followed by no data read as a valid, empty
// array whose dims promise 2^71 bytes. The product is now bounded before each multiplication.
#include <gtest/gtest.h>

#include <dagrad/core/error.hpp>
#include <dagrad/nn/idx.hpp>

#include "nn/support/temp_dir.hpp"

namespace dagrad::testing {
namespace {

TEST(IdxExtentOverflow, ProductWrappingPast64BitsIsRefused) {
  TempDir dir;
  write_bytes(dir.file("wrap"), {0, 0, 8, 3, '\x80', 0, 0, 0, 0, 0, 2, 0, '\x80', 0, 0, 0});
  EXPECT_THROW(nn::read_idx(dir.file("wrap")), IoError);
}

TEST(IdxExtentOverflow, ZeroExtentAfterLargeOnesIsAnEmptyArray) {
  TempDir dir;
  write_bytes(dir.file("empty"), {0, 0, 8, 3, 0, 0, 0, 0, '\x80', 0, 0, 0, '\x80', 0, 0, 0});
  const nn::IdxArray a = nn::read_idx(dir.file("empty"));
  EXPECT_EQ(a.dims, (std::vector<std::int64_t>{0, std::int64_t{1} << 31, std::int64_t{1} << 31}));
  EXPECT_TRUE(a.data.empty());
}

}  // namespace
}  // namespace dagrad::testing
