//! The polling hook `use_run` at the platform boundary: real `fetch` calls
//! (to a spy), real abort signals, the real visibility event, and a fake
//! clock, so hours of polling take milliseconds and every wait is exact.

use crate::harness::*;
use leptos::prelude::*;
use runview::api::client::ApiConfig;
use runview::api::error::FatalKind;
use runview::api::{ApiError, RunStoreFields};
use runview::poll::{use_run, PollConfig, PollState, RunHandle};
use runview::state::clock::{FakeTime, TimeSource};
use std::any::Any;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen_test::*;

/// The fake clock starts here (2026-12-01T10:00:00Z).
pub const T0: i64 = 1_796_119_200_000;

/// A mounted `use_run` with its fake clock; dropping it unmounts.
pub struct Hook {
    pub root: web_sys::HtmlElement,
    pub handle: RunHandle,
    pub time: FakeTime,
    pub api: RwSignal<ApiConfig>,
    /// How many times `handle.state` notified its subscribers.
    pub state_notifications: Rc<Cell<u32>>,
    mount: Option<Box<dyn Any>>,
}

impl Hook {
    /// Mounts `use_run(run_id)` on a fake clock at [`T0`] with jitter 0.
    pub fn mount(run_id: &str, api: ApiConfig) -> Self {
        let time = FakeTime::new(T0);
        let slot = Rc::new(Cell::new(None));
        let notifications = Rc::new(Cell::new(0));
        let api = RwSignal::new(api);
        let (t, s, n, id) = (
            time.clone(),
            slot.clone(),
            notifications.clone(),
            run_id.to_string(),
        );
        let (root, mount) = mount(move || {
            let handle = use_run(id, api.into(), PollConfig::default(), Rc::new(t));
            s.set(Some(handle));
            Effect::new(move |_| {
                handle.state.track();
                n.set(n.get() + 1);
            });
            view! {
                <p class="probe">
                    {move || if handle.loaded.get() { handle.run.run_id().get() } else { "loading".into() }}
                </p>
            }
        });
        Self {
            root,
            handle: slot.get().expect("the hook ran"),
            time,
            api,
            state_notifications: notifications,
            mount: Some(Box::new(mount)),
        }
    }

    pub fn probe(&self) -> String {
        text(&self.root, ".probe")
    }

    /// Moves the fake clock by `ms`, then lets answers and effects land.
    pub async fn advance(&self, ms: i64) {
        self.time.advance(ms);
        settle().await;
    }

    pub fn unmount(&mut self) {
        self.mount.take();
    }

    fn error(&self) -> Option<ApiError> {
        self.handle.problem.get_untracked().map(|p| p.error)
    }
}

fn error_body(code: &str) -> String {
    format!(r#"{{"error":{{"message":"simulated","code":"{code}"}}}}"#)
}

#[wasm_bindgen_test]
async fn hook_polls_one_at_a_time_and_aborts_on_unmount() {
    let spy = FetchSpy::new(GOLDEN);
    spy.hold(true);
    let mut hook = Hook::mount("run_abc123", ApiConfig::default());
    settle().await;
    assert_eq!(hook.probe(), "loading");
    assert_eq!(spy.calls(), 1);
    assert_eq!(
        spy.request(0, "url").as_deref(),
        Some(format!("{}/api/v1/runs/run_abc123", origin()).as_str())
    );
    assert_eq!(spy.request(0, "redirect").as_deref(), Some("error"));
    // A slow answer: however long it takes (short of the timeout), nothing
    // else starts.
    hook.advance(14_999).await;
    assert_eq!(spy.calls(), 1);
    spy.release();
    settle().await;
    assert_eq!(hook.probe(), "run_abc123");
    assert_eq!(hook.handle.updated_at.get_untracked(), Some(T0 + 14_999));
    // The next poll is exactly 1 s after the answer.
    assert_eq!(hook.handle.next_at.get_untracked(), Some(T0 + 15_999));
    hook.advance(999).await;
    assert_eq!(spy.calls(), 1);
    hook.advance(1).await;
    assert_eq!(spy.calls(), 2);
    assert_eq!(spy.max_in_flight(), 1);
    // Unmount while that request is in flight: it is aborted, and no timer is
    // left to start another.
    assert_eq!(spy.in_flight(), 1);
    hook.unmount();
    settle().await;
    assert_eq!((spy.aborted(), spy.in_flight()), (1, 0));
    assert_eq!(hook.time.pending_timers(), 0);
    hook.advance(3_600_000).await;
    assert_eq!(spy.calls(), 2, "no request after unmount");
}

#[wasm_bindgen_test]
async fn hook_slows_to_5s_while_nothing_changes() {
    let spy = FetchSpy::new(GOLDEN);
    let hook = Hook::mount("run_abc123", ApiConfig::default());
    settle().await;
    let mut gaps = vec![];
    for _ in 0..6 {
        let calls = spy.calls();
        let gap = hook.handle.next_at.get_untracked().unwrap() - hook.time.now_ms();
        hook.advance(gap - 1).await;
        assert_eq!(spy.calls(), calls, "polled before {gap} ms");
        hook.advance(1).await;
        assert_eq!(spy.calls(), calls + 1, "polled after {gap} ms");
        gaps.push(gap);
    }
    assert_eq!(gaps, [1000, 1500, 2250, 3375, 5000, 5000]);
}

#[wasm_bindgen_test]
async fn hook_sends_nothing_while_hidden_and_fetches_on_return() {
    let spy = FetchSpy::new(GOLDEN);
    let visibility = Visibility::new();
    let hook = Hook::mount("run_abc123", ApiConfig::default());
    settle().await;
    assert_eq!(hook.probe(), "run_abc123");
    visibility.set_hidden(true);
    settle().await;
    assert_eq!(hook.handle.state.get_untracked(), PollState::Hidden);
    let calls = spy.calls();
    hook.advance(3_600_000).await;
    assert_eq!(spy.calls(), calls, "no request while hidden");
    visibility.set_hidden(false);
    settle().await;
    assert_eq!(
        spy.calls(),
        calls + 1,
        "an immediate fetch when visible again"
    );
    assert_eq!(hook.handle.state.get_untracked(), PollState::Polling);
}

#[wasm_bindgen_test]
async fn hook_stops_after_a_terminal_response() {
    let spy = FetchSpy::new(&golden_with_status("succeeded"));
    let hook = Hook::mount("run_abc123", ApiConfig::default());
    settle().await;
    assert_eq!(spy.calls(), 1);
    assert_eq!(hook.handle.state.get_untracked(), PollState::Finished);
    assert_eq!(hook.handle.next_at.get_untracked(), None);
    hook.advance(3_600_000).await;
    assert_eq!(spy.calls(), 1, "no polling after the run ended");
    assert_eq!(hook.time.pending_timers(), 0);
}

#[wasm_bindgen_test]
async fn retries_after_a_500_are_never_sooner_than_1s() {
    let spy = FetchSpy::new(&error_body("internal_server_error"));
    spy.reply(500, &error_body("internal_server_error"));
    let hook = Hook::mount("run_abc123", ApiConfig::default());
    // Jitter 0 gives the shortest waits the policy allows: 1 s, then 2 s, 4 s.
    hook.time.set_random(0.0);
    settle().await;
    assert_eq!(spy.calls(), 1);
    assert_eq!(hook.handle.state.get_untracked(), PollState::Retrying);
    assert_eq!(
        hook.error().map(|e| e.title()).as_deref(),
        Some("The API failed (HTTP 500)")
    );
    let mut calls = 1;
    for wait in [1000, 2000, 4000] {
        assert_eq!(
            hook.handle.next_at.get_untracked(),
            Some(hook.time.now_ms() + wait)
        );
        hook.advance(wait - 1).await;
        assert_eq!(spy.calls(), calls, "a retry before {wait} ms");
        hook.advance(1).await;
        calls += 1;
        assert_eq!(spy.calls(), calls, "the retry after {wait} ms");
    }
    // The failure streak began with the first answer.
    assert_eq!(
        hook.handle.problem.get_untracked().map(|p| p.since_ms),
        Some(T0)
    );
    // Recovery clears the problem and polls at 1 s again.
    spy.reply(200, GOLDEN);
    hook.advance(8000).await;
    assert_eq!(hook.probe(), "run_abc123");
    assert_eq!(hook.handle.problem.get_untracked(), None);
    assert_eq!(hook.handle.state.get_untracked(), PollState::Polling);
}

#[wasm_bindgen_test]
async fn a_hung_request_times_out_after_15s_and_is_retried() {
    let spy = FetchSpy::new(GOLDEN);
    spy.hold(true);
    let hook = Hook::mount("run_abc123", ApiConfig::default());
    settle().await;
    hook.advance(14_999).await;
    assert_eq!((spy.calls(), spy.aborted()), (1, 0));
    hook.advance(1).await;
    assert_eq!((spy.aborted(), spy.in_flight()), (1, 0));
    assert_eq!(hook.error(), Some(ApiError::Timeout));
    hook.advance(1000).await;
    assert_eq!(spy.calls(), 2, "retried 1 s after the timeout");
}

#[wasm_bindgen_test]
async fn a_401_notifies_its_state_once_however_often_the_tab_is_switched() {
    let spy = FetchSpy::new("");
    spy.reply(401, &error_body("unauthorized"));
    let visibility = Visibility::new();
    let hook = Hook::mount("run_abc123", ApiConfig::default());
    settle().await;
    let state = hook.handle.state.get_untracked();
    assert!(
        matches!(&state, PollState::Fatal(f) if f.kind == FatalKind::Unauthorized),
        "{state:?}"
    );
    let seen = hook.state_notifications.get();
    // The settings dialog opens on this state; switching tabs (and time
    // passing) must not say it again.
    for _ in 0..3 {
        visibility.set_hidden(true);
        settle().await;
        visibility.set_hidden(false);
        settle().await;
    }
    hook.advance(600_000).await;
    assert_eq!(hook.state_notifications.get(), seen);
    assert_eq!(hook.handle.state.get_untracked(), state);
    assert_eq!(spy.calls(), 1, "a refused key is not retried by itself");
}

#[wasm_bindgen_test]
async fn a_request_that_cannot_be_built_shows_an_error_and_refresh_still_works() {
    let spy = FetchSpy::new(GOLDEN);
    // U+FEFF cannot travel in a header: the browser refuses the value.
    let bad = ApiConfig {
        key: "sk_demo\u{feff}".into(),
        ..ApiConfig::default()
    };
    let hook = Hook::mount("run_abc123", bad);
    settle().await;
    assert_eq!(spy.calls(), 0, "nothing was sent");
    let error = hook.error().expect("an error to show");
    assert_eq!(error.title(), "The request could not be sent as configured");
    assert!(
        error
            .to_string()
            .contains("the API key contains a character"),
        "{error}"
    );
    assert!(matches!(
        hook.handle.state.get_untracked(),
        PollState::Fatal(f) if f.kind == FatalKind::Unsendable
    ));
    // Refresh is not frozen: it tries again (and fails again, visibly).
    hook.handle.refresh();
    settle().await;
    assert_eq!(spy.calls(), 0);
    assert!(hook.error().is_some());
    // Fixed settings and a refresh: the run shows.
    hook.api.set(ApiConfig {
        key: "sk_demo".into(),
        ..ApiConfig::default()
    });
    hook.handle.refresh();
    settle().await;
    assert_eq!(spy.calls(), 1);
    assert_eq!(
        spy.request(0, "authorization").as_deref(),
        Some("Bearer sk_demo")
    );
    assert_eq!(hook.probe(), "run_abc123");
    assert_eq!(hook.error(), None);
}

#[wasm_bindgen_test]
async fn pause_stops_polling_and_resume_fetches_at_once() {
    let spy = FetchSpy::new(GOLDEN);
    let hook = Hook::mount("run_abc123", ApiConfig::default());
    settle().await;
    hook.handle.pause();
    settle().await;
    assert_eq!(hook.handle.state.get_untracked(), PollState::Paused);
    hook.advance(600_000).await;
    assert_eq!(spy.calls(), 1);
    hook.handle.resume();
    settle().await;
    assert_eq!(spy.calls(), 2);
    assert_eq!(hook.handle.state.get_untracked(), PollState::Polling);
}

fn origin() -> String {
    web_sys::window().unwrap().location().origin().unwrap()
}

#[wasm_bindgen_test]
async fn retry_after_is_a_floor_on_the_next_request() {
    let spy = FetchSpy::new("");
    spy.reply(429, &error_body("rate_limit_exceeded"));
    spy.reply_header("Retry-After", "3");
    let hook = Hook::mount("run_abc123", ApiConfig::default());
    settle().await;
    assert_eq!(
        hook.error().map(|e| e.title()).as_deref(),
        Some("Rate limited by the API")
    );
    assert_eq!(hook.handle.next_at.get_untracked(), Some(T0 + 3000));
    hook.advance(2999).await;
    assert_eq!(spy.calls(), 1);
    hook.advance(1).await;
    assert_eq!(spy.calls(), 2);
}
