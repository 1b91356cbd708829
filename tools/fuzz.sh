#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (-fsanitize=fuzzer,address,undefined, leak
# detection on) in build-fuzz/ and runs each for a bounded time from its committed seed corpus.
# Fails on any crash, leak, sanitizer report, timeout or out-of-memory; the input that caused it
# is left in build-fuzz/fuzz/artifacts/ (add it to tests/fuzz/corpus/<target>/ once fixed).
#
# Usage: tools/fuzz.sh [seconds per target, default 60] [target...]
#   targets: expression idx weights (default: all three)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("${@:-expression idx weights}")
build=build-fuzz
jobs="$(nproc)"

tools/setup.sh
# clang's libFuzzer runtime comes with Debian's libclang-rt-<version>-dev.
if ! command -v clang++ >/dev/null ||
    ! echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, long) { return 0; }' |
      clang++ -x c++ -fsanitize=fuzzer - -o /dev/null 2>/dev/null; then
  echo "fuzz: clang++ with libFuzzer is needed: apt-get install clang libclang-rt-14-dev" >&2
  exit 2
fi
# The library and the tool's library carry the coverage instrumentation and the sanitizers;
# only the fuzz targets link the fuzzer's main (tests/fuzz/CMakeLists.txt).
# Eigen's products (no OpenBLAS): its OpenMP build brings GCC's OpenMP runtime beside clang's.
cmake -S . -B "$build" \
  -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
  -DCMAKE_PROJECT_dagrad_INCLUDE="$PWD/tests/fuzz/project_include.cmake" \
  -DDAGRAD_BLAS=OFF -DDAGRAD_BUILD_TESTS=OFF -DDAGRAD_BUILD_EXAMPLES=OFF >/dev/null
names=()
for t in ${targets[@]}; do names+=("${t}_fuzz"); done
cmake --build "$build" -j "$jobs" --target "${names[@]}"

# Limits per input: the largest seed is a few hundred bytes; memory well above what any
# accepted input needs (see Note [Fuzzing within memory] in expression_fuzz.cpp).
declare -A max_len=([expression]=4096 [idx]=8192 [weights]=8192)
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=0"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
summary=""
for t in ${targets[@]}; do
  work="$build/fuzz/corpus/$t"  # new inputs go here; the committed corpus is only read
  artifacts="$build/fuzz/artifacts"
  mkdir -p "$work" "$artifacts"
  dict=()
  [[ -f tests/fuzz/$t.dict ]] && dict=(-dict="tests/fuzz/$t.dict")
  log="$build/fuzz/$t.log"
  echo "== fuzz $t: ${seconds} s =="
  if "$build/fuzz/${t}_fuzz" "$work" "tests/fuzz/corpus/$t" "${dict[@]}" \
      -max_total_time="$seconds" -max_len="${max_len[$t]}" -rss_limit_mb=2048 -timeout=30 \
      -print_final_stats=1 -artifact_prefix="$artifacts/$t-" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
    grep -E "ERROR|SUMMARY|==[0-9]+==|Test unit written" "$log" | head -20 || true
  fi
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  cov="$(grep -oE 'cov: [0-9]+' "$log" | tail -1)"
  line="$t: $result, ${execs:-?} executions in ${seconds} s (${rate:-?}/s), ${cov:-cov: ?}, corpus $(ls "$work" | wc -l) new + $(ls "tests/fuzz/corpus/$t" | wc -l) seeds"
  echo "$line"
  summary+="$line"$'\n'
done
echo "== fuzz summary =="
printf '%s' "$summary"
exit "$status"
