//! A blueprint's run history and the comparison of two runs: the history
//! row, the history hook on a fake clock (cadence, stop once settled, pages
//! fetched and dropped as the URL asks), and both pages end to end against
//! the fetch spy, answering by URL.

use crate::harness::*;
use leptos::prelude::*;
use leptos_router::components::{Route, Routes};
use leptos_router::path;
use runview::api::client::ApiConfig;
use runview::api::history::HistoryItem;
use runview::api::{Progress, Status, Timestamp};
use runview::components::HistoryRow;
use runview::pages::{compare::ComparePage, history::HistoryPage};
use runview::poll::{use_history, HistoryHandle, PollConfig, PollState};
use runview::state::clock::FakeTime;
use runview::state::settings::{Settings, SettingsForm};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

/// The fake clock starts here (2026-12-01T10:00:00Z).
const T0: i64 = 1_796_119_200_000;

fn item(id: &str, at: &str, status: &str) -> String {
    format!(r#"{{"runId":"{id}","status":"{status}","startedAt":"{at}","completedAt":"{at}"}}"#)
}

/// Answers the history of `blueprint` with two pages: `first` under `runs`
/// with a cursor to the second, then `second` under `items`, the last.
fn route_two_pages(spy: &FetchSpy, blueprint: &str, first: &[String], second: &[String]) {
    spy.route(
        "cursor=c2",
        &format!(r#"{{"items":[{}]}}"#, second.join(",")),
    );
    spy.route(
        &format!("/blueprints/{blueprint}/runs"),
        &format!(r#"{{"runs":[{}],"nextCursor":"c2"}}"#, first.join(",")),
    );
}

fn location() -> String {
    let l = web_sys::window().unwrap().location();
    format!("{}{}", l.pathname().unwrap(), l.search().unwrap())
}

fn go(path: &str) {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .unwrap();
}

/// The app's routes for these pages, with the app-wide settings.
fn pages() -> impl IntoView {
    Settings::provide();
    view! {
        <Routes fallback=|| "none">
            <Route path=path!("/blueprints/:id") view=HistoryPage />
            <Route path=path!("/compare/:a/:b") view=ComparePage />
        </Routes>
    }
}

fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

/// The button named `name`, if shown.
fn button(root: &web_sys::HtmlElement, name: &str) -> Option<web_sys::HtmlButtonElement> {
    let all = root.query_selector_all("button").unwrap();
    (0..all.length())
        .map(|i| {
            all.item(i)
                .unwrap()
                .unchecked_into::<web_sys::HtmlButtonElement>()
        })
        .find(|b| b.text_content().unwrap_or_default().trim() == name)
}

#[wasm_bindgen_test]
async fn a_history_row_shows_what_a_person_judges_a_run_by() {
    let picked = RwSignal::new(false);
    let toggled = RwSignal::new(Vec::<String>::new());
    let item = HistoryItem {
        run_id: "run_t".into(),
        status: Status::Succeeded,
        created_at: None,
        started_at: Some(Timestamp(1_000_000)),
        completed_at: Some(Timestamp(1_030_000)),
        progress: Some(Progress {
            total_steps: 12,
            completed_steps: 11,
            failed_steps: 1,
            running_steps: 0,
        }),
        thumbnail_url: Some("javascript:alert(1)".into()),
    };
    let (root, _h) = mount(move || {
        view! {
            <ul><HistoryRow item selected=picked
                on_toggle=Callback::new(move |id| toggled.update(|t| t.push(id))) /></ul>
        }
    });
    assert_eq!(text(&root, ".history-row__id"), "run_t");
    assert_eq!(text(&root, ".status__label"), "succeeded");
    assert_eq!(text(&root, ".history-row__duration"), "Duration 30.0 s");
    assert_eq!(text(&root, ".history-row__progress"), "12/12 steps");
    assert_eq!(
        count(&root, "img"),
        0,
        "an unsafe thumbnail URL is not loaded"
    );
    let label = root.query_selector("label").unwrap().unwrap();
    assert_eq!(label.text_content().unwrap(), "Pick run_t to compare");
    let checkbox: web_sys::HtmlInputElement = root
        .query_selector("input[type=checkbox]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(!checkbox.checked());
    checkbox.click();
    assert_eq!(toggled.get_untracked(), vec!["run_t".to_string()]);
    picked.set(true);
    leptos::task::tick().await;
    assert!(checkbox.checked());
    assert_eq!(count(&root, ".history-row--picked"), 1);
}

/// A mounted `use_history("bp_h")` on a fake clock at [`T0`], showing
/// `wanted` pages; dropping it unmounts.
struct Hook {
    handle: HistoryHandle,
    time: FakeTime,
    wanted: RwSignal<usize>,
    _mount: Box<dyn std::any::Any>,
}

impl Hook {
    fn mount() -> Self {
        let time = FakeTime::new(T0);
        let wanted = RwSignal::new(1);
        let slot = Rc::new(Cell::new(None));
        let (t, s) = (time.clone(), slot.clone());
        let (_, mount) = mount(move || {
            let api = Signal::derive(ApiConfig::default);
            let handle = use_history(
                "bp_h".into(),
                api,
                wanted.into(),
                PollConfig::default(),
                Rc::new(t),
            );
            s.set(Some(handle));
        });
        Self {
            handle: slot.get().expect("the hook ran"),
            time,
            wanted,
            _mount: Box::new(mount),
        }
    }

    /// Moves the fake clock by `ms`, then lets answers and effects land.
    async fn advance(&self, ms: i64) {
        self.time.advance(ms);
        settle().await;
    }

    fn ids(&self) -> Vec<String> {
        self.handle
            .items()
            .get_untracked()
            .into_iter()
            .map(|i| i.run_id)
            .collect()
    }
}

#[wasm_bindgen_test]
async fn the_history_polls_while_a_run_is_live_and_stops_once_none_is() {
    let live = format!(
        r#"{{"runs":[{},{}]}}"#,
        item("run_b", "2026-12-01T09:59:00Z", "running"),
        item("run_a", "2026-12-01T09:00:00Z", "succeeded")
    );
    let spy = FetchSpy::new("{}");
    spy.route("/blueprints/bp_h/runs", &live);
    let hook = Hook::mount();
    settle().await;
    assert_eq!(spy.calls(), 1);
    assert_eq!(
        spy.urls()[0],
        format!("{}/api/v1/blueprints/bp_h/runs", origin())
    );
    assert_eq!(spy.request(0, "redirect").as_deref(), Some("error"));
    assert!(hook.handle.loaded.get_untracked());
    assert_eq!(hook.ids(), ["run_b", "run_a"]);
    assert_eq!(hook.handle.state.get_untracked(), PollState::Polling);
    // A live run: the run page's cadence, 1 s, then 1.5 s while unchanged.
    hook.advance(999).await;
    assert_eq!(spy.calls(), 1);
    hook.advance(1).await;
    assert_eq!(spy.calls(), 2);
    assert_eq!(hook.handle.next_at.get_untracked(), Some(T0 + 2_500));
    // The run finishes: polling stops with that answer.
    spy.route(
        "/blueprints/bp_h/runs",
        &live.replace(r#""status":"running""#, r#""status":"failed""#),
    );
    hook.advance(1_500).await;
    assert_eq!(spy.calls(), 3);
    assert_eq!(hook.handle.state.get_untracked(), PollState::Finished);
    assert_eq!(hook.handle.next_at.get_untracked(), None);
    hook.advance(600_000).await;
    assert_eq!(spy.calls(), 3, "no polling of a settled history");
    assert_eq!(hook.handle.updated_at.get_untracked(), Some(T0 + 2_500));
}

#[wasm_bindgen_test]
async fn more_pages_are_fetched_at_once_and_fewer_dropped_without_a_request() {
    let spy = FetchSpy::new("{}");
    route_two_pages(
        &spy,
        "bp_h",
        &[item("run_new", "2026-12-01T09:00:00Z", "succeeded")],
        &[item("run_old", "2026-11-30T09:00:00Z", "failed")],
    );
    let hook = Hook::mount();
    settle().await;
    assert_eq!(spy.calls(), 1);
    assert_eq!(hook.ids(), ["run_new"]);
    assert!(hook.handle.has_more().get_untracked());
    assert_eq!(hook.handle.state.get_untracked(), PollState::Finished);
    // "Load more": one poll of both pages, at once, on a stopped history.
    hook.wanted.set(2);
    settle().await;
    assert_eq!(spy.calls(), 3);
    assert_eq!(
        spy.urls()[1..],
        [
            format!("{}/api/v1/blueprints/bp_h/runs", origin()),
            format!("{}/api/v1/blueprints/bp_h/runs?cursor=c2", origin()),
        ]
    );
    assert_eq!(hook.ids(), ["run_new", "run_old"]);
    assert_eq!(hook.handle.page_count().get_untracked(), 2);
    assert!(!hook.handle.has_more().get_untracked());
    // Back: one page again, with no request.
    hook.wanted.set(1);
    settle().await;
    assert_eq!(hook.handle.page_count().get_untracked(), 1);
    assert_eq!(hook.ids(), ["run_new"]);
    assert_eq!(spy.calls(), 3);
}

#[wasm_bindgen_test]
async fn a_failing_history_keeps_its_rows_and_says_so() {
    let page = format!(
        r#"{{"runs":[{}]}}"#,
        item("run_live", "2026-12-01T09:59:00Z", "running")
    );
    let spy = FetchSpy::new("{}");
    spy.route("/blueprints/bp_h/runs", &page);
    let hook = Hook::mount();
    settle().await;
    assert_eq!(hook.ids(), ["run_live"]);
    // The next answers are 503s: the rows stay, the problem shows.
    js("window.__fetchSpy.routes = []");
    spy.reply(
        503,
        r#"{"error":{"message":"down for a moment","code":"unavailable"}}"#,
    );
    hook.advance(1_000).await;
    assert_eq!(spy.calls(), 2);
    assert_eq!(hook.ids(), ["run_live"]);
    assert_eq!(hook.handle.state.get_untracked(), PollState::Retrying);
    let problem = hook.handle.problem.get_untracked().expect("a problem");
    assert_eq!(problem.since_ms, T0 + 1_000);
    assert_eq!(problem.error.status(), Some(503));
}

#[wasm_bindgen_test]
async fn the_history_page_lists_newest_first_loads_more_and_keeps_picks_in_the_url() {
    let spy = FetchSpy::new("{}");
    route_two_pages(
        &spy,
        "bp_t",
        &[
            item("run_old", "2026-03-20T10:00:00Z", "succeeded"),
            item("run_new", "2026-03-20T12:00:00Z", "failed"),
        ],
        &[item("run_older", "2026-03-19T10:00:00Z", "succeeded")],
    );
    let back = location();
    go("/blueprints/bp_t");
    let (root, h) = mount(pages);
    settle().await;
    assert_eq!(texts(&root, ".history-row__id"), ["run_new", "run_old"]);
    assert_eq!(
        text(&root, ".live__text"),
        "No run is running; live updates stopped"
    );
    assert!(button(&root, "Compare").unwrap().disabled());
    button(&root, "Load more").unwrap().click();
    settle().await;
    assert_eq!(location(), "/blueprints/bp_t?pages=2");
    assert_eq!(
        texts(&root, ".history-row__id"),
        ["run_new", "run_old", "run_older"]
    );
    assert!(
        button(&root, "Load more").is_none(),
        "the last page offers no more"
    );
    let boxes = root.query_selector_all("input[type=checkbox]").unwrap();
    for i in [0, 2] {
        boxes
            .item(i)
            .unwrap()
            .unchecked_into::<web_sys::HtmlElement>()
            .click();
        settle().await;
    }
    assert_eq!(count(&root, ".history-row--picked"), 2);
    assert_eq!(location(), "/blueprints/bp_t?pages=2&sel=run_new,run_older");
    assert_eq!(text(&root, ".history__picked"), "2 runs picked.");
    button(&root, "Compare").unwrap().click();
    settle().await;
    assert_eq!(location(), "/compare/run_older/run_new");
    // Every run was final: page 1, then pages 1 and 2 for "Load more", and
    // the polling stopped (the clock of a stopped poller has no timer).
    let history_calls = spy
        .urls()
        .iter()
        .filter(|u| u.contains("/blueprints/"))
        .count();
    assert_eq!(history_calls, 3, "{:?}", spy.urls());
    drop(h);
    go(&back);
}

#[wasm_bindgen_test]
async fn the_compare_page_sums_up_matches_steps_and_swaps_by_url() {
    let finished = golden_with_status("succeeded");
    let spy = FetchSpy::new("{}");
    spy.route("/runs/run_a", &finished.replace("run_abc123", "run_a"));
    spy.route("/runs/run_b", &finished.replace("run_abc123", "run_b"));
    let back = location();
    go("/compare/run_a/run_b");
    let (root, _h) = mount(pages);
    settle().await;
    assert_eq!(texts(&root, ".compare__ids code"), ["run_a", "run_b"]);
    let steps = texts(&root, ".compare-table tbody th");
    assert_eq!(steps.len(), golden().steps.len());
    assert_eq!(steps.len() as u32, count(&root, ".compare-table tbody tr"));
    // The same run twice: every timed step reads "same", none is only in one run.
    assert_eq!(count(&root, ".compare-table__only"), 0);
    assert_eq!(count(&root, ".compare-table .delta--faster"), 0);
    assert_eq!(count(&root, ".compare-table .delta--slower"), 0);
    let swap = button(&root, "Swap A and B").expect("a swap button");
    swap.click();
    settle().await;
    assert_eq!(location(), "/compare/run_b/run_a");
    assert_eq!(texts(&root, ".compare__ids code"), ["run_b", "run_a"]);
    assert_eq!(
        count(&root, ".compare-table tbody tr") as usize,
        steps.len()
    );
    go(&back);
}

/// B's "Publish" step, running in the golden body, finished.
fn publish_finished(body: &str) -> String {
    let running = r#""status": "running",
      "predecessorsLeft": 0,
      "attemptNo": 1,
      "startedAt": "2026-03-20T12:00:25Z",
      "completedAt": null"#;
    assert!(body.contains(running), "the fixture's Publish step moved");
    body.replace(
        running,
        r#""status": "succeeded",
      "predecessorsLeft": 0,
      "attemptNo": 1,
      "startedAt": "2026-03-20T12:00:25Z",
      "completedAt": "2026-03-20T12:00:31Z""#,
    )
}

#[wasm_bindgen_test]
async fn a_playing_video_survives_a_poll_that_changes_another_step() {
    let spy = FetchSpy::new("{}");
    let b = GOLDEN.replace("run_abc123", "run_b");
    spy.route("/runs/run_a", &GOLDEN.replace("run_abc123", "run_a"));
    spy.route("/runs/run_b", &b);
    let back = location();
    go("/compare/run_a/run_b");
    let settings = Rc::new(Cell::new(None::<Settings>));
    let keep = settings.clone();
    let (root, _h) = mount(move || {
        let view = pages();
        keep.set(Some(Settings::expect()));
        view
    });
    settle().await;
    // "Render video" made a video in both runs: one synced pair.
    assert_eq!(count(&root, ".compare-media video"), 2);
    js("document.querySelectorAll('.compare-media video').forEach(v => { v.__kept = true; v.currentTime = 2.5; })");
    assert_eq!(
        texts(&root, ".compare-table tbody tr:last-child .status__label"),
        ["running", "running"]
    );
    // B's Publish step finishes; new settings fetch both runs again at once
    // (no page watches them: the polling hook does).
    spy.route("/runs/run_b", &publish_finished(&b));
    let before = spy.urls().len();
    let settings = settings.get().expect("the settings");
    let saved = settings.form();
    let project = SettingsForm {
        project: "compare_test".into(),
        ..saved.clone()
    };
    settings.save(project).expect("a valid project");
    settle().await;
    assert_eq!(spy.urls().len(), before + 2, "{:?}", spy.urls());
    assert_eq!(
        texts(&root, ".compare-table tbody tr:last-child .status__label"),
        ["running", "succeeded"]
    );
    // The videos are the same elements, still where they were.
    let kept = js("[...document.querySelectorAll('.compare-media video')].map(v => v.__kept === true && v.currentTime === 2.5).join()");
    assert_eq!(kept.as_string().as_deref(), Some("true,true"));
    settings.save(saved).expect("the settings as they were");
    go(&back);
}

/// While B is still running, the summary says "so far" and names no winner.
#[wasm_bindgen_test]
async fn a_comparison_with_a_live_run_names_no_winner() {
    let spy = FetchSpy::new("{}");
    spy.route(
        "/runs/run_a",
        &golden_with_status("succeeded").replace("run_abc123", "run_a"),
    );
    spy.route("/runs/run_b", &GOLDEN.replace("run_abc123", "run_b"));
    let back = location();
    go("/compare/run_a/run_b");
    let (root, _h) = mount(pages);
    settle().await;
    let summary = texts(&root, ".compare-summary dd");
    assert_eq!(summary[2], "B is still running; compared once both finish");
    assert!(summary[1].ends_with(" so far"), "{summary:?}");
    assert!(summary[3].starts_with("So far: "), "{summary:?}");
    go(&back);
}

fn origin() -> String {
    web_sys::window().unwrap().location().origin().unwrap()
}
