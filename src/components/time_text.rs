use crate::model::format;
use crate::state::clock::Clock;
use leptos::either::Either;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// An instant in the person's local time (`2026-03-20 13:00:01`) with "3 min ago" beside it; the
/// exact ISO time shows on hover. Renders "—" when absent.
#[component]
pub fn TimeText(
    /// Unix ms, or `None`.
    #[prop(into)]
    at: Signal<Option<i64>>,
) -> impl IntoView {
    let clock = Clock::expect();
    move || match at.get() {
        Some(ms) => {
            let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
            let local = format::local_time(ms, date.get_timezone_offset() as i64);
            let iso: String = date.to_iso_string().into();
            Either::Left(view! {
                <time datetime=iso.clone() title=iso>
                    {local}
                    <span class="time__relative">
                        " (" {move || format::relative(ms, clock.now())} ")"
                    </span>
                </time>
            })
        }
        None => Either::Right(view! { <span class="time--none">"—"</span> }),
    }
}
