//! `use_run`: the one reactive polling resource behind the run page.
//!
//! The [`Poller`] decides *when*; this hook does the rest: one request at a
//! time through an `AbortController`, a timeout, patching each response into
//! the run's store (so unchanged steps re-render nothing), the error banner's
//! state, and the tab's visibility. Timers come from leptos-use and are
//! cleared on unmount; the in-flight request is aborted on unmount (and so
//! when the run id changes, since the page re-creates the hook per run).

use super::policy::{Failure, Next, Outcome, PollConfig, PollState, Poller, RequestTicket};
use crate::api::client::{fetch_run_raw, ApiConfig, RawResponse};
use crate::api::decode::{decode_update, Snapshot, Steps, Update};
use crate::api::prefetch;
use crate::api::{ApiError, Progress, Run, Status};
use crate::state::run_store;
use leptos::prelude::*;
use leptos_use_document_visibility::use_document_visibility;
use leptos_use_timeout_fn::use_timeout_fn;
use reactive_stores::Store;
use std::sync::Arc;
use std::time::Duration;
use web_sys::{AbortController, VisibilityState};

/// A failure shown over the last good data.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// What went wrong last.
    pub error: ApiError,
    /// When the current streak of failures began (Unix ms).
    pub since_ms: f64,
}

type TimerFn = Arc<dyn Fn(()) + Send + Sync>;

/// What the run page reads and the controls it calls. `Copy`.
#[derive(Clone, Copy)]
pub struct RunHandle {
    /// The run, patched with every response.
    pub run: Store<Run>,
    /// Whether any response has been applied yet.
    pub loaded: RwSignal<bool>,
    /// The last failure, while failing.
    pub problem: RwSignal<Option<Problem>>,
    /// When the shown data was fetched (Unix ms).
    pub updated_at: RwSignal<Option<f64>>,
    /// What polling is doing.
    pub state: RwSignal<PollState>,
    /// When the next request is due (Unix ms), if one is scheduled.
    pub next_at: RwSignal<Option<f64>>,
    run_id: StoredValue<String>,
    config: Signal<ApiConfig>,
    poller: StoredValue<Poller>,
    controller: StoredValue<Option<AbortController>, LocalStorage>,
    timeout: StoredValue<Option<TimeoutHandle>>,
    timed_out_seq: StoredValue<Option<u64>>,
    delay: RwSignal<f64>,
    timer: StoredValue<Option<(TimerFn, TimerFn)>>,
    snapshot: StoredValue<Option<Snapshot>>,
}

/// Polls `GET /api/v1/runs/{run_id}` with `config`, starting at once.
pub fn use_run(run_id: String, config: Signal<ApiConfig>) -> RunHandle {
    let handle = RunHandle {
        run: Store::new(placeholder(&run_id)),
        loaded: RwSignal::new(false),
        problem: RwSignal::new(None),
        updated_at: RwSignal::new(None),
        state: RwSignal::new(PollState::Polling),
        next_at: RwSignal::new(None),
        run_id: StoredValue::new(run_id),
        config,
        poller: StoredValue::new(Poller::new(PollConfig::default())),
        controller: StoredValue::new_local(None),
        timeout: StoredValue::new(None),
        timed_out_seq: StoredValue::new(None),
        delay: RwSignal::new(0.0),
        timer: StoredValue::new(None),
        snapshot: StoredValue::new(None),
    };
    let timer = use_timeout_fn(move |_: ()| handle.kick(), handle.delay);
    let (start, stop) = (timer.start, timer.stop);
    handle
        .timer
        .set_value(Some((Arc::new(start), Arc::new(move |_| stop()))));

    let visibility = use_document_visibility();
    Effect::new(move |_| {
        let visible = visibility.get() != VisibilityState::Hidden;
        let next = handle
            .poller
            .try_update_value(|p| p.set_visible(visible, now_ms()));
        if let Some(next) = next {
            handle.schedule(next);
        }
    });
    on_cleanup(move || {
        if let Some(Some(c)) = handle.controller.try_get_value() {
            c.abort();
        }
        if let Some(Some(t)) = handle.timeout.try_get_value() {
            t.clear();
        }
    });
    handle.schedule(Next::FetchAt(0));
    handle
}

fn placeholder(run_id: &str) -> Run {
    Run {
        run_id: run_id.to_string(),
        blueprint_id: String::new(),
        status: Status::Queued,
        started_at: None,
        completed_at: None,
        progress: Progress::default(),
        final_outputs: Vec::new(),
        steps: Vec::new(),
    }
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

impl RunHandle {
    /// Fetch now ("Refresh now"; also after the settings change).
    pub fn refresh(&self) {
        let next = self
            .poller
            .update_value_returning(|p| p.refresh_now(now_ms()));
        self.schedule(next);
    }

    /// Stop polling until [`resume`](Self::resume).
    pub fn pause(&self) {
        let next = self.poller.update_value_returning(|p| p.pause());
        self.schedule(next);
    }

    /// Restart polling with an immediate fetch.
    pub fn resume(&self) {
        let next = self.poller.update_value_returning(|p| p.resume(now_ms()));
        self.schedule(next);
    }

    /// Acts on the policy's answer: arm the timer, or show why nothing is due.
    fn schedule(&self, next: Next) {
        let Some(Some((start, stop))) = self.timer.try_get_value() else {
            return;
        };
        stop(());
        self.state.set(self.poller.with_value(Poller::state));
        match next {
            Next::FetchAt(at) => {
                let wait = at.saturating_sub(now_ms());
                self.next_at.set(Some(now_ms().max(at) as f64));
                if wait == 0 {
                    self.kick();
                } else {
                    self.delay.set(wait as f64);
                    start(());
                }
            }
            Next::InFlight => {}
            Next::Hidden | Next::Stopped(_) => self.next_at.set(None),
        }
    }

    /// The timer fired (or a fetch is due now): start a request if allowed.
    fn kick(&self) {
        let Some(ticket) = self
            .poller
            .try_update_value(|p| p.start_request(now_ms()))
            .flatten()
        else {
            return;
        };
        self.next_at.set(None);
        self.fetch(ticket);
    }

    fn fetch(self, ticket: RequestTicket) {
        let config = self.config.get_untracked();
        let run_id = self.run_id.get_value();
        // The page's first request may already be on its way (prefetch.js).
        let prefetched = prefetch::take(&config, &run_id);
        let controller = match &prefetched {
            Some(p) => Some(p.controller.clone()),
            None => AbortController::new().ok(),
        };
        let signal = controller.as_ref().map(AbortController::signal);
        self.controller.set_value(controller);
        let timeout_ms = self.poller.with_value(|p| p.config().request_timeout_ms);
        let timeout = set_timeout_with_handle(
            move || {
                self.timed_out_seq.set_value(Some(ticket.seq()));
                if let Some(Some(c)) = self.controller.try_get_value() {
                    c.abort();
                }
            },
            Duration::from_millis(timeout_ms),
        )
        .ok();
        self.timeout.set_value(timeout);
        leptos::task::spawn_local(async move {
            let result = match prefetched {
                Some(p) => p.response().await,
                None => fetch_run_raw(&config, &run_id, signal.as_ref()).await,
            };
            self.finish(ticket, result);
        });
    }

    /// Decodes an answer against the snapshot of the body on screen: a
    /// byte-identical success costs a compare, and only changed steps are decoded.
    fn decode(&self, raw: RawResponse) -> Result<Update, ApiError> {
        self.snapshot
            .with_value(|last| decode_update(last.as_ref(), raw.status, raw.body, raw.retry_after))
    }

    fn finish(self, ticket: RequestTicket, result: Result<RawResponse, ApiError>) {
        // The page may be gone (unmounted while the request ran).
        let Some(timed_out) = self.timed_out_seq.try_get_value() else {
            return;
        };
        if let Some(Some(t)) = self.timeout.try_get_value() {
            t.clear();
        }
        let timed_out = timed_out == Some(ticket.seq());
        let now = now_ms();
        if result.is_ok() && !self.loaded.get_untracked() {
            crate::perf::mark("runview:first-response");
        }
        crate::perf::remark("runview:apply-start");
        let (outcome, data, error) = match result.and_then(|raw| self.decode(raw)) {
            // Byte-identical to the data on screen: nothing to decode or patch.
            Ok(Update::Same) => {
                let terminal = self.run.with_untracked(|r| r.status.is_terminal());
                (
                    Outcome::Success {
                        terminal,
                        changed: false,
                    },
                    None,
                    None,
                )
            }
            Ok(Update::Changed {
                head,
                steps,
                snapshot,
            }) => {
                let changed =
                    !self.loaded.get_untracked() || run_store::differs(self.run, &head, &steps);
                let terminal = head.status.is_terminal();
                (
                    Outcome::Success { terminal, changed },
                    Some((head, steps, snapshot)),
                    None,
                )
            }
            Err(ApiError::Aborted) if timed_out => (
                Outcome::Failure(Failure::Timeout),
                None,
                Some(ApiError::Timeout),
            ),
            Err(ApiError::Aborted) => (Outcome::Aborted, None, None),
            Err(e) => (Outcome::Failure(failure_of(&e)), None, Some(e)),
        };
        let verdict = self
            .poller
            .update_value_returning(|p| p.finish(ticket, outcome, now, js_sys::Math::random()));
        if verdict.should_apply() {
            if let Some((head, steps, snapshot)) = data {
                self.snapshot.set_value(Some(snapshot));
                if self.loaded.get_untracked() {
                    run_store::apply(self.run, head, steps);
                } else {
                    // The first body has no snapshot to diff against, so its
                    // steps come whole; a patch would still apply correctly.
                    match steps {
                        Steps::Replace(all) => {
                            run_store::load(self.run, Run { steps: all, ..head })
                        }
                        patch => run_store::apply(self.run, head, patch),
                    }
                    self.loaded.set(true);
                    crate::perf::mark_before_paint("runview:first-data");
                }
            }
            self.updated_at.set(Some(now as f64));
            self.problem.set(None);
            crate::perf::measure("runview:apply", "runview:apply-start");
        } else if let Some(error) = error {
            let since_ms = self
                .poller
                .with_value(Poller::failing_since_ms)
                .unwrap_or(now) as f64;
            self.problem.set(Some(Problem { error, since_ms }));
        }
        self.schedule(verdict.next);
    }
}

/// How the policy sees an API error.
fn failure_of(e: &ApiError) -> Failure {
    match e {
        ApiError::Network(_) | ApiError::Aborted => Failure::Network,
        ApiError::Timeout => Failure::Timeout,
        ApiError::Decode(_) => Failure::Decode,
        ApiError::Http {
            status,
            code,
            retry_after,
            defer_until,
            ..
        } => Failure::http(
            *status,
            code.clone(),
            retry_after.as_deref(),
            defer_until.as_deref(),
        ),
    }
}

/// `StoredValue::update_value` that hands back the closure's result.
trait UpdateReturning<T> {
    fn update_value_returning<R>(&self, f: impl FnOnce(&mut T) -> R) -> R;
}

impl<T: Send + Sync + 'static> UpdateReturning<T> for StoredValue<T> {
    fn update_value_returning<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        self.try_update_value(f).expect("poller disposed")
    }
}
