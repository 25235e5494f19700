//! The progress bar's segments, from the run's `progress` counts.

use crate::api::Progress;

/// Step counts split into the bar's four segments, clamped so they never sum
/// past the total even when the API's counts disagree.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Segments {
    /// Steps finished well (succeeded, skipped, locked).
    pub succeeded: u32,
    /// Steps that failed.
    pub failed: u32,
    /// Steps running now.
    pub running: u32,
    /// Steps not started yet.
    pub remaining: u32,
    /// All steps.
    pub total: u32,
}

impl Segments {
    /// Splits `progress` into segments.
    pub fn from_progress(p: &Progress) -> Self {
        let total = p
            .total_steps
            .max(p.completed_steps + p.failed_steps + p.running_steps);
        let succeeded = p.completed_steps;
        let failed = p.failed_steps;
        let running = p.running_steps;
        Self {
            succeeded,
            failed,
            running,
            remaining: total - succeeded - failed - running,
            total,
        }
    }

    /// Share of steps that are done (succeeded or failed), 0–100, rounded down.
    pub fn percent_done(&self) -> u32 {
        if self.total == 0 {
            0
        } else {
            ((self.succeeded + self.failed) as u64 * 100 / self.total as u64) as u32
        }
    }

    /// Width of a segment as a percentage of the bar.
    pub fn width(&self, count: u32) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            count as f64 * 100.0 / self.total as f64
        }
    }

    /// The counts in words, e.g. `3 of 5 steps done · 1 running · 0 failed`.
    pub fn summary(&self) -> String {
        format!(
            "{} of {} steps done · {} running · {} failed",
            self.succeeded + self.failed,
            self.total,
            self.running,
            self.failed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(total: u32, completed: u32, failed: u32, running: u32) -> Progress {
        Progress {
            total_steps: total,
            completed_steps: completed,
            failed_steps: failed,
            running_steps: running,
        }
    }

    #[test]
    fn golden_counts() {
        let s = Segments::from_progress(&progress(5, 3, 0, 1));
        assert_eq!(
            (s.succeeded, s.failed, s.running, s.remaining, s.total),
            (3, 0, 1, 1, 5)
        );
        assert_eq!(s.percent_done(), 60);
        assert_eq!(s.width(s.succeeded), 60.0);
        assert_eq!(s.summary(), "3 of 5 steps done · 1 running · 0 failed");
    }

    #[test]
    fn inconsistent_counts_are_clamped() {
        let s = Segments::from_progress(&progress(2, 2, 1, 1));
        assert_eq!((s.total, s.remaining), (4, 0));
        assert_eq!(s.percent_done(), 75);
        let empty = Segments::from_progress(&Progress::default());
        assert_eq!((empty.percent_done(), empty.width(0)), (0, 0.0));
    }
}
