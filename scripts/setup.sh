#!/usr/bin/env bash
# Installs what runview's build and tests need, and skips what is already
# present at the right version. Safe to run any number of times; the demo,
# test and bench commands all call it first.
#
# Debian 12 as root, registries only (no GitHub). Pitfalls and timings:
# ../shared/TOOLCHAIN.md. Cold: ~22 min (trunk alone ~16 min); warm: seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.22.1
WASM_OPT_VERSION=132
WASM_SPLIT_VERSION=0.2.4
# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock (pinned with = in Cargo.toml).
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '[setup] %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

# 1. Debian packages: headless Chromium + driver for browser tests, brotli for
#    pre-compressed assets. (Debian's binaryen is deliberately NOT used: its
#    wasm-opt 108 silently breaks the wasm.)
missing=()
have chromium || missing+=(chromium)
have chromedriver || missing+=(chromium-driver)
have brotli || missing+=(brotli)
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 1b. nginx for the deployment (deploy/nginx/serve.sh) and its tests: Debian's
#     nginx, the brotli static module (pre-compressed .br) and njs (keyed hash
#     of credentials for the pass-through cache key). Nothing is started.
nginx_missing=()
have nginx || nginx_missing+=(nginx)
[ -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || nginx_missing+=(libnginx-mod-http-brotli-static)
[ -f /usr/lib/nginx/modules/ngx_http_js_module.so ] || nginx_missing+=(libnginx-mod-http-js)
if [ ${#nginx_missing[@]} -gt 0 ]; then
  say "apt-get install ${nginx_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${nginx_missing[@]}" >/dev/null
fi

# 2. Rust: the wasm target and the lint/format components (rust-toolchain.toml).
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

# 3. trunk. 0.22.x declares rustc 1.96.1 but builds and runs on 1.95.
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "cargo install trunk $TRUNK_VERSION (cold: ~16 min on 2 cores)"
  cargo install --locked --ignore-rust-version trunk --version "$TRUNK_VERSION"
fi

# 4. wasm-bindgen-cli (wasm-bindgen + wasm-bindgen-test-runner) at Cargo.lock's version.
#    Its own lockfile wants webpki-roots 1.0.11, which the registry lacks: on
#    failure, install from the unpacked source with that one crate moved back.
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WB_VERSION" ] || ! have wasm-bindgen-test-runner; then
  say "cargo install wasm-bindgen-cli $WB_VERSION (cold: ~4 min)"
  if ! cargo install --locked --force wasm-bindgen-cli --version "$WB_VERSION"; then
    src=$(mktemp -d)
    cp -r "$(ls -d "$HOME"/.cargo/registry/src/index.crates.io-*/wasm-bindgen-cli-"$WB_VERSION" | head -n1)" "$src/cli"
    (cd "$src/cli" && cargo update -p webpki-roots --precise 1.0.10 && cargo install --locked --force --path .)
    rm -rf "$src"
  fi
fi

# 4b. wasm-split-cli: splits release wasm for the lazily loaded pages
#     (scripts/split.sh, trunk's post_build hook). The crate's CLI has no
#     --version, so cargo's install record tells the version. Cold: ~2 min.
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:" || ! have wasm-split-cli; then
  say "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION (wasm-split-cli; cold: ~2 min)"
  cargo install --locked --force wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
fi

# 5. Node packages (lockfile committed): binaryen's wasm-opt for trunk and
#    playwright-core for the end-to-end suite. Never `npx playwright install`:
#    the suite drives Debian's /usr/bin/chromium.
if [ ! -f node_modules/.runview-installed ] || [ package-lock.json -nt node_modules/.runview-installed ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.runview-installed
fi

# 6. Sanity: the tools that trunk will pick up from PATH.
export PATH="$PWD/node_modules/.bin:$PATH"
wasm-opt --version | grep -q "version $WASM_OPT_VERSION " || { say "wrong wasm-opt: $(wasm-opt --version)"; exit 1; }
say "ok: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version), wasm-split-cli $WASM_SPLIT_VERSION, $(chromium --version 2>/dev/null | head -n1)"
