//! Percent-encoding of one URL path segment (a run id, a step id), by the
//! `percent-encoding` crate. `prefetch.js` produces the same bytes with the
//! platform's `encodeURIComponent` plus `!'()*` (a browser test checks they
//! agree).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes everything but RFC 3986 unreserved characters (UTF-8,
/// upper-case hex), so the text can never add path segments, a query or a
/// fragment.
pub fn encode_segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unreserved_characters_stay() {
        assert_eq!(encode_segment("run_abc-1.2~3"), "run_abc-1.2~3");
        assert_eq!(encode_segment("a/../b?c#d e"), "a%2F..%2Fb%3Fc%23d%20e");
        assert_eq!(encode_segment("é"), "%C3%A9");
        assert_eq!(encode_segment("!'()*"), "%21%27%28%29%2A");
        assert_eq!(encode_segment("%2F"), "%252F");
        assert_eq!(
            encode_segment("日本\u{feff}"),
            "%E6%97%A5%E6%9C%AC%EF%BB%BF"
        );
        assert_eq!(encode_segment(""), "");
    }
}
