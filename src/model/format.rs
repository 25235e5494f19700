//! Durations and relative times in words.

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

/// A point in time relative to now: `just now`, `42 s ago`, `3 min ago`,
/// `2 h ago`, `5 days ago`; future times read `in 3 min`.
pub fn relative(then_ms: i64, now_ms: i64) -> String {
    let delta = now_ms - then_ms;
    let abs = delta.unsigned_abs() as i64;
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
    fn relative_times() {
        let now = 1_000_000_000;
        assert_eq!(relative(now - 1_000, now), "just now");
        assert_eq!(relative(now - 42_000, now), "42 s ago");
        assert_eq!(relative(now - 180_000, now), "3 min ago");
        assert_eq!(relative(now - 7_200_000, now), "2 h ago");
        assert_eq!(relative(now - 86_400_000, now), "1 day ago");
        assert_eq!(relative(now - 5 * 86_400_000, now), "5 days ago");
        assert_eq!(relative(now + 180_000, now), "in 3 min");
    }
}
