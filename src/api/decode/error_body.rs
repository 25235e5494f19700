//! Error answers: the documented `{"error":{"message","code"}}` body, or a
//! status with a short excerpt of whatever else came back (an HTML gateway
//! page, plain text, nothing).

use crate::api::ApiError;
use serde::Deserialize;

/// Longest body excerpt quoted in an error message.
const EXCERPT_CHARS: usize = 160;

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorFields,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorFields {
    #[serde(default)]
    message: Option<String>,
    code: String,
    #[serde(default)]
    defer_until: Option<String>,
}

/// Decodes an error answer: the documented `{"error":{"message","code"}}` body,
/// or, for anything else (an HTML gateway page, an empty body, plain text),
/// the status with a short excerpt of the body.
pub fn decode_error(status: u16, body: &str, retry_after: Option<String>) -> ApiError {
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(ErrorBody { error }) => ApiError::Http {
            status,
            message: error
                .message
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| reason_phrase(status).to_string()),
            code: Some(error.code),
            retry_after,
            defer_until: error.defer_until,
        },
        Err(_) => {
            let excerpt = excerpt(body);
            let message = if excerpt.is_empty() {
                reason_phrase(status).to_string()
            } else {
                format!("{}: “{excerpt}”", reason_phrase(status))
            };
            ApiError::Http {
                status,
                code: None,
                message,
                retry_after,
                defer_until: None,
            }
        }
    }
}

/// The visible text of a body, tags stripped and whitespace collapsed, cut short.
pub fn excerpt(body: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if in_tag => {}
            c if c.is_control() || c.is_whitespace() => text.push(' '),
            c => text.push(c),
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.chars().count() > EXCERPT_CHARS {
        let cut: String = joined.chars().take(EXCERPT_CHARS).collect();
        format!("{cut}…")
    } else {
        joined
    }
}

/// A short English phrase for an HTTP status.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad request",
        401 => "Unauthorized",
        402 => "Payment required",
        403 => "Forbidden",
        404 => "Not found",
        408 => "Request timeout",
        409 => "Conflict",
        410 => "Gone",
        429 => "Too many requests",
        500 => "Internal server error",
        502 => "Bad gateway",
        503 => "Service unavailable",
        504 => "Gateway timeout",
        s if s >= 500 => "Server error",
        s if s >= 400 => "Client error",
        _ => "Unexpected status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::decode::decode_run;

    #[test]
    fn documented_error_bodies_are_decoded() {
        let body = r#"{"error":{"message":"Slow down","code":"throttled","deferUntil":"2026-03-20T12:00:05Z"}}"#;
        assert_eq!(
            decode_run(429, body, Some("3".into())),
            Err(ApiError::Http {
                status: 429,
                code: Some("throttled".into()),
                message: "Slow down".into(),
                retry_after: Some("3".into()),
                defer_until: Some("2026-03-20T12:00:05Z".into()),
            })
        );
        let unauthorized = decode_error(401, r#"{"error":{"code":"unauthorized"}}"#, None);
        assert_eq!(
            unauthorized.to_string(),
            "HTTP 401 unauthorized: Unauthorized"
        );
        assert_eq!(unauthorized.title(), "The API key was not accepted");
    }

    #[test]
    fn other_error_bodies_become_status_and_excerpt() {
        let html =
            "<html><head><title>502</title></head><body>\n<h1>Bad   Gateway</h1></body></html>";
        let err = decode_error(502, html, None);
        assert_eq!(err.status(), Some(502));
        assert_eq!(err.to_string(), "HTTP 502: Bad gateway: “502 Bad Gateway”");
        assert_eq!(
            decode_error(503, "", None).to_string(),
            "HTTP 503: Service unavailable"
        );
        let long = "x".repeat(1000);
        assert_eq!(excerpt(&long).chars().count(), EXCERPT_CHARS + 1);
    }
}
