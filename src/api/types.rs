//! Serde types of `GET /api/v1/runs/{runId}` (see `shared/api/get-run-status.txt`).
//!
//! Lenient where the real world is: unknown fields are ignored (or kept, for
//! publish outputs), optional fields may be missing, unknown status and output
//! type values are kept as `Unknown(String)`, and a timestamp that does not
//! parse is treated as absent instead of failing the whole response.

use reactive_stores::{KeyMap, PatchField, Store, StorePath};
use serde::{Deserialize, Deserializer};
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
    /// Every step, in the API's order.
    #[store(key: String = |step| step.step_id.clone())]
    pub steps: Vec<Step>,
}

/// Step-level progress counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Store, reactive_stores::Patch)]
#[serde(rename_all = "camelCase", default)]
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
#[derive(Clone, Debug, PartialEq, Deserialize, Store, reactive_stores::Patch)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// Unique id of this step in the run; the key of its row.
    pub step_id: String,
    /// The blueprint node this step runs.
    #[serde(default)]
    pub reference_id: String,
    /// Human name of the step.
    #[serde(default)]
    pub name: String,
    /// Step status.
    pub status: Status,
    /// Predecessors that still have to finish before this step can start.
    #[serde(default)]
    pub predecessors_left: u32,
    /// Attempt number, 1 for the first try.
    #[serde(default = "first_attempt")]
    pub attempt_no: u32,
    /// When the (current attempt of the) step started.
    #[serde(default, deserialize_with = "lenient_timestamp")]
    pub started_at: Option<Timestamp>,
    /// When the step completed; `null` until it does.
    #[serde(default, deserialize_with = "lenient_timestamp")]
    pub completed_at: Option<Timestamp>,
    /// What the step produced.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub outputs: Vec<Output>,
}

fn first_attempt() -> u32 {
    1
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
}

/// Read field by field rather than with `#[serde(flatten)]`, which buffers
/// every output into an intermediate tree first: on a 1,000-step run that
/// was most of the decode time of a poll.
impl<'de> Deserialize<'de> for Output {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct OutputVisitor;
        impl<'de> serde::de::Visitor<'de> for OutputVisitor {
            type Value = Output;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an output object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Output, A::Error> {
                let mut o = Output::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "type" => {
                            o.kind = map
                                .next_value::<Option<String>>()?
                                .map(OutputType::from)
                                .unwrap_or_default()
                        }
                        "outputId" => {
                            o.output_id = map.next_value::<Option<String>>()?.unwrap_or_default()
                        }
                        "url" => o.url = map.next_value()?,
                        "mimeType" => o.mime_type = map.next_value()?,
                        "width" => o.width = map.next_value()?,
                        "height" => o.height = map.next_value()?,
                        "durationMs" => o.duration_ms = map.next_value()?,
                        _ => {
                            o.extra.insert(key, map.next_value()?);
                        }
                    }
                }
                Ok(o)
            }
        }
        d.deserialize_map(OutputVisitor)
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
    /// A value the docs do not list, kept verbatim.
    Unknown(String),
}

impl From<String> for Status {
    fn from(s: String) -> Self {
        match s.as_str() {
            "queued" => Self::Queued,
            "running" => Self::Running,
            "succeeded" => Self::Succeeded,
            "failed" => Self::Failed,
            "skipped" => Self::Skipped,
            "locked" => Self::Locked,
            _ => Self::Unknown(s),
        }
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

/// A timestamp that is `null`, missing or not RFC 3339 becomes `None`.
pub(crate) fn lenient_timestamp<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Timestamp>, D::Error> {
    let raw: Option<serde_json::Value> = Option::deserialize(d)?;
    Ok(raw.and_then(|v| v.as_str().and_then(Timestamp::parse)))
}

/// `"outputs": null` is read as no outputs.
fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}
