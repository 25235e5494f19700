//! [`TopbarMenu`]: the top bar's Shortcuts and Settings buttons.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The top bar's "Shortcuts" and "Settings". On a wide screen both sit in the
/// bar; on a narrow one (CSS, `.topbar__toggle`) they fold behind a "Menu"
/// disclosure button (`aria-expanded`, `aria-controls`). The open menu closes
/// on Esc (focus back on "Menu"), when focus leaves it, on a tap outside it,
/// and when one of its buttons is used.
#[component]
pub fn TopbarMenu(
    /// Opens the keyboard shortcuts overlay.
    help_open: RwSignal<bool>,
    /// Opens the settings panel.
    settings_open: RwSignal<bool>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let root = NodeRef::<leptos::html::Div>::new();
    let toggle = NodeRef::<leptos::html::Button>::new();
    let inside = move |target: Option<web_sys::EventTarget>| {
        let node = target.and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        root.get_untracked()
            .is_some_and(|r| r.contains(node.as_ref()))
    };
    let outside_tap = window_event_listener(ev::pointerdown, move |e| {
        if open.get_untracked() && !inside(e.target()) {
            open.set(false);
        }
    });
    on_cleanup(move || outside_tap.remove());
    let keydown = move |e: ev::KeyboardEvent| {
        if e.key() == "Escape" && open.get_untracked() {
            e.stop_propagation();
            open.set(false);
            if let Some(t) = toggle.get_untracked() {
                let _ = t.focus();
            }
        }
    };
    let focusout = move |e: ev::FocusEvent| {
        if !inside(e.related_target()) {
            open.set(false);
        }
    };
    let pick = move |what: RwSignal<bool>| {
        move |_| {
            open.set(false);
            what.set(true);
        }
    };
    view! {
        <div class="topbar__menu" node_ref=root on:keydown=keydown on:focusout=focusout>
            <button type="button" class="button topbar__toggle" node_ref=toggle
                aria-expanded=move || open.get().to_string() aria-controls="topbar-items"
                on:click=move |_| open.update(|o| *o = !*o)>
                <span aria-hidden="true">"☰"</span>
                <span class="visually-hidden">"Menu"</span>
            </button>
            <div id="topbar-items" class="topbar__items" class:topbar__items--open=open>
                <button type="button" class="button button--small topbar__help" on:click=pick(help_open)>"Shortcuts"</button>
                <button type="button" class="button button--small" on:click=pick(settings_open)>"Settings"</button>
            </div>
        </div>
    }
}
