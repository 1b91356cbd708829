#!/usr/bin/env bash
# The main job: installs what is missing, builds Release, and trains the Fashion-MNIST MLP with
# its defaults (arguments are passed on to the example).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/build.sh release
exec build/examples/dense_layer "$@"
