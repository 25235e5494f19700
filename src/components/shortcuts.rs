use crate::components::help_overlay::HelpOpen;
use crate::components::lazy::help_overlay;
use crate::components::LazyWhen;
use crate::model::shortcuts::{accepts, Action, KeyPress, Layer, Sequence};
use crate::state::page_actions::PageActions;
use crate::state::settings::Settings;
use leptos::ev;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

/// The app's one keyboard listener, mounted once inside the router: each key
/// press passes the [`accepts`] guard (not while typing, not with Ctrl/Alt/
/// Meta), then [`Sequence`] turns it into an action for the layer that is
/// open (page, media viewer, help overlay), and [`PageActions`] runs whatever
/// component registered it. Owns `?` (the [`HelpOverlay`](crate::components::HelpOverlay),
/// its code fetched the first time it opens) and `g` `h` (home).
/// Nothing here speaks to screen readers; the overlay lists the shortcuts.
#[component]
pub fn KeyboardShortcuts(
    /// Whether the help overlay is open (the top bar's button opens it too).
    help_open: RwSignal<bool>,
) -> impl IntoView {
    let actions = PageActions::try_expect().unwrap_or_else(PageActions::provide);
    let settings = use_context::<Settings>();
    let navigate = use_navigate();
    actions.register(
        Action::Help,
        Callback::new(move |_| help_open.update(|o| *o = !*o)),
    );
    actions.register(
        Action::GoHome,
        Callback::new(move |_| navigate("/", Default::default())),
    );
    let sequence = StoredValue::new(Sequence::default());
    let listener = window_event_listener(ev::keydown, move |ev| {
        if ev.default_prevented() || settings.is_some_and(|s| s.panel_open.get_untracked()) {
            return;
        }
        let key = ev.key();
        let target = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let press = KeyPress {
            key: &key,
            modifier: ev.ctrl_key() || ev.alt_key() || ev.meta_key(),
            typing: target.as_ref().is_some_and(is_typing),
            repeat: ev.repeat(),
            control: target.as_ref().is_some_and(|t| handles_itself(t, &key)),
        };
        if !accepts(press) {
            return;
        }
        let layer = if help_open.get_untracked() {
            Layer::Help
        } else if actions.has_untracked(Action::ViewerClose) {
            Layer::Viewer
        } else {
            Layer::Page
        };
        let action = sequence
            .try_update_value(|s| s.press(&key, layer, crate::state::clock::now_ms()))
            .flatten();
        if let Some(action) = action {
            // `/`: the step search on a run page, the run-id box elsewhere.
            if actions.run(action) || action.fallback().is_some_and(|f| actions.run(f)) {
                ev.prevent_default();
            }
        }
    });
    on_cleanup(move || listener.remove());
    provide_context(HelpOpen(help_open));
    view! { <LazyWhen when=help_open load=help_overlay /> }
}

/// A field a person types into: text-like inputs, textarea, select, or
/// anything contenteditable.
fn is_typing(el: &web_sys::Element) -> bool {
    match el.tag_name().as_str() {
        "TEXTAREA" | "SELECT" => true,
        "INPUT" => !matches!(
            el.get_attribute("type")
                .unwrap_or_default()
                .to_ascii_lowercase()
                .as_str(),
            "checkbox"
                | "radio"
                | "button"
                | "submit"
                | "reset"
                | "range"
                | "color"
                | "file"
                | "image"
        ),
        _ => el
            .dyn_ref::<web_sys::HtmlElement>()
            .is_some_and(|h| h.is_content_editable()),
    }
}

/// Whether `el` handles `key` itself: Enter and Space activate buttons,
/// links and summaries; arrows seek a media player and move within sliders,
/// tabs, menus and radio groups.
fn handles_itself(el: &web_sys::Element, key: &str) -> bool {
    let tag = el.tag_name();
    let role = el.get_attribute("role").unwrap_or_default();
    match key {
        "Enter" | " " => {
            matches!(tag.as_str(), "BUTTON" | "A" | "SUMMARY" | "INPUT")
                || matches!(
                    role.as_str(),
                    "button" | "link" | "checkbox" | "menuitem" | "option" | "tab"
                )
        }
        "ArrowLeft" | "ArrowRight" => {
            matches!(tag.as_str(), "VIDEO" | "AUDIO" | "INPUT")
                || matches!(
                    role.as_str(),
                    "slider" | "tab" | "menuitem" | "radio" | "option" | "scrollbar"
                )
        }
        _ => false,
    }
}
