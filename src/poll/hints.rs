//! Server hints of when to ask again: the `Retry-After` header and a
//! `throttled` error's `deferUntil`. Dates are parsed by crates (`httpdate`
//! for HTTP dates, `time` for RFC 3339), never by hand.

use crate::api::ApiError;
use std::time::{SystemTime, UNIX_EPOCH};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// A server hint of when to retry, from a `Retry-After` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryAfter {
    /// Delta-seconds form, converted to milliseconds (saturating).
    DelayMs(i64),
    /// HTTP-date form, as Unix epoch milliseconds.
    AtMs(i64),
}

impl RetryAfter {
    /// Parses a `Retry-After` value: delta-seconds (`"3"`) or an HTTP date in
    /// any of the three forms RFC 9110 requires recipients to accept
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`, the obsolete RFC 850 and asctime
    /// forms), with a weekday that matches the date. Anything else (fractions,
    /// negative numbers, other zones) is `None`, and the caller falls back to
    /// plain backoff.
    pub fn parse(header: &str) -> Option<Self> {
        let value = header.trim();
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            let ms = value
                .parse::<i64>()
                .map_or(i64::MAX, |s| s.saturating_mul(1000));
            return Some(Self::DelayMs(ms));
        }
        let at = httpdate::parse_http_date(value).ok()?;
        Some(Self::AtMs(system_time_ms(at)))
    }

    /// Milliseconds to wait from `now_ms` (0 if the date has passed).
    pub fn wait_ms(self, now_ms: i64) -> i64 {
        match self {
            Self::DelayMs(ms) => ms.max(0),
            Self::AtMs(at) => at.saturating_sub(now_ms).max(0),
        }
    }
}

/// Parses a `Retry-After` value and returns the wait in milliseconds from
/// `now_ms`: `"3"` → 3000; an HTTP date → the time until it (0 if past);
/// garbage → `None`. See [`RetryAfter::parse`].
pub fn parse_retry_after(header: &str, now_ms: i64) -> Option<i64> {
    RetryAfter::parse(header).map(|r| r.wait_ms(now_ms))
}

/// Parses an RFC 3339 timestamp (e.g. a `throttled` error's `deferUntil`) into
/// Unix epoch milliseconds; anything unparseable gives `None`.
pub fn parse_rfc3339_ms(s: &str) -> Option<i64> {
    let t = OffsetDateTime::parse(s.trim(), &Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos().div_euclid(1_000_000)).ok()
}

fn system_time_ms(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
    }
}

/// How long the server asked to wait before the next request, from `now_ms`:
/// the later of the error's `Retry-After` and `deferUntil`, capped at
/// `cap_ms`; 0 when the error carries no readable hint.
pub fn hint_wait_ms(error: &ApiError, now_ms: i64, cap_ms: i64) -> i64 {
    let ApiError::Http {
        retry_after,
        defer_until,
        ..
    } = error
    else {
        return 0;
    };
    let from_header = retry_after
        .as_deref()
        .and_then(|h| parse_retry_after(h, now_ms))
        .unwrap_or(0);
    let from_body = defer_until
        .as_deref()
        .and_then(parse_rfc3339_ms)
        .map_or(0, |at| at.saturating_sub(now_ms).max(0));
    from_header.max(from_body).min(cap_ms).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATE_MS: i64 = 784_111_777_000; // Sun, 06 Nov 1994 08:49:37 GMT

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("3", 0), Some(3000));
        assert_eq!(parse_retry_after(" 0 ", 0), Some(0));
        assert_eq!(parse_retry_after("120", 5), Some(120_000));
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(RetryAfter::parse(date), Some(RetryAfter::AtMs(DATE_MS)));
        assert_eq!(parse_retry_after(date, DATE_MS - 2500), Some(2500));
        assert_eq!(parse_retry_after(date, DATE_MS + 1), Some(0)); // past
                                                                   // The obsolete forms every HTTP recipient must still accept.
        for obsolete in ["Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            assert_eq!(
                RetryAfter::parse(obsolete),
                Some(RetryAfter::AtMs(DATE_MS)),
                "{obsolete}"
            );
        }
        for garbage in [
            "",
            "soon",
            "-1",
            "1.5",
            "3 s",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Mon, 06 Nov 1994 08:49:37 GMT", // wrong weekday
            "Sun, 31 Feb 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(garbage, 0), None, "{garbage:?}");
        }
        assert_eq!(
            parse_retry_after("99999999999999999999999", 0),
            Some(i64::MAX)
        );
    }

    #[test]
    fn rfc3339_forms() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:01.5Z"), Some(1500));
        assert_eq!(parse_rfc3339_ms("1994-11-06T09:49:37+01:00"), Some(DATE_MS));
        assert_eq!(parse_rfc3339_ms("1969-12-31T23:59:59Z"), Some(-1000));
        assert_eq!(parse_rfc3339_ms("tomorrow"), None);
        assert_eq!(parse_rfc3339_ms("2025-01-01"), None);
    }

    #[test]
    fn hints_of_an_error_take_the_later_and_are_capped() {
        let e = |retry_after: Option<&str>, defer_until: Option<&str>| ApiError::Http {
            status: 429,
            code: None,
            message: String::new(),
            retry_after: retry_after.map(str::to_string),
            defer_until: defer_until.map(str::to_string),
        };
        assert_eq!(hint_wait_ms(&e(Some("7"), None), 0, 300_000), 7000);
        assert_eq!(
            hint_wait_ms(&e(Some("2"), Some("1970-01-01T00:00:05Z")), 1000, 300_000),
            4000
        );
        assert_eq!(hint_wait_ms(&e(Some("nope"), None), 0, 300_000), 0);
        assert_eq!(
            hint_wait_ms(&e(Some("999999999"), None), 0, 300_000),
            300_000
        );
        assert_eq!(hint_wait_ms(&ApiError::Timeout, 0, 300_000), 0);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any header, however odd, is read exactly when it is
        /// delta-seconds or an HTTP date (else `None`), and the wait it
        /// yields is never negative.
        #[test]
        fn retry_after_is_read_exactly_when_it_is_seconds_or_a_date(
            header in prop_oneof![
                ".{0,40}",
                " ?[0-9]{1,25} ?",
                "-?[0-9]{1,3}(\\.[0-9])?",
                (0u64..253_402_300_799).prop_map(|s| {
                    httpdate::fmt_http_date(UNIX_EPOCH + std::time::Duration::from_secs(s))
                }),
            ],
            now in any::<i64>(),
        ) {
            let value = header.trim();
            let seconds = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
            let date = httpdate::parse_http_date(value).is_ok();
            match parse_retry_after(&header, now) {
                Some(wait) => {
                    prop_assert!(wait >= 0);
                    prop_assert!(seconds || date, "{:?} was read", header);
                }
                None => prop_assert!(!seconds && !date, "{:?} was not read", header),
            }
        }

        #[test]
        fn retry_after_seconds_round_trip(secs in 0u32..=u32::MAX, now in any::<i64>()) {
            prop_assert_eq!(
                parse_retry_after(&secs.to_string(), now),
                Some(i64::from(secs) * 1000)
            );
        }

        #[test]
        fn http_dates_round_trip(secs in 0u64..253_402_300_799, now in any::<i64>()) {
            let t = UNIX_EPOCH + std::time::Duration::from_secs(secs);
            let header = httpdate::fmt_http_date(t);
            let at = secs as i64 * 1000;
            prop_assert_eq!(RetryAfter::parse(&header), Some(RetryAfter::AtMs(at)));
            prop_assert_eq!(
                parse_retry_after(&header, now),
                Some(at.saturating_sub(now).max(0))
            );
        }

        #[test]
        fn hint_waits_stay_within_the_cap(
            retry_after in proptest::option::of(".{0,30}"),
            defer_until in proptest::option::of(".{0,30}"),
            now in any::<i64>(),
            cap in 0i64..1_000_000,
        ) {
            let e = ApiError::Http {
                status: 503,
                code: None,
                message: String::new(),
                retry_after,
                defer_until,
            };
            let wait = hint_wait_ms(&e, now, cap);
            prop_assert!((0..=cap).contains(&wait));
        }
    }
}
