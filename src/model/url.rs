//! URL safety: only `http:` and `https:` URLs may become a `src` or `href`.

/// Returns the URL if it is an absolute `http:`/`https:` URL without
/// whitespace or control characters; anything else (`javascript:`, `data:`,
/// relative paths, garbage) is `None` and is shown as inert text.
pub fn safe_url(raw: &str) -> Option<&str> {
    let url = raw.trim();
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    let (scheme, rest) = url.split_once(':')?;
    let ok_scheme = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
    let host = rest.strip_prefix("//")?;
    let has_host = host
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|h| !h.is_empty() && !h.starts_with('@'));
    (ok_scheme && has_host).then_some(url)
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
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "file:///etc/passwd",
            "//evil.example/x.png",
            "/relative/x.png",
            "https:/one-slash",
            "https://",
            "https://@evil",
            "java\tscript:alert(1)",
            "https://a.example/x y.png",
            "",
        ] {
            assert_eq!(safe_url(bad), None, "{bad:?}");
        }
    }
}
