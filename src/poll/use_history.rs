//! `use_history`: a blueprint's run history, kept live while any run in it is.
//!
//! The same [`driver`](super::driver) as the run page decides *when* (1 s
//! growing to 5 s while nothing changes, nothing while hidden, stopped once
//! no listed run is live) and shows failures the same way. One poll fetches
//! the pages shown so far, following each page's next hint, so runs on
//! every shown page stay current and a deep link to `?pages=3` restores
//! three pages. Showing one more page is one more page in the next poll,
//! which starts at once.

use super::driver::{drive, Driver, Judged, Request, Source};
use super::PollConfig;
use crate::api::client::ApiConfig;
use crate::api::history::{any_live, fetch_history, merge, HistoryItem, HistoryPage};
use crate::api::ApiError;
use crate::state::clock::TimeSource;
use leptos::prelude::*;
use std::ops::Deref;
use std::rc::Rc;
use web_sys::AbortController;

/// What the history page reads and the controls it calls: the shown runs
/// (methods), and through [`Deref`] the driver's read-only signals
/// (`loaded`, `problem`, `updated_at`, `state`, `next_at`) and controls
/// (`refresh`, `pause`, `resume`). `Copy`.
#[derive(Clone, Copy)]
pub struct HistoryHandle {
    /// The shown pages, as the API sent them.
    pages: RwSignal<Vec<HistoryPage>>,
    driver: Driver<HistorySource>,
}

impl Deref for HistoryHandle {
    type Target = Driver<HistorySource>;

    fn deref(&self) -> &Self::Target {
        &self.driver
    }
}

/// A blueprint's history, as the driver polls it.
pub struct HistorySource {
    blueprint_id: String,
    /// How many pages are wanted (at least one).
    wanted: Signal<usize>,
    pages: RwSignal<Vec<HistoryPage>>,
}

impl HistorySource {
    fn wanted(&self) -> usize {
        self.wanted.get_untracked().max(1)
    }
}

/// Whether the last of `pages` says there is more (or nothing is shown yet).
fn more_after(pages: &[HistoryPage]) -> bool {
    pages.last().is_none_or(|l| l.next.is_some())
}

impl Source for HistorySource {
    type Raw = Vec<HistoryPage>;
    type Data = Vec<HistoryPage>;

    fn start(&self, api: &ApiConfig) -> Request<Vec<HistoryPage>> {
        let api = api.clone();
        let blueprint_id = self.blueprint_id.clone();
        let wanted = self.wanted();
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        let answer = async move {
            let mut pages: Vec<HistoryPage> = Vec::new();
            while pages.len() < wanted && more_after(&pages) {
                let next = pages.last().and_then(|p| p.next.as_ref());
                let page = fetch_history(&api, &blueprint_id, next, signal.as_ref()).await?;
                pages.push(page);
            }
            Ok(pages)
        };
        Request {
            controller,
            answer: Box::pin(answer),
        }
    }

    /// Each page may take the configured time.
    fn timeout_ms(&self, configured_ms: i64) -> i64 {
        configured_ms.saturating_mul(self.wanted() as i64)
    }

    fn judge(&self, pages: Vec<HistoryPage>, _: bool) -> Result<Judged<Self::Data>, ApiError> {
        Ok(Judged {
            terminal: !pages.iter().any(|p| any_live(&p.items)),
            data: Some(pages),
        })
    }

    fn apply(&self, data: Option<Vec<HistoryPage>>, _: bool) -> bool {
        let Some(pages) = data else { return false };
        let changed = self.pages.with_untracked(|old| *old != pages);
        if changed {
            self.pages.set(pages);
        }
        changed
    }

    /// More pages were asked for while the poll ran: fetch them now.
    fn wants_more(&self) -> bool {
        let shown = self.pages.with_untracked(Vec::len);
        self.wanted() > shown && self.pages.with_untracked(|p| more_after(p))
    }
}

/// Polls the history of `blueprint_id` with the API settings `api` (new
/// settings fetch again at once), showing
/// `pages` pages (at least one), tuned by `config`, on the clock `time`,
/// starting at once.
pub fn use_history(
    blueprint_id: String,
    api: Signal<ApiConfig>,
    pages: Signal<usize>,
    config: PollConfig,
    time: Rc<dyn TimeSource>,
) -> HistoryHandle {
    let shown = RwSignal::new(Vec::new());
    let source = HistorySource {
        blueprint_id,
        wanted: pages,
        pages: shown,
    };
    let handle = HistoryHandle {
        pages: shown,
        driver: drive(source, api, config, time),
    };
    // More pages wanted (Load more, or forward): fetch now. Fewer (back):
    // drop the extra pages at once.
    Effect::watch(
        move || pages.get().max(1),
        move |wanted, _, _| {
            let count = shown.with_untracked(Vec::len);
            if *wanted < count {
                shown.update(|p| p.truncate(*wanted));
            } else if *wanted > count && shown.with_untracked(|p| more_after(p)) {
                handle.refresh();
            }
        },
        false,
    );
    handle
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

    /// How many pages are shown.
    pub fn page_count(&self) -> Signal<usize> {
        let pages = self.pages;
        Signal::derive(move || pages.with(Vec::len))
    }
}
