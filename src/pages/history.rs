//! `/blueprints/:id`: the run history of a blueprint, newest first, live
//! while any run in it is; pick two runs to compare them.
//!
//! View state lives in the URL ([`routes::HistoryQuery`]): `?pages=N` (pages
//! shown; "Load more" pushes a history entry, so back shows fewer) and
//! `?sel=runA,runB` (the runs picked for comparison; replaced, not pushed,
//! so back leaves the page).

use crate::api::error::{FatalKind, Subject};
use crate::api::history::HistoryItem;
use crate::components::{ErrorBanner, HistoryRow, LiveStatus};
use crate::poll::{use_history, PollConfig, PollState};
use crate::routes::{self, HistoryParams, HistoryQuery};
use crate::state::clock::RealTime;
use crate::state::recent::{RecentBlueprint, RecentBlueprints};
use crate::state::settings::Settings;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params, use_query};
use leptos_router::NavigateOptions;

/// Toggles `run_id` in a selection of at most two: a third pick drops the
/// oldest pick.
pub fn toggle(selection: &[String], run_id: &str) -> Vec<String> {
    let mut out: Vec<String> = selection.to_vec();
    if let Some(i) = out.iter().position(|s| s == run_id) {
        out.remove(i);
    } else {
        out.push(run_id.to_string());
        if out.len() > 2 {
            out.remove(0);
        }
    }
    out
}

/// The two picked runs in comparison order: the older one (lower in the
/// list) is A, the newer one B, so differences read "B is faster than before".
pub fn compare_pair<'a>(
    items: &[HistoryItem],
    selection: &'a [String],
) -> Option<(&'a str, &'a str)> {
    let [x, y] = selection else { return None };
    let pos = |id: &String| items.iter().position(|i| &i.run_id == id);
    Some(match (pos(x), pos(y)) {
        (Some(px), Some(py)) if px < py => (y, x),
        _ => (x, y),
    })
}

/// `/blueprints/:id`. A new id re-creates the view (and its polling).
#[component]
pub fn HistoryPage() -> impl IntoView {
    let params = use_params::<HistoryParams>();
    let id = Memo::new(move |_| params.with(|p| routes::param(p, |p| p.id.clone())));
    move || view! { <HistoryView blueprint_id=id.get() /> }
}

/// What the history's controls do to the URL: pick a run, show one more
/// page, open the comparison.
struct HistoryNav {
    on_toggle: Callback<String>,
    load_more: Callback<()>,
    compare: Callback<()>,
}

/// The history's URL actions for `bp`, from the view state in the query.
fn use_history_nav(
    bp: StoredValue<String>,
    query: Memo<HistoryQuery>,
    page_count: Signal<usize>,
    items: Signal<Vec<HistoryItem>>,
) -> HistoryNav {
    let navigate = use_navigate();
    let go = StoredValue::new_local(move |href: String, options: NavigateOptions| {
        navigate(&href, options)
    });
    // Picks and pages stay where the person is on the page.
    let in_place = |replace: bool| NavigateOptions {
        replace,
        scroll: false,
        ..Default::default()
    };
    let on_toggle = Callback::new(move |run_id: String| {
        let q = query.get_untracked();
        let next = toggle(&q.selection(), &run_id);
        let href = routes::history_view(&bp.get_value(), q.pages(), &next);
        go.with_value(|go| go(href, in_place(true)));
    });
    let load_more = Callback::new(move |_| {
        let selection = query.with_untracked(HistoryQuery::selection);
        let href =
            routes::history_view(&bp.get_value(), page_count.get_untracked() + 1, &selection);
        go.with_value(|go| go(href, in_place(false)));
    });
    let compare = Callback::new(move |_| {
        let selection = query.with_untracked(HistoryQuery::selection);
        let href = items
            .with_untracked(|i| compare_pair(i, &selection).map(|(a, b)| routes::compare(a, b)));
        if let Some(href) = href {
            go.with_value(|go| go(href, NavigateOptions::default()));
        }
    });
    HistoryNav {
        on_toggle,
        load_more,
        compare,
    }
}

/// The history of one blueprint.
#[component]
fn HistoryView(blueprint_id: String) -> impl IntoView {
    let settings = Settings::expect();
    if let Some(recent) = RecentBlueprints::try_expect() {
        recent.record(RecentBlueprint {
            blueprint_id: blueprint_id.clone(),
            seen_ms: crate::state::clock::now_ms(),
        });
    }
    let raw = use_query::<HistoryQuery>();
    let query = Memo::new(move |_| {
        raw.get().unwrap_or(HistoryQuery {
            pages: None,
            sel: None,
        })
    });
    let pages = Memo::new(move |_| query.with(HistoryQuery::pages));
    let selection = Memo::new(move |_| query.with(HistoryQuery::selection));
    let handle = use_history(
        blueprint_id.clone(),
        settings.api(),
        pages.into(),
        PollConfig::default(),
        std::rc::Rc::new(RealTime),
    );
    let items = handle.items();
    let loaded = handle.loaded;
    let has_more = handle.has_more();
    let bp = StoredValue::new(blueprint_id.clone());
    let HistoryNav {
        on_toggle,
        load_more,
        compare,
    } = use_history_nav(bp, query, handle.page_count(), items);
    let retry = Callback::new(move |_| handle.refresh());
    let picked = move || selection.with(Vec::len);
    view! {
        <section class="history">
            <header class="history__header">
                <h1>"Runs of " <code>{blueprint_id.clone()}</code></h1>
                <p class="history__hint">"Newest first. Pick two runs to compare them side by side."</p>
            </header>
            <ErrorBanner problem=handle.problem next_at=handle.next_at on_retry=retry subject=Subject::History />
            <Show when=move || loaded.get()>
                <LiveStatus state=handle.state on_refresh=retry
                    finished_text="No run is running; live updates stopped"
                    on_pause=Callback::new(move |_| handle.pause()) on_resume=Callback::new(move |_| handle.resume()) />
            </Show>
            <div class="history__compare" role="group" aria-label="Compare">
                <button type="button" class="button button--primary" disabled=move || picked() != 2 on:click=move |_| compare.run(())>
                    "Compare"
                </button>
                <span class="history__picked" aria-live="polite">
                    {move || match picked() {
                        0 => "Pick two runs.".to_string(),
                        1 => "1 run picked; pick one more.".to_string(),
                        n => format!("{n} runs picked."),
                    }}
                </span>
            </div>
            {move || rows(loaded.get(), handle.state, items, selection, on_toggle, bp)}
            <Show when=move || loaded.get() && has_more.get()>
                <button type="button" class="button history__more" on:click=move |_| load_more.run(())>"Load more"</button>
            </Show>
        </section>
    }
}

/// A row is re-created when anything it shows changes (history pages hold
/// tens of runs, not thousands).
fn row_key(item: &HistoryItem) -> String {
    format!(
        "{}|{}|{:?}|{:?}|{:?}|{:?}",
        item.run_id,
        item.status.as_str(),
        item.started_at,
        item.completed_at,
        item.progress.as_ref().map(|p| (
            p.completed_steps,
            p.failed_steps,
            p.running_steps,
            p.total_steps
        )),
        item.thumbnail_url
    )
}

/// The list, or the loading/empty/error state.
fn rows(
    loaded: bool,
    state: ReadSignal<PollState>,
    items: Signal<Vec<HistoryItem>>,
    selection: Memo<Vec<String>>,
    on_toggle: Callback<String>,
    bp: StoredValue<String>,
) -> AnyView {
    if !loaded {
        return not_loaded(state.get(), &bp.get_value());
    }
    if items.with(Vec::is_empty) {
        return view! { <p class="empty">"No runs of this blueprint yet."</p> }.into_any();
    }
    view! {
        <ol class="history__list" aria-label="Runs, newest first">
            <For each=move || items.get() key=row_key let:item>
                {
                    let id = item.run_id.clone();
                    let selected = Signal::derive(move || selection.with(|s| s.contains(&id)));
                    view! { <HistoryRow item selected on_toggle /> }
                }
            </For>
        </ol>
    }
    .into_any()
}

/// Before any data: a skeleton, or why there is none.
fn not_loaded(state: PollState, blueprint_id: &str) -> AnyView {
    match state {
        PollState::Fatal(f) if f.kind == FatalKind::NotFound => view! {
            <div class="page-state page-state--not-found" role="alert">
                <h2>"Blueprint not found"</h2>
                <p>"The API has no blueprint " <code>{blueprint_id.to_string()}</code> ". Check the id, or that the key belongs to its account and project."</p>
                <a class="button" href=routes::HOME>"Go home"</a>
            </div>
        }
        .into_any(),
        PollState::Fatal(f) => view! {
            <div class="page-state" role="alert">
                <h2>"The API refused the request."</h2>
                <p>{f.error.to_string()}</p>
            </div>
        }
        .into_any(),
        _ => view! {
            <div class="skeleton" aria-busy="true" aria-label="Loading runs">
                {(0..4).map(|_| view! { <div class="skeleton__row"></div> }).collect_view()}
            </div>
        }
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Status, Timestamp};

    #[test]
    fn a_third_pick_drops_the_oldest() {
        let s = toggle(&[], "a");
        let s = toggle(&s, "b");
        assert_eq!(s, vec!["a", "b"]);
        assert_eq!(toggle(&s, "c"), vec!["b", "c"]);
        assert_eq!(toggle(&s, "a"), vec!["b"]);
    }

    #[test]
    fn the_older_pick_is_a() {
        let item = |id: &str, s: i64| HistoryItem {
            run_id: id.into(),
            status: Status::Succeeded,
            created_at: None,
            started_at: Some(Timestamp(s)),
            completed_at: None,
            progress: None,
            thumbnail_url: None,
        };
        let items = vec![item("run_new", 2), item("run_old", 1)];
        let sel = |a: &str, b: &str| vec![a.to_string(), b.to_string()];
        assert_eq!(
            compare_pair(&items, &sel("run_new", "run_old")),
            Some(("run_old", "run_new"))
        );
        assert_eq!(
            compare_pair(&items, &sel("run_old", "run_new")),
            Some(("run_old", "run_new"))
        );
        // A pick no longer listed keeps the order of picking.
        assert_eq!(
            compare_pair(&items, &sel("run_gone", "run_new")),
            Some(("run_gone", "run_new"))
        );
        assert_eq!(compare_pair(&items, &["run_new".to_string()]), None);
    }
}
