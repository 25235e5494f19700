use crate::model::shortcuts::Action;
use crate::poll::PollState;
use crate::state::page_actions::PageActions;
use leptos::prelude::*;

/// Whether the page is live, paused or finished, with the matching controls:
/// "Refresh now" always, "Pause"/"Resume" while the run is active. The same
/// controls answer the shortcuts `r` and `p` while mounted.
#[component]
pub fn LiveStatus(
    /// What polling is doing.
    #[prop(into)]
    state: Signal<PollState>,
    /// Fetch now.
    on_refresh: Callback<()>,
    /// Stop polling.
    on_pause: Callback<()>,
    /// Restart polling.
    on_resume: Callback<()>,
    /// What "finished" means on this page (a run ended; no run of a
    /// blueprint's history is running any more).
    #[prop(default = "Run finished; live updates stopped")]
    finished_text: &'static str,
) -> impl IntoView {
    let text = move || match state.get() {
        PollState::Polling => "Live: updating automatically",
        PollState::Retrying => "Live: retrying after an error",
        PollState::Paused => "Paused: live updates are off",
        PollState::Hidden => "Tab hidden: updates resume when you come back",
        PollState::Finished => finished_text,
        PollState::Fatal(_) => "Stopped: fix the problem above, then refresh",
    };
    if let Some(actions) = PageActions::try_expect() {
        actions.register(Action::Refresh, on_refresh);
        actions.register(
            Action::TogglePause,
            Callback::new(move |_| match state.get_untracked() {
                PollState::Polling | PollState::Retrying | PollState::Hidden => on_pause.run(()),
                PollState::Paused => on_resume.run(()),
                _ => {}
            }),
        );
    }
    let modifier = move || match state.get() {
        PollState::Polling | PollState::Retrying => "live",
        PollState::Finished => "finished",
        _ => "stopped",
    };
    view! {
        <div class=move || format!("live live--{}", modifier())>
            <span class="live__dot" aria-hidden="true"></span>
            <span class="live__text">{text}</span>
            <button type="button" class="button button--small" on:click=move |_| on_refresh.run(())>"Refresh now"</button>
            {move || match state.get() {
                PollState::Polling | PollState::Retrying | PollState::Hidden => Some(view! {
                    <button type="button" class="button button--small" on:click=move |_| on_pause.run(())>"Pause"</button>
                }.into_any()),
                PollState::Paused => Some(view! {
                    <button type="button" class="button button--small" on:click=move |_| on_resume.run(())>"Resume"</button>
                }.into_any()),
                _ => None,
            }}
        </div>
    }
}
