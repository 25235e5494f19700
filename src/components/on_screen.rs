//! Whether an element is near the screen now, kept up to date as the page
//! scrolls ([`use_on_screen`]): for views that can skip work while nobody
//! can see them (the output gallery during replay).
//!
//! Unlike [`use_near_view`](super::near_view::use_near_view) (a latch: once
//! near, loaded for good), this goes back to `false` when the element
//! leaves; each call has its own `IntersectionObserver`, for the few large
//! views that ask.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// Whether the element behind `target` is within `margin` (CSS, e.g.
/// `"1000px"`) of the screen: `initial` until the browser first reports
/// (right after the element's first paint), and `true` where it has no
/// `IntersectionObserver`. The observer is disconnected with the calling
/// owner.
pub fn use_on_screen<E>(target: NodeRef<E>, margin: &'static str, initial: bool) -> Signal<bool>
where
    E: leptos::html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    let on = RwSignal::new(initial);
    Effect::new(move |_| {
        let Some(el) = target.get() else { return };
        let report = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            // Of several reports at once, the latest is the state now.
            let last = entries
                .iter()
                .filter_map(|e| e.dyn_into::<IntersectionObserverEntry>().ok())
                .next_back();
            if let Some(entry) = last {
                let near = entry.is_intersecting();
                if on.try_get_untracked() != Some(near) {
                    let _ = on.try_set(near);
                }
            }
        });
        let init = IntersectionObserverInit::new();
        init.set_root_margin(margin);
        let Ok(observer) =
            IntersectionObserver::new_with_options(report.as_ref().unchecked_ref(), &init)
        else {
            on.set(true);
            return;
        };
        observer.observe(el.unchecked_ref());
        let held = SendWrapper::new((observer, report));
        on_cleanup(move || held.take().0.disconnect());
    });
    on.into()
}
