//! Release wasm builds link `runview.wasm` with its relocations kept
//! (`--emit-relocs`): scripts/split.sh (trunk's post_build hook) needs them to
//! split the lazily loaded pages (src/pages/lazy.rs) into their own chunks.
//! Only the final link changes, so no dependency is rebuilt for it.
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32");
    let release = std::env::var("PROFILE").as_deref() == Ok("release");
    if wasm && release {
        println!("cargo::rustc-link-arg-bins=--emit-relocs");
    }
}
