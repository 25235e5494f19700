#!/usr/bin/env bash
# The test command: sets up, then runs every check and test layer.
#   1. cargo fmt --check; clippy -D warnings, native and wasm32
#   2. native tests: cargo test --workspace (logic + simulator)
#   3. browser unit tests: wasm-bindgen-test in headless Chromium
#   4. end-to-end: release build + simulator over HTTP, Playwright + Chromium
# Each layer's runner prints its own summary; a layer that runs zero tests fails.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh

step() { printf '\n=== %s\n' "$*"; }
require_tests() { # fail a layer whose runner ran no test
  local log=$1 pattern=$2
  if ! grep -Eq "$pattern" "$log"; then echo "FAIL: $3 ran no test"; exit 1; fi
}
logs=$(mktemp -d)

step "format"
cargo fmt --all -- --check

step "clippy (native)"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "clippy (wasm32)"
cargo clippy -p runview --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

step "native tests"
cargo test --workspace --locked 2>&1 | tee "$logs/native.log"
require_tests "$logs/native.log" 'test result: ok\. [1-9][0-9]* passed' "native tests"

step "browser unit tests (headless Chromium)"
cargo test -p runview --target wasm32-unknown-unknown --locked 2>&1 | tee "$logs/browser.log"
require_tests "$logs/browser.log" 'test result: ok\. [1-9][0-9]* passed' "browser tests"

step "release build"
cargo build -p runview-sim --release --locked
trunk build --release
./scripts/compress.sh dist

step "end-to-end (Playwright + Chromium against the simulator)"
node --test --test-concurrency=1 tests/e2e/ 2>&1 | tee "$logs/e2e.log"
require_tests "$logs/e2e.log" '^# pass [1-9]' "end-to-end tests"
