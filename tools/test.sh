#!/usr/bin/env bash
# The whole test suite: installs what is missing, then
#   release  builds Release and runs every test;
#   asan     builds again with AddressSanitizer + UndefinedBehaviorSanitizer (leak detection on)
#            and runs every test there;
#   tsan     builds the concurrency tests (tests/threads) with ThreadSanitizer and runs them;
#   fuzz     runs each libFuzzer target (tests/fuzz) for DAGRAD_FUZZ_SECONDS (default 60) from
#            its committed corpus (tools/fuzz.sh).
# Usage: tools/test.sh              (all four, in that order)
#        tools/test.sh release asan (only those)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=("${@:-release asan tsan fuzz}")
for step in ${steps[@]}; do
  echo "== dagrad tests: $step =="
  start=$SECONDS
  case "$step" in
    fuzz) tools/fuzz.sh "${DAGRAD_FUZZ_SECONDS:-60}" ;;
    release | asan | tsan)
      tools/build.sh "$step"
      ctest --preset "$step"
      ;;
    *)
      echo "tools/test.sh: unknown step '$step' (release, asan, tsan or fuzz)" >&2
      exit 2
      ;;
  esac
  echo "== dagrad tests: $step passed in $((SECONDS - start)) s =="
done
