//! Earlier attempts of a step in the timeline: the marks on a row's track
//! ([`AttemptMarks`]) and the list of a step's attempts ([`StepAttempts`]),
//! one popover for the whole timeline (rows keep their fixed height), opened
//! from a row's attempt badge ([`AttemptBadge`]).

use crate::api::{Run, Status};
use crate::model::attempts::AttemptLine;
use crate::model::format;
use crate::model::timeline::RowView;
use crate::model::url::safe_url;
use crate::model::zoom::Scale;
use crate::state::attempts::Attempts;
use leptos::prelude::*;
use reactive_stores::Store;

/// The id of the attempts popover (the badges' `popovertarget`).
pub const POPOVER_ID: &str = "step-attempts";

/// Which step's attempts the popover lists (its key); provided by the timeline.
#[derive(Clone, Copy)]
pub struct AttemptsFor(pub RwSignal<Option<String>>);

/// A row's attempt number, shown from the second attempt on: a button that
/// opens the list of the step's attempts.
#[component]
pub fn AttemptBadge(
    /// What the row slot shows.
    row: Signal<Option<RowView>>,
) -> impl IntoView {
    let target = use_context::<AttemptsFor>();
    let attempts = Attempts::try_expect();
    let attempt = move || row.with(|r| r.as_ref().map_or(1, |r| r.attempt));
    let seen = move || {
        let key = row.with(|r| r.as_ref().map(|r| r.key.clone()));
        attempts
            .zip(key)
            .is_some_and(|(a, key)| a.memory.with(|m| m.has(&key)))
    };
    // Only a retried step's badge is labelled (and so re-labelled on a rename).
    let label = move || {
        let n = attempt();
        (n > 1).then(|| {
            row.with(|r| {
                format!(
                    "attempt {n}: list the attempts of {}",
                    r.as_ref().map_or("", |r| r.name.as_str())
                )
            })
        })
    };
    let open = move |_| {
        if let Some(AttemptsFor(t)) = target {
            t.set(row.with_untracked(|r| r.as_ref().map(|r| r.key.clone())));
        }
    };
    view! {
        <button type="button" class="badge badge--attempt" popovertarget=POPOVER_ID
            class:badge--seen=seen hidden=move || attempt() <= 1 on:click=open
            aria-label=label>
            {move || format!("attempt {}", attempt())}
        </button>
    }
}

/// Marks on a row's track where its step's earlier attempts ran, placed like
/// the bar: `--start` and `--len` in the axis's units over the list's `--axis`.
#[component]
pub fn AttemptMarks(
    /// What the row slot shows.
    row: Signal<Option<RowView>>,
    /// The shared time axis (zoomed and squeezed as the bars are).
    scale: Memo<Scale>,
) -> impl IntoView {
    let Some(attempts) = Attempts::try_expect() else {
        return ().into_any();
    };
    let marks = Memo::new(move |_| {
        let Some(key) = row.with(|r| r.as_ref().map(|r| r.key.clone())) else {
            return Vec::new();
        };
        attempts.memory.with(|m| {
            m.of(&key)
                .into_iter()
                .filter_map(|a| {
                    let (start, end) = a.span();
                    let bar = scale.with(|x| x.bar(start, end, end.or(start).unwrap_or(0)))?;
                    Some((a.attempt_no, bar.start, bar.len))
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <For each=move || marks.get() key=|m| *m let:m>
            <span class="step-row__attempt-mark" style:--start=m.1.to_string() style:--len=m.2.to_string()></span>
        </For>
    }
    .into_any()
}

/// The list of one step's attempts, current on top, in a popover: what each
/// earlier attempt ended as and after how long, its outputs as links, and
/// that attempts before the page was opened are not known.
#[component]
pub fn StepAttempts(
    /// The run (the step's current attempt).
    run: Store<Run>,
) -> impl IntoView {
    let AttemptsFor(target) = expect_context();
    let attempts = Attempts::try_expect();
    let current = Memo::new(move |_| {
        let key = target.get()?;
        run.with(|r| {
            r.steps.iter().find(|s| s.key() == key).map(|s| {
                (
                    key.clone(),
                    s.name.clone(),
                    s.attempt_no,
                    s.status.clone(),
                    s.started_at,
                    s.completed_at,
                )
            })
        })
    });
    let body = move || {
        let (key, name, n, status, start, end) = current.get()?;
        let took = match (start, end) {
            (Some(s), Some(e)) if status != Status::Running => {
                format!(" after {}", format::duration(e.ms() - s.ms()))
            }
            _ => String::new(),
        };
        let lines = attempts
            .map(|a| a.memory.with(|m| m.lines(&key, n)))
            .unwrap_or_default();
        Some(view! {
            <h3 id="attempts-heading">"Attempts of " {name}</h3>
            <ol class="attempts__list">
                <li class="attempts__current">{format!("Attempt {n} (current) {}{took}", status.as_str())}</li>
                {lines.into_iter().map(attempt_line).collect_view()}
            </ol>
        })
    };
    view! {
        <div id=POPOVER_ID popover="auto" class="attempts" role="dialog" aria-labelledby="attempts-heading">
            {body}
            <p class="attempts__note">"Only attempts seen while this page was open (in this tab) are listed; attempts before it was opened are not known."</p>
            <button type="button" class="button button--small" popovertarget=POPOVER_ID popovertargetaction="hide">"Close"</button>
        </div>
    }
}

/// One earlier attempt: its line and its outputs' links.
fn attempt_line(line: AttemptLine) -> AnyView {
    match line {
        AttemptLine::Unseen(n) => {
            view! { <li class="attempts__unseen">{format!("Attempt {n}: not seen")}</li> }
                .into_any()
        }
        AttemptLine::Seen(a) => {
            let links = a
                .outputs
                .iter()
                .filter_map(|o| {
                    let url = safe_url(o.url.as_deref()?)?.to_string();
                    let label = if o.output_id.is_empty() { "output".to_string() } else { o.output_id.clone() };
                    Some(view! { <li><a href=url target="_blank" rel="noopener noreferrer">{label}</a></li> })
                })
                .collect_view();
            view! {
                <li class=format!("attempts__earlier attempts__earlier--{}", a.status().modifier())>
                    {a.describe()}
                    <ul class="attempts__outputs">{links}</ul>
                </li>
            }
            .into_any()
        }
    }
}
