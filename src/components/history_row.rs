use crate::api::history::HistoryItem;
use crate::components::{StatusBadge, TimeText};
use crate::model::{format, url::safe_url};
use crate::state::clock::Clock;
use leptos::prelude::*;

/// One run of a blueprint's history: thumbnail, run id (a link to the run),
/// status, start time, duration (ticking while live), progress where known,
/// and a checkbox to pick it for comparison.
#[component]
pub fn HistoryRow(
    /// The run as the history lists it.
    item: HistoryItem,
    /// Whether the run is picked for comparison.
    #[prop(into)]
    selected: Signal<bool>,
    /// Called with the run id when the checkbox is toggled.
    on_toggle: Callback<String>,
) -> impl IntoView {
    let clock = Clock::expect();
    let href = crate::routes::run(&item.run_id);
    let started = item.sort_time().map(|t| t.ms());
    let completed = item.completed_at.map(|t| t.ms());
    let live = !item.status.is_terminal();
    let duration = move || match (started, completed) {
        (Some(s), Some(e)) => format::duration(e - s),
        (Some(s), None) if live => format::duration(clock.now() - s),
        _ => "—".to_string(),
    };
    let progress = item
        .progress
        .clone()
        .filter(|p| p.total_steps > 0)
        .map(|p| {
            let done = p.completed_steps + p.failed_steps;
            (
                format!("{done}/{} steps", p.total_steps),
                f64::from(done) / f64::from(p.total_steps),
            )
        });
    let thumb = item
        .thumbnail_url
        .as_deref()
        .and_then(safe_url)
        .map(str::to_string);
    let id = item.run_id.clone();
    let checkbox_id = format!("pick-{}", item.run_id);
    view! {
        <li class="history-row" class:history-row--picked=move || selected.get()>
            <input type="checkbox" class="history-row__pick" id=checkbox_id.clone()
                prop:checked=move || selected.get()
                on:change=move |_| on_toggle.run(id.clone()) />
            <label class="visually-hidden" for=checkbox_id>{format!("Pick {} to compare", item.run_id)}</label>
            <span class="history-row__thumb">
                {thumb.map(|src| view! {
                    <img src=src alt="" width="96" height="54" loading="lazy" decoding="async" referrerpolicy="no-referrer" />
                })}
            </span>
            <a class="history-row__id" href=href><code>{item.run_id.clone()}</code></a>
            <StatusBadge status=Signal::stored(item.status.clone()) />
            <span class="history-row__started"><span class="visually-hidden">"Started "</span><TimeText at=Signal::stored(started) /></span>
            <span class="history-row__duration"><span class="visually-hidden">"Duration "</span>{duration}</span>
            <span class="history-row__progress">
                {progress.map(|(text, fraction)| view! {
                    <span class="history-row__meter" aria-hidden="true">
                        <span class="history-row__fill" style:--fill=format!("{:.3}", fraction)></span>
                    </span>
                    <span>{text}</span>
                })}
            </span>
        </li>
    }
}
