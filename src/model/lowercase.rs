//! Unicode lowercasing without shipping Unicode's case tables: in the
//! browser the platform's `String.prototype.toLowerCase` (the same
//! locale-independent Unicode default case conversion, final sigma
//! included); natively Rust's `str::to_lowercase`, which stands in for it
//! in tests. Rust's tables cost the first load about 4 KiB brotli, and the
//! browser already has its own.
//!
//! Callers keep their ASCII fast path: this is for text that is not ASCII.

/// `text` lowercased by the platform (`toLowerCase`).
#[cfg(target_arch = "wasm32")]
pub fn lowercase(text: &str) -> String {
    String::from(js_sys::JsString::from(text).to_lower_case())
}

/// `text` lowercased by Rust (the browser's stand-in natively).
#[cfg(not(target_arch = "wasm32"))]
pub fn lowercase(text: &str) -> String {
    text.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::lowercase;

    #[test]
    fn lowercases_what_the_platform_does() {
        assert_eq!(lowercase("Ärger ÜBER Öl"), "ärger über öl");
        // Dotted capital I: "i" and a combining dot above (no locale).
        assert_eq!(lowercase("İ"), "i\u{307}");
        // Final sigma at a word's end, medial sigma inside it.
        assert_eq!(lowercase("ΟΔΟΣ ΣΑΣ"), "οδος σας");
        assert_eq!(lowercase("ÉTAPE 3"), "étape 3");
    }
}
