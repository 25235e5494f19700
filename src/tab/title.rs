//! The tab's text, as plain functions with native tests: the document
//! title (`● 3/5 running · run_abc123`), the favicon (a dot in the status
//! colour) and the notification sent when a run ends.

use crate::api::{Progress, Status};

/// The document title for a run.
pub fn title(status: &Status, progress: &Progress, run_id: &str) -> String {
    let done = progress
        .completed_steps
        .saturating_add(progress.failed_steps);
    match status {
        Status::Succeeded => format!("✓ succeeded · {run_id}"),
        Status::Failed => format!("✗ failed · {run_id}"),
        Status::Running => format!("● {done}/{} running · {run_id}", progress.total_steps),
        other => format!("{} {} · {run_id}", other.icon(), other.label()),
    }
}

/// The favicon colour for a status.
pub fn favicon_color(status: &Status) -> &'static str {
    status.colour()
}

/// A data-URL SVG favicon: a filled circle in the status colour.
pub fn favicon_href(status: &Status) -> String {
    format!(
        "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='6' fill='%23{}'/%3E%3C/svg%3E",
        &favicon_color(status)[1..]
    )
}

/// The notification for a run that just ended: its title and body.
pub fn notification(status: &Status, progress: &Progress, run_id: &str) -> (String, String) {
    (
        format!("Run {}", status.label()),
        title(status, progress, run_id),
    )
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
        assert_eq!(title(&Status::Queued, &p, "r"), "○ queued · r");
        assert_eq!(
            title(&Status::Unknown("paused".into()), &p, "r"),
            "? unknown: paused · r"
        );
    }

    #[test]
    fn huge_counts_saturate() {
        let p = Progress {
            total_steps: u32::MAX,
            completed_steps: u32::MAX,
            failed_steps: 1,
            running_steps: 0,
        };
        assert_eq!(
            title(&Status::Running, &p, "r"),
            format!("● {0}/{0} running · r", u32::MAX)
        );
    }

    #[test]
    fn favicon_is_a_dot_in_the_status_colour() {
        assert_eq!(
            favicon_href(&Status::Failed),
            "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='6' fill='%23dc2626'/%3E%3C/svg%3E"
        );
        assert_eq!(favicon_color(&Status::Running), "#2563eb");
    }

    #[test]
    fn the_end_of_a_run_is_announced() {
        let p = Progress {
            total_steps: 2,
            completed_steps: 2,
            failed_steps: 0,
            running_steps: 0,
        };
        assert_eq!(
            notification(&Status::Succeeded, &p, "run_x"),
            (
                "Run succeeded".to_string(),
                "✓ succeeded · run_x".to_string()
            )
        );
    }
}
