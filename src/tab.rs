//! The browser tab shows the run at a glance: the document title
//! (`● 3/5 running · run_abc123`) and a favicon coloured by status. When the
//! run ends, an opt-in desktop notification.

use crate::api::{Progress, Run, RunStoreFields, Status};
use leptos::prelude::*;
use reactive_stores::Store;

/// The document title for a run.
pub fn title(status: &Status, progress: &Progress, run_id: &str) -> String {
    let done = progress.completed_steps + progress.failed_steps;
    match status {
        Status::Succeeded => format!("✓ succeeded · {run_id}"),
        Status::Failed => format!("✗ failed · {run_id}"),
        Status::Running => format!("● {done}/{} running · {run_id}", progress.total_steps),
        other => format!("{} {} · {run_id}", other.icon(), other.label()),
    }
}

/// The favicon colour for a status.
pub fn favicon_color(status: &Status) -> &'static str {
    match status {
        Status::Succeeded => "#16a34a",
        Status::Failed => "#dc2626",
        Status::Running => "#2563eb",
        Status::Queued => "#9ca3af",
        Status::Skipped | Status::Locked => "#a16207",
        Status::Unknown(_) => "#7c3aed",
    }
}

/// A data-URL SVG favicon: a filled circle in the status colour.
pub fn favicon_href(status: &Status) -> String {
    format!(
        "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='6' fill='%23{}'/%3E%3C/svg%3E",
        &favicon_color(status)[1..]
    )
}

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
            let (progress, id) = run.with_untracked(|r| (r.progress.clone(), r.run_id.clone()));
            let options = web_sys::NotificationOptions::new();
            options.set_body(&title(&status, &progress, &id));
            let _ = web_sys::Notification::new_with_options(
                &format!("Run {}", status.label()),
                &options,
            );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_read_at_a_glance() {
        let p = Progress {
            total_steps: 5,
            completed_steps: 3,
            failed_steps: 0,
            running_steps: 1,
        };
        assert_eq!(
            title(&Status::Running, &p, "run_abc123"),
            "● 3/5 running · run_abc123"
        );
        assert_eq!(title(&Status::Succeeded, &p, "r"), "✓ succeeded · r");
        assert_eq!(title(&Status::Failed, &p, "r"), "✗ failed · r");
        assert_eq!(
            title(&Status::Unknown("paused".into()), &p, "r"),
            "? unknown: paused · r"
        );
        assert!(favicon_href(&Status::Failed).contains("%23dc2626"));
    }
}
