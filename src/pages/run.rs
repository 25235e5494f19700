use crate::api::error::FatalKind;
use crate::api::Run;
use crate::api::{RunStoreFields, Status};
use crate::components::lazy::replay_bar;
use crate::components::timeline::AxisOf;
use crate::components::{
    DeferredGallery, DownloadAll, ErrorBanner, LazyWhen, LiveStatus, ProgressBar, ReplayButton,
    RunHeader, RunHero, RunSkeleton, StepTimeline,
};
use crate::poll::{use_run, PollConfig, PollState};
use crate::routes::{self, RunParams};
use crate::state::clock::RealTime;
use crate::state::clock::{now_ms, Clock};
use crate::state::deployment::KeySource;
use crate::state::recent::{RecentRun, RecentRuns};
use crate::state::replay::ReplayState;
use crate::state::settings::Settings;
use crate::tab::use_tab_status;
use leptos::prelude::*;
use leptos_router::hooks::use_params;
use reactive_stores::Store;

/// `/runs/:id`: the live view of one run. A new id re-creates the view, which
/// aborts the old run's request and starts polling the new one.
#[component]
pub fn RunPage() -> impl IntoView {
    let params = use_params::<RunParams>();
    let run_id = Memo::new(move |_| params.with(|p| routes::param(p, |p| p.id.clone())));
    move || view! { <RunView run_id=run_id.get() /> }
}

/// Everything the API says about one run, updating live.
#[component]
fn RunView(run_id: String) -> impl IntoView {
    let settings = Settings::expect();
    let recent = RecentRuns::expect();
    let handle = use_run(
        run_id.clone(),
        settings.api(),
        PollConfig::default(),
        std::rc::Rc::new(RealTime),
    );
    let run = handle.run;
    provide_context(handle.attempts);

    // A refused key opens the settings with the reason, unless the server
    // keeps the key: then nobody here can fix it, and the page says so.
    let server_key = KeySource::of_page() == KeySource::Server;
    Effect::new(move |_| {
        if let PollState::Fatal(f) = handle.state.get() {
            if f.kind == FatalKind::Unauthorized && !server_key {
                settings.open_with(if untrack(|| settings.key()).is_empty() {
                    "The API needs a key to show this run (HTTP 401). Paste your API key below."
                } else {
                    "The API did not accept the key (HTTP 401). Enter a valid API key to watch this run."
                });
            }
        }
    });
    // Remember the run and its last status; announce status changes politely.
    let status = Memo::new(move |_| handle.loaded.get().then(|| run.status().get()));
    let announcement = RwSignal::new(String::new());
    Effect::new(move |previous: Option<Option<Status>>| {
        let current = status.get();
        if let Some(s) = &current {
            recent.record(RecentRun {
                run_id: run.run_id().get_untracked(),
                status: s.as_str().to_string(),
                seen_ms: now_ms(),
            });
            if previous.flatten().is_some_and(|p| p != *s) {
                announcement.set(format!("Run status is now {}", s.label()));
            }
        }
        current
    });
    let notify = RwSignal::new(false);
    use_tab_status(run, handle.loaded.into(), notify.into());

    let retry = Callback::new(move |_| handle.refresh());
    // Replay: the views of the run read the replayed store instead (and the
    // replayed moment as their clock); polls keep patching `run` meanwhile.
    // The timeline's axis stays the live run's (on the real clock): it spans
    // the whole run and does not move with the moment.
    let replay = ReplayState::provide(run);
    let showing = Memo::new(move |_| replay.showing());
    let live_axis = AxisOf {
        run,
        clock: Clock::expect(),
    };
    let store = move || {
        if showing.get() {
            provide_context(replay.clock);
            (replay.shown, Some(live_axis))
        } else {
            (run, None)
        }
    };
    let updated_at = Signal::derive(move || {
        if showing.get() {
            None
        } else {
            handle.updated_at.get()
        }
    });
    // The loaded view depends on `loaded` only: polling-state changes
    // (live, retrying, finished) never re-create it.
    let body = move || {
        if handle.loaded.get() {
            view! {
                {move || { let (run, _) = store(); view! { <RunHeader run updated_at /> } }}
                <div class="run-page__live">
                    <LiveStatus state=handle.state on_refresh=retry
                        on_pause=Callback::new(move |_| handle.pause()) on_resume=Callback::new(move |_| handle.resume()) />
                    <ReplayButton />
                </div>
                <Show when=move || !run.status().with(Status::is_terminal)>
                    <NotifyToggle notify />
                </Show>
                <LazyWhen when=Signal::derive(move || replay.is_open()) load=replay_bar />
                {move || { let (run, axis) = store(); run_views(run, axis) }}
            }
            .into_any()
        } else {
            let run_id = run_id.clone();
            (move || not_loaded(handle.state.get(), &run_id, settings, server_key)).into_any()
        }
    };
    view! {
        <div class="run-page">
            <ErrorBanner problem=handle.problem next_at=handle.next_at on_retry=retry />
            {body}
            <div class="visually-hidden" aria-live="polite" role="status">{move || announcement.get()}</div>
        </div>
    }
}

/// What the page shows of `run` below its header: progress, hero, steps (on
/// the time axis of `axis`, by default `run`'s own) and (after the first
/// paint) outputs.
fn run_views(run: Store<Run>, axis: Option<AxisOf>) -> impl IntoView {
    view! {
        <ProgressBar progress=Signal::derive(move || run.progress().get()) />
        <RunHero run />
        <StepTimeline run axis />
        <DownloadAll run />
        // Below the timeline: built after the first paint.
        <DeferredGallery run />
    }
}

/// Opt-in desktop notification when the run ends; permission is asked only
/// after the click. (Not leptos-use's `use_web_notification`: it asks for
/// permission as soon as it is mounted, before anyone clicked.)
#[component]
fn NotifyToggle(
    /// Whether the person asked to be notified.
    notify: RwSignal<bool>,
) -> impl IntoView {
    let supported = web_sys::window()
        .map(|w| js_sys::Reflect::has(&w, &"Notification".into()).unwrap_or(false))
        .unwrap_or(false);
    let enable = move |_| {
        if let Ok(promise) = web_sys::Notification::request_permission() {
            leptos::task::spawn_local(async move {
                let answer = wasm_bindgen_futures::JsFuture::from(promise).await;
                notify.set(answer.ok().and_then(|v| v.as_string()).as_deref() == Some("granted"));
            });
        }
    };
    supported.then(|| view! {
        <button type="button" class="button button--small notify" aria-pressed=move || notify.get().to_string()
            on:click=move |ev| if notify.get_untracked() { notify.set(false) } else { enable(ev) }>
            {move || if notify.get() { "Will notify when it ends" } else { "Notify me when it ends" }}
        </button>
    })
}

/// The page before any data arrived: a skeleton while loading, or why not.
/// `server_key`: the deployment keeps the API key (nothing to fix in Settings).
fn not_loaded(state: PollState, run_id: &str, settings: Settings, server_key: bool) -> AnyView {
    match state {
        PollState::Fatal(f) if f.kind == FatalKind::NotFound => view! {
            <div class="page-state page-state--not-found" role="alert">
                <h1>"Run not found"</h1>
                <p>"The API has no run " <code>{run_id.to_string()}</code> ". Check the id, or that the key belongs to the run's account and project."</p>
                <a class="button" href=routes::HOME>"Open another run"</a>
                <button type="button" class="button" on:click=move |_| settings.open_with("Check the API base URL, key and project.")>"Settings"</button>
            </div>
        }
        .into_any(),
        PollState::Fatal(f) if f.kind == FatalKind::Unauthorized && server_key => view! {
            <div class="page-state" role="alert">
                <h1>"The API refused this server's key."</h1>
                <p>{f.error.to_string()}</p>
                <p>"This copy of runview adds its own API key to every request. Ask whoever runs it to check the key it is configured with."</p>
            </div>
        }
        .into_any(),
        PollState::Fatal(f) => {
            let reason = match f.kind {
                FatalKind::Unauthorized => "This run needs an API key the API accepts.",
                FatalKind::Unsendable => "The request could not be sent as configured.",
                _ => "The API refused the request.",
            };
            view! {
                <div class="page-state" role="alert">
                    <h1>{reason}</h1>
                    <p>{f.error.to_string()}</p>
                    <button type="button" class="button button--primary" on:click=move |_| settings.panel_open.set(true)>"Open settings"</button>
                </div>
            }
            .into_any()
        }
        _ => view! { <RunSkeleton /> }.into_any(),
    }
}
