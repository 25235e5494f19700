//! The timeline's reactive data, as hooks: the shared time axis, the steps
//! that pass the filter and the search, the window of them on screen, and
//! what each row slot shows.

use super::use_visible_range::{use_visible_range, VisibleRange};
use super::StepFilter;
use crate::api::{Run, RunStoreFields, Timestamp};
use crate::model::search::{Found, Haystacks, Query};
use crate::model::timeline::{Axis, RowView};
use crate::state::clock::Clock;
use leptos::prelude::*;
use reactive_stores::Store;

/// A value worked out from others that notifies its readers only when it
/// changed. A signal set by a render effect rather than a memo: a memo's
/// readers are marked on every change upstream, and every row slot and
/// every element of every row would be visited on each poll. The effect
/// lives as long as the calling owner.
fn changed_only<T>(compute: impl Fn() -> T + 'static) -> ReadSignal<T>
where
    T: Default + PartialEq + Send + Sync + 'static,
{
    let value = RwSignal::new(T::default());
    let effect = RenderEffect::new(move |_| {
        let next = compute();
        if value.with_untracked(|v| *v != next) {
            value.set(next);
        }
    });
    // A render effect lives while it is held: hold it until the owner goes.
    on_cleanup(move || drop(effect));
    value.read_only()
}

/// Where the timeline's shared time axis comes from: a run's step times,
/// and the clock that ends its running steps.
#[derive(Clone, Copy)]
pub struct AxisOf {
    /// The run whose step times lay out the axis.
    pub run: Store<Run>,
    /// Ends its running steps' intervals.
    pub clock: Clock,
}

/// The run's shared time axis (every row's bar reads it), ticking while a
/// step runs.
pub fn use_axis(AxisOf { run, clock }: AxisOf) -> ReadSignal<Axis> {
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
    changed_only(move || {
        intervals.with(|iv| {
            let running = iv.iter().any(|(s, e)| s.is_some() && e.is_none());
            let now = if running { clock.now() } else { 0 };
            Axis::build(iv.iter().copied(), now)
        })
    })
}

/// The steps the timeline shows and where they are. `Copy`.
#[derive(Clone, Copy)]
pub struct StepWindow {
    /// The indices of the steps that pass the filter and the search, in the
    /// API's order.
    pub order: Memo<Vec<usize>>,
    /// Which of them are on screen.
    pub visible: VisibleRange,
    /// The steps in the window, slot by slot: index and key.
    pub window: ReadSignal<Vec<(usize, String)>>,
    /// How many row slots there are.
    pub slots: Memo<usize>,
    run: Store<Run>,
}

/// The window of `run`'s steps passing `filter` and found by `search` that
/// the list `list` shows.
///
/// A key press in the search costs one scan of strings made beforehand:
/// the steps' [`Haystacks`] are rebuilt when the steps change (a poll), and
/// only while a search is on (a memo is worked out when read); a key that
/// narrows the query scans only the steps the last key found ([`Found`]).
/// However few steps are found, a long run's list stays windowed (see
/// [`crate::model::window::narrowed_range`]).
pub fn use_step_window(
    run: Store<Run>,
    filter: Memo<StepFilter>,
    search: Memo<String>,
    list: NodeRef<leptos::html::Ol>,
) -> StepWindow {
    let query = Memo::new(move |_| search.with(|s| Query::parse(s)));
    let haystacks = Memo::new(move |_| run.steps().with(|steps| Haystacks::build(steps)));
    let found = Memo::new(move |previous: Option<&Found>| {
        haystacks.with(|h| query.with(|q| Found::search(h, q, previous)))
    });
    // Kept subscribed while a search is on: a memo left without readers
    // (for a moment, while `order` re-runs on a key press) drops its value:
    // the haystacks would be rebuilt and the last result lost on every key.
    Effect::new(move |_| {
        if !search.with(String::is_empty) {
            haystacks.track();
            found.track();
        }
    });
    // No allocation per step, so a poll that changes one step costs little.
    let order = Memo::new(move |_| {
        let f = filter.get();
        let searching = !query.with(Query::is_empty);
        run.steps().with(|steps| {
            let admitted = |&i: &usize| steps.get(i).is_some_and(|s| f.admits(&s.status));
            if searching {
                found.with(|found| found.indices().iter().copied().filter(admitted).collect())
            } else {
                (0..steps.len()).filter(admitted).collect::<Vec<_>>()
            }
        })
    });
    let total = Memo::new(move |_| run.steps().with(Vec::len));
    let visible = use_visible_range(
        list,
        Signal::derive(move || order.with(Vec::len)),
        total.into(),
    );
    // Worked out on every change to the steps, but announced to the slots
    // only when the window changed: a scroll, a filter, steps added,
    // removed or reordered.
    let window = changed_only(move || {
        let range = visible.range.get();
        order.with(|o| {
            run.steps().with(|steps| {
                o.get(range)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|&i| steps.get(i).map(|s| (i, s.key())))
                    .collect::<Vec<_>>()
            })
        })
    });
    StepWindow {
        order,
        visible,
        window,
        slots: Memo::new(move |_| window.with(Vec::len)),
        run,
    }
}

impl StepWindow {
    /// What slot `slot` shows: the view of its step. It listens to that one
    /// step (its keyed path in the store), so a poll wakes only the slots of
    /// the steps it changed, and keeps its view (not rebuilt, not announced)
    /// while it still shows what the step holds.
    pub fn slot_row(&self, slot: usize) -> Memo<Option<RowView>> {
        let (window, run) = (self.window, self.run);
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
    }

    /// Where the step with key `id` is in the filtered list (untracked: for
    /// actions).
    pub fn position_of(&self, id: &str) -> Option<usize> {
        self.order.with_untracked(|o| {
            self.run.steps().with_untracked(|steps| {
                o.iter()
                    .position(|&i| steps.get(i).is_some_and(|s| s.key() == id))
            })
        })
    }

    /// The key of the step at `position` in the filtered list (untracked).
    pub fn key_at(&self, position: usize) -> Option<String> {
        self.order.with_untracked(|o| {
            self.run.steps().with_untracked(|steps| {
                o.get(position).and_then(|&i| steps.get(i)).map(|s| s.key())
            })
        })
    }
}
