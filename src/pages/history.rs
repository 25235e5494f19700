//! `/blueprints/:id`: the run history of a blueprint, newest first, live
//! while any run in it is; pick two runs to compare them.
//!
//! View state lives in the URL: `?pages=N` (pages shown; "Load more" pushes
//! a history entry, so back shows fewer) and `?sel=runA,runB` (the runs
//! picked for comparison; replaced, not pushed, so back leaves the page).

use crate::api::encode_segment;
use crate::api::error::FatalKind;
use crate::api::history::HistoryItem;
use crate::components::{ErrorBanner, HistoryRow, LiveStatus};
use crate::poll::{use_history, PollConfig, PollState};
use crate::state::clock::RealTime;
use crate::state::{recent::RecentBlueprints, settings::Settings};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

/// Most pages a link may ask for.
pub const MAX_PAGES: usize = 20;

/// `?pages=`: 1 when missing or unreadable, at most [`MAX_PAGES`].
pub fn parse_pages(raw: Option<&str>) -> usize {
    raw.and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_PAGES)
}

/// `?sel=`: up to two distinct, non-empty run ids.
pub fn parse_selection(raw: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in raw.unwrap_or("").split(',').map(str::trim) {
        if !id.is_empty() && out.len() < 2 && !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    out
}

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

/// The URL of a history view.
pub fn history_href(blueprint_id: &str, pages: usize, selection: &[String]) -> String {
    let mut query = Vec::new();
    if pages > 1 {
        query.push(format!("pages={pages}"));
    }
    if !selection.is_empty() {
        let ids: Vec<String> = selection.iter().map(|s| encode_segment(s)).collect();
        query.push(format!("sel={}", ids.join(",")));
    }
    let base = format!("/blueprints/{}", encode_segment(blueprint_id));
    if query.is_empty() {
        base
    } else {
        format!("{base}?{}", query.join("&"))
    }
}

/// The URL comparing the two picked runs: the older one (lower in the list)
/// is A, the newer one B, so differences read "B is faster than before".
pub fn compare_href(items: &[HistoryItem], selection: &[String]) -> Option<String> {
    let [x, y] = selection else { return None };
    let pos = |id: &String| items.iter().position(|i| &i.run_id == id);
    let (a, b) = match (pos(x), pos(y)) {
        (Some(px), Some(py)) if px < py => (y, x),
        _ => (x, y),
    };
    Some(format!(
        "/compare/{}/{}",
        encode_segment(a),
        encode_segment(b)
    ))
}

/// `/blueprints/:id`. A new id re-creates the view (and its polling).
#[component]
pub fn HistoryPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    move || view! { <HistoryView blueprint_id=id.get() /> }
}

/// The history of one blueprint.
#[component]
fn HistoryView(blueprint_id: String) -> impl IntoView {
    let settings = Settings::expect();
    if let Some(recent) = RecentBlueprints::try_expect() {
        recent.record(&blueprint_id);
    }
    let query = use_query_map();
    let pages = Memo::new(move |_| query.with(|q| parse_pages(q.get("pages").as_deref())));
    let selection = Memo::new(move |_| query.with(|q| parse_selection(q.get("sel").as_deref())));
    let handle = use_history(
        blueprint_id.clone(),
        Signal::derive(move || settings.config()),
        pages.into(),
        PollConfig::default(),
        std::rc::Rc::new(RealTime),
    );
    Effect::watch(
        move || settings.revision.get(),
        move |_, _, _| handle.refresh(),
        false,
    );
    let items = handle.items();
    let loaded = handle.loaded;
    let has_more = handle.has_more();
    let page_count = handle.page_count();
    let navigate = use_navigate();
    let bp = StoredValue::new(blueprint_id.clone());

    let nav = navigate.clone();
    let on_toggle = Callback::new(move |run_id: String| {
        let next = toggle(&selection.get_untracked(), &run_id);
        let href = history_href(&bp.get_value(), pages.get_untracked(), &next);
        nav(
            &href,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });
    let nav = navigate.clone();
    let load_more = move |_| {
        let href = history_href(
            &bp.get_value(),
            page_count.get_untracked() + 1,
            &selection.get_untracked(),
        );
        nav(
            &href,
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    };
    let compare = move |_| {
        if let Some(href) = items.with_untracked(|i| compare_href(i, &selection.get_untracked())) {
            navigate(&href, Default::default());
        }
    };
    let retry = Callback::new(move |_| handle.refresh());
    let picked = move || selection.with(Vec::len);
    view! {
        <section class="history">
            <header class="history__header">
                <h1>"Runs of " <code>{blueprint_id.clone()}</code></h1>
                <p class="history__hint">"Newest first. Pick two runs to compare them side by side."</p>
            </header>
            <ErrorBanner problem=handle.problem next_at=handle.next_at on_retry=retry />
            <Show when=move || loaded.get()>
                <LiveStatus state=handle.state on_refresh=retry
                    finished_text="No run is running; live updates stopped"
                    on_pause=Callback::new(move |_| handle.pause()) on_resume=Callback::new(move |_| handle.resume()) />
            </Show>
            <div class="history__compare" role="group" aria-label="Compare">
                <button type="button" class="button button--primary" disabled=move || picked() != 2 on:click=compare>
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
                <button type="button" class="button history__more" on:click=load_more.clone()>"Load more"</button>
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
                <a class="button" href="/">"Go home"</a>
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
    fn query_values_are_read_defensively() {
        assert_eq!(parse_pages(None), 1);
        assert_eq!(parse_pages(Some("3")), 3);
        assert_eq!(parse_pages(Some("0")), 1);
        assert_eq!(parse_pages(Some("-2")), 1);
        assert_eq!(parse_pages(Some("999")), MAX_PAGES);
        assert_eq!(parse_selection(None), Vec::<String>::new());
        assert_eq!(parse_selection(Some("a,,b,a,c")), vec!["a", "b"]);
    }

    #[test]
    fn a_third_pick_drops_the_oldest() {
        let s = toggle(&[], "a");
        let s = toggle(&s, "b");
        assert_eq!(s, vec!["a", "b"]);
        assert_eq!(toggle(&s, "c"), vec!["b", "c"]);
        assert_eq!(toggle(&s, "a"), vec!["b"]);
    }

    #[test]
    fn links_carry_the_view_state() {
        assert_eq!(history_href("bp_x", 1, &[]), "/blueprints/bp_x");
        assert_eq!(
            history_href("bp x", 2, &["run_a".into(), "run/b".into()]),
            "/blueprints/bp%20x?pages=2&sel=run_a,run%2Fb"
        );
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
            compare_href(&items, &sel("run_new", "run_old")).as_deref(),
            Some("/compare/run_old/run_new")
        );
        assert_eq!(
            compare_href(&items, &sel("run_old", "run_new")).as_deref(),
            Some("/compare/run_old/run_new")
        );
        assert_eq!(compare_href(&items, &["run_new".to_string()]), None);
    }
}
