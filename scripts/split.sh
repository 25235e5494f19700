#!/usr/bin/env bash
# trunk's post_build hook (Trunk.toml): splits a release build's wasm so the
# history and compare pages load on demand (scripts/split.mjs says how).
# Debug builds (`trunk serve`) pass through unsplit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The project's tools first (npm binaryen's wasm-opt 132 over Debian's 108),
# without env.sh: CARGO_TARGET_DIR stays whatever trunk's cargo build used.
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
exec node "$ROOT/scripts/split.mjs"
