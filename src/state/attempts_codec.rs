//! The stored form of the attempt memory (JSON, in sessionStorage), read and
//! written off the first load: in release wasm builds this code is in the
//! `attempts` chunk (with the list of a step's attempts), fetched when a tab
//! has a stored memory to read or a first attempt to write. Elsewhere (native,
//! debug builds, the browser tests) the same functions run in place.

use crate::model::attempts::AttemptMemory;

/// Why stored text could not be read: its code did not arrive (the text may
/// be fine, so it must not be overwritten).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeMissing;

/// `text` as a memory; `Ok(None)` if it does not read as one (ignored).
#[cfg(all(target_arch = "wasm32", not(debug_assertions)))]
pub async fn decode(text: String) -> Result<Option<AttemptMemory>, CodeMissing> {
    split::decode(text).await.map_err(|_| CodeMissing)
}

/// `text` as a memory; `Ok(None)` if it does not read as one (ignored).
#[cfg(not(all(target_arch = "wasm32", not(debug_assertions))))]
pub async fn decode(text: String) -> Result<Option<AttemptMemory>, CodeMissing> {
    Ok(read(&text))
}

/// `memory` as stored text; `None` if its code did not arrive.
#[cfg(all(target_arch = "wasm32", not(debug_assertions)))]
pub async fn encode(memory: AttemptMemory) -> Option<String> {
    split::encode(memory).await.ok()
}

/// `memory` as stored text.
#[cfg(not(all(target_arch = "wasm32", not(debug_assertions))))]
pub async fn encode(memory: AttemptMemory) -> Option<String> {
    Some(write(&memory))
}

/// Reads stored text (serde_json); `None` if it is not a memory.
fn read(text: &str) -> Option<AttemptMemory> {
    serde_json::from_str(text).ok()
}

/// Writes a memory as stored text (serde_json).
fn write(memory: &AttemptMemory) -> String {
    serde_json::to_string(memory).unwrap_or_default()
}

/// The split points of the `attempts` chunk (release wasm builds).
#[cfg(all(target_arch = "wasm32", not(debug_assertions)))]
mod split {
    use super::AttemptMemory;
    use wasm_split_helpers::SplitLoaderError;

    #[wasm_split_helpers::wasm_split(attempts, fallible)]
    pub fn decode(text: String) -> Result<Option<AttemptMemory>, SplitLoaderError> {
        Ok(super::read(&text))
    }

    #[wasm_split_helpers::wasm_split(attempts, fallible)]
    pub fn encode(memory: AttemptMemory) -> Result<String, SplitLoaderError> {
        Ok(super::write(&memory))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::attempts::Attempt;

    #[test]
    fn a_memory_reads_back_as_written_and_junk_reads_as_none() {
        let memory = AttemptMemory {
            v: 0,
            attempts: vec![Attempt {
                step: "step_003".into(),
                attempt_no: 1,
                status: "failed".into(),
                started_ms: Some(1),
                completed_ms: Some(2),
                ..Attempt::default()
            }],
        };
        let text = write(&memory);
        assert!(text.contains(r#""attemptNo":1"#), "{text}");
        assert_eq!(read(&text), Some(memory));
        assert_eq!(read("{not json"), None);
        assert_eq!(read(r#"{"attempts":"many"}"#), None);
    }
}
