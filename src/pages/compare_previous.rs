//! `/blueprints/:bp/compare/:run`: "Compare with the previous run" finds the
//! run before `run` in the blueprint's history and replaces the URL with the
//! comparison.

use super::compare::compare_href;
use crate::api::encode_segment;
use crate::api::history::{fetch_history, merge, previous_run, HistoryItem, NextPage};
use crate::state::settings::Settings;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

/// `/blueprints/:bp/compare/:run`: "Compare with the previous run".
#[component]
pub fn ComparePreviousPage() -> impl IntoView {
    let params = use_params_map();
    let ids = Memo::new(move |_| {
        params.with(|p| {
            (
                p.get("bp").unwrap_or_default(),
                p.get("run").unwrap_or_default(),
            )
        })
    });
    move || {
        let (bp, run) = ids.get();
        view! { <ComparePrevious bp run /> }
    }
}

/// Pages through the history until the run before `run` is found, then
/// replaces the URL with the comparison (previous as A, `run` as B).
#[component]
fn ComparePrevious(bp: String, run: String) -> impl IntoView {
    let settings = Settings::expect();
    let config = settings.config();
    // `None` while looking; a plain task (no resource machinery for one fetch).
    let found = RwSignal::new(None::<Result<Option<String>, crate::api::ApiError>>);
    let (bp2, run2) = (bp.clone(), run.clone());
    leptos::task::spawn_local(async move {
        let result = async {
            let mut items: Vec<HistoryItem> = Vec::new();
            let mut next: Option<NextPage> = None;
            for _ in 0..10 {
                let page = fetch_history(&config, &bp2, next.as_ref(), None).await?;
                merge(&mut items, page.items);
                if let Some(prev) = previous_run(&items, &run2) {
                    return Ok(Some(prev.to_string()));
                }
                match page.next {
                    Some(n) => next = Some(n),
                    None => break,
                }
            }
            Ok(None)
        }
        .await;
        let _ = found.try_set(Some(result));
    });
    let navigate = use_navigate();
    let run3 = run.clone();
    Effect::new(move |_| {
        if let Some(Ok(Some(prev))) = found.get() {
            navigate(
                &compare_href(&prev, &run3),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    let history = format!("/blueprints/{}", encode_segment(&bp));
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
                <h1>{e.title()}</h1>
                <p>{e.to_string()}</p>
                <a class="button" href=history.clone()>"Open the history"</a>
            </div>
        }
        .into_any(),
    }
    }
}
