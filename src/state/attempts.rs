//! The earlier attempts this tab saw of one run's steps
//! ([`AttemptMemory`](crate::model::attempts::AttemptMemory)): a signal for
//! the page's life, kept in sessionStorage under a key per run id, so a
//! reload in the same tab keeps them. Stored text that does not read as a
//! memory is ignored (the page starts with an empty one).
//!
//! The stored form is read and written by [`attempts_codec`], whose code is
//! not on the first load: a tab with a stored memory fetches it to read it
//! (the memory starts empty and fills in when it arrives), and the first
//! attempt seen fetches it to write.

use crate::api::decode::Steps;
use crate::api::Step;
use crate::model::attempts::AttemptMemory;
use crate::state::attempts_codec;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The sessionStorage key of a run's attempts.
pub fn storage_key(run_id: &str) -> String {
    format!("runview.attempts.{run_id}")
}

/// The tab's sessionStorage, if it has one (none natively, or when blocked).
#[cfg(target_arch = "wasm32")]
fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The tab's sessionStorage: none natively.
#[cfg(not(target_arch = "wasm32"))]
fn session() -> Option<web_sys::Storage> {
    None
}

/// One run's remembered attempts (`Copy`; provided as context by the run page).
#[derive(Clone, Copy)]
pub struct Attempts {
    /// The memory (read it; polls write it).
    pub memory: Signal<AttemptMemory>,
    set_memory: WriteSignal<AttemptMemory>,
    /// Its sessionStorage key.
    key: StoredValue<String>,
    /// Stored text is being read (or its code did not arrive): nothing is
    /// written meanwhile, so a stored memory is never overwritten unread.
    reading: StoredValue<bool>,
    /// Counts writes, so a slower earlier write never lands after a later one.
    writes: StoredValue<u64>,
}

impl Attempts {
    /// The memory of `run_id`'s attempts: empty, then what sessionStorage
    /// holds (merged with what polls saw meanwhile) once it is read.
    pub fn new(run_id: &str) -> Self {
        let (memory, set_memory) = signal(AttemptMemory::default());
        let key = storage_key(run_id);
        let stored = session()
            .and_then(|s| s.get_item(&key).ok().flatten())
            .filter(|text| !text.is_empty());
        let this = Self {
            memory: memory.into(),
            set_memory,
            key: StoredValue::new(key),
            reading: StoredValue::new(stored.is_some()),
            writes: StoredValue::new(0),
        };
        if let Some(text) = stored {
            this.restore(text);
        }
        this
    }

    /// Reads stored text into the memory, keeping what polls saw meanwhile
    /// (and then stores the two together).
    fn restore(self, text: String) {
        spawn_local(async move {
            let Ok(restored) = attempts_codec::decode(text).await else {
                return;
            };
            if self.reading.try_set_value(false).is_some() {
                return;
            }
            let Some(seen) = self.memory.try_get_untracked() else {
                return;
            };
            let seen_meanwhile = !seen.attempts.is_empty();
            if let Some(restored) = restored {
                self.set_memory.try_set(restored.merged(seen));
            }
            if seen_meanwhile {
                self.save();
            }
        });
    }

    /// Writes the memory to sessionStorage (unless stored text is still
    /// being read: that read writes when it is done).
    fn save(self) {
        if self.reading.try_get_value().unwrap_or(true) {
            return;
        }
        let (Some(memory), Some(n)) = (
            self.memory.try_get_untracked(),
            self.writes.try_update_value(|n| {
                *n += 1;
                *n
            }),
        ) else {
            return;
        };
        spawn_local(async move {
            let Some(text) = attempts_codec::encode(memory).await else {
                return;
            };
            if self.writes.try_get_value() != Some(n) {
                return;
            }
            if let (Some(storage), Some(key)) = (session(), self.key.try_get_value()) {
                // A full or blocked storage keeps the memory for the page only.
                let _ = storage.set_item(&key, &text);
            }
        });
    }

    /// The run page's memory, if there is one (a timeline mounted alone in a
    /// test has none).
    pub fn try_expect() -> Option<Self> {
        use_context::<Self>()
    }

    /// Notes the steps a poll is about to patch: `current` is the list on
    /// screen, `steps` the update. Only changed steps are looked at (a whole
    /// new list is matched by key), and the memory (and storage) is written
    /// only when some step's `attemptNo` went up.
    pub fn observe(&self, current: &[Step], steps: &Steps) {
        let mut memory: Option<AttemptMemory> = None;
        let mut note = |prev: &Step, next: &Step| {
            if next.attempt_no > prev.attempt_no && prev.key() == next.key() {
                memory
                    .get_or_insert_with(|| self.memory.get_untracked())
                    .observe_step(prev, next);
            }
        };
        match steps {
            Steps::Patch(changed) => {
                for (i, step) in changed {
                    if let Some(prev) = current.get(*i) {
                        note(prev, step);
                    }
                }
            }
            Steps::Replace(all) => {
                let before: std::collections::HashMap<String, &Step> =
                    current.iter().map(|s| (s.key(), s)).collect();
                for step in all {
                    if let Some(prev) = before.get(&step.key()) {
                        note(prev, step);
                    }
                }
            }
        }
        if let Some(memory) = memory {
            self.set_memory.set(memory);
            self.save();
        }
    }
}
