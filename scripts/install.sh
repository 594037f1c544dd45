#!/usr/bin/env bash
# Installs workspace dependencies exactly as locked (nothing to do, and silent, when already
# installed). pnpm's own output is shown only if the install fails.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ] || [ -n "${CI:-}" ]; then
  if [ -n "${CI:-}" ]; then
    pnpm install --frozen-lockfile --prefer-offline
    exit 0
  fi
  echo "Installing dependencies (pnpm install)…"
  log="$(mktemp "${TMPDIR:-/tmp}/shop-install.XXXXXX")"
  started=$SECONDS
  if ! pnpm install --frozen-lockfile --prefer-offline --reporter=append-only >"$log" 2>&1; then
    cat "$log" >&2
    echo "pnpm install failed (its output is above)." >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  echo "Dependencies installed in $((SECONDS - started)) s."
fi
