// A small timing harness for the engine benchmarks: warm up, time several samples of at least
// `sample_seconds` each, report the median time per iteration. Medians, because this runs on
// shared VMs whose outliers are one-sided (a sample is only ever slowed down).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace bench {

struct TimingOptions {
  int warmup = 50;              // iterations before timing (at least this many)...
  double warmup_seconds = 0.2;  // ...and at least this long: turbo and caches settle
  double sample_seconds = 0.2;  // each sample runs whole iterations for at least this long
  int samples = 5;
};

// Median over samples of (sample time / iterations in it), in seconds.
double median_seconds_per_iteration(const std::function<void()>& body, const TimingOptions& opt);

// One result: ordered key/value pairs, printed as a JSON object or as a table line.
using Value = std::variant<std::string, std::int64_t, double, bool>;
struct Row {
  std::vector<std::pair<std::string, Value>> fields;
  Row& add(std::string key, Value v) {
    fields.emplace_back(std::move(key), std::move(v));
    return *this;
  }
};

// {"bench": "mlp_step", "model": "784-256-10", ...} on one line, keys in insertion order.
std::string to_json(const Row& row);
// "mlp_step  model=784-256-10  batch=128  ...  step_us_median=936.2"
std::string to_text(const Row& row);

}  // namespace bench
