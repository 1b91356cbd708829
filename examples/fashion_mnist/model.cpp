#include "model.hpp"

#include <charconv>
#include <cstdio>
#include <string_view>
#include <system_error>

#include <dagrad/core/error.hpp>
#include <dagrad/core/random.hpp>
#include <dagrad/nn/activation.hpp>
#include <dagrad/nn/linear.hpp>

namespace fashion_mnist {

std::shared_ptr<dagrad::nn::Sequential> make_mlp(const MlpSpec& spec, std::uint64_t seed) {
  using namespace dagrad::nn;
  dagrad::Generator gen(seed);
  auto model = std::make_shared<Sequential>();
  std::int64_t in = spec.inputs;
  std::vector<std::int64_t> sizes = spec.hidden;
  sizes.push_back(spec.classes);
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    const bool last = i + 1 == sizes.size();
    // The output layer feeds the softmax of the loss: Xavier suits it whatever the hidden
    // activation is.
    LinearOptions opt;
    opt.name = "fc" + n;
    opt.init = last ? Init::xavier_uniform : init_for_activation(spec.activation);
    model->emplace<Linear>(in, sizes[i], gen, opt);
    if (!last) model->add(make_activation(spec.activation, "act" + n));
    in = sizes[i];
  }
  return model;
}

std::string describe_sizes(const MlpSpec& spec) {
  std::string s = std::to_string(spec.inputs);
  for (std::int64_t h : spec.hidden) s.append("-").append(std::to_string(h));
  return s.append("-").append(std::to_string(spec.classes));
}

}  // namespace fashion_mnist

namespace fashion_mnist {

std::string hidden_flag(const std::vector<std::int64_t>& hidden) {
  std::string s;
  for (std::size_t i = 0; i < hidden.size(); ++i)
    s.append(i ? "," : "").append(std::to_string(hidden[i]));
  return s;
}

namespace {

std::string float_text(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));  // 9 digits: float exactly
  return buf;
}

class MetadataReader {
 public:
  MetadataReader(const dagrad::nn::WeightsMetadata& m, const std::string& path)
      : m_(m), path_(path) {}

  const std::string& text(const std::string& key) const {
    auto it = m_.find(key);
    if (it == m_.end()) fail(key, "is missing");
    return it->second;
  }
  std::int64_t size(const std::string& key, std::string_view s) const {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v < 1)
      fail(key, "'" + text(key) + "' is not a list of positive sizes");
    return v;
  }
  std::int64_t size(const std::string& key) const { return size(key, text(key)); }
  std::vector<std::int64_t> sizes(const std::string& key) const {
    const std::string& s = text(key);
    std::vector<std::int64_t> out;
    if (s.empty()) return out;  // no hidden layer
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = s.find(',', start);
      out.push_back(size(key, std::string_view(s).substr(start, comma - start)));
      if (comma == std::string::npos) return out;
      start = comma + 1;
    }
  }
  float number(const std::string& key) const {
    const std::string& s = text(key);
    float v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) fail(key, "'" + s + "' is not a number");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw dagrad::IoError(path_ + ": the metadata entry " + key + " " + what);
  }
  const dagrad::nn::WeightsMetadata& m_;
  const std::string& path_;
};

}  // namespace

dagrad::nn::WeightsMetadata model_metadata(const SavedModel& model) {
  const MlpSpec& s = model.spec;
  return {{"program", "fashion_mnist"},
          {"model.inputs", std::to_string(s.inputs)},
          {"model.hidden", hidden_flag(s.hidden)},
          {"model.classes", std::to_string(s.classes)},
          {"model.activation", s.activation},
          {"input.mean", float_text(model.scaling.mean)},
          {"input.stddev", float_text(model.scaling.stddev)}};
}

std::optional<SavedModel> saved_model(const dagrad::nn::WeightsMetadata& metadata,
                                      const std::string& path) {
  auto program = metadata.find("program");
  if (program == metadata.end() || program->second != "fashion_mnist") return std::nullopt;
  const MetadataReader r(metadata, path);
  SavedModel m;
  m.spec.inputs = r.size("model.inputs");
  m.spec.hidden = r.sizes("model.hidden");
  m.spec.classes = r.size("model.classes");
  m.spec.activation = r.text("model.activation");
  if (m.spec.activation != "relu" && m.spec.activation != "sigmoid" && m.spec.activation != "tanh")
    throw dagrad::IoError(path + ": the metadata entry model.activation '" + m.spec.activation +
                          "' is not relu, sigmoid or tanh");
  m.scaling.mean = r.number("input.mean");
  m.scaling.stddev = r.number("input.stddev");
  if (!(m.scaling.stddev > 0))
    throw dagrad::IoError(path + ": the metadata entry input.stddev must be positive");
  return m;
}

}  // namespace fashion_mnist
