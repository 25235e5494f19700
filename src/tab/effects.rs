//! The tab's effects: keep the document title and favicon in step with the
//! run (setting each only when its text changes), restore them on unmount,
//! and send the opt-in notification when the run ends.

use super::title::{favicon_href, notification, title};
use crate::api::{Run, RunStoreFields, Status};
use leptos::prelude::*;
use reactive_stores::Store;

/// Keeps the title and favicon in step with the run, and restores them on
/// unmount. `notify` says whether the person asked for a notification.
pub fn use_tab_status(run: Store<Run>, loaded: Signal<bool>, notify: Signal<bool>) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let original_title = document.title();
    let head = Memo::new(move |_| {
        loaded
            .get()
            .then(|| (run.status().get(), run.progress().get(), run.run_id().get()))
    });
    // Setting the title cost ~0.4 ms per call in a profile of polls, and most
    // progress changes (a step starting) leave its text as it was: set it only
    // when the text changes.
    let text = Memo::new(move |_| {
        head.with(|h| {
            h.as_ref()
                .map(|(status, progress, id)| title(status, progress, id))
        })
    });
    let doc = document.clone();
    Effect::new(move |_| {
        if let Some(text) = text.get() {
            doc.set_title(&text);
        }
    });
    // The favicon and the notification change with the status only, not
    // with every progress count.
    let status = Memo::new(move |_| head.with(|h| h.as_ref().map(|(s, _, _)| s.clone())));
    let previous = StoredValue::new(None::<Status>);
    let doc = document.clone();
    Effect::new(move |_| {
        let Some(status) = status.get() else {
            return;
        };
        if let Some(icon) = doc.get_element_by_id("favicon") {
            let _ = icon.set_attribute("href", &favicon_href(&status));
        }
        let was = previous.get_value();
        if notify.get_untracked()
            && status.is_terminal()
            && was.as_ref().is_some_and(|w| !w.is_terminal())
        {
            let (heading, body) =
                run.with_untracked(|r| notification(&status, &r.progress, &r.run_id));
            let options = web_sys::NotificationOptions::new();
            options.set_body(&body);
            let _ = web_sys::Notification::new_with_options(&heading, &options);
        }
        previous.set_value(Some(status));
    });
    on_cleanup(move || {
        document.set_title(&original_title);
        if let Some(icon) = document.get_element_by_id("favicon") {
            let _ = icon.set_attribute("href", &favicon_href(&Status::Queued));
        }
    });
}
