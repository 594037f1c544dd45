#!/usr/bin/env bash
# `npm run battery`: the correctness battery on its own running system, with fault switches on.
# BATTERY_FAST=1 runs the quick part (what CI runs). Prints a summary table with counts.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
bash scripts/install.sh
export E2E_FAULTS=on E2E_PORT="${E2E_PORT:-8806}" BATTERY_REPORT="$PWD/.state-battery-report.jsonl"
rm -f "$BATTERY_REPORT"
status=0
(cd e2e && node ../node_modules/vitest/vitest.mjs run --config vitest.battery.config.ts --silent=passed-only \
  --reporter=default --reporter=json --outputFile.json="$PWD/../.state-battery-results.json" "$@") || status=$?
node scripts/battery-summary.mjs "$BATTERY_REPORT" "$PWD/.state-battery-results.json"
exit $status
