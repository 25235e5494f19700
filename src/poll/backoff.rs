//! How long to wait before retrying after a failure.
//!
//! "Equal jitter" on a floor: a failing server is never asked more often than
//! a healthy one. The floor is the current healthy interval (at least
//! [`PollConfig::backoff_base_ms`], 1 s by default). Retry `n` waits between
//! half and all of `min(cap, floor × 2ⁿ)`, and never less than the floor, so
//! the waits spread upward from the floor and grow with each failure:
//!
//! | retry | default wait (floor 1 s) |
//! |---|---|
//! | 1 | 1–2 s |
//! | 2 | 2–4 s |
//! | 3 | 4–8 s |
//! | 4 | 8–16 s |
//! | 5 and later | 15–30 s |
//!
//! A server hint (`Retry-After`, `deferUntil`) can only lengthen the wait.

use super::PollConfig;

/// The shortest wait before any retry when the healthy interval is
/// `interval_ms`: the longer of the two, capped at `backoff_cap_ms`.
pub fn floor_ms(config: &PollConfig, interval_ms: i64) -> i64 {
    config
        .backoff_base_ms
        .max(interval_ms)
        .min(config.backoff_cap_ms)
        .max(0)
}

/// The wait before retry `attempt` (1 = after the first failure) when the
/// healthy interval is `interval_ms`; `random` in `[0, 1)` places it in the
/// upper half of the attempt's ceiling. `random` is clamped to `[0, 1]` and
/// a non-finite value counts as 1 (the longest, safest wait); attempt 0
/// counts as 1. Always within `floor_ms ..= backoff_cap_ms` (when the cap is
/// at least the floor).
pub fn backoff_ms(config: &PollConfig, attempt: u32, interval_ms: i64, random: f64) -> i64 {
    let floor = floor_ms(config, interval_ms);
    let cap = config.backoff_cap_ms.max(floor);
    let doublings = attempt.clamp(1, 62);
    let ceiling = floor
        .checked_mul(1i64 << doublings)
        .map_or(cap, |c| c.min(cap));
    let r = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        1.0
    };
    let half = ceiling / 2;
    // `as` saturates for floats; the product is within [0, ceiling - half].
    let jitter = (r * (ceiling - half) as f64).round() as i64;
    half.saturating_add(jitter).clamp(floor, cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    const R_MAX: f64 = 1.0 - 1e-12;

    #[test]
    fn retries_are_never_sooner_than_1s_and_double_to_the_30s_cap() {
        let c = PollConfig::default();
        let low: Vec<i64> = (1..=7).map(|n| backoff_ms(&c, n, 1000, 0.0)).collect();
        let high: Vec<i64> = (1..=7).map(|n| backoff_ms(&c, n, 1000, R_MAX)).collect();
        assert_eq!(low, [1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
        assert_eq!(high, [2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
        assert_eq!(backoff_ms(&c, u32::MAX, 1000, R_MAX), 30_000);
        assert_eq!(backoff_ms(&c, 0, 1000, 0.0), 1000);
    }

    #[test]
    fn retries_are_never_sooner_than_the_current_healthy_interval() {
        let c = PollConfig::default();
        // Polling had slowed to 3.375 s when the server began failing.
        assert_eq!(backoff_ms(&c, 1, 3375, 0.0), 3375);
        assert_eq!(backoff_ms(&c, 1, 3375, R_MAX), 6750);
        assert_eq!(backoff_ms(&c, 1, 5000, 0.5), 7500);
        // A healthy interval shorter than the base still waits the base.
        assert_eq!(backoff_ms(&c, 1, 10, 0.0), 1000);
    }

    #[test]
    fn jitter_spreads_upward_within_the_bounds() {
        let c = PollConfig::default();
        assert_eq!(backoff_ms(&c, 3, 1000, 0.5), 6000);
        for attempt in 1..=10 {
            for i in 0..=100 {
                let r = f64::from(i) / 100.0;
                let w = backoff_ms(&c, attempt, 1000, r);
                assert!(
                    (1000..=30_000).contains(&w),
                    "attempt {attempt} r={r} w={w}"
                );
                let lower = backoff_ms(&c, attempt, 1000, 0.0);
                assert!(w >= lower, "jitter only lengthens the wait");
            }
        }
        // Out-of-range randomness cannot escape the bounds.
        assert_eq!(backoff_ms(&c, 4, 1000, 7.0), 16_000);
        assert_eq!(backoff_ms(&c, 4, 1000, -1.0), 8000);
        assert_eq!(backoff_ms(&c, 4, 1000, f64::NAN), 16_000);
    }

    #[test]
    fn odd_configs_keep_waits_bounded() {
        let c = PollConfig {
            backoff_base_ms: 50_000,
            backoff_cap_ms: 30_000,
            ..PollConfig::default()
        };
        assert_eq!(backoff_ms(&c, 1, 1000, 0.0), 30_000);
        let c = PollConfig {
            backoff_base_ms: i64::MAX,
            backoff_cap_ms: i64::MAX,
            ..PollConfig::default()
        };
        assert_eq!(backoff_ms(&c, 9, 1000, 0.5), i64::MAX);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn waits_stay_between_the_floor_and_the_cap(
            attempt in any::<u32>(),
            interval in 0i64..=5000,
            random in any::<f64>(),
        ) {
            let c = PollConfig::default();
            let w = backoff_ms(&c, attempt, interval, random);
            prop_assert!(w >= interval.max(1000), "{w}");
            prop_assert!(w <= 30_000, "{w}");
        }
    }
}
