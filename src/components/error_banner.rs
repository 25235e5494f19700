use crate::api::error::Subject;
use crate::components::TimeText;
use crate::poll::Problem;
use crate::state::clock::Clock;
use leptos::prelude::*;

/// What failed, since when, and when the next try is, over the last good
/// data (which stays on screen). "Retry now" fetches at once.
#[component]
pub fn ErrorBanner(
    /// The current failure, if any.
    #[prop(into)]
    problem: Signal<Option<Problem>>,
    /// When the next try is due (Unix ms).
    #[prop(into)]
    next_at: Signal<Option<i64>>,
    /// Called by "Retry now".
    on_retry: Callback<()>,
    /// What the page shows (names it in the title); a run by default.
    #[prop(optional)]
    subject: Subject,
) -> impl IntoView {
    let clock = Clock::expect();
    let countdown = move || {
        next_at.get().map(|at| {
            let secs = (at.saturating_sub(clock.now()).max(0) + 999) / 1000;
            format!("Retrying in {secs} s.")
        })
    };
    move || {
        problem.get().map(|p| {
            let since = Signal::derive(move || Some(p.since_ms));
            view! {
                <div class="banner banner--error" role="alert">
                    <p class="banner__title">{p.error.title_for(subject)}</p>
                    <p class="banner__detail">{p.error.to_string()}</p>
                    <p class="banner__meta">
                        "Failing since " <TimeText at=since /> ". " {countdown}
                        " The last good data stays below."
                    </p>
                    <button type="button" class="button" on:click=move |_| on_retry.run(())>"Retry now"</button>
                </div>
            }
        })
    }
}
