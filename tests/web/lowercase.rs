//! Lowercasing by the platform (`toLowerCase`), as search uses it for text
//! that is not ASCII: the same results Rust's `to_lowercase` gives natively.

use runview::model::lowercase::lowercase;
use runview::model::search::{Haystacks, Query};
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn the_platform_lowercases_as_rust_does() {
    for text in ["Ärger ÜBER Öl", "İ", "ΟΔΟΣ ΣΑΣ", "ÉTAPE 3", "ǅ Ǆ", "ẞ"] {
        assert_eq!(lowercase(text), text.to_lowercase(), "{text}");
    }
    assert_eq!(lowercase("ΟΔΟΣ"), "οδος");
}

#[wasm_bindgen_test]
fn search_finds_non_ascii_text_in_the_browser() {
    let mut step = runview::api::Step::placeholder(runview::api::Status::Queued);
    step.name = "ÄRGER mit ΟΔΟΣ".into();
    step.step_id = "s".into();
    let hay = Haystacks::build([&step]);
    let hay = hay.get(0).unwrap();
    assert!(Query::parse("ärger").matches(hay));
    assert!(Query::parse("οδος").matches(hay));
    assert!(Query::parse("ΟΔΟΣ").matches(hay));
    assert!(!Query::parse("οδοσ").matches(hay));
}
