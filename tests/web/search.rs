//! The step search above the timeline, and the time display choice.

use crate::harness::*;
use leptos::prelude::*;
use reactive_stores::Store;
use runview::components::timeline::query::SEARCH_URL_DELAY_MS;
use runview::components::{StepTimeline, TimeModeButton, TimeText};
use runview::state::time_display::{TimeDisplay, TIME_DISPLAY_KEY};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

fn search_box(root: &web_sys::HtmlElement) -> web_sys::HtmlInputElement {
    root.query_selector("input[type=search]")
        .unwrap()
        .expect("a search field")
        .unchecked_into()
}

/// Types `text` as the whole value, as one `input` event.
async fn type_into(input: &web_sys::HtmlInputElement, text: &str) {
    input.set_value(text);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    leptos::task::tick().await;
    sleep(10).await;
}

async fn press_escape(input: &web_sys::HtmlInputElement) {
    input.focus().unwrap();
    js(
        "document.activeElement.dispatchEvent(new KeyboardEvent('keydown', \
        { key: 'Escape', bubbles: true, cancelable: true }))",
    );
    leptos::task::tick().await;
    sleep(10).await;
}

fn names(root: &web_sys::HtmlElement) -> Vec<String> {
    let list = root
        .query_selector_all("li.step-row .step-row__name")
        .unwrap();
    (0..list.length())
        .map(|i| list.get(i).unwrap().text_content().unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn typing_filters_the_rows_counts_them_and_esc_clears() {
    let run = Store::new(golden());
    let (root, _h) = mount(move || view! { <StepTimeline run /> });
    let input = search_box(&root);
    assert_eq!(text(&root, "label[for=step-search]"), "Search steps");
    assert_eq!(input.id(), "step-search");
    assert_eq!(
        text(&root, ".timeline__matches"),
        "",
        "no count before a search"
    );

    // By name, case-insensitively.
    type_into(&input, "RENDER").await;
    assert_eq!(names(&root), ["Render video"]);
    assert_eq!(text(&root, ".timeline__matches"), "1 of 3 steps");
    // In the URL, as typed, once typing pauses (not in the key's task).
    let search: String = js("location.search").as_string().unwrap();
    assert!(!search.contains("q=RENDER"), "written at once: {search}");
    sleep(SEARCH_URL_DELAY_MS as i32 + 100).await;
    let search: String = js("location.search").as_string().unwrap();
    assert!(search.contains("q=RENDER"), "{search}");

    // By step id, and by status word.
    type_into(&input, "step_003").await;
    assert_eq!(names(&root), ["Publish"]);
    type_into(&input, "succeeded").await;
    assert_eq!(names(&root), ["Generate background", "Render video"]);
    assert_eq!(text(&root, ".timeline__matches"), "2 of 3 steps");

    // Nothing found says so.
    type_into(&input, "no such step").await;
    assert_eq!(count(&root, "li.step-row"), 0);
    assert_eq!(text(&root, ".empty"), "No steps match this search.");
    assert_eq!(text(&root, ".timeline__matches"), "0 of 3 steps");

    // Esc clears the field, the URL and the filtering.
    press_escape(&input).await;
    assert_eq!(input.value(), "");
    assert_eq!(count(&root, "li.step-row"), 3);
    assert_eq!(text(&root, ".timeline__matches"), "");
    let search: String = js("location.search").as_string().unwrap();
    assert!(!search.contains("q="), "{search}");
}

#[wasm_bindgen_test]
async fn a_url_change_before_the_typed_text_is_written_wins() {
    let run = Store::new(golden());
    let (root, _h) = mount(move || view! { <StepTimeline run /> });
    let input = search_box(&root);
    type_into(&input, "RENDER").await;
    assert_eq!(names(&root), ["Render video"]);
    // Back/forward (or a link) to another search while "RENDER" waits to be
    // written: the URL's search shows, and the stale text is never written.
    // (The real timer's delay ends before this longer sleep's: timers fire
    // in deadline order.)
    js("history.pushState(null, '', '?q=step_003'); \
        dispatchEvent(new PopStateEvent('popstate', { state: null }))");
    leptos::task::tick().await;
    sleep(10).await;
    assert_eq!(names(&root), ["Publish"]);
    assert_eq!(input.value(), "step_003");
    sleep(SEARCH_URL_DELAY_MS as i32 + 100).await;
    let search: String = js("location.search").as_string().unwrap();
    assert!(search.contains("q=step_003"), "{search}");
    assert_eq!(names(&root), ["Publish"]);
    // Undo for the next test (the URL is shared).
    press_escape(&input).await;
    assert_eq!(count(&root, "li.step-row"), 3);
}

#[wasm_bindgen_test]
async fn search_combines_with_the_status_filter() {
    let run = Store::new(golden());
    let (root, _h) = mount(move || view! { <StepTimeline run /> });
    let input = search_box(&root);
    let select: web_sys::HtmlSelectElement = root
        .query_selector("select")
        .unwrap()
        .unwrap()
        .unchecked_into();
    type_into(&input, "e").await; // every name has an "e"
    assert_eq!(count(&root, "li.step-row"), 3);
    select.set_value("succeeded");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;
    sleep(10).await;
    assert_eq!(names(&root), ["Generate background", "Render video"]);
    assert_eq!(text(&root, ".timeline__matches"), "2 of 3 steps");
    type_into(&input, "video").await;
    assert_eq!(names(&root), ["Render video"]);
    // Undo both for the next test (the URL is shared).
    press_escape(&input).await;
    select.set_value("all");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(count(&root, "li.step-row"), 3);
}

#[wasm_bindgen_test]
async fn times_follow_the_remembered_display_and_the_header_button_cycles_it() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.set_item(TIME_DISPLAY_KEY, "utc").unwrap();
    let at = Signal::stored(Some(1_774_008_001_250_i64)); // 2026-03-20T12:00:01.250Z
    let (root, _h) = mount(move || {
        TimeDisplay::provide();
        view! { <TimeModeButton /> <TimeText at /> }
    });
    // The storage hook's first write-back (of what it read) lands a few
    // turns after mounting; a person's first click comes later than that.
    settle().await;
    let time = || text(&root, "time");
    assert!(time().starts_with("2026-03-20 12:00:01 UTC"), "{}", time());
    let button: web_sys::HtmlElement = root
        .query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(button.text_content().unwrap(), "Times: UTC");

    // UTC → relative: only "… ago", the exact times on hover.
    button.click();
    leptos::task::tick().await;
    sleep(10).await;
    assert_eq!(
        button.text_content().unwrap(),
        "Times: relative",
        "stored: {:?}",
        storage.get_item(TIME_DISPLAY_KEY)
    );
    assert!(time().ends_with(" ago"), "{}", time());
    assert!(!time().contains("2026"), "{}", time());
    assert_eq!(
        storage.get_item(TIME_DISPLAY_KEY).unwrap().as_deref(),
        Some("relative")
    );

    // Relative → local.
    button.click();
    leptos::task::tick().await;
    sleep(10).await;
    assert_eq!(button.text_content().unwrap(), "Times: local");
    assert!(time().starts_with("2026-03-"), "{}", time());
    assert!(!time().contains("UTC"), "{}", time());
    storage.remove_item(TIME_DISPLAY_KEY).unwrap();
}
