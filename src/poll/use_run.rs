//! `use_run`: the one reactive polling resource behind the run page.
//!
//! The [`Poller`] decides *when*; this hook does the rest: one request at a
//! time through an `AbortController`, a timeout, patching each response into
//! the run's store (so unchanged steps re-render nothing), the error banner's
//! state, and the tab's visibility. Time comes in as a [`TimeSource`] (the
//! browser's in the app, a fake in tests) and tuning as a [`PollConfig`].
//! What it hands out is read-only, and each signal notifies only when its
//! value changes. Timers are cancelled and the request in flight is aborted
//! on unmount (and so when the run id changes, since the page re-creates the
//! hook per run).

use super::poller::{Next, Outcome, PollState, Poller, RequestTicket};
use super::PollConfig;
use crate::api::client::{fetch_run_raw, ApiConfig, RawResponse};
use crate::api::decode::{decode_update, Snapshot, Steps, Update};
use crate::api::prefetch;
use crate::api::{ApiError, Progress, Run, Status};
use crate::state::clock::{TimeSource, Timer};
use crate::state::run_store;
use leptos::prelude::Update as _;
use leptos::prelude::*;
use leptos_use_document_visibility::use_document_visibility;
use reactive_stores::Store;
use std::rc::Rc;
use web_sys::{AbortController, VisibilityState};

/// A failure shown over the last good data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// What went wrong last.
    pub error: ApiError,
    /// When the current streak of failures began (Unix ms).
    pub since_ms: i64,
}

/// What the run page reads and the controls it calls. `Copy`.
#[derive(Clone, Copy)]
pub struct RunHandle {
    /// The run, patched with every response (read it; the hook writes it).
    pub run: Store<Run>,
    /// Whether any response has been applied yet.
    pub loaded: ReadSignal<bool>,
    /// The last failure, while failing.
    pub problem: ReadSignal<Option<Problem>>,
    /// When the shown data was fetched (Unix ms).
    pub updated_at: ReadSignal<Option<i64>>,
    /// What polling is doing.
    pub state: ReadSignal<PollState>,
    /// When the next request is due (Unix ms), if one is scheduled.
    pub next_at: ReadSignal<Option<i64>>,
    w: Writers,
    run_id: StoredValue<String>,
    api: Signal<ApiConfig>,
    time: StoredValue<Rc<dyn TimeSource>, LocalStorage>,
    poller: StoredValue<Poller>,
    controller: StoredValue<Option<AbortController>, LocalStorage>,
    poll_timer: StoredValue<Option<Timer>, LocalStorage>,
    timeout_timer: StoredValue<Option<Timer>, LocalStorage>,
    timed_out_seq: StoredValue<Option<u64>>,
    snapshot: StoredValue<Option<Snapshot>>,
}

/// The write halves of the handle's signals, used only through
/// [`set_if_changed`].
#[derive(Clone, Copy)]
struct Writers {
    loaded: WriteSignal<bool>,
    problem: WriteSignal<Option<Problem>>,
    updated_at: WriteSignal<Option<i64>>,
    state: WriteSignal<PollState>,
    next_at: WriteSignal<Option<i64>>,
}

/// Sets `signal` to `value` and notifies only if the value differs.
fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: WriteSignal<T>, value: T) {
    signal.maybe_update(|old| {
        let changed = *old != value;
        if changed {
            *old = value;
        }
        changed
    });
}

/// Polls `GET /api/v1/runs/{run_id}` with the API settings `api`, tuned by
/// `config`, on the clock `time`, starting at once.
pub fn use_run(
    run_id: String,
    api: Signal<ApiConfig>,
    config: PollConfig,
    time: Rc<dyn TimeSource>,
) -> RunHandle {
    let (loaded, set_loaded) = signal(false);
    let (problem, set_problem) = signal(None);
    let (updated_at, set_updated_at) = signal(None);
    let (state, set_state) = signal(PollState::Polling);
    let (next_at, set_next_at) = signal(None);
    let handle = RunHandle {
        run: Store::new(placeholder(&run_id)),
        loaded,
        problem,
        updated_at,
        state,
        next_at,
        w: Writers {
            loaded: set_loaded,
            problem: set_problem,
            updated_at: set_updated_at,
            state: set_state,
            next_at: set_next_at,
        },
        run_id: StoredValue::new(run_id),
        api,
        time: StoredValue::new_local(time),
        poller: StoredValue::new(Poller::new(config)),
        controller: StoredValue::new_local(None),
        poll_timer: StoredValue::new_local(None),
        timeout_timer: StoredValue::new_local(None),
        timed_out_seq: StoredValue::new(None),
        snapshot: StoredValue::new(None),
    };

    let visibility = use_document_visibility();
    Effect::new(move |_| {
        let visible = visibility.get() != VisibilityState::Hidden;
        let now = handle.now();
        if let Some(next) = handle
            .poller
            .try_update_value(|p| p.set_visible(visible, now))
        {
            handle.schedule(next);
        }
    });
    on_cleanup(move || {
        if let Some(Some(c)) = handle.controller.try_get_value() {
            c.abort();
        }
        for timer in [handle.poll_timer, handle.timeout_timer] {
            if let Some(Some(t)) = timer.try_update_value(Option::take) {
                t.cancel();
            }
        }
    });
    let first = handle.poller.with_value(Poller::next);
    handle.schedule(first);
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

impl RunHandle {
    /// Fetch now ("Refresh now"; also after the settings change).
    pub fn refresh(&self) {
        let now = self.now();
        if let Some(next) = self.poller.try_update_value(|p| p.refresh_now(now)) {
            self.schedule(next);
        }
    }

    /// Stop polling until [`resume`](Self::resume).
    pub fn pause(&self) {
        if let Some(next) = self.poller.try_update_value(|p| p.pause()) {
            self.schedule(next);
        }
    }

    /// Restart polling with an immediate fetch.
    pub fn resume(&self) {
        let now = self.now();
        if let Some(next) = self.poller.try_update_value(|p| p.resume(now)) {
            self.schedule(next);
        }
    }

    fn now(&self) -> i64 {
        self.time
            .try_with_value(|t| t.now_ms())
            .unwrap_or_else(crate::state::clock::now_ms)
    }

    /// Acts on the policy's answer: arm the timer, or show why nothing is due.
    fn schedule(&self, next: Next) {
        if let Some(Some(t)) = self.poll_timer.try_update_value(Option::take) {
            t.cancel();
        }
        let Some(state) = self.poller.try_with_value(Poller::state) else {
            return;
        };
        set_if_changed(self.w.state, state);
        match next {
            Next::FetchAt(at) => {
                let now = self.now();
                set_if_changed(self.w.next_at, Some(now.max(at)));
                let wait = at.saturating_sub(now);
                if wait <= 0 {
                    self.kick();
                } else {
                    let this = *self;
                    let timer = self
                        .time
                        .with_value(|t| t.set_timer(wait, Box::new(move || this.kick())));
                    self.poll_timer.set_value(Some(timer));
                }
            }
            Next::InFlight => {}
            Next::Hidden | Next::Stopped(_) => set_if_changed(self.w.next_at, None),
        }
    }

    /// The timer fired (or a fetch is due now): start a request if allowed.
    fn kick(&self) {
        let now = self.now();
        let Some(ticket) = self
            .poller
            .try_update_value(|p| p.start_request(now))
            .flatten()
        else {
            return;
        };
        set_if_changed(self.w.next_at, None);
        self.fetch(ticket);
    }

    fn fetch(self, ticket: RequestTicket) {
        let api = self.api.get_untracked();
        let run_id = self.run_id.get_value();
        // The page's first request may already be on its way (prefetch.js).
        let prefetched = prefetch::take(&api, &run_id);
        let controller = match &prefetched {
            Some(p) => Some(p.controller.clone()),
            None => AbortController::new().ok(),
        };
        let signal = controller.as_ref().map(AbortController::signal);
        self.controller.set_value(controller);
        let timeout_ms = self.poller.with_value(|p| p.config().request_timeout_ms);
        let on_timeout = Box::new(move || {
            self.timed_out_seq.set_value(Some(ticket.seq()));
            if let Some(Some(c)) = self.controller.try_get_value() {
                c.abort();
            }
        });
        let timer = self
            .time
            .with_value(|t| t.set_timer(timeout_ms, on_timeout));
        self.timeout_timer.set_value(Some(timer));
        leptos::task::spawn_local(async move {
            let result = match prefetched {
                Some(p) => p.response().await,
                None => fetch_run_raw(&api, &run_id, signal.as_ref()).await,
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
        if let Some(Some(t)) = self.timeout_timer.try_update_value(Option::take) {
            t.cancel();
        }
        let timed_out = timed_out == Some(ticket.seq());
        let now = self.now();
        let loaded = self.loaded.get_untracked();
        if result.is_ok() && !loaded {
            crate::perf::mark("runview:first-response");
        }
        crate::perf::remark("runview:apply-start");
        let (outcome, data) = match result.and_then(|raw| self.decode(raw)) {
            // Byte-identical to the data on screen: nothing to decode or patch.
            Ok(Update::Same) => {
                let terminal = self.run.with_untracked(|r| r.status.is_terminal());
                let outcome = Outcome::Success {
                    terminal,
                    changed: false,
                };
                (outcome, None)
            }
            Ok(Update::Changed {
                head,
                steps,
                snapshot,
            }) => {
                let changed = !loaded || run_store::differs(self.run, &head, &steps);
                let terminal = head.status.is_terminal();
                let outcome = Outcome::Success { terminal, changed };
                (outcome, Some((head, steps, snapshot)))
            }
            Err(ApiError::Aborted) if timed_out => (Outcome::Failure(ApiError::Timeout), None),
            Err(ApiError::Aborted) => (Outcome::Aborted, None),
            Err(e) => (Outcome::Failure(e), None),
        };
        let error = match &outcome {
            Outcome::Failure(e) => Some(e.clone()),
            _ => None,
        };
        let random = self.time.with_value(|t| t.random());
        let Some(verdict) = self
            .poller
            .try_update_value(|p| p.finish(ticket, outcome, now, random))
        else {
            return;
        };
        if verdict.should_apply() {
            if let Some((head, steps, snapshot)) = data {
                self.snapshot.set_value(Some(snapshot));
                if loaded {
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
                    set_if_changed(self.w.loaded, true);
                    crate::perf::mark_before_paint("runview:first-data");
                }
            }
            set_if_changed(self.w.updated_at, Some(now));
            set_if_changed(self.w.problem, None);
            crate::perf::measure("runview:apply", "runview:apply-start");
        } else if let Some(error) = error {
            let since_ms = self
                .poller
                .with_value(Poller::failing_since_ms)
                .unwrap_or(now);
            set_if_changed(self.w.problem, Some(Problem { error, since_ms }));
        }
        self.schedule(verdict.next);
    }
}
