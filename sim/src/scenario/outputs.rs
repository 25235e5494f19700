//! The artifacts a completed step shows: generated images, the clip, audio,
//! text files, and publish outputs whose platform status evolves.

use serde_json::{Map, Value};

use super::context::RunContext;
use super::plan::{OutputSpec, PublishSpec, PublishState};
use crate::model::Output;
use crate::timestamp::rfc3339_ms;

/// Builds output `n` of step `i`, `since_done` ms after the step completed.
pub(crate) fn output(
    spec: &OutputSpec,
    i: usize,
    n: usize,
    ctx: &RunContext<'_>,
    seed: u32,
    since_done: u64,
) -> Output {
    let base = ctx.media_base;
    let mut out = Output {
        kind: "inference".to_string(),
        output_id: format!("ijo_{}_{}", i + 1, n + 1),
        url: String::new(),
        mime_type: None,
        width: None,
        height: None,
        duration_ms: None,
        extra: Map::new(),
    };
    match spec {
        OutputSpec::Image(w, h) => {
            let s = seed ^ (i as u32 + 1).wrapping_mul(2_654_435_761) ^ n as u32;
            out.url = format!("{base}/media/img/{s:08x}-{w}x{h}.png");
            out.mime_type = Some("image/png".to_string());
            out.width = Some(*w);
            out.height = Some(*h);
        }
        OutputSpec::Video => {
            out.kind = "editor".to_string();
            out.output_id = format!("ejo_{}_{}", i + 1, n + 1);
            out.url = format!("{base}/media/clip.webm");
            out.mime_type = Some("video/webm".to_string());
            out.width = Some(320);
            out.height = Some(180);
            out.duration_ms = Some(4_000);
        }
        OutputSpec::Audio => {
            out.url = format!("{base}/media/narration.ogg");
            out.mime_type = Some("audio/ogg".to_string());
            out.duration_ms = Some(4_000);
        }
        OutputSpec::Text(file, mime) => {
            out.url = format!("{base}/media/{file}");
            out.mime_type = Some(mime.to_string());
        }
        OutputSpec::Hologram => {
            out.kind = "hologram".to_string();
            out.output_id = format!("hjo_{}_{}", i + 1, n + 1);
            out.url = format!("{base}/media/scene.glb");
            out.mime_type = Some("model/gltf-binary".to_string());
        }
        OutputSpec::Publish(p) => publish_output(&mut out, p, i, n, ctx, seed, since_done),
    }
    out
}

/// Fills the undocumented fields of a publish output.
fn publish_output(
    out: &mut Output,
    p: &PublishSpec,
    i: usize,
    n: usize,
    ctx: &RunContext<'_>,
    seed: u32,
    since_done: u64,
) {
    out.kind = "output".to_string();
    out.output_id = format!("ojo_{}_{}", i + 1, n + 1);
    out.mime_type = p.mime.map(str::to_string);
    let state = p
        .timeline
        .iter()
        .take_while(|(at, _)| *at <= since_done)
        .last()
        .map_or(PublishState::Queued, |(_, s)| *s);
    let extra = &mut out.extra;
    extra.insert("platform".into(), Value::from(p.platform));
    extra.insert("status".into(), Value::from(state.as_str()));
    let tag = seed ^ (i as u32).wrapping_mul(40_503);
    match state {
        PublishState::Succeeded => {
            let link = match p.platform {
                "youtube" => format!("https://youtu.be/rv{tag:08x}x"),
                "tiktok" => format!("https://www.tiktok.com/@runview/video/7{tag:010}"),
                _ => format!("https://www.instagram.com/reel/Rv{tag:08x}/"),
            };
            out.url = link.clone();
            extra.insert("permalink".into(), Value::from(link));
        }
        PublishState::Scheduled => {
            let when = ctx.t0_unix_ms + 26 * 3_600 * 1_000;
            extra.insert("scheduledFor".into(), Value::from(rfc3339_ms(when)));
        }
        PublishState::Failed => {
            extra.insert(
                "error".into(),
                Value::from("Upload rejected by platform: audio track could not be verified"),
            );
        }
        PublishState::Queued | PublishState::InProgress => {}
    }
    if out.url.is_empty() {
        out.url = format!("{}/media/clip.webm", ctx.media_base);
    }
    extra.insert("visibility".into(), Value::from("unlisted"));
}

/// FNV-1a hash of the run id: seeds media URLs so each run shows its own images.
pub fn seed_of(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}
