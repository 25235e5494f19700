//! Decoding a whole body: the run's own fields by the field rule, the steps
//! left raw (each a slice of the body) for [`decode_step`], and the two
//! failures the rule allows: a body that is not JSON (or not a JSON object),
//! and a `steps` that is not a list.

use super::error_body::decode_error;
use super::fields::{AnyStatus, AnyTimestamp, List, Text};
use super::reason_phrase;
use crate::api::{ApiError, Output, Progress, Run, Status, Step};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::collections::HashSet;
use std::fmt;

/// The wire shape of a run: the run's fields decoded, and the steps as `S`:
/// each step's JSON left raw (`&RawValue`, a slice of the body, to decode
/// only the steps that changed) or decoded in the same pass (`Step`, for a
/// body with nothing to compare with).
pub(super) struct WireRun<S> {
    /// Every field but `steps` (left empty).
    pub(super) head: Run,
    /// The steps.
    pub(super) steps: Vec<S>,
}

/// The field names of a run (matched without allocating).
#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum RunField {
    RunId,
    BlueprintId,
    Status,
    StartedAt,
    CompletedAt,
    Progress,
    FinalOutputs,
    Steps,
    #[serde(other)]
    Other,
}

/// `steps`: a list; `null` is none; anything else fails.
struct StepList<S>(Vec<S>);

impl<'de, S: Deserialize<'de>> Deserialize<'de> for StepList<S> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<S>(std::marker::PhantomData<S>);
        impl<'de, S: Deserialize<'de>> Visitor<'de> for V<S> {
            type Value = StepList<S>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`steps` as a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut steps = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(step) = seq.next_element::<S>()? {
                    steps.push(step);
                }
                Ok(StepList(steps))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(StepList(Vec::new()))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl<'de, S: Deserialize<'de>> Deserialize<'de> for WireRun<S> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<S>(std::marker::PhantomData<S>);
        impl<'de, S: Deserialize<'de>> Visitor<'de> for V<S> {
            type Value = WireRun<S>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a run (a JSON object)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                use RunField as F;
                let mut head = Run {
                    run_id: String::new(),
                    blueprint_id: String::new(),
                    status: Status::Unknown(String::new()),
                    started_at: None,
                    completed_at: None,
                    progress: Progress::default(),
                    final_outputs: Vec::new(),
                    steps: Vec::new(),
                };
                let mut steps = Vec::new();
                while let Some(key) = map.next_key::<F>()? {
                    match key {
                        F::RunId => head.run_id = map.next_value::<Text>()?.0.unwrap_or_default(),
                        F::BlueprintId => {
                            head.blueprint_id = map.next_value::<Text>()?.0.unwrap_or_default()
                        }
                        F::Status => head.status = map.next_value::<AnyStatus>()?.0,
                        F::StartedAt => head.started_at = map.next_value::<AnyTimestamp>()?.0,
                        F::CompletedAt => head.completed_at = map.next_value::<AnyTimestamp>()?.0,
                        F::Progress => head.progress = map.next_value::<Progress>()?,
                        F::FinalOutputs => head.final_outputs = map.next_value::<List<Output>>()?.0,
                        F::Steps => steps = map.next_value::<StepList<S>>()?.0,
                        F::Other => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                place_outputs(&mut head.final_outputs, "final");
                Ok(WireRun { head, steps })
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// Decodes the answer to `GET /api/v1/runs/{runId}`, whole.
pub fn decode_run(status: u16, body: &str, retry_after: Option<String>) -> Result<Run, ApiError> {
    check_status(status, body.as_bytes(), retry_after)?;
    let wire = wire_run_whole(body.as_bytes())?;
    let mut steps = wire.steps;
    assign_occurrences(&mut steps);
    Ok(Run { steps, ..wire.head })
}

/// Sets the [`slot`](crate::api::Output::slot) of each output without an
/// `outputId`: `<place>/<index>` (outputs with an id are keyed by it).
pub(super) fn place_outputs(outputs: &mut [Output], place: &str) {
    for (i, o) in outputs.iter_mut().enumerate() {
        if o.output_id.is_empty() {
            o.slot = format!("{place}/{i}");
        }
    }
}

/// Numbers the repeats of a `stepId` so every step's [`Step::key`] differs
/// from every other's: the first step with an id keeps it as its key, a
/// later one gets the smallest `n` for which `stepId#n` is no step's id and
/// no earlier key. Then places each step's outputs under its key.
pub(super) fn assign_occurrences(steps: &mut [Step]) {
    number_repeats(steps);
    for step in steps.iter_mut() {
        // The key is made only for a step with an output that needs it.
        if step.outputs.iter().any(|o| o.output_id.is_empty()) {
            let key = step.key();
            place_outputs(&mut step.outputs, &key);
        }
    }
}

fn number_repeats(steps: &mut [Step]) {
    let mut taken: HashSet<String> = HashSet::with_capacity(steps.len());
    let ids: HashSet<&str> = steps.iter().map(|s| s.step_id.as_str()).collect();
    if ids.len() == steps.len() {
        // The documented case: every id is distinct.
        steps.iter_mut().for_each(|s| s.occurrence = 0);
        return;
    }
    let ids: HashSet<String> = ids.into_iter().map(str::to_owned).collect();
    for step in steps.iter_mut() {
        step.occurrence = 0;
        if taken.insert(step.step_id.clone()) {
            continue;
        }
        let mut n: u32 = 1;
        loop {
            let key = format!("{}#{n}", step.step_id);
            if !ids.contains(&key) && taken.insert(key) {
                step.occurrence = n;
                break;
            }
            n = n.saturating_add(1);
        }
    }
}

/// A non-2xx status or an empty body as an error.
pub(super) fn check_status(
    status: u16,
    body: &[u8],
    retry_after: Option<String>,
) -> Result<(), ApiError> {
    if !(200..300).contains(&status) {
        return Err(decode_error(
            status,
            &String::from_utf8_lossy(body),
            retry_after,
        ));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::Decode(format!(
            "HTTP {status} ({}) with an empty body",
            reason_phrase(status)
        )));
    }
    Ok(())
}

/// The run's fields and raw steps, or why the body is not a run.
pub(super) fn wire_run(body: &[u8]) -> Result<WireRun<&RawValue>, ApiError> {
    parse(body)
}

/// The run's fields and its steps decoded in the same pass (each step by
/// the same rule as [`decode_step`]), or why the body is not a run.
pub(super) fn wire_run_whole(body: &[u8]) -> Result<WireRun<Step>, ApiError> {
    parse(body)
}

/// Parses a body: checked as UTF-8 once, then read as text. (Read as bytes,
/// serde_json checks each string it meets on its own: ~8% of the
/// instructions of decoding a 5,000-step body.) A body that is not UTF-8 is
/// read as bytes, so the error says where.
fn parse<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, ApiError> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
    .map_err(|e| ApiError::Decode(describe_json_error(&e)))
}

/// One step by the field rule (never fails on valid JSON).
pub(super) fn decode_step(raw: &RawValue) -> Result<Step, ApiError> {
    serde_json::from_str(raw.get()).map_err(|e| ApiError::Decode(describe_json_error(&e)))
}

/// Names what was wrong with a body in words a person can act on.
fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Eof => "the JSON ends too early (truncated response)",
        Category::Syntax => "the body is not valid JSON",
        Category::Data => "the JSON is not a run",
        Category::Io => "the body could not be read",
    };
    format!("{what}: {e}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{OutputType, Timestamp};

    const GOLDEN: &str = include_str!("../../../tests/fixtures/run_abc123.json");

    #[test]
    fn golden_fixture_decodes_exactly() {
        let run = decode_run(200, GOLDEN, None).unwrap();
        assert_eq!(run.run_id, "run_abc123");
        assert_eq!(run.blueprint_id, "bp_xyz");
        assert_eq!(run.status, Status::Running);
        assert_eq!(run.started_at, Timestamp::parse("2026-03-20T12:00:00Z"));
        assert_eq!(run.completed_at, None);
        assert_eq!(
            (
                run.progress.total_steps,
                run.progress.completed_steps,
                run.progress.failed_steps,
                run.progress.running_steps
            ),
            (5, 3, 0, 1)
        );
        assert_eq!(run.final_outputs.len(), 1);
        let video = &run.final_outputs[0];
        assert_eq!(video.kind, OutputType::Editor);
        assert_eq!(video.output_id, "ejo_1");
        assert_eq!(
            video.url.as_deref(),
            Some("https://storage.example.com/video.mp4")
        );
        assert_eq!(video.mime_type.as_deref(), Some("video/mp4"));
        assert_eq!(
            (video.width, video.height, video.duration_ms),
            (Some(1920), Some(1080), Some(15000))
        );
        assert!(video.extra.is_empty());
        let ids: Vec<_> = run.steps.iter().map(|s| s.step_id.as_str()).collect();
        assert_eq!(ids, ["step_001", "step_002", "step_003"]);
        let s1 = &run.steps[0];
        assert_eq!(
            (s1.reference_id.as_str(), s1.name.as_str()),
            ("step_abc", "Generate background")
        );
        assert_eq!(
            (s1.status.clone(), s1.predecessors_left, s1.attempt_no),
            (Status::Succeeded, 0, 1)
        );
        assert_eq!(
            s1.completed_at.unwrap().ms() - s1.started_at.unwrap().ms(),
            9_000
        );
        assert_eq!(s1.outputs[0].kind, OutputType::Inference);
        assert_eq!(s1.outputs[0].duration_ms, None);
        assert_eq!(run.steps[2].status, Status::Running);
        assert_eq!(run.steps[2].completed_at, None);
        assert!(run.steps[2].outputs.is_empty());
        assert_eq!(run.steps[1].outputs[0], run.final_outputs[0]);
    }

    #[test]
    fn missing_optional_fields_are_tolerated() {
        let body = r#"{"runId":"r","status":"queued","steps":[{"stepId":"s","status":"queued"},
            {"stepId":"t","status":"succeeded","outputs":null,"startedAt":null}],
            "finalOutputs":[{"type":"inference","outputId":"o","url":"https://x/y.png","mimeType":"image/png"}]}"#;
        let run = decode_run(200, body, None).unwrap();
        assert_eq!(run.blueprint_id, "");
        assert_eq!(run.progress.total_steps, 0);
        assert_eq!(run.steps[0].attempt_no, 1);
        assert_eq!(run.steps[0].name, "");
        assert!(run.steps[1].outputs.is_empty());
        assert_eq!(run.final_outputs[0].width, None);
    }

    /// The issue's examples: nulls in display fields, floats, negatives,
    /// huge counts and wrong types all show the run.
    #[test]
    fn real_world_values_show_the_run() {
        let body = r#"{"runId":"r","blueprintId":null,"status":"running",
            "progress":{"totalSteps":5.0,"completedSteps":-2,"failedSteps":null,"runningSteps":99999999999},
            "finalOutputs":[{"type":"editor","outputId":"v","url":"https://x/v.mp4","width":1920.0,
                "height":-1,"durationMs":15000.5}, 17, null],
            "steps":[{"stepId":"s","name":null,"referenceId":42,"status":"succeeded","attemptNo":null,
                "predecessorsLeft":-1,"outputs":"none"},
              {"stepId":"t","name":["x"],"status":null,"attemptNo":2.7,"startedAt":1774008000000},
              7]}"#;
        let run = decode_run(200, body, None).unwrap();
        assert_eq!(run.blueprint_id, "");
        assert_eq!(
            run.progress,
            Progress {
                total_steps: 5,
                completed_steps: 0,
                failed_steps: 0,
                running_steps: u32::MAX
            }
        );
        assert_eq!(run.final_outputs.len(), 1);
        let v = &run.final_outputs[0];
        assert_eq!(
            (v.width, v.height, v.duration_ms),
            (Some(1920), None, Some(15000))
        );
        let s = &run.steps[0];
        assert_eq!(
            (s.name.as_str(), s.reference_id.as_str(), s.attempt_no),
            ("", "42", 1)
        );
        assert_eq!((s.predecessors_left, s.outputs.len()), (0, 0));
        let t = &run.steps[1];
        assert_eq!(
            (
                t.name.as_str(),
                t.status.label(),
                t.attempt_no,
                t.started_at
            ),
            ("", "unknown: (none)".to_string(), 2, None)
        );
        assert_eq!(run.steps[2].status.label(), "unknown: not a step (number)");
        assert_eq!(run.steps[2].step_id, "");
    }

    #[test]
    fn repeated_step_ids_get_distinct_keys() {
        let body = r#"{"runId":"r","status":"running","steps":[
            {"stepId":"a","status":"running"},{"stepId":"a","status":"queued"},
            {"stepId":"a#1","status":"queued"},{"stepId":"a","status":"queued"},
            {"status":"queued"},{"status":"queued"}]}"#;
        let run = decode_run(200, body, None).unwrap();
        let keys: Vec<_> = run.steps.iter().map(Step::key).collect();
        assert_eq!(keys, ["a", "a#2", "a#1", "a#3", "", "#1"]);
        let ids: Vec<_> = run.steps.iter().map(|s| s.step_id.as_str()).collect();
        assert_eq!(ids, ["a", "a", "a#1", "a", "", ""]);
    }

    #[test]
    fn unknown_values_are_kept_not_fatal() {
        let body = r#"{"runId":"r","status":"paused_by_operator","newField":{"a":1},
            "steps":[{"stepId":"s","status":"waiting_for_gpu","outputs":[
              {"type":"hologram","outputId":"h","url":"https://x/h.glb","mimeType":"model/gltf-binary"},
              {"type":"output","outputId":"p","platform":"youtube","status":"succeeded","permalink":"https://youtu.be/x"}]}]}"#;
        let run = decode_run(200, body, None).unwrap();
        assert_eq!(run.status, Status::Unknown("paused_by_operator".into()));
        assert_eq!(
            run.steps[0].status,
            Status::Unknown("waiting_for_gpu".into())
        );
        assert_eq!(
            run.steps[0].outputs[0].kind,
            OutputType::Unknown("hologram".into())
        );
        let publish = &run.steps[0].outputs[1];
        assert_eq!(publish.kind, OutputType::Publish);
        assert_eq!(publish.url, None);
        assert_eq!(publish.extra["platform"], "youtube");
        assert_eq!(publish.extra["status"], "succeeded");
    }

    #[test]
    fn outputs_read_what_they_can() {
        let body = r#"{"runId":"r","status":"running","finalOutputs":[
            {"type":null,"outputId":null,"width":null,"url":"https://x/a.png"},
            {"outputId":"o","width":"wide","url":7,"mimeType":["image/png"]}]}"#;
        let run = decode_run(200, body, None).unwrap();
        assert_eq!(run.final_outputs[0].kind, OutputType::Inference);
        assert_eq!(run.final_outputs[0].width, None);
        let o = &run.final_outputs[1];
        assert_eq!(
            (o.width, o.url.as_deref(), o.mime_type.as_deref()),
            (None, None, None)
        );
    }

    #[test]
    fn bad_timestamps_become_absent() {
        let body = r#"{"runId":"r","status":"running","startedAt":"yesterday","completedAt":42,"steps":[]}"#;
        let run = decode_run(200, body, None).unwrap();
        assert_eq!((run.started_at, run.completed_at), (None, None));
        assert_eq!(
            Timestamp::parse("2026-03-20T12:00:01.250+01:00").map(Timestamp::ms),
            Timestamp::parse("2026-03-20T11:00:01.250Z").map(Timestamp::ms)
        );
    }

    #[test]
    fn hostile_strings_survive_as_plain_text() {
        let body = r#"{"runId":"r","status":"running","steps":[{"stepId":"<img src=x onerror=alert(1)>","name":"\u0000\u202e</script>","status":"running"}]}"#;
        let run = decode_run(200, body, None).unwrap();
        assert_eq!(run.steps[0].step_id, "<img src=x onerror=alert(1)>");
        assert_eq!(run.steps[0].name, "\u{0}\u{202e}</script>");
    }

    #[test]
    fn only_bodies_that_are_not_a_run_fail_and_say_why() {
        let cases = [
            ("", "empty body"),
            ("{\"runId\": \"x\", status: }", "not valid JSON"),
            (&GOLDEN[..GOLDEN.len() / 2], "truncated"),
            (
                r#"{"runId":"r","status":"running","steps":"none"}"#,
                "`steps` as a list",
            ),
            (r#"{"runId":"r","steps":{"a":1}}"#, "`steps` as a list"),
            ("[1,2]", "not a run"),
            ("\"run\"", "not a run"),
        ];
        for (body, expected) in cases {
            match decode_run(200, body, None) {
                Err(ApiError::Decode(msg)) => {
                    assert!(msg.contains(expected), "{msg:?} lacks {expected:?}")
                }
                other => panic!("{body:?} gave {other:?}"),
            }
        }
        let bare = decode_run(200, r#"{"steps":null,"progress":"5"}"#, None).unwrap();
        assert_eq!(
            (bare.run_id.as_str(), bare.status.label(), bare.steps.len()),
            ("", "unknown: (none)".to_string(), 0)
        );
    }
}
