#!/usr/bin/env bash
# The demo: sets up, builds the release app, starts the Runs API simulator
# and serves the app through nginx in key-kept mode (deploy/nginx/serve.sh),
# so the printed URL shows a live run at once: the proxy adds the
# simulator's demo key, nobody pastes one. Ctrl-C stops everything.
# PORT (default 8080): the app; SIM_PORT / MEDIA_PORT (8090 / 8091): the
# simulator's API (which also serves the app without the proxy) and media.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
PORT=${PORT:-8080}
SIM_PORT=${SIM_PORT:-8090}
MEDIA_PORT=${MEDIA_PORT:-8091}
cargo build -p runview-sim --release --locked
trunk build --release
./scripts/compress.sh dist
KEY=$("$RUNVIEW_SIM_BIN" --help | grep -o "sk_[0-9a-f]\{64\}" | head -n1)
RUN="run_demo-$(date +%H%M%S)"

tmp=$(mktemp -d)
pids=()
cleanup() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
await_ready() { # $1 = pid, $2 = log file, $3 = what
  for _ in $(seq 150); do
    grep -q '^READY' "$2" && return 0
    kill -0 "$1" 2>/dev/null || { echo "demo.sh: $3 did not start (see above; a port busy?)" >&2; exit 1; }
    sleep 0.1
  done
  echo "demo.sh: $3 printed no READY line" >&2
  exit 1
}

"$RUNVIEW_SIM_BIN" --port "$SIM_PORT" --media-port "$MEDIA_PORT" --app-dir dist >"$tmp/sim.out" &
pids+=($!)
await_ready "$!" "$tmp/sim.out" "the simulator"

RUNVIEW_API_KEY=$KEY deploy/nginx/serve.sh --dist dist --listen "127.0.0.1:$PORT" \
  --upstream "http://127.0.0.1:$SIM_PORT" --mode kept \
  --media-origin "http://127.0.0.1:$MEDIA_PORT" >"$tmp/nginx.out" &
pids+=($!)
await_ready "$!" "$tmp/nginx.out" "nginx (deploy/nginx/serve.sh)"

cat <<MSG

  runview demo
  ------------
  Open:     http://127.0.0.1:$PORT/runs/$RUN
            (served by nginx, which keeps the API key: nothing to paste)
  Other runs to try: run_failed, run_retries, run_publish, run_skip_lock,
            run_large, run_finished, run_unknown_status, run_fault_500, run_abc123
  Without the proxy (the simulator serves the app; paste the key when asked):
            http://127.0.0.1:$SIM_PORT/runs/$RUN
            API key: $KEY
  Ctrl-C stops the simulator and nginx.

MSG
wait "${pids[@]}"
