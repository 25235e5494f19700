//! The list of one step's attempts, current on top (loaded on demand: the
//! `attempts` chunk, fetched when an attempt badge is first pressed). The
//! popover around it and the badges that open it are in [`super::attempts`].

use crate::api::{Run, RunStoreFields, Status};
use crate::model::attempts::AttemptLine;
use crate::model::format;
use crate::model::url::safe_url;
use crate::state::attempts::Attempts;
use leptos::prelude::*;
use reactive_stores::Store;

/// The id of the attempts popover (the badges' `popovertarget`).
pub const POPOVER_ID: &str = "step-attempts";

/// Which step's attempts the popover lists (its key); provided by the timeline.
#[derive(Clone, Copy)]
pub struct AttemptsFor(pub RwSignal<Option<String>>);

/// The run whose steps the popover lists (the step's current attempt);
/// provided by the popover for the list it loads.
#[derive(Clone, Copy)]
pub struct AttemptsRun(pub Store<Run>);

/// The list of the chosen step's attempts: what each earlier attempt ended
/// as and after how long, and its outputs as links. The step and the run come
/// from context ([`AttemptsFor`], [`AttemptsRun`]).
#[component]
pub fn AttemptsList() -> impl IntoView {
    let AttemptsFor(target) = expect_context();
    let AttemptsRun(run) = expect_context();
    let attempts = Attempts::try_expect();
    // Worked out only while a step is chosen (the popover is open).
    let current = Memo::new(move |_| {
        let key = target.get()?;
        run.steps().with(|steps| {
            steps.iter().find(|s| s.has_key(&key)).map(|s| {
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
    move || {
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
