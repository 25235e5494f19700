//! The "Replay" button: with [`ReplayState`], all of replay the run page's
//! first load carries. The scrubber and the derivation come in the replay
//! chunk ([`replay_bar`](crate::components::lazy::replay_bar)), which the
//! run page mounts the first time replay opens (the button, `t`, or a
//! `?at=` link).

use crate::api::RunStoreFields;
use crate::model::shortcuts::Action;
use crate::state::page_actions::PageActions;
use crate::state::replay::ReplayState;
use leptos::prelude::*;

/// Opens replay (or goes back to live). Registers [`Action::ToggleReplay`] (the `t` key).
/// Disabled until the run or one of its steps has started.
#[component]
pub fn ReplayButton() -> impl IntoView {
    let state = ReplayState::expect();
    let live = state.live;
    let started = Memo::new(move |_| {
        live.started_at().with(Option::is_some)
            || live
                .steps()
                .with(|s| s.iter().any(|s| s.started_at.is_some()))
    });
    if let Some(actions) = PageActions::try_expect() {
        actions.register(
            Action::ToggleReplay,
            Callback::new(move |_| {
                if started.get_untracked() {
                    state.toggle();
                }
            }),
        );
    }
    let open = Signal::derive(move || state.is_open());
    view! {
        <button type="button" class="button button--small replay-toggle"
            aria-pressed=move || open.get().to_string() aria-keyshortcuts="t"
            disabled=move || !started.get() on:click=move |_| state.toggle()>
            {move || if open.get() { "Back to live" } else { "Replay" }}
        </button>
    }
}
