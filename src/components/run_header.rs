use crate::api::{Run, RunStoreFields, Timestamp};
use crate::components::copy::{use_copy, CopyState};
use crate::components::{StatusBadge, TimeModeButton, TimeText};
use crate::model::format;
use crate::model::shortcuts::Action;
use crate::routes;
use crate::state::clock::Clock;
use crate::state::page_actions::PageActions;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use reactive_stores::Store;

/// The run at a glance: id (with a copy button), blueprint (with links to its
/// other runs and to a comparison with the previous run), status, start and
/// end, total duration (ticking while the run is live) and data freshness.
/// Registers [`Action::History`] (the `h` key) while mounted.
#[component]
pub fn RunHeader(
    /// The run.
    run: Store<Run>,
    /// When the shown data was last fetched (Unix ms).
    #[prop(into)]
    updated_at: Signal<Option<i64>>,
) -> impl IntoView {
    let clock = Clock::expect();
    let started = Signal::derive(move || run.started_at().get().map(Timestamp::ms));
    let completed = Signal::derive(move || run.completed_at().get().map(Timestamp::ms));
    let duration = move || {
        let start = started.get()?;
        let end = match completed.get() {
            Some(end) => end,
            None if !run.status().with(|s| s.is_terminal()) => clock.now(),
            None => return None,
        };
        Some(format::duration(end - start))
    };
    let history_href = move || routes::history(&run.blueprint_id().get());
    let previous_href =
        move || routes::compare_previous(&run.blueprint_id().get(), &run.run_id().get());
    if let Some(actions) = PageActions::try_expect() {
        let navigate = use_navigate();
        actions.register(
            Action::History,
            Callback::new(move |_| {
                let bp = run.blueprint_id().get_untracked();
                if !bp.is_empty() {
                    navigate(&routes::history(&bp), Default::default());
                }
            }),
        );
    }
    let (copied, copy_text) = use_copy();
    let copy = move |_| copy_text(run.run_id().get_untracked());
    view! {
        <header class="run-header">
            <div class="run-header__title">
                <h1>
                    <span class="visually-hidden">"Run "</span>
                    <code class="run-header__id">{move || run.run_id().get()}</code>
                </h1>
                <button type="button" class="button button--small" on:click=copy aria-label="Copy run id">
                    {move || match copied.get() {
                        CopyState::Idle => "Copy",
                        CopyState::Copied => "Copied",
                        CopyState::Failed => "Copy failed",
                    }}
                </button>
                <StatusBadge status=Signal::derive(move || run.status().get()) />
                <TimeModeButton />
            </div>
            <dl class="run-header__facts">
                <div>
                    <dt>"Blueprint"</dt>
                    <dd>
                        <code>{move || run.blueprint_id().get()}</code>
                        <Show when=move || !run.blueprint_id().get().is_empty()>
                            " · " <a class="run-header__link" href=history_href>{move || format!("Other runs of {}", run.blueprint_id().get())}</a>
                            " · " <a class="run-header__link" href=previous_href>"Compare with previous run"</a>
                        </Show>
                    </dd>
                </div>
                <div>
                    <dt>"Started"</dt>
                    <dd><TimeText at=started /></dd>
                </div>
                <div>
                    <dt>"Ended"</dt>
                    <dd><TimeText at=completed /></dd>
                </div>
                <div>
                    <dt>"Duration"</dt>
                    <dd class="run-header__duration">{move || duration().unwrap_or_else(|| "—".into())}</dd>
                </div>
                <div>
                    <dt>"Updated"</dt>
                    <dd class="run-header__updated">
                        {move || updated_at.get().map(|at| format::relative(at, clock.now())).unwrap_or_else(|| "—".into())}
                    </dd>
                </div>
            </dl>
        </header>
    }
}
