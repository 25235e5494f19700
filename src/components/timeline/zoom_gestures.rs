//! Pinch and Ctrl+wheel zoom over the step list (part of the lazily loaded
//! ruler). Both zoom around the fingers' midpoint or the pointer, read
//! across the ruler's track (which lines up with every row's bar), and
//! replace the current history entry.
//!
//! The list is `touch-action: pan-y`: one finger still scrolls the page,
//! two fingers pinch the timeline instead of the page. Ctrl+wheel needs a
//! listener that is not passive (it cancels the browser's page zoom), so the
//! listeners are added here with their options rather than in `view!`.

use super::zoom::Zoom;
use crate::model::zoom::{self, Window};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// How much one pixel of wheel travel zooms (a notch of 100 px: about 1.2x).
const WHEEL_RATE: f64 = 0.002;

/// A pointer listener kept alive while it is registered.
type PointerListener = Closure<dyn Fn(web_sys::PointerEvent)>;

/// Two fingers on the list: where they started and the window then.
#[derive(Clone, Copy)]
struct PinchStart {
    distance: f64,
    window: Window,
}

/// Zooms `zoom` by pinches and Ctrl+wheel over its list; `track` is the
/// ruler's track, for where across the axis a pointer is.
pub fn use_zoom_gestures(zoom: Zoom, track: NodeRef<leptos::html::Div>) {
    let anchor = move |x: f64| {
        track.get_untracked().map_or(0.5, |t| {
            let rect = t.get_bounding_client_rect();
            if rect.width() > 0.0 {
                ((x - rect.left()) / rect.width()).clamp(0.0, 1.0)
            } else {
                0.5
            }
        })
    };
    // Touch pointers down on the list: (id, x).
    let touches = StoredValue::new(Vec::<(i32, f64)>::new());
    let pinch = StoredValue::new(None::<PinchStart>);
    let spread = move || {
        touches.with_value(|t| match t.as_slice() {
            [a, b, ..] => Some(((a.1 - b.1).abs(), (a.1 + b.1) / 2.0)),
            _ => None,
        })
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        if !ev.ctrl_key() {
            return;
        }
        ev.prevent_default();
        let lines = if ev.delta_mode() == web_sys::WheelEvent::DOM_DELTA_LINE {
            16.0
        } else {
            1.0
        };
        let factor = (-ev.delta_y() * lines * WHEEL_RATE).exp();
        zoom.zoom_by(factor, anchor(f64::from(ev.client_x())), true);
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        if ev.pointer_type() != "touch" {
            return;
        }
        touches.update_value(|t| t.push((ev.pointer_id(), f64::from(ev.client_x()))));
        if let Some((distance, _)) = spread() {
            pinch.set_value(Some(PinchStart {
                distance,
                window: zoom.window.get_untracked(),
            }));
        }
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let id = ev.pointer_id();
        touches.update_value(|t| {
            if let Some(p) = t.iter_mut().find(|p| p.0 == id) {
                p.1 = f64::from(ev.client_x());
            }
        });
        let (Some(start), Some((distance, mid))) = (pinch.get_value(), spread()) else {
            return;
        };
        let next = zoom.scale.with_untracked(|s| {
            zoom::pinch(s, start.window, start.distance, distance, anchor(mid))
        });
        zoom.show_continuous(next);
    };
    let on_up = move |ev: web_sys::PointerEvent| {
        let id = ev.pointer_id();
        touches.update_value(|t| t.retain(|p| p.0 != id));
        if spread().is_none() {
            pinch.set_value(None);
        }
    };
    Effect::new(move |_| {
        let Some(list) = zoom.list.get() else {
            return;
        };
        let target: web_sys::EventTarget = list.into();
        let wheel = Closure::<dyn Fn(web_sys::WheelEvent)>::new(on_wheel);
        let options = web_sys::AddEventListenerOptions::new();
        options.set_passive(false);
        let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
            "wheel",
            wheel.as_ref().unchecked_ref(),
            &options,
        );
        let pointer: Vec<(&str, PointerListener)> = vec![
            ("pointerdown", Closure::new(on_down)),
            ("pointermove", Closure::new(on_move)),
            ("pointerup", Closure::new(on_up)),
            ("pointercancel", Closure::new(on_up)),
        ];
        for (name, f) in &pointer {
            let _ = target.add_event_listener_with_callback(name, f.as_ref().unchecked_ref());
        }
        let held = SendWrapper::new((target, wheel, pointer));
        on_cleanup(move || {
            let (target, wheel, pointer) = held.take();
            let _ =
                target.remove_event_listener_with_callback("wheel", wheel.as_ref().unchecked_ref());
            for (name, f) in &pointer {
                let _ =
                    target.remove_event_listener_with_callback(name, f.as_ref().unchecked_ref());
            }
        });
    });
}
