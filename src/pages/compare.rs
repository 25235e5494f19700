//! `/compare/:a/:b`: two runs side by side, the best way to judge two
//! variations of a media pipeline: a summary first (statuses, total time,
//! how many steps got faster or slower), then every step matched across the
//! runs with both durations and the difference, then the outputs of matched
//! steps beside each other (two videos share one play control). Both runs
//! keep polling on their own while live; while either is, totals and counts
//! say "so far" and name no winner. Matching and rows are plain Rust in
//! [`crate::model::compare`].

use crate::api::error::FatalKind;
use crate::api::{Output, Run, RunStoreFields};
use crate::components::{OutputPreview, StatusBadge, SyncedVideos};
use crate::model::compare::{
    compare, run_duration, summary_text, total_label, total_modifier, total_verdict, Comparison,
    OutputRow, Row, Side, Summary, Unfinished,
};
use crate::model::outputs::{GalleryItem, MediaKind};
use crate::model::{format, url::safe_url};
use crate::poll::{use_run, PollConfig, PollState, RunHandle};
use crate::routes::{self, CompareParams};
use crate::state::clock::RealTime;
use crate::state::{clock::Clock, settings::Settings};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params};
use leptos_router::NavigateOptions;
use reactive_stores::Store;

/// `/compare/:a/:b`. New ids re-create the view (and both pollers).
#[component]
pub fn ComparePage() -> impl IntoView {
    let params = use_params::<CompareParams>();
    let ids = Memo::new(move |_| {
        params.with(|p| {
            (
                routes::param(p, |p| p.a.clone()),
                routes::param(p, |p| p.b.clone()),
            )
        })
    });
    move || {
        let (a, b) = ids.get();
        view! { <CompareView a b /> }
    }
}

/// Both runs, side by side.
#[component]
fn CompareView(a: String, b: String) -> impl IntoView {
    let settings = Settings::expect();
    let time: std::rc::Rc<dyn crate::state::clock::TimeSource> = std::rc::Rc::new(RealTime);
    let ha = use_run(
        a.clone(),
        settings.api(),
        PollConfig::default(),
        time.clone(),
    );
    let hb = use_run(b.clone(), settings.api(), PollConfig::default(), time);
    let both_loaded = move || ha.loaded.get() && hb.loaded.get();
    let data = Memo::new(move |_| {
        ha.run
            .steps()
            .with(|sa| hb.run.steps().with(|sb| compare(sa, sb)))
    });
    let unfinished = Memo::new(move |_| {
        ha.run
            .status()
            .with(|sa| hb.run.status().with(|sb| Unfinished::of(sa, sb)))
    });
    let body = move || {
        if !both_loaded() {
            return view! {
                {side_state(ha, "A")}
                {side_state(hb, "B")}
            }
            .into_any();
        }
        view! {
            <SummaryCard a=ha.run b=hb.run unfinished summary=Signal::derive(move || data.with(|d| d.summary.clone())) />
            <h2>"Steps"</h2>
            <StepTable rows=Signal::derive(move || data.with(|d| d.rows.clone())) />
            <h2>"Outputs side by side"</h2>
            <OutputPairs rows=Signal::derive(move || data.with(|d: &Comparison| d.outputs.clone())) />
        }
        .into_any()
    };
    view! {
        <section class="compare">
            <CompareHeader a b blueprint=Signal::derive(move || ha.run.blueprint_id().get()) />
            {body}
        </section>
    }
}

/// The title, both ids (linking to their run pages), "Swap A and B", and a
/// link to the blueprint's other runs.
#[component]
fn CompareHeader(
    /// Run A's id.
    a: String,
    /// Run B's id.
    b: String,
    /// Run A's blueprint (empty until known).
    #[prop(into)]
    blueprint: Signal<String>,
) -> impl IntoView {
    let navigate = use_navigate();
    let (ida, idb) = (a.clone(), b.clone());
    let swap = move |_| navigate(&routes::compare(&idb, &ida), NavigateOptions::default());
    let blueprint = move || {
        let bp = blueprint.get();
        (!bp.is_empty()).then(|| {
            let href = routes::history(&bp);
            view! { <a href=href>{format!("Other runs of {bp}")}</a> }
        })
    };
    view! {
        <header class="compare__header">
            <h1>"Compare runs"</h1>
            <p class="compare__ids">
                "A: " <a href=routes::run(&a)><code>{a.clone()}</code></a>
                " · B: " <a href=routes::run(&b)><code>{b.clone()}</code></a>
            </p>
            <div class="compare__actions">
                <button type="button" class="button button--small" on:click=swap>"Swap A and B"</button>
                {blueprint}
            </div>
        </header>
    }
}

/// Loading, not found or refused, for one side before both have data.
fn side_state(h: RunHandle, side: &'static str) -> impl IntoView {
    move || {
        if h.loaded.get() {
            return None;
        }
        let id = h.run.run_id().get_untracked();
        Some(match h.state.get() {
            PollState::Fatal(f) if f.kind == FatalKind::NotFound => view! {
                <div class="page-state page-state--not-found" role="alert">
                    <h2>{format!("Run {side} not found")}</h2>
                    <p>"The API has no run " <code>{id}</code> ". Check the id in the address."</p>
                </div>
            }
            .into_any(),
            PollState::Fatal(f) => view! {
                <div class="page-state" role="alert">
                    <h2>{format!("Run {side}: the API refused the request")}</h2>
                    <p>{f.error.to_string()}</p>
                </div>
            }
            .into_any(),
            _ => view! {
                <div class="skeleton" aria-busy="true" aria-label=format!("Loading run {side}")>
                    <div class="skeleton__line skeleton__line--title"></div>
                    <div class="skeleton__row"></div>
                </div>
            }
            .into_any(),
        })
    }
}

/// The comparison at a glance: both statuses, both total durations and the
/// difference, and how many steps got faster or slower. While either run is
/// still going, totals read "so far" and no run is called faster or slower.
#[component]
fn SummaryCard(
    /// Run A.
    a: Store<Run>,
    /// Run B.
    b: Store<Run>,
    /// Which runs are still going.
    #[prop(into)]
    unfinished: Signal<Unfinished>,
    /// Step counts of the comparison.
    #[prop(into)]
    summary: Signal<Summary>,
) -> impl IntoView {
    let clock = Clock::expect();
    let total = move |run: Store<Run>| {
        let now = clock.now();
        run.with(|r| run_duration(r, now))
    };
    let totals = move || {
        let u = unfinished.get();
        format!(
            "A {} · B {}",
            total_label(total(a), u.a),
            total_label(total(b), u.b)
        )
    };
    view! {
        <section class="compare-summary" aria-label="Summary">
            <dl class="compare-summary__grid">
                <div>
                    <dt>"Status"</dt>
                    <dd>
                        "A " <StatusBadge status=Signal::derive(move || a.status().get()) />
                        " B " <StatusBadge status=Signal::derive(move || b.status().get()) />
                    </dd>
                </div>
                <div>
                    <dt>"Total time"</dt>
                    <dd>{totals}</dd>
                </div>
                <div>
                    <dt>"B against A"</dt>
                    <dd class=move || format!("delta delta--{}", total_modifier(total(a), total(b), unfinished.get()))>
                        {move || total_verdict(total(a), total(b), unfinished.get())}
                    </dd>
                </div>
                <div>
                    <dt>"Steps"</dt>
                    <dd>{move || summary.with(|s| summary_text(s, unfinished.get()))}</dd>
                </div>
            </dl>
        </section>
    }
}

/// Every step of either run: both statuses, both durations, the difference.
/// Keyed by the whole row: a poll re-renders only the rows that changed.
#[component]
fn StepTable(
    /// The rows, in run A's order.
    #[prop(into)]
    rows: Signal<Vec<Row>>,
) -> impl IntoView {
    view! {
        <div class="compare-table__scroll" tabindex="0" role="region" aria-label="Steps of both runs">
            <table class="compare-table">
                <thead>
                    <tr>
                        <th scope="col">"Step"</th>
                        <th scope="col">"A status"</th>
                        <th scope="col">"A time"</th>
                        <th scope="col">"B status"</th>
                        <th scope="col">"B time"</th>
                        <th scope="col">"B against A"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=Row::clone let:r>
                        <StepTableRow r />
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// One row of the step table.
#[component]
fn StepTableRow(
    /// The row.
    r: Row,
) -> impl IntoView {
    let only = match (&r.a, &r.b) {
        (Some(_), None) => Some("only in A"),
        (None, Some(_)) => Some("only in B"),
        _ => None,
    };
    view! {
        <tr class:compare-table__row--only=only.is_some()>
            <th scope="row">{r.name.clone()}
                {only.map(|o| view! { <span class="compare-table__only">{o}</span> })}
            </th>
            {side_cells(r.a.clone())}
            {side_cells(r.b.clone())}
            <td class=format!("compare-table__num delta delta--{}", r.delta().modifier())>{r.delta().label()}</td>
        </tr>
    }
}

/// A step's status and time cells, or "not in this run".
fn side_cells(side: Option<Side>) -> AnyView {
    match side {
        Some(Side { status, ms }) => view! {
            <td><StatusBadge status=Signal::stored(status) /></td>
            <td class="compare-table__num">{ms.map(format::duration).unwrap_or_else(|| "—".into())}</td>
        }
        .into_any(),
        None => view! {
            <td class="compare-table__absent">"not in this run"</td>
            <td class="compare-table__num">"—"</td>
        }
        .into_any(),
    }
}

/// The outputs of matched steps, A beside B; two videos share one control.
/// Keyed: a poll that changes one step leaves the others (and a video
/// playing in them) alone.
#[component]
fn OutputPairs(
    /// Matched steps with outputs.
    #[prop(into)]
    rows: Signal<Vec<OutputRow>>,
) -> impl IntoView {
    view! {
        <Show when=move || rows.with(|r| !r.is_empty())
            fallback=|| view! { <p class="empty">"No matched step has outputs yet."</p> }>
            <For each=move || rows.get() key=OutputRow::list_key let:r>
                <OutputPairRow r />
            </For>
        </Show>
    }
}

/// The outputs of one matched step, pair by pair.
#[component]
fn OutputPairRow(
    /// The step and its outputs.
    r: OutputRow,
) -> impl IntoView {
    let step = r.step.clone();
    view! {
        <section class="compare-media">
            <h3>{r.step.clone()}</h3>
            {r.pairs.into_iter().map(|(a, b)| {
                match (video_url(&a), video_url(&b)) {
                    (Some(va), Some(vb)) => view! {
                        <SyncedVideos a=va b=vb label=step.clone() />
                    }.into_any(),
                    _ => view! {
                        <div class="compare-media__pair">
                            {pair_side(a, &step, "A")}
                            {pair_side(b, &step, "B")}
                        </div>
                    }.into_any(),
                }
            }).collect_view()}
        </section>
    }
}

/// The URL of a safe video output, if `o` is one.
fn video_url(o: &Option<Output>) -> Option<String> {
    o.as_ref()
        .filter(|o| MediaKind::of(o) == MediaKind::Video)
        .and_then(|o| o.url.as_deref())
        .and_then(safe_url)
        .map(str::to_string)
}

/// One run's output of a pair, or "No output".
fn pair_side(o: Option<Output>, step: &str, run: &str) -> AnyView {
    match o {
        Some(output) => {
            // The run in the name too: the same output of both runs would
            // otherwise be two regions (text) or images named alike.
            let item = GalleryItem {
                output,
                step_name: Some(format!("{step}, run {run}")),
            };
            view! {
                <div class="compare-media__side">
                    <span class="compare-media__tag">{run.to_string()}</span>
                    <OutputPreview item />
                </div>
            }
            .into_any()
        }
        None => view! {
            <div class="compare-media__side compare-media__side--none">
                <span class="compare-media__tag">{run.to_string()}</span>
                <p>"No output"</p>
            </div>
        }
        .into_any(),
    }
}
