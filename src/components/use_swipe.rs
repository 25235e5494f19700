//! [`use_swipe`]: horizontal swipes on an element, by pointer events.

use crate::model::swipe::{classify, Swipe};
use leptos::ev::PointerEvent;
use leptos::prelude::*;

/// Handlers for an element's `pointerdown` and `pointerup` that call
/// `on_swipe` when a touch or pen made a swipe between them (the rule is
/// [`classify`]). A mouse is left alone: it has buttons and keys for the same
/// thing, and a drag with it selects text. The element should have
/// `touch-action: pan-y` so the browser leaves horizontal moves to the page.
pub fn use_swipe(
    on_swipe: Callback<Swipe>,
) -> (impl Fn(PointerEvent) + Copy, impl Fn(PointerEvent) + Copy) {
    // Where and when the pointer went down: (x, y, timeStamp ms).
    let start = StoredValue::new(None::<(f64, f64, f64)>);
    let down = move |ev: PointerEvent| {
        let touch = ev.is_primary() && ev.pointer_type() != "mouse";
        start.set_value(touch.then(|| {
            (
                f64::from(ev.client_x()),
                f64::from(ev.client_y()),
                ev.time_stamp(),
            )
        }));
    };
    let up = move |ev: PointerEvent| {
        let Some((x, y, t)) = start.try_update_value(Option::take).flatten() else {
            return;
        };
        let dx = f64::from(ev.client_x()) - x;
        let dy = f64::from(ev.client_y()) - y;
        if let Some(swipe) = classify(dx, dy, ev.time_stamp() - t) {
            on_swipe.run(swipe);
        }
    };
    (down, up)
}
