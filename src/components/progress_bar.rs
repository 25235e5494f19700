use crate::api::Progress;
use crate::model::progress::Segments;
use leptos::prelude::*;

/// One bar split into succeeded, failed, running and remaining steps, with
/// the counts and percentage in text and `role="progressbar"` for assistive
/// technology. The running segment pulses only when reduced motion is not
/// requested (CSS media query).
#[component]
pub fn ProgressBar(
    /// The run's step counts.
    #[prop(into)]
    progress: Signal<Progress>,
) -> impl IntoView {
    let segments = Memo::new(move |_| progress.with(Segments::from_progress));
    let width = move |pick: fn(&Segments) -> u32| {
        move || segments.with(|s| format!("{:.3}%", s.width(pick(s))))
    };
    view! {
        <section class="progress" aria-labelledby="progress-heading">
            <h2 id="progress-heading" class="visually-hidden">"Progress"</h2>
            <div
                class="progress__bar"
                role="progressbar"
                aria-label="Steps done"
                aria-valuemin="0"
                aria-valuemax=move || segments.with(|s| s.total)
                aria-valuenow=move || segments.with(|s| s.succeeded + s.failed)
                aria-valuetext=move || segments.with(Segments::summary)
            >
                <div class="progress__segment progress__segment--succeeded" style:width=width(|s| s.succeeded)></div>
                <div class="progress__segment progress__segment--failed" style:width=width(|s| s.failed)></div>
                <div class="progress__segment progress__segment--running" style:width=width(|s| s.running)></div>
            </div>
            <p class="progress__text">
                <strong class="progress__percent">{move || format!("{}%", segments.with(Segments::percent_done))}</strong>
                " · "
                {move || segments.with(Segments::summary)}
            </p>
        </section>
    }
}
