#!/usr/bin/env bash
# `npm test`: every test — each worker's suite inside workerd, then end to end over HTTP
# through the gateway on the real system. Prints each runner's summary and one total line.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
bash scripts/install.sh
exec node scripts/run-tests.mjs "$@"
