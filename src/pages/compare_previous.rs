//! `/blueprints/:bp/compare/:run`: "Compare with the previous run" finds the
//! run before `run` in the blueprint's history and replaces the URL with the
//! comparison.

use crate::api::client::ApiConfig;
use crate::api::error::Subject;
use crate::api::history::{fetch_history, merge, previous_run, HistoryItem, NextPage};
use crate::api::ApiError;
use crate::routes::{self, ComparePreviousParams};
use crate::state::settings::Settings;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params};
use leptos_router::NavigateOptions;
use web_sys::{AbortController, AbortSignal};

/// Most history pages looked through for the previous run.
const MAX_PAGES: usize = 10;

/// `/blueprints/:bp/compare/:run`: "Compare with the previous run".
#[component]
pub fn ComparePreviousPage() -> impl IntoView {
    let params = use_params::<ComparePreviousParams>();
    let ids = Memo::new(move |_| {
        params.with(|p| {
            (
                routes::param(p, |p| p.bp.clone()),
                routes::param(p, |p| p.run.clone()),
            )
        })
    });
    move || {
        let (bp, run) = ids.get();
        view! { <ComparePrevious bp run /> }
    }
}

/// Pages through the history of `bp` (at most [`MAX_PAGES`] pages) until
/// the run before `run` is found.
async fn find_previous(
    api: &ApiConfig,
    bp: &str,
    run: &str,
    signal: Option<&AbortSignal>,
) -> Result<Option<String>, ApiError> {
    let mut items: Vec<HistoryItem> = Vec::new();
    let mut next: Option<NextPage> = None;
    for _ in 0..MAX_PAGES {
        let page = fetch_history(api, bp, next.as_ref(), signal).await?;
        merge(&mut items, page.items);
        if let Some(prev) = previous_run(&items, run) {
            return Ok(Some(prev.to_string()));
        }
        match page.next {
            Some(n) => next = Some(n),
            None => break,
        }
    }
    Ok(None)
}

/// Looks for the run before `run` with the current API settings: `None`
/// while looking. New settings start the search again; the search in
/// flight is aborted then, and when the page goes away.
fn use_previous_run(
    bp: String,
    run: String,
) -> ReadSignal<Option<Result<Option<String>, ApiError>>> {
    let api = Settings::expect().api();
    let (found, set_found) = signal(None);
    Effect::new(move |_| {
        let api = api.get();
        set_found.set(None);
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        // The browser has one thread; cleanups must be `Send`.
        let controller = send_wrapper::SendWrapper::new(controller);
        let (bp, run) = (bp.clone(), run.clone());
        leptos::task::spawn_local(async move {
            let result = find_previous(&api, &bp, &run, signal.as_ref()).await;
            if !matches!(result, Err(ApiError::Aborted)) {
                let _ = set_found.try_set(Some(result));
            }
        });
        // Runs before the effect runs again (new settings) and on unmount.
        on_cleanup(move || {
            if let Some(c) = controller.take() {
                c.abort();
            }
        });
    });
    found
}

/// Pages through the history until the run before `run` is found, then
/// replaces the URL with the comparison (previous as A, `run` as B).
#[component]
fn ComparePrevious(bp: String, run: String) -> impl IntoView {
    let found = use_previous_run(bp.clone(), run.clone());
    let navigate = use_navigate();
    let run3 = run.clone();
    Effect::new(move |_| {
        if let Some(Ok(Some(prev))) = found.get() {
            navigate(
                &routes::compare(&prev, &run3),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    let history = routes::history(&bp);
    move || {
        match found.get() {
        None | Some(Ok(Some(_))) => view! {
            <p class="page-state" aria-busy="true">"Looking for the run before " <code>{run.clone()}</code> "…"</p>
        }
        .into_any(),
        Some(Ok(None)) => view! {
            <div class="page-state" role="alert">
                <h1>"No earlier run"</h1>
                <p>"The history of " <code>{bp.clone()}</code> " has no run before " <code>{run.clone()}</code> "."</p>
                <a class="button" href=history.clone()>"Pick runs from the history"</a>
            </div>
        }
        .into_any(),
        Some(Err(e)) => view! {
            <div class="page-state" role="alert">
                <h1>{e.title_for(Subject::History)}</h1>
                <p>{e.to_string()}</p>
                <a class="button" href=history.clone()>"Open the history"</a>
            </div>
        }
        .into_any(),
    }
    }
}
