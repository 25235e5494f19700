//! How this copy of the app is deployed, as the page that loaded it says.
//!
//! `deploy/nginx/serve.sh` in key-kept mode adds
//! `<meta name="runview-api-key" content="server">` to the index.html it
//! serves: the proxy in front of `/api/` adds the server's key to every
//! request, so the app must not ask anyone for one. Any other page (trunk
//! serve, the simulator, a static host) has no such tag: the key is the
//! person's own, typed in Settings.

/// The `<meta>` name that carries the key source.
pub const KEY_SOURCE_META: &str = "runview-api-key";

/// Who supplies the API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// The person types their own key in Settings (the default).
    Browser,
    /// The server in front of `/api/` adds its own key; the browser holds none.
    Server,
}

impl KeySource {
    /// The key source a `<meta name="runview-api-key">` content names
    /// (`None`: no tag). Only the exact word `server` means the server.
    pub fn from_meta(content: Option<&str>) -> Self {
        match content.map(str::trim) {
            Some("server") => KeySource::Server,
            _ => KeySource::Browser,
        }
    }

    /// The key source this page was served with (read from the document once per call).
    pub fn of_page() -> Self {
        let content = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| {
                d.query_selector(&format!("meta[name=\"{KEY_SOURCE_META}\"]"))
                    .ok()
                    .flatten()
            })
            .and_then(|meta| meta.get_attribute("content"));
        Self::from_meta(content.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_word_server_means_a_server_key() {
        assert_eq!(KeySource::from_meta(Some("server")), KeySource::Server);
        assert_eq!(KeySource::from_meta(Some(" server ")), KeySource::Server);
        assert_eq!(KeySource::from_meta(None), KeySource::Browser);
        assert_eq!(KeySource::from_meta(Some("")), KeySource::Browser);
        assert_eq!(KeySource::from_meta(Some("Server-ish")), KeySource::Browser);
    }
}
