//! The HTTP client: one function per endpoint, on gloo-net (the browser's fetch).
//!
//! A request that cannot be built (a header value the browser refuses, an
//! unusable URL) is an [`ApiError::Request`], never a thrown exception: gloo-net's
//! own header setter throws, which would leave the caller's future pending
//! forever. Requests refuse redirects (`redirect: "error"`), so the key is
//! never replayed to another URL.

use super::{encode_segment, ApiError};
use gloo_net::http::{Headers, Request};
use web_sys::RequestRedirect;

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

/// The headers of every API request, as name and value: `Accept`, the key
/// as `Authorization: Bearer`, the project as `X-Wonda-Project`.
pub fn request_headers(config: &ApiConfig) -> Vec<(&'static str, String)> {
    let mut headers = vec![("Accept", "application/json".to_string())];
    if !config.key.is_empty() {
        headers.push(("Authorization", format!("Bearer {}", config.key.trim())));
    }
    if !config.project.trim().is_empty() {
        headers.push(("X-Wonda-Project", config.project.trim().to_string()));
    }
    headers
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

/// Builds a GET of `url` with the API's headers, or says why it cannot be built.
fn build_request(
    config: &ApiConfig,
    url: &str,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<Request, ApiError> {
    let refused = |what: &str, e: wasm_bindgen::JsValue| {
        ApiError::Request(format!("{what}: {}", js_message(&e)))
    };
    let headers = web_sys::Headers::new().map_err(|e| refused("headers", e))?;
    for (name, value) in request_headers(config) {
        headers.set(name, &value).map_err(|e| {
            let field = match name {
                "Authorization" => "the API key",
                "X-Wonda-Project" => "the project",
                other => other,
            };
            refused(
                &format!("{field} contains a character a header cannot carry"),
                e,
            )
        })?;
    }
    Request::get(url)
        .headers(Headers::from_raw(headers))
        .redirect(RequestRedirect::Error)
        .abort_signal(signal)
        .build()
        .map_err(|e| ApiError::Request(gloo_detail(&e)))
}

/// Fetches one run, `signal` aborting it (run change, unmount, timeout).
/// The body comes back undecoded, so the caller can skip decoding a body
/// identical to the last one; [`decode_update`](super::decode::decode_update) reads it.
pub async fn fetch_run_raw(
    config: &ApiConfig,
    run_id: &str,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<RawResponse, ApiError> {
    fetch_raw(config, &run_url(&config.base_url, run_id), signal).await
}

/// GETs `url` (an API URL built from `config.base_url`) with the API's
/// headers, `signal` aborting it; the answer comes back undecoded.
pub async fn fetch_raw(
    config: &ApiConfig,
    url: &str,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<RawResponse, ApiError> {
    let request = build_request(config, url, signal)?;
    let failed = |e: gloo_net::Error| {
        if signal.is_some_and(|s| s.aborted()) {
            ApiError::Aborted
        } else {
            ApiError::Network(gloo_detail(&e))
        }
    };
    let response = request.send().await.map_err(failed)?;
    let status = response.status();
    let retry_after = response.headers().get("Retry-After");
    let body = response.binary().await.map_err(failed)?;
    Ok(RawResponse {
        status,
        body,
        retry_after,
    })
}

fn gloo_detail(e: &gloo_net::Error) -> String {
    match e {
        gloo_net::Error::JsError(js) => js.message.clone(),
        other => other.to_string(),
    }
}

fn js_message(e: &wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "refused by the browser".into())
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
    }

    #[test]
    fn headers_carry_the_trimmed_key_and_project() {
        let config = ApiConfig {
            base_url: String::new(),
            key: " sk_1 ".into(),
            project: "  ".into(),
        };
        assert_eq!(
            request_headers(&config),
            [
                ("Accept", "application/json".to_string()),
                ("Authorization", "Bearer sk_1".to_string()),
            ]
        );
        let config = ApiConfig {
            project: " p ".into(),
            ..ApiConfig::default()
        };
        assert_eq!(
            request_headers(&config)[1],
            ("X-Wonda-Project", "p".to_string())
        );
    }
}
