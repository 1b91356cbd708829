// Splitting a kernel's index range over OpenMP threads: one contiguous chunk per thread, so each
// thread streams its own part of the memory (and on two cores each L2 holds its half).
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include <dagrad/core/threads.hpp>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace dagrad {

// Element-wise work on at least this many elements is split over num_threads() threads. Measured
// on the 2-core VM (2026-12-04, relu on float32, one thread against two): 16,384 elements 1.45
// against 1.48 µs; 32,768: 2.9 against 2.2 µs; 524,288: 140 against 37 µs (each core's L2 then
// holds its half of the data).
inline constexpr std::int64_t kParallelMinElements = std::int64_t{1} << 15;

// Whether this thread is already one of an OpenMP team (whose kernels must not start another).
inline bool in_parallel_region() {
#ifdef _OPENMP
  return omp_in_parallel() != 0;
#else
  return false;
#endif
}

// Cuts [0, n) into min(threads, units) consecutive chunks whose edges are multiples of `unit`
// (the units shared out evenly: 40 over two threads with unit 16 is 16 + 24, not 32 + 8) and
// calls f(begin, end) for each, or f(begin, end, chunk) with the chunk's index when f takes
// three arguments, on its own OpenMP thread when there is more than one chunk. f must not throw
// (an exception cannot leave an OpenMP region) and must write only its chunk's outputs.
template <class F>
void for_each_chunk(std::int64_t n, int threads, std::int64_t unit, F&& f) {
  const std::int64_t units = (n + unit - 1) / unit;
  const int team = static_cast<int>(std::clamp<std::int64_t>(units, 1, std::max(threads, 1)));
  const auto run = [&](std::int64_t begin, std::int64_t end, int chunk) {
    if constexpr (std::is_invocable_v<F&, std::int64_t, std::int64_t, int>)
      f(begin, end, chunk);
    else
      f(begin, end);
  };
  if (team == 1) {
    run(0, n, 0);
    return;
  }
  const auto edge = [&](std::int64_t s) { return std::min(n, s * units / team * unit); };
#pragma omp parallel for num_threads(team) schedule(static, 1)
  for (int s = 0; s < team; ++s) run(edge(s), edge(s + 1), s);
}

// The threads parallel_chunks uses for n indices costing about `cost` element operations each:
// num_threads() when the whole costs at least kParallelMinElements and this thread is in no
// OpenMP team, else 1. (A caller that sizes per-chunk buffers reads it once and passes it to
// for_each_chunk: another thread may change num_threads() in between.)
inline int chunk_threads(std::int64_t n, std::int64_t cost) {
  return n * cost >= kParallelMinElements && !in_parallel_region() ? num_threads() : 1;
}

// f(begin, end) over [0, n) (or f(begin, end, chunk)), on chunk_threads(n, cost) threads at most
// (one per 16 indices at most), else on this thread in one call. Chunk edges are multiples of 16
// indices: with storage 64-byte aligned, every chunk of an element-wise kernel starts on a whole
// vector, so Eigen computes each element with the same instructions however the range is cut,
// and results do not depend on the thread count.
template <class F>
void parallel_chunks(std::int64_t n, std::int64_t cost, F&& f) {
  for_each_chunk(n, chunk_threads(n, cost), 16, f);
}

// Element-wise work over n elements: parallel_chunks at one operation per element.
template <class F>
void parallel_elements(std::int64_t n, F&& f) {
  parallel_chunks(n, 1, f);
}

}  // namespace dagrad
