//! Reading an output file into the page ("Download all"): a cross-origin
//! read without credentials or referrer, told apart from a refusal.

use gloo_net::http::Request;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Blob, ReferrerPolicy, RequestCredentials, RequestMode};

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The request failed before any answer: the media host does not allow
    /// cross-origin reads (CORS), or the network is down.
    Blocked,
    /// The host answered with this HTTP status.
    Status(u16),
    /// Canceled.
    Aborted,
}

/// Reads `url` as a blob, with no credentials and no referrer.
pub async fn read_blob(url: &str, signal: &AbortSignal) -> Result<Blob, ReadError> {
    let response = Request::get(url)
        .mode(RequestMode::Cors)
        .credentials(RequestCredentials::Omit)
        .referrer_policy(ReferrerPolicy::NoReferrer)
        .abort_signal(Some(signal))
        .send()
        .await
        .map_err(|_| {
            if signal.aborted() {
                ReadError::Aborted
            } else {
                ReadError::Blocked
            }
        })?;
    if !response.ok() {
        return Err(ReadError::Status(response.status()));
    }
    let raw: web_sys::Response = response.into();
    let promise = raw.blob().map_err(|_| ReadError::Blocked)?;
    let blob = JsFuture::from(promise).await.map_err(|_| {
        if signal.aborted() {
            ReadError::Aborted
        } else {
            ReadError::Blocked
        }
    })?;
    blob.dyn_into::<Blob>().map_err(|_| ReadError::Blocked)
}
