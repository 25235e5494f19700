use crate::api::Status;
use leptos::prelude::*;

/// A status as an icon and a word, coloured by status; unknown values read
/// "unknown: <value>".
#[component]
pub fn StatusBadge(
    /// The status to show.
    #[prop(into)]
    status: Signal<Status>,
) -> impl IntoView {
    view! {
        <span class=move || format!("status status--{}", status.with(|s| s.modifier().to_string()))>
            <span class="status__icon" aria-hidden="true">{move || status.with(Status::icon)}</span>
            <span class="status__label">{move || status.with(Status::label)}</span>
        </span>
    }
}
