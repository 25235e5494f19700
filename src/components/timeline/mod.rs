//! The step timeline: one row per step on the run's shared time axis.
//!
//! - [`StepTimeline`] (this file): the list, its window of row slots, the
//!   selection and the keyboard actions it owns (`j`/`k`/`Enter`/`f`).
//! - [`row`]: one row slot ([`StepRow`]); [`thumb`]: an output thumbnail slot in it.
//! - [`filter`]: which steps are shown ([`StepFilter`]) and its control.
//! - [`query`]: the filter and the selected step in the URL.
//! - [`use_visible_range`]: which rows are on screen.

pub mod filter;
pub mod query;
pub mod row;
pub mod thumb;
pub mod use_visible_range;

pub use filter::{StepFilter, StepFilterControl};
pub use query::TimelineUrl;
pub use row::StepRow;
pub use thumb::StepThumb;
pub use use_visible_range::{use_visible_range, Placement, VisibleRange};

use crate::api::{Run, RunStoreFields, Timestamp};
use crate::components::Viewer;
use crate::model::shortcuts::Action;
use crate::model::timeline::{Axis, RowView};
use crate::model::window::neighbour;
use crate::state::clock::Clock;
use crate::state::page_actions::PageActions;
use leptos::prelude::*;
use reactive_stores::Store;
use row::{gallery_items, RowContext};
use wasm_bindgen::JsCast;

/// The run's steps, one row each: status, name, reference, attempt, what it
/// waits on, duration, a bar on the run's shared time axis, and its outputs.
///
/// - **Fine-grained**: each row slot keeps a [`RowView`] of its step and
///   rebuilds it only when that step changed, so a poll that changes one
///   step touches only its row (and there only what changed).
/// - **Windowed**: long runs render only a window of row *slots* (see
///   [`crate::model::window`]); scrolling changes which step each slot
///   shows, updating existing elements instead of creating rows, and the DOM
///   order stays the visual order.
/// - **In the URL**: the filter is `?filter=`, the selected step `?step=`
///   (a deep link scrolls its row into view); see [`query`].
/// - **Keyboard**: registers [`Action::NextStep`], [`Action::PrevStep`]
///   (move the selection and the focus), [`Action::OpenStep`] (the selected
///   step's outputs in the viewer) and [`Action::CycleFilter`] with the page's
///   [`PageActions`], when the app provides them. Each has a visible
///   control too: rows are clickable, outputs are buttons, the filter a select.
#[component]
pub fn StepTimeline(
    /// The run.
    run: Store<Run>,
) -> impl IntoView {
    let clock = Clock::expect();
    let viewer = Viewer::expect();
    let url = TimelineUrl::use_url();
    let intervals = Memo::new(move |_| {
        run.steps().with(|steps| {
            steps
                .iter()
                .map(|s| {
                    (
                        s.started_at.map(Timestamp::ms),
                        s.completed_at.map(Timestamp::ms),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    // Set only when it changed, for the same reason as `window` below: every
    // row's bar reads it.
    let axis = RwSignal::new(Axis::default());
    let axis_effect = RenderEffect::new(move |_| {
        let next = intervals.with(|iv| {
            let running = iv.iter().any(|(s, e)| s.is_some() && e.is_none());
            let now = if running { clock.now() } else { 0 };
            Axis::build(iv.iter().copied(), now)
        });
        if axis.with_untracked(|a| *a != next) {
            axis.set(next);
        }
    });
    on_cleanup(move || drop(axis_effect));

    // The indices of the steps that pass the filter, in the API's order:
    // no allocation per step, so a poll that changes one step costs little.
    let order = Memo::new(move |_| {
        let f = url.filter.get();
        run.steps().with(|steps| {
            steps
                .iter()
                .enumerate()
                .filter(|(_, s)| f.admits(&s.status))
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
        })
    });
    let list_ref = NodeRef::<leptos::html::Ol>::new();
    let visible = use_visible_range(list_ref, Signal::derive(move || order.with(Vec::len)));
    // The steps in the window, slot by slot: index and key. Worked out on
    // every change to the steps, but set (and so announced to the slots)
    // only when the window changed: a scroll, a filter, steps added, removed
    // or reordered. A signal set by an effect rather than a memo: a memo's
    // subscribers are marked on every change upstream, and every slot and
    // every element of every row would be visited on each poll.
    let window = RwSignal::new(Vec::<(usize, String)>::new());
    let window_effect = RenderEffect::new(move |_| {
        let range = visible.range.get();
        let next = order.with(|o| {
            run.steps().with(|steps| {
                o.get(range)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|&i| steps.get(i).map(|s| (i, s.key())))
                    .collect::<Vec<_>>()
            })
        });
        if window.with_untracked(|w| *w != next) {
            window.set(next);
        }
    });
    on_cleanup(move || drop(window_effect));
    // What slot `slot` shows: the view of its step. It listens to that one
    // step (its keyed path in the store), so a poll wakes only the slots of
    // the steps it changed, and keeps its view (not rebuilt, not announced)
    // while it still shows what the step holds.
    let slot_row = move |slot: usize| {
        Memo::new_owning(move |previous: Option<Option<RowView>>| {
            let Some((index, key)) = window.with(|w| w.get(slot).cloned()) else {
                return (None, previous.is_none_or(|p| p.is_some()));
            };
            run.steps().at_key(key).track();
            run.steps().with_untracked(|steps| match steps.get(index) {
                Some(step) => {
                    let (view, changed) = RowView::update(previous.flatten(), step);
                    (Some(view), changed)
                }
                None => (None, previous.is_none_or(|p| p.is_some())),
            })
        })
    };
    let slots = Memo::new(move |_| window.with(Vec::len));
    // Where a step is in the filtered list (untracked: for actions).
    let position_of = move |id: &str| {
        order.with_untracked(|o| {
            run.steps().with_untracked(|steps| {
                o.iter()
                    .position(|&i| steps.get(i).is_some_and(|s| s.key() == id))
            })
        })
    };

    // A deep link, or back/forward to another `?step=`, scrolls its row into
    // the upper third once; a selection made here (click, `j`/`k`) has
    // already put its row in view and is marked as done.
    let scrolled_to = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let Some(id) = url.selected.get() else { return };
        order.track();
        if scrolled_to.get_value().as_deref() == Some(id.as_str()) {
            return;
        }
        if let Some(index) = position_of(&id) {
            scrolled_to.set_value(Some(id));
            visible.scroll_to(index, Placement::UpperThird);
        }
    });

    // Moves the selection to row `position` (showing `id`): URL, scroll, focus.
    let focus_step = move |position: usize, id: String| {
        scrolled_to.set_value(Some(id.clone()));
        url.select(id.clone());
        visible.scroll_to(position, Placement::Nearest);
        // After the slots show the new window (the reactive flush runs first).
        request_animation_frame(move || {
            if let Some(row) = row_element(list_ref, &id) {
                let _ = row.focus();
            }
        });
    };
    let move_by = move |delta: isize| {
        let current = url
            .selected
            .with_untracked(|s| s.as_deref().and_then(position_of));
        let len = order.with_untracked(Vec::len);
        let Some(next) = neighbour(len, current, delta, visible.first_on_screen(len)) else {
            return;
        };
        let id = order.with_untracked(|o| {
            run.steps()
                .with_untracked(|steps| o.get(next).and_then(|&i| steps.get(i)).map(|s| s.key()))
        });
        if let Some(id) = id {
            focus_step(next, id);
        }
    };
    let open_selected = move || {
        let Some(id) = url.selected.get_untracked() else {
            return;
        };
        let items = run.steps().with_untracked(|steps| {
            steps
                .iter()
                .find(|s| s.key() == id)
                .map(|s| gallery_items(s.outputs.clone(), &s.name))
        });
        if let Some(first) = items.as_ref().and_then(|i| i.first()) {
            let first = first.output.key();
            viewer.open(items.unwrap_or_default(), &first);
        }
    };
    if let Some(actions) = PageActions::try_expect() {
        actions.register(Action::NextStep, Callback::new(move |_| move_by(1)));
        actions.register(Action::PrevStep, Callback::new(move |_| move_by(-1)));
        actions.register(Action::OpenStep, Callback::new(move |_| open_selected()));
        actions.register(
            Action::CycleFilter,
            Callback::new(move |_| url.set_filter(url.filter.get_untracked().next())),
        );
    }

    // When scrolling makes the focused slot show another step, the focus
    // ring would sit on a step nobody chose: drop it (`j`/`k` continue from
    // the selection in the URL).
    Effect::new(move |_| {
        window.track();
        request_animation_frame(move || blur_stale_row(list_ref, url.selected));
    });

    provide_context(RowContext {
        axis: axis.read_only(),
        selected: url.selected,
        filter: url.filter,
        on_select: Callback::new(move |id: String| {
            scrolled_to.set_value(Some(id.clone()));
            url.select(id);
        }),
        on_open: Callback::new(move |(step, output): (String, String)| {
            let items = run.steps().with_untracked(|steps| {
                steps
                    .iter()
                    .find(|s| s.key() == step)
                    .map(|s| gallery_items(s.outputs.clone(), &s.name))
            });
            if let Some(items) = items {
                viewer.open(items, &output);
            }
        }),
        scrolling: visible.scrolling.into(),
    });

    let pad = move |rows: usize| format!("{}px", rows as f64 * visible.row_height.get());
    let pad_top = move || pad(visible.range.get().start);
    let pad_bottom = move || pad(order.with(Vec::len).saturating_sub(visible.range.get().end));
    let count = move || run.steps().with(Vec::len);
    let empty = move || {
        if count() == 0 {
            Some("This run has no steps yet.")
        } else if order.with(Vec::is_empty) {
            Some("No steps match this filter.")
        } else {
            None
        }
    };
    view! {
        <section class="timeline" aria-labelledby="timeline-heading">
            <div class="timeline__head">
                <h2 id="timeline-heading">"Steps " <span class="timeline__count">{count}</span></h2>
                <StepFilterControl filter=url.filter on_change=Callback::new(move |f| url.set_filter(f)) />
            </div>
            {move || empty().map(|text| view! { <p class="empty">{text}</p> })}
            <ol
                class="timeline__rows"
                node_ref=list_ref
                style:--axis=move || axis.with(Axis::total).max(1).to_string()
                style:padding-top=pad_top
                style:padding-bottom=pad_bottom
            >
                // Slots keyed by position: slot i shows the window's i-th step.
                <For each=move || 0..slots.get() key=|slot| *slot let:slot>
                    <StepRow row=slot_row(slot) />
                </For>
            </ol>
        </section>
    }
}

/// The list's row showing step `id`, if it is rendered.
fn row_element(list: NodeRef<leptos::html::Ol>, id: &str) -> Option<web_sys::HtmlElement> {
    let list = list.try_get_untracked().flatten()?;
    let want = format!("step-{id}");
    let rows = list.children();
    (0..rows.length())
        .filter_map(|i| rows.item(i))
        .find(|row| row.id() == want)
        .map(JsCast::unchecked_into)
}

/// Blurs the focused row if it no longer shows the selected step.
fn blur_stale_row(list: NodeRef<leptos::html::Ol>, selected: Memo<Option<String>>) {
    let Some(Some(list)) = list.try_get_untracked() else {
        return;
    };
    let Some(active) = document().active_element() else {
        return;
    };
    let list: &web_sys::Element = &list;
    let is_row = active
        .parent_element()
        .is_some_and(|parent| parent == *list);
    let wanted = selected
        .try_get_untracked()
        .flatten()
        .map(|id| format!("step-{id}"));
    if is_row && wanted.as_deref() != Some(active.id().as_str()) {
        let _ = active.unchecked_into::<web_sys::HtmlElement>().blur();
    }
}
