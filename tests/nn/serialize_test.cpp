#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include <dagrad/core/error.hpp>
#include <dagrad/nn/activation.hpp>
#include <dagrad/nn/linear.hpp>
#include <dagrad/nn/sequential.hpp>
#include <dagrad/nn/serialize.hpp>

#include "nn/support/temp_dir.hpp"

using namespace dagrad;
using namespace dagrad::nn;
using dagrad::testing::read_bytes;
using dagrad::testing::TempDir;
using dagrad::testing::write_bytes;
using ::testing::HasSubstr;

namespace {

std::shared_ptr<Sequential> mlp(std::uint64_t seed, std::int64_t hidden = 5) {
  auto m = std::make_shared<Sequential>();
  m->emplace<Linear>(4, hidden, seed, LinearOptions{.name = "fc1"});
  m->emplace<ReLU>();
  m->emplace<Linear>(hidden, 3, seed + 1, LinearOptions{.name = "fc2"});
  return m;
}

// The parameters' exact bytes, to compare bit for bit.
std::vector<std::vector<char>> snapshot(const Module& m) {
  std::vector<std::vector<char>> out;
  for (const Tensor& p : m.parameters()) {
    const char* b = reinterpret_cast<const char*>(p.data<float>());
    out.emplace_back(b, b + p.numel() * sizeof(float));
  }
  return out;
}

void expect_load_error(Module& m, const std::string& path, const std::string& fragment) {
  const auto before = snapshot(m);
  try {
    load_parameters(m, path);
    ADD_FAILURE() << "load_parameters accepted " << path;
  } catch (const IoError& e) {
    EXPECT_THAT(e.what(), HasSubstr(fragment));
    EXPECT_THAT(e.what(), HasSubstr(path));
  }
  EXPECT_EQ(snapshot(m), before) << "a failed load changed the model";
}

std::uint32_t read_u32(const std::vector<char>& b, std::size_t at) {
  std::uint32_t v;
  std::memcpy(&v, b.data() + at, 4);
  return v;
}

// Rewrites the recorded size and the trailing CRC-32 after an edit, as a writer would.
void reseal(std::vector<char>& b) {
  b.resize(b.size() - 4);
  const std::uint64_t size = b.size() + 4;
  std::memcpy(b.data() + 16, &size, 8);
  const auto crc = static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(b.data()), static_cast<uInt>(b.size())));
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<char>(crc >> (8 * i)));
}

}  // namespace

TEST(Serialize, RoundTripIsBitExact) {
  TempDir dir;
  auto a = mlp(1);
  // Values a text format would round: subnormals, NaN payloads, -0.
  float* w = a->parameters()[0].data<float>();
  w[0] = std::numeric_limits<float>::denorm_min();
  w[1] = -0.0f;
  w[2] = std::bit_cast<float>(0x7fc01234u);
  w[3] = std::numeric_limits<float>::infinity();
  save_parameters(*a, dir.file("w.bin"));
  auto b = mlp(99);
  ASSERT_NE(snapshot(*a), snapshot(*b));
  load_parameters(*b, dir.file("w.bin"));
  EXPECT_EQ(snapshot(*a), snapshot(*b));
}

TEST(Serialize, EveryDtypeRoundTrips) {
  TempDir dir;
  const std::vector<NamedTensor> in = {
      {"f32", tensor({{1.5, -2.25, 3.0}}, DType::f32)},
      {"f64", tensor({0.1, 1e-300}, DType::f64)},
      {"i64", Tensor::from_values({1, 2}, std::vector<std::int64_t>{-1, 9007199254740993})},
      {"scalar", scalar(7.0, DType::f64)},
      {"empty", zeros({0, 3})},
  };
  save_tensors(dir.file("t.bin"), in);
  const std::vector<NamedTensor> out = load_tensors(dir.file("t.bin"));
  ASSERT_EQ(out.size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out[i].name, in[i].name);
    EXPECT_EQ(out[i].tensor.shape(), in[i].tensor.shape());
    EXPECT_EQ(out[i].tensor.dtype(), in[i].tensor.dtype());
    EXPECT_EQ(out[i].tensor.to_vector(), in[i].tensor.to_vector());
  }
  EXPECT_EQ(out[2].tensor.data<std::int64_t>()[1], 9007199254740993);  // not via double
}

TEST(Serialize, SameModelSameBytes) {
  TempDir dir;
  save_parameters(*mlp(3), dir.file("a"));
  save_parameters(*mlp(3), dir.file("b"));
  EXPECT_EQ(read_bytes(dir.file("a")), read_bytes(dir.file("b")));
}

TEST(Serialize, DocumentedLayout) {
  TempDir dir;
  save_tensors(dir.file("t"), {{"W", tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}})}});
  const std::vector<char> b = read_bytes(dir.file("t"));
  EXPECT_EQ(std::string(b.data(), 8), std::string("DAGRADW\n"));
  EXPECT_EQ(read_u32(b, 8), 2u);   // version
  EXPECT_EQ(read_u32(b, 12), 1u);  // count
  std::uint64_t size;
  std::memcpy(&size, b.data() + 16, 8);
  // header 24 + metadata count 4 + name length 4 + "W" 1 + dtype 1 + rank 1 + 2 extents 16
  // + 6 floats 24 + crc 4
  EXPECT_EQ(size, 79u);
  EXPECT_EQ(b.size(), 79u);
  EXPECT_EQ(read_u32(b, 24), 0u);  // no metadata
  EXPECT_EQ(read_u32(b, 28), 1u);
  EXPECT_EQ(b[32], 'W');
  EXPECT_EQ(b[33], 0);  // float32
  EXPECT_EQ(b[34], 2);  // rank
}

TEST(Serialize, DocumentedMetadataLayout) {
  TempDir dir;
  // Given out of order; written sorted by key.
  save_tensors(dir.file("t"), {{"W", zeros({1})}}, {{"z", "1"}, {"ab", "relu"}});
  const std::vector<char> b = read_bytes(dir.file("t"));
  EXPECT_EQ(read_u32(b, 24), 2u);  // entries
  EXPECT_EQ(read_u32(b, 28), 2u);  // key length
  EXPECT_EQ(std::string(b.data() + 32, 2), "ab");
  EXPECT_EQ(read_u32(b, 34), 4u);  // value length
  EXPECT_EQ(std::string(b.data() + 38, 4), "relu");
  EXPECT_EQ(read_u32(b, 42), 1u);
  EXPECT_EQ(b[46], 'z');
  EXPECT_EQ(read_u32(b, 47), 1u);
  EXPECT_EQ(b[51], '1');
  EXPECT_EQ(read_u32(b, 52), 1u);  // the first record's name length
  EXPECT_EQ(b[56], 'W');
}

TEST(Serialize, MetadataRoundTripsAndIsDeterministic) {
  TempDir dir;
  const WeightsMetadata meta = {{"model.hidden", "256,128"},
                                {"model.activation", "tanh"},
                                {"empty value", ""},
                                {"utf-8 ü/名", "✓"}};
  auto m = mlp(1);
  save_parameters(*m, dir.file("a"), meta);
  save_parameters(*m, dir.file("b"), meta);
  EXPECT_EQ(read_bytes(dir.file("a")), read_bytes(dir.file("b")));
  const WeightsFile f = load_weights(dir.file("a"));
  EXPECT_EQ(f.version, kWeightsVersion);
  EXPECT_EQ(f.metadata, meta);
  ASSERT_EQ(f.tensors.size(), m->named_parameters().size());
  EXPECT_EQ(f.tensors[0].name, "fc1.weight");
  // load_parameters does not care about the metadata.
  auto n = mlp(2);
  load_parameters(*n, dir.file("a"));
  EXPECT_EQ(snapshot(*n), snapshot(*m));
  EXPECT_THROW(save_tensors(dir.file("c"), {{"a", zeros({1})}}, {{"", "x"}}), ValueError);
  EXPECT_FALSE(std::filesystem::exists(dir.file("c")));
}

TEST(Serialize, MalformedMetadata) {
  TempDir dir;
  auto m = mlp(1);
  save_parameters(*m, dir.file("w"), {{"a", "1"}, {"b", "2"}});
  const std::vector<char> good = read_bytes(dir.file("w"));
  // Entries start at 28: key length 1, "a", value length 1, "1", then the same for "b".
  std::vector<char> b = good;
  b[28 + 10 + 4] = 'a';  // the second key becomes "a" too
  reseal(b);
  write_bytes(dir.file("repeated"), b);
  expect_load_error(*m, dir.file("repeated"), "key 'a' is repeated or out of order");
  b = good;
  b[28 + 4] = 'c';  // "c" before "b"
  reseal(b);
  write_bytes(dir.file("unsorted"), b);
  expect_load_error(*m, dir.file("unsorted"), "key 'b' is repeated or out of order");
  b = good;
  b[24] = 100;  // more entries than the file holds
  reseal(b);
  write_bytes(dir.file("count"), b);
  expect_load_error(*m, dir.file("count"), "runs past the end");
  b = good;
  b[28 + 10] = 0;  // the second key has length 0 (and its one byte, "b", goes)
  b.erase(b.begin() + 28 + 10 + 4);
  reseal(b);
  write_bytes(dir.file("empty"), b);
  expect_load_error(*m, dir.file("empty"), "malformed metadata: an empty key");
  b = good;
  b[28 + 5] = static_cast<char>(0xff);  // a value length far past the end
  b[28 + 6] = static_cast<char>(0xff);
  reseal(b);
  write_bytes(dir.file("long"), b);
  expect_load_error(*m, dir.file("long"), "metadata value at byte");
}

// Version 1 files (no metadata section) written before version 2 still load.
TEST(Serialize, ReadsVersion1Files) {
  TempDir dir;
  auto m = mlp(1);
  save_parameters(*m, dir.file("w"));
  std::vector<char> b = read_bytes(dir.file("w"));
  ASSERT_EQ(read_u32(b, 24), 0u);
  b[8] = 1;
  b.erase(b.begin() + 24, b.begin() + 28);
  reseal(b);
  write_bytes(dir.file("v1"), b);
  const WeightsFile f = load_weights(dir.file("v1"));
  EXPECT_EQ(f.version, 1u);
  EXPECT_TRUE(f.metadata.empty());
  auto n = mlp(2);
  load_parameters(*n, dir.file("v1"));
  EXPECT_EQ(snapshot(*n), snapshot(*m));
}

TEST(Serialize, SaveReplacesAtomicallyAndLeavesNoTemporaryFile) {
  TempDir dir;
  save_parameters(*mlp(1), dir.file("w.bin"));
  save_parameters(*mlp(2), dir.file("w.bin"));
  auto m = mlp(7);
  load_parameters(*m, dir.file("w.bin"));
  EXPECT_EQ(snapshot(*m), snapshot(*mlp(2)));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1u);
  EXPECT_EQ(std::filesystem::status(dir.file("w.bin")).permissions() &
                std::filesystem::perms::others_read,
            std::filesystem::perms::others_read);
}

TEST(Serialize, FailedSaveKeepsTheOldFile) {
  TempDir dir;
  save_parameters(*mlp(1), dir.file("w.bin"));
  const auto before = read_bytes(dir.file("w.bin"));
  // Renaming a file onto a non-empty directory fails after the temporary file is written.
  std::filesystem::create_directory(dir.file("taken"));
  write_bytes(dir.file("taken/x"), {'x'});
  EXPECT_THROW(save_parameters(*mlp(2), dir.file("taken")), IoError);
  EXPECT_THROW(save_parameters(*mlp(2), dir.file("no/such/dir/w.bin")), IoError);
  EXPECT_EQ(read_bytes(dir.file("w.bin")), before);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 2u) << "a temporary file was left behind";
}

TEST(Serialize, SaveRejectsBadNames) {
  TempDir dir;
  EXPECT_THROW(save_tensors(dir.file("t"), {{"", zeros({1})}}), ValueError);
  EXPECT_THROW(save_tensors(dir.file("t"), {{"a", zeros({1})}, {"a", zeros({2})}}), ValueError);
  EXPECT_THROW(save_tensors(dir.file("t"), {{"a", Tensor()}}), ValueError);
  EXPECT_FALSE(std::filesystem::exists(dir.file("t")));
}

TEST(Serialize, TruncatedAtSeveralPoints) {
  TempDir dir;
  auto m = mlp(1);
  save_parameters(*m, dir.file("w.bin"));
  const std::vector<char> full = read_bytes(dir.file("w.bin"));
  for (std::size_t cut : {std::size_t{0}, std::size_t{5}, std::size_t{8}, std::size_t{20},
                          std::size_t{30}, full.size() / 2, full.size() - 5, full.size() - 1}) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    write_bytes(dir.file("cut"), {full.begin(), full.begin() + static_cast<long>(cut)});
    // Too short for the magic is a foreign file; after that, truncation is named.
    expect_load_error(*m, dir.file("cut"), cut < 8 ? "bad magic" : "truncated");
  }
}

TEST(Serialize, TrailingBytes) {
  TempDir dir;
  auto m = mlp(1);
  save_parameters(*m, dir.file("w.bin"));
  std::vector<char> b = read_bytes(dir.file("w.bin"));
  b.push_back(0);
  write_bytes(dir.file("long"), b);
  expect_load_error(*m, dir.file("long"), "wrong size");
}

// An endless stream is refused from its first bytes, and a valid header followed by far more
// data than it records is read no further than one byte past that.
TEST(Serialize, EndlessOrOverlongInputIsNotReadWhole) {
  auto m = mlp(1);
  expect_load_error(*m, "/dev/zero", "bad magic");
  TempDir dir;
  save_parameters(*m, dir.file("w.bin"));
  std::vector<char> b = read_bytes(dir.file("w.bin"));
  const std::size_t recorded = b.size();
  b.resize(recorded + (std::size_t{64} << 20), 'x');  // 64 MiB of trailing junk
  write_bytes(dir.file("long"), b);
  expect_load_error(*m, dir.file("long"), "more than the " + std::to_string(recorded));
}

TEST(Serialize, EveryFlippedByteIsCaught) {
  TempDir dir;
  auto m = mlp(1, 2);
  save_parameters(*m, dir.file("w.bin"));
  const std::vector<char> full = read_bytes(dir.file("w.bin"));
  for (std::size_t i = 0; i < full.size(); ++i) {
    SCOPED_TRACE("byte " + std::to_string(i));
    std::vector<char> b = full;
    b[i] ^= 0x10;
    write_bytes(dir.file("bad"), b);
    // Depending on the byte: the magic, the version, the recorded size, or the checksum.
    const auto before = snapshot(*m);
    EXPECT_THROW(load_parameters(*m, dir.file("bad")), IoError);
    EXPECT_EQ(snapshot(*m), before);
  }
  std::vector<char> b = full;
  b[full.size() / 2] ^= 1;  // in the data: only the checksum can tell
  write_bytes(dir.file("bad"), b);
  expect_load_error(*m, dir.file("bad"), "checksum mismatch");
}

TEST(Serialize, WrongMagic) {
  TempDir dir;
  auto m = mlp(1);
  write_bytes(dir.file("png"),
              {'\x89', 'P', 'N', 'G', '\r', '\n', '\x1a', '\n', 0, 0, 0, 13, 'I', 'H',
               'D',    'R', 0,   0,   0,    0,    0,      0,    0, 0, 0, 0,  0,   0});
  expect_load_error(*m, dir.file("png"), "not a dagrad weights file");
  expect_load_error(*m, dir.file("missing"), "cannot open");
}

TEST(Serialize, WrongVersion) {
  TempDir dir;
  auto m = mlp(1);
  save_parameters(*m, dir.file("w.bin"));
  std::vector<char> b = read_bytes(dir.file("w.bin"));
  b[8] = 3;
  write_bytes(dir.file("v3"), b);
  expect_load_error(*m, dir.file("v3"), "unsupported format version 3");
}

TEST(Serialize, ShapeMismatchLeavesModelUntouched) {
  TempDir dir;
  save_parameters(*mlp(1, 6), dir.file("w6"));
  auto m = mlp(2, 5);
  // fc1.weight is the first parameter checked; nothing may be written before the check fails,
  // and fc2's mismatch must not be reached with fc1 already overwritten.
  expect_load_error(*m, dir.file("w6"), "'fc1.weight' has shape [4,6] in the file but [4,5]");
}

TEST(Serialize, LaterMismatchAlsoLeavesEarlierParametersUntouched) {
  TempDir dir;
  auto src = mlp(1);
  std::vector<NamedTensor> params = src->named_parameters();
  params.back().tensor = zeros({1, 4});  // fc2.bias has the wrong shape; fc1.* are fine
  save_tensors(dir.file("w"), params);
  auto m = mlp(2);
  expect_load_error(*m, dir.file("w"), "'fc2.bias' has shape [1,4]");
}

TEST(Serialize, MissingAndUnexpectedParameters) {
  TempDir dir;
  auto src = mlp(1);
  std::vector<NamedTensor> params = src->named_parameters();
  params.pop_back();
  save_tensors(dir.file("missing"), params);
  auto m = mlp(2);
  expect_load_error(*m, dir.file("missing"), "'fc2.bias' is missing");
  params = src->named_parameters();
  params.push_back({"fc3.weight", zeros({2, 2})});
  save_tensors(dir.file("extra"), params);
  expect_load_error(*m, dir.file("extra"), "'fc3.weight', which the model does not have");
}

TEST(Serialize, DtypeMismatch) {
  TempDir dir;
  std::vector<NamedTensor> params = mlp(1)->named_parameters();
  params[0].tensor = params[0].tensor.to(DType::f64);
  save_tensors(dir.file("w"), params);
  auto m = mlp(2);
  expect_load_error(*m, dir.file("w"), "float64 in the file but float32");
}
