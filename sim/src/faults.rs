//! Faults on demand: the ways a real API, gateway or proxy misbehaves.
//!
//! A fault replaces the response to one request. Dedicated run ids
//! (`run_fault_<kind>[-suffix]`) inject their fault on requests 2, 3 and 4 of
//! that instance (`streak`: 500 on requests 1, 2, 3); `POST /_sim/faults`
//! injects any fault into the next N requests of any run id.

use std::time::{Duration, SystemTime};

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::http::json_200;
use crate::timestamp::{now_unix_ms, rfc3339_ms};

/// One kind of injected failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// 429 `rate_limit_exceeded` with `Retry-After: 3` (seconds).
    RateLimit,
    /// 429 `rate_limit_exceeded` with an HTTP-date `Retry-After` 3 s ahead.
    RateLimitDate,
    /// 429 `throttled` with `deferUntil` 4 s ahead.
    Throttled,
    /// 500 `internal_server_error`.
    Internal,
    /// 502 with an HTML body, as a gateway sends it.
    BadGateway,
    /// 503 with `Retry-After: 2`.
    Unavailable,
    /// Never answers (until the client goes away, at most 10 minutes).
    Hang,
    /// 200 with invalid JSON.
    Malformed,
    /// 200 with the real JSON cut in half.
    Truncated,
    /// 200 with an empty body.
    Empty,
    /// 200 with valid JSON whose `progress.totalSteps` is a string.
    WrongTypes,
    /// 500 on requests 1–3 of a `run_fault_streak` instance (as a fault: a 500).
    Streak,
}

impl FaultKind {
    /// Every kind, in documentation order.
    pub const ALL: [FaultKind; 12] = [
        FaultKind::RateLimit,
        FaultKind::RateLimitDate,
        FaultKind::Throttled,
        FaultKind::Internal,
        FaultKind::BadGateway,
        FaultKind::Unavailable,
        FaultKind::Hang,
        FaultKind::Malformed,
        FaultKind::Truncated,
        FaultKind::Empty,
        FaultKind::WrongTypes,
        FaultKind::Streak,
    ];

    /// The name used in run ids and in `POST /_sim/faults`.
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::RateLimit => "429",
            FaultKind::RateLimitDate => "429_date",
            FaultKind::Throttled => "throttled",
            FaultKind::Internal => "500",
            FaultKind::BadGateway => "502",
            FaultKind::Unavailable => "503",
            FaultKind::Hang => "hang",
            FaultKind::Malformed => "malformed",
            FaultKind::Truncated => "truncated",
            FaultKind::Empty => "empty",
            FaultKind::WrongTypes => "wrong_types",
            FaultKind::Streak => "streak",
        }
    }

    /// Looks a kind up by name.
    pub fn from_name(name: &str) -> Option<FaultKind> {
        FaultKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether request number `n` (1-based) of a `run_fault_<kind>` instance gets the fault.
    pub fn hits_request(self, n: u64) -> bool {
        match self {
            FaultKind::Streak => (1..=3).contains(&n),
            _ => (2..=4).contains(&n),
        }
    }

    /// The faulty response. `real` is the JSON body the request would otherwise get.
    /// [`FaultKind::Hang`] is handled by the caller (it needs the shutdown signal).
    pub fn response(self, real: &[u8]) -> Response {
        match self {
            FaultKind::RateLimit => with_header(
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limit_exceeded", "Too many requests; retry after 3 seconds."),
                "3".to_string(),
            ),
            FaultKind::RateLimitDate => {
                let at = SystemTime::now() + Duration::from_secs(3);
                with_header(
                    ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limit_exceeded", "Too many requests; retry later."),
                    httpdate::fmt_http_date(at),
                )
            }
            FaultKind::Throttled => {
                let mut err = ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "throttled",
                    "A safety gate deferred this request; retry after deferUntil.",
                );
                err.defer_until = Some(rfc3339_ms(now_unix_ms() + 4_000));
                err.into_response()
            }
            FaultKind::Internal | FaultKind::Streak | FaultKind::Hang => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_server_error",
                "The server had an internal error.",
            )
            .into_response(),
            FaultKind::BadGateway => (
                StatusCode::BAD_GATEWAY,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
            )
                .into_response(),
            FaultKind::Unavailable => with_header(
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "service_unavailable", "The service is temporarily unavailable."),
                "2".to_string(),
            ),
            FaultKind::Malformed => json_200(b"{\"runId\": \"x\", status: }".to_vec()),
            FaultKind::Truncated => {
                json_200(real[..real.len() / 2].to_vec())
            }
            FaultKind::Empty => json_200(Vec::new()),
            FaultKind::WrongTypes => json_200(stringify_total_steps(real)),
        }
    }
}

/// Rewrites `"totalSteps": 12` as `"totalSteps": "12"`, keeping the rest byte for byte.
fn stringify_total_steps(real: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(real);
    let key = "\"totalSteps\":";
    let Some(at) = text.find(key) else {
        return real.to_vec();
    };
    let value_start = at + key.len();
    let rest = &text[value_start..];
    let spaces = rest.len() - rest.trim_start().len();
    let digits = rest[spaces..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    let number = &rest[spaces..spaces + digits];
    format!(
        "{}\"{}\"{}",
        &text[..value_start + spaces],
        number,
        &rest[spaces + digits..]
    )
    .into_bytes()
}

/// Adds `Retry-After` to an error response.
fn with_header(err: ApiError, retry_after: String) -> Response {
    let mut response = err.into_response();
    if let Ok(value) = HeaderValue::from_str(&retry_after) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_turns_total_steps_into_a_string() {
        let real = br#"{"progress": {"totalSteps": 12, "completedSteps": 3}}"#;
        let out = String::from_utf8(stringify_total_steps(real)).unwrap();
        assert_eq!(
            out,
            r#"{"progress": {"totalSteps": "12", "completedSteps": 3}}"#
        );
    }

    #[test]
    fn names_round_trip() {
        for kind in FaultKind::ALL {
            assert_eq!(FaultKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(FaultKind::from_name("nope"), None);
    }

    #[test]
    fn dedicated_runs_fail_requests_two_to_four() {
        let hits: Vec<u64> = (1..=6)
            .filter(|&n| FaultKind::Internal.hits_request(n))
            .collect();
        assert_eq!(hits, vec![2, 3, 4]);
        let hits: Vec<u64> = (1..=6)
            .filter(|&n| FaultKind::Streak.hits_request(n))
            .collect();
        assert_eq!(hits, vec![1, 2, 3]);
    }
}
