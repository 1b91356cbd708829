// Files that are not what they claim: directories, empty files, device files, random bytes,
// and records forged with a valid checksum. Every reader answers with an IoError naming the
// file; none crashes, allocates what the file does not hold, or returns a wrong array.
#include <gtest/gtest.h>

#include <random>

#include <dagrad/core/error.hpp>
#include <dagrad/nn/idx.hpp>
#include <dagrad/nn/linear.hpp>
#include <dagrad/nn/serialize.hpp>

#include "core/support/expect.hpp"
#include "reliability/support/scratch.hpp"

namespace dagrad::testing {
namespace {

std::vector<char> random_bytes(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::vector<char> out(n);
  for (char& c : out) c = static_cast<char>(gen());
  return out;
}

std::string corpus(const std::string& target, const std::string& name) {
  return std::string(DAGRAD_SOURCE_DIR) + "/tests/fuzz/corpus/" + target + "/" + name;
}

TEST(BadFiles, WeightsFromThingsThatAreNotWeightsFiles) {
  ScratchDir dir;
  put_bytes(dir.file("empty"), {});
  EXPECT_THROW_WITH(nn::load_tensors(dir.file("empty")), IoError, dir.file("empty"));
  EXPECT_THROW(nn::load_tensors(dir.path().string()), IoError);  // a directory
  EXPECT_THROW(nn::load_tensors("/dev/null"), IoError);
  EXPECT_THROW(nn::load_tensors(dir.file("missing")), IoError);
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    put_bytes(dir.file("noise"), random_bytes(64 + 50 * seed, seed));
    EXPECT_THROW(nn::load_tensors(dir.file("noise")), IoError);
  }
}

// Hand-made files with valid checksums (tests/fuzz/make_seeds.py): only the record is wrong.
TEST(BadFiles, WeightsWithForgedRecords) {
  for (const char* name :
       {"count_too_high", "huge_extent", "negative_extent", "rank_9", "dtype_3", "duplicate_name",
        "version_3", "metadata_count_too_high", "metadata_empty_key", "metadata_repeated_key"})
    EXPECT_THROW(nn::load_tensors(corpus("weights", name)), IoError) << name;
  nn::Linear model(3, 2, 1);
  const std::vector<double> before = model.weight().to_vector();
  for (const char* name : {"wrong_shape_for_linear", "extra_parameter", "no_tensors"})
    EXPECT_THROW(nn::load_parameters(model, corpus("weights", name)), IoError) << name;
  EXPECT_EQ(model.weight().to_vector(), before);
  // The same parameters in the current format, with metadata, and in version 1.
  for (const char* name : {"linear_3x2", "linear_3x2_metadata", "linear_3x2_v1"}) {
    nn::Linear fresh(3, 2, 1);
    nn::load_parameters(fresh, corpus("weights", name));
    EXPECT_EQ(fresh.weight().to_vector(), (std::vector<double>{0.5, -1, 2, 0.25, 3, -4})) << name;
  }
  EXPECT_EQ(nn::load_weights(corpus("weights", "linear_3x2_metadata")).metadata,
            (nn::WeightsMetadata{{"model.activation", "relu"}, {"model.hidden", ""}}));
}

TEST(BadFiles, IdxFromThingsThatAreNotIdxFiles) {
  ScratchDir dir;
  put_bytes(dir.file("empty"), {});
  EXPECT_THROW_WITH(nn::read_idx(dir.file("empty")), IoError, "truncated");
  EXPECT_THROW(nn::read_idx(dir.path().string()), IoError);
  EXPECT_THROW(nn::read_idx("/dev/null"), IoError);
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    std::vector<char> bytes = random_bytes(64 + 50 * seed, seed);
    bytes[0] = bytes[1] = 0;  // past the magic, into the header and data checks
    bytes[2] = 8;
    bytes[3] = static_cast<char>(1 + seed % 4);
    put_bytes(dir.file("noise"), bytes);
    EXPECT_THROW(nn::read_idx(dir.file("noise")), IoError) << "seed " << seed;
  }
}

TEST(BadFiles, IdxSeedsOfTheFuzzCorpus) {
  for (const char* name : {"truncated_data", "truncated_header", "extra_byte", "float_type",
                           "rank5", "rank0", "bad_magic", "truncated.gz"})
    EXPECT_THROW(nn::read_idx(corpus("idx", name)), IoError) << name;
  EXPECT_EQ(nn::read_idx(corpus("idx", "images_2x3x3.gz")).data.size(), 18u);
  EXPECT_TRUE(nn::read_idx(corpus("idx", "empty_0x28")).data.empty());
}

}  // namespace
}  // namespace dagrad::testing
