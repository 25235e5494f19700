//! Replay's state on the run page: which moment is shown (`?at=`, ms from
//! the run's start; absent: live), whether it plays and how fast, and the
//! second store the page shows meanwhile.
//!
//! This part is in the main chunk and small; the derivation
//! ([`crate::model::replay`]), the store patching and the scrubber are in
//! the replay chunk ([`crate::components::replay_bar`]), loaded the first
//! time replay opens.
//!
//! History policy: opening replay and going back to live are new history
//! entries (Back undoes them); a scrubber move replaces the current entry
//! when it ends; playback writes nothing until it pauses.

use crate::api::{Run, Status};
use crate::model::replay::{parse_at, span};
use crate::routes::{use_set_query_param, AT_PARAM};
use crate::state::clock::{now_ms, Clock};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use reactive_stores::Store;

/// Replay's state, as context for the run page. `Copy`.
#[derive(Clone, Copy)]
pub struct ReplayState {
    /// The moment shown, in ms from the start of the run's span; `None`: live.
    pub at: RwSignal<Option<i64>>,
    /// Whether playback runs.
    pub playing: RwSignal<bool>,
    /// Playback speed, × real time.
    pub speed: RwSignal<u32>,
    /// The polled run (patched by every poll, in replay too).
    pub live: Store<Run>,
    /// The run as it was at [`at`](Self::at): what the page shows in replay,
    /// once [`ready`](Self::ready).
    pub shown: Store<Run>,
    /// `shown` holds the derived run (the replay code loaded and filled it).
    pub ready: RwSignal<bool>,
    /// The moment as an instant (Unix ms).
    pub instant: RwSignal<i64>,
    /// The clock of the replayed page: [`instant`](Self::instant), read-only
    /// (made once, here: a read-only view made inside a view would be
    /// disposed with it while its last readers still run).
    pub clock: Clock,
    write: Callback<(Option<i64>, bool)>,
}

/// An empty run: what the replay store holds while replay is closed.
fn empty() -> Run {
    Run {
        run_id: String::new(),
        blueprint_id: String::new(),
        status: Status::Queued,
        started_at: None,
        completed_at: None,
        progress: Default::default(),
        final_outputs: Vec::new(),
        steps: Vec::new(),
    }
}

impl ReplayState {
    /// Creates the state for `live`, reading `?at=` now and whenever the URL
    /// changes (Back/Forward), and provides it as context. Call inside a
    /// `<Router>`.
    pub fn provide(live: Store<Run>) -> Self {
        let query = use_query_map();
        let set = use_set_query_param();
        let write = Callback::new(move |(at, replace): (Option<i64>, bool)| {
            set.run((AT_PARAM, at.map(|ms| ms.to_string()), replace));
        });
        let instant = RwSignal::new(0);
        let state = Self {
            at: RwSignal::new(None),
            playing: RwSignal::new(false),
            speed: RwSignal::new(10),
            live,
            shown: Store::new(empty()),
            ready: RwSignal::new(false),
            instant,
            clock: Clock(instant.read_only()),
            write,
        };
        // The URL's moment (clamped to the span by the replay code once the
        // run is there). Our own writes come back equal and change nothing.
        let from_url = Memo::new(move |_| query.with(|q| q.get(AT_PARAM)));
        Effect::new(move |_| {
            let at = from_url.with(|raw| parse_at(raw.as_deref(), i64::MAX));
            if state.at.get_untracked() != at && !state.playing.get_untracked() {
                if at.is_none() {
                    state.leave();
                } else {
                    state.at.set(at);
                }
            }
        });
        provide_context(state);
        state
    }

    /// The state from context.
    pub fn expect() -> Self {
        expect_context::<Self>()
    }

    /// Whether replay is open (tracked).
    pub fn is_open(&self) -> bool {
        self.at.with(Option::is_some)
    }

    /// Whether the page shows the replayed run (tracked).
    pub fn showing(&self) -> bool {
        self.is_open() && self.ready.get()
    }

    /// The span's length in ms (untracked), `None` before the run started.
    pub fn length(&self) -> Option<i64> {
        self.live
            .with_untracked(|r| span(r, now_ms()))
            .map(|(s, e)| e - s)
    }

    /// Opens replay at the present (a new history entry).
    pub fn open(&self) {
        if let Some(len) = self.length() {
            self.at.set(Some(len));
            self.write.run((Some(len), false));
        }
    }

    /// Back to the live run (a new history entry).
    pub fn close(&self) {
        self.leave();
        self.write.run((None, false));
    }

    /// Opens or closes replay.
    pub fn toggle(&self) {
        if self.at.get_untracked().is_some() {
            self.close();
        } else {
            self.open();
        }
    }

    /// Shows the moment `ms` after the start; `commit` writes it to the URL
    /// (replacing the current entry): at the end of a move, not per frame.
    pub fn seek(&self, ms: i64, commit: bool) {
        self.at.set(Some(ms.max(0)));
        if commit {
            self.write.run((Some(ms.max(0)), true));
        }
    }

    /// Writes the current moment to the URL (replacing the entry).
    pub fn commit(&self) {
        if let Some(at) = self.at.get_untracked() {
            self.write.run((Some(at), true));
        }
    }

    /// Leaves replay without touching the URL, emptying the replay store.
    fn leave(&self) {
        self.playing.set(false);
        self.at.set(None);
        self.ready.set(false);
        self.shown.set(empty());
    }
}
