//! The head of a text output, for its preview: at most [`MAX_BYTES`], asked
//! for with a `Range` request and, should the host ignore the range, read
//! from the body stream only that far (the rest is never downloaded). The
//! request carries no credentials and no referrer, gives up after
//! [`TIMEOUT_MS`], and is aborted when its [`TextRequest`] is dropped (the
//! preview's owner holds it, so unmounting the card aborts the download).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The most bytes of a text output that are read.
pub const MAX_BYTES: usize = 16 * 1024;

/// How long the preview waits for its bytes.
pub const TIMEOUT_MS: u32 = 15_000;

/// The start of a text file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextHead {
    /// The text read (invalid UTF-8 replaced, a character cut in two by the
    /// limit left out).
    pub text: String,
    /// Whether the file goes on past what was read.
    pub truncated: bool,
}

/// Why there is no preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextError {
    /// The media host did not let the page read the file (CORS), or the
    /// network failed.
    Unreadable,
    /// The host answered with this error status.
    Status(u16),
    /// No answer within [`TIMEOUT_MS`].
    Timeout,
    /// Aborted because the preview went away.
    Aborted,
}

impl TextError {
    /// A short sentence for the card.
    pub fn message(&self) -> String {
        match self {
            Self::Unreadable => "Preview not available.".into(),
            Self::Status(s) => format!("Preview not available (HTTP {s})."),
            Self::Timeout => format!(
                "Preview not available: the file did not load in {} s.",
                TIMEOUT_MS / 1000
            ),
            Self::Aborted => "Preview cancelled.".into(),
        }
    }
}

/// The text of the first [`MAX_BYTES`] of `bytes`; `more` says the stream
/// had more than was read.
pub fn head(bytes: &[u8], more: bool) -> TextHead {
    let mut cut = &bytes[..bytes.len().min(MAX_BYTES)];
    // A character cut in two by the limit is left out, not shown as U+FFFD.
    if bytes.len() > MAX_BYTES {
        if let Err(e) = std::str::from_utf8(cut) {
            if e.error_len().is_none() {
                cut = &cut[..e.valid_up_to()];
            }
        }
    }
    TextHead {
        text: String::from_utf8_lossy(cut).into_owned(),
        truncated: more || bytes.len() > MAX_BYTES,
    }
}

/// Whether a ranged answer left part of the file out: by the total size in
/// `Content-Range` (`bytes 0-16383/52000`) when the page may read it, else
/// by a `206` that filled the whole range.
pub fn range_truncated(status: u16, content_range: Option<&str>, received: usize) -> bool {
    if status != 206 {
        return false;
    }
    let total = content_range
        .and_then(|r| r.rsplit_once('/'))
        .and_then(|(_, total)| total.trim().parse::<u64>().ok());
    match total {
        Some(total) => total > received as u64,
        None => received >= MAX_BYTES,
    }
}

/// One preview download; dropping it aborts the download.
pub struct TextRequest {
    controller: Option<web_sys::AbortController>,
}

impl TextRequest {
    /// A new, not yet started request.
    pub fn new() -> Self {
        Self {
            controller: web_sys::AbortController::new().ok(),
        }
    }

    /// Fetches the head of the text file at `url` (an `http(s)` URL that
    /// passed [`safe_url`](crate::model::url::safe_url)).
    pub fn fetch(
        &self,
        url: String,
    ) -> impl std::future::Future<Output = Result<TextHead, TextError>> {
        let owner = self.controller.as_ref().map(|c| c.signal());
        async move { fetch_head(&url, owner).await }
    }
}

impl Default for TextRequest {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TextRequest {
    fn drop(&mut self) {
        if let Some(c) = &self.controller {
            c.abort();
        }
    }
}

async fn fetch_head(url: &str, owner: Option<web_sys::AbortSignal>) -> Result<TextHead, TextError> {
    let timeout = web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS);
    let signal = match &owner {
        Some(owner) => web_sys::AbortSignal::any(&js_sys::Array::of2(owner, &timeout)),
        None => timeout.clone(),
    };
    let why = || {
        if timeout.aborted() {
            TextError::Timeout
        } else if owner.as_ref().is_some_and(|o| o.aborted()) {
            TextError::Aborted
        } else {
            TextError::Unreadable
        }
    };
    let response = gloo_net::http::Request::get(url)
        .header("Range", &format!("bytes=0-{}", MAX_BYTES - 1))
        .credentials(web_sys::RequestCredentials::Omit)
        .referrer_policy(web_sys::ReferrerPolicy::NoReferrer)
        .abort_signal(Some(&signal))
        .send()
        .await
        .map_err(|_| why())?;
    if !response.ok() {
        return Err(TextError::Status(response.status()));
    }
    let status = response.status();
    let content_range = response.headers().get("Content-Range");
    let Some(body) = response.body() else {
        return Ok(head(&[], false));
    };
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes: Vec<u8> = Vec::new();
    let mut done = false;
    // One byte past the limit tells "exactly 16 KiB" from "more".
    while bytes.len() <= MAX_BYTES {
        let chunk = JsFuture::from(reader.read()).await.map_err(|_| why())?;
        let chunk: web_sys::ReadableStreamReadResult = chunk.unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            done = true;
            break;
        }
        let data = js_sys::Uint8Array::new(&chunk.get_value());
        let room = (MAX_BYTES + 1 - bytes.len()).min(data.length() as usize);
        bytes.extend(data.subarray(0, room as u32).to_vec());
    }
    if !done {
        // Stop the download: the rest of the file is one "open" away.
        let _ = reader.cancel();
    }
    let ranged_more = range_truncated(status, content_range.as_deref(), bytes.len());
    Ok(head(&bytes, !done || ranged_more))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_16_kib_cut_on_a_character() {
        let small = head(b"line 1\nline 2", false);
        assert_eq!(
            small,
            TextHead {
                text: "line 1\nline 2".into(),
                truncated: false
            }
        );
        let mut big = vec![b'a'; MAX_BYTES - 1];
        big.extend("é and more".as_bytes()); // é straddles the limit
        let cut = head(&big, false);
        assert_eq!(cut.text.len(), MAX_BYTES - 1);
        assert!(cut.truncated);
        assert!(head(b"x", true).truncated);
        assert_eq!(head(b"a\xffb", false).text, "a\u{FFFD}b");
    }

    #[test]
    fn ranges_tell_whether_more_is_left() {
        assert!(range_truncated(206, Some("bytes 0-16383/52000"), MAX_BYTES));
        assert!(!range_truncated(206, Some("bytes 0-99/100"), 100));
        assert!(range_truncated(206, None, MAX_BYTES));
        assert!(!range_truncated(206, None, 10));
        assert!(!range_truncated(200, Some("bytes 0-1/9"), 2));
        assert!(range_truncated(206, Some("bytes 0-16383/*"), MAX_BYTES));
        assert_eq!(
            TextError::Timeout.message(),
            "Preview not available: the file did not load in 15 s."
        );
    }
}
