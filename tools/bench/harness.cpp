#include "harness.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace bench {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string format_value(const Value& v, bool json) {
  char buf[64];
  if (const auto* s = std::get_if<std::string>(&v)) return json ? "\"" + *s + "\"" : *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  std::snprintf(buf, sizeof buf, "%.6g", std::get<double>(v));
  return buf;
}

}  // namespace

double median_seconds_per_iteration(const std::function<void()>& body, const TimingOptions& opt) {
  // The warm-up also estimates one iteration's time, which sizes the samples.
  const auto w0 = Clock::now();
  std::int64_t warmed = 0;
  while (warmed < std::max(opt.warmup, 1) || seconds_since(w0) < opt.warmup_seconds) {
    body();
    ++warmed;
  }
  const double estimate = seconds_since(w0) / static_cast<double>(warmed);
  const auto iterations =
      static_cast<std::int64_t>(std::max(1.0, std::ceil(opt.sample_seconds / estimate)));

  std::vector<double> per_iteration;
  for (int s = 0; s < std::max(opt.samples, 1); ++s) {
    const auto t0 = Clock::now();
    for (std::int64_t i = 0; i < iterations; ++i) body();
    per_iteration.push_back(seconds_since(t0) / static_cast<double>(iterations));
  }
  std::sort(per_iteration.begin(), per_iteration.end());
  const std::size_t n = per_iteration.size();
  return n % 2 ? per_iteration[n / 2] : 0.5 * (per_iteration[n / 2 - 1] + per_iteration[n / 2]);
}

std::string to_json(const Row& row) {
  std::string out = "{";
  for (std::size_t i = 0; i < row.fields.size(); ++i) {
    if (i) out += ", ";
    out += "\"" + row.fields[i].first + "\": " + format_value(row.fields[i].second, true);
  }
  return out + "}";
}

std::string to_text(const Row& row) {
  std::string out;
  for (std::size_t i = 0; i < row.fields.size(); ++i) {
    if (i) out += "  ";
    // The bench name alone, padded, then key=value pairs.
    if (i == 0) {
      out += format_value(row.fields[i].second, false);
      out.resize(std::max<std::size_t>(out.size(), 12), ' ');
      continue;
    }
    out += row.fields[i].first + "=" + format_value(row.fields[i].second, false);
  }
  return out;
}

}  // namespace bench
