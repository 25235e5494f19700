//! [`AfterPaint`]: content that waits for the first frame to be painted.

use leptos::prelude::*;
use std::time::Duration;

/// Renders `children` once the browser has painted the frame this component
/// was created in (an animation frame, then a task after it), so content
/// below the fold does not delay what is on screen. Nothing is lost: the
/// children arrive one frame later, whole, and stay.
///
/// The run page puts the output gallery here: it sits below the step
/// timeline, which for a 5,000-step run is ~240,000 px tall, and building it
/// was about a fifth of that run's first render (BENCHMARKS.md, P4).
#[component]
pub fn AfterPaint(children: ChildrenFn) -> impl IntoView {
    let painted = RwSignal::new(false);
    request_animation_frame(move || {
        // A task queued from an animation frame runs after that frame's paint.
        set_timeout(move || _ = painted.try_set(true), Duration::ZERO);
    });
    move || painted.get().then(|| children())
}
