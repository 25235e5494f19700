//! One typed error for everything that can go wrong talking to the API, from
//! the client through the polling policy to the banner; and the one place
//! that classifies HTTP statuses ([`classify`]).

use std::fmt;

/// What went wrong with a request, decoded far enough to act on and to explain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// The request could not even be built or sent as asked (a header value
    /// the browser refuses, an unusable base URL). Retrying the same request
    /// cannot help: polling stops until the settings change or the person
    /// asks again.
    Request(String),
    /// The request never got an HTTP answer (offline, DNS, CORS, connection
    /// reset, a redirect: requests refuse to follow one).
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
        /// A human-readable message: `error.message`, or words built from
        /// the status for any other body: a gateway's HTML page named by its
        /// `<title>` at most, never its markup, style or script; plain
        /// text quoted short ([`crate::api::decode::error_body`]).
        message: String,
        /// The `Retry-After` header, verbatim, when the browser could read it.
        retry_after: Option<String>,
        /// `error.deferUntil` of a `throttled` error (RFC 3339).
        defer_until: Option<String>,
    },
    /// A 2xx answer whose body is not the documented JSON.
    Decode(String),
}

/// Why an error stops polling instead of being retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FatalKind {
    /// The request cannot be built from the settings ([`ApiError::Request`]).
    Unsendable,
    /// 400: bad request (e.g. `unknown_project` from the project header).
    BadRequest,
    /// 401: missing or invalid API key.
    Unauthorized,
    /// 403: the key may not read this run (`forbidden`, `feature_disabled`).
    Forbidden,
    /// 404: no such run, or the API is not enabled for the account.
    NotFound,
    /// 410: the endpoint was retired.
    Gone,
}

/// What an HTTP status means to runview.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatusClass {
    /// 2xx: a body to decode.
    Success,
    /// Stops polling until the person acts (settings, Refresh, Resume).
    Fatal(FatalKind),
    /// 429: retried no sooner than the server's hint.
    RateLimited,
    /// 5xx: retried with backoff.
    ServerError,
    /// Any other status (408, 402, 409, 3xx, unlisted 4xx): retried with
    /// backoff, since a transient cause is likelier than a permanent one and
    /// the backoff keeps retries cheap.
    OtherRetryable,
}

/// The one classification of HTTP statuses: fatal are 400, 401, 403, 404
/// and 410; everything else that is not 2xx is retried.
pub fn classify(status: u16) -> StatusClass {
    match status {
        200..=299 => StatusClass::Success,
        400 => StatusClass::Fatal(FatalKind::BadRequest),
        401 => StatusClass::Fatal(FatalKind::Unauthorized),
        403 => StatusClass::Fatal(FatalKind::Forbidden),
        404 => StatusClass::Fatal(FatalKind::NotFound),
        410 => StatusClass::Fatal(FatalKind::Gone),
        429 => StatusClass::RateLimited,
        500..=599 => StatusClass::ServerError,
        _ => StatusClass::OtherRetryable,
    }
}

/// What a page shows, for titles that name it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Subject {
    /// One run.
    #[default]
    Run,
    /// A blueprint's run history.
    History,
}

impl ApiError {
    /// An HTTP error with no body details, e.g. for tests and simulations.
    pub fn http(status: u16, code: Option<&str>) -> Self {
        Self::Http {
            status,
            code: code.map(str::to_string),
            message: String::new(),
            retry_after: None,
            defer_until: None,
        }
    }

    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Why this error stops polling, or `None` if it is retried.
    pub fn fatal_kind(&self) -> Option<FatalKind> {
        match self {
            Self::Request(_) => Some(FatalKind::Unsendable),
            Self::Http { status, .. } => match classify(*status) {
                StatusClass::Fatal(kind) => Some(kind),
                _ => None,
            },
            _ => None,
        }
    }

    /// A short title for a banner about a run.
    pub fn title(&self) -> String {
        self.title_for(Subject::Run)
    }

    /// A short title for a banner about `subject` (what the page shows).
    pub fn title_for(&self, subject: Subject) -> String {
        match self {
            Self::Request(_) => "The request could not be sent as configured".into(),
            Self::Network(_) => "Can't reach the API".into(),
            Self::Timeout => "The API did not answer in time".into(),
            Self::Aborted => "Request cancelled".into(),
            Self::Http { status, .. } => match classify(*status) {
                StatusClass::Fatal(FatalKind::Unauthorized) => {
                    "The API key was not accepted".into()
                }
                StatusClass::Fatal(FatalKind::Forbidden) => match subject {
                    Subject::Run => "This key may not read this run".into(),
                    Subject::History => "This key may not read this blueprint's runs".into(),
                },
                StatusClass::Fatal(FatalKind::NotFound) => match subject {
                    Subject::Run => "Run not found".into(),
                    Subject::History => "Blueprint not found".into(),
                },
                StatusClass::RateLimited => "Rate limited by the API".into(),
                StatusClass::ServerError => format!("The API failed (HTTP {status})"),
                _ => format!("The API refused the request (HTTP {status})"),
            },
            Self::Decode(_) => "The API sent a response runview can't read".into(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Request(detail) => write!(f, "request not sent: {detail}"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_classified_once() {
        let table = [
            (200, StatusClass::Success),
            (204, StatusClass::Success),
            (400, StatusClass::Fatal(FatalKind::BadRequest)),
            (401, StatusClass::Fatal(FatalKind::Unauthorized)),
            (403, StatusClass::Fatal(FatalKind::Forbidden)),
            (404, StatusClass::Fatal(FatalKind::NotFound)),
            (410, StatusClass::Fatal(FatalKind::Gone)),
            (429, StatusClass::RateLimited),
            (500, StatusClass::ServerError),
            (503, StatusClass::ServerError),
            (599, StatusClass::ServerError),
            (302, StatusClass::OtherRetryable),
            (402, StatusClass::OtherRetryable),
            (408, StatusClass::OtherRetryable),
            (409, StatusClass::OtherRetryable),
            (418, StatusClass::OtherRetryable),
        ];
        for (status, class) in table {
            assert_eq!(classify(status), class, "{status}");
        }
    }

    #[test]
    fn fatal_kinds_and_titles_follow_the_classification() {
        assert_eq!(
            ApiError::http(401, None).fatal_kind(),
            Some(FatalKind::Unauthorized)
        );
        assert_eq!(ApiError::http(503, None).fatal_kind(), None);
        assert_eq!(
            ApiError::Request("bad header".into()).fatal_kind(),
            Some(FatalKind::Unsendable)
        );
        for e in [
            ApiError::Network("x".into()),
            ApiError::Timeout,
            ApiError::Decode("x".into()),
        ] {
            assert_eq!(e.fatal_kind(), None, "{e}");
        }
        assert_eq!(
            ApiError::http(401, None).title(),
            "The API key was not accepted"
        );
        assert_eq!(ApiError::http(429, None).title(), "Rate limited by the API");
        assert_eq!(ApiError::http(404, None).title(), "Run not found");
        assert_eq!(
            ApiError::http(404, None).title_for(Subject::History),
            "Blueprint not found"
        );
        assert_eq!(
            ApiError::http(403, None).title_for(Subject::History),
            "This key may not read this blueprint's runs"
        );
        assert_eq!(
            ApiError::http(502, None).title(),
            "The API failed (HTTP 502)"
        );
        assert_eq!(
            ApiError::http(410, None).title(),
            "The API refused the request (HTTP 410)"
        );
        assert_eq!(
            ApiError::Request("invalid header value".into()).to_string(),
            "request not sent: invalid header value"
        );
    }
}
