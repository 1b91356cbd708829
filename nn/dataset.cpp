#include <dagrad/nn/dataset.hpp>

#include <filesystem>

#include <dagrad/core/error.hpp>
#include <dagrad/nn/idx.hpp>

namespace dagrad::nn {

ImageDataset load_idx_dataset(const std::string& images_path, const std::string& labels_path) {
  IdxArray images = read_idx(images_path);
  IdxArray labels = read_idx(labels_path);
  if (images.dims.size() != 3)
    throw IoError("load_idx_dataset: " + images_path +
                  ": expected 3-D images [count, rows, cols], got " +
                  std::to_string(images.dims.size()) + " dimensions");
  if (labels.dims.size() != 1)
    throw IoError("load_idx_dataset: " + labels_path + ": expected 1-D labels [count], got " +
                  std::to_string(labels.dims.size()) + " dimensions");
  if (images.dims[0] != labels.dims[0])
    throw IoError("load_idx_dataset: " + std::to_string(images.dims[0]) + " images in " +
                  images_path + " but " + std::to_string(labels.dims[0]) + " labels in " +
                  labels_path);
  ImageDataset out;
  out.count = images.dims[0];
  out.rows = images.dims[1];
  out.cols = images.dims[2];
  out.images = std::move(images.data);
  out.labels = std::move(labels.data);
  return out;
}

const char* default_fashion_mnist_dir() {
  return "/usr/share/datasets/fashion-mnist";
}

namespace {

// The gzip file as Debian ships it, else an uncompressed copy.
std::string find_file(const std::string& dir, const std::string& stem) {
  namespace fs = std::filesystem;
  for (const std::string& name : {stem + ".gz", stem}) {
    const fs::path p = fs::path(dir) / name;
    if (fs::exists(p)) return p.string();
  }
  throw IoError("fashion-mnist: no " + stem + "[.gz] in " + dir +
                " (install Debian's dataset-fashion-mnist package, e.g. with tools/setup.sh, or "
                "pass the directory holding the IDX files)");
}

}  // namespace

ImageDataset load_fashion_mnist(const std::string& dir, Split split) {
  const std::string prefix = split == Split::train ? "train" : "t10k";
  const std::string images_path = find_file(dir, prefix + "-images-idx3-ubyte");
  const std::string labels_path = find_file(dir, prefix + "-labels-idx1-ubyte");
  ImageDataset data = load_idx_dataset(images_path, labels_path);
  for (std::int64_t i = 0; i < data.count; ++i)
    if (data.labels[i] >= kFashionMnistClasses)
      throw IoError("fashion-mnist: " + labels_path + ": label " + std::to_string(data.labels[i]) +
                    " at position " + std::to_string(i) + " is not a class index below " +
                    std::to_string(kFashionMnistClasses));
  return data;
}

void keep_first(ImageDataset& data, std::int64_t n) {
  if (n < 0 || n >= data.count) return;
  data.count = n;
  data.images.resize(static_cast<std::size_t>(n * data.features()));
  data.labels.resize(static_cast<std::size_t>(n));
  data.images.shrink_to_fit();
  data.labels.shrink_to_fit();
}

}  // namespace dagrad::nn
