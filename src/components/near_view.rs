//! Media economy in the browser: whether an element has come near the
//! screen ([`use_near_view`], one shared `IntersectionObserver` for every
//! element that asks), and whether the person asked to save data
//! ([`save_data`]).
//!
//! Native `loading="lazy"` alone is not enough for a batch of hundreds of
//! images: Chromium starts lazy images 1,250–2,500 px before they scroll
//! into view, which on a phone is three or four screens of thumbnails. An
//! element watched here counts as near within [`NEAR_MARGIN`] of the
//! viewport (and of any scrolling box around it, such as a filmstrip row).

use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// How far outside the screen (or a scrolling box) an element counts as
/// near: less than half a phone screen, so what is requested at load is
/// about one screen of media.
pub const NEAR_MARGIN: &str = "200px";

/// The shared observer and the elements it still waits for.
struct Watcher {
    observer: IntersectionObserver,
    waiting: HashMap<u32, (Element, RwSignal<bool>)>,
    /// Each watched element's id in `waiting` (a JS `Map`: keyed by the
    /// element itself, so nothing is written into the DOM).
    ids: js_sys::Map,
    next_id: u32,
    /// Kept alive as long as the observer.
    _on_change: Closure<dyn FnMut(js_sys::Array)>,
}

thread_local! {
    static WATCHER: RefCell<Option<Watcher>> = const { RefCell::new(None) };
}

/// Creates the shared observer, or `None` where the browser has none.
fn new_watcher() -> Option<Watcher> {
    let on_change = Closure::<dyn FnMut(js_sys::Array)>::new(|entries: js_sys::Array| {
        let seen: Vec<Element> = entries
            .iter()
            .filter_map(|e| e.dyn_into::<IntersectionObserverEntry>().ok())
            .filter(IntersectionObserverEntry::is_intersecting)
            .map(|e| e.target())
            .collect();
        // Signals are set after the borrow ends: setting one may run
        // effects that watch or unwatch other elements.
        let mut near = Vec::new();
        WATCHER.with_borrow_mut(|w| {
            if let Some(w) = w {
                for el in seen {
                    if let Some((_, signal)) = w.forget(&el) {
                        near.push(signal);
                    }
                }
            }
        });
        for signal in near {
            let _ = signal.try_set(true);
        }
    });
    let init = IntersectionObserverInit::new();
    init.set_root_margin(NEAR_MARGIN);
    // The same margin inside scrolling boxes (a filmstrip row), where the
    // browser supports it; elsewhere a scrolled-out tile loads on arrival.
    let _ = js_sys::Reflect::set(&init, &"scrollMargin".into(), &NEAR_MARGIN.into());
    let observer =
        IntersectionObserver::new_with_options(on_change.as_ref().unchecked_ref(), &init).ok()?;
    Some(Watcher {
        observer,
        waiting: HashMap::new(),
        ids: js_sys::Map::new(),
        next_id: 0,
        _on_change: on_change,
    })
}

impl Watcher {
    /// Stops watching `el`: its entry, if it was still waiting.
    fn forget(&mut self, el: &Element) -> Option<(Element, RwSignal<bool>)> {
        let id = self.ids.get(el).as_f64()? as u32;
        self.ids.delete(el);
        self.observer.unobserve(el);
        self.waiting.remove(&id)
    }
}

/// Starts watching `el`; `None` where the browser cannot observe.
fn watch(el: Element, near: RwSignal<bool>) -> Option<u32> {
    WATCHER.with_borrow_mut(|w| {
        if w.is_none() {
            *w = new_watcher();
        }
        let w = w.as_mut()?;
        let id = w.next_id;
        w.next_id = w.next_id.wrapping_add(1);
        w.ids.set(&el, &id.into());
        w.observer.observe(&el);
        w.waiting.insert(id, (el, near));
        Some(id)
    })
}

/// Stops watching the element registered as `id` (if it was not seen yet).
fn unwatch(id: u32) {
    WATCHER.with_borrow_mut(|w| {
        if let Some(w) = w {
            if let Some(el) = w.waiting.get(&id).map(|(el, _)| el.clone()) {
                w.forget(&el);
            }
        }
    });
}

/// Whether the element behind `target` has come within [`NEAR_MARGIN`] of
/// the screen. It stays `true` once it has (what was loaded stays loaded),
/// and is `true` at once where the browser has no `IntersectionObserver`.
pub fn use_near_view<E>(target: NodeRef<E>) -> Signal<bool>
where
    E: leptos::html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    let near = RwSignal::new(false);
    Effect::new(move |_| {
        let Some(el) = target.get() else { return };
        if near.get_untracked() {
            return;
        }
        match watch(el.unchecked_into(), near) {
            Some(id) => on_cleanup(move || unwatch(id)),
            None => near.set(true),
        }
    });
    near.into()
}

/// Whether the person asked to save data (`navigator.connection.saveData`,
/// which browsers set when they send `Save-Data: on`), read as each player
/// is made: with it, no video loads data until it is played.
pub fn save_data() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    js_sys::Reflect::get(&window.navigator(), &"connection".into())
        .ok()
        .filter(|c| c.is_object())
        .and_then(|c| js_sys::Reflect::get(&c, &"saveData".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
