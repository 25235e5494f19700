//! The lenient `Deserialize` impls of [`Progress`], [`Step`] and [`Output`]:
//! each read field by field from an object by the field rule (see the table
//! in [`super`]), through the readers of [`super::fields`].

use super::fields::{any_object, AnyStatus, AnyTimestamp, FromObject, List, Num, Str, Text};
use crate::api::{Output, OutputType, Progress, Status, Step};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess};

/// The field names of `progress` (matched without allocating).
#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum ProgressField {
    TotalSteps,
    CompletedSteps,
    FailedSteps,
    RunningSteps,
    #[serde(other)]
    Other,
}

impl FromObject for Progress {
    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        use ProgressField as F;
        let mut p = Progress::default();
        while let Some(key) = map.next_key::<F>()? {
            let slot = match key {
                F::TotalSteps => &mut p.total_steps,
                F::CompletedSteps => &mut p.completed_steps,
                F::FailedSteps => &mut p.failed_steps,
                F::RunningSteps => &mut p.running_steps,
                F::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = map.next_value::<Num>()?.count();
        }
        Ok(p)
    }
    fn from_other(_: &'static str) -> Self {
        Progress::default()
    }
}

impl<'de> Deserialize<'de> for Progress {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        any_object(d)
    }
}

/// The field names of a step (matched without allocating).
#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum StepField {
    StepId,
    ReferenceId,
    Name,
    Status,
    PredecessorsLeft,
    AttemptNo,
    StartedAt,
    CompletedAt,
    Outputs,
    #[serde(other)]
    Other,
}

impl FromObject for Step {
    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        use StepField as F;
        let mut s = Step::placeholder(Status::Unknown(String::new()));
        while let Some(key) = map.next_key::<F>()? {
            match key {
                F::StepId => s.step_id = map.next_value::<Text>()?.0.unwrap_or_default(),
                F::ReferenceId => s.reference_id = map.next_value::<Text>()?.0.unwrap_or_default(),
                F::Name => s.name = map.next_value::<Text>()?.0.unwrap_or_default(),
                F::Status => s.status = map.next_value::<AnyStatus>()?.0,
                F::PredecessorsLeft => s.predecessors_left = map.next_value::<Num>()?.count(),
                F::AttemptNo => {
                    s.attempt_no = match map.next_value::<Num>()? {
                        Num::Int(n) => u32::try_from(n).unwrap_or(u32::MAX),
                        Num::Negative | Num::Absent => 1,
                    }
                }
                F::StartedAt => s.started_at = map.next_value::<AnyTimestamp>()?.0,
                F::CompletedAt => s.completed_at = map.next_value::<AnyTimestamp>()?.0,
                F::Outputs => s.outputs = map.next_value::<List<Output>>()?.0,
                F::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(s)
    }
    fn from_other(kind: &'static str) -> Self {
        Step::placeholder(Status::Unknown(format!("not a step ({kind})")))
    }
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        any_object(d)
    }
}

/// The field names of an output; only an unknown one is copied (it is kept
/// in `extra`).
enum OutputField {
    Type,
    OutputId,
    Url,
    MimeType,
    Width,
    Height,
    DurationMs,
    Other(String),
}

impl<'de> Deserialize<'de> for OutputField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = OutputField;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OutputField, E> {
                use OutputField as F;
                Ok(match v {
                    "type" => F::Type,
                    "outputId" => F::OutputId,
                    "url" => F::Url,
                    "mimeType" => F::MimeType,
                    "width" => F::Width,
                    "height" => F::Height,
                    "durationMs" => F::DurationMs,
                    other => F::Other(other.to_owned()),
                })
            }
        }
        d.deserialize_str(V)
    }
}

impl FromObject for Output {
    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        use OutputField as F;
        let mut o = Output::default();
        while let Some(key) = map.next_key::<OutputField>()? {
            match key {
                F::Type => {
                    o.kind = map
                        .next_value::<Text>()?
                        .0
                        .map(OutputType::from)
                        .unwrap_or_default()
                }
                F::OutputId => o.output_id = map.next_value::<Text>()?.0.unwrap_or_default(),
                F::Url => o.url = map.next_value::<Str>()?.0,
                F::MimeType => o.mime_type = map.next_value::<Str>()?.0,
                F::Width => o.width = map.next_value::<Num>()?.size(),
                F::Height => o.height = map.next_value::<Num>()?.size(),
                F::DurationMs => o.duration_ms = map.next_value::<Num>()?.long(),
                F::Other(key) => {
                    o.extra.insert(key, map.next_value()?);
                }
            }
        }
        Ok(o)
    }
    fn from_other(_: &'static str) -> Self {
        Output::default()
    }
}

/// Read field by field rather than with `#[serde(flatten)]`, which buffers
/// every output into an intermediate tree first: on a 1,000-step run that
/// was most of the decode time of a poll.
impl<'de> Deserialize<'de> for Output {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        any_object(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `type` by the field rule: the documented words, any other text (a
    /// number or boolean as its JSON text) kept as unknown, and `null`,
    /// lists and objects the default.
    #[test]
    fn output_types_read_as_the_rule_says() {
        let unknown = |s: &str| OutputType::Unknown(s.to_string());
        for (json, kind) in [
            (r#""inference""#, OutputType::Inference),
            (r#""editor""#, OutputType::Editor),
            (r#""output""#, OutputType::Publish),
            (r#""Output""#, unknown("Output")),
            (r#""hologram""#, unknown("hologram")),
            (r#""""#, unknown("")),
            ("7", unknown("7")),
            ("-1.5", unknown("-1.5")),
            ("true", unknown("true")),
            ("null", OutputType::default()),
            ("[1,[2]]", OutputType::default()),
            (r#"{"a":{"b":1}}"#, OutputType::default()),
        ] {
            let output: Output =
                serde_json::from_str(&format!(r#"{{"type":{json},"url":"u"}}"#)).unwrap();
            assert_eq!(output.kind, kind, "{json}");
            assert_eq!(
                output.url.as_deref(),
                Some("u"),
                "{json}: the next field still read"
            );
        }
    }
}
