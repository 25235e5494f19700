//! Durations, local times and relative times, for people.

use time::{OffsetDateTime, UtcOffset};

/// A duration for people: `850 ms`, `9.0 s`, `4 min 05 s`, `2 h 03 min`.
pub fn duration(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1_000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else if ms < 3_600_000 {
        format!("{} min {:02} s", ms / 60_000, (ms % 60_000) / 1000)
    } else {
        format!("{} h {:02} min", ms / 3_600_000, (ms % 3_600_000) / 60_000)
    }
}

/// A local date and time, `2026-03-20 13:00:01`, for Unix `ms` in a zone
/// `offset_min` minutes *behind* UTC (what JavaScript's
/// `Date.getTimezoneOffset()` returns: -60 for UTC+1).
///
/// Formatted here rather than with `Date.toLocaleString`: the first locale
/// formatting in a page costs 20–40 ms (ICU start-up), right in the first
/// paint of a run. Year-first and 24-hour reads the same in every locale.
pub fn local_time(ms: i64, offset_min: i64) -> String {
    let offset_s = i32::try_from(offset_min.saturating_mul(-60)).ok();
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .zip(offset_s.and_then(|s| UtcOffset::from_whole_seconds(s).ok()))
        .map(|(t, offset)| t.to_offset(offset));
    match t {
        Some(t) => format!(
            "{}-{:02}-{:02} {:02}:{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        None => String::from("—"),
    }
}

/// A point in time relative to now: `just now`, `42 s ago`, `3 min ago`,
/// `2 h ago`, `5 days ago`; future times read `in 3 min`. Any two instants
/// work (the difference is taken in 128 bits: no overflow).
pub fn relative(then_ms: i64, now_ms: i64) -> String {
    let delta = i128::from(now_ms) - i128::from(then_ms);
    let abs = delta.unsigned_abs();
    let amount = if abs < 5_000 {
        return "just now".to_string();
    } else if abs < 60_000 {
        format!("{} s", abs / 1000)
    } else if abs < 3_600_000 {
        format!("{} min", abs / 60_000)
    } else if abs < 86_400_000 {
        format!("{} h", abs / 3_600_000)
    } else {
        let days = abs / 86_400_000;
        format!("{days} day{}", if days == 1 { "" } else { "s" })
    };
    if delta >= 0 {
        format!("{amount} ago")
    } else {
        format!("in {amount}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration(-5), "0 ms");
        assert_eq!(duration(850), "850 ms");
        assert_eq!(duration(9_000), "9.0 s");
        assert_eq!(duration(59_949), "59.9 s");
        assert_eq!(duration(245_000), "4 min 05 s");
        assert_eq!(duration(7_380_000), "2 h 03 min");
    }

    #[test]
    fn local_times() {
        let ms = 1_774_008_001_250; // 2026-03-20T12:00:01.250Z
        assert_eq!(local_time(ms, 0), "2026-03-20 12:00:01");
        assert_eq!(local_time(ms, -60), "2026-03-20 13:00:01");
        assert_eq!(local_time(ms, 13 * 60), "2026-03-19 23:00:01");
        assert_eq!(local_time(ms, -330), "2026-03-20 17:30:01");
        assert_eq!(local_time(i64::MAX, 0), "—");
    }

    #[test]
    fn relative_times() {
        let now = 1_000_000_000;
        assert_eq!(relative(now - 1_000, now), "just now");
        assert_eq!(relative(now - 42_000, now), "42 s ago");
        assert_eq!(relative(now - 180_000, now), "3 min ago");
        assert_eq!(relative(now - 7_200_000, now), "2 h ago");
        assert_eq!(relative(now - 86_400_000, now), "1 day ago");
        assert_eq!(relative(now - 5 * 86_400_000, now), "5 days ago");
        assert_eq!(relative(now + 180_000, now), "in 3 min");
        assert_eq!(relative(i64::MIN, i64::MAX), "213503982334 days ago");
        assert_eq!(relative(i64::MAX, i64::MIN), "in 213503982334 days");
    }

    #[test]
    fn extremes_do_not_overflow() {
        assert_eq!(duration(i64::MAX), "2562047788015 h 12 min");
        assert_eq!(duration(i64::MIN), "0 ms");
        assert_eq!(local_time(0, i64::MIN), "—");
        assert_eq!(local_time(i64::MIN, 0), "—");
    }
}
