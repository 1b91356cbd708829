// How many threads dagrad's kernels may use (like torch.set_num_threads). Large matrix products,
// and element-wise work, sums along an axis and optimizer updates on at least
// kParallelMinElements elements (core/parallel.hpp), run on several threads (OpenMP); the rest
// (full reductions among them) on the calling thread. Without
// OpenMP (-DDAGRAD_OPENMP=OFF) everything is single-threaded and set_num_threads only records
// the number.
#pragma once

#include <cstdint>

namespace dagrad {

// n ≥ 1 threads for every thread of the process; 0 restores the default (OMP_NUM_THREADS, else
// the number of cores). ValueError for n < 0.
void set_num_threads(int n);

// The threads a large kernel would use now.
int num_threads();

// Whether this build can run kernels on several threads at all.
bool parallel_kernels_available();

// While alive, OpenMP regions and Eigen's products started on this thread use `threads` threads
// (OpenMP's per-thread setting). Restores the thread's previous setting.
class KernelThreadsScope {
 public:
  explicit KernelThreadsScope(int threads);
  ~KernelThreadsScope();
  KernelThreadsScope(const KernelThreadsScope&) = delete;
  KernelThreadsScope& operator=(const KernelThreadsScope&) = delete;

 private:
  int previous_ = 0;
};

}  // namespace dagrad
