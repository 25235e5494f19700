//! Media first: which output the run page shows as its hero, which media a
//! publish output published, and the filmstrip of intermediate outputs
//! grouped by step. Plain functions over a [`Run`].

use crate::api::{Output, OutputType, Run, Step};
use crate::model::outputs::{GalleryItem, MediaKind};
use std::collections::HashSet;

/// Fields of a publish output that may name the published file (none is
/// documented; checked in this order after the output's own `url`).
const MEDIA_FIELDS: &[&str] = &[
    "mediaUrl",
    "videoUrl",
    "imageUrl",
    "sourceUrl",
    "thumbnailUrl",
    "thumbnail",
];

/// When a step's outputs appeared: its completion, or (still running, or a
/// completion time missing) "now", i.e. after every completed step.
fn appeared_at(step: &Step) -> i64 {
    step.completed_at.map_or(i64::MAX, |t| t.ms())
}

/// A run's output with when it appeared and its step's name (`None`: a
/// final output no step lists).
type Timed<'a> = (i64, &'a Output, Option<&'a str>);

/// The step outputs of the run in step order, with when each appeared and
/// its step's name.
fn step_outputs(run: &Run) -> impl Iterator<Item = Timed<'_>> {
    run.steps.iter().flat_map(|step| {
        let at = appeared_at(step);
        step.outputs
            .iter()
            .map(move |o| (at, o, Some(step.name.as_str())))
    })
}

/// Every image and video output of the run, each once (deduplicated by
/// `outputId`, or URL for an output without id; the first listing wins),
/// with its kind and the time it appeared: the step outputs in step order,
/// then the final outputs no step lists (counted as newest). Over
/// references: only what is shown is copied.
fn visual_media(run: &Run) -> impl Iterator<Item = (Timed<'_>, MediaKind)> {
    let mut seen = HashSet::new();
    let finals = run.final_outputs.iter().map(|o| (i64::MAX, o, None));
    step_outputs(run).chain(finals).filter_map(move |timed| {
        let kind = MediaKind::of(timed.1);
        let visual = matches!(kind, MediaKind::Image | MediaKind::Video);
        (visual && seen.insert(key(timed.1))).then_some((timed, kind))
    })
}

/// [`visual_media`], oldest first (ties in listing order).
fn timed_media(run: &Run) -> Vec<Timed<'_>> {
    let mut items: Vec<Timed> = visual_media(run).map(|(timed, _)| timed).collect();
    items.sort_by_key(|(at, ..)| *at);
    items
}

fn is_visual(output: &Output) -> bool {
    matches!(MediaKind::of(output), MediaKind::Image | MediaKind::Video)
}

/// What tells outputs apart here: the `outputId`, or for an output without
/// one, its URL. Borrowed, so deduplicating a run's outputs allocates no text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Key<'a> {
    Id(&'a str),
    Url(&'a str),
}

fn key(o: &Output) -> Key<'_> {
    if o.output_id.is_empty() {
        Key::Url(o.url.as_deref().unwrap_or(""))
    } else {
        Key::Id(&o.output_id)
    }
}

/// The viewer's item for a timed output (the one copy).
fn item((_, output, step): Timed) -> GalleryItem {
    GalleryItem {
        output: output.clone(),
        step_name: step.map(str::to_string),
    }
}

/// Every image and video of the run, in the order they appeared: what the
/// viewer browses from the hero.
pub fn media_items(run: &Run) -> Vec<GalleryItem> {
    timed_media(run).into_iter().map(item).collect()
}

/// The run's hero: its latest video, or while it has none, its latest image.
/// A media pipeline's render is what a person came to see, so a video wins
/// over any image made after it (a thumbnail, say).
pub fn hero(run: &Run) -> Option<GalleryItem> {
    latest(visual_media(run), i64::MAX)
}

/// The latest video appeared by `until`, else the latest image; of equal
/// times the one listed last. One pass, in any order: a run of thousands of
/// outputs is not sorted for it.
fn latest<'a>(
    media: impl IntoIterator<Item = (Timed<'a>, MediaKind)>,
    until: i64,
) -> Option<GalleryItem> {
    let mut video: Option<Timed> = None;
    let mut image: Option<Timed> = None;
    for (timed, kind) in media {
        let slot = match kind {
            MediaKind::Video => &mut video,
            MediaKind::Image => &mut image,
            _ => continue,
        };
        if timed.0 <= until && slot.is_none_or(|best| timed.0 >= best.0) {
            *slot = Some(timed);
        }
    }
    video.or(image).map(item)
}

/// The media a publish output published, when the outputs let us find it:
/// 1. its own `url`, when that is a video or image file (not a post link);
/// 2. a field such as `mediaUrl` or `thumbnailUrl` naming one;
/// 3. a video or image output of the same step;
/// 4. the run's latest video (else image) that appeared by the time the
///    publish step started (any time, if it has no start time).
///
/// `None` when the run has no video or image at all.
pub fn published_media(run: &Run, publish: &Output) -> Option<GalleryItem> {
    let step = run
        .steps
        .iter()
        .find(|s| s.outputs.iter().any(|o| o.output_id == publish.output_id));
    let step_name = step.map(|s| s.name.clone());
    let own = publish.url.iter().cloned().chain(
        MEDIA_FIELDS
            .iter()
            .filter_map(|f| publish.extra.get(*f)?.as_str().map(str::to_string)),
    );
    for url in own {
        let file = Output {
            kind: OutputType::Editor,
            output_id: publish.output_id.clone(),
            url: Some(url),
            width: publish.width,
            height: publish.height,
            duration_ms: publish.duration_ms,
            ..Output::default()
        };
        if is_visual(&file) {
            return Some(GalleryItem {
                output: file,
                step_name: step_name.clone(),
            });
        }
    }
    if let Some(step) = step {
        let siblings = step
            .outputs
            .iter()
            .filter(|o| o.kind != OutputType::Publish)
            .map(|o| ((0, o, Some(step.name.as_str())), MediaKind::of(o)));
        if let Some(found) = latest(siblings, 0) {
            return Some(found);
        }
    }
    let until = step.and_then(|s| s.started_at).map_or(i64::MAX, |t| t.ms());
    latest(visual_media(run), until)
}

/// One step's row of the filmstrip.
#[derive(Clone, Debug, PartialEq)]
pub struct StripGroup {
    /// The step's `stepId` (the row's key).
    pub step_id: String,
    /// The step's name.
    pub step_name: String,
    /// Its outputs, as the step lists them.
    pub items: Vec<GalleryItem>,
}

/// The intermediate outputs (every step output that is not among the run's
/// final outputs) grouped by the step that made them, in step order; steps
/// without such outputs are left out. An output listed by two steps shows
/// under the first.
pub fn filmstrip(run: &Run) -> Vec<StripGroup> {
    filmstrip_head(run, usize::MAX).0
}

/// The first `limit` rows of [`filmstrip`] and how many rows it has in
/// all: the rows past `limit` are counted, not copied, so a filmstrip that
/// shows its first rows of a run of thousands of steps stays cheap.
pub fn filmstrip_head(run: &Run, limit: usize) -> (Vec<StripGroup>, usize) {
    let mut seen: HashSet<Key> = run.final_outputs.iter().map(key).collect();
    let mut head = Vec::new();
    let mut total = 0;
    for step in &run.steps {
        if head.len() < limit {
            let items: Vec<GalleryItem> = step
                .outputs
                .iter()
                .filter(|o| seen.insert(key(o)))
                .map(|o| GalleryItem {
                    output: o.clone(),
                    step_name: Some(step.name.clone()),
                })
                .collect();
            if !items.is_empty() {
                head.push(StripGroup {
                    step_id: step.step_id.clone(),
                    step_name: step.name.clone(),
                    items,
                });
                total += 1;
            }
        } else {
            // `fold`, not `any`: every new key must be recorded.
            let new = step
                .outputs
                .iter()
                .fold(false, |new, o| seen.insert(key(o)) | new);
            total += usize::from(new);
        }
    }
    (head, total)
}

/// What a `<video>` may load before the person presses play (its
/// `preload`): only the page's *lead* video (the hero, or the one open in
/// the viewer) fetches its metadata, so at most one video loads data
/// unasked; with Save-Data on, none does (the player shows its play
/// button and loads when tapped).
pub fn video_preload(lead: bool, save_data: bool) -> &'static str {
    if lead && !save_data {
        "metadata"
    } else {
        "none"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::decode::decode_run;

    fn golden() -> Run {
        decode_run(
            200,
            include_str!("../../tests/fixtures/run_abc123.json"),
            None,
        )
        .unwrap()
    }

    /// A run from steps given as `(name, completedAt or "", outputs JSON)`.
    fn run(steps: &[(&str, &str, &str)], finals: &str) -> Run {
        let steps: Vec<String> = steps
            .iter()
            .enumerate()
            .map(|(i, (name, done, outputs))| {
                let done = if done.is_empty() {
                    "null".to_string()
                } else {
                    format!("\"2026-03-20T12:00:{done}Z\"")
                };
                format!(
                    r#"{{"stepId":"s{i}","referenceId":"r{i}","name":"{name}","status":"succeeded","startedAt":"2026-03-20T12:00:0{i}Z","completedAt":{done},"outputs":[{outputs}]}}"#
                )
            })
            .collect();
        let json = format!(
            r#"{{"runId":"r","blueprintId":"b","status":"running","finalOutputs":[{finals}],"steps":[{}]}}"#,
            steps.join(",")
        );
        decode_run(200, &json, None).unwrap()
    }

    const IMG_A: &str =
        r#"{"type":"inference","outputId":"a","url":"https://m/a.png","mimeType":"image/png"}"#;
    const IMG_B: &str =
        r#"{"type":"inference","outputId":"b","url":"https://m/b.png","mimeType":"image/png"}"#;
    const VID: &str =
        r#"{"type":"editor","outputId":"v","url":"https://m/v.webm","mimeType":"video/webm"}"#;
    const TXT: &str =
        r#"{"type":"inference","outputId":"t","url":"https://m/t.vtt","mimeType":"text/vtt"}"#;

    fn id(item: Option<GalleryItem>) -> Option<String> {
        item.map(|i| i.output.output_id)
    }

    #[test]
    fn the_hero_is_the_latest_video_else_the_latest_image() {
        // Images only: the one whose step completed last, not the last listed.
        let r = run(&[("B", "20", IMG_B), ("A", "10", IMG_A)], "");
        assert_eq!(id(hero(&r)).as_deref(), Some("b"));
        // A video wins over an image made after it.
        let r = run(
            &[
                ("A", "10", IMG_A),
                ("Render", "20", VID),
                ("Thumb", "30", IMG_B),
            ],
            "",
        );
        assert_eq!(id(hero(&r)).as_deref(), Some("v"));
        assert_eq!(
            hero(&r).unwrap().step_name.as_deref(),
            Some("Render"),
            "named after its step"
        );
        // A step still running (no completion) is the newest.
        let r = run(&[("Running", "", IMG_A), ("Done", "50", IMG_B)], "");
        assert_eq!(id(hero(&r)).as_deref(), Some("a"));
        // Nothing visual: no hero.
        assert_eq!(hero(&run(&[("Captions", "10", TXT)], "")), None);
        // The golden run: its final video.
        assert_eq!(id(hero(&golden())).as_deref(), Some("ejo_1"));
        let all: Vec<_> = media_items(&golden())
            .into_iter()
            .map(|i| i.output.output_id)
            .collect();
        assert_eq!(all, ["ijo_1", "ejo_1"]);
    }

    #[test]
    fn a_final_output_no_step_lists_still_counts() {
        let r = run(&[("A", "10", IMG_A)], VID);
        assert_eq!(id(hero(&r)).as_deref(), Some("v"));
        assert_eq!(hero(&r).unwrap().step_name, None);
    }

    fn publish(extra: &str) -> String {
        format!(r#"{{"type":"output","outputId":"p","mimeType":"application/json"{extra}}}"#)
    }

    #[test]
    fn a_publish_output_shows_its_own_file_when_it_is_media() {
        let p = publish(r#","url":"https://cdn/x.webm","platform":"tiktok""#);
        let r = run(&[("Render", "10", VID), ("Publish", "20", &p)], "");
        let found = published_media(&r, &r.steps[1].outputs[0]).unwrap();
        assert_eq!(found.output.url.as_deref(), Some("https://cdn/x.webm"));
        assert_eq!(MediaKind::of(&found.output), MediaKind::Video);
        assert_eq!(found.step_name.as_deref(), Some("Publish"));
    }

    #[test]
    fn a_publish_output_names_its_media_in_a_field() {
        let p = publish(r#","url":"https://youtu.be/x","thumbnailUrl":"https://cdn/t.jpg""#);
        let r = run(&[("Render", "10", VID), ("Publish", "20", &p)], "");
        let found = published_media(&r, &r.steps[1].outputs[0]).unwrap();
        assert_eq!(found.output.url.as_deref(), Some("https://cdn/t.jpg"));
        assert_eq!(MediaKind::of(&found.output), MediaKind::Image);
    }

    #[test]
    fn a_publish_output_shows_media_of_its_own_step() {
        let p = publish(r#","url":"https://youtu.be/x""#);
        let step = format!("{IMG_B},{p}");
        let r = run(&[("Render", "10", VID), ("Publish", "20", &step)], "");
        assert_eq!(
            id(published_media(&r, &r.steps[1].outputs[1])).as_deref(),
            Some("b")
        );
    }

    #[test]
    fn a_publish_output_shows_the_video_made_before_it_started() {
        // Steps start at :00, :01, :02…; the publish step (index 1) starts at
        // :01, so the video completed at :05 (index 2) is not what it published.
        let p = publish(r#","url":"https://youtu.be/x""#);
        let r = run(
            &[
                ("Render", "00", VID),
                ("Publish", "30", &p),
                ("Later", "05", IMG_A),
            ],
            "",
        );
        assert_eq!(
            id(published_media(&r, &r.steps[1].outputs[0])).as_deref(),
            Some("v")
        );
        let r = run(
            &[
                ("Image", "00", IMG_B),
                ("Publish", "30", &p),
                ("Render", "05", VID),
            ],
            "",
        );
        assert_eq!(
            id(published_media(&r, &r.steps[1].outputs[0])).as_deref(),
            Some("b"),
            "the image that existed, not the later video"
        );
        // Nothing visual anywhere: nothing to show.
        let r = run(&[("Captions", "00", TXT), ("Publish", "30", &p)], "");
        assert_eq!(published_media(&r, &r.steps[1].outputs[0]), None);
    }

    #[test]
    fn the_filmstrip_groups_intermediates_by_step() {
        let r = run(
            &[
                ("Script", "10", TXT),
                ("Nothing", "11", ""),
                ("Images", "12", &format!("{IMG_A},{IMG_B}")),
                ("Render", "13", VID),
                ("Again", "14", IMG_A),
            ],
            VID,
        );
        let strip = filmstrip(&r);
        let shape: Vec<(&str, Vec<&str>)> = strip
            .iter()
            .map(|g| {
                (
                    g.step_name.as_str(),
                    g.items
                        .iter()
                        .map(|i| i.output.output_id.as_str())
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [("Script", vec!["t"]), ("Images", vec!["a", "b"])],
            "finals (the video) and repeats (a) left out"
        );
        assert_eq!(strip[1].step_id, "s2");
        assert_eq!(strip[1].items[0].step_name.as_deref(), Some("Images"));
        let golden = filmstrip(&golden());
        assert_eq!(golden.len(), 1);
        assert_eq!(golden[0].step_name, "Generate background");
        for limit in 0..4 {
            let (head, total) = filmstrip_head(&r, limit);
            assert_eq!(total, 2, "every row counted");
            assert_eq!(head, strip[..limit.min(2)], "the first {limit} rows");
        }
        // A repeat past the limit is still not a row of its own.
        let r = run(
            &[
                ("Images", "10", IMG_A),
                ("More", "11", IMG_B),
                ("Again", "12", IMG_A),
            ],
            "",
        );
        assert_eq!(filmstrip_head(&r, 1).1, 2);
    }

    /// The hero (deduplicate, sort by time, take the latest video, else
    /// image) by the time each step completed, repeats included.
    #[test]
    fn the_hero_by_time_with_repeats_and_finals() {
        const VID2: &str =
            r#"{"type":"editor","outputId":"w","url":"https://m/w.mp4","mimeType":"video/mp4"}"#;
        let cases: [(Run, &[&str]); 11] = [
            (
                run(&[("B", "20", IMG_B), ("A", "10", IMG_A)], ""),
                &["b|B", "b|B", "a|A"],
            ),
            (
                run(
                    &[("A", "10", IMG_A), ("V", "20", VID), ("T", "30", IMG_B)],
                    "",
                ),
                &["v|V", "a|A", "v|V", "v|V"],
            ),
            // The same video listed again by a later step: it appeared at :10.
            (
                run(
                    &[("V", "10", VID), ("W", "20", VID2), ("Again", "30", VID)],
                    "",
                ),
                &["w|W", "v|V", "w|W", "w|W"],
            ),
            (
                run(&[("Again", "30", VID), ("V", "10", VID)], ""),
                &["v|Again", "v|Again", "-"],
            ),
            // Equal times: the one read last wins.
            (
                run(&[("A", "10", IMG_A), ("B", "10", IMG_B)], ""),
                &["b|B", "b|B", "b|B"],
            ),
            (
                run(&[("Running", "", IMG_A), ("Done", "50", IMG_B)], VID),
                &["v|", "b|Done"],
            ),
            (run(&[("A", "10", IMG_A)], IMG_A), &["a|A", "a|A"]),
            (run(&[("T", "10", TXT)], ""), &["-", "-"]),
            // The final video is the one a step made (at :20), listed twice.
            (
                run(
                    &[("V", "20", VID), ("I", "30", IMG_A)],
                    &format!("{VID},{VID}"),
                ),
                &["v|V", "v|V", "v|V"],
            ),
            (
                run(&[("I", "30", IMG_A), ("V", "", VID2)], VID),
                &["v|", "a|I"],
            ),
            (
                run(&[("T", "30", TXT)], &format!("{IMG_A},{IMG_B}")),
                &["b|", "-"],
            ),
        ];
        for (i, (r, expected)) in cases.iter().enumerate() {
            // Before anything: nothing; then at the end and at each completion.
            let untils = [i64::MIN, 0, i64::MAX].into_iter().chain(
                r.steps
                    .iter()
                    .filter_map(|s| s.completed_at.map(|t| t.ms())),
            );
            let got: Vec<String> = untils
                .map(|until| {
                    latest(visual_media(r), until).map_or("-".to_string(), |g| {
                        format!("{}|{}", g.output.output_id, g.step_name.unwrap_or_default())
                    })
                })
                .collect();
            let mut want = vec!["-", "-"];
            want.extend_from_slice(expected);
            assert_eq!(got, want, "run {i}");
            // The one pass agrees with "oldest first, the last of each kind
            // wins", the rule it replaced.
            for until in [i64::MIN, 0, 30_000, i64::MAX] {
                let (mut video, mut image) = (None, None);
                for timed in timed_media(r).into_iter().filter(|t| t.0 <= until) {
                    match MediaKind::of(timed.1) {
                        MediaKind::Video => video = Some(timed.1),
                        MediaKind::Image => image = Some(timed.1),
                        _ => {}
                    }
                }
                let sorted = video.or(image).map(|o| o.output_id.clone());
                let one_pass = latest(visual_media(r), until).map(|g| g.output.output_id);
                assert_eq!(one_pass, sorted, "run {i} until {until}");
            }
        }
        assert_eq!(hero(&cases[2].0).unwrap().output.output_id, "w");
    }

    #[test]
    fn only_the_lead_video_preloads_and_save_data_stops_it() {
        assert_eq!(video_preload(true, false), "metadata");
        assert_eq!(video_preload(false, false), "none");
        assert_eq!(video_preload(true, true), "none");
        assert_eq!(video_preload(false, true), "none");
    }
}
