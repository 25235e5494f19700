//! The progress bar's segments, from the run's `progress` counts.

use crate::api::Progress;

/// Step counts split into the bar's four segments, clamped so they never sum
/// past the total even when the API's counts disagree, and saturating (no
/// overflow, no wrap) for counts up to `u32::MAX`.
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
    /// Splits `progress` into segments. When the counts add up past
    /// `u32::MAX`, the total saturates there and the later segments (running,
    /// then failed) are cut so the four still sum to the total.
    pub fn from_progress(p: &Progress) -> Self {
        let sum = |xs: &[u32]| xs.iter().fold(0u32, |a, &x| a.saturating_add(x));
        let total = p
            .total_steps
            .max(sum(&[p.completed_steps, p.failed_steps, p.running_steps]));
        let succeeded = p.completed_steps.min(total);
        let failed = p.failed_steps.min(total - succeeded);
        let running = p.running_steps.min(total - succeeded - failed);
        Self {
            succeeded,
            failed,
            running,
            remaining: total - succeeded - failed - running,
            total,
        }
    }

    /// Steps that are done (succeeded or failed).
    pub fn done(&self) -> u32 {
        self.succeeded.saturating_add(self.failed)
    }

    /// Share of steps that are done (succeeded or failed), 0–100, rounded down.
    pub fn percent_done(&self) -> u32 {
        if self.total == 0 {
            0
        } else {
            (u64::from(self.done()) * 100 / u64::from(self.total)).min(100) as u32
        }
    }

    /// Width of a segment as a percentage of the bar, 0–100.
    pub fn width(&self, count: u32) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            (f64::from(count) * 100.0 / f64::from(self.total)).clamp(0.0, 100.0)
        }
    }

    /// The counts in words, e.g. `3 of 5 steps done · 1 running · 0 failed`.
    pub fn summary(&self) -> String {
        format!(
            "{} of {} steps done · {} running · {} failed",
            self.done(),
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

    #[test]
    fn huge_counts_saturate() {
        let m = u32::MAX;
        let s = Segments::from_progress(&progress(5, m, m, m));
        assert_eq!(
            (s.succeeded, s.failed, s.running, s.remaining, s.total),
            (m, 0, 0, 0, m)
        );
        assert_eq!((s.percent_done(), s.width(s.succeeded)), (100, 100.0));
        let s = Segments::from_progress(&progress(m, m - 1, 1, 1));
        assert_eq!(
            (s.succeeded, s.failed, s.running, s.remaining),
            (m - 1, 1, 0, 0)
        );
        assert_eq!(
            s.summary(),
            format!("{m} of {m} steps done · 0 running · 1 failed")
        );
    }
}
