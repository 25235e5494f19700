use crate::model::format;
use crate::model::time_display::{show, TimeMode};
use crate::state::clock::Clock;
use crate::state::time_display::TimeDisplay;
use leptos::either::Either;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// An instant as the person chose to see times ([`TimeMode`]: relative,
/// local or UTC; see [`crate::model::time_display`]), the other forms on
/// hover. Renders "—" when absent.
#[component]
pub fn TimeText(
    /// Unix ms, or `None`.
    #[prop(into)]
    at: Signal<Option<i64>>,
) -> impl IntoView {
    let clock = Clock::expect();
    let mode = TimeDisplay::mode_here();
    move || match at.get() {
        Some(ms) => {
            let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
            let offset = date.get_timezone_offset() as i64;
            let iso: String = date.to_iso_string().into();
            // Re-rendered only when the mode changes; only the relative
            // part (the text, or what is beside it) ticks with the clock.
            let m = mode.get();
            let relative = move || format::relative(ms, clock.now());
            let fixed = show(m, ms, 0, offset);
            Either::Left(view! {
                <time datetime=iso title=fixed.title>
                    {if m == TimeMode::Relative { Either::Left(relative) } else { Either::Right(fixed.text) }}
                    {fixed.beside.is_some().then(|| view! {
                        <span class="time__relative">" (" {relative} ")"</span>
                    })}
                </time>
            })
        }
        None => Either::Right(view! { <span class="time--none">"—"</span> }),
    }
}
