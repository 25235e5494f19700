//! The step timeline: rows, per-row updates, filter, windowing.

use crate::harness::*;
use leptos::prelude::*;
use reactive_stores::Store;
use runview::api::Status;
use runview::components::StepTimeline;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn timeline_rows_and_only_the_changed_row_mutates() {
    let run = Store::new(golden());
    let (root, _h) = mount(move || view! { <StepTimeline run /> });
    assert_eq!(count(&root, "li.step-row"), 3);
    let names: Vec<String> = (0..3)
        .map(|i| {
            root.query_selector_all(".step-row__name")
                .unwrap()
                .get(i)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(names, ["Generate background", "Render video", "Publish"]);
    assert_eq!(text(&root, "#step-step_001 .step-row__duration"), "9.0 s");
    assert_eq!(
        count(&root, "#step-step_001 img"),
        1,
        "image output previewed in its row"
    );

    // The thumbnail on screen has its image before anything is observed.
    let thumb = root.query_selector("#step-step_001 img").unwrap().unwrap();
    thumb.scroll_into_view();
    until(
        "the row's thumbnail near the screen, loaded or failed",
        || thumb.has_attribute("src") && !thumb.class_list().contains("step-row__thumb--pending"),
    )
    .await;

    // An identical response changes nothing in the DOM.
    observe(&root, "muts_same");
    patch(run, golden());
    leptos::task::tick().await;
    sleep(20).await;
    assert_eq!(mutations("muts_same"), Vec::<String>::new());

    // A response where only step_003 changed touches only that row.
    let mut next = golden();
    next.steps[2].status = Status::Succeeded;
    next.steps[2].completed_at = runview::api::Timestamp::parse("2026-03-20T12:00:30Z");
    next.steps[2].attempt_no = 2;
    observe(&root, "muts_changed");
    patch(run, next);
    leptos::task::tick().await;
    sleep(20).await;
    let touched = mutations("muts_changed");
    assert!(!touched.is_empty());
    // The step's end moved the shared time axis: the list's one
    // `--view-len` variable changes (bars rescale in CSS), and the time
    // ruler's labels (outside the list); nothing else outside the row.
    let zoom = |t: &str| {
        ["ruler", "step-ruler", "zoom"]
            .iter()
            .any(|z| t.starts_with(z))
    };
    let outside: Vec<_> = touched
        .iter()
        .filter(|t| *t != "step-step_003" && !zoom(t))
        .collect();
    assert!(
        outside.len() <= 1 && outside.iter().all(|t| *t == "timeline__rows"),
        "mutations outside the changed row: {touched:?}"
    );
    assert_eq!(text(&root, "#step-step_003 .status__label"), "succeeded");
    assert!(text(&root, "#step-step_003").contains("attempt 2"));
    assert_eq!(count(&root, "li.step-row"), 3);
}

#[wasm_bindgen_test]
async fn timeline_filter_shows_only_matching_rows() {
    let run = Store::new(golden());
    let (root, _h) = mount(move || view! { <StepTimeline run /> });
    let select: web_sys::HtmlSelectElement = root
        .query_selector("select")
        .unwrap()
        .unwrap()
        .unchecked_into();
    select.set_value("running");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(count(&root, "li.step-row"), 1);
    assert_eq!(text(&root, "li.step-row .step-row__name"), "Publish");
    select.set_value("all");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(count(&root, "li.step-row"), 3);
}

#[wasm_bindgen_test]
async fn long_runs_render_only_the_rows_in_view() {
    let mut data = golden();
    let template = data.steps[0].clone();
    data.steps = (0..1_000)
        .map(|i| {
            let mut s = template.clone();
            s.step_id = format!("s{i}");
            s.name = format!("Step {i}");
            s.outputs.clear();
            s
        })
        .collect();
    let run = Store::new(data);
    let (root, _h) = mount(move || view! { <StepTimeline run /> });
    leptos::task::tick().await;
    sleep(100).await;
    assert_eq!(text(&root, ".timeline__count"), "1000");
    let rendered = count(&root, "li.step-row");
    assert!((1..100).contains(&rendered), "{rendered} rows in the DOM");
    assert_eq!(text(&root, "li.step-row .step-row__name"), "Step 0");
    // The list keeps the full height, so the page scrolls as if every row were there.
    let list: web_sys::HtmlElement = root.query_selector("ol").unwrap().unwrap().unchecked_into();
    assert!(
        list.offset_height() > 1_000 * 20,
        "{}",
        list.offset_height()
    );
    // Scrolling to the middle renders the middle rows.
    let top =
        list.get_bounding_client_rect().top() + web_sys::window().unwrap().scroll_y().unwrap();
    // (No stylesheet here: measure a row instead of assuming CSS's 3 rem.)
    let row_h = root
        .query_selector("li.step-row")
        .unwrap()
        .unwrap()
        .get_bounding_client_rect()
        .height();
    web_sys::window()
        .unwrap()
        .scroll_to_with_x_and_y(0.0, top + 500.0 * row_h);
    web_sys::window()
        .unwrap()
        .dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    sleep(100).await;
    let first = root.query_selector("li.step-row").unwrap().map(|e| e.id());
    let y = web_sys::window().unwrap().scroll_y().unwrap();
    assert!(
        root.query_selector("#step-s500").unwrap().is_some(),
        "row 500 rendered after scrolling to {y}; first row {first:?}"
    );
    assert!(
        root.query_selector("#step-s0").unwrap().is_none(),
        "row 0 left the DOM"
    );
    web_sys::window().unwrap().scroll_to_with_x_and_y(0.0, 0.0);
}
