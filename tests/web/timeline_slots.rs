//! The timeline's fixed row slots, URL state (`?filter=`, `?step=`) and
//! step keyboard actions.

use crate::harness::document;
use crate::harness::*;
use leptos::prelude::*;
use leptos_router::components::Router;
use reactive_stores::Store;
use runview::api::Run;
use runview::components::StepTimeline;
use runview::components::Viewer;
use runview::model::shortcuts::Action;
use runview::state::clock::Clock;
use runview::state::page_actions::PageActions;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

/// Restores the page URL when dropped: these tests navigate.
struct UrlGuard(String);

impl UrlGuard {
    /// Sets the page's query to `search` (e.g. `"?filter=running"`).
    fn with_query(search: &str) -> Self {
        let location = web_sys::window().unwrap().location();
        let original = format!(
            "{}{}",
            location.pathname().unwrap(),
            location.search().unwrap()
        );
        let path = location.pathname().unwrap();
        replace_url(&format!("{path}{search}"));
        Self(original)
    }
}

impl Drop for UrlGuard {
    fn drop(&mut self) {
        replace_url(&self.0);
    }
}

fn replace_url(url: &str) {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(url))
        .unwrap();
}

fn search() -> String {
    web_sys::window().unwrap().location().search().unwrap()
}

fn active_id() -> String {
    document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}

fn names(root: &web_sys::HtmlElement) -> Vec<String> {
    let list = root.query_selector_all(".step-row__name").unwrap();
    (0..list.length())
        .map(|i| list.get(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

fn rows(root: &web_sys::HtmlElement) -> Vec<web_sys::Element> {
    let list = root.query_selector_all("li.step-row").unwrap();
    (0..list.length())
        .map(|i| list.get(i).unwrap().unchecked_into())
        .collect()
}

/// Mounts the timeline with the page-action registry; returns it too.
fn mount_timeline(run: Store<Run>) -> (web_sys::HtmlElement, PageActions, impl Drop) {
    let div: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&div).unwrap();
    web_sys::window().unwrap().scroll_to_with_x_and_y(0.0, 0.0);
    let actions = Rc::new(Cell::new(None));
    let out = actions.clone();
    let handle = leptos::mount::mount_to(div.clone(), move || {
        Clock::provide();
        Viewer::provide();
        out.set(Some(PageActions::provide()));
        view! { <Router><StepTimeline run /></Router> }
    });
    (div, actions.get().unwrap(), handle)
}

fn large_run(n: usize) -> Run {
    let mut data = golden();
    let template = data.steps[0].clone();
    data.steps = (0..n)
        .map(|i| {
            let mut s = template.clone();
            s.step_id = format!("s{i}");
            s.name = format!("Step {i}");
            s.outputs.clear();
            s
        })
        .collect();
    data
}

#[wasm_bindgen_test]
async fn scrolling_reuses_the_same_row_elements_for_other_steps() {
    let _url = UrlGuard::with_query("");
    let mut data = large_run(1_000);
    let image = golden().steps[0].outputs[0].clone();
    for (i, step) in data.steps.iter_mut().enumerate() {
        let mut output = image.clone();
        output.output_id = format!("out_{i}");
        output.url = Some(format!("https://media.invalid/{i}.png"));
        step.outputs = vec![output];
    }
    let run = Store::new(data);
    let (root, _actions, _h) = mount_timeline(run);
    frame().await;
    let before = rows(&root);
    let first_names = names(&root);
    let imgs = |root: &web_sys::HtmlElement| -> Vec<web_sys::Element> {
        let list = root.query_selector_all("li.step-row img").unwrap();
        (0..list.length())
            .map(|i| list.get(i).unwrap().unchecked_into())
            .collect()
    };
    let thumbs_before = imgs(&root);
    assert_eq!(thumbs_before.len(), before.len(), "one thumbnail per row");
    thumbs_before[0].scroll_into_view();
    until("the thumbnails on screen", || {
        thumbs_before[0].has_attribute("src")
    })
    .await;
    assert_eq!(
        thumbs_before[0].get_attribute("src").as_deref(),
        Some("https://media.invalid/0.png")
    );
    assert_eq!(
        thumbs_before[0].get_attribute("loading").as_deref(),
        Some("lazy")
    );
    assert_eq!(
        thumbs_before[0].get_attribute("decoding").as_deref(),
        Some("async")
    );
    assert_eq!(first_names[0], "Step 0");
    assert_eq!(first_names.len(), before.len());
    let list: web_sys::HtmlElement = root.query_selector("ol").unwrap().unwrap().unchecked_into();
    let window = web_sys::window().unwrap();
    let top = list.get_bounding_client_rect().top() + window.scroll_y().unwrap();
    let row_h = before[0].get_bounding_client_rect().height();
    window.scroll_to_with_x_and_y(0.0, top + 500.0 * row_h);
    window
        .dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    frame().await;
    frame().await;
    let after = rows(&root);
    assert_eq!(after.len(), before.len(), "the window keeps its length");
    for (i, (a, b)) in before.iter().zip(&after).enumerate() {
        assert!(a == b, "slot {i} is a new element");
    }
    let thumbs_after = imgs(&root);
    assert_eq!(thumbs_after.len(), thumbs_before.len());
    for (i, (a, b)) in thumbs_before.iter().zip(&thumbs_after).enumerate() {
        assert!(a == b, "thumbnail {i} is a new element");
    }
    let shown = names(&root);
    assert!(shown.contains(&"Step 500".to_string()), "{shown:?}");
    assert!(!shown.contains(&"Step 0".to_string()), "{shown:?}");
    // Slots stay in index order: the DOM order is the visual order.
    let numbers: Vec<usize> = shown
        .iter()
        .map(|n| n.trim_start_matches("Step ").parse().unwrap())
        .collect();
    assert!(numbers.windows(2).all(|w| w[1] == w[0] + 1), "{numbers:?}");
    assert_eq!(
        after[0].id(),
        format!("step-s{}", numbers[0]),
        "the row's id follows its step"
    );
    // While scrolling, a moved thumbnail shows an empty tile (never the
    // previous step's image) and requests its new image at rest.
    assert!(thumbs_after[0]
        .class_list()
        .contains("step-row__thumb--pending"));
    sleep(300).await;
    frame().await;
    assert_eq!(
        thumbs_after[0].get_attribute("src"),
        Some(format!("https://media.invalid/{}.png", numbers[0])),
        "the thumbnail follows its step"
    );
    window.scroll_to_with_x_and_y(0.0, 0.0);
}

#[wasm_bindgen_test]
async fn a_changed_step_in_a_long_run_touches_only_its_row() {
    let _url = UrlGuard::with_query("");
    let run = Store::new(large_run(1_000));
    let (root, _actions, _h) = mount_timeline(run);
    frame().await;
    // The zoom controls and ruler arrive after the first paint.
    until("the zoom controls", || count(&root, ".zoom button") > 0).await;
    observe(&root, "muts_large_same");
    patch(run, large_run(1_000));
    frame().await;
    assert_eq!(mutations("muts_large_same"), Vec::<String>::new());
    let mut next = large_run(1_000);
    next.steps[3].name = "Renamed".into();
    observe(&root, "muts_large_one");
    patch(run, next);
    frame().await;
    // The name's text and the permalink's label, both in that row.
    assert_eq!(mutations("muts_large_one"), vec!["step-s3".to_string(); 2]);
    assert_eq!(text(&root, "#step-s3 .step-row__name"), "Renamed");
}

#[wasm_bindgen_test]
async fn j_and_k_move_the_focus_and_the_step_in_the_url() {
    let _url = UrlGuard::with_query("");
    let run = Store::new(golden());
    let (root, actions, _h) = mount_timeline(run);
    frame().await;
    assert!(actions.run(Action::NextStep), "the timeline registered j");
    frame().await;
    assert_eq!(active_id(), "step-step_001");
    assert_eq!(search(), "?step=step_001");
    let row = root.query_selector("#step-step_001").unwrap().unwrap();
    assert_eq!(row.get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(row.get_attribute("aria-current").as_deref(), Some("true"));
    assert!(row.class_list().contains("step-row--highlight"));

    actions.run(Action::NextStep);
    frame().await;
    actions.run(Action::NextStep);
    frame().await;
    assert_eq!(active_id(), "step-step_003");
    actions.run(Action::NextStep);
    frame().await;
    assert_eq!(active_id(), "step-step_003", "j stops at the last step");
    actions.run(Action::PrevStep);
    frame().await;
    assert_eq!(active_id(), "step-step_002");
    assert_eq!(search(), "?step=step_002");
    let old = root.query_selector("#step-step_001").unwrap().unwrap();
    assert_eq!(old.get_attribute("tabindex").as_deref(), Some("-1"));
    assert_eq!(count(&root, ".step-row--highlight"), 1);

    // A click on a row selects it too (the visible control).
    root.query_selector("#step-step_003 .step-row__name")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    frame().await;
    assert_eq!(search(), "?step=step_003");
    assert_eq!(count(&root, "#step-step_003.step-row--highlight"), 1);
}

#[wasm_bindgen_test]
async fn enter_opens_the_selected_steps_outputs() {
    let _url = UrlGuard::with_query("?step=step_001");
    let run = Store::new(golden());
    let viewer = Rc::new(Cell::new(None));
    let out = viewer.clone();
    let div: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&div).unwrap();
    let actions = Rc::new(Cell::new(None));
    let actions_out = actions.clone();
    let _h = leptos::mount::mount_to(div, move || {
        Clock::provide();
        out.set(Some(Viewer::provide()));
        actions_out.set(Some(PageActions::provide()));
        // Rows of one fixed height, as the app's style makes them: windowing
        // relies on it, and unstyled rows with and without thumbnails differ.
        view! {
            <style>".step-row { height: 48px; overflow: hidden; contain: strict; }"</style>
            <Router><StepTimeline run /><runview::components::Lightbox /></Router>
        }
    });
    let actions = actions.get().unwrap();
    frame().await;
    assert!(actions.run(Action::OpenStep));
    frame().await;
    let dialog = document()
        .query_selector("[role=dialog][aria-label='Output viewer']")
        .unwrap()
        .expect("the viewer opened");
    assert!(dialog
        .text_content()
        .unwrap()
        .contains("Generate background"));
    viewer.get().unwrap().close();
}

#[wasm_bindgen_test]
async fn the_filter_lives_in_the_url_and_back_restores_it() {
    let _url = UrlGuard::with_query("?filter=running");
    let run = Store::new(golden());
    let (root, actions, _h) = mount_timeline(run);
    frame().await;
    assert_eq!(names(&root), ["Publish"], "?filter=running on load");
    let select: web_sys::HtmlSelectElement = root
        .query_selector("select")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(select.value(), "running");

    // The control pushes a history entry.
    let history = web_sys::window().unwrap().history().unwrap();
    let entries = history.length().unwrap();
    select.set_value("succeeded");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    frame().await;
    assert_eq!(search(), "?filter=succeeded");
    assert_eq!(history.length().unwrap(), entries + 1);
    assert_eq!(names(&root), ["Generate background", "Render video"]);

    // Back restores the previous filter.
    history.back().unwrap();
    sleep(100).await;
    frame().await;
    assert_eq!(search(), "?filter=running");
    assert_eq!(names(&root), ["Publish"]);
    assert_eq!(select.value(), "running");

    // `f` cycles: running → queued (none) → succeeded; "all" drops the parameter.
    actions.run(Action::CycleFilter);
    frame().await;
    assert_eq!(search(), "?filter=queued");
    assert_eq!(count(&root, "li.step-row"), 0);
    assert_eq!(
        text(&root, ".timeline .empty"),
        "No steps match this filter."
    );
    for _ in 0..4 {
        actions.run(Action::CycleFilter);
        frame().await;
    }
    assert_eq!(search(), "");
    assert_eq!(count(&root, "li.step-row"), 3);
}

#[wasm_bindgen_test]
async fn bars_are_positioned_through_css_properties_not_style_strings() {
    let _url = UrlGuard::with_query("");
    let run = Store::new(golden());
    let (root, _actions, _h) = mount_timeline(run);
    frame().await;
    let bar: web_sys::HtmlElement = root
        .query_selector("#step-step_001 .step-row__bar")
        .unwrap()
        .unwrap()
        .unchecked_into();
    // step_001 ran 9 s from the axis start: CSSOM custom properties.
    assert_eq!(
        bar.get_attribute("style").as_deref(),
        Some("--start: 0; --len: 9000;")
    );
    let hidden = root
        .query_selector("#step-step_001 .badge--attempt")
        .unwrap()
        .unwrap();
    assert!(hidden.has_attribute("hidden"), "first attempt: no badge");
}

/// Thumbnail slots of a row stay when it scrolls to a step with fewer
/// outputs (hidden, not dropped); a thumbnail opens the output it shows
/// now; an image whose URL is unsafe never gets a `src`, and at rest shows
/// the file tile instead.
#[wasm_bindgen_test]
async fn thumbnail_slots_follow_their_step_and_unsafe_images_never_load() {
    let _url = UrlGuard::with_query("");
    let mut data = large_run(1_000);
    let image = golden().steps[0].outputs[0].clone();
    let with_url = |id: String, url: &str| {
        let mut o = image.clone();
        o.output_id = id;
        o.url = Some(url.to_string());
        o
    };
    // Step 0: two images; step 500: one image with an unsafe URL; others none.
    data.steps[0].outputs = vec![
        with_url("first_a".into(), "https://media.invalid/a.png"),
        with_url("first_b".into(), "https://media.invalid/b.png"),
    ];
    data.steps[500].outputs = vec![with_url("evil".into(), "javascript:alert(1)")];
    let run = Store::new(data);
    let viewer = Rc::new(Cell::new(None));
    let out = viewer.clone();
    let div: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&div).unwrap();
    let window = web_sys::window().unwrap();
    window.scroll_to_with_x_and_y(0.0, 0.0);
    let _h = leptos::mount::mount_to(div.clone(), move || {
        Clock::provide();
        out.set(Some(Viewer::provide()));
        PageActions::provide();
        // Rows of one fixed height, as the app's style makes them: windowing
        // relies on it, and unstyled rows with and without thumbnails differ.
        view! {
            <style>".step-row { height: 48px; overflow: hidden; contain: strict; }"</style>
            <Router><StepTimeline run /><runview::components::Lightbox /></Router>
        }
    });
    let root = div;
    frame().await;
    let first = rows(&root)[0].clone();
    let buttons = |row: &web_sys::Element| -> Vec<web_sys::Element> {
        let list = row.query_selector_all(".step-row__output").unwrap();
        (0..list.length())
            .map(|i| list.get(i).unwrap().unchecked_into())
            .collect()
    };
    let shown = |row: &web_sys::Element| -> Vec<String> {
        buttons(row)
            .iter()
            .filter(|b| !b.has_attribute("hidden"))
            .map(|b| b.get_attribute("aria-label").unwrap_or_default())
            .collect()
    };
    assert_eq!(
        shown(&first),
        ["Open image output first_a", "Open image output first_b"]
    );
    let slots_before = buttons(&first);

    // Scroll step 500 into the first slot's place. Other tests run
    // meanwhile and may scroll the window too (to bring their own thumbnails
    // near the screen): scroll again until the row is there.
    let list: web_sys::HtmlElement = root.query_selector("ol").unwrap().unwrap().unchecked_into();
    let row_h = first.get_bounding_client_rect().height();
    until("row 500 shown", || {
        if root.query_selector("#step-s500").unwrap().is_some() {
            return true;
        }
        let top = list.get_bounding_client_rect().top() + window.scroll_y().unwrap();
        window.scroll_to_with_x_and_y(0.0, top + 500.0 * row_h);
        window
            .dispatch_event(&web_sys::Event::new("scroll").unwrap())
            .unwrap();
        false
    })
    .await;
    let evil_row = root.query_selector("#step-s500").unwrap().unwrap();
    let slots_now = buttons(&rows(&root)[0]);
    assert_eq!(
        slots_now.len(),
        slots_before.len(),
        "no thumbnail slot dropped"
    );
    for (a, b) in slots_before.iter().zip(&slots_now) {
        assert!(a == b, "a thumbnail slot was re-created");
    }
    assert_eq!(shown(&evil_row), ["Open image output evil"]);
    let img = evil_row.query_selector("img").unwrap().unwrap();
    assert_ne!(
        img.get_attribute("src").as_deref(),
        Some("javascript:alert(1)")
    );
    // At rest: checked, refused, shown as a file tile.
    sleep(300).await;
    frame().await;
    assert!(
        img.get_attribute("src").is_none_or(|s| s.is_empty()),
        "{:?}",
        img.get_attribute("src")
    );
    assert!(img.has_attribute("hidden"), "no image for an unsafe URL");
    let tile = evil_row.query_selector(".preview--file").unwrap().unwrap();
    assert!(!tile.has_attribute("hidden"));
    assert!(
        !root.inner_html().contains("javascript"),
        "the URL reaches no attribute"
    );

    // A click opens the output the thumbnail shows now.
    evil_row
        .query_selector(".step-row__output")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    frame().await;
    let dialog = document()
        .query_selector("[role=dialog][aria-label='Output viewer']")
        .unwrap()
        .expect("the viewer opened");
    assert!(dialog.text_content().unwrap().contains("Step 500"));
    viewer.get().unwrap().close();
    window.scroll_to_with_x_and_y(0.0, 0.0);
}
