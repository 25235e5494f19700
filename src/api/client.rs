//! The HTTP client: one function per endpoint, on gloo-net (the browser's fetch).

use super::ApiError;

/// Where and how to call the API.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiConfig {
    /// Base URL, e.g. `https://api.wondercat.ai`; empty means the page's own origin.
    pub base_url: String,
    /// The API key (`sk_…`), sent as `Authorization: Bearer`.
    pub key: String,
    /// Optional project, sent as `X-Wonda-Project`.
    pub project: String,
}

/// The URL of a run: the base without trailing slashes, then the run id
/// percent-encoded as one path segment.
pub fn run_url(base_url: &str, run_id: &str) -> String {
    format!(
        "{}/api/v1/runs/{}",
        base_url.trim().trim_end_matches('/'),
        encode_segment(run_id)
    )
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so a run id
/// can never add path segments, a query or a fragment.
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An HTTP answer, before decoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// The body's bytes (copied out of the browser as they are: no text
    /// decoding and re-encoding of a large body on every poll).
    pub body: Vec<u8>,
    /// The `Retry-After` header, when the browser may read it.
    pub retry_after: Option<String>,
}

/// Fetches one run, `signal` aborting it (run change, unmount, timeout).
/// The body comes back undecoded, so the caller can skip decoding a body
/// identical to the last one; [`decode_update`](super::decode::decode_update) reads it.
pub async fn fetch_run_raw(
    config: &ApiConfig,
    run_id: &str,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<RawResponse, ApiError> {
    use gloo_net::http::Request;
    let mut request = Request::get(&run_url(&config.base_url, run_id))
        .header("Accept", "application/json")
        .abort_signal(signal);
    if !config.key.is_empty() {
        request = request.header("Authorization", &format!("Bearer {}", config.key.trim()));
    }
    if !config.project.trim().is_empty() {
        request = request.header("X-Wonda-Project", config.project.trim());
    }
    let response = request.send().await.map_err(|e| {
        if signal.is_some_and(|s| s.aborted()) {
            ApiError::Aborted
        } else {
            ApiError::Network(network_detail(&e))
        }
    })?;
    let status = response.status();
    let retry_after = response.headers().get("Retry-After");
    let body = response.binary().await.map_err(|e| {
        if signal.is_some_and(|s| s.aborted()) {
            ApiError::Aborted
        } else {
            ApiError::Network(network_detail(&e))
        }
    })?;
    Ok(RawResponse {
        status,
        body,
        retry_after,
    })
}

fn network_detail(e: &gloo_net::Error) -> String {
    match e {
        gloo_net::Error::JsError(js) => js.message.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_stay_one_path_segment() {
        assert_eq!(run_url("", "run_abc123"), "/api/v1/runs/run_abc123");
        assert_eq!(
            run_url("https://api.wondercat.ai/ ", "a/../b?c#d e"),
            "https://api.wondercat.ai/api/v1/runs/a%2F..%2Fb%3Fc%23d%20e"
        );
        assert_eq!(encode_segment("é"), "%C3%A9");
    }
}
