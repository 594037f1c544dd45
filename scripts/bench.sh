#!/usr/bin/env bash
# `npm run bench`: provision, install, then run the benchmark (see bench/run.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
bash scripts/install.sh
cd bench
if command -v taskset >/dev/null 2>&1; then exec taskset -c 1 node run.mjs "$@"; fi
exec node run.mjs "$@"
