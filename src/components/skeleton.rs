use leptos::prelude::*;

/// The run page's shape in grey while the first response is on its way, with
/// the loaded page's geometry (the header box and its five facts, the live
/// line, the progress bar and its text, rows), so nothing jumps when the data
/// arrives.
#[component]
pub fn RunSkeleton() -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true" aria-label="Loading run">
            <div class="skeleton__header">
                <div class="skeleton__line skeleton__line--title"></div>
                <div class="skeleton__facts">
                    {(0..5).map(|_| view! { <div class="skeleton__fact"></div> }).collect_view()}
                </div>
            </div>
            <div class="skeleton__line"></div>
            <div class="skeleton__bar"></div>
            <div class="skeleton__line"></div>
            {(0..5).map(|_| view! { <div class="skeleton__row"></div> }).collect_view()}
        </div>
    }
}
