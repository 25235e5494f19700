//! The reactive driver behind every polling hook: it runs a [`Poller`] with
//! real requests and timers, for any [`Source`] of data.
//!
//! The [`Poller`] decides *when*; the driver does the rest, the same way for
//! a run ([`use_run`](super::use_run)) and a blueprint's history
//! ([`use_history`](super::use_history)): one request at a time, aborted
//! through its `AbortController` after the timeout or on unmount; the tab's
//! visibility; the banner's state (the last failure and since when, the next
//! try); and read-only signals that notify only when their value changes.
//! The API settings come in as a signal the driver follows: new settings
//! abort the request in flight and fetch again at once, so no page repeats
//! that. What a request is, and what an answer means and changes, is the
//! [`Source`]'s business. Time comes in as a [`TimeSource`] (the browser's in
//! the app, a fake in tests) and tuning as a [`PollConfig`].

use super::poller::{Next, Outcome, PollState, Poller, RequestTicket};
use super::PollConfig;
use crate::api::client::ApiConfig;
use crate::api::ApiError;
use crate::state::clock::{TimeSource, Timer};
use leptos::prelude::*;
use leptos_use_document_visibility::use_document_visibility;
use std::future::Future;
use std::pin::Pin;
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

/// A request on its way: what aborts it, and its answer.
pub struct Request<R> {
    /// Aborts the request (timeout, unmount); `None` if it cannot be aborted.
    pub controller: Option<AbortController>,
    /// The answer; [`ApiError::Aborted`] once aborted.
    pub answer: Pin<Box<dyn Future<Output = Result<R, ApiError>>>>,
}

/// An answer as the poller needs to hear it, with the data to apply if the
/// poller accepts it.
pub struct Judged<D> {
    /// Nothing in it will change any more (a finished run, a history with
    /// no live run): polling stops.
    pub terminal: bool,
    /// What to apply; `None` when there is nothing new to apply.
    pub data: Option<D>,
}

/// What a polling hook polls: how to ask, and what an answer means.
pub trait Source: 'static {
    /// A successful answer, before it is judged.
    type Raw: 'static;
    /// What an accepted answer applies.
    type Data: 'static;

    /// Starts one request with the API settings `api`.
    fn start(&self, api: &ApiConfig) -> Request<Self::Raw>;

    /// How long this request may take, given the configured timeout.
    fn timeout_ms(&self, configured_ms: i64) -> i64 {
        configured_ms
    }

    /// Reads an answer against what is shown (`loaded`: an answer was
    /// applied before). An `Err` counts as the request's failure.
    fn judge(&self, raw: Self::Raw, loaded: bool) -> Result<Judged<Self::Data>, ApiError>;

    /// Applies an accepted answer (`data` as judged; `first`: nothing was
    /// applied before) and says whether it changed what is shown (the
    /// cadence speeds up again): what the patch touched, not a second diff.
    fn apply(&self, data: Option<Self::Data>, first: bool) -> bool;

    /// Asked after an answer was applied: fetch again at once (e.g. more
    /// was asked for while the request ran)?
    fn wants_more(&self) -> bool {
        false
    }
}

/// The running driver: read-only signals for the view, and the controls.
/// `Copy`.
pub struct Driver<S: Source> {
    /// Whether any answer has been applied yet.
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
    api: Signal<ApiConfig>,
    source: StoredValue<Rc<S>, LocalStorage>,
    time: StoredValue<Rc<dyn TimeSource>, LocalStorage>,
    poller: StoredValue<Poller>,
    controller: StoredValue<Option<AbortController>, LocalStorage>,
    poll_timer: StoredValue<Option<Timer>, LocalStorage>,
    timeout_timer: StoredValue<Option<Timer>, LocalStorage>,
    timed_out_seq: StoredValue<Option<u64>>,
}

impl<S: Source> Clone for Driver<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: Source> Copy for Driver<S> {}

/// The write halves of the driver's signals, used only through
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
pub(crate) fn set_if_changed<T: PartialEq + Send + Sync + 'static>(
    signal: WriteSignal<T>,
    value: T,
) {
    signal.maybe_update(|old| {
        let changed = *old != value;
        if changed {
            *old = value;
        }
        changed
    });
}

/// Starts polling `source` with the API settings `api`, tuned by `config`,
/// on the clock `time`: the first request goes out at once. New settings
/// abort the request in flight and fetch at once. Stops (timers cancelled,
/// the request in flight aborted) when the calling owner is cleaned up.
pub fn drive<S: Source>(
    source: S,
    api: Signal<ApiConfig>,
    config: PollConfig,
    time: Rc<dyn TimeSource>,
) -> Driver<S> {
    let (loaded, set_loaded) = signal(false);
    let (problem, set_problem) = signal(None);
    let (updated_at, set_updated_at) = signal(None);
    let (state, set_state) = signal(PollState::Polling);
    let (next_at, set_next_at) = signal(None);
    let driver = Driver {
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
        api,
        source: StoredValue::new_local(Rc::new(source)),
        time: StoredValue::new_local(time),
        poller: StoredValue::new(Poller::new(config)),
        controller: StoredValue::new_local(None),
        poll_timer: StoredValue::new_local(None),
        timeout_timer: StoredValue::new_local(None),
        timed_out_seq: StoredValue::new(None),
    };

    let visibility = use_document_visibility();
    Effect::new(move |_| {
        let visible = visibility.get() != VisibilityState::Hidden;
        let now = driver.now();
        if let Some(next) = driver
            .poller
            .try_update_value(|p| p.set_visible(visible, now))
        {
            driver.schedule(next);
        }
    });
    // New settings (a key typed after a 401, another base URL): what is in
    // flight was asked with the old ones. Only a real change counts (storage
    // re-announces the same values when the page starts).
    Effect::watch(
        move || api.get(),
        move |now, before, _| {
            if before.is_some_and(|before| before != now) {
                driver.abort();
                driver.refresh();
            }
        },
        false,
    );
    on_cleanup(move || {
        driver.abort();
        for timer in [driver.poll_timer, driver.timeout_timer] {
            if let Some(Some(t)) = timer.try_update_value(Option::take) {
                t.cancel();
            }
        }
    });
    let first = driver.poller.with_value(Poller::next);
    driver.schedule(first);
    driver
}

impl<S: Source> Driver<S> {
    /// Fetch now ("Refresh now").
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

    /// Aborts the request in flight, if any (it is reported as aborted, not
    /// as a failure).
    fn abort(&self) {
        if let Some(Some(c)) = self.controller.try_get_value() {
            c.abort();
        }
    }

    fn now(&self) -> i64 {
        self.time
            .try_with_value(|t| t.now_ms())
            .unwrap_or_else(crate::state::clock::now_ms)
    }

    /// Acts on the poller's answer: arm the timer, or show why nothing is due.
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
        let Some(source) = self.source.try_get_value() else {
            return;
        };
        let api = self.api.get_untracked();
        let Request { controller, answer } = source.start(&api);
        self.controller.set_value(controller);
        let configured = self.poller.with_value(|p| p.config().request_timeout_ms);
        let on_timeout = Box::new(move || {
            self.timed_out_seq.set_value(Some(ticket.seq()));
            if let Some(Some(c)) = self.controller.try_get_value() {
                c.abort();
            }
        });
        let timeout_ms = source.timeout_ms(configured);
        let timer = self
            .time
            .with_value(|t| t.set_timer(timeout_ms, on_timeout));
        self.timeout_timer.set_value(Some(timer));
        leptos::task::spawn_local(async move {
            let result = answer.await;
            self.finish(ticket, result);
        });
    }

    fn finish(self, ticket: RequestTicket, result: Result<S::Raw, ApiError>) {
        // The page may be gone (unmounted while the request ran).
        let Some(timed_out) = self.timed_out_seq.try_get_value() else {
            return;
        };
        let Some(source) = self.source.try_get_value() else {
            return;
        };
        if let Some(Some(t)) = self.timeout_timer.try_update_value(Option::take) {
            t.cancel();
        }
        let timed_out = timed_out == Some(ticket.seq());
        let now = self.now();
        let loaded = self.loaded.get_untracked();
        let outcome = match result.and_then(|raw| source.judge(raw, loaded)) {
            // Applied before the poller hears of it, so that "changed" is
            // what the patch touched; the poller accepts the answer exactly
            // when it is newer than every one applied (`accepts`).
            Ok(Judged { terminal, data }) => {
                let accepted = self.poller.with_value(|p| p.accepts(ticket));
                let changed = accepted && source.apply(data, !loaded);
                Outcome::Success {
                    terminal,
                    changed: changed || !loaded,
                }
            }
            Err(ApiError::Aborted) if timed_out => Outcome::Failure(ApiError::Timeout),
            Err(ApiError::Aborted) => Outcome::Aborted,
            Err(e) => Outcome::Failure(e),
        };
        let error = match &outcome {
            Outcome::Failure(e) => Some(e.clone()),
            _ => None,
        };
        let succeeded = matches!(outcome, Outcome::Success { .. });
        let random = self.time.with_value(|t| t.random());
        let Some(verdict) = self
            .poller
            .try_update_value(|p| p.finish(ticket, outcome, now, random))
        else {
            return;
        };
        let applied = verdict.should_apply();
        if applied {
            if succeeded {
                set_if_changed(self.w.loaded, true);
            }
            set_if_changed(self.w.updated_at, Some(now));
            set_if_changed(self.w.problem, None);
        } else if let Some(error) = error {
            let since_ms = self
                .poller
                .with_value(Poller::failing_since_ms)
                .unwrap_or(now);
            set_if_changed(self.w.problem, Some(Problem { error, since_ms }));
        }
        self.schedule(verdict.next);
        if applied && source.wants_more() {
            self.refresh();
        }
    }
}
