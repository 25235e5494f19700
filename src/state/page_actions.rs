//! What the current page can do on request: the seam between the keyboard
//! (one document-level listener) and the components that own each action.
//!
//! A component registers the actions it owns while it is mounted
//! ([`PageActions::register`] clears them again on cleanup); the keyboard
//! dispatcher calls whichever is registered. Every action here is also
//! reachable by a visible control in the component that registers it.

use crate::model::shortcuts::Action;
use leptos::prelude::*;

/// The registered actions, as app-wide context. `Copy`.
#[derive(Clone, Copy)]
pub struct PageActions {
    slots: RwSignal<Vec<(u64, Action, Callback<()>)>, LocalStorage>,
    next_id: StoredValue<u64>,
}

impl PageActions {
    /// Creates the registry and provides it as context.
    pub fn provide() -> Self {
        let actions = Self {
            slots: RwSignal::new_local(Vec::new()),
            next_id: StoredValue::new(0),
        };
        provide_context(actions);
        actions
    }

    /// The registry from context, if the app provided one (tests that mount a
    /// single component may not).
    pub fn try_expect() -> Option<Self> {
        use_context::<Self>()
    }

    /// Registers `run` for `action` until the calling owner is cleaned up. A
    /// later registration of the same action wins until it is removed.
    pub fn register(&self, action: Action, run: Callback<()>) {
        let slots = self.slots;
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        slots.update(|s| s.push((id, action, run)));
        on_cleanup(move || {
            let _ = slots.try_update(|s| s.retain(|(i, _, _)| *i != id));
        });
    }

    /// Whether `action` is available now (reactive).
    pub fn has(&self, action: Action) -> bool {
        self.slots.with(|s| s.iter().any(|(_, a, _)| *a == action))
    }

    /// Whether `action` is available now, read without tracking (for event
    /// handlers).
    pub fn has_untracked(&self, action: Action) -> bool {
        self.slots
            .with_untracked(|s| s.iter().any(|(_, a, _)| *a == action))
    }

    /// Runs the latest registration of `action`; false if none is registered.
    pub fn run(&self, action: Action) -> bool {
        let found = self.slots.with_untracked(|s| {
            s.iter()
                .rev()
                .find(|(_, a, _)| *a == action)
                .map(|(_, _, r)| *r)
        });
        match found {
            Some(run) => {
                run.run(());
                true
            }
            None => false,
        }
    }
}
