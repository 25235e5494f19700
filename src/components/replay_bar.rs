//! The replay chunk: the scrubber, playback, and keeping the replay store
//! equal to the run as it was at the chosen moment (fetched the first time
//! replay opens; see [`crate::state::replay`] for what the main chunk keeps).
//!
//! Costs: a poll re-indexes the run ([`Replay::new`]) and patches the
//! replay store where the derived run differs. A scrubber move or a
//! playback frame derives only the steps that changed between the two
//! moments ([`Replay::moved`]) and recounts the progress from them
//! ([`Replay::progress_moved`]), then writes them to the store at once
//! ([`run_store::replace_steps`]): the step list's readers hear of a frame
//! once, and only the rows on screen re-read their step. At 60× on 5,000
//! steps a frame changes a hundred steps; a jump back to the start, all.

use crate::api::decode::Steps;
use crate::api::RunStoreFields;
use crate::model::format;
use crate::model::replay::{scrub_step, span, Replay, SPEEDS};
use crate::model::shortcuts::Action;
use crate::state::clock::Clock;
use crate::state::page_actions::PageActions;
use crate::state::replay::ReplayState;
use crate::state::run_store;
use leptos::prelude::*;
use leptos_use_raf_fn::{use_raf_fn_with_options, UseRafFnOptions};

/// The run's span as `(start, end)` Unix ms, following the live run and,
/// while it goes on, the clock.
fn use_span(state: ReplayState) -> Signal<Option<(i64, i64)>> {
    let live = state.live;
    let clock = Clock::expect();
    // The run's own times and its steps' (per poll); the clock only moves the end.
    let base = Memo::new(move |_| {
        live.steps().track();
        live.status().track();
        live.started_at().track();
        live.completed_at().track();
        live.with_untracked(|r| span(r, i64::MIN).map(|s| (s, r.status.is_terminal())))
    });
    Signal::derive(move || {
        base.get()
            .map(|((start, end), ended)| (start, if ended { end } else { end.max(clock.now()) }))
    })
}

/// Keeps `state.shown` equal to the live run as it was at `state.at`:
/// whole on opening and per poll, by difference per move. Returns the
/// index of the run's changes (for stepping from change to change).
fn use_replay_sync(state: ReplayState, span: Signal<Option<(i64, i64)>>) -> Memo<Option<Replay>> {
    let live = state.live;
    let index = Memo::new(move |_| {
        if !state.is_open() {
            return None;
        }
        live.steps().track();
        live.final_outputs().track();
        live.status().track();
        live.started_at().track();
        live.completed_at().track();
        Some(live.with_untracked(Replay::new))
    });
    // The instant the replay store shows now.
    let shown_at = StoredValue::new(None::<i64>);
    // Opening, or a poll: the whole derived run, patched where it differs.
    Effect::new(move |_| {
        index.with(|ix| {
            let (Some(ix), Some((start, end))) = (ix, span.get_untracked()) else {
                shown_at.set_value(None);
                return;
            };
            let t = start + state.at.get_untracked().unwrap_or(0).min(end - start);
            let mut then = live.with_untracked(|r| ix.run_at(r, t));
            if state.ready.get_untracked() {
                let steps = Steps::Replace(std::mem::take(&mut then.steps));
                run_store::apply(state.shown, then, steps);
            } else {
                run_store::load(state.shown, then);
                state.ready.set(true);
                // For the benchmark (P10): the frame that paints the replayed run.
                crate::perf::remark_before_paint("runview:replay-shown");
            }
            state.instant.set(t);
            shown_at.set_value(Some(t));
        });
    });
    // A move: only the steps that changed between the two moments.
    Effect::new(move |_| {
        let (Some(at), Some((start, end))) = (state.at.get(), span.get_untracked()) else {
            return;
        };
        if at > end - start {
            // A link past the end (or a run that got shorter): the end.
            state.seek(end - start, true);
            return;
        }
        let t = start + at;
        let Some(from) = shown_at.get_value().filter(|&from| from != t) else {
            return;
        };
        index.with_untracked(|ix| {
            let Some(ix) = ix else { return };
            if ix.head_changed(from, t) {
                let shown = state.shown;
                let changed = ix.changed(from, t);
                let (head, steps) = live.with_untracked(|r| {
                    let progress = shown
                        .progress()
                        .with_untracked(|p| ix.progress_moved(r, p, from, t, &changed));
                    let steps = shown
                        .steps()
                        .with_untracked(|cur| ix.moved(r, cur, t, &changed));
                    (ix.head_with(r, t, progress), steps)
                });
                // The run's own fields (a few), then every changed step in one write.
                run_store::apply(shown, head, Steps::Patch(Vec::new()));
                run_store::replace_steps(shown, steps);
            }
        });
        state.instant.set(t);
        shown_at.set_value(Some(t));
    });
    index
}

/// Playback: once per animation frame while playing, the moment moves on by
/// the frame's time × the speed; it stops at the end. Pausing writes the
/// moment to the URL (never per frame).
fn use_playback(state: ReplayState, length: Signal<i64>) {
    // Sub-millisecond remainders, so 1× keeps real time.
    let carry = StoredValue::new(0.0f64);
    let raf = use_raf_fn_with_options(
        move |frame| {
            let Some(at) = state.at.get_untracked() else {
                return;
            };
            let step = frame.delta * f64::from(state.speed.get_untracked()) + carry.get_value();
            carry.set_value(step.fract());
            let next = at.saturating_add(step.trunc() as i64);
            let len = length.get_untracked();
            if next >= len {
                state.at.set(Some(len));
                state.playing.set(false);
            } else {
                state.at.set(Some(next));
            }
        },
        UseRafFnOptions::default().immediate(false),
    );
    let (pause, resume) = (raf.pause, raf.resume);
    Effect::new(move |was: Option<bool>| {
        let playing = state.playing.get();
        if playing {
            resume();
        } else {
            pause();
            if was == Some(true) {
                state.commit();
            }
        }
        playing
    });
}

/// The replay panel: a scrubber over the run's span, step back/forward to
/// the previous/next change, play/pause at 1×–60×, "Live", and what replay
/// cannot know. Shown while replay is open; reads [`ReplayState`] from
/// context. Registers [`Action::ReplayBack`] and [`Action::ReplayForward`]
/// (`,` and `.`).
#[component]
pub fn ReplayBar() -> impl IntoView {
    let state = ReplayState::expect();
    let span = use_span(state);
    let length = Signal::derive(move || span.get().map_or(0, |(s, e)| e - s));
    let index = use_replay_sync(state, span);
    use_playback(state, length);

    let jump = move |forward: bool| {
        let (Some(at), Some((start, _))) = (state.at.get_untracked(), span.get_untracked()) else {
            return;
        };
        let t = start + at;
        let target = index.with_untracked(|ix| {
            ix.as_ref()
                .and_then(|ix| if forward { ix.next(t) } else { ix.previous(t) })
        });
        let len = length.get_untracked();
        let to = target.map_or(if forward { len } else { 0 }, |x| x - start);
        state.playing.set(false);
        state.seek(to.clamp(0, len), true);
    };
    if let Some(actions) = PageActions::try_expect() {
        for (action, forward) in [(Action::ReplayBack, false), (Action::ReplayForward, true)] {
            actions.register(
                action,
                Callback::new(move |_| {
                    if state.at.get_untracked().is_some() {
                        jump(forward)
                    }
                }),
            );
        }
    }
    let open = move || state.is_open();
    view! {
        <Show when=open>
            <section class="replay" aria-labelledby="replay-heading">
                <div class="replay__head">
                    <h2 id="replay-heading">"Replay"</h2>
                    <ReplayTime state span />
                </div>
                <Scrubber state length />
                <div class="replay__controls">
                    <button type="button" class="button replay__button" aria-keyshortcuts=","
                        on:click=move |_| jump(false)>"◀ Previous change"</button>
                    <PlayButton state length />
                    <button type="button" class="button replay__button" aria-keyshortcuts="."
                        on:click=move |_| jump(true)>"Next change ▶"</button>
                    <SpeedSelect speed=state.speed />
                    <button type="button" class="button button--primary replay__button replay__live"
                        on:click=move |_| state.close()>"Live"</button>
                </div>
                <p class="replay__note">
                    "Replay is reconstructed from the steps' start and end times: each step shows as queued before it started, running until it completed, then as it is now. "
                    "Outputs appear when their step completed (their exact times are not known); earlier attempts of a retried step, and how long a step waited, are not known."
                </p>
            </section>
        </Show>
    }
}

/// The moment shown: time since the start, and the instant.
#[component]
fn ReplayTime(
    /// Replay's state.
    state: ReplayState,
    /// The run's span (Unix ms).
    span: Signal<Option<(i64, i64)>>,
) -> impl IntoView {
    let text = move || {
        let at = state.at.get().unwrap_or(0);
        let (start, end) = span.get().unwrap_or((0, 0));
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64((start + at) as f64));
        format!(
            "{} of {} · {}",
            format::duration(at),
            format::duration(end - start),
            format::local_time(start + at, date.get_timezone_offset() as i64)
        )
    };
    view! { <p class="replay__time">{text}</p> }
}

/// The range input over the span: moving it shows that moment, letting go
/// writes it to the URL.
#[component]
fn Scrubber(
    /// Replay's state.
    state: ReplayState,
    /// The span's length, ms.
    length: Signal<i64>,
) -> impl IntoView {
    let value = move |ev: &leptos::ev::Event| event_target_value(ev).parse::<f64>().ok();
    let valuetext = move || {
        format!(
            "{} after the start, of {}",
            format::duration(state.at.get().unwrap_or(0)),
            format::duration(length.get())
        )
    };
    view! {
        <input class="replay__range" type="range" min="0"
            max=move || length.get().to_string()
            step=move || scrub_step(length.get()).to_string()
            prop:value=move || state.at.get().unwrap_or(0).to_string()
            aria-label="Moment of the run" aria-valuetext=valuetext
            on:input=move |ev| {
                if let Some(v) = value(&ev) {
                    state.playing.set(false);
                    state.seek(v as i64, false);
                }
            }
            on:change=move |_| state.commit()
        />
    }
}

/// Play / Pause (from the start when at the end).
#[component]
fn PlayButton(
    /// Replay's state.
    state: ReplayState,
    /// The span's length, ms.
    length: Signal<i64>,
) -> impl IntoView {
    let toggle = move |_| {
        if state.playing.get_untracked() {
            state.playing.set(false);
        } else {
            if state.at.get_untracked() >= Some(length.get_untracked()) {
                state.seek(0, false);
            }
            state.playing.set(true);
        }
    };
    view! {
        <button type="button" class="button replay__button replay__play"
            aria-pressed=move || state.playing.get().to_string() on:click=toggle>
            {move || if state.playing.get() { "Pause" } else { "Play" }}
        </button>
    }
}

/// The playback speed.
#[component]
fn SpeedSelect(
    /// Speed, × real time.
    speed: RwSignal<u32>,
) -> impl IntoView {
    view! {
        <label class="replay__speed">
            "Speed "
            <select class="replay__select"
                on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse() {
                        speed.set(v)
                    }
                }>
                {SPEEDS.into_iter().map(|s| view! {
                    <option value=s.to_string() selected=move || speed.get() == s>{format!("{s}×")}</option>
                }).collect_view()}
            </select>
        </label>
    }
}
