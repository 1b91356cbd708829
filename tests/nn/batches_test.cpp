#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include <dagrad/core/error.hpp>
#include <dagrad/nn/batches.hpp>

using namespace dagrad;
using namespace dagrad::nn;

namespace {

// n images of 2×3 pixels; image i has pixels 10·i + j and label i % 10.
ImageDataset tiny(std::int64_t n) {
  ImageDataset d;
  d.count = n;
  d.rows = 2;
  d.cols = 3;
  for (std::int64_t i = 0; i < n; ++i) {
    for (int j = 0; j < 6; ++j) d.images.push_back(static_cast<std::uint8_t>((10 * i + j) % 256));
    d.labels.push_back(static_cast<std::uint8_t>(i % 10));
  }
  return d;
}

// The image index a batch row came from (its first pixel is 10·i).
std::vector<std::int64_t> rows_of(const Batch& b) {
  std::vector<std::int64_t> out;
  for (std::int64_t r = 0; r < b.x.size(0); ++r)
    out.push_back(std::lround(b.x.at({r, 0}) * 255.0f) / 10);
  return out;
}

}  // namespace

TEST(Batches, UnitScalingAndLabels) {
  const ImageDataset d = tiny(4);
  const std::vector<std::int64_t> idx = {2, 0};
  const Batch b = make_batch(d, idx, PixelScaling::unit());
  EXPECT_EQ(b.x.shape(), (Shape{2, 6}));
  EXPECT_EQ(b.x.dtype(), DType::f32);
  EXPECT_EQ(b.y.dtype(), DType::i64);
  EXPECT_FLOAT_EQ(b.x.at({0, 1}), 21.0f / 255.0f);
  EXPECT_FLOAT_EQ(b.x.at({1, 5}), 5.0f / 255.0f);
  EXPECT_EQ(b.y.to_vector(), (std::vector<double>{2, 0}));
  const std::vector<std::int64_t> bad = {4};
  EXPECT_THROW(make_batch(d, bad, PixelScaling::unit()), ValueError);
}

TEST(Batches, StandardisedInputsHaveZeroMeanUnitVariance) {
  const ImageDataset d = tiny(20);
  const PixelScaling s = PixelScaling::standardize(d);
  std::vector<std::int64_t> all(20);
  std::iota(all.begin(), all.end(), 0);
  const std::vector<double> x = make_batch(d, all, s).x.to_vector();
  double sum = 0, sum_sq = 0;
  for (double v : x) {
    sum += v;
    sum_sq += v * v;
  }
  EXPECT_NEAR(sum / x.size(), 0.0, 1e-5);
  EXPECT_NEAR(sum_sq / x.size(), 1.0, 1e-5);
  ImageDataset flat = tiny(1);
  std::fill(flat.images.begin(), flat.images.end(), 7);
  EXPECT_THROW(PixelScaling::standardize(flat), ValueError);
  EXPECT_THROW(PixelScaling::standardize(ImageDataset{}), ValueError);
}

TEST(Batches, EachEpochVisitsEverySampleOnce) {
  const ImageDataset d = tiny(10);
  BatchLoader loader(d, 4, PixelScaling::unit(), /*shuffle=*/true, 5);
  EXPECT_EQ(loader.batches_per_epoch(), 3);
  std::vector<std::vector<std::int64_t>> epochs;
  for (int e = 0; e < 3; ++e) {
    if (e > 0) loader.start_epoch();
    std::vector<std::int64_t> seen;
    std::vector<std::int64_t> sizes;
    Batch b;
    while (loader.next(b)) {
      sizes.push_back(b.x.size(0));
      for (std::int64_t i : rows_of(b)) seen.push_back(i);
      // Labels travel with their images.
      for (std::int64_t r = 0; r < b.x.size(0); ++r) EXPECT_EQ(b.y.at({r}), rows_of(b)[r] % 10);
    }
    EXPECT_EQ(sizes, (std::vector<std::int64_t>{4, 4, 2}));
    std::vector<std::int64_t> sorted = seen;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::int64_t> expect(10);
    std::iota(expect.begin(), expect.end(), 0);
    EXPECT_EQ(sorted, expect);
    epochs.push_back(seen);
  }
  EXPECT_NE(epochs[0], epochs[1]) << "the order must change between epochs";
  std::vector<std::int64_t> in_order(10);
  std::iota(in_order.begin(), in_order.end(), 0);
  EXPECT_NE(epochs[0], in_order) << "the first epoch is shuffled too";
}

TEST(Batches, SameSeedSameOrderOtherSeedOtherOrder) {
  const ImageDataset d = tiny(50);
  const auto order = [&](std::uint64_t seed) {
    BatchLoader loader(d, 7, PixelScaling::unit(), true, seed);
    std::vector<std::int64_t> seen;
    for (int e = 0; e < 2; ++e) {
      loader.start_epoch();
      Batch b;
      while (loader.next(b))
        for (std::int64_t i : rows_of(b)) seen.push_back(i);
    }
    return seen;
  };
  EXPECT_EQ(order(1), order(1));
  EXPECT_NE(order(1), order(2));
}

TEST(Batches, WithoutShuffleTheOrderIsTheFiles) {
  const ImageDataset d = tiny(5);
  BatchLoader loader(d, 2, PixelScaling::unit(), false);
  std::vector<std::int64_t> seen;
  Batch b;
  while (loader.next(b))
    for (std::int64_t i : rows_of(b)) seen.push_back(i);
  EXPECT_EQ(seen, (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
  EXPECT_FALSE(loader.next(b));
  EXPECT_THROW(BatchLoader(d, 0, PixelScaling::unit(), false), ValueError);
}
