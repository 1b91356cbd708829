// The soak program: long training with resident memory watched, then a very deep and a very
// wide graph. Prints its measurements; exits 1 when a check fails (memory grew by 1 % or more
// after warm-up, a step's graph outlived it, a gradient or DOT export was wrong), 2 on bad usage.
//
// Usage: soak [--steps N] [--warmup N] [--chain N] [--wide N] [--no-gate]
//   defaults: 100000 steps, warm-up 20000, a 1000000-op chain, a 100000-input sum;
//   --no-gate reports memory growth without failing on it (sanitizer builds).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "soak.hpp"

int main(int argc, char** argv) {
  soak::TrainingOptions training;
  long long chain = 1000000, wide = 100000;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto number = [&](auto& out) {
      if (i + 1 >= argc) return false;
      char* end = nullptr;
      out = std::strtoll(argv[++i], &end, 10);
      return *end == '\0' && out >= 0;
    };
    bool ok = true;
    if (arg == "--steps")
      ok = number(training.steps) && training.steps > 0;
    else if (arg == "--warmup")
      ok = number(training.warmup);
    else if (arg == "--chain")
      ok = number(chain);
    else if (arg == "--wide")
      ok = number(wide) && wide > 0;
    else if (arg == "--no-gate")
      training.gate = false;
    else
      ok = false;
    if (!ok) {
      std::fprintf(stderr,
                   "usage: soak [--steps N] [--warmup N] [--chain N] [--wide N] [--no-gate]\n");
      return 2;
    }
  }
  if (training.warmup < 1 || training.warmup >= training.steps)
    training.warmup = std::max<long long>(1, training.steps / 2);
  try {
    bool ok = soak::soak_training(training);
    ok = soak::deep_chain(chain) && ok;
    ok = soak::wide_sum(wide) && ok;
    std::printf("soak: %s\n", ok ? "passed" : "FAILED");
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "soak: %s\n", e.what());
    return 1;
  }
}
