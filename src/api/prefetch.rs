//! Adopting the first request of a run page, started by `prefetch.js`
//! (inlined into `index.html`) before the wasm finished downloading: the run
//! data is then usually there by the time the app starts, instead of being
//! requested only after it started.
//!
//! The app takes the request over only when it would have sent exactly the
//! same one (URL, key, project); anything else is aborted, so there is never
//! a second request in flight.

use super::client::{run_url, ApiConfig, RawResponse};
use super::ApiError;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

/// Where `prefetch.js` leaves its request.
const GLOBAL: &str = "__runviewPrefetch";

/// A request started by `prefetch.js`, now owned by the app.
pub struct Prefetched {
    /// Aborts the request (timeout, unmount).
    pub controller: AbortController,
    response: js_sys::Promise,
}

/// Takes the page's prefetched request if it is the one `config` and
/// `run_id` would send; any other is aborted. Later calls find nothing.
pub fn take(config: &ApiConfig, run_id: &str) -> Option<Prefetched> {
    let window = web_sys::window()?;
    let found = Reflect::get(&window, &GLOBAL.into()).ok()?;
    if found.is_undefined() {
        return None;
    }
    let _ = Reflect::delete_property(&window, &GLOBAL.into());
    let text = |name: &str| {
        Reflect::get(&found, &name.into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let controller: AbortController = Reflect::get(&found, &"controller".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let same = text("url") == run_url(&config.base_url, run_id)
        && text("key") == config.key
        && text("project") == config.project;
    let response = Reflect::get(&found, &"response".into())
        .ok()
        .and_then(|v| v.dyn_into::<js_sys::Promise>().ok());
    match response {
        Some(response) if same => Some(Prefetched {
            controller,
            response,
        }),
        _ => {
            controller.abort();
            None
        }
    }
}

impl Prefetched {
    /// Waits for the answer, like [`fetch_run_raw`](super::client::fetch_run_raw).
    pub async fn response(self) -> Result<RawResponse, ApiError> {
        let signal = self.controller.signal();
        let answer = JsFuture::from(self.response).await.map_err(|e| {
            if signal.aborted() {
                ApiError::Aborted
            } else {
                ApiError::Network(message(&e))
            }
        })?;
        let field = |name: &str| Reflect::get(&answer, &name.into()).unwrap_or(JsValue::NULL);
        let status = field("status").as_f64().unwrap_or(0.0) as u16;
        let body = field("body")
            .dyn_into::<Uint8Array>()
            .map(|b| b.to_vec())
            .unwrap_or_default();
        Ok(RawResponse {
            status,
            body,
            retry_after: field("retryAfter").as_string(),
        })
    }
}

fn message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the request failed".into())
}
