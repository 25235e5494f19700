//! The step timeline: one row per step on the run's shared time axis.
//!
//! - [`StepTimeline`] (this file): the list and its window of row slots.
//! - [`use_window`]: the time axis, the filtered steps, the window on
//!   screen and what each slot shows; [`use_visible_range`]: which rows are
//!   on screen.
//! - [`actions`]: the selection, opening a step's outputs, and the keyboard
//!   actions it owns (`j`/`k`/`Enter`/`f`).
//! - [`row`]: one row slot ([`StepRow`]); [`thumb`]: an output thumbnail slot in it.
//! - [`filter`]: which steps are shown ([`StepFilter`]) and its control.
//! - [`search`]: the step search field ([`StepSearch`]) and its count.
//! - [`query`]: the filter, the search and the selected step in the URL.
//! - [`zoom`]: the zoom window and squeezed gaps ([`Zoom`]) and their keys;
//!   [`zoom_controls`]: its buttons and the time ruler (a lazily loaded chunk),
//!   mounted in their fixed boxes by [`zoom_slots`].
//! - [`attempts`]: a row's attempt badge and marks, and the attempts popover;
//!   [`attempts_list`]: the list in it (a lazily loaded chunk).

pub mod actions;
pub mod attempts;
pub mod attempts_list;
pub mod filter;
pub mod query;
pub mod row;
pub mod search;
pub mod thumb;
pub mod use_visible_range;
pub mod use_window;
pub mod zoom;
pub mod zoom_controls;
pub mod zoom_gestures;
pub mod zoom_slots;

pub use filter::{StepFilter, StepFilterControl};
pub use query::TimelineUrl;
pub use row::StepRow;
pub use search::StepSearch;
pub use thumb::StepThumb;
pub use use_visible_range::{use_visible_range, Placement, VisibleRange};
pub use use_window::AxisOf;
pub use zoom::Zoom;

use crate::api::{Run, RunStoreFields};
use crate::components::Viewer;
use crate::state::clock::Clock;
use actions::{open_step, use_selection, use_timeline_actions};
use leptos::prelude::*;
use reactive_stores::Store;
use row::RowContext;
use search::use_first_match_in_view;
use use_window::{use_axis, use_step_window};
use zoom_slots::{ZoomBar, ZoomRulerSlot};

/// The run's steps, one row each: status, name, reference, attempt, what it
/// waits on, duration, a bar on the run's shared time axis, and its outputs.
///
/// - **Fine-grained**: each row slot keeps a [`RowView`](crate::model::timeline::RowView) of its step and
///   rebuilds it only when that step changed, so a poll that changes one
///   step touches only its row (and there only what changed).
/// - **Windowed**: long runs render only a window of row *slots* (see
///   [`crate::model::window`]); scrolling changes which step each slot
///   shows, updating existing elements instead of creating rows, and the DOM
///   order stays the visual order.
/// - **In the URL**: the filter is `?filter=`, the search `?q=`, the
///   selected step `?step=` (a deep link scrolls its row into view); see
///   [`query`].
/// - **Zoom**: `?view=` and `?gaps=squeeze` (see [`zoom`]); the window is
///   the list's `--view-from`/`--view-len`, so zooming touches no row.
/// - **Keyboard**: `j`/`k` move the selection and the focus, `Enter` opens
///   the selected step's outputs in the viewer, `f` cycles the filter (see
///   [`actions`]). Each has a visible control too: rows are clickable,
///   outputs are buttons, the filter a select.
#[component]
pub fn StepTimeline(
    /// The run.
    run: Store<Run>,
    /// Where the shared time axis comes from; by default `run`'s step times
    /// and the page's clock. Replay passes the live run and the real clock,
    /// so the axis spans the whole run and stays still while the replayed
    /// moment moves.
    #[prop(optional_no_strip)]
    axis: Option<AxisOf>,
) -> impl IntoView {
    let viewer = Viewer::expect();
    let url = TimelineUrl::use_url();
    let axis = use_axis(axis.unwrap_or(AxisOf {
        run,
        clock: Clock::expect(),
    }));
    let list_ref = NodeRef::<leptos::html::Ol>::new();
    let steps = use_step_window(run, url.filter, url.search, list_ref);
    use_first_match_in_view(url, steps);
    let selection = use_selection(url, steps, list_ref);
    use_timeline_actions(run, url, selection);
    let zoom = Zoom::use_zoom(axis, url, list_ref);
    zoom::use_zoom_actions(zoom);
    provide_context(zoom);
    let visible = steps.visible;
    provide_context(RowContext {
        scale: zoom.scale,
        selected: url.selected,
        filter: url.filter,
        on_select: Callback::new(move |id: String| selection.select(id)),
        on_open: Callback::new(move |(step, output): (String, String)| {
            open_step(run, viewer, &step, Some(&output));
        }),
        scrolling: visible.scrolling.into(),
    });
    provide_context(attempts::AttemptsFor(RwSignal::new(None)));

    let pad = move |rows: usize| format!("{}px", rows as f64 * visible.row_height.get());
    let pad_top = move || pad(visible.range.get().start);
    let pad_bottom = move || {
        pad(steps
            .order
            .with(Vec::len)
            .saturating_sub(visible.range.get().end))
    };
    let count = move || run.steps().with(Vec::len);
    let empty = move || {
        if count() == 0 {
            Some("This run has no steps yet.")
        } else if steps.order.with(Vec::is_empty) {
            Some(if url.search.with(String::is_empty) {
                "No steps match this filter."
            } else {
                "No steps match this search."
            })
        } else {
            None
        }
    };
    view! {
        <section class="timeline" aria-labelledby="timeline-heading">
            <div class="timeline__head">
                <h2 id="timeline-heading">"Steps " <span class="timeline__count">{count}</span></h2>
                <StepSearch url shown=Signal::derive(move || steps.order.with(Vec::len)) total=Signal::derive(count) />
                <StepFilterControl filter=url.filter on_change=Callback::new(move |f| url.set_filter(f)) />
            </div>
            <ZoomBar />
            {move || empty().map(|text| view! { <p class="empty">{text}</p> })}
            <ZoomRulerSlot />
            <ol
                class="timeline__rows"
                node_ref=list_ref
                style:--view-from=move || zoom.window.get().from.to_string()
                style:--view-len=move || zoom.window.get().len.to_string()
                style:padding-top=pad_top
                style:padding-bottom=pad_bottom
            >
                // Slots keyed by position: slot i shows the window's i-th step.
                <For each=move || 0..steps.slots.get() key=|slot| *slot let:slot>
                    <StepRow row=steps.slot_row(slot) />
                </For>
            </ol>
            <attempts::StepAttempts run />
        </section>
    }
}
