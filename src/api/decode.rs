//! Turning an HTTP answer (status, body, headers) into a run or a typed error.
//! Pure functions: the client feeds them, native tests exercise them.

use super::{ApiError, Run};
use serde::Deserialize;

/// Longest body excerpt quoted in an error message.
const EXCERPT_CHARS: usize = 160;

/// Decodes the answer to `GET /api/v1/runs/{runId}`.
pub fn decode_run(status: u16, body: &str, retry_after: Option<String>) -> Result<Run, ApiError> {
    if !(200..300).contains(&status) {
        return Err(decode_error(status, body, retry_after));
    }
    if body.trim().is_empty() {
        return Err(ApiError::Decode(format!(
            "HTTP {status} with an empty body"
        )));
    }
    serde_json::from_str(body).map_err(|e| ApiError::Decode(describe_json_error(&e)))
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
