//! Turning an HTTP answer (status, body, headers) into a run or a typed error.
//! Pure functions: the client feeds them, native tests exercise them.
//!
//! A poll of a long run mostly repeats the previous body. So the body is read
//! in two layers: the run's own fields, and each step as raw JSON
//! ([`RawValue`], a slice of the body, no allocation). A step whose bytes
//! equal the same step's bytes in the last applied body is not decoded at
//! all; [`decode_update`] hands back only the steps that changed.

use super::types::lenient_timestamp;
use super::{ApiError, Output, Progress, Run, Status, Step, Timestamp};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::ops::Range;
use std::sync::Arc;

/// Longest body excerpt quoted in an error message.
const EXCERPT_CHARS: usize = 160;

/// The wire shape of a run: the run's fields decoded, the steps left raw.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireRun<'a> {
    run_id: String,
    #[serde(default)]
    blueprint_id: String,
    status: Status,
    #[serde(default, deserialize_with = "lenient_timestamp")]
    started_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "lenient_timestamp")]
    completed_at: Option<Timestamp>,
    #[serde(default)]
    progress: Progress,
    #[serde(default)]
    final_outputs: Vec<Output>,
    #[serde(default, borrow)]
    steps: Vec<&'a RawValue>,
}

impl WireRun<'_> {
    /// The run without its steps (`steps` left empty).
    fn head(self) -> Run {
        Run {
            run_id: self.run_id,
            blueprint_id: self.blueprint_id,
            status: self.status,
            started_at: self.started_at,
            completed_at: self.completed_at,
            progress: self.progress,
            final_outputs: self.final_outputs,
            steps: Vec::new(),
        }
    }
}

/// The last applied body, kept to tell which steps a new body changes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    body: Vec<u8>,
    /// Where each step's JSON lies in `body`.
    spans: Vec<Range<usize>>,
    /// Each step's id, in order (shared from snapshot to snapshot while the
    /// step list keeps its shape).
    ids: Arc<[String]>,
}

/// How a new body's steps relate to the snapshot's.
#[derive(Clone, Debug, PartialEq)]
pub enum Steps {
    /// Every step (the first body, or steps were added, removed or reordered).
    Replace(Vec<Step>),
    /// The same steps in the same order; these are the ones whose JSON
    /// changed, with their index.
    Patch(Vec<(usize, Step)>),
}

/// A successful answer, decoded as far as it differs from the snapshot.
// One value per poll, moved once: boxing `Changed` would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Update {
    /// Byte-identical to the snapshot's body: nothing was decoded.
    Same,
    /// A new body.
    Changed {
        /// Every field of the run but `steps`, which is left empty.
        head: Run,
        /// The steps, whole or as the changed ones.
        steps: Steps,
        /// What to compare the next body with, once this one is applied.
        snapshot: Snapshot,
    },
}

/// Decodes the answer to `GET /api/v1/runs/{runId}`, whole.
pub fn decode_run(status: u16, body: &str, retry_after: Option<String>) -> Result<Run, ApiError> {
    check_status(status, body.as_bytes(), retry_after)?;
    let wire = wire_run(body.as_bytes())?;
    let steps = wire
        .steps
        .iter()
        .map(|raw| decode_step(raw))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Run {
        steps,
        ..wire.head()
    })
}

/// Decodes an answer against `last`, the snapshot of the body on screen:
/// [`Update::Same`] for a byte-identical success, else the run's fields and
/// only the steps whose JSON differs (all of them when there is no snapshot
/// or the step list changed shape).
pub fn decode_update(
    last: Option<&Snapshot>,
    status: u16,
    body: Vec<u8>,
    retry_after: Option<String>,
) -> Result<Update, ApiError> {
    check_status(status, &body, retry_after)?;
    if last.is_some_and(|l| l.body == body) {
        return Ok(Update::Same);
    }
    let wire = wire_run(&body)?;
    let spans: Vec<Range<usize>> = wire.steps.iter().map(|raw| span(&body, raw)).collect();
    let patch = match last {
        Some(last) if last.spans.len() == spans.len() => {
            changed_steps(last, &body, &wire.steps, &spans)?
        }
        _ => None,
    };
    let (steps, ids) = match patch {
        Some(changed) => (Steps::Patch(changed), last.map(|l| l.ids.clone())),
        None => {
            let all = wire
                .steps
                .iter()
                .map(|raw| decode_step(raw))
                .collect::<Result<Vec<_>, _>>()?;
            let ids = all.iter().map(|s| s.step_id.clone()).collect();
            (Steps::Replace(all), Some(ids))
        }
    };
    let head = wire.head();
    Ok(Update::Changed {
        head,
        steps,
        snapshot: Snapshot {
            body,
            spans,
            ids: ids.unwrap_or_default(),
        },
    })
}

/// The steps whose bytes differ from the same index in `last`, decoded; `None`
/// when one of them is a different step (so the list changed shape).
#[allow(clippy::type_complexity)]
fn changed_steps(
    last: &Snapshot,
    body: &[u8],
    raws: &[&RawValue],
    spans: &[Range<usize>],
) -> Result<Option<Vec<(usize, Step)>>, ApiError> {
    let mut changed = Vec::new();
    for (i, (raw, (new, old))) in raws.iter().zip(spans.iter().zip(&last.spans)).enumerate() {
        if body[new.clone()] == last.body[old.clone()] {
            continue;
        }
        let step = decode_step(raw)?;
        if step.step_id != last.ids[i] {
            return Ok(None);
        }
        changed.push((i, step));
    }
    Ok(Some(changed))
}

/// A non-2xx status or an empty body as an error.
fn check_status(status: u16, body: &[u8], retry_after: Option<String>) -> Result<(), ApiError> {
    if !(200..300).contains(&status) {
        return Err(decode_error(
            status,
            &String::from_utf8_lossy(body),
            retry_after,
        ));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::Decode(format!(
            "HTTP {status} with an empty body"
        )));
    }
    Ok(())
}

fn wire_run(body: &[u8]) -> Result<WireRun<'_>, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::Decode(describe_json_error(&e)))
}

fn decode_step(raw: &RawValue) -> Result<Step, ApiError> {
    serde_json::from_str(raw.get()).map_err(|e| ApiError::Decode(describe_json_error(&e)))
}

/// Where `raw` lies in `body`: a borrowed [`RawValue`] is a slice of the body.
fn span(body: &[u8], raw: &RawValue) -> Range<usize> {
    let start = raw.get().as_ptr() as usize - body.as_ptr() as usize;
    debug_assert!(start + raw.get().len() <= body.len());
    start..start + raw.get().len()
}

/// Names what was wrong with a body in words a person can act on.
fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Eof => "the JSON ends too early (truncated response)",
        Category::Syntax => "the body is not valid JSON",
        Category::Data => "a field has the wrong type or is missing",
        Category::Io => "the body could not be read",
    };
    format!("{what}: {e}")
}

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

/// Decodes an error answer: the documented `{"error":{"message","code"}}` body,
/// or, for anything else (an HTML gateway page, an empty body, plain text),
/// the status with a short excerpt of the body.
pub fn decode_error(status: u16, body: &str, retry_after: Option<String>) -> ApiError {
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(ErrorBody { error }) => ApiError::Http {
            status,
            message: error
                .message
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| reason_phrase(status).to_string()),
            code: Some(error.code),
            retry_after,
            defer_until: error.defer_until,
        },
        Err(_) => {
            let excerpt = excerpt(body);
            let message = if excerpt.is_empty() {
                reason_phrase(status).to_string()
            } else {
                format!("{}: “{excerpt}”", reason_phrase(status))
            };
            ApiError::Http {
                status,
                code: None,
                message,
                retry_after,
                defer_until: None,
            }
        }
    }
}

/// The visible text of a body, tags stripped and whitespace collapsed, cut short.
pub fn excerpt(body: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if in_tag => {}
            c if c.is_control() || c.is_whitespace() => text.push(' '),
            c => text.push(c),
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.chars().count() > EXCERPT_CHARS {
        let cut: String = joined.chars().take(EXCERPT_CHARS).collect();
        format!("{cut}…")
    } else {
        joined
    }
}

/// A short English phrase for an HTTP status.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad request",
        401 => "Unauthorized",
        402 => "Payment required",
        403 => "Forbidden",
        404 => "Not found",
        408 => "Request timeout",
        409 => "Conflict",
        410 => "Gone",
        429 => "Too many requests",
        500 => "Internal server error",
        502 => "Bad gateway",
        503 => "Service unavailable",
        504 => "Gateway timeout",
        s if s >= 500 => "Server error",
        s if s >= 400 => "Client error",
        _ => "Unexpected status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{OutputType, Status, Timestamp};

    const GOLDEN: &str = include_str!("../../tests/fixtures/run_abc123.json");

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

    /// A run body with the given `(stepId, status)` steps.
    fn body(steps: &[(&str, &str)]) -> Vec<u8> {
        let steps: Vec<String> = steps
            .iter()
            .map(|(id, st)| format!(r#"{{"stepId":"{id}","name":"n {id}","status":"{st}"}}"#))
            .collect();
        format!(
            r#"{{"runId":"r","status":"running","progress":{{"totalSteps":{}}},"steps":[{}]}}"#,
            steps.len(),
            steps.join(",")
        )
        .into_bytes()
    }

    fn changed(update: Update) -> (Run, Steps, Snapshot) {
        match update {
            Update::Changed {
                head,
                steps,
                snapshot,
            } => (head, steps, snapshot),
            Update::Same => panic!("expected a change"),
        }
    }

    #[test]
    fn updates_decode_only_the_steps_that_changed() {
        let first = body(&[("a", "running"), ("b", "queued"), ("c", "queued")]);
        let (head, steps, snap) = changed(decode_update(None, 200, first.clone(), None).unwrap());
        assert_eq!(head.progress.total_steps, 3);
        assert!(head.steps.is_empty());
        let Steps::Replace(all) = steps else {
            panic!("the first body carries every step")
        };
        assert_eq!(all.len(), 3);

        assert_eq!(
            decode_update(Some(&snap), 200, first, None).unwrap(),
            Update::Same
        );

        let second = body(&[("a", "succeeded"), ("b", "queued"), ("c", "running")]);
        let (_, steps, snap2) = changed(decode_update(Some(&snap), 200, second, None).unwrap());
        let Steps::Patch(diff) = steps else {
            panic!("same steps: only the changed ones")
        };
        let got: Vec<_> = diff
            .iter()
            .map(|(i, s)| (*i, s.step_id.as_str(), s.status.clone()))
            .collect();
        assert_eq!(
            got,
            [(0, "a", Status::Succeeded), (2, "c", Status::Running)]
        );
        assert!(
            Arc::ptr_eq(&snap.ids, &snap2.ids),
            "ids are shared, not copied"
        );
    }

    #[test]
    fn a_reshaped_step_list_is_replaced_whole() {
        let first = body(&[("a", "running"), ("b", "queued")]);
        let (_, _, snap) = changed(decode_update(None, 200, first, None).unwrap());
        for next in [
            body(&[("b", "queued"), ("a", "running")]),
            body(&[("a", "running"), ("b", "queued"), ("c", "queued")]),
            body(&[("a", "running")]),
            body(&[("a", "running"), ("z", "queued")]),
        ] {
            let (_, steps, snap) = changed(decode_update(Some(&snap), 200, next, None).unwrap());
            let Steps::Replace(all) = steps else {
                panic!("reshaped list must be replaced whole")
            };
            let ids: Vec<_> = all.iter().map(|s| s.step_id.clone()).collect();
            assert_eq!(*snap.ids, *ids);
        }
    }

    #[test]
    fn failed_updates_say_why_and_keep_nothing() {
        let first = body(&[("a", "running")]);
        let (_, _, snap) = changed(decode_update(None, 200, first, None).unwrap());
        let bad_step = br#"{"runId":"r","status":"running","steps":[{"stepId":"a","status":7}]}"#;
        assert!(matches!(
            decode_update(Some(&snap), 200, bad_step.to_vec(), None),
            Err(ApiError::Decode(m)) if m.contains("wrong type")
        ));
        let not_utf8 = b"{\"runId\":\"r\xff\",\"status\":\"running\"}".to_vec();
        assert!(matches!(
            decode_update(Some(&snap), 200, not_utf8, None),
            Err(ApiError::Decode(_))
        ));
        assert!(matches!(
            decode_update(Some(&snap), 500, b"<h1>oops</h1>".to_vec(), None),
            Err(ApiError::Http { status: 500, .. })
        ));
        assert!(matches!(
            decode_update(Some(&snap), 200, b"  ".to_vec(), None),
            Err(ApiError::Decode(m)) if m.contains("empty body")
        ));
    }

    #[test]
    fn the_golden_fixture_decodes_the_same_whole_or_as_an_update() {
        let (head, steps, _) = changed(decode_update(None, 200, GOLDEN.into(), None).unwrap());
        let Steps::Replace(all) = steps else {
            panic!("first body")
        };
        assert_eq!(
            Run { steps: all, ..head },
            decode_run(200, GOLDEN, None).unwrap()
        );
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
    fn outputs_tolerate_nulls_but_not_wrong_types() {
        let ok = r#"{"runId":"r","status":"running","finalOutputs":[{"type":null,"outputId":null,"width":null,"url":"https://x/a.png"}]}"#;
        let run = decode_run(200, ok, None).unwrap();
        assert_eq!(run.final_outputs[0].kind, OutputType::Inference);
        assert_eq!(run.final_outputs[0].width, None);
        let bad =
            r#"{"runId":"r","status":"running","finalOutputs":[{"outputId":"o","width":"wide"}]}"#;
        assert!(
            matches!(decode_run(200, bad, None), Err(ApiError::Decode(m)) if m.contains("wrong type"))
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
    fn bodies_that_are_not_a_run_say_what_is_wrong() {
        let cases = [
            ("", "empty body"),
            ("{\"runId\": \"x\", status: }", "not valid JSON"),
            (&GOLDEN[..GOLDEN.len() / 2], "truncated"),
            (
                r#"{"runId":"r","status":"running","progress":{"totalSteps":"5"}}"#,
                "wrong type",
            ),
            (r#"{"status":"running"}"#, "missing"),
        ];
        for (body, expected) in cases {
            match decode_run(200, body, None) {
                Err(ApiError::Decode(msg)) => {
                    assert!(msg.contains(expected), "{msg:?} lacks {expected:?}")
                }
                other => panic!("{body:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn documented_error_bodies_are_decoded() {
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
    }

    #[test]
    fn other_error_bodies_become_status_and_excerpt() {
        let html =
            "<html><head><title>502</title></head><body>\n<h1>Bad   Gateway</h1></body></html>";
        let err = decode_error(502, html, None);
        assert_eq!(err.status(), Some(502));
        assert_eq!(err.to_string(), "HTTP 502: Bad gateway: “502 Bad Gateway”");
        assert_eq!(
            decode_error(503, "", None).to_string(),
            "HTTP 503: Service unavailable"
        );
        let long = "x".repeat(1000);
        assert_eq!(excerpt(&long).chars().count(), EXCERPT_CHARS + 1);
    }
}
