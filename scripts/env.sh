# Sourced by the scripts: puts the project's tools first on PATH (npm
# binaryen's wasm-opt must shadow Debian's broken one).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
