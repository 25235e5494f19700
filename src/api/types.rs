//! Serde types of `GET /api/v1/runs/{runId}` (see `shared/api/get-run-status.txt`).
//!
//! Lenient where the real world is: what each field becomes when it is
//! `null`, missing, of another type, negative or huge is the field rule in
//! [`decode`](super::decode) (which also holds the `Deserialize` impls).

use reactive_stores::{KeyMap, PatchField, Store, StorePath};
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Implements [`PatchField`] for a leaf value: replace and notify only when it differs.
macro_rules! patch_as_leaf {
    ($($ty:ty),*) => {$(
        impl PatchField for $ty {
            fn patch_field(
                &mut self,
                new: Self,
                path: &StorePath,
                notify: &mut dyn FnMut(&StorePath),
                _keys: Option<&KeyMap>,
            ) {
                if *self != new {
                    *self = new;
                    notify(path);
                }
            }
        }
    )*};
}
patch_as_leaf!(Status, OutputType, Timestamp, Output);

/// One run of a blueprint, as the API reports it. Decoded through
/// [`decode`](super::decode), which reads each step separately so a poll
/// decodes only the steps whose JSON changed.
#[derive(Clone, Debug, PartialEq, Store, reactive_stores::Patch)]
pub struct Run {
    /// The run's id, e.g. `run_abc123`.
    pub run_id: String,
    /// The blueprint this run executes.
    pub blueprint_id: String,
    /// Run-level status.
    pub status: Status,
    /// When the run started (absent while queued).
    pub started_at: Option<Timestamp>,
    /// When the run completed; `null` until it does.
    pub completed_at: Option<Timestamp>,
    /// Step counts.
    pub progress: Progress,
    /// Outputs of the leaf steps: the pipeline's end results.
    pub final_outputs: Vec<Output>,
    /// Every step, in the API's order, keyed by [`Step::key`] (distinct even
    /// when the API repeats a `stepId`).
    #[store(key: String = |step| step.key())]
    pub steps: Vec<Step>,
}

/// Step-level progress counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Store, reactive_stores::Patch)]
pub struct Progress {
    /// Number of steps in the run.
    pub total_steps: u32,
    /// Steps that finished (succeeded, skipped or locked).
    pub completed_steps: u32,
    /// Steps that failed.
    pub failed_steps: u32,
    /// Steps running now.
    pub running_steps: u32,
}

/// One step of the run's DAG.
#[derive(Clone, Debug, PartialEq, Store, reactive_stores::Patch)]
pub struct Step {
    /// Id of this step in the run (unique, says the API; a repeat is survived
    /// through [`occurrence`](Self::occurrence)).
    pub step_id: String,
    /// The blueprint node this step runs.
    pub reference_id: String,
    /// Human name of the step.
    pub name: String,
    /// Step status.
    pub status: Status,
    /// Predecessors that still have to finish before this step can start.
    pub predecessors_left: u32,
    /// Attempt number, 1 for the first try.
    pub attempt_no: u32,
    /// When the (current attempt of the) step started.
    pub started_at: Option<Timestamp>,
    /// When the step completed; `null` until it does.
    pub completed_at: Option<Timestamp>,
    /// What the step produced.
    pub outputs: Vec<Output>,
    /// Not from the API: 0 for the first step with its `stepId`; for a later
    /// step repeating that id, the `n` that makes [`key`](Self::key)
    /// `stepId#n` distinct from every other step's key (set by the decoder).
    pub occurrence: u32,
}

impl Step {
    /// A step with every field empty and the given status.
    pub fn placeholder(status: Status) -> Self {
        Self {
            step_id: String::new(),
            reference_id: String::new(),
            name: String::new(),
            status,
            predecessors_left: 0,
            attempt_no: 1,
            started_at: None,
            completed_at: None,
            outputs: Vec::new(),
            occurrence: 0,
        }
    }

    /// The key of this step's row: its `stepId`, or `stepId#n` for a repeat.
    pub fn key(&self) -> String {
        if self.occurrence == 0 {
            self.step_id.clone()
        } else {
            format!("{}#{}", self.step_id, self.occurrence)
        }
    }
    /// Whether [`Step::key`] is `key`, without building it.
    pub fn has_key(&self, key: &str) -> bool {
        match key.strip_prefix(self.step_id.as_str()) {
            Some("") => self.occurrence == 0,
            Some(rest) => {
                self.occurrence != 0 && rest.strip_prefix('#') == Some(&self.occurrence.to_string())
            }
            None => false,
        }
    }
}

/// One output of a step: a media file, or a publish result.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    /// Where it came from (`inference`, `editor`, `output` = publish).
    pub kind: OutputType,
    /// Stable id (`outputId`); the same output appears in a step and in `finalOutputs`.
    pub output_id: String,
    /// Public URL of the file (cloud storage, another origin).
    pub url: Option<String>,
    /// MIME type of the file (`mimeType`).
    pub mime_type: Option<String>,
    /// Pixel width of an image or video.
    pub width: Option<u32>,
    /// Pixel height of an image or video.
    pub height: Option<u32>,
    /// Length of a video or audio file (`durationMs`).
    pub duration_ms: Option<u64>,
    /// Any other field: publish outputs carry undocumented platform details.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Not from the API: where the output sits (`final/0`, or its step's
    /// key and index, `step_001/1`), set by the decoder; the key of an
    /// output without an `outputId` (see [`Output::key`]).
    pub slot: String,
}

impl Output {
    /// A key that tells this output from the others: its `outputId`, or for
    /// an output without one, `@` and its [`slot`](Self::slot) (stable
    /// from poll to poll while it stays in place).
    pub fn key(&self) -> String {
        if self.output_id.is_empty() {
            format!("@{}", self.slot)
        } else {
            self.output_id.clone()
        }
    }
}

/// A run or step status. Values outside the documented list are kept.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(from = "String")]
pub enum Status {
    /// Waiting to start.
    Queued,
    /// Being executed.
    Running,
    /// Completed successfully.
    Succeeded,
    /// Failed.
    Failed,
    /// Skipped (counts as completed).
    Skipped,
    /// Locked (counts as completed).
    Locked,
    /// Canceled before it finished (`canceled` or `cancelled`).
    Canceled,
    /// A value the docs do not list, kept verbatim.
    Unknown(String),
}

impl Status {
    /// Every documented status word and the status it reads as: the one
    /// table that decoding, display ([`Status::as_str`]) and this type read.
    /// A status's first word is how the API spells it.
    pub const WORDS: [(&'static str, Status); 8] = [
        ("queued", Status::Queued),
        ("running", Status::Running),
        ("succeeded", Status::Succeeded),
        ("failed", Status::Failed),
        ("skipped", Status::Skipped),
        ("locked", Status::Locked),
        ("canceled", Status::Canceled),
        ("cancelled", Status::Canceled),
    ];

    /// A documented status word, read case-insensitively with surrounding
    /// whitespace ignored, without allocating (every step of every body has
    /// one); `None` for any other text.
    pub fn known(text: &str) -> Option<Status> {
        // The word as documented (nearly every step of every body), then the rest.
        if let Some((_, status)) = Self::WORDS.iter().find(|(w, _)| *w == text) {
            return Some(status.clone());
        }
        let word = text.trim();
        Self::WORDS
            .into_iter()
            .find(|(w, _)| word.eq_ignore_ascii_case(w))
            .map(|(_, status)| status)
    }
}

impl From<String> for Status {
    /// Read as [`Status::known`] reads it; anything else is kept verbatim as
    /// `Unknown`.
    fn from(s: String) -> Self {
        Self::known(&s).unwrap_or(Self::Unknown(s))
    }
}

/// Where an output came from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "String")]
pub enum OutputType {
    /// AI generation output.
    #[default]
    Inference,
    /// Video/audio editing output.
    Editor,
    /// Publish output with status and platform details.
    Publish,
    /// A value the docs do not list, kept verbatim.
    Unknown(String),
}

impl From<String> for OutputType {
    fn from(s: String) -> Self {
        match s.as_str() {
            "inference" => Self::Inference,
            "editor" => Self::Editor,
            "output" => Self::Publish,
            _ => Self::Unknown(s),
        }
    }
}

/// An instant, as Unix milliseconds (parsed from RFC 3339 by the `time` crate).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Parses an RFC 3339 timestamp such as `2026-03-20T12:00:01Z`.
    pub fn parse(s: &str) -> Option<Self> {
        let t = OffsetDateTime::parse(s, &Rfc3339).ok()?;
        i64::try_from(t.unix_timestamp_nanos() / 1_000_000)
            .ok()
            .map(Self)
    }

    /// Unix milliseconds.
    pub fn ms(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::{Status, Step};

    #[test]
    fn has_key_agrees_with_key() {
        let keys = [
            "s1", "s1#1", "s1#2", "s12", "s", "", "s1#", "s1#01", "s1#+1",
        ];
        for (id, occurrence) in [("s1", 0), ("s1", 1), ("s1", 2), ("s", 0), ("", 0)] {
            let step = Step {
                step_id: id.to_string(),
                occurrence,
                ..Step::placeholder(Status::Queued)
            };
            for key in keys {
                assert_eq!(
                    step.has_key(key),
                    step.key() == key,
                    "{id}#{occurrence} vs {key}"
                );
            }
        }
    }
}
