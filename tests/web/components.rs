//! Small components: status badge, progress bar, run header, the top bar's menu.

use crate::harness::*;
use leptos::prelude::*;
use reactive_stores::Store;
use runview::api::{RunStoreFields, Status, Timestamp};
use runview::components::{AfterPaint, ProgressBar, RunHeader, StatusBadge, TopbarMenu};
use runview::state::clock::Clock;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
async fn status_badge_shows_known_and_unknown_values() {
    let status = RwSignal::new(Status::Running);
    let (root, _h) = mount(move || view! { <StatusBadge status /> });
    assert_eq!(text(&root, ".status__label"), "running");
    assert!(root.query_selector(".status--running").unwrap().is_some());
    status.set(Status::Unknown("waiting_for_gpu".into()));
    leptos::task::tick().await;
    assert_eq!(text(&root, ".status__label"), "unknown: waiting_for_gpu");
    assert!(root.query_selector(".status--unknown").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn progress_bar_reports_counts_in_text_and_aria() {
    let run = Store::new(golden());
    let (root, _h) = mount(
        move || view! { <ProgressBar progress=Signal::derive(move || run.progress().get()) /> },
    );
    let bar = root.query_selector("[role=progressbar]").unwrap().unwrap();
    assert_eq!(bar.get_attribute("aria-valuenow").as_deref(), Some("3"));
    assert_eq!(bar.get_attribute("aria-valuemax").as_deref(), Some("5"));
    assert!(text(&root, ".progress__text").contains("60%"));
    assert!(text(&root, ".progress__text").contains("3 of 5 steps done · 1 running · 0 failed"));
}

#[wasm_bindgen_test]
async fn run_header_shows_id_blueprint_status_and_times() {
    let run = Store::new(golden());
    // The page's clock, fixed 3 minutes into the run (no dependence on today's date).
    let now = Timestamp::parse("2026-03-20T12:03:00Z").unwrap().ms();
    let (root, _h) = mount(move || {
        provide_context(Clock(signal(now).0));
        view! { <RunHeader run updated_at=Signal::stored(Some(now - 42_000)) /> }
    });
    assert_eq!(text(&root, ".run-header__id"), "run_abc123");
    assert!(root.text_content().unwrap().contains("bp_xyz"));
    assert_eq!(text(&root, ".status__label"), "running");
    let started = root.query_selector("time").unwrap().unwrap();
    assert_eq!(
        started.get_attribute("datetime").as_deref(),
        Some("2026-03-20T12:00:00.000Z")
    );
    assert_eq!(text(&root, ".run-header__duration"), "3 min 00 s");
    assert_eq!(text(&root, ".run-header__updated"), "42 s ago");
}

#[wasm_bindgen_test]
async fn after_paint_shows_its_children_once_the_frame_is_painted() {
    let (root, _h) = mount(move || {
        view! {
            <p class="now">"above the fold"</p>
            <AfterPaint><p class="later">"below the fold"</p></AfterPaint>
        }
    });
    leptos::task::tick().await;
    // Built with the page, not yet painted: only what is above the fold.
    assert_eq!(count(&root, ".now"), 1);
    assert_eq!(count(&root, ".later"), 0);
    // An animation frame, then a task after it.
    frame().await;
    settle().await;
    assert_eq!(text(&root, ".later"), "below the fold");
}

#[wasm_bindgen_test]
async fn topbar_menu_discloses_its_buttons_and_closes_on_escape_with_focus_back() {
    let help = RwSignal::new(false);
    let settings = RwSignal::new(false);
    let (root, _h) = mount(move || view! { <TopbarMenu help_open=help settings_open=settings /> });
    let toggle: web_sys::HtmlElement = root
        .query_selector(".topbar__toggle")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let items = root.query_selector("#topbar-items").unwrap().unwrap();
    let expanded = || toggle.get_attribute("aria-expanded");
    assert_eq!(
        toggle.get_attribute("aria-controls").as_deref(),
        Some("topbar-items")
    );
    assert_eq!(expanded().as_deref(), Some("false"));
    toggle.click();
    leptos::task::tick().await;
    assert_eq!(expanded().as_deref(), Some("true"));
    assert!(items.class_list().contains("topbar__items--open"));
    // Esc inside the menu closes it and puts focus back on the toggle.
    js("document.querySelector('#topbar-items button').dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))");
    leptos::task::tick().await;
    assert_eq!(expanded().as_deref(), Some("false"));
    assert!(!items.class_list().contains("topbar__items--open"));
    assert_eq!(
        crate::harness::document().active_element(),
        Some(toggle.clone().into())
    );
    // Picking an item closes the menu and does what it says.
    toggle.click();
    leptos::task::tick().await;
    let settings_button: web_sys::HtmlElement = root
        .query_selector_all("#topbar-items button")
        .unwrap()
        .item(1)
        .unwrap()
        .unchecked_into();
    settings_button.click();
    leptos::task::tick().await;
    assert!(settings.get_untracked());
    assert!(!help.get_untracked());
    assert_eq!(expanded().as_deref(), Some("false"));
}
