//! URL safety: only `http:` and `https:` URLs may become a `src` or `href`;
//! and whether a URL would carry a key in clear text.
//!
//! The decision is made on what the WHATWG URL parser finds, never by a
//! hand-written scan: in the browser `web_sys::Url` (the page's own parser,
//! so the check and the element that loads the URL read it the same way);
//! natively the `url` crate, the same standard's parser, stands in for it
//! (it is a native-only dependency: the wasm never ships it). The decision
//! itself, [`is_web`], is a pure function of the parsed protocol and host.

/// The decision: a URL the parser read with protocol `http:` or `https:`
/// and a non-empty host may be loaded or linked; anything else may not.
pub fn is_web(protocol: &str, host: &str) -> bool {
    matches!(protocol, "http:" | "https:") && !host.is_empty()
}

/// Returns the URL (without the leading and trailing spaces and control
/// characters the parser ignores) if the WHATWG parser reads it as an
/// absolute `http:`/`https:` URL with a host; anything else (`javascript:`,
/// `data:`, relative paths, garbage) is `None` and is shown as inert text.
pub fn safe_url(raw: &str) -> Option<&str> {
    let (protocol, host) = parse(raw)?;
    is_web(&protocol, &host).then(|| raw.trim_matches(|c: char| c <= ' '))
}

/// Whether `raw` is an `http:` URL to a host other than this machine, so
/// whatever it carries (an API key) would cross a network unencrypted.
pub fn is_clear_text_remote(raw: &str) -> bool {
    parse(raw).is_some_and(|(protocol, host)| protocol == "http:" && !is_loopback(&host))
}

/// Whether a parsed hostname names this machine: `localhost` (and
/// `*.localhost`), `127.0.0.0/8` or `[::1]`.
pub fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    // The URL parser wrote an IPv6 address in brackets and an IPv4 one in
    // its four-part form, which is what `IpAddr` reads.
    let ip = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(&host);
    host == "localhost"
        || host.ends_with(".localhost")
        || ip
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Protocol (with its `:`) and hostname as the browser's `URL` reads them.
#[cfg(target_arch = "wasm32")]
fn parse(raw: &str) -> Option<(String, String)> {
    let url = web_sys::Url::new(raw).ok()?;
    Some((url.protocol(), url.hostname()))
}

/// Protocol (with its `:`) and hostname as the `url` crate reads them (the
/// WHATWG parser, standing in for the browser's natively).
#[cfg(not(target_arch = "wasm32"))]
fn parse(raw: &str) -> Option<(String, String)> {
    let url = ::url::Url::parse(raw).ok()?;
    Some((
        format!("{}:", url.scheme()),
        url.host_str().unwrap_or("").to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_pass() {
        assert_eq!(
            safe_url(" https://cdn.example.com/a.png "),
            Some("https://cdn.example.com/a.png")
        );
        assert_eq!(
            safe_url("HTTP://127.0.0.1:8091/media/x.webm"),
            Some("HTTP://127.0.0.1:8091/media/x.webm")
        );
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "file:///etc/passwd",
            "blob:https://a.example/uuid",
            "//evil.example/x.png",
            "/relative/x.png",
            "https://",
            "http://[::1",
            "",
        ] {
            assert_eq!(safe_url(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_decision_is_protocol_and_host() {
        assert!(is_web("https:", "a.example"));
        assert!(is_web("http:", "127.0.0.1:8091"));
        assert!(!is_web("https:", ""));
        assert!(!is_web("javascript:", ""));
        assert!(!is_web("ftp:", "a.example"));
    }

    #[test]
    fn loopback_hosts() {
        for host in [
            "localhost",
            "app.localhost",
            "127.0.0.1",
            "127.1.2.3",
            "127.255.255.255",
            "[::1]",
            "[0:0:0:0:0:0:0:1]",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "example.com",
            "127.0.0.1.evil.com",
            "10.0.0.1",
            "[::2]",
            "128.0.0.1",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
        assert!(is_clear_text_remote("http://127.0.0.1.evil.com"));
        assert!(!is_clear_text_remote("http://127.1:8090"));
    }
}
