//! One row *slot* of the timeline. A slot is created once and shows
//! whichever step it is handed; scrolling a long run hands it another step,
//! and the slot updates its text and attributes in place instead of being
//! dropped and re-created.
//!
//! A slot reads one value: the [`RowView`] of its step (a memo the timeline
//! keeps per slot, rebuilt only when the step or the window changes). Each
//! element reads its own field of it, and the renderer touches an element
//! only when that field's value changed, so a poll that changes one field of
//! one step touches only that row's nodes for that field.
//!
//! (Earlier slots read their step by key from the store and kept a memo per
//! field: a CPU profile of scrolling a 5,000-step run spent most of each
//! frame resolving keyed store paths and walking ~1,700 reactive nodes. One
//! view per slot, read by index, keeps a frame to the changed rows' DOM
//! writes.)

use crate::api::{encode_segment, Status};
use crate::components::StatusBadge;
use crate::model::format;
use crate::model::outputs::GalleryItem;
use crate::model::timeline::RowView;
use crate::model::zoom::Scale;
use crate::state::clock::Clock;
use leptos::prelude::*;

use super::attempts::{AttemptBadge, AttemptMarks};
use super::filter::StepFilter;
use super::thumb::StepThumb;
use crate::routes::{with_param, FILTER_PARAM, STEP_PARAM};

/// What every row reads besides its own step: provided by the timeline.
#[derive(Clone, Copy)]
pub(super) struct RowContext {
    /// The shared time axis: where an instant is drawn (zoom and squeezed
    /// gaps; the window shown is the list's CSS variables).
    pub scale: Memo<Scale>,
    /// The selected step (from `?step=`).
    pub selected: Memo<Option<String>>,
    /// The filter in effect (kept in the rows' permalinks).
    pub filter: Memo<StepFilter>,
    /// Selects a step (a click on its row).
    pub on_select: Callback<String>,
    /// Opens the outputs of the step with this key in the viewer, at the
    /// output with that key: `(step, output)`.
    pub on_open: Callback<(String, String)>,
    /// True while the list scrolls (thumbnails wait for rest).
    pub scrolling: Signal<bool>,
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
    /// What the slot shows now; it changes as a long list scrolls. `None`
    /// renders an empty row. Pass a memo: every element reads it.
    #[prop(into)]
    row: Signal<Option<RowView>>,
) -> impl IntoView {
    let RowContext {
        scale,
        selected,
        filter,
        on_select,
        on_open,
        scrolling,
    } = expect_context();
    let clock = Clock::expect();
    let status =
        Memo::new(move |_| row.with(|r| r.as_ref().map_or(Status::Queued, |r| r.status.clone())));
    let times = move || {
        row.with(|r| {
            r.as_ref()
                .map_or((None, None), |r| (r.started, r.completed))
        })
    };
    let duration = move || match times() {
        (Some(s), Some(e)) => format::duration(e.saturating_sub(s)),
        (Some(s), None) if status.with(|st| *st == Status::Running) => {
            format::duration(clock.now().saturating_sub(s))
        }
        _ => String::new(),
    };
    let is_selected = Memo::new(move |_| {
        selected.with(|sel| {
            row.with(|r| sel.is_some() && sel.as_deref() == r.as_ref().map(|r| r.key.as_str()))
        })
    });
    let key = move || row.with_untracked(|r| r.as_ref().map(|r| r.key.clone()));
    let permalink = move || {
        let f = filter.get();
        let kept = (f != StepFilter::All).then_some((FILTER_PARAM, f.value()));
        row.with(|r| {
            with_param(
                kept,
                STEP_PARAM,
                r.as_ref().map(|r| r.key.as_str()),
                encode_segment,
            )
        })
    };
    let open_output = Callback::new(move |output: String| {
        if let Some(step) = key() {
            on_open.run((step, output));
        }
    });
    let select = move |ev: leptos::ev::MouseEvent| {
        let inside_control = event_target::<web_sys::Element>(&ev)
            .closest("a, button")
            .ok()
            .flatten()
            .is_some();
        if !inside_control {
            if let Some(id) = key() {
                on_select.run(id);
            }
        }
    };

    view! {
        <li
            id=move || row.with(|r| r.as_ref().map(|r| format!("step-{}", r.key)))
            class="step-row"
            class:step-row--highlight=is_selected
            tabindex=move || if is_selected.get() { "0" } else { "-1" }
            aria-current=move || is_selected.get().then_some("true")
            on:click=select
        >
            <StatusBadge status />
            <RowMain row status />
            <span class="step-row__duration">{duration}</span>
            <RowTrack row status scale />
            <RowOutputs row on_open=open_output defer=scrolling />
            <a class="step-row__link" href=permalink aria-label=move || row.with(|r| format!("Link to step {}", r.as_ref().map_or("", |r| r.name.as_str())))>"#"</a>
        </li>
    }
}

/// A row's name, reference, attempt and what it waits on.
#[component]
fn RowMain(
    /// What the slot shows.
    row: Signal<Option<RowView>>,
    /// Its step's status.
    status: Memo<Status>,
) -> impl IntoView {
    let field = move |read: fn(&RowView) -> String| {
        move || row.with(|r| r.as_ref().map(read).unwrap_or_default())
    };
    let waiting = move || row.with(|r| r.as_ref().map_or(0, |r| r.waiting));
    let queued = move || status.with(|s| *s == Status::Queued);
    view! {
        <div class="step-row__main">
            <span class="step-row__name">{field(|r| r.name.clone())}</span>
            <code class="step-row__ref">{field(|r| r.reference.clone())}</code>
            <AttemptBadge row />
            <span class="step-row__waiting" hidden=move || !(waiting() > 0 && queued())>
                {move || format!("waiting on {}", waiting())}
            </span>
        </div>
    }
}

/// A row's bar on the run's shared time axis (growing while it runs).
#[component]
fn RowTrack(
    /// What the slot shows.
    row: Signal<Option<RowView>>,
    /// Its step's status (the bar's colour).
    status: Memo<Status>,
    /// The shared time axis.
    scale: Memo<Scale>,
) -> impl IntoView {
    let clock = Clock::expect();
    let bar = Memo::new(move |_| {
        let (start, end) = row.with(|r| {
            r.as_ref()
                .map_or((None, None), |r| (r.started, r.completed))
        });
        let now = if end.is_none() && start.is_some() {
            clock.now()
        } else {
            0
        };
        scale.with(|s| s.bar(start, end, now))
    });
    view! {
        <div class="step-row__track" aria-hidden="true">
            <AttemptMarks row scale />
            <div
                class=move || format!("step-row__bar step-row__bar--{}", status.with(|s| s.modifier().to_string()))
                hidden=move || bar.with(Option::is_none)
                style:--start=move || bar.get().map_or(0, |b| b.start).to_string()
                style:--len=move || bar.get().map_or(0, |b| b.len).to_string()
            ></div>
        </div>
    }
}

/// A row's output thumbnails.
#[component]
fn RowOutputs(
    /// What the slot shows.
    row: Signal<Option<RowView>>,
    /// Opens the output with this key in the viewer.
    on_open: Callback<String>,
    /// True while the list scrolls (thumbnails wait for rest).
    defer: Signal<bool>,
) -> impl IntoView {
    // Thumbnail slots by position, like the rows themselves; a slot that
    // showed an output once stays (hidden while its step has fewer outputs),
    // so scrolling past steps with and without outputs creates nothing.
    let thumb_slots = Memo::new(move |before: Option<&usize>| {
        let now = row.with(|r| r.as_ref().map_or(0, |r| r.outputs.len()));
        now.max(before.copied().unwrap_or(0))
    });
    view! {
        <div class="step-row__outputs">
            <For each=move || 0..thumb_slots.get() key=|i| *i let:i>
                <StepThumb
                    output=Memo::new(move |_| row.with(|r| r.as_ref().and_then(|r| r.outputs.get(i).cloned())))
                    on_open
                    defer
                />
            </For>
        </div>
    }
}
