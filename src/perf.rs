//! User Timing marks, visible in DevTools' performance panel and read by the
//! benchmark (`bench/`): when the first run data is painted, and how long
//! each response took to apply.

/// Records a `performance.mark(name)`.
pub fn mark(name: &str) {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark(name);
    }
}

/// Records `name` at the next animation frame: just before the browser
/// paints what the current update rendered.
pub fn mark_before_paint(name: &'static str) {
    leptos::prelude::request_animation_frame(move || mark(name));
}
