#!/usr/bin/env bash
# Installs workspace dependencies exactly as locked (fast when already installed).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ] || [ -n "${CI:-}" ]; then
  pnpm install --frozen-lockfile --prefer-offline
fi
