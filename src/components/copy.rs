//! Copying text to the clipboard, saying whether it worked.

use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen_futures::JsFuture;

/// What a copy button says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyState {
    /// Nothing copied lately.
    Idle,
    /// The clipboard took the text.
    Copied,
    /// The clipboard refused it (no permission, no clipboard).
    Failed,
}

/// A copy action and what its button should say: "copied" only once the
/// clipboard took the text, "failed" when it refused; idle again 1.5 s
/// later. (Hand-written rather than leptos-use's `use_clipboard`: that one
/// never reports a failure, and cost 2.4 KiB brotli of the first load.)
pub fn use_copy() -> (ReadSignal<CopyState>, impl Fn(String) + Copy + Send + Sync) {
    let (state, set_state) = signal(CopyState::Idle);
    let copy = move |text: String| {
        let promise = web_sys::window().map(|w| w.navigator().clipboard().write_text(&text));
        leptos::task::spawn_local(async move {
            let copied = match promise {
                Some(p) => JsFuture::from(p).await.is_ok(),
                None => false,
            };
            let now = if copied {
                CopyState::Copied
            } else {
                CopyState::Failed
            };
            if set_state.try_set(now).is_none() {
                set_timeout(
                    move || _ = set_state.try_set(CopyState::Idle),
                    Duration::from_millis(1500),
                );
            }
        });
    };
    (state, copy)
}
