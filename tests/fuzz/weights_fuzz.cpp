// libFuzzer target: the weights-file loader (nn/serialize.hpp) on arbitrary bytes. The format is
// deterministic, so a file of the current version that loads must save back to exactly the same
// bytes (a version 1 file saves as version 2 and must load back to the same contents); and
// loading it into a small model must either succeed or leave the model untouched.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <dagrad/core/error.hpp>
#include <dagrad/nn/linear.hpp>
#include <dagrad/nn/serialize.hpp>

#include "fuzz_files.hpp"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "weights_fuzz: %s\n", what);
  std::abort();
}

std::vector<double> values_of(const dagrad::nn::Module& m) {
  std::vector<double> v;
  for (const auto& p : m.named_parameters()) {
    const auto x = p.tensor.to_vector();
    v.insert(v.end(), x.begin(), x.end());
  }
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dagrad;
  static const std::string in = fuzz::scratch_path("in.weights");
  static const std::string again = fuzz::scratch_path("again.weights");
  fuzz::write_file(in, data, size);

  // load_parameters runs every check before writing, so a failure leaves the model as it was.
  // Seeds hold a file for this model (parameters "weight" [3,2] and "bias" [1,2]).
  nn::Linear model(3, 2, 7);
  const std::vector<double> before = values_of(model);
  try {
    nn::load_parameters(model, in);
  } catch (const IoError&) {
    if (values_of(model) != before) fail("a failed load_parameters changed the model");
  }

  nn::WeightsFile file;
  try {
    file = nn::load_weights(in);
  } catch (const IoError&) {
    return 0;
  }
  const std::vector<nn::NamedTensor>& tensors = file.tensors;
  for (const nn::NamedTensor& t : tensors)
    if (!t.tensor.defined() || t.tensor.dim() > 8) fail("malformed tensor accepted");
  for (const auto& [key, value] : file.metadata)
    if (key.empty()) fail("an empty metadata key accepted");
  try {
    nn::save_tensors(again, tensors, file.metadata);
  } catch (const ValueError&) {
    // save refuses what it would never write (an empty name); load may accept it.
    for (const nn::NamedTensor& t : tensors)
      if (t.name.empty()) return 0;
    fail("save_tensors refused what load_tensors returned");
  }
  if (file.version == nn::kWeightsVersion) {
    const std::vector<std::uint8_t> bytes = fuzz::read_file(again);
    if (bytes.size() != size || !std::equal(bytes.begin(), bytes.end(), data))
      fail("load then save did not reproduce the file byte for byte");
    return 0;
  }
  const nn::WeightsFile back = nn::load_weights(again);
  if (back.version != nn::kWeightsVersion || back.metadata != file.metadata ||
      back.tensors.size() != tensors.size())
    fail("an old-version file did not save as the current version with the same contents");
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& a = tensors[i].tensor;
    const Tensor& b = back.tensors[i].tensor;
    if (back.tensors[i].name != tensors[i].name || a.shape() != b.shape() || a.dtype() != b.dtype())
      fail("an old-version file did not save back to the same tensors");
    // Bytes, not values: NaN payloads must survive too.
    const bool same = dispatch_any(a.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      return std::memcmp(a.template data<T>(), b.template data<T>(),
                         static_cast<std::size_t>(a.numel()) * sizeof(T)) == 0;
    });
    if (!same) fail("an old-version file did not save back to the same tensor data");
  }
  return 0;
}
