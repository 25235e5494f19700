//! `prefetch.js` (inlined into index.html) and the app adopting its request.

use crate::harness::*;
use crate::poll::Hook;
use runview::api::client::{run_url, ApiConfig};
use wasm_bindgen_test::*;

/// Runs `prefetch.js` as a page at `path` would, with empty storage.
fn start_prefetch(path: &str) {
    js(include_str!("../../src/api/prefetch.js"));
    js("sessionStorage.clear(); localStorage.clear();");
    js(&format!("window.__runviewStartPrefetch({path:?})"));
}

#[wasm_bindgen_test]
async fn the_prefetched_first_request_is_adopted_not_repeated() {
    let spy = FetchSpy::new(GOLDEN);
    spy.hold(true);
    start_prefetch("/runs/run_abc123");
    assert_eq!(spy.calls(), 1, "prefetch.js started the request");
    assert_eq!(spy.request(0, "redirect").as_deref(), Some("error"));
    let hook = Hook::mount("run_abc123", ApiConfig::default());
    settle().await;
    assert!(js("window.__runviewPrefetch").is_undefined(), "adopted");
    spy.release();
    settle().await;
    assert_eq!(hook.probe(), "run_abc123");
    assert_eq!(spy.calls(), 1, "the app used the prefetched answer");
    spy.hold(false);
    hook.advance(1000).await;
    assert_eq!(spy.calls(), 2, "then polls as usual");
    assert_eq!(spy.max_in_flight(), 1);
}

#[wasm_bindgen_test]
async fn a_prefetch_for_another_request_is_aborted() {
    let spy = FetchSpy::new(GOLDEN);
    spy.hold(true);
    start_prefetch("/runs/run_other");
    let hook = Hook::mount("run_abc123", ApiConfig::default());
    settle().await;
    assert_eq!(spy.aborted(), 1, "the unmatched prefetch was aborted");
    assert_eq!(spy.calls(), 2);
    assert_eq!(spy.max_in_flight(), 1, "never two at once");
    spy.release();
    settle().await;
    assert_eq!(hook.probe(), "run_abc123");
}

#[wasm_bindgen_test]
async fn prefetch_js_and_the_app_encode_run_ids_alike() {
    let _spy = FetchSpy::new(GOLDEN);
    for id in [
        "run_abc123",
        "a b",
        "a?b#c",
        "!'()*",
        "~-._",
        "+&=;:@,$",
        "日本語",
        "é\u{feff}",
        "🎉",
        "\"<>`{}|\\^",
    ] {
        start_prefetch(&format!("/runs/{id}"));
        let url = js("window.__runviewPrefetch.url").as_string().unwrap();
        js("window.__runviewPrefetch.controller.abort(); delete window.__runviewPrefetch;");
        assert_eq!(url, run_url("", id), "{id:?}");
    }
}
