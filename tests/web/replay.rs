//! Replay: the scrubber shows the run as it was; polls keep updating the
//! live run underneath; Live returns to it.

use crate::harness::*;
use leptos::prelude::*;
use reactive_stores::Store;
use runview::api::{RunStoreFields, Status, Timestamp};
use runview::components::timeline::AxisOf;
use runview::components::{OutputGallery, ProgressBar, ReplayBar, ReplayButton, StepTimeline};
use runview::state::clock::{now_ms, Clock};
use runview::state::replay::ReplayState;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

/// Moves the scrubber to `ms` after the run's start, as a drag would.
fn scrub(root: &web_sys::HtmlElement, ms: i64) {
    let input: web_sys::HtmlInputElement = root
        .query_selector(".replay__range")
        .unwrap()
        .expect("the scrubber")
        .unchecked_into();
    input.set_value(&ms.to_string());
    // Bubbling, as a person's drag sends it.
    js("document.querySelector('.replay__range').dispatchEvent(new Event('input', { bubbles: true }))");
}

fn button(root: &web_sys::HtmlElement, text: &str) -> web_sys::HtmlElement {
    let all = root.query_selector_all("button").unwrap();
    (0..all.length())
        .filter_map(|i| all.get(i))
        .map(|n| n.unchecked_into::<web_sys::HtmlElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == text)
        .unwrap_or_else(|| panic!("no button {text}"))
}

/// The golden run, ended 40 s after its start (a span of 40 s; its last
/// step still reported running).
fn ended() -> runview::api::Run {
    let mut run = golden();
    run.status = Status::Succeeded;
    run.completed_at = Timestamp::parse("2026-03-20T12:00:40Z");
    run
}

#[wasm_bindgen_test]
async fn scrubbing_shows_the_run_as_it_was_and_live_returns() {
    let live = Store::new(ended());
    let (root, _h) = mount(move || {
        // A still clock: the last step runs, so the live axis ends at now.
        let clock = Clock(RwSignal::new(now_ms()).read_only());
        provide_context(clock);
        let state = ReplayState::provide(live);
        // As the run page: the replayed run on the live run's axis.
        let axis = AxisOf { run: live, clock };
        let store = move || {
            if state.showing() {
                (state.shown, Some(axis))
            } else {
                (live, None)
            }
        };
        view! {
            <ReplayButton />
            <ReplayBar />
            {move || {
                let (run, axis) = store();
                view! {
                    <ProgressBar progress=Signal::derive(move || run.progress().get()) />
                    <StepTimeline run axis />
                }
            }}
        }
    });
    let status = |key: &str| text(&root, &format!("#step-{key} .status__label"));
    // The window of the time axis the list shows (its CSS variables).
    let axis_window = || {
        let list = root.query_selector(".timeline__rows").unwrap().unwrap();
        list.get_attribute("style").unwrap_or_default()
    };
    assert_eq!(status("step_002"), "succeeded");
    assert_eq!(count(&root, ".replay"), 0, "no panel until replay opens");
    let live_window = axis_window();

    button(&root, "Replay").click();
    until("the panel and the replayed run", || {
        count(&root, ".replay__range") == 1
    })
    .await;
    settle().await;
    assert!(text(&root, ".replay__note").contains("reconstructed"));

    // 5 s in: the first step runs, the second has not started.
    scrub(&root, 5_000);
    leptos::task::tick().await;
    until("step_002 queued at 5 s", || status("step_002") == "queued").await;
    assert_eq!(status("step_001"), "running");
    assert_eq!(
        count(&root, "#step-step_001 img"),
        0,
        "no output before its step completed"
    );
    assert!(
        text(&root, ".progress__text").contains("0 of 3 steps done · 1 running · 0 failed"),
        "{}",
        text(&root, ".progress__text")
    );
    assert_eq!(
        axis_window(),
        live_window,
        "the axis is the live run's: it does not move with the moment"
    );

    // 12 s in: step_001 done (its output back), step_002 running.
    scrub(&root, 12_000);
    until("step_002 running at 12 s", || {
        status("step_002") == "running"
    })
    .await;
    assert_eq!(status("step_001"), "succeeded");
    assert!(text(&root, ".progress__text").contains("1 of 3 steps done · 1 running"));

    // A poll while replaying: the live run changes, the replayed moment not.
    let mut next = ended();
    next.steps[2].status = Status::Succeeded;
    next.steps[2].completed_at = Timestamp::parse("2026-03-20T12:00:30Z");
    patch(live, next);
    settle().await;
    assert_eq!(status("step_003"), "queued");
    assert_eq!(
        live.steps().with_untracked(|s| s[2].status.clone()),
        Status::Succeeded,
        "the live run took the poll"
    );

    // Live: the current state, with the poll's change.
    button(&root, "Live").click();
    until("the live run again", || status("step_003") == "succeeded").await;
    assert_eq!(status("step_002"), "succeeded");
    assert_eq!(count(&root, ".replay"), 0);
}

#[wasm_bindgen_test]
async fn in_replay_the_gallery_follows_the_moment_only_near_the_screen() {
    let run = Store::new(ended());
    let (root, _h) = mount(move || {
        let state = ReplayState::provide(run);
        // Replay opened (after mount, as a click would: it writes `?at=`).
        Effect::new(move |_| state.open());
        // The gallery far below, as under a long step list.
        view! {
            <div style="height: 30000px"></div>
            <OutputGallery run />
        }
    });
    let groups = || count(&root, ".filmstrip__group");
    assert_eq!(groups(), 1, "built as the run is");
    // The observer's first report: far from the screen.
    frame().await;
    frame().await;
    settle().await;

    // A change while it is far: not followed (a replay frame costs it nothing).
    let mut next = ended();
    for step in &mut next.steps {
        step.outputs.clear();
    }
    patch(run, next);
    frame().await;
    settle().await;
    assert_eq!(groups(), 1, "far from the screen: kept as it was");

    // Near the screen: it catches up with the run.
    root.query_selector(".gallery")
        .unwrap()
        .expect("the gallery")
        .scroll_into_view();
    until("the gallery followed the run", || groups() == 0).await;
    js("history.replaceState(null, '', location.pathname)");
}
