// Sizes no machine can hold are refused with a ShapeError naming the shape, before anything is
// allocated, at every entry point that takes a size: constructors, ops whose output size comes
// from an attribute or a broadcast, layers, and the readers of files that record extents.
#include <gtest/gtest.h>

#include <fstream>
#include <limits>

#include <dagrad/core/error.hpp>
#include <dagrad/core/random.hpp>
#include <dagrad/nn/idx.hpp>
#include <dagrad/nn/linear.hpp>
#include <dagrad/nn/serialize.hpp>
#include <dagrad/ops/ops.hpp>

#include "core/support/expect.hpp"
#include "reliability/support/scratch.hpp"

namespace dagrad::testing {
namespace {

constexpr std::int64_t kBeyond = std::int64_t{1} << 41;  // elements; the limit is 2^40

TEST(HugeSizes, Constructors) {
  Generator gen(1);
  EXPECT_THROW_WITH(zeros({kBeyond}), ShapeError, "too large");
  EXPECT_THROW_WITH(full({kBeyond, 2}, 1.0), ShapeError, "too large");
  EXPECT_THROW_WITH(randn({kBeyond}, gen), ShapeError, "too large");
  EXPECT_THROW_WITH(uniform({2, kBeyond}, 0, 1, gen), ShapeError, "too large");
  // 2^64 elements wraps a naive product to 0.
  EXPECT_THROW_WITH(zeros({std::int64_t{1} << 32, std::int64_t{1} << 32}), ShapeError, "too large");
  EXPECT_THROW_WITH(zeros({std::numeric_limits<std::int64_t>::max(), 2}), ShapeError, "too large");
  EXPECT_THROW(Tensor::from_values({kBeyond}, std::vector<double>{1.0}), ShapeError);
  EXPECT_THROW(arange(0, 1e15), ShapeError);
}

// Below that limit but beyond this machine's memory (400 GB, 360 GB): the allocation fails and
// that is a MemoryError naming the shape, and the op when an op asked, not a std::bad_alloc.
TEST(HugeSizes, BeyondMemoryIsAMemoryError) {
  EXPECT_THROW_WITH(zeros({100000, 1000000}), MemoryError, "[100000,1000000] float32");
  const Tensor x = zeros({300000, 1}), y = zeros({1, 300000});
  EXPECT_THROW_WITH(matmul(x, y), MemoryError, "matmul: ");
  EXPECT_THROW_WITH(matmul(x, y), MemoryError, "[300000,300000]");
}

// A count beyond int64 (1e19 steps, or an infinite quotient) must not wrap.
TEST(HugeSizes, ArangeWithAnEnormousCount) {
  EXPECT_THROW(arange(1e19), ShapeError);
  EXPECT_THROW(arange(0, 1e300, 1e-300), ShapeError);
}

TEST(HugeSizes, OpsWhoseOutputWouldBeTooLarge) {
  const Tensor labels = zeros({2}, DType::i64);
  EXPECT_THROW_WITH(one_hot(labels, std::int64_t{1} << 62), ShapeError, "too large");
  // Empty inputs are free to hold, but what they would produce is not.
  const Tensor wide_empty = zeros({0, kBeyond});
  EXPECT_THROW_WITH(sum(wide_empty, {0}), ShapeError, "too large");
  EXPECT_THROW_WITH(matmul(transpose(wide_empty, 0, 1), wide_empty), ShapeError, "too large");
  EXPECT_THROW(reshape(zeros({6}), {kBeyond, kBeyond}), ShapeError);
  EXPECT_EQ(mean(wide_empty, {1}).shape(), Shape{0});  // an empty result is fine
}

TEST(HugeSizes, Layers) {
  EXPECT_THROW(nn::Linear(std::int64_t{1} << 31, std::int64_t{1} << 31), ShapeError);
}

TEST(HugeSizes, FilesThatRecordHugeExtents) {
  ScratchDir dir;
  // An IDX header promising 2^40 bytes over 4 dimensions, and nothing after it.
  put_bytes(dir.file("huge.idx"), {0, 0, 8, 4, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 1, 0});
  EXPECT_THROW(nn::read_idx(dir.file("huge.idx")), IoError);
  // A weights file whose record claims [2^62, 4] with a valid checksum is in
  // tests/fuzz/corpus/weights/huge_extent; the loader must refuse it without allocating.
  const std::string corpus = std::string(DAGRAD_SOURCE_DIR) + "/tests/fuzz/corpus/weights/";
  EXPECT_THROW_WITH(nn::load_tensors(corpus + "huge_extent"), IoError, "runs past the end");
  EXPECT_THROW_WITH(nn::load_tensors(corpus + "negative_extent"), IoError, "negative extent");
}

}  // namespace
}  // namespace dagrad::testing
