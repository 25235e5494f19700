//! `/compare/:a/:b`: two runs side by side, the best way to judge two
//! variations of a media pipeline: a summary first (statuses, total time,
//! how many steps got faster or slower), then every step matched across the
//! runs with both durations and the difference, then the outputs of matched
//! steps beside each other (two videos share one play control). Both runs
//! keep polling on their own while live.
//!
//! Also `/blueprints/:bp/compare/:run`: finds the run before `:run` in the
//! blueprint's history and replaces the URL with the comparison.

use crate::api::encode_segment;
use crate::api::error::FatalKind;
use crate::api::{Output, Run, RunStoreFields, Status, Step};
use crate::components::{OutputPreview, StatusBadge, SyncedVideos};
use crate::model::compare::{match_steps, run_duration, step_duration, summarize, Delta, Summary};
use crate::model::outputs::{GalleryItem, MediaKind};
use crate::model::{format, url::safe_url};
use crate::poll::{use_run, PollConfig, PollState, RunHandle};
use crate::state::clock::RealTime;
use crate::state::{clock::Clock, settings::Settings};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

/// The URL of a comparison.
pub fn compare_href(a: &str, b: &str) -> String {
    format!("/compare/{}/{}", encode_segment(a), encode_segment(b))
}

/// `/compare/:a/:b`. New ids re-create the view (and both pollers).
#[component]
pub fn ComparePage() -> impl IntoView {
    let params = use_params_map();
    let ids = Memo::new(move |_| {
        params.with(|p| {
            (
                p.get("a").unwrap_or_default(),
                p.get("b").unwrap_or_default(),
            )
        })
    });
    move || {
        let (a, b) = ids.get();
        view! { <CompareView a b /> }
    }
}

/// One row of the step table, ready to show.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    name: String,
    a: Option<(Status, Option<i64>)>,
    b: Option<(Status, Option<i64>)>,
    delta: Delta,
}

/// Outputs of one matched step, paired by position.
#[derive(Clone, Debug, PartialEq)]
struct OutputRow {
    step: String,
    pairs: Vec<(Option<Output>, Option<Output>)>,
}

fn rows_of(a: &[Step], b: &[Step]) -> (Vec<Row>, Vec<OutputRow>, Summary) {
    let pairs = match_steps(a, b);
    let summary = summarize(a, b, &pairs);
    let mut rows = Vec::with_capacity(pairs.len());
    let mut outputs = Vec::new();
    for p in &pairs {
        let sa = p.a.map(|i| &a[i]);
        let sb = p.b.map(|j| &b[j]);
        let name = sa.or(sb).map(|s| s.name.clone()).unwrap_or_default();
        let da = sa.and_then(step_duration);
        let db = sb.and_then(step_duration);
        rows.push(Row {
            name: name.clone(),
            a: sa.map(|s| (s.status.clone(), da)),
            b: sb.map(|s| (s.status.clone(), db)),
            delta: if sa.is_some() && sb.is_some() {
                Delta::of(da, db)
            } else {
                Delta::Unknown
            },
        });
        if let (Some(sa), Some(sb)) = (sa, sb) {
            let n = sa.outputs.len().max(sb.outputs.len());
            if n > 0 {
                outputs.push(OutputRow {
                    step: name,
                    pairs: (0..n)
                        .map(|k| (sa.outputs.get(k).cloned(), sb.outputs.get(k).cloned()))
                        .collect(),
                });
            }
        }
    }
    (rows, outputs, summary)
}

/// Both runs, side by side.
#[component]
fn CompareView(a: String, b: String) -> impl IntoView {
    let settings = Settings::expect();
    let config = Signal::derive(move || settings.config());
    let time: std::rc::Rc<dyn crate::state::clock::TimeSource> = std::rc::Rc::new(RealTime);
    let ha = use_run(a.clone(), config, PollConfig::default(), time.clone());
    let hb = use_run(b.clone(), config, PollConfig::default(), time);
    Effect::watch(
        move || settings.revision.get(),
        move |_, _, _| {
            ha.refresh();
            hb.refresh();
        },
        false,
    );
    let both_loaded = move || ha.loaded.get() && hb.loaded.get();
    let data = Memo::new(move |_| {
        let sa = ha.run.steps().get();
        let sb = hb.run.steps().get();
        rows_of(&sa, &sb)
    });
    let navigate = use_navigate();
    let (ida, idb) = (a.clone(), b.clone());
    let swap = move |_| navigate(&compare_href(&idb, &ida), NavigateOptions::default());
    let blueprint = move || {
        let bp = ha.run.blueprint_id().get();
        (!bp.is_empty()).then(|| {
            let href = format!("/blueprints/{}", encode_segment(&bp));
            view! { <a href=href>{format!("Other runs of {bp}")}</a> }
        })
    };
    let body = move || {
        if !both_loaded() {
            return view! {
                {side_state(ha, "A")}
                {side_state(hb, "B")}
            }
            .into_any();
        }
        view! {
            <SummaryCard a=ha.run b=hb.run summary=Signal::derive(move || data.with(|d| d.2.clone())) />
            <h2>"Steps"</h2>
            <StepTable rows=Signal::derive(move || data.with(|d| d.0.clone())) />
            <h2>"Outputs side by side"</h2>
            <OutputPairs rows=Signal::derive(move || data.with(|d| d.1.clone())) />
        }
        .into_any()
    };
    view! {
        <section class="compare">
            <header class="compare__header">
                <h1>"Compare runs"</h1>
                <p class="compare__ids">
                    "A: " <a href=format!("/runs/{}", encode_segment(&a))><code>{a.clone()}</code></a>
                    " · B: " <a href=format!("/runs/{}", encode_segment(&b))><code>{b.clone()}</code></a>
                </p>
                <div class="compare__actions">
                    <button type="button" class="button button--small" on:click=swap>"Swap A and B"</button>
                    {blueprint}
                </div>
            </header>
            {body}
        </section>
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
/// difference, and how many steps got faster or slower.
#[component]
fn SummaryCard(
    /// Run A.
    a: reactive_stores::Store<Run>,
    /// Run B.
    b: reactive_stores::Store<Run>,
    /// Step counts of the comparison.
    #[prop(into)]
    summary: Signal<Summary>,
) -> impl IntoView {
    let clock = Clock::expect();
    let total = move |run: reactive_stores::Store<Run>| {
        let now = clock.now();
        run.with(|r| run_duration(r, now))
    };
    let delta = move || Delta::of(total(a), total(b));
    let text = |d: Option<i64>| d.map(format::duration).unwrap_or_else(|| "—".into());
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
                    <dd>{move || format!("A {} · B {}", text(total(a)), text(total(b)))}</dd>
                </div>
                <div>
                    <dt>"B against A"</dt>
                    <dd class=move || format!("delta delta--{}", delta().modifier())>
                        {move || match delta() {
                            Delta::Unknown => "—".to_string(),
                            Delta::Same => "About the same total time".to_string(),
                            d => format!("B is {}", d.label()),
                        }}
                    </dd>
                </div>
                <div>
                    <dt>"Steps"</dt>
                    <dd>{move || summary.with(summary_text)}</dd>
                </div>
            </dl>
        </section>
    }
}

/// "7 faster, 3 slower, 1 same; 1 changed status; 1 only in A".
fn summary_text(s: &Summary) -> String {
    let mut parts = vec![format!(
        "{} faster, {} slower, {} same",
        s.faster, s.slower, s.same
    )];
    if s.status_changed > 0 {
        parts.push(format!("{} changed status", s.status_changed));
    }
    if s.only_a > 0 {
        parts.push(format!("{} only in A", s.only_a));
    }
    if s.only_b > 0 {
        parts.push(format!("{} only in B", s.only_b));
    }
    parts.join("; ")
}

/// Every step of either run: both statuses, both durations, the difference.
#[component]
fn StepTable(
    /// The rows, in run A's order.
    #[prop(into)]
    rows: Signal<Vec<Row>>,
) -> impl IntoView {
    let cell = |side: Option<(Status, Option<i64>)>| {
        match side {
        Some((status, ms)) => view! {
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
    };
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
                    {move || rows.get().into_iter().map(|r| {
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
                                {cell(r.a.clone())}
                                {cell(r.b.clone())}
                                <td class=format!("compare-table__num delta delta--{}", r.delta.modifier())>{r.delta.label()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The outputs of matched steps, A beside B; two videos share one control.
#[component]
fn OutputPairs(
    /// Matched steps with outputs.
    #[prop(into)]
    rows: Signal<Vec<OutputRow>>,
) -> impl IntoView {
    let side = |o: Option<Output>, step: &str, run: &str| match o {
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
    };
    let video_url = |o: &Option<Output>| {
        o.as_ref()
            .filter(|o| MediaKind::of(o) == MediaKind::Video)
            .and_then(|o| o.url.as_deref())
            .and_then(safe_url)
            .map(str::to_string)
    };
    move || {
        let rows = rows.get();
        if rows.is_empty() {
            return view! { <p class="empty">"No matched step has outputs yet."</p> }.into_any();
        }
        rows.into_iter()
            .map(|r| {
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
                                        {side(a, &step, "A")}
                                        {side(b, &step, "B")}
                                    </div>
                                }.into_any(),
                            }
                        }).collect_view()}
                    </section>
                }
            })
            .collect_view()
            .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_name_only_what_happened() {
        let s = Summary {
            faster: 7,
            slower: 3,
            same: 1,
            status_changed: 1,
            only_a: 1,
            only_b: 0,
        };
        assert_eq!(
            summary_text(&s),
            "7 faster, 3 slower, 1 same; 1 changed status; 1 only in A"
        );
        assert_eq!(
            summary_text(&Summary::default()),
            "0 faster, 0 slower, 0 same"
        );
        assert_eq!(compare_href("run_a", "run b"), "/compare/run_a/run%20b");
    }
}
