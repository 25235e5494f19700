use crate::model::shortcuts::{Scope, SHORTCUTS};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Whether the shortcut overlay is open: the context its lazily loaded code
/// reads (see `components::lazy`).
#[derive(Clone, Copy)]
pub struct HelpOpen(pub RwSignal<bool>);

/// The keyboard shortcuts, listed from [`SHORTCUTS`] and grouped by where they
/// apply, in a modal `<dialog>`: the page behind is inert (focus stays in the
/// dialog), focus starts on "Close", Esc or "Close" closes it, and focus
/// returns to where it was. This is the only place shortcuts are announced to
/// screen readers.
#[component]
pub fn HelpOverlay(
    /// Whether the overlay is open; the overlay sets it back to `false` when
    /// it closes itself (Esc, "Close", a click outside).
    open: RwSignal<bool>,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let returns_to = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |_| {
        let Some(d) = dialog.get() else { return };
        if open.get() {
            if !d.open() {
                returns_to.set_value(
                    document()
                        .active_element()
                        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()),
                );
                let _ = d.show_modal();
            }
        } else if d.open() {
            d.close();
        }
    });
    // Esc: `cancel` fires at once, the `close` event only in a later task.
    // The state follows at once, so a key pressed in between (`?` again)
    // reopens the overlay instead of landing on a page that still thinks it
    // is open; the late `close` then finds it open again and leaves it.
    let cancelled = move |_: web_sys::Event| open.set(false);
    let closed = move |_| {
        if dialog.get_untracked().is_some_and(|d| d.open()) {
            return;
        }
        open.set(false);
        if let Some(el) = returns_to.try_update_value(Option::take).flatten() {
            let _ = el.focus();
        }
    };
    let groups = [Scope::Global, Scope::Run, Scope::Viewer].map(|scope| {
        view! {
            <section class="help__group" aria-labelledby=format!("help-{scope:?}")>
                <h3 id=format!("help-{scope:?}")>{scope.heading()}</h3>
                <dl class="help__list">
                    {SHORTCUTS.iter().filter(|s| s.scope == scope).map(|s| view! {
                        <div class="help__row">
                            <dt>{keys(s.keys)}</dt>
                            <dd>{s.label}</dd>
                        </div>
                    }).collect_view()}
                </dl>
            </section>
        }
    });
    view! {
        <dialog class="help" node_ref=dialog aria-labelledby="help-heading" on:cancel=cancelled on:close=closed
            on:click=move |ev| {
                // A click on the backdrop lands on the dialog element itself.
                if event_target::<web_sys::Element>(&ev).tag_name() == "DIALOG" {
                    open.set(false);
                }
            }>
            <div class="help__frame">
                <div class="help__head">
                    <h2 id="help-heading">"Keyboard shortcuts"</h2>
                    <button type="button" class="button button--small" on:click=move |_| open.set(false)>"Close"</button>
                </div>
                <p class="help__note">"Shortcuts do nothing while you type in a field or hold Ctrl, Alt or Meta. Every one has a button or link on the page too."</p>
                <div class="help__groups">{groups.into_iter().collect_view()}</div>
            </div>
        </dialog>
    }
}

/// `"g h"` as `<kbd>g</kbd> then <kbd>h</kbd>`.
fn keys(keys: &'static str) -> impl IntoView {
    keys.split(' ')
        .enumerate()
        .map(|(i, k)| {
            view! {
                {(i > 0).then_some(" then ")}
                <kbd>{k}</kbd>
            }
        })
        .collect_view()
}
