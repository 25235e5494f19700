//! Error answers: the documented `{"error":{"message","code"}}` body keeps
//! its message; anything else is described in words built from the status.
//! A gateway's or CDN's HTML page is never quoted as text: at most its
//! `<title>` is named, never its style, script or markup. Plain text is
//! quoted short; an empty body leaves the status alone. Every body is read
//! only as far as [`SCAN_BYTES`], whatever its size.

use crate::api::ApiError;
use serde::Deserialize;

/// Longest body excerpt quoted in an error message.
const EXCERPT_CHARS: usize = 160;
/// Longest page title quoted in an error message.
const TITLE_CHARS: usize = 80;
/// How much of a body is looked at: a title sits in a page's head, and a
/// quoted excerpt is short, so a huge body costs no more than this.
const SCAN_BYTES: usize = 64 * 1024;

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorFields,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorFields {
    #[serde(default)]
    message: Option<String>,
    code: String,
    #[serde(default)]
    defer_until: Option<String>,
}

/// What a body that is not the documented JSON holds, as far as a person
/// should be told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyShape {
    /// Nothing but whitespace.
    Empty,
    /// Markup (an HTML or XML page): only its `<title>`, cleaned, if it has one.
    Page {
        /// The page's title: entities decoded, whitespace collapsed,
        /// invisible characters removed, cut short.
        title: Option<String>,
    },
    /// Anything else, quoted: whitespace collapsed, invisible characters
    /// removed, cut short.
    Text(String),
}

impl BodyShape {
    /// Reads the shape of `body`, looking at no more than [`SCAN_BYTES`].
    pub fn of(body: &str) -> Self {
        let head = prefix(body, SCAN_BYTES);
        let trimmed = head.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if trimmed.is_empty() {
            Self::Empty
        } else if trimmed.starts_with('<') {
            Self::Page {
                title: page_title(trimmed).filter(|t| !t.is_empty()),
            }
        } else {
            Self::Text(clean(trimmed, EXCERPT_CHARS))
        }
    }
}

/// Decodes an error answer: the documented `{"error":{"message","code"}}`
/// body keeps its message; anything else becomes words built from the
/// status ([`error_message`]).
pub fn decode_error(status: u16, body: &str, retry_after: Option<String>) -> ApiError {
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(ErrorBody { error }) => ApiError::Http {
            status,
            message: error
                .message
                .map(|m| clean(&m, EXCERPT_CHARS))
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| reason_phrase(status).to_string()),
            code: Some(error.code),
            retry_after,
            defer_until: error.defer_until,
        },
        Err(_) => ApiError::Http {
            status,
            code: None,
            message: error_message(status, &BodyShape::of(body)),
            retry_after,
            defer_until: None,
        },
    }
}

/// What happened, in words: "The API's gateway answered 502 Bad Gateway"
/// for a page (plus its title when the title says more than the status),
/// the reason and a quote for plain text, the reason alone for nothing.
pub fn error_message(status: u16, shape: &BodyShape) -> String {
    let reason = reason_phrase(status);
    match shape {
        BodyShape::Empty => reason.to_string(),
        BodyShape::Page { title } => {
            let said = format!("The API's gateway answered {status} {reason}");
            match title {
                Some(title) if says_more(title, status, reason) => format!("{said}: “{title}”"),
                _ => said,
            }
        }
        BodyShape::Text(text) => format!("{reason}: “{text}”"),
    }
}

/// A short description of any body for a message about it: a page by its
/// title (never its markup), text quoted short, an empty body as such.
pub fn excerpt(body: &str) -> String {
    match BodyShape::of(body) {
        BodyShape::Empty => "an empty body".to_string(),
        BodyShape::Page { title: Some(title) } => format!("an HTML page titled “{title}”"),
        BodyShape::Page { title: None } => "an HTML page".to_string(),
        BodyShape::Text(text) => text,
    }
}

/// Whether a page title tells more than "<status> <reason>" (nginx's
/// "502 Bad Gateway" does not; "api.example.com | 502: Bad gateway" does).
fn says_more(title: &str, status: u16, reason: &str) -> bool {
    // ASCII case only: Unicode case tables would cost the wasm kilobytes,
    // and a word with other letters is new anyway.
    let known = format!("{status} {reason} error http");
    title
        .split(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
        .filter(|w| !w.is_empty())
        .any(|w| !known.split(' ').any(|k| k.eq_ignore_ascii_case(w)))
}

/// The text of a page's first `<title>` element, cleaned, or `None`.
fn page_title(page: &str) -> Option<String> {
    // ASCII lowercasing keeps every byte offset, so offsets in `lower` are
    // offsets in `page`.
    let lower = page.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let after_tag = open + lower[open..].find('>')? + 1;
    let end = lower[after_tag..]
        .find("</title")
        .map_or(lower.len(), |e| after_tag + e);
    Some(clean(&decode_entities(&page[after_tag..end]), TITLE_CHARS))
}

/// `text` with the character references a title uses decoded: the five
/// XML ones, `&nbsp;`, and numeric ones (`&#8212;`, `&#x2014;`). Any other
/// `&` stays as it is.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest
            .find(';')
            .filter(|&semi| semi <= 10)
            .and_then(|semi| Some((entity(&rest[1..semi])?, semi)));
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character an entity name (between `&` and `;`) stands for.
fn entity(name: &str) -> Option<char> {
    let code = match name {
        "amp" => return Some('&'),
        "lt" => return Some('<'),
        "gt" => return Some('>'),
        "quot" => return Some('"'),
        "apos" => return Some('\''),
        "nbsp" => return Some('\u{a0}'),
        n => match n.strip_prefix("#x").or_else(|| n.strip_prefix("#X")) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => n.strip_prefix('#')?.parse().ok()?,
        },
    };
    char::from_u32(code)
}

/// Whether `c` shows nothing (or reorders text) when printed: controls,
/// zero-width characters, bidirectional controls, soft hyphens, BOMs.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// `text` with invisible characters removed, whitespace runs made one
/// space, trimmed, and cut to `max` characters (an ellipsis marks the cut).
fn clean(text: &str, max: usize) -> String {
    let mut out = String::new();
    for word in text.split(char::is_whitespace) {
        let word: String = word.chars().filter(|c| !invisible(*c)).collect();
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
        // Enough to cut from: the rest of a long text costs nothing.
        if out.len() > 4 * max {
            break;
        }
    }
    match out.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", out[..at].trim_end()),
        None => out,
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a
/// character boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The standard reason phrase of an HTTP status (RFC 9110), or the class
/// of an unlisted one.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        s if s >= 500 => "Server Error",
        s if s >= 400 => "Client Error",
        _ => "Unexpected Status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::decode::decode_run;

    /// A CDN's error page as it really comes: inline style and script, an
    /// entity and stray whitespace in the title.
    const CDN_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head>\n<meta charset=\"utf-8\">\n<title>\n  api.example.com | 502:&nbsp;Bad gateway &#8212; \u{200b}edge&amp;co\n</title>\n<style>body{font-family:system-ui;color:#333} .cf-error{margin:0 auto}</style>\n<script>window._cf_chl_opt={cvId:'3'};document.write('x')</script>\n</head><body><h1>Bad gateway</h1><p>Ray ID: 8f2a</p></body></html>";

    #[test]
    fn documented_error_bodies_keep_their_message() {
        let body = r#"{"error":{"message":"Slow down","code":"throttled","deferUntil":"2026-03-20T12:00:05Z"}}"#;
        assert_eq!(
            decode_run(429, body, Some("3".into())),
            Err(ApiError::Http {
                status: 429,
                code: Some("throttled".into()),
                message: "Slow down".into(),
                retry_after: Some("3".into()),
                defer_until: Some("2026-03-20T12:00:05Z".into()),
            })
        );
        let unauthorized = decode_error(401, r#"{"error":{"code":"unauthorized"}}"#, None);
        assert_eq!(
            unauthorized.to_string(),
            "HTTP 401 unauthorized: Unauthorized"
        );
        assert_eq!(unauthorized.title(), "The API key was not accepted");
        // A JSON message is shown as words too: no control characters, no
        // run of blank lines, no unbounded length.
        let noisy = format!(
            r#"{{"error":{{"message":"Down\n\n  for\u0007 maintenance {}","code":"x"}}}}"#,
            "y".repeat(400)
        );
        let message = match decode_error(503, &noisy, None) {
            ApiError::Http { message, .. } => message,
            other => panic!("{other:?}"),
        };
        assert!(message.starts_with("Down for maintenance yyy"), "{message}");
        assert_eq!(message.chars().count(), EXCERPT_CHARS + 1);
    }

    #[test]
    fn a_gateway_page_is_named_never_quoted() {
        let nginx = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        let err = decode_error(502, nginx, None);
        assert_eq!(err.status(), Some(502));
        assert_eq!(
            err.to_string(),
            "HTTP 502: The API's gateway answered 502 Bad Gateway"
        );
        assert_eq!(
            decode_error(502, CDN_PAGE, None).to_string(),
            "HTTP 502: The API's gateway answered 502 Bad Gateway: \
             “api.example.com | 502: Bad gateway — edge&co”"
        );
        // No title: the status alone. Style and script never leak.
        let untitled = "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>oops</body></html>";
        assert_eq!(
            decode_error(503, untitled, None).to_string(),
            "HTTP 503: The API's gateway answered 503 Service Unavailable"
        );
        // An empty or invisible-only title counts as none.
        assert_eq!(
            BodyShape::of("<title> \u{200b}\u{202e} </title>"),
            BodyShape::Page { title: None }
        );
    }

    #[test]
    fn page_titles_are_cleaned_and_bounded() {
        let title = |page: &str| match BodyShape::of(page) {
            BodyShape::Page { title } => title,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            title("<TITLE lang=en>A&lt;b&gt; &quot;c&quot; &#39;d&#x27; &bogus; &#xZZ; &</TITLE>"),
            Some("A<b> \"c\" 'd' &bogus; &#xZZ; &".into())
        );
        assert_eq!(
            title("\u{feff}  <title>\tRTL\u{202e}gnol\u{2066}  \n x\u{ad}y</title>"),
            Some("RTLgnol xy".into())
        );
        // An unclosed title ends with what was read.
        assert_eq!(title("<title>Service   down"), Some("Service down".into()));
        let long = format!("<title>{}</title>", "word ".repeat(100));
        let cut = title(&long).unwrap();
        assert_eq!(cut.chars().count(), TITLE_CHARS);
        assert!(cut.ends_with("word…"), "{cut}");
        // Multi-byte text keeps whole characters.
        assert_eq!(
            title("<title>Ünavailable — ØK</title>"),
            Some("Ünavailable — ØK".into())
        );
    }

    #[test]
    fn plain_empty_and_huge_bodies() {
        assert_eq!(
            decode_error(
                502,
                "upstream connect error or disconnect/reset before headers\n",
                None
            )
            .to_string(),
            "HTTP 502: Bad Gateway: “upstream connect error or disconnect/reset before headers”"
        );
        assert_eq!(
            decode_error(503, "", None).to_string(),
            "HTTP 503: Service Unavailable"
        );
        assert_eq!(
            decode_error(504, " \r\n\t", None).to_string(),
            "HTTP 504: Gateway Timeout"
        );
        assert_eq!(
            decode_error(599, "", None).to_string(),
            "HTTP 599: Server Error"
        );
        // Huge bodies are read only as far as SCAN_BYTES: a title past that
        // is not found, and text is cut to an excerpt.
        let huge_page = format!(
            "<html><head><style>{}</style><title>Late</title>",
            "a{b:c}".repeat(20_000)
        );
        assert_eq!(BodyShape::of(&huge_page), BodyShape::Page { title: None });
        let huge_text = "é".repeat(1_000_000);
        match BodyShape::of(&huge_text) {
            BodyShape::Text(text) => assert_eq!(text.chars().count(), EXCERPT_CHARS + 1),
            other => panic!("{other:?}"),
        }
        assert_eq!(prefix("aé", 2), "a");
    }

    #[test]
    fn excerpts_describe_any_body() {
        assert_eq!(
            excerpt(CDN_PAGE),
            "an HTML page titled “api.example.com | 502: Bad gateway — edge&co”"
        );
        assert_eq!(excerpt("<p>hi</p>"), "an HTML page");
        assert_eq!(excerpt("  "), "an empty body");
        assert_eq!(excerpt("not   json"), "not json");
        assert_eq!(
            excerpt(&"x".repeat(1000)).chars().count(),
            EXCERPT_CHARS + 1
        );
    }

    #[test]
    fn a_title_says_more_than_the_status_only_with_new_words() {
        assert!(!says_more("502 Bad Gateway", 502, "Bad Gateway"));
        assert!(!says_more(
            "Error 503 - service unavailable",
            503,
            "Service Unavailable"
        ));
        assert!(says_more("Maintenance window", 503, "Service Unavailable"));
    }
}
