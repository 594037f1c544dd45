#!/usr/bin/env bash
# `npm start`: provision the toolchain, install dependencies, start every worker locally.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
bash scripts/install.sh
exec node scripts/start.mjs "$@"
