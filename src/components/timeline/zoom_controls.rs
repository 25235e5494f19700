//! The timeline's zoom controls and time ruler, lazily loaded:
//! [`ZoomControls`] (the buttons, the squeeze switch and the range shown)
//! and [`ZoomRuler`] (tick labels, squeezed-gap breaks, and pinch /
//! Ctrl+wheel over the rows). Their code is the `zoom_buttons` / `zoom_axis`
//! chunks of [`crate::components::lazy`], mounted by the first load's
//! [`super::zoom_slots`]; the keys (`+`, `-`, `0`) work before it arrives.

use super::zoom::Zoom;
use super::zoom_gestures::use_zoom_gestures;
use crate::model::format;
use crate::model::zoom::{tick_budget, tick_label, ticks, Gaps, Window, MIN_VIEW_MS};
use leptos::prelude::*;
use leptos_use_resize_observer::use_resize_observer;

/// The label of the window shown: `0:30–1:10 of 2:00` (tenths of seconds
/// for a window under 10 s: `1.2s–1.5s of 0:09`).
fn range_text(start: i64, end: i64, total: i64, len: i64) -> String {
    let step = if len < 10_000 { 100 } else { 1_000 };
    format!(
        "{}–{} of {}",
        tick_label(start, step),
        tick_label(end, step),
        tick_label(total, 1_000)
    )
}

/// Zoom out, in, fit all, earlier, later; "Squeeze idle gaps"; and which
/// part of the run is shown. Reads the [`Zoom`] from context.
#[component]
pub fn ZoomControls() -> impl IntoView {
    let zoom = Zoom::expect();
    let window = zoom.window;
    let total = Memo::new(move |_| zoom.scale.with(|s| s.total()));
    // The whole run on screen (also when a linked window was clamped to it).
    let fit = Memo::new(move |_| window.with(|w| w.from == 0 && w.len >= total.get()));
    let deepest = move || window.with(|w| w.len <= MIN_VIEW_MS.min(total.get()));
    let at_start = move || window.with(|w| w.from <= 0);
    let at_end = move || window.with(|w: &Window| w.from + w.len >= total.get());
    let squeezed = move || zoom.gaps.get() == Gaps::Squeeze;
    let range = move || {
        let w = window.get();
        zoom.scale
            .with(|s| range_text(s.time(w.from), s.time(w.from + w.len), s.end(), w.len))
    };
    let gaps_note = move || {
        let n = zoom.scale.with(|s| s.gaps().len());
        squeezed().then(|| match n {
            0 => " · no idle gap".to_string(),
            1 => " · 1 idle gap squeezed".to_string(),
            n => format!(" · {n} idle gaps squeezed"),
        })
    };
    let button = "button zoom__button";
    view! {
        <button type="button" class=button title="Zoom out (-)" aria-label="Zoom out"
            disabled=move || fit.get() on:click=move |_| zoom.zoom_out()>"−"</button>
        <button type="button" class=button title="Zoom in (+)" aria-label="Zoom in"
            disabled=deepest on:click=move |_| zoom.zoom_in()>"+"</button>
        <button type="button" class=button title="Fit the whole run (0)"
            disabled=move || fit.get() on:click=move |_| zoom.fit()>"Fit all"</button>
        <button type="button" class=button aria-label="Show earlier" title="Show earlier"
            disabled=move || fit.get() || at_start() on:click=move |_| zoom.pan(-0.5)>"◀"</button>
        <button type="button" class=button aria-label="Show later" title="Show later"
            disabled=move || fit.get() || at_end() on:click=move |_| zoom.pan(0.5)>"▶"</button>
        <label class="zoom__squeeze">
            <input type="checkbox" prop:checked=squeezed on:change=move |ev| {
                let on = event_target_checked(&ev);
                zoom.set_gaps(if on { Gaps::Squeeze } else { Gaps::Real });
            } />
            "Squeeze idle gaps"
        </label>
        <span class="zoom__range">{range}{gaps_note}</span>
    }
}

/// The ruler over the rows' bars: round instants from the run start, as
/// many as its width has room for (a label near the right edge ends at its
/// tick), and a break where an idle gap is squeezed (its real length in
/// its title).
/// Also makes a pinch and Ctrl+wheel over the rows zoom around the fingers
/// or the pointer.
#[component]
pub fn ZoomRuler() -> impl IntoView {
    let zoom = Zoom::expect();
    let track = NodeRef::<leptos::html::Div>::new();
    use_zoom_gestures(zoom, track);
    // The track's width: how many tick labels it has room for.
    let (width, set_width) = signal(0.0);
    use_resize_observer(track, move |entries, _| {
        if let Some(e) = entries.first() {
            set_width.set(e.content_rect().width());
        }
    });
    let labels = Memo::new(move |_| {
        let px = width.get();
        zoom.scale
            .with(|s| ticks(s, zoom.window.get(), tick_budget(px), px))
    });
    let marks = Memo::new(move |_| zoom.scale.with(|s| s.marks(zoom.window.get())));
    let pct = |f: f64| format!("{:.3}%", f * 100.0);
    view! {
        <div class="ruler" node_ref=track>
            {move || labels.get().into_iter().map(|t| view! {
                <span class="ruler__tick" class:ruler__tick--end=t.end style:left=pct(t.at)>
                    {t.label}
                </span>
            }).collect_view()}
            {move || marks.get().into_iter().map(|m| view! {
                <span class="ruler__break" style:left=pct(m.at) style:width=pct(m.until - m.at)
                    title=format!("Idle {}", format::duration(m.idle_ms))></span>
            }).collect_view()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::range_text;

    #[test]
    fn the_range_reads_as_times_from_the_start() {
        assert_eq!(
            range_text(30_000, 70_000, 120_000, 40_000),
            "0:30–1:10 of 2:00"
        );
        assert_eq!(range_text(1_200, 1_500, 9_000, 300), "1.2s–1.5s of 0:09");
    }
}
