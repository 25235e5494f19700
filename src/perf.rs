//! User Timing marks, visible in DevTools' performance panel and read by the
//! benchmark (`bench/`): when the first run data is painted, and how long
//! each response took to decode and patch (`runview:apply`).

/// Records a `performance.mark(name)`.
pub fn mark(name: &str) {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark(name);
    }
}

/// Replaces the mark `name` with a new one (one entry, however often called).
pub fn remark(name: &str) {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        perf.clear_marks_with_mark_name(name);
        let _ = perf.mark(name);
    }
}

/// Records `name` at the next animation frame: just before the browser
/// paints what the current update rendered.
pub fn mark_before_paint(name: &'static str) {
    leptos::prelude::request_animation_frame(move || mark(name));
}

/// Like [`mark_before_paint`], keeping one entry (the latest).
pub fn remark_before_paint(name: &'static str) {
    leptos::prelude::request_animation_frame(move || remark(name));
}

/// Records `performance.measure(name, start_mark)`, keeping only the latest
/// one (and dropping the start mark) so hours of polling do not fill the
/// timeline: DevTools shows it, and the benchmark reads each poll's
/// decode-and-patch time from it.
pub fn measure(name: &str, start_mark: &str) {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        perf.clear_measures_with_measure_name(name);
        let _ = perf.measure_with_start_mark(name, start_mark);
        perf.clear_marks_with_mark_name(start_mark);
    }
}
