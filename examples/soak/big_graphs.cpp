// Deep and wide graphs: backward orders the DAG without recursion, to_dot walks it iteratively,
// and Node's destructor releases a long chain in a loop (Note [Iterative graph release]); at a
// million nodes any recursion would overflow the 8 MiB stack.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <dagrad/core/export.hpp>
#include <dagrad/core/tensor.hpp>
#include <dagrad/ops/ops.hpp>

#include "memory.hpp"
#include "soak.hpp"

namespace soak {

namespace {

using namespace dagrad;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

bool complete_digraph(const std::string& dot) {
  return dot.rfind("digraph", 0) == 0 && dot.size() >= 2 && dot.substr(dot.size() - 2) == "}\n";
}

// Exports root, then back-propagates; prints the timings. Returns whether the DOT is whole.
bool export_and_backward(const char* what, const Tensor& root) {
  auto t = Clock::now();
  const std::string dot = to_dot(root);
  const double dot_s = seconds_since(t);
  t = Clock::now();
  root.backward();
  const double backward_s = seconds_since(t);
  std::printf("  %-12s to_dot %.2f s (%.1f MiB of DOT), backward %.2f s, RSS %.0f MiB\n", what,
              dot_s, mib(dot.size()), backward_s, mib(resident_bytes()));
  const bool ok = complete_digraph(dot);
  if (!ok) std::fprintf(stderr, "soak: %s: the DOT text is incomplete\n", what);
  return ok;
}

}  // namespace

bool deep_chain(std::int64_t ops) {
  std::printf("deep chain: %lld ops (y = y * 1 and y = y + 0.5, alternating)\n",
              static_cast<long long>(ops));
  const Tensor x = scalar(1.0, DType::f64).set_requires_grad();
  const Tensor one = scalar(1.0, DType::f64), half = scalar(0.5, DType::f64);
  bool ok = true;
  {
    auto t = Clock::now();
    Tensor y = x;
    for (std::int64_t i = 0; i < ops; ++i) y = i % 2 == 0 ? y * one : y + half;
    std::printf("  forward      %.2f s\n", seconds_since(t));
    ok = export_and_backward("chain", y);
    const double want = 1.0 + 0.5 * static_cast<double>(ops / 2);
    if (y.item() != want || x.grad().item() != 1.0) {
      std::fprintf(stderr, "soak: chain: value %.17g (want %.17g), gradient %.17g (want 1)\n",
                   y.item(), want, x.grad().item());
      ok = false;
    }
    t = Clock::now();
    y = Tensor();  // the last handle: the whole chain is freed here
    std::printf("  release      %.2f s\n", seconds_since(t));
  }
  return ok;
}

bool wide_sum(std::int64_t inputs) {
  std::printf("wide sum: %lld leaves, added one by one and as a balanced tree\n",
              static_cast<long long>(inputs));
  std::vector<Tensor> leaves;
  leaves.reserve(static_cast<std::size_t>(inputs));
  double want = 0;
  for (std::int64_t i = 0; i < inputs; ++i) {
    leaves.push_back(scalar(static_cast<double>(i % 7), DType::f64).set_requires_grad());
    want += static_cast<double>(i % 7);
  }
  auto all_ones = [&] {
    for (Tensor& l : leaves) {
      if (!l.grad().defined() || l.grad().item() != 1.0) return false;
      l.zero_grad();
    }
    return true;
  };
  bool ok = true;
  {
    Tensor s = leaves[0];
    for (std::int64_t i = 1; i < inputs; ++i) s = s + leaves[static_cast<std::size_t>(i)];
    ok = export_and_backward("running sum", s) && ok;
    if (s.item() != want || !all_ones()) {
      std::fprintf(stderr, "soak: running sum: wrong value or leaf gradients\n");
      ok = false;
    }
  }
  {
    std::vector<Tensor> level = leaves;
    while (level.size() > 1) {
      std::vector<Tensor> next;
      for (std::size_t i = 0; i + 1 < level.size(); i += 2) next.push_back(level[i] + level[i + 1]);
      if (level.size() % 2 == 1) next.push_back(level.back());
      level = std::move(next);
    }
    ok = export_and_backward("tree sum", level[0]) && ok;
    if (level[0].item() != want || !all_ones()) {
      std::fprintf(stderr, "soak: tree sum: wrong value or leaf gradients\n");
      ok = false;
    }
  }
  return ok;
}

}  // namespace soak
