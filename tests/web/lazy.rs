//! `LazyView` (src/components/lazy.rs): a view whose code is fetched on first use.
//! Unsplit here (browser tests are debug builds), so a loader stands in for
//! the chunk fetch: failing, then succeeding.

use crate::harness::{count, mount, settle, text};
use leptos::prelude::*;
use runview::components::lazy::{ChunkError, LazyView, ViewFuture};
use std::cell::Cell;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

thread_local! {
    /// Loads attempted, and how many of the first ones fail.
    static CALLS: Cell<u32> = const { Cell::new(0) };
    static FAILURES: Cell<u32> = const { Cell::new(0) };
}

fn flaky_page() -> ViewFuture {
    Box::pin(async {
        let n = CALLS.with(|c| {
            c.set(c.get() + 1);
            c.get()
        });
        if n <= FAILURES.with(Cell::get) {
            Err(ChunkError)
        } else {
            Ok(view! { <h1>"The page"</h1> }.into_any())
        }
    })
}

#[wasm_bindgen_test]
async fn a_page_whose_code_does_not_arrive_says_so_and_retry_loads_it_again() {
    CALLS.with(|c| c.set(0));
    FAILURES.with(|c| c.set(2));
    let (root, _handle) = mount(|| view! { <LazyView load=flaky_page /> });
    settle().await;
    assert_eq!(CALLS.with(Cell::get), 1);
    assert_eq!(
        text(&root, "[role=alert] h1"),
        "This view could not be loaded"
    );
    assert_eq!(count(&root, "h1"), 1);
    let retry = || {
        root.query_selector("[role=alert] button")
            .unwrap()
            .expect("a Retry button")
            .unchecked_into::<web_sys::HtmlElement>()
    };
    assert_eq!(retry().text_content().unwrap(), "Retry");
    // Still failing: one more load, the message again.
    retry().click();
    settle().await;
    assert_eq!(CALLS.with(Cell::get), 2);
    assert_eq!(
        text(&root, "[role=alert] h1"),
        "This view could not be loaded"
    );
    // Now it arrives: the page replaces the message.
    retry().click();
    settle().await;
    assert_eq!(CALLS.with(Cell::get), 3);
    assert_eq!(count(&root, "[role=alert]"), 0);
    assert_eq!(text(&root, "h1"), "The page");
}

#[wasm_bindgen_test]
async fn a_page_whose_code_arrives_shows_at_once_after_one_load() {
    CALLS.with(|c| c.set(0));
    FAILURES.with(|c| c.set(0));
    let (root, _handle) = mount(|| view! { <LazyView load=flaky_page /> });
    settle().await;
    assert_eq!(text(&root, "h1"), "The page");
    assert_eq!(count(&root, "[role=alert]"), 0);
    assert_eq!(CALLS.with(Cell::get), 1);
}
