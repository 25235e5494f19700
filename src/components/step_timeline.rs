use crate::api::{Run, RunStoreFields, Status, Step, StepStoreFields, Timestamp};
use crate::components::{OutputPreview, StatusBadge, Viewer};
use crate::model::outputs::GalleryItem;
use crate::model::window::{scroll_target, visible_range};
use crate::model::{format, timeline::Axis};
use crate::state::clock::Clock;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use reactive_stores::{Field, Store};

/// Which rows the timeline shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepFilter {
    /// Every step.
    All,
    /// Running steps.
    Running,
    /// Queued steps.
    Queued,
    /// Succeeded steps.
    Succeeded,
    /// Failed steps.
    Failed,
    /// Skipped, locked and unknown statuses.
    Other,
}

impl StepFilter {
    const ALL: [Self; 6] = [
        Self::All,
        Self::Running,
        Self::Queued,
        Self::Succeeded,
        Self::Failed,
        Self::Other,
    ];

    fn value(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Running => "running",
            Self::Queued => "queued",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Other => "other",
        }
    }

    fn parse(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|f| f.value() == s)
            .unwrap_or(Self::All)
    }

    /// Whether a step in `status` passes this filter.
    pub fn admits(self, status: &Status) -> bool {
        match self {
            Self::All => true,
            Self::Running => *status == Status::Running,
            Self::Queued => *status == Status::Queued,
            Self::Succeeded => *status == Status::Succeeded,
            Self::Failed => *status == Status::Failed,
            Self::Other => matches!(
                status,
                Status::Skipped | Status::Locked | Status::Canceled | Status::Unknown(_)
            ),
        }
    }
}

/// Shared by the rows: the time axis and the deep-linked step.
#[derive(Clone, Copy)]
struct TimelineContext {
    axis: Memo<Axis>,
    target: Memo<Option<String>>,
}

/// Fallback row height (px) before a row has been measured.
const DEFAULT_ROW_HEIGHT: f64 = 48.0;

/// A row per step (keyed by `stepId`): status, name, reference, attempt,
/// what it waits on, duration, a bar on the run's shared time axis, and its
/// outputs. Patching the store touches only the rows whose step changed.
/// Long runs are windowed (see [`crate::model::window`]): only the rows on
/// screen exist, so a 5,000-step run renders and scrolls like a short one.
#[component]
pub fn StepTimeline(
    /// The run.
    run: Store<Run>,
) -> impl IntoView {
    let clock = Clock::expect();
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
    let axis = Memo::new(move |_| {
        intervals.with(|iv| {
            let running = iv.iter().any(|(s, e)| s.is_some() && e.is_none());
            let now = if running { clock.now() } else { 0 };
            Axis::build(iv.iter().copied(), now)
        })
    });
    let query = use_query_map();
    let target = Memo::new(move |_| query.with(|q| q.get("step")));
    let filter = RwSignal::new(StepFilter::All);
    provide_context(TimelineContext { axis, target });

    // The indices of the steps that pass the filter, in the API's order:
    // no allocation per step, so a poll that changes one step costs little.
    // (Rows address steps by key; `run_store` keeps the keys current.)
    let order = Memo::new(move |_| {
        let f = filter.get();
        run.steps().with(|steps| {
            steps
                .iter()
                .enumerate()
                .filter(|(_, s)| f.admits(&s.status))
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
        })
    });

    // Windowing: where the list is on screen, and how tall a row is.
    let list_ref = NodeRef::<leptos::html::Ol>::new();
    let viewport = RwSignal::new((0.0_f64, 1_000.0_f64));
    let row_height = RwSignal::new(DEFAULT_ROW_HEIGHT);
    let measure = move || {
        // May run from a queued animation frame after the timeline is gone.
        let Some(Some(list)) = list_ref.try_get_untracked() else {
            return;
        };
        let Some(window) = web_sys::window() else {
            return;
        };
        let top = list.get_bounding_client_rect().top();
        let height = window
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(1_000.0);
        if (top, height) != viewport.get_untracked() {
            viewport.set((top, height));
        }
        if let Some(row) = list.query_selector("li.step-row").ok().flatten() {
            let h = row.get_bounding_client_rect().height();
            if h > 0.0 && h != row_height.get_untracked() {
                row_height.set(h);
            }
        }
    };
    // Scroll events come faster than frames: measure at most once a frame.
    let frame_pending = StoredValue::new(false);
    let measure_next_frame = move || {
        if !frame_pending.get_value() {
            frame_pending.set_value(true);
            request_animation_frame(move || {
                if frame_pending.try_set_value(false).is_none() {
                    measure();
                }
            });
        }
    };
    let on_scroll = window_event_listener(leptos::ev::scroll, move |_| measure_next_frame());
    let on_resize = window_event_listener(leptos::ev::resize, move |_| measure_next_frame());
    on_cleanup(move || {
        on_scroll.remove();
        on_resize.remove();
    });
    let range = Memo::new(move |_| {
        let (top, height) = viewport.get();
        order.with(|o| visible_range(o.len(), row_height.get(), top, height))
    });
    // The ids of the rows on screen.
    let rows = move || {
        let r = range.get();
        order.with(|o| {
            run.steps().with(|steps| {
                o.get(r)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|&i| steps.get(i).map(Step::key))
                    .collect::<Vec<_>>()
            })
        })
    };
    let pad = move |rows: usize| format!("{}px", rows as f64 * row_height.get());
    let pad_top = move || pad(range.get().start);
    let pad_bottom = move || pad(order.with(Vec::len).saturating_sub(range.get().end));
    // Measure once the list is in the page and whenever its length changes.
    Effect::new(move |_| {
        order.with(Vec::len);
        list_ref.track();
        request_animation_frame(measure);
    });
    // A deep link (`?step=<id>`) scrolls its row into view, once per target.
    let scrolled_to = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let Some(id) = target.get() else { return };
        let position = order.with(|o| {
            run.steps().with_untracked(|steps| {
                o.iter()
                    .position(|&i| steps.get(i).is_some_and(|s| s.step_id == id))
            })
        });
        let Some(index) = position else {
            return;
        };
        if scrolled_to.get_value().as_deref() == Some(id.as_str()) {
            return;
        }
        scrolled_to.set_value(Some(id));
        let (Some(list), Some(window)) = (list_ref.get_untracked(), web_sys::window()) else {
            return;
        };
        let page_top = list.get_bounding_client_rect().top() + window.scroll_y().unwrap_or(0.0);
        let height = window
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(1_000.0);
        let y = scroll_target(index, row_height.get_untracked(), page_top, height);
        window.scroll_to_with_x_and_y(0.0, y);
        measure();
    });

    let count = move || run.steps().with(|s| s.len());
    view! {
        <section class="timeline" aria-labelledby="timeline-heading">
            <div class="timeline__head">
                <h2 id="timeline-heading">"Steps " <span class="timeline__count">{count}</span></h2>
                <label class="timeline__filter">
                    "Show "
                    <select on:change=move |ev| filter.set(StepFilter::parse(&event_target_value(&ev)))>
                        {StepFilter::ALL.map(|f| view! { <option value=f.value()>{f.value()}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            {move || (count() == 0).then(|| view! { <p class="empty">"This run has no steps yet."</p> })}
            <ol
                class="timeline__rows"
                node_ref=list_ref
                style:--axis=move || axis.with(Axis::total).max(1).to_string()
                style:padding-top=pad_top
                style:padding-bottom=pad_bottom
            >
                <For each=rows key=String::clone let:id>
                    <StepRow step=run.steps().at_key(id).into() />
                </For>
            </ol>
        </section>
    }
}

/// One step's row. Every text and attribute is its own reactive node, so a
/// poll that changes the status touches the status nodes only.
#[component]
fn StepRow(step: Field<Step>) -> impl IntoView {
    let TimelineContext { axis, target } = expect_context();
    let clock = Clock::expect();
    let viewer = Viewer::expect();
    let id = step.step_id().get_untracked();
    // Memos, not closures: reading a keyed field looks its path up by key,
    // and these are read on every clock tick and axis change.
    let status = Memo::new(move |_| step.status().get());
    let times = Memo::new(move |_| {
        (
            step.started_at().get().map(Timestamp::ms),
            step.completed_at().get().map(Timestamp::ms),
        )
    });
    let duration = move || match times.get() {
        (Some(s), Some(e)) => format::duration(e - s),
        (Some(s), None) if status.with(|st| *st == Status::Running) => {
            format::duration(clock.now() - s)
        }
        _ => String::new(),
    };
    let bar = Memo::new(move |_| {
        let (start, end) = times.get();
        let now = if end.is_none() && start.is_some() {
            clock.now()
        } else {
            0
        };
        axis.with(|a| a.bar(start, end, now))
    });
    let highlighted = {
        let id = id.clone();
        Memo::new(move |_| target.with(|t| t.as_deref() == Some(id.as_str())))
    };
    let outputs = move || {
        let name = step.name().get_untracked();
        step.outputs()
            .get()
            .into_iter()
            .map(move |output| GalleryItem {
                output,
                step_name: Some(name.clone()),
            })
            .collect::<Vec<_>>()
    };
    let link = format!("?step={}", crate::api::encode_segment(&id));
    view! {
        <li id=format!("step-{id}") class="step-row" class:step-row--highlight=highlighted>
            <StatusBadge status />
            <div class="step-row__main">
                <span class="step-row__name">{move || step.name().get()}</span>
                <code class="step-row__ref">{move || step.reference_id().get()}</code>
                {move || {
                    let n = step.attempt_no().get();
                    (n > 1).then(|| view! { <span class="badge badge--attempt" title="Earlier attempts failed">{format!("attempt {n}")}</span> })
                }}
                {move || {
                    let n = step.predecessors_left().get();
                    (n > 0 && status.with(|s| *s == Status::Queued)).then(|| view! { <span class="step-row__waiting">{format!("waiting on {n}")}</span> })
                }}
            </div>
            <span class="step-row__duration">{duration}</span>
            <div class="step-row__track" aria-hidden="true">
                {move || bar.get().map(|b| view! {
                    <div
                        class=move || format!("step-row__bar step-row__bar--{}", status.with(|s| s.modifier().to_string()))
                        style=format!("--start:{};--len:{}", b.start, b.len)
                    ></div>
                })}
            </div>
            <div class="step-row__outputs">
                <For each=outputs key=|item| item.output.output_id.clone() let:item>
                    {
                        let open_item = item.clone();
                        view! {
                            <button type="button" class="step-row__output" on:click=move |_| viewer.open_one(open_item.clone())
                                aria-label=format!("Open output {}", item.output.output_id)>
                                <OutputPreview item=item.clone() compact=true />
                            </button>
                        }
                    }
                </For>
            </div>
            <a class="step-row__link" href=link aria-label=move || format!("Link to step {}", step.name().get())>"#"</a>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_admit_the_right_statuses() {
        assert!(StepFilter::All.admits(&Status::Unknown("x".into())));
        assert!(StepFilter::Running.admits(&Status::Running));
        assert!(!StepFilter::Running.admits(&Status::Queued));
        assert!(StepFilter::Other.admits(&Status::Skipped));
        assert!(StepFilter::Other.admits(&Status::Unknown("waiting_for_gpu".into())));
        assert!(!StepFilter::Other.admits(&Status::Failed));
        assert_eq!(StepFilter::parse("failed"), StepFilter::Failed);
        assert_eq!(StepFilter::parse("nonsense"), StepFilter::All);
    }
}
