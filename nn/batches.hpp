// Mini-batches from an ImageDataset: seeded shuffling, and conversion of a batch of bytes to the
// float32 inputs a network takes.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <dagrad/core/random.hpp>
#include <dagrad/core/tensor.hpp>
#include <dagrad/nn/dataset.hpp>

namespace dagrad::nn {

// How a pixel byte becomes an input: x = (byte / 255 − mean) / stddev.
struct PixelScaling {
  float mean = 0.0f;
  float stddev = 1.0f;
  // Inputs in [0, 1].
  static PixelScaling unit() { return {}; }
  // Zero mean and unit variance over all pixels of `data` (use the training set's statistics
  // for the test set too). ValueError when data has no pixels or all pixels are equal.
  static PixelScaling standardize(const ImageDataset& data);
};

struct Batch {
  Tensor x;  // float32 [B, rows·cols]
  Tensor y;  // int64 [B], class indices
};

// Converts samples indices[0..n) of data into one batch. ValueError on an index out of range.
Batch make_batch(const ImageDataset& data, std::span<const std::int64_t> indices,
                 const PixelScaling& scaling);

// Walks a data set in mini-batches of batch_size (the last one smaller when count is not a
// multiple); with shuffle, each epoch visits the samples in a new order drawn from a generator
// seeded with `seed`, so a seed fixes every epoch's order. The data set must outlive the loader.
class BatchLoader {
 public:
  // ValueError when batch_size < 1.
  BatchLoader(const ImageDataset& data, std::int64_t batch_size, PixelScaling scaling, bool shuffle,
              std::uint64_t seed = 0);

  // Starts an epoch (reshuffling when shuffle is on). The constructor starts the first one.
  void start_epoch();
  // The next batch of the epoch into `batch`; false when the epoch is over.
  bool next(Batch& batch);

  std::int64_t batches_per_epoch() const;
  std::int64_t batch_size() const { return batch_size_; }
  const ImageDataset& data() const { return data_; }

 private:
  const ImageDataset& data_;
  std::int64_t batch_size_;
  PixelScaling scaling_;
  bool shuffle_;
  Generator gen_;
  std::vector<std::int64_t> order_;
  std::int64_t position_ = 0;
};

}  // namespace dagrad::nn
