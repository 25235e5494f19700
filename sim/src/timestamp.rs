//! Wall-clock helpers: RFC 3339 UTC timestamps with millisecond precision.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, now.
pub fn now_unix_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Formats Unix milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ` (years 0..=9999).
///
/// Hand-rolled (civil-from-days) because a 5,000-step run formats 10,000 of
/// these per response.
pub fn rfc3339_ms(unix_ms: i64) -> String {
    let days = unix_ms.div_euclid(86_400_000);
    let ms_of_day = unix_ms.rem_euclid(86_400_000);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = (yoe + era * 400 + i64::from(month <= 2)).clamp(0, 9_999);
    let fields = [
        (year, 4, b'-'),
        (month, 2, b'-'),
        (day, 2, b'T'),
        (ms_of_day / 3_600_000, 2, b':'),
        (ms_of_day / 60_000 % 60, 2, b':'),
        (ms_of_day / 1_000 % 60, 2, b'.'),
        (ms_of_day % 1_000, 3, b'Z'),
    ];
    let mut out = Vec::with_capacity(24);
    for (value, width, sep) in fields {
        let mut digits = [b'0'; 4];
        let mut v = value;
        for d in digits[..width].iter_mut().rev() {
            *d = b'0' + (v % 10) as u8;
            v /= 10;
        }
        out.extend_from_slice(&digits[..width]);
        out.push(sep);
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Parses an RFC 3339 timestamp back to Unix milliseconds (used by tests and checks).
pub fn parse_rfc3339_ms(text: &str) -> Option<i64> {
    let dt =
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
    Some((dt.unix_timestamp_nanos() / 1_000_000) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_round_trip() {
        let ms = 1_774_008_001_234; // 2026-03-20T12:00:01.234Z
        let text = rfc3339_ms(ms);
        assert_eq!(text, "2026-03-20T12:00:01.234Z");
        assert_eq!(parse_rfc3339_ms(&text), Some(ms));
    }

    #[test]
    fn agrees_with_the_time_crate_across_years() {
        let mut ms = -86_400_000 * 365; // 1969
        while ms < 4_102_444_800_000 {
            // until 2100
            let dt = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
                .unwrap();
            let expected = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                dt.year(),
                dt.month() as u8,
                dt.day(),
                dt.hour(),
                dt.minute(),
                dt.second(),
                dt.millisecond()
            );
            assert_eq!(rfc3339_ms(ms), expected);
            ms += 7_777_777_777; // ~90 days and odd hours/ms
        }
        assert_eq!(rfc3339_ms(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }
}
