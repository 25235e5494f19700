//! The one keyboard listener, its guard and the help overlay.

use crate::harness::*;
use leptos::prelude::*;
use runview::components::KeyboardShortcuts;
use runview::model::shortcuts::Action;
use runview::state::page_actions::PageActions;
use wasm_bindgen_test::*;

/// Registers "Refresh now" as a counter, beside a text field and a button.
#[component]
fn Probe(
    /// Counts the refreshes.
    refreshes: RwSignal<u32>,
) -> impl IntoView {
    PageActions::try_expect().unwrap().register(
        Action::Refresh,
        Callback::new(move |_| refreshes.update(|n| *n += 1)),
    );
    view! {
        <input id="kb-field" type="text" />
        <textarea id="kb-area"></textarea>
        <button id="kb-button" type="button">"A button"</button>
    }
}

/// Mounts the listener and the probe; the refresh counter.
fn setup() -> (web_sys::HtmlElement, impl Drop, RwSignal<u32>) {
    let refreshes = RwSignal::new(0);
    let (root, handle) = mount(move || {
        PageActions::provide();
        let help_open = RwSignal::new(false);
        view! { <KeyboardShortcuts help_open /> <Probe refreshes /> }
    });
    (root, handle, refreshes)
}

/// Dispatches a keydown of `key` on the element `target` selects, as a
/// person pressing it there would (it bubbles up to the window).
fn press(target: &str, key: &str, init: &str) {
    js(&format!(
        "document.querySelector({target:?}).dispatchEvent(new KeyboardEvent('keydown', {{key: {key:?}, bubbles: true, cancelable: true, {init}}}))"
    ));
}

fn dialog_open() -> bool {
    js("document.querySelector('dialog.help')?.open === true")
        .as_bool()
        .unwrap()
}

/// One test, not three: wasm-bindgen-test interleaves async tests, and
/// two listeners on one window would see each other's key presses.
#[wasm_bindgen_test]
async fn the_guard_and_the_help_overlay() {
    let (root, h, refreshes) = setup();

    // Keys typed in a field do nothing.
    press("#kb-field", "r", "");
    press("#kb-area", "r", "");
    press("#kb-field", "?", "");
    leptos::task::tick().await;
    assert_eq!(refreshes.get_untracked(), 0);
    assert!(!dialog_open(), "? typed in a field opens nothing");
    press("#kb-button", "r", "");
    press("body", "r", "");
    leptos::task::tick().await;
    assert_eq!(refreshes.get_untracked(), 2, "outside a field, r refreshes");

    // Keys with a modifier do nothing.
    press("body", "r", "ctrlKey: true");
    press("body", "r", "altKey: true");
    press("body", "r", "metaKey: true");
    press("body", "?", "ctrlKey: true");
    leptos::task::tick().await;
    assert_eq!(refreshes.get_untracked(), 2);
    assert!(!dialog_open());

    // `?` opens the overlay, listing every shortcut by scope. Its code is
    // not there before (it loads on first use: components::lazy).
    assert_eq!(count(&root, "dialog.help"), 0);
    js("document.querySelector('#kb-button').focus()");
    press("#kb-button", "?", "shiftKey: true");
    settle().await;
    assert!(dialog_open());
    let headings: Vec<String> = (0..count(&root, ".help__group h3"))
        .map(|i| {
            root.query_selector_all(".help__group h3")
                .unwrap()
                .item(i)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(
        headings,
        ["Everywhere", "On a run page", "In the media viewer"]
    );
    assert_eq!(
        count(&root, ".help__row"),
        runview::model::shortcuts::SHORTCUTS.len() as u32
    );
    assert_eq!(
        text(&root, ".help__row"),
        "?Show keyboard shortcuts",
        "the first row is ? itself"
    );
    assert_eq!(
        js("document.activeElement.textContent")
            .as_string()
            .unwrap(),
        "Close",
        "focus starts in the dialog"
    );
    // While it is open, page shortcuts are off.
    press("body", "r", "");
    leptos::task::tick().await;
    assert_eq!(refreshes.get_untracked(), 2);
    // `?` again closes it, and focus returns to the button.
    press("dialog.help", "?", "shiftKey: true");
    leptos::task::tick().await;
    assert!(!dialog_open());
    sleep(20).await; // the dialog's `close` event is a task of its own
    assert_eq!(
        js("document.activeElement.id").as_string().unwrap(),
        "kb-button"
    );
    // Esc closes it too.
    press("#kb-button", "?", "shiftKey: true");
    leptos::task::tick().await;
    assert!(dialog_open());
    press("dialog.help", "Escape", "");
    leptos::task::tick().await;
    assert!(!dialog_open());
    drop(h);
}
