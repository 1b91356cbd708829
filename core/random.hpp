// A seeded random source for initialisers, shuffling and test data: the same seed gives the
// same numbers on every run (libstdc++'s distributions are deterministic).
#pragma once

#include <cstdint>
#include <random>

namespace dagrad {

class Generator {
 public:
  explicit Generator(std::uint64_t seed = 0) : engine_(seed) {}
  void seed(std::uint64_t s) { engine_.seed(s); }
  double normal() { return normal_(engine_); }
  double uniform(double low, double high) {
    return low + (high - low) * std::generate_canonical<double, 53>(engine_);
  }
  std::mt19937_64& engine() { return engine_; }

 private:
  std::mt19937_64 engine_;
  std::normal_distribution<double> normal_;
};

}  // namespace dagrad
