#!/usr/bin/env bash
# runview performance benchmark: builds the simulator and the app (into a
# private dist, target/bench-dist), then runs bench/run.mjs, which prints one
# table and writes BENCHMARKS.md. ≈5–8 minutes on 2 cores (warm caches).
# P7 (bench/p7.mjs) also serves that dist through deploy/nginx/serve.sh (nginx
# from setup.sh): 200 viewers for 30 s through nginx and straight to the sim.
# P8 (bench/p8.mjs): Lighthouse 12.2.3's mobile run of the run page, a
# 5,000-step run and the history page through that nginx, and of the plain-JS
# baseline; Chromium from $CHROME_PATH (default /usr/bin/chromium).
# BENCH_ONLY=P3,P5 runs a subset (then writes target/BENCHMARKS.partial.md).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
# BENCH_PROFILE: a profiling build that keeps function names, in its own dist
# (bench/run.mjs then never writes BENCHMARKS.md: its sizes are not shipped ones).
if [ -n "${BENCH_PROFILE:-}" ]; then
  export RUNVIEW_WASM_NAMES=1
  export BENCH_DIST=${BENCH_DIST:-target/bench-dist-names}
fi
export BENCH_DIST=${BENCH_DIST:-target/bench-dist}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
cargo build -p runview-sim --release --locked
trunk build --release --dist "$BENCH_DIST"
scripts/compress.sh "$BENCH_DIST"
# P1's make-up by crate: twiggy over a names-kept copy, when twiggy is
# installed (`cargo install --locked twiggy`; not needed by anything else).
if [ -z "${BENCH_PROFILE:-}" ] && command -v twiggy >/dev/null && { [ -z "${BENCH_ONLY:-}" ] || [[ ",$BENCH_ONLY," == *,P1,* ]]; }; then
  RUNVIEW_WASM_NAMES=1 trunk build --release --dist target/bench-dist-names
  export BENCH_TWIGGY_DIST=target/bench-dist-names
fi
node bench/run.mjs
