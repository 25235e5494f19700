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
    /// 503 with a CDN's HTML error page: inline `<style>` and `<script>`,
    /// an entity and whitespace in its `<title>`.
    GatewayHtml,
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
    // Real-world input: values a real server sends that the contract does not promise.
    /// 200 with the real run made ugly as real servers send it: `null` in
    /// display fields, floats for integers, negative counts, an unknown
    /// field, and the second step repeating the first step's `stepId`.
    Ugly,
    /// 200 with the real run reported as `cancelled` (a terminal status).
    Canceled,
}

impl FaultKind {
    /// Every kind, in documentation order.
    pub const ALL: [FaultKind; 15] = [
        FaultKind::RateLimit,
        FaultKind::RateLimitDate,
        FaultKind::Throttled,
        FaultKind::Internal,
        FaultKind::BadGateway,
        FaultKind::Unavailable,
        FaultKind::GatewayHtml,
        FaultKind::Hang,
        FaultKind::Malformed,
        FaultKind::Truncated,
        FaultKind::Empty,
        FaultKind::WrongTypes,
        FaultKind::Streak,
        FaultKind::Ugly,
        FaultKind::Canceled,
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
            FaultKind::GatewayHtml => "gateway_html",
            FaultKind::Hang => "hang",
            FaultKind::Malformed => "malformed",
            FaultKind::Truncated => "truncated",
            FaultKind::Empty => "empty",
            FaultKind::WrongTypes => "wrong_types",
            FaultKind::Streak => "streak",
            FaultKind::Ugly => "ugly",
            FaultKind::Canceled => "canceled",
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
            FaultKind::GatewayHtml => (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, "text/html; charset=UTF-8")],
                GATEWAY_PAGE,
            )
                .into_response(),
            FaultKind::Malformed => json_200(b"{\"runId\": \"x\", status: }".to_vec()),
            FaultKind::Truncated => {
                json_200(real[..real.len() / 2].to_vec())
            }
            FaultKind::Empty => json_200(Vec::new()),
            FaultKind::WrongTypes => json_200(stringify_total_steps(real)),
            FaultKind::Ugly => json_200(uglify(real)),
            FaultKind::Canceled => json_200(cancel(real)),
        }
    }
}

/// A CDN's 503 page, shaped like the real ones: the words a person should
/// see are only in its title; the rest is style, script and markup.
pub const GATEWAY_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en-US"><head>
<meta charset="UTF-8" /><meta name="viewport" content="width=device-width,initial-scale=1" />
<title>
    api.runview.test | 503:&nbsp;Service temporarily unavailable
</title>
<style>*{box-sizing:border-box;margin:0;padding:0}html{line-height:1.15}body{font-family:system-ui,sans-serif;color:#404040}.cf-error-overview{padding:2rem}#cf-wrapper .cf-section{display:flex}</style>
<script>(function(){window._cf_chl_opt={cvId:'3',cType:'managed'};var a=document.createElement('script');a.src='/cdn-cgi/challenge-platform/h/g/orchestrate/jsch/v1';document.head.appendChild(a);})();</script>
</head>
<body><div id="cf-wrapper"><div class="cf-error-overview"><h1>Error 503</h1>
<p>The origin web server is temporarily unavailable. Ray ID: 8f2a61c0de</p></div></div></body></html>
"#;

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

/// The real run with real-world values (see [`FaultKind::Ugly`]); a body
/// that is not a run object is returned as it is.
fn uglify(real: &[u8]) -> Vec<u8> {
    use serde_json::{json, Value};
    let Ok(Value::Object(mut run)) = serde_json::from_slice::<Value>(real) else {
        return real.to_vec();
    };
    run.insert("blueprintId".into(), Value::Null);
    run.insert("newField".into(), json!({ "nested": [1, null, "x"] }));
    if let Some(Value::Object(p)) = run.get_mut("progress") {
        for (key, value) in p.iter_mut() {
            let n = value.as_i64().unwrap_or(0);
            *value = match key.as_str() {
                "totalSteps" | "completedSteps" => json!(n as f64 + 0.0),
                "failedSteps" => Value::Null,
                _ => json!(-1),
            };
        }
    }
    let first_id = run
        .get("steps")
        .and_then(|s| s.get(0))
        .and_then(|s| s.get("stepId"))
        .cloned();
    if let Some(Value::Array(steps)) = run.get_mut("steps") {
        for (i, step) in steps.iter_mut().enumerate() {
            let Value::Object(step) = step else { continue };
            step.insert("referenceId".into(), Value::Null);
            let attempt = step.get("attemptNo").and_then(Value::as_f64).unwrap_or(1.0);
            step.insert("attemptNo".into(), json!(attempt + 0.0));
            if step.get("predecessorsLeft").and_then(Value::as_i64) == Some(0) {
                step.insert("predecessorsLeft".into(), json!(-1));
            }
            if i == 1 {
                if let Some(id) = &first_id {
                    step.insert("stepId".into(), id.clone());
                }
            }
            if let Some(Value::Array(outputs)) = step.get_mut("outputs") {
                for output in outputs.iter_mut().filter_map(Value::as_object_mut) {
                    if let Some(w) = output.get("width").and_then(Value::as_f64) {
                        output.insert("width".into(), json!(w + 0.5));
                    }
                    if output.contains_key("height") {
                        output.insert("height".into(), Value::Null);
                    }
                    if let Some(d) = output.get("durationMs").and_then(Value::as_f64) {
                        output.insert("durationMs".into(), json!(d + 0.5));
                    }
                }
            }
        }
    }
    serde_json::to_vec(&Value::Object(run)).unwrap_or_else(|_| real.to_vec())
}

/// The real run with its status `cancelled`.
fn cancel(real: &[u8]) -> Vec<u8> {
    use serde_json::Value;
    match serde_json::from_slice::<Value>(real) {
        Ok(Value::Object(mut run)) => {
            run.insert("status".into(), Value::from("cancelled"));
            serde_json::to_vec(&run).unwrap_or_else(|_| real.to_vec())
        }
        _ => real.to_vec(),
    }
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
    fn ugly_bodies_keep_the_run_but_not_its_shapes() {
        let real = br#"{"runId":"r","blueprintId":"bp","status":"running","progress":{"totalSteps":2,"completedSteps":1,"failedSteps":0,"runningSteps":1},
            "steps":[{"stepId":"a","referenceId":"n","attemptNo":1,"predecessorsLeft":0,"outputs":[{"width":640,"height":360,"durationMs":100}]},
                     {"stepId":"b","attemptNo":2,"predecessorsLeft":1}]}"#;
        let ugly: serde_json::Value = serde_json::from_slice(&uglify(real)).unwrap();
        assert_eq!(ugly["blueprintId"], serde_json::Value::Null);
        assert_eq!(ugly["progress"]["totalSteps"], 2.0);
        assert_eq!(ugly["progress"]["runningSteps"], -1);
        assert_eq!(ugly["steps"][0]["predecessorsLeft"], -1);
        assert_eq!(ugly["steps"][1]["stepId"], "a");
        assert_eq!(ugly["steps"][1]["attemptNo"], 2.0);
        assert_eq!(ugly["steps"][0]["outputs"][0]["width"], 640.5);
        assert_eq!(
            ugly["steps"][0]["outputs"][0]["height"],
            serde_json::Value::Null
        );
        let canceled: serde_json::Value = serde_json::from_slice(&cancel(real)).unwrap();
        assert_eq!(canceled["status"], "cancelled");
        assert_eq!(uglify(b"[1]"), b"[1]");
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
