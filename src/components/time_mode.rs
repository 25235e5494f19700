//! The controls for how times are shown: the run header's compact button
//! and the settings panel's radio buttons. Both change the one remembered
//! [`TimeDisplay`].

use crate::model::time_display::TimeMode;
use crate::state::time_display::TimeDisplay;
use leptos::prelude::*;

/// A small button that cycles the time display (relative → local → UTC);
/// its text says the mode in effect ("Times: local"). Renders nothing where
/// the app provides no [`TimeDisplay`].
#[component]
pub fn TimeModeButton() -> impl IntoView {
    TimeDisplay::try_expect().map(|display| {
        let next = move || display.mode().next().label();
        view! {
            <button
                type="button"
                class="button button--small time-mode"
                title=move || format!("Show times as {} instead", next())
                on:click=move |_| display.set(display.mode().next())
            >
                "Times: " {move || display.mode().label()}
            </button>
        }
    })
}

/// The settings panel's choice of time display: one radio button per
/// [`TimeMode`], applied at once (no need to save).
#[component]
pub fn TimeModeRadios() -> impl IntoView {
    TimeDisplay::try_expect().map(|display| {
        view! {
            <fieldset class="field time-modes">
                <legend>"Show times as"</legend>
                {TimeMode::ALL
                    .map(|m| {
                        view! {
                            <label class="time-modes__option">
                                <input
                                    type="radio"
                                    name="time-display"
                                    value=m.value()
                                    prop:checked=move || display.mode() == m
                                    on:change=move |_| display.set(m)
                                />
                                {match m {
                                    TimeMode::Relative => "Relative (3 min ago)",
                                    TimeMode::Local => "Local time",
                                    TimeMode::Utc => "UTC",
                                }}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
    })
}
