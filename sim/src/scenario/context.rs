//! Where and when a run is evaluated: its id, wall-clock origin, time factor
//! and media origin.

use crate::timestamp::rfc3339_ms;

/// Where and when a run is evaluated.
#[derive(Debug, Clone, Copy)]
pub struct RunContext<'a> {
    /// The full run id (`run_happy-x1`); seeds media URLs.
    pub run_id: &'a str,
    /// Wall-clock time (Unix ms) of scenario time 0.
    pub t0_unix_ms: i64,
    /// Time factor: scenario ms per wall-clock ms.
    pub speed: f64,
    /// Public base URL of the media origin, without trailing slash.
    pub media_base: &'a str,
}

impl RunContext<'_> {
    /// Wall-clock timestamp of scenario time `offset_ms`.
    pub(crate) fn stamp(&self, offset_ms: u64) -> String {
        rfc3339_ms(self.t0_unix_ms + (offset_ms as f64 / self.speed).round() as i64)
    }
}
