#!/usr/bin/env bash
# The decoder fuzzer (issue 11, R2): a million structure-aware mutated run
# bodies (seeded from tests/fuzz/seeds/ and the golden fixture) through the
# whole and the incremental decoders, optimised build. Prints the case count,
# panics (must be 0), whole/incremental mismatches (must be 0) and the time.
#   RUNVIEW_FUZZ_CASES=N   cases (default 1000000)
#   RUNVIEW_FUZZ_SEED=N    the mutator's seed (default 0x5eed = 24301)
# `cargo test` runs the same test with 20,000 cases.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export RUNVIEW_FUZZ_CASES=${RUNVIEW_FUZZ_CASES:-1000000}
cargo test -p runview --profile fuzz --locked --test fuzz_decode -- --nocapture
