#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <dagrad/core/error.hpp>
#include <dagrad/nn/dataset.hpp>
#include <dagrad/nn/idx.hpp>

#include "nn/support/temp_dir.hpp"

using namespace dagrad;
using namespace dagrad::nn;
using dagrad::testing::read_bytes;
using dagrad::testing::TempDir;
using dagrad::testing::write_bytes;
using ::testing::HasSubstr;

namespace {

IdxArray small_images() {
  IdxArray a;
  a.dims = {3, 2, 4};  // 3 images of 2×4, non-square so a swapped extent shows
  for (int i = 0; i < 24; ++i) a.data.push_back(static_cast<std::uint8_t>(i * 10));
  return a;
}

IdxArray small_labels(std::int64_t n = 3) {
  IdxArray a;
  a.dims = {n};
  for (std::int64_t i = 0; i < n; ++i) a.data.push_back(static_cast<std::uint8_t>(i % 10));
  return a;
}

// The IDX bytes written by hand, independently of write_idx.
std::vector<char> raw_idx(std::vector<unsigned char> header_and_data) {
  return {header_and_data.begin(), header_and_data.end()};
}

void gzip_bytes(const std::string& path, const std::vector<char>& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())),
            static_cast<int>(bytes.size()));
  ASSERT_EQ(gzclose(f), Z_OK);
}

void expect_io_error(const std::string& path, const std::string& fragment) {
  try {
    read_idx(path);
    ADD_FAILURE() << "read_idx accepted " << path;
  } catch (const IoError& e) {
    EXPECT_THAT(e.what(), HasSubstr(fragment));
    EXPECT_THAT(e.what(), HasSubstr(path));
  }
}

}  // namespace

TEST(Idx, ReadsAHandWrittenPlainFile) {
  TempDir dir;
  // magic 00 00 08 02, extents 2 and 3 big-endian, then 6 bytes.
  write_bytes(dir.file("a.idx"), raw_idx({0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255}));
  const IdxArray a = read_idx(dir.file("a.idx"));
  EXPECT_EQ(a.dims, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(a.data, (std::vector<std::uint8_t>{1, 2, 3, 4, 5, 255}));
}

TEST(Idx, RoundTripsPlainAndGzip) {
  TempDir dir;
  for (bool gz : {false, true}) {
    const std::string path = dir.file(gz ? "a.idx.gz" : "a.idx");
    write_idx(path, small_images(), gz);
    const IdxArray back = read_idx(path);
    EXPECT_EQ(back.dims, small_images().dims);
    EXPECT_EQ(back.data, small_images().data);
  }
  // The gzip file really is compressed (gzip magic 1f 8b); the plain one starts with 00 00 08.
  EXPECT_EQ(static_cast<unsigned char>(read_bytes(dir.file("a.idx.gz"))[0]), 0x1f);
  EXPECT_EQ(read_bytes(dir.file("a.idx"))[2], 8);
}

TEST(Idx, LargeExtentsAreReadInChunks) {
  TempDir dir;
  IdxArray a;
  a.dims = {3, 1000, 1000};  // 3 MB: more than one read chunk
  a.data.resize(3'000'000);
  for (std::size_t i = 0; i < a.data.size(); ++i) a.data[i] = static_cast<std::uint8_t>(i * 7);
  write_idx(dir.file("big.gz"), a, true);
  EXPECT_EQ(read_idx(dir.file("big.gz")).data, a.data);
}

TEST(Idx, MissingFile) {
  expect_io_error("/nonexistent/dir/x.idx", "cannot open");
}

TEST(Idx, BadMagic) {
  TempDir dir;
  write_bytes(dir.file("m"), raw_idx({1, 0, 8, 1, 0, 0, 0, 1, 7}));
  expect_io_error(dir.file("m"), "bad magic");
  write_bytes(dir.file("png"), raw_idx({0x89, 'P', 'N', 'G', 13, 10, 26, 10}));
  expect_io_error(dir.file("png"), "bad magic");
}

TEST(Idx, UnsupportedElementType) {
  TempDir dir;
  write_bytes(dir.file("f"), raw_idx({0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0}));
  expect_io_error(dir.file("f"), "element type 0x0d");
}

TEST(Idx, BadDimensionCount) {
  TempDir dir;
  write_bytes(dir.file("zero"), raw_idx({0, 0, 8, 0}));
  expect_io_error(dir.file("zero"), "0 dimensions");
  write_bytes(dir.file("many"), raw_idx({0, 0, 8, 9, 0, 0, 0, 1}));
  expect_io_error(dir.file("many"), "9 dimensions");
}

TEST(Idx, TruncatedAtEveryPoint) {
  TempDir dir;
  write_idx(dir.file("full"), small_images(), false);
  const std::vector<char> full = read_bytes(dir.file("full"));
  for (std::size_t cut = 0; cut < full.size(); ++cut) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    write_bytes(dir.file("cut"), {full.begin(), full.begin() + static_cast<long>(cut)});
    expect_io_error(dir.file("cut"), "truncated");
    gzip_bytes(dir.file("cut.gz"), {full.begin(), full.begin() + static_cast<long>(cut)});
    expect_io_error(dir.file("cut.gz"), "truncated");
  }
}

TEST(Idx, TruncatedGzipStream) {
  TempDir dir;
  write_idx(dir.file("a.gz"), small_images(), true);
  std::vector<char> gz = read_bytes(dir.file("a.gz"));
  gz.resize(gz.size() / 2);
  write_bytes(dir.file("half.gz"), gz);
  EXPECT_THROW(read_idx(dir.file("half.gz")), IoError);
}

TEST(Idx, CorruptedGzipStream) {
  TempDir dir;
  IdxArray a = small_images();
  write_idx(dir.file("a.gz"), a, true);
  std::vector<char> gz = read_bytes(dir.file("a.gz"));
  gz[gz.size() - 6] ^= 0x55;  // inside the CRC-32 trailer of the gzip member
  write_bytes(dir.file("bad.gz"), gz);
  expect_io_error(dir.file("bad.gz"), "gzip");
}

TEST(Idx, MoreDataThanTheExtentsSay) {
  TempDir dir;
  write_bytes(dir.file("long"), raw_idx({0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3}));
  expect_io_error(dir.file("long"), "wrong size");
}

TEST(Idx, ForgedHugeExtentsFailWithoutAllocating) {
  TempDir dir;
  // 4 extents of 2^32−1: the header claims ~3·10^38 bytes; the file has 3.
  write_bytes(dir.file("huge"), raw_idx({0,   0,   8,   4,   255, 255, 255, 255, 255, 255, 255, 255,
                                         255, 255, 255, 255, 255, 255, 255, 255, 1,   2,   3}));
  expect_io_error(dir.file("huge"), "too large");
  write_bytes(dir.file("big"), raw_idx({0, 0, 8, 2, 0, 1, 0, 0, 0, 1, 0, 0, 1, 2, 3}));
  expect_io_error(dir.file("big"), "truncated");  // 2^32 bytes promised, 3 present
}

TEST(Idx, WriteRejectsMismatchedExtents) {
  TempDir dir;
  IdxArray a = small_images();
  a.dims = {5};
  EXPECT_THROW(write_idx(dir.file("x"), a, false), IoError);
}

TEST(IdxDataset, PairsImagesWithLabels) {
  TempDir dir;
  write_idx(dir.file("img.gz"), small_images(), true);
  write_idx(dir.file("lab"), small_labels(), false);
  const ImageDataset d = load_idx_dataset(dir.file("img.gz"), dir.file("lab"));
  EXPECT_EQ(d.count, 3);
  EXPECT_EQ(d.rows, 2);
  EXPECT_EQ(d.cols, 4);
  EXPECT_EQ(d.features(), 8);
  EXPECT_EQ(d.images[8], 80);  // first pixel of the second image
  EXPECT_EQ(d.labels, (std::vector<std::uint8_t>{0, 1, 2}));
}

TEST(IdxDataset, CountMismatch) {
  TempDir dir;
  write_idx(dir.file("img"), small_images(), false);
  write_idx(dir.file("lab"), small_labels(4), false);
  try {
    load_idx_dataset(dir.file("img"), dir.file("lab"));
    ADD_FAILURE();
  } catch (const IoError& e) {
    EXPECT_THAT(e.what(), HasSubstr("3 images"));
    EXPECT_THAT(e.what(), HasSubstr("4 labels"));
  }
}

TEST(IdxDataset, WrongRanks) {
  TempDir dir;
  write_idx(dir.file("img"), small_images(), false);
  write_idx(dir.file("lab"), small_labels(), false);
  EXPECT_THROW(load_idx_dataset(dir.file("lab"), dir.file("lab")), IoError);
  EXPECT_THROW(load_idx_dataset(dir.file("img"), dir.file("img")), IoError);
}

TEST(FashionMnist, MissingDirectoryNamesThePackage) {
  try {
    load_fashion_mnist("/nonexistent/fashion", Split::train);
    ADD_FAILURE();
  } catch (const IoError& e) {
    EXPECT_THAT(e.what(), HasSubstr("dataset-fashion-mnist"));
    EXPECT_THAT(e.what(), HasSubstr("train-"));
  }
}

TEST(FashionMnist, RejectsLabelsOutsideTheTenClasses) {
  TempDir dir;
  IdxArray labels = small_labels();
  labels.data[1] = 10;
  write_idx(dir.file("t10k-images-idx3-ubyte"), small_images(), false);
  write_idx(dir.file("t10k-labels-idx1-ubyte.gz"), labels, true);
  try {
    load_fashion_mnist(dir.path().string(), Split::test);
    ADD_FAILURE();
  } catch (const IoError& e) {
    EXPECT_THAT(e.what(), HasSubstr("label 10 at position 1"));
  }
}

TEST(FashionMnist, KeepFirst) {
  TempDir dir;
  write_idx(dir.file("img"), small_images(), false);
  write_idx(dir.file("lab"), small_labels(), false);
  ImageDataset d = load_idx_dataset(dir.file("img"), dir.file("lab"));
  keep_first(d, 5);
  EXPECT_EQ(d.count, 3);
  keep_first(d, 2);
  EXPECT_EQ(d.count, 2);
  EXPECT_EQ(d.images.size(), 16u);
  EXPECT_EQ(d.labels.size(), 2u);
}
