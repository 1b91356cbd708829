#!/usr/bin/env bash
# Installs what dagrad needs from Debian's packages, and only what is missing: a machine that
# has everything is left alone (no apt-get call at all). Safe to run any number of times.
set -euo pipefail

packages=(
  g++ cmake make pkg-config             # toolchain
  libeigen3-dev                         # every numeric kernel
  libboost-graph-dev                    # the DAG and its ordering
  graphviz libgraphviz-dev              # DOT rendering, in process
  libgtest-dev libgmock-dev             # the test suite
  libbenchmark-dev                      # micro-benchmarks
  libcli11-dev nlohmann-json3-dev       # the dagrad tool: arguments, JSON
  zlib1g-dev                            # gzip'd IDX files
  libopenblas-openmp-dev                # matrix products (OpenBLAS, OpenMP build)
  gnuplot-nox                           # training curves
  dataset-fashion-mnist                 # the main job's data
  clang libclang-rt-14-dev              # libFuzzer for the fuzz targets (tools/fuzz.sh)
  libomp-14-dev                         # clang's OpenMP + libarcher for the ThreadSanitizer run
)
# Extra packages for the benchmark comparison against PyTorch (tools/bench/compare).
# OpenBLAS: without it PyTorch runs on the reference BLAS, ~25x slower at GEMMs.
if [[ "${DAGRAD_WITH_TORCH:-0}" == 1 ]]; then packages+=(python3-torch libopenblas0-pthread); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
