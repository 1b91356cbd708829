// DOT export of long chains: y = tanh(y + c_i), so N ops give N op vertices plus N/2 + 1 leaves.
// Run: build/tools/bench/dagrad_bench_dot [--benchmark_filter=ToDot]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <map>

#include <dagrad/core/export.hpp>
#include <dagrad/dagrad.hpp>
#include <dagrad/graph/dot.hpp>
#include <dagrad/graph/render.hpp>

namespace {

using namespace dagrad;

// Built once per size and kept: building the chain is not what is measured.
const Tensor& chain(std::int64_t ops) {
  static std::map<std::int64_t, Tensor> chains;
  auto [it, inserted] = chains.try_emplace(ops);
  if (inserted) {
    Tensor y = ones({1, 3}).set_requires_grad().set_name("x");
    for (std::int64_t i = 0; i < ops / 2; ++i) y = tanh(y + full({1, 3}, 0.001 * (i % 7)));
    it->second = y;
  }
  return it->second;
}

void set_counters(benchmark::State& state, std::size_t vertices) {
  state.counters["vertices"] = static_cast<double>(vertices);
  state.counters["vertices/s"] =
      benchmark::Counter(static_cast<double>(vertices) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

void BM_BuildDag(benchmark::State& state) {
  const Tensor& y = chain(state.range(0));
  std::size_t vertices = 0;
  for (auto _ : state) {
    graph::Dag dag = build_dag(y);
    vertices = boost::num_vertices(dag);
    benchmark::DoNotOptimize(dag);
  }
  set_counters(state, vertices);
}

void BM_WriteDot(benchmark::State& state) {
  const graph::Dag dag = build_dag(chain(state.range(0)));
  for (auto _ : state) {
    std::string dot = graph::write_dot(dag);
    benchmark::DoNotOptimize(dot);
  }
  set_counters(state, boost::num_vertices(dag));
}

// The whole export: walk, labels, value summaries for tooltips, DOT text.
void BM_ToDot(benchmark::State& state) {
  const Tensor& y = chain(state.range(0));
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string dot = to_dot(y);
    bytes = dot.size();
    benchmark::DoNotOptimize(dot);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
  set_counters(state, boost::num_vertices(build_dag(y)));
}

void BM_ToDotWithValuesAndGrads(benchmark::State& state) {
  const Tensor& y = chain(state.range(0));
  for (auto _ : state) {
    std::string dot = to_dot(y, {.values = true, .grads = true});
    benchmark::DoNotOptimize(dot);
  }
}

void BM_Summarize(benchmark::State& state) {
  const graph::Dag dag = build_dag(chain(state.range(0)));
  for (auto _ : state) {
    graph::Dag small = graph::summarize(dag);
    benchmark::DoNotOptimize(small);
  }
}

// render(): export, summarise, dot layout and SVG through libgvc.
void BM_RenderSvg(benchmark::State& state) {
  const Tensor& y = chain(state.range(0));
  const std::string path =
      (std::filesystem::temp_directory_path() / "dagrad_bench_render.svg").string();
  for (auto _ : state) render(y, path);
  std::filesystem::remove(path);
}

// Whole graphs drawn by dot, unsummarised: how the layout time grows.
void BM_RenderUnsummarised(benchmark::State& state) {
  const std::string dot = to_dot(chain(state.range(0)));
  const std::string path =
      (std::filesystem::temp_directory_path() / "dagrad_bench_layout.svg").string();
  for (auto _ : state) graph::render_dot(dot, path);
  std::filesystem::remove(path);
}

BENCHMARK(BM_BuildDag)->Arg(1'000)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WriteDot)->Arg(1'000)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ToDot)->Arg(1'000)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ToDotWithValuesAndGrads)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Summarize)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderSvg)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderUnsummarised)->Arg(100)->Arg(300)->Arg(1'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
