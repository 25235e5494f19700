//! runview: watch a blueprint run of the Runs API live.
use leptos::prelude::*;

/// The application root.
#[component]
pub fn App() -> impl IntoView {
    view! { <main>"runview"</main> }
}
