#include <dagrad/nn/batches.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include <dagrad/core/error.hpp>

namespace dagrad::nn {

PixelScaling PixelScaling::standardize(const ImageDataset& data) {
  // Exact integer sums over bytes: no float drift however many pixels there are.
  std::uint64_t sum = 0, sum_sq = 0;
  for (std::uint8_t p : data.images) {
    sum += p;
    sum_sq += std::uint64_t{p} * p;
  }
  const double n = static_cast<double>(data.images.size());
  if (n == 0) throw ValueError("PixelScaling::standardize: the data set has no pixels");
  const double mean = static_cast<double>(sum) / n;
  const double var = static_cast<double>(sum_sq) / n - mean * mean;
  if (!(var > 0)) throw ValueError("PixelScaling::standardize: all pixels are equal");
  return {static_cast<float>(mean / 255.0), static_cast<float>(std::sqrt(var) / 255.0)};
}

Batch make_batch(const ImageDataset& data, std::span<const std::int64_t> indices,
                 const PixelScaling& scaling) {
  // A 256-entry table turns the conversion into one load per pixel.
  std::array<float, 256> table;
  for (int v = 0; v < 256; ++v)
    table[v] = (static_cast<float>(v) / 255.0f - scaling.mean) / scaling.stddev;

  const auto b = static_cast<std::int64_t>(indices.size());
  const std::int64_t f = data.features();
  Batch out{Tensor::empty({b, f}, DType::f32), Tensor::empty({b}, DType::i64)};
  float* x = out.x.data<float>();
  std::int64_t* y = out.y.data<std::int64_t>();
  for (std::int64_t r = 0; r < b; ++r) {
    const std::int64_t i = indices[r];
    if (i < 0 || i >= data.count)
      throw ValueError("make_batch: sample index " + std::to_string(i) +
                       " is out of range for a data set of " + std::to_string(data.count));
    const std::uint8_t* src = data.images.data() + i * f;
    std::transform(src, src + f, x + r * f, [&](std::uint8_t p) { return table[p]; });
    y[r] = data.labels[i];
  }
  return out;
}

BatchLoader::BatchLoader(const ImageDataset& data, std::int64_t batch_size, PixelScaling scaling,
                         bool shuffle, std::uint64_t seed)
    : data_(data), batch_size_(batch_size), scaling_(scaling), shuffle_(shuffle), gen_(seed) {
  if (batch_size < 1)
    throw ValueError("BatchLoader: batch size must be at least 1 (got " +
                     std::to_string(batch_size) + ")");
  order_.resize(static_cast<std::size_t>(data.count));
  std::iota(order_.begin(), order_.end(), std::int64_t{0});
  start_epoch();
}

void BatchLoader::start_epoch() {
  // Each epoch shuffles the previous order further with the same generator: the sequence of
  // epochs is fixed by the seed alone.
  if (shuffle_) std::shuffle(order_.begin(), order_.end(), gen_.engine());
  position_ = 0;
}

bool BatchLoader::next(Batch& batch) {
  const auto count = static_cast<std::int64_t>(order_.size());
  if (position_ >= count) return false;
  const std::int64_t n = std::min(batch_size_, count - position_);
  batch = make_batch(data_, std::span(order_).subspan(position_, n), scaling_);
  position_ += n;
  return true;
}

std::int64_t BatchLoader::batches_per_epoch() const {
  return (static_cast<std::int64_t>(order_.size()) + batch_size_ - 1) / batch_size_;
}

}  // namespace dagrad::nn
