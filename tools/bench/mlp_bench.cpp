// dagrad_bench: training-step, per-op and GEMM timings of the engine, one row per
// configuration; `--json` prints one JSON object per line for tools/bench/compare, which runs
// torch_bench.py on the same configurations.
//   build/tools/bench/dagrad_bench [--json] [--quick] [--filter SUBSTRING] [--threads 1,2]
#include <CLI/CLI.hpp>
#include <Eigen/Core>

#include <array>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <dagrad/ops/detail/gemm.hpp>

#include "cases.hpp"
#include "harness.hpp"

namespace {

using namespace bench;

struct Options {
  bool json = false;
  bool quick = false;
  std::string filter;
  std::vector<int> threads{1, 2};
};

// A configuration: a name that --filter matches, and the measurement.
struct Config {
  std::string name;
  std::function<Row()> run;
};

std::vector<Config> configs(const Options& o, const TimingOptions& t) {
  const std::vector<std::vector<std::int64_t>> models{{784, 256, 10}, {784, 512, 512, 10}};
  const std::vector<std::int64_t> batches{1, 32, 128, 1024};
  // The MLP's forward products (batch 128 and 1024) and the weight-gradient products Xᵀ·G.
  const std::vector<std::array<std::int64_t, 3>> gemms{
      {128, 256, 784}, {128, 10, 256}, {1024, 256, 784}, {784, 256, 128}, {256, 10, 128}};
  const std::int64_t chain = o.quick ? 1000 : 10000;

  std::vector<Config> out;
  for (int th : o.threads)
    for (const auto& m : models)
      for (std::int64_t b : batches)
        for (bool fused : {false, true})
          out.push_back({"mlp_step/" + model_name(m) + "/batch=" + std::to_string(b) +
                             "/threads=" + std::to_string(th) + (fused ? "/fused" : "/step"),
                         [=] { return mlp_step(m, b, th, t, fused); }});
  out.push_back(
      {"op_overhead/ops=" + std::to_string(chain), [=] { return op_overhead(chain, t); }});
  for (int th : o.threads)
    for (const auto& [m, n, k] : gemms)
      out.push_back({"gemm/" + std::to_string(m) + "x" + std::to_string(n) + "x" +
                         std::to_string(k) + "/threads=" + std::to_string(th),
                     [=] { return gemm(m, n, k, th, t); }});
  return out;
}

Row info() {
  char eigen[32];
  std::snprintf(eigen, sizeof eigen, "%d.%d.%d", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION,
                EIGEN_MINOR_VERSION);
#ifdef _OPENMP
  const bool openmp = true;
#else
  const bool openmp = false;
#endif
  return Row()
      .add("bench", "info")
      .add("engine", "dagrad")
      .add("eigen", std::string(eigen))
      .add("compiler", std::string("g++ ") + __VERSION__)
      .add("openmp", openmp)
      .add("gemm", dagrad::detail::gemm_backend());
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"dagrad engine benchmarks: MLP training steps, per-op overhead, GEMM"};
  app.add_flag("--json", o.json, "one JSON object per line instead of a table");
  app.add_flag("--quick", o.quick, "short samples and warm-up: a smoke test, not a measurement");
  app.add_option("--filter", o.filter, "only configurations whose name contains this");
  app.add_option("--threads", o.threads, "thread counts for Eigen (the MLP steps and GEMMs)")
      ->delimiter(',')
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  TimingOptions timing;
  if (o.quick) timing = {.warmup = 3, .warmup_seconds = 0, .sample_seconds = 0.01, .samples = 3};

  auto print = [&](const Row& row) {
    std::printf("%s\n", (o.json ? to_json(row) : to_text(row)).c_str());
    std::fflush(stdout);  // rows appear as they are measured
  };
  print(info());
  try {
    for (const Config& c : configs(o, timing))
      if (c.name.find(o.filter) != std::string::npos) print(c.run());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dagrad_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
