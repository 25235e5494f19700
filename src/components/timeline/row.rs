//! One row *slot* of the timeline. A slot is created once and shows
//! whichever step it is handed; scrolling a long run hands it another step,
//! and the slot updates its text and attributes in place instead of being
//! dropped and re-created. Every field is its own memo over the slot's step,
//! so a poll that changes one field of one step touches only that row's
//! nodes for that field.
//!
//! (The timeline hands each slot one memo of its step, read by key from the
//! store, rather than a keyed store path per field: with a path per field,
//! every scroll frame re-resolved and re-subscribed ~350 keyed paths, and a
//! CPU profile of the benchmark's scroll showed about 25% more script time.)

use crate::api::{Status, Step, Timestamp};
use crate::components::{StatusBadge, Viewer};
use crate::model::format;
use crate::model::outputs::GalleryItem;
use crate::model::timeline::Axis;
use crate::state::clock::Clock;
use leptos::prelude::*;
use leptos_router::location::Url;

use super::filter::StepFilter;
use super::query::{with_param, FILTER_PARAM, STEP_PARAM};
use super::thumb::StepThumb;

/// What every row reads besides its own step: provided by the timeline.
#[derive(Clone, Copy)]
pub(super) struct RowContext {
    /// The shared time axis.
    pub axis: Memo<Axis>,
    /// The selected step (from `?step=`).
    pub selected: Memo<Option<String>>,
    /// The filter in effect (kept in the rows' permalinks).
    pub filter: Memo<StepFilter>,
    /// Selects a step (a click on its row).
    pub on_select: Callback<String>,
    /// True while the list scrolls (thumbnails wait for rest).
    pub scrolling: Signal<bool>,
}

/// A memo of one field of a slot's step; `None` while it shows no step.
macro_rules! step_field {
    ($step:ident, |$s:ident| $read:expr) => {
        Memo::new(move |_| $step.with(|step| step.as_ref().map(|$s| $read)))
    };
}

/// The outputs of a step as viewer items.
pub(super) fn gallery_items(outputs: Vec<crate::api::Output>, name: &str) -> Vec<GalleryItem> {
    outputs
        .into_iter()
        .map(|output| GalleryItem {
            output,
            step_name: Some(name.to_string()),
        })
        .collect()
}

/// One step's row: status, name, reference, attempt, what it waits on,
/// duration, a bar on the run's shared time axis, its outputs and a
/// permalink. Clicking the row (outside its buttons and link) selects the
/// step; the selected row is highlighted, `aria-current` and the one row in
/// the tab order (`tabindex` 0, the others -1, so `j`/`k` can focus them).
#[component]
pub fn StepRow(
    /// The step this slot shows now; it changes as a long list scrolls.
    /// `None` renders an empty row. Pass a memo: every field reads it.
    #[prop(into)]
    step: Signal<Option<Step>>,
) -> impl IntoView {
    let RowContext {
        axis,
        selected,
        filter,
        on_select,
        scrolling,
    } = expect_context();
    let clock = Clock::expect();
    let viewer = Viewer::expect();
    let id = step_field!(step, |s| s.key());
    let status = step_field!(step, |s| s.status.clone());
    let name = step_field!(step, |s| s.name.clone());
    let reference = step_field!(step, |s| s.reference_id.clone());
    let attempt = step_field!(step, |s| s.attempt_no);
    let waiting = step_field!(step, |s| s.predecessors_left);
    let started = step_field!(step, |s| s.started_at.map(Timestamp::ms));
    let completed = step_field!(step, |s| s.completed_at.map(Timestamp::ms));
    let outputs = step_field!(step, |s| s.outputs.clone());

    let status_shown = Signal::derive(move || status.get().unwrap_or(Status::Queued));
    let is = move |want: Status| status.with(|s| s.as_ref() == Some(&want));
    let times = move || (started.get().flatten(), completed.get().flatten());
    let duration = move || match times() {
        (Some(s), Some(e)) => format::duration(e.saturating_sub(s)),
        (Some(s), None) if is(Status::Running) => format::duration((clock.now()).saturating_sub(s)),
        _ => String::new(),
    };
    let bar = Memo::new(move |_| {
        let (start, end) = times();
        let now = if end.is_none() && start.is_some() {
            clock.now()
        } else {
            0
        };
        axis.with(|a| a.bar(start, end, now))
    });
    let attempt_no = move || attempt.get().unwrap_or(1);
    let waiting_on = move || waiting.get().unwrap_or(0);
    let is_selected =
        Memo::new(move |_| selected.with(|sel| id.with(|id| sel.is_some() && sel == id)));
    let permalink = move || {
        let f = filter.get();
        let kept = (f != StepFilter::All).then_some((FILTER_PARAM, f.value()));
        id.with(|id| with_param(kept, STEP_PARAM, id.as_deref(), Url::escape))
    };
    let output_count = Memo::new(move |_| outputs.with(|o| o.as_ref().map_or(0, Vec::len)));
    let open_output = Callback::new(move |key: String| {
        let name = name.get_untracked().unwrap_or_default();
        let items = gallery_items(outputs.get_untracked().unwrap_or_default(), &name);
        viewer.open(items, &key);
    });
    let select = move |ev: leptos::ev::MouseEvent| {
        let inside_control = event_target::<web_sys::Element>(&ev)
            .closest("a, button")
            .ok()
            .flatten()
            .is_some();
        if !inside_control {
            if let Some(id) = id.get_untracked() {
                on_select.run(id);
            }
        }
    };

    view! {
        <li
            id=move || id.get().map(|id| format!("step-{id}"))
            class="step-row"
            class:step-row--highlight=is_selected
            tabindex=move || if is_selected.get() { "0" } else { "-1" }
            aria-current=move || is_selected.get().then_some("true")
            on:click=select
        >
            <StatusBadge status=status_shown />
            <div class="step-row__main">
                <span class="step-row__name">{move || name.get()}</span>
                <code class="step-row__ref">{move || reference.get()}</code>
                <span class="badge badge--attempt" title="Earlier attempts failed" hidden=move || attempt_no() <= 1>
                    {move || format!("attempt {}", attempt_no())}
                </span>
                <span class="step-row__waiting" hidden=move || !(waiting_on() > 0 && is(Status::Queued))>
                    {move || format!("waiting on {}", waiting_on())}
                </span>
            </div>
            <span class="step-row__duration">{duration}</span>
            <div class="step-row__track" aria-hidden="true">
                <div
                    class=move || format!("step-row__bar step-row__bar--{}", status.with(|s| s.as_ref().map_or("unknown", |s| s.modifier()).to_string()))
                    hidden=move || bar.with(Option::is_none)
                    style:--start=move || bar.get().map_or(0, |b| b.start).to_string()
                    style:--len=move || bar.get().map_or(0, |b| b.len).to_string()
                ></div>
            </div>
            <div class="step-row__outputs">
                // Thumbnail slots by position, like the rows themselves.
                <For each=move || 0..output_count.get() key=|i| *i let:i>
                    <StepThumb
                        output=Signal::derive(move || outputs.with(|o| o.as_ref().and_then(|o| o.get(i).cloned())))
                        on_open=open_output
                        defer=scrolling
                    />
                </For>
            </div>
            <a class="step-row__link" href=permalink aria-label=move || format!("Link to step {}", name.get().unwrap_or_default())>"#"</a>
        </li>
    }
}
