#!/usr/bin/env bash
# Writes .br and .gz beside each text/wasm asset of a trunk dist, so the
# simulator's static server can send them pre-compressed.
set -euo pipefail
dir=${1:-dist}
for f in "$dir"/*.wasm "$dir"/*.js "$dir"/*.css "$dir"/*.html; do
  [ -f "$f" ] || continue
  brotli -f -q 11 -o "$f.br" "$f"
  gzip -f -9 -n -k "$f"
done
