#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds Release and runs every test, then
# builds again with AddressSanitizer + UndefinedBehaviorSanitizer and runs every test there.
# Usage: tools/test.sh            (both)      tools/test.sh release|asan   (one)
set -euo pipefail
cd "$(dirname "$0")/.."
presets=("${@:-release asan}")
for preset in ${presets[@]}; do
  echo "== dagrad tests: $preset =="
  tools/build.sh "$preset"
  ctest --preset "$preset"
done
