# Sourced by the scripts: puts the project's tools first on PATH (npm
# binaryen's wasm-opt must shadow Debian's broken one) and keeps cargo's
# build cache outside the checkout, so a fresh clone on the same machine
# (CI) reuses compiled dependencies instead of rebuilding ~600 crates.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/runview/target}"
export RUNVIEW_SIM_BIN="$CARGO_TARGET_DIR/release/runview-sim"
# wasm-bindgen-test-runner gives the whole browser suite 20 s and chromedriver
# 5 s to start by default; the suite takes ~16 s on an idle 2-core machine, so
# a busy CI machine would fail it on time alone.
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-180}
export WASM_BINDGEN_TEST_DRIVER_TIMEOUT=${WASM_BINDGEN_TEST_DRIVER_TIMEOUT:-30}
