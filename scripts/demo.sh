#!/usr/bin/env bash
# The demo: sets up, builds the release app, starts the Runs API simulator
# serving it, and prints the URL of a live demo run and the demo key.
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
PORT=${PORT:-8080}
MEDIA_PORT=${MEDIA_PORT:-8081}
cargo build -p runview-sim --release --locked
trunk build --release
./scripts/compress.sh dist
KEY=$("$RUNVIEW_SIM_BIN" --help | grep -o "sk_[0-9a-f]\{64\}" | head -n1)
RUN="run_demo-$(date +%H%M%S)"
cat <<MSG

  runview demo
  ------------
  Open:     http://127.0.0.1:$PORT/runs/$RUN
  API key:  $KEY
            (paste it when the page asks; it is the simulator's demo key)
  Other runs to try: run_failed, run_retries, run_publish, run_skip_lock,
            run_large, run_finished, run_unknown_status, run_fault_500, run_abc123
  Ctrl-C stops the simulator.

MSG
exec "$RUNVIEW_SIM_BIN" --port "$PORT" --media-port "$MEDIA_PORT" --app-dir dist
