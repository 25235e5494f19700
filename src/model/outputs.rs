//! Outputs: what kind of thing each one is, and the gallery's deduplicated lists.

use crate::api::{Output, OutputType, Run};
use std::collections::{HashMap, HashSet};

/// How an output is previewed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaKind {
    /// `<img>`.
    Image,
    /// `<video controls>`.
    Video,
    /// `<audio controls>`.
    Audio,
    /// First lines of a text file.
    Text,
    /// A publish result card (`type: "output"`).
    Publish,
    /// A file card with a download link.
    Other,
}

impl MediaKind {
    /// Classifies an output: publish by `type`, then by `mimeType`, then by the
    /// URL's extension when the MIME type is missing or generic.
    pub fn of(output: &Output) -> Self {
        if output.kind == OutputType::Publish {
            return Self::Publish;
        }
        // Case-insensitive without allocating: the timeline and the gallery
        // classify every output of a run on each poll that changes it.
        let mime = output
            .mime_type
            .as_deref()
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim();
        let by_mime = mime.split_once('/').and_then(|(main, sub)| {
            let is = |word: &str| main.eq_ignore_ascii_case(word);
            if is("image") {
                Some(Self::Image)
            } else if is("video") {
                Some(Self::Video)
            } else if is("audio") {
                Some(Self::Audio)
            } else if is("text")
                || (is("application")
                    && ["json", "x-ndjson", "xml", "yaml"]
                        .iter()
                        .any(|s| sub.eq_ignore_ascii_case(s)))
            {
                Some(Self::Text)
            } else {
                None
            }
        });
        by_mime
            .or_else(|| output.url.as_deref().and_then(by_extension))
            .unwrap_or(Self::Other)
    }

    /// A short label: `image`, `video`, …
    pub fn label(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Video => "video",
            Self::Audio => "audio",
            Self::Text => "text",
            Self::Publish => "publish",
            Self::Other => "file",
        }
    }
}

fn by_extension(url: &str) -> Option<MediaKind> {
    const KINDS: [(MediaKind, &[&str]); 4] = [
        (
            MediaKind::Image,
            &["png", "jpg", "jpeg", "gif", "webp", "avif", "svg"],
        ),
        (MediaKind::Video, &["mp4", "webm", "mov", "m4v"]),
        (
            MediaKind::Audio,
            &["mp3", "wav", "ogg", "oga", "opus", "m4a", "flac"],
        ),
        (MediaKind::Text, &["txt", "md", "json", "srt", "vtt", "csv"]),
    ];
    let path = url.split(['?', '#']).next()?;
    let ext = path.rsplit_once('.')?.1;
    KINDS
        .iter()
        .find(|(_, exts)| exts.iter().any(|e| ext.eq_ignore_ascii_case(e)))
        .map(|(kind, _)| *kind)
}

/// An output shown in the gallery, with the step it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct GalleryItem {
    /// The output.
    pub output: Output,
    /// Name of the step that produced it, when known.
    pub step_name: Option<String>,
}

/// The gallery's two lists: the run's final outputs first, then every other
/// step output (the intermediates). An output with an `outputId` is shown
/// once (the same id in `finalOutputs` and in a step is one output). Outputs
/// without one are told apart by their place ([`Output::key`]), so two in
/// one step are two cards; an intermediate without an id whose URL is also a
/// final output's URL is that final output, shown once.
pub fn gallery(run: &Run) -> (Vec<GalleryItem>, Vec<GalleryItem>) {
    // One pass over the steps: which step made each output (first wins).
    let mut producers: HashMap<&str, &str> = HashMap::new();
    for step in &run.steps {
        for output in step.outputs.iter().filter(|o| !o.output_id.is_empty()) {
            producers
                .entry(output.output_id.as_str())
                .or_insert(step.name.as_str());
        }
    }
    let mut seen = HashSet::new();
    let mut final_urls = HashSet::new();
    let mut finals = Vec::new();
    for output in &run.final_outputs {
        if let Some(url) = &output.url {
            final_urls.insert(url.as_str());
        }
        if seen.insert(output.key()) {
            finals.push(GalleryItem {
                step_name: producers
                    .get(output.output_id.as_str())
                    .filter(|_| !output.output_id.is_empty())
                    .map(|n| n.to_string()),
                output: output.clone(),
            });
        }
    }
    let mut intermediates = Vec::new();
    for step in &run.steps {
        for output in &step.outputs {
            let same_file_as_a_final = output.output_id.is_empty()
                && output
                    .url
                    .as_deref()
                    .is_some_and(|u| final_urls.contains(u));
            if !same_file_as_a_final && seen.insert(output.key()) {
                intermediates.push(GalleryItem {
                    output: output.clone(),
                    step_name: Some(step.name.clone()),
                });
            }
        }
    }
    (finals, intermediates)
}

/// The gallery's first list alone ([`gallery`]`(run).0`): the final outputs,
/// each once, with the step that made it. Finds each final's step by a scan
/// instead of building the intermediates, so a poll of a run of thousands
/// of steps costs a pass over references, not a copy of every output.
pub fn final_items(run: &Run) -> Vec<GalleryItem> {
    let mut seen = HashSet::new();
    run.final_outputs
        .iter()
        .filter(|output| seen.insert(output.key()))
        .map(|output| GalleryItem {
            step_name: (!output.output_id.is_empty())
                .then(|| {
                    run.steps
                        .iter()
                        .find(|s| s.outputs.iter().any(|o| o.output_id == output.output_id))
                })
                .flatten()
                .map(|s| s.name.clone()),
            output: output.clone(),
        })
        .collect()
}

/// The details of a publish output. Its fields are undocumented: everything
/// is optional and unknown fields are listed as they come.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PublishInfo {
    /// e.g. `youtube`.
    pub platform: Option<String>,
    /// e.g. `succeeded`, `scheduled`.
    pub status: Option<String>,
    /// The published post (`permalink` or `postUrl`).
    pub post: Option<String>,
    /// The output's own file (`url`), e.g. the video being published.
    pub media: Option<String>,
    /// Every other field, as `name: value` text.
    pub other: Vec<(String, String)>,
}

impl PublishInfo {
    /// Reads the details out of a publish output.
    pub fn of(output: &Output) -> Self {
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let mut info = Self::default();
        for (key, value) in &output.extra {
            match key.as_str() {
                "platform" => info.platform = Some(text(value)),
                "status" => info.status = Some(text(value)),
                "permalink" | "postUrl" => info.post = Some(text(value)),
                _ => info.other.push((key.clone(), text(value))),
            }
        }
        info.media = output.url.clone();
        info
    }

    /// The platform as people write it (`YouTube`, `TikTok`); unknown names as sent.
    pub fn platform_label(&self) -> String {
        match self.platform.as_deref() {
            None => "Unknown platform".into(),
            Some(p) => match p.to_ascii_lowercase().as_str() {
                "youtube" => "YouTube".into(),
                "tiktok" => "TikTok".into(),
                "instagram" => "Instagram".into(),
                "facebook" => "Facebook".into(),
                "linkedin" => "LinkedIn".into(),
                "x" | "twitter" => "X".into(),
                _ => p.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::decode::decode_run;

    fn output(json: &str) -> Output {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn kinds_from_type_mime_and_extension() {
        let cases = [
            (
                r#"{"type":"inference","outputId":"a","mimeType":"image/png"}"#,
                MediaKind::Image,
            ),
            (
                r#"{"type":"editor","outputId":"a","mimeType":"video/mp4"}"#,
                MediaKind::Video,
            ),
            (
                r#"{"type":"inference","outputId":"a","mimeType":"Audio/OGG; codecs=opus"}"#,
                MediaKind::Audio,
            ),
            (
                r#"{"type":"inference","outputId":"a","mimeType":"text/plain"}"#,
                MediaKind::Text,
            ),
            (
                r#"{"type":"inference","outputId":"a","mimeType":"application/json"}"#,
                MediaKind::Text,
            ),
            (
                r#"{"type":"output","outputId":"a","mimeType":"video/mp4"}"#,
                MediaKind::Publish,
            ),
            (
                r#"{"type":"inference","outputId":"a","url":"https://x/y.WEBM?sig=1"}"#,
                MediaKind::Video,
            ),
            (
                r#"{"type":"inference","outputId":"a","mimeType":"application/octet-stream","url":"https://x/a.jpg"}"#,
                MediaKind::Image,
            ),
            (
                r#"{"type":"hologram","outputId":"a","mimeType":"model/gltf-binary"}"#,
                MediaKind::Other,
            ),
            (r#"{"outputId":"a"}"#, MediaKind::Other),
            (
                r#"{"mimeType":" IMAGE/PNG ","url":"https://x/y.mp4"}"#,
                MediaKind::Image,
            ),
            (r#"{"mimeType":"Application/YAML"}"#, MediaKind::Text),
            (
                r#"{"mimeType":"application/zip","url":"https://x/a.Mp3#t=1"}"#,
                MediaKind::Audio,
            ),
            (r#"{"url":"https://x/a.tar.gz"}"#, MediaKind::Other),
            (r#"{"url":"https://x/noext"}"#, MediaKind::Other),
        ];
        for (json, kind) in cases {
            assert_eq!(MediaKind::of(&output(json)), kind, "{json}");
        }
    }

    #[test]
    fn gallery_dedupes_finals_and_intermediates() {
        let run = decode_run(
            200,
            include_str!("../../tests/fixtures/run_abc123.json"),
            None,
        )
        .unwrap();
        let (finals, intermediates) = gallery(&run);
        assert_eq!(final_items(&run), finals);
        assert_eq!(finals.len(), 1);
        assert_eq!(finals[0].output.output_id, "ejo_1");
        assert_eq!(finals[0].step_name.as_deref(), Some("Render video"));
        let ids: Vec<_> = intermediates
            .iter()
            .map(|i| i.output.output_id.as_str())
            .collect();
        assert_eq!(ids, ["ijo_1"]);
        assert_eq!(
            intermediates[0].step_name.as_deref(),
            Some("Generate background")
        );
    }

    #[test]
    fn outputs_without_ids_stay_apart_and_ids_still_dedupe() {
        let run = decode_run(
            200,
            r#"{"runId":"r","status":"running",
              "finalOutputs":[{"outputId":"v","url":"https://x/v.mp4"},{"url":"https://x/f.png"}],
              "steps":[{"stepId":"s","name":"S","status":"succeeded","outputs":[
                {"url":"https://x/a.png"},{"url":"https://x/a.png"},{"outputId":"v","url":"https://x/v.mp4"},
                {"url":"https://x/f.png"},{}]},
                {"stepId":"s","name":"S again","status":"succeeded","outputs":[{"url":"https://x/a.png"}]}]}"#,
            None,
        )
        .unwrap();
        let (finals, intermediates) = gallery(&run);
        assert_eq!(final_items(&run), finals);
        let keys = |items: &[GalleryItem]| items.iter().map(|i| i.output.key()).collect::<Vec<_>>();
        assert_eq!(keys(&finals), ["v", "@final/1"]);
        assert_eq!(finals[0].step_name.as_deref(), Some("S"));
        assert_eq!(finals[1].step_name, None);
        assert_eq!(keys(&intermediates), ["@s/0", "@s/1", "@s/4", "@s#1/0"]);
        assert_eq!(intermediates[3].step_name.as_deref(), Some("S again"));
    }

    #[test]
    fn publish_details_are_read_leniently() {
        let info = PublishInfo::of(&output(
            r#"{"type":"output","outputId":"p","platform":"youtube","status":"scheduled","permalink":"https://youtu.be/x","scheduledFor":"2026-12-01T10:00:00Z","views":3}"#,
        ));
        assert_eq!(info.platform.as_deref(), Some("youtube"));
        assert_eq!(info.status.as_deref(), Some("scheduled"));
        assert_eq!(info.post.as_deref(), Some("https://youtu.be/x"));
        assert_eq!(info.platform_label(), "YouTube");
        assert_eq!(
            info.other,
            [
                (
                    "scheduledFor".to_string(),
                    "2026-12-01T10:00:00Z".to_string()
                ),
                ("views".to_string(), "3".to_string())
            ]
        );
        let bare = PublishInfo::of(&output(r#"{"type":"output"}"#));
        assert_eq!(bare, PublishInfo::default());
        assert_eq!(bare.platform_label(), "Unknown platform");
        let unpublished = PublishInfo::of(&output(
            r#"{"type":"output","platform":"mastodon","url":"https://cdn/x.webm"}"#,
        ));
        assert_eq!(
            (unpublished.post.as_deref(), unpublished.media.as_deref()),
            (None, Some("https://cdn/x.webm"))
        );
        assert_eq!(unpublished.platform_label(), "mastodon");
    }
}
