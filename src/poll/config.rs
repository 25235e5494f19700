//! How fast to poll, how to back off, and how long to wait for an answer.

/// Tuning of a [`Poller`](super::Poller). All durations are milliseconds.
#[derive(Clone, Debug, PartialEq)]
pub struct PollConfig {
    /// Wait after a success while the run is changing (and after recovering
    /// from failures). Default 1000.
    pub initial_interval_ms: i64,
    /// Upper bound of the success interval. Default 5000.
    pub max_interval_ms: i64,
    /// Factor applied to the interval after each unchanged success. Default
    /// 1.5; values below 1 (or not finite) are treated as 1.
    pub growth: f64,
    /// The shortest wait before a retry, whatever the jitter: a failing
    /// server is never asked more often than a healthy one (the current
    /// healthy interval is the floor when it is longer). Default 1000.
    pub backoff_base_ms: i64,
    /// The longest backoff wait (a server hint may ask for longer, up to
    /// [`hint_cap_ms`](Self::hint_cap_ms)). Default 30000.
    pub backoff_cap_ms: i64,
    /// Largest wait honoured from a server hint (`Retry-After`,
    /// `deferUntil`). Guards against clock skew or absurd values freezing the
    /// page; if the server still refuses, it says so again. Default 300000.
    pub hint_cap_ms: i64,
    /// A request running this long is timed out. Default 15000.
    pub request_timeout_ms: i64,
}

impl Default for PollConfig {
    fn default() -> Self {
        Self {
            initial_interval_ms: 1000,
            max_interval_ms: 5000,
            growth: 1.5,
            backoff_base_ms: 1000,
            backoff_cap_ms: 30_000,
            hint_cap_ms: 300_000,
            request_timeout_ms: 15_000,
        }
    }
}

impl PollConfig {
    /// The interval after a change: `initial_interval_ms`, at least 1 ms and
    /// at most `max_interval_ms`.
    pub fn initial_interval(&self) -> i64 {
        self.initial_interval_ms.min(self.max_interval_ms).max(1)
    }

    /// The interval after an unchanged success following one of `interval`.
    pub fn grown_interval(&self, interval: i64) -> i64 {
        let growth = if self.growth.is_finite() {
            self.growth.max(1.0)
        } else {
            1.0
        };
        // `as` saturates for floats.
        let grown = (interval as f64 * growth).round() as i64;
        grown.min(self.max_interval_ms).max(self.initial_interval())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_grow_by_half_up_to_5s() {
        let c = PollConfig::default();
        assert_eq!(c.initial_interval(), 1000);
        let mut i = c.initial_interval();
        let mut seen = vec![];
        for _ in 0..6 {
            i = c.grown_interval(i);
            seen.push(i);
        }
        assert_eq!(seen, [1500, 2250, 3375, 5000, 5000, 5000]);
    }

    #[test]
    fn odd_configs_stay_sane() {
        let c = PollConfig {
            initial_interval_ms: 0,
            max_interval_ms: -5,
            growth: f64::NAN,
            ..PollConfig::default()
        };
        assert_eq!(c.initial_interval(), 1);
        assert_eq!(c.grown_interval(i64::MAX), 1);
    }
}
