//! The places of the timeline's zoom controls and time ruler, in the first
//! load: each is a box of fixed height (so nothing shifts when its content
//! arrives) that mounts its lazily loaded view after the first paint
//! ([`super::zoom_controls`]: the `zoom_buttons` / `zoom_axis` chunks).

use crate::components::lazy::{zoom_controls, zoom_ruler};
use crate::components::{AfterPaint, LazyView};
use leptos::prelude::*;

/// The zoom controls' place under the timeline's heading; the controls
/// themselves ([`ZoomControls`](super::zoom_controls::ZoomControls)) load after the first paint.
#[component]
pub fn ZoomBar() -> impl IntoView {
    view! {
        <div class="zoom" role="group" aria-label="Timeline zoom">
            <AfterPaint>
                <LazyView load=zoom_controls loading="" class="zoom__loading" />
            </AfterPaint>
        </div>
    }
}

/// The time ruler's place above the rows, its track aligned with the rows'
/// bars; the ruler ([`ZoomRuler`](super::zoom_controls::ZoomRuler)) loads after the first paint.
#[component]
pub fn ZoomRulerSlot() -> impl IntoView {
    view! {
        <div class="step-ruler" aria-hidden="true">
            <div class="step-ruler__track">
                <AfterPaint>
                    <LazyView load=zoom_ruler loading="" class="zoom__loading" />
                </AfterPaint>
            </div>
        </div>
    }
}
