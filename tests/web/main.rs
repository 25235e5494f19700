//! Browser unit tests (wasm-bindgen-test in headless Chromium): components
//! mounted with data, asserting what a person sees; and the polling hook
//! against a fetch spy and a fake clock, so its discipline (one request in
//! flight, abort on unmount, nothing while hidden, backoff) is checked at the
//! platform boundary without waiting in real time.
//!
//! [`harness`] holds everything shared: mounting, DOM queries, the fetch spy,
//! the visibility override and the fake clock. Each global override is undone
//! when its guard drops, so no test leaks into the next. One module per topic.
#![cfg(target_arch = "wasm32")]

mod harness;

mod attempts;
mod components;
mod gallery;
mod history;
mod input;
mod keyboard;
mod lazy;
mod media;
mod poll;
mod prefetch;
mod replay;
mod search;
mod timeline;
mod timeline_slots;
mod zoom;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
mod lowercase;
