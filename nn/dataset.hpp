// Image classification data held as bytes (the MNIST family): 60,000 Fashion-MNIST images take
// 47 MB as uint8 instead of 188 MB as float32. Conversion to float happens per batch
// (batches.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dagrad::nn {

struct ImageDataset {
  std::int64_t count = 0;  // number of samples
  std::int64_t rows = 0, cols = 0;
  std::vector<std::uint8_t> images;  // [count, rows·cols], row-major, one byte per pixel
  std::vector<std::uint8_t> labels;  // [count], class indices
  std::int64_t features() const { return rows * cols; }
};

// Reads an images file ([count, rows, cols]) and a labels file ([count]) in IDX format, plain or
// gzip. IoError when either is malformed (see read_idx), when images are not 3-D or labels not
// 1-D, or when their counts differ.
ImageDataset load_idx_dataset(const std::string& images_path, const std::string& labels_path);

enum class Split { train, test };

// Fashion-MNIST from a directory holding train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (Debian's dataset-fashion-mnist installs
// them in default_fashion_mnist_dir()). IoError naming the missing file and the package when a
// file is absent; IoError from load_idx_dataset when one is malformed; IoError when a label is
// not below 10.
ImageDataset load_fashion_mnist(const std::string& dir, Split split);
const char* default_fashion_mnist_dir();
inline constexpr int kFashionMnistClasses = 10;

// Keeps the first n samples (all of them when n is negative or not smaller than count).
void keep_first(ImageDataset& data, std::int64_t n);

}  // namespace dagrad::nn
