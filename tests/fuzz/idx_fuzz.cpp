// libFuzzer target: the IDX reader (nn/idx.hpp) on arbitrary bytes, plain or gzip. Besides not
// crashing, a successful read must describe its data (the extents' product is the number of
// bytes) and survive a write/read round trip unchanged.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <dagrad/core/error.hpp>
#include <dagrad/nn/idx.hpp>

#include "fuzz_files.hpp"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "idx_fuzz: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dagrad;
  static const std::string in = fuzz::scratch_path("in.idx");
  static const std::string again = fuzz::scratch_path("again.idx");
  fuzz::write_file(in, data, size);
  nn::IdxArray a;
  try {
    a = nn::read_idx(in);
  } catch (const IoError&) {
    return 0;  // the documented failure; any other exception escapes and is a finding
  }
  if (a.dims.empty() || a.dims.size() > 4) fail("rank outside 1..4 accepted");
  std::uint64_t n = 1;
  for (std::int64_t d : a.dims) {
    if (d < 0) fail("negative extent");
    n *= static_cast<std::uint64_t>(d);
  }
  if (n != a.data.size()) fail("the extents' product differs from the number of data bytes");
  nn::write_idx(again, a, /*gzip=*/(size & 1) != 0);
  const nn::IdxArray b = nn::read_idx(again);
  if (b.dims != a.dims || b.data != a.data) fail("write/read round trip changed the array");
  return 0;
}
