//! Earlier attempts of a step in the timeline: the marks on a row's track
//! ([`AttemptMarks`]) and the popover listing a step's attempts
//! ([`StepAttempts`]), one for the whole timeline (rows keep their fixed
//! height), opened from a row's attempt badge ([`AttemptBadge`]). The list
//! inside the popover is loaded on demand ([`super::attempts_list`]).

pub use super::attempts_list::{AttemptsFor, POPOVER_ID};

use super::attempts_list::AttemptsRun;
use crate::api::Run;
use crate::components::lazy::attempts_list;
use crate::components::LazyView;
use crate::model::timeline::RowView;
use crate::model::zoom::Scale;
use crate::state::attempts::Attempts;
use leptos::prelude::*;
use reactive_stores::Store;

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
/// the bar: `--start` and `--len` in the scale's positions, through the list's
/// zoom window (`--view-from`, `--view-len`).
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

/// The popover listing one step's attempts (one for the whole timeline,
/// opened by the badges). Its box, note and Close button are here; the list
/// ([`AttemptsList`](super::attempts_list::AttemptsList)) is a chunk fetched
/// when a badge is first pressed, with a short "Loading…" line in its place
/// meanwhile (the popover opens at once).
#[component]
pub fn StepAttempts(
    /// The run (the step's current attempt).
    run: Store<Run>,
) -> impl IntoView {
    let AttemptsFor(target) = expect_context();
    provide_context(AttemptsRun(run));
    let wanted = Memo::new(move |was: Option<&bool>| {
        was.copied().unwrap_or(false) || target.with(Option::is_some)
    });
    view! {
        <div id=POPOVER_ID popover="auto" class="attempts" role="dialog"
            aria-label="Attempts of a step" aria-labelledby="attempts-heading"
            // Closed: no step is chosen, so its list stops following polls.
            on:toggle=move |ev| {
                if !event_target::<web_sys::Element>(&ev).matches(":popover-open").unwrap_or(false) {
                    target.set(None);
                }
            }>
            {move || wanted.get().then(|| view! {
                <LazyView load=attempts_list loading="Loading the attempts…" class="attempts__loading" />
            })}
            <p class="attempts__note">"Only attempts seen while this page was open (in this tab) are listed; attempts before it was opened are not known."</p>
            <button type="button" class="button button--small" popovertarget=POPOVER_ID popovertargetaction="hide">"Close"</button>
        </div>
    }
}
