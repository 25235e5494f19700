#!/usr/bin/env bash
# The development loop: the Runs API simulator on 127.0.0.1:8090 (media on
# :8091) and `trunk serve` on 127.0.0.1:8080, which proxies /api/ to it
# (Trunk.toml [[proxy]], adding the simulator's demo key). Edit Rust or CSS:
# trunk rebuilds and the page reloads against a live simulated run.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
cargo build -p runview-sim --release --locked

log=$(mktemp)
"$RUNVIEW_SIM_BIN" --port 8090 --media-port 8091 >"$log" &
sim=$!
trap 'kill "$sim" 2>/dev/null || true; wait "$sim" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do
  grep -q '^READY' "$log" && break
  kill -0 "$sim" 2>/dev/null || { echo "dev.sh: the simulator did not start (ports 8090/8091 busy?)" >&2; exit 1; }
  sleep 0.1
done
grep -q '^READY' "$log" || { echo "dev.sh: the simulator printed no READY line" >&2; exit 1; }

RUN="run_demo-$(date +%H%M%S)"
cat <<MSG

  runview dev loop
  ----------------
  Open:  http://127.0.0.1:8080/runs/$RUN   (after trunk's first build)
  API:   /api/ -> simulator http://127.0.0.1:8090 (demo key added by trunk's proxy)
  Edit src/ or style/: trunk rebuilds and the page reloads. Ctrl-C stops both.

MSG
trunk serve
