//! `use_history`: a blueprint's run history, kept live while any run in it is.
//!
//! The same [`Poller`] as the run page decides *when* (1 s growing to 5 s
//! while nothing changes, nothing while hidden, stopped once no listed run is
//! live). One poll fetches the pages shown so far, following each page's
//! next hint, so runs on every shown page stay current and a deep link to
//! `?pages=3` restores three pages. Showing one more page is one more page
//! in the next poll, which starts at once.

use super::policy::{Failure, Next, Outcome, PollConfig, PollState, Poller, RequestTicket};
use super::Problem;
use crate::api::client::ApiConfig;
use crate::api::history::{any_live, fetch_history, merge, HistoryItem, HistoryPage};
use crate::api::ApiError;
use leptos::prelude::*;
use leptos_use_document_visibility::use_document_visibility;
use leptos_use_timeout_fn::use_timeout_fn;
use std::sync::Arc;
use web_sys::{AbortController, VisibilityState};

type TimerFn = Arc<dyn Fn(()) + Send + Sync>;

/// What the history page reads. `Copy`.
#[derive(Clone, Copy)]
pub struct HistoryHandle {
    /// The shown pages, as the API sent them.
    pages: RwSignal<Vec<HistoryPage>>,
    /// Whether any answer has been applied yet.
    loaded: RwSignal<bool>,
    /// The last failure, while failing.
    problem: RwSignal<Option<Problem>>,
    /// What polling is doing.
    state: RwSignal<PollState>,
    /// When the next request is due (Unix ms).
    next_at: RwSignal<Option<f64>>,
    blueprint_id: StoredValue<String>,
    config: Signal<ApiConfig>,
    wanted: Signal<usize>,
    poller: StoredValue<Poller>,
    controller: StoredValue<Option<AbortController>, LocalStorage>,
    /// Seq of the poll the timeout aborted, if any.
    timed_out: StoredValue<Option<u64>>,
    delay: RwSignal<f64>,
    timer: StoredValue<Option<(TimerFn, TimerFn)>>,
}

/// Polls the history of `blueprint_id`, showing `pages` pages (at least one).
pub fn use_history(
    blueprint_id: String,
    config: Signal<ApiConfig>,
    pages: Signal<usize>,
) -> HistoryHandle {
    let handle = HistoryHandle {
        pages: RwSignal::new(Vec::new()),
        loaded: RwSignal::new(false),
        problem: RwSignal::new(None),
        state: RwSignal::new(PollState::Polling),
        next_at: RwSignal::new(None),
        blueprint_id: StoredValue::new(blueprint_id),
        config,
        wanted: pages,
        poller: StoredValue::new(Poller::new(PollConfig::default())),
        controller: StoredValue::new_local(None),
        timed_out: StoredValue::new(None),
        delay: RwSignal::new(0.0),
        timer: StoredValue::new(None),
    };
    let timer = use_timeout_fn(move |_: ()| handle.kick(), handle.delay);
    let (start, stop) = (timer.start, timer.stop);
    handle
        .timer
        .set_value(Some((Arc::new(start), Arc::new(move |_| stop()))));
    let visibility = use_document_visibility();
    Effect::new(move |_| {
        let visible = visibility.get() != VisibilityState::Hidden;
        if let Some(next) = handle
            .poller
            .try_update_value(|p| p.set_visible(visible, now_ms()))
        {
            handle.schedule(next);
        }
    });
    // More pages wanted (Load more, or forward): fetch now. Fewer (back):
    // drop the extra pages at once.
    Effect::watch(
        move || pages.get().max(1),
        move |wanted, _, _| {
            let shown = handle.pages.with_untracked(Vec::len);
            if *wanted < shown {
                handle.pages.update(|p| p.truncate(*wanted));
            } else if *wanted > shown && handle.has_more_untracked() {
                handle.refresh();
            }
        },
        false,
    );
    on_cleanup(move || {
        if let Some(Some(c)) = handle.controller.try_get_value() {
            c.abort();
        }
    });
    handle.schedule(Next::FetchAt(0));
    handle
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

impl HistoryHandle {
    /// Every shown run once, newest first.
    pub fn items(&self) -> Signal<Vec<HistoryItem>> {
        let pages = self.pages;
        Signal::derive(move || {
            let mut items = Vec::new();
            pages.with(|p| {
                for page in p {
                    merge(&mut items, page.items.clone());
                }
            });
            items
        })
    }

    /// Whether the last shown page says there is more.
    pub fn has_more(&self) -> Signal<bool> {
        let pages = self.pages;
        Signal::derive(move || pages.with(|p| p.last().is_some_and(|l| l.next.is_some())))
    }

    fn has_more_untracked(&self) -> bool {
        self.pages
            .with_untracked(|p| p.last().is_none_or(|l| l.next.is_some()))
    }

    /// How many pages are shown.
    pub fn page_count(&self) -> Signal<usize> {
        let pages = self.pages;
        Signal::derive(move || pages.with(Vec::len))
    }

    /// Whether any answer has arrived.
    pub fn loaded(&self) -> Signal<bool> {
        self.loaded.into()
    }

    /// The failure shown over the last good data.
    pub fn problem(&self) -> Signal<Option<Problem>> {
        self.problem.into()
    }

    /// What polling is doing.
    pub fn state(&self) -> Signal<PollState> {
        self.state.into()
    }

    /// When the next try is due.
    pub fn next_at(&self) -> Signal<Option<f64>> {
        self.next_at.into()
    }

    /// Fetch now.
    pub fn refresh(&self) {
        if let Some(next) = self.poller.try_update_value(|p| p.refresh_now(now_ms())) {
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
        if let Some(next) = self.poller.try_update_value(|p| p.resume(now_ms())) {
            self.schedule(next);
        }
    }

    fn schedule(&self, next: Next) {
        let Some(Some((start, stop))) = self.timer.try_get_value() else {
            return;
        };
        stop(());
        let state = self.poller.with_value(Poller::state);
        if self.state.get_untracked() != state {
            self.state.set(state);
        }
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

    fn kick(&self) {
        let Some(ticket) = self
            .poller
            .try_update_value(|p| p.start_request(now_ms()))
            .flatten()
        else {
            return;
        };
        self.next_at.set(None);
        let config = self.config.get_untracked();
        let blueprint_id = self.blueprint_id.get_value();
        let wanted = self.wanted.get_untracked().max(1);
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        self.controller.set_value(controller);
        let this = *self;
        let timeout_ms = self.poller.with_value(|p| p.config().request_timeout_ms);
        let timeout = set_timeout_with_handle(
            move || {
                this.timed_out.set_value(Some(ticket.seq()));
                if let Some(Some(c)) = this.controller.try_get_value() {
                    c.abort();
                }
            },
            std::time::Duration::from_millis(timeout_ms * wanted as u64),
        )
        .ok();
        leptos::task::spawn_local(async move {
            let mut pages: Vec<HistoryPage> = Vec::new();
            let mut result = Ok(());
            while pages.len() < wanted {
                let next = pages.last().and_then(|p: &HistoryPage| p.next.clone());
                if !pages.is_empty() && next.is_none() {
                    break;
                }
                match fetch_history(&config, &blueprint_id, next.as_ref(), signal.as_ref()).await {
                    Ok(page) => pages.push(page),
                    Err(e) => {
                        result = Err(e);
                        break;
                    }
                }
            }
            if let Some(t) = timeout {
                t.clear();
            }
            this.finish(ticket, result.map(|_| pages));
        });
    }

    fn finish(self, ticket: RequestTicket, result: Result<Vec<HistoryPage>, ApiError>) {
        let Some(loaded) = self.loaded.try_get_untracked() else {
            return; // unmounted meanwhile
        };
        let now = now_ms();
        let timed_out = self.timed_out.try_get_value().flatten() == Some(ticket.seq());
        let fetched = result.is_ok();
        let (outcome, error) = match &result {
            Ok(pages) => {
                let changed = !loaded || self.pages.with_untracked(|old| old != pages);
                let live = pages.iter().any(|p| any_live(&p.items));
                (
                    Outcome::Success {
                        terminal: !live,
                        changed,
                    },
                    None,
                )
            }
            Err(ApiError::Aborted) if timed_out => {
                (Outcome::Failure(Failure::Timeout), Some(ApiError::Timeout))
            }
            Err(ApiError::Aborted) => (Outcome::Aborted, None),
            Err(e) => (Outcome::Failure(failure_of(e)), Some(e.clone())),
        };
        let Some(verdict) = self
            .poller
            .try_update_value(|p| p.finish(ticket, outcome, now, js_sys::Math::random()))
        else {
            return;
        };
        if verdict.should_apply() {
            if let Ok(pages) = result {
                if self.pages.with_untracked(|old| *old != pages) {
                    self.pages.set(pages);
                }
                if !loaded {
                    self.loaded.set(true);
                }
            }
            if self.problem.with_untracked(Option::is_some) {
                self.problem.set(None);
            }
        } else if let Some(error) = error {
            let since_ms = self
                .poller
                .with_value(Poller::failing_since_ms)
                .unwrap_or(now) as f64;
            self.problem.set(Some(Problem { error, since_ms }));
        }
        self.schedule(verdict.next);
        // More pages were asked for while this poll ran: fetch them now.
        let shown = self.pages.with_untracked(Vec::len);
        if fetched && self.wanted.get_untracked().max(1) > shown && self.has_more_untracked() {
            self.refresh();
        }
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
