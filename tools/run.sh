#!/usr/bin/env bash
# The main job: installs what is missing (tools/setup.sh, dataset included), builds Release, and
# trains the Fashion-MNIST MLP with its defaults. Arguments are passed on to the example
# (e.g. tools/run.sh --epochs 5 --out /tmp/run; see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/build.sh release
exec build/examples/fashion_mnist/fashion_mnist "$@"
