//! One typed error for everything that can go wrong talking to the API.

use std::fmt;

/// What went wrong with a request, decoded far enough to act on and to explain.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The request never got an HTTP answer (offline, DNS, CORS, connection reset).
    Network(String),
    /// No answer within the request timeout; the request was aborted.
    Timeout,
    /// Aborted on purpose (the run changed or the page went away).
    Aborted,
    /// The server answered with an error status.
    Http {
        /// HTTP status code.
        status: u16,
        /// The documented `error.code`, when the body had the documented shape.
        code: Option<String>,
        /// A human-readable message: `error.message`, or an excerpt of the body.
        message: String,
        /// The `Retry-After` header, verbatim, when the browser could read it.
        retry_after: Option<String>,
        /// `error.deferUntil` of a `throttled` error (RFC 3339).
        defer_until: Option<String>,
    },
    /// A 2xx answer whose body is not the documented JSON.
    Decode(String),
}

impl ApiError {
    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// A short title for a banner.
    pub fn title(&self) -> String {
        match self {
            Self::Network(_) => "Can't reach the API".into(),
            Self::Timeout => "The API did not answer in time".into(),
            Self::Aborted => "Request cancelled".into(),
            Self::Http { status: 401, .. } => "The API key was not accepted".into(),
            Self::Http { status: 403, .. } => "This key may not read this run".into(),
            Self::Http { status: 404, .. } => "Run not found".into(),
            Self::Http { status: 429, .. } => "Rate limited by the API".into(),
            Self::Http { status, .. } if *status >= 500 => {
                format!("The API failed (HTTP {status})")
            }
            Self::Http { status, .. } => format!("The API refused the request (HTTP {status})"),
            Self::Decode(_) => "The API sent a response runview can't read".into(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Network(detail) => write!(f, "network error: {detail}"),
            Self::Timeout => f.write_str("request timed out"),
            Self::Aborted => f.write_str("request aborted"),
            Self::Http {
                status,
                code,
                message,
                ..
            } => match code {
                Some(code) => write!(f, "HTTP {status} {code}: {message}"),
                None => write!(f, "HTTP {status}: {message}"),
            },
            Self::Decode(detail) => write!(f, "unreadable response: {detail}"),
        }
    }
}
