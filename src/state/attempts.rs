//! The earlier attempts this tab saw of one run's steps
//! ([`AttemptMemory`](crate::model::attempts::AttemptMemory)): a signal for
//! the page's life, kept in sessionStorage under a key per run id, so a
//! reload in the same tab keeps them. Stored text that does not read as a
//! memory is ignored (the page starts with an empty one).

use crate::api::decode::Steps;
use crate::api::Step;
use crate::model::attempts::AttemptMemory;
use codee::string::JsonSerdeCodec;
use leptos::prelude::*;
use leptos_use_storage::use_session_storage;

/// The sessionStorage key of a run's attempts.
pub fn storage_key(run_id: &str) -> String {
    format!("runview.attempts.{run_id}")
}

/// One run's remembered attempts (`Copy`; provided as context by the run page).
#[derive(Clone, Copy)]
pub struct Attempts {
    /// The memory (read it; polls write it).
    pub memory: Signal<AttemptMemory>,
    set_memory: WriteSignal<AttemptMemory>,
}

impl Attempts {
    /// The memory of `run_id`'s attempts, read from sessionStorage.
    pub fn new(run_id: &str) -> Self {
        let (memory, set_memory, _) =
            use_session_storage::<AttemptMemory, JsonSerdeCodec>(storage_key(run_id));
        Self { memory, set_memory }
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
        }
    }
}
