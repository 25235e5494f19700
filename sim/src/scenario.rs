//! Pure scenario logic: the step graph of each scenario and the state of a run
//! at any elapsed time.
//!
//! Everything here is deterministic: [`run_at`] is a function of the scenario,
//! the run id (seeds media URLs), the run's wall-clock origin, the time factor
//! and the elapsed scenario time. The static graph and its timeline are built
//! once per scenario and cached, so even 5,000-step runs answer quickly.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::model::{Output, Progress, Run, Step};
use crate::timestamp::rfc3339_ms;

/// A run stays `queued` (no step starts) for this long after it is created.
pub const START_DELAY_MS: u64 = 500;
/// Delay between a step's last predecessor finishing and the step starting.
pub const SCHEDULING_LATENCY_MS: u64 = 150;
/// Pause between a failed attempt and the next one; the step shows `failed` meanwhile.
pub const RETRY_GAP_MS: u64 = 1_000;
/// How far in the past "already settled" scenarios (`finished`, `unknown_status`) started.
const SETTLED_AGO_MS: u64 = 10 * 60 * 1_000;

/// A named behaviour of a simulated run, selected by the run id `run_<name>[-suffix]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scenario {
    /// 12-step DAG with fan-out and fan-in that succeeds in about 36 s.
    Happy,
    /// The showcase run of the README: the same rich DAG as [`Scenario::Happy`].
    Demo,
    /// Fails at "Compose scene"; downstream steps never start.
    Failed,
    /// Two steps need retries (attempts 1 → 2 → 3); the run succeeds.
    Retries,
    /// Some steps end `skipped`, one `locked`; the run succeeds.
    SkipLock,
    /// Publish steps whose `output` objects evolve (platform, status, permalink, ...).
    Publish,
    /// 2,000 steps in waves, about 60 s.
    Large,
    /// 1,000 steps in waves.
    Large1k,
    /// 5,000 steps in waves.
    Large5k,
    /// Already succeeded when first requested.
    Finished,
    /// Undocumented run/step statuses and output type; never changes.
    UnknownStatus,
}

impl Scenario {
    /// Every scenario, in documentation order.
    pub const ALL: [Scenario; 11] = [
        Scenario::Happy,
        Scenario::Demo,
        Scenario::Failed,
        Scenario::Retries,
        Scenario::SkipLock,
        Scenario::Publish,
        Scenario::Large,
        Scenario::Large1k,
        Scenario::Large5k,
        Scenario::Finished,
        Scenario::UnknownStatus,
    ];

    /// The snake_case name used in run ids.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Happy => "happy",
            Scenario::Demo => "demo",
            Scenario::Failed => "failed",
            Scenario::Retries => "retries",
            Scenario::SkipLock => "skip_lock",
            Scenario::Publish => "publish",
            Scenario::Large => "large",
            Scenario::Large1k => "large_1k",
            Scenario::Large5k => "large_5k",
            Scenario::Finished => "finished",
            Scenario::UnknownStatus => "unknown_status",
        }
    }

    /// Looks a scenario up by its name.
    pub fn from_name(name: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The blueprint whose runs this scenario simulates.
    pub fn blueprint_id(self) -> &'static str {
        match self {
            Scenario::Happy
            | Scenario::Demo
            | Scenario::Failed
            | Scenario::Retries
            | Scenario::SkipLock
            | Scenario::Finished => "bp_shorts",
            Scenario::Publish => "bp_publish",
            Scenario::Large | Scenario::Large1k | Scenario::Large5k => "bp_large",
            Scenario::UnknownStatus => "bp_lab",
        }
    }

    /// The cached step graph and timeline of this scenario.
    pub fn plan(self) -> &'static Plan {
        static PLANS: [OnceLock<Plan>; 11] = [const { OnceLock::new() }; 11];
        let index = Scenario::ALL.iter().position(|s| *s == self).unwrap_or(0);
        PLANS[index].get_or_init(|| Plan::new(build_steps(self), self))
    }
}

/// How a step ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Runs its attempts; the last one succeeds.
    Succeed,
    /// Runs its attempts; the last one fails.
    Fail,
    /// Becomes `skipped` as soon as it is ready.
    Skip,
    /// Becomes `locked` (reuses earlier outputs) as soon as it is ready.
    Lock,
    /// Stays forever in this (undocumented) status once ready.
    Stuck(&'static str),
}

/// A publish platform status, as it evolves after the publish step succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishState {
    /// Waiting for the platform.
    Queued,
    /// Upload in progress.
    InProgress,
    /// Scheduled for later (`scheduledFor`).
    Scheduled,
    /// Live (`permalink`).
    Succeeded,
    /// Rejected (`error`).
    Failed,
}

impl PublishState {
    fn as_str(self) -> &'static str {
        match self {
            PublishState::Queued => "queued",
            PublishState::InProgress => "in_progress",
            PublishState::Scheduled => "scheduled",
            PublishState::Succeeded => "succeeded",
            PublishState::Failed => "failed",
        }
    }
}

/// An artifact a step produces when it completes.
#[derive(Debug, Clone)]
pub enum OutputSpec {
    /// Generated PNG of this size.
    Image(u32, u32),
    /// Edited video (`clip.webm`).
    Video,
    /// Generated audio (`narration.ogg`).
    Audio,
    /// Generated text file under `/media/` with this name and MIME type.
    Text(&'static str, &'static str),
    /// Publish output on a platform.
    Publish(PublishSpec),
    /// An output type nobody documented (`hologram`, glTF binary).
    Hologram,
}

/// The undocumented shape of one publish output.
#[derive(Debug, Clone)]
pub struct PublishSpec {
    /// `youtube`, `tiktok` or `instagram`.
    pub platform: &'static str,
    /// `mimeType`, if any.
    pub mime: Option<&'static str>,
    /// (delay after the step succeeded, state) pairs, ascending.
    pub timeline: Vec<(u64, PublishState)>,
}

/// One node of a scenario's graph.
#[derive(Debug, Clone)]
pub struct StepSpec {
    /// Human name.
    pub name: String,
    /// Blueprint node id.
    pub reference_id: String,
    /// Indices of predecessors (always smaller than this step's index).
    pub preds: Vec<usize>,
    /// Durations of the attempts; all but the last fail.
    pub attempts: Vec<u64>,
    /// How the last attempt ends.
    pub outcome: Outcome,
    /// Artifacts shown once the step succeeded (or is locked).
    pub outputs: Vec<OutputSpec>,
}

/// When a step becomes ready, runs its attempts and ends (scenario ms since run start).
#[derive(Debug, Clone, Default)]
pub struct StepTimes {
    /// When the step starts; `None` if it never starts.
    pub ready: Option<u64>,
    /// (start, end) of every attempt.
    pub attempts: Vec<(u64, u64)>,
    /// When the step reaches its final status; `None` if never.
    pub end: Option<u64>,
}

/// A scenario's static graph plus its precomputed timeline.
#[derive(Debug)]
pub struct Plan {
    /// The steps in topological order.
    pub steps: Vec<StepSpec>,
    /// `true` for steps without successors.
    pub leaves: Vec<bool>,
    /// Timeline of every step.
    pub times: Vec<StepTimes>,
    /// When the run reaches its final status; `None` if never.
    pub run_end: Option<u64>,
    /// Whether the final status is `failed`.
    pub run_failed: bool,
    /// Status shown instead of `running` once started (undocumented statuses).
    pub status_override: Option<&'static str>,
    /// Whether the run is shown as long settled from its very first request.
    pub settled: bool,
    /// `step_001`, ... (`step_0001` from 1,000 steps on).
    step_ids: Vec<String>,
}

impl Plan {
    /// Computes the timeline of `steps`.
    pub fn new(steps: Vec<StepSpec>, scenario: Scenario) -> Plan {
        for (i, step) in steps.iter().enumerate() {
            assert!(
                step.preds.iter().all(|&p| p < i),
                "step {i} of {scenario:?} must come after its predecessors"
            );
        }
        let mut leaves = vec![true; steps.len()];
        for step in &steps {
            for &p in &step.preds {
                leaves[p] = false;
            }
        }
        let first = schedule(&steps, None);
        let cutoff = steps
            .iter()
            .zip(&first)
            .filter(|(s, _)| s.outcome == Outcome::Fail)
            .filter_map(|(_, t)| t.end)
            .min();
        let times = match cutoff {
            Some(_) => schedule(&steps, cutoff),
            None => first,
        };
        let stuck = steps.iter().any(|s| matches!(s.outcome, Outcome::Stuck(_)));
        let run_end = if stuck {
            None
        } else {
            times.iter().filter_map(|t| t.end).max()
        };
        let run_failed = steps
            .iter()
            .zip(&times)
            .any(|(s, t)| s.outcome == Outcome::Fail && t.ready.is_some());
        Plan {
            step_ids: (1..=steps.len())
                .map(|n| match steps.len() {
                    0..1_000 => format!("step_{n:03}"),
                    _ => format!("step_{n:04}"),
                })
                .collect(),
            steps,
            leaves,
            times,
            run_end,
            run_failed,
            status_override: (scenario == Scenario::UnknownStatus).then_some("paused_by_operator"),
            settled: matches!(scenario, Scenario::Finished | Scenario::UnknownStatus),
        }
    }
}

/// Lays the steps out in time. With a `cutoff` (first terminal failure), no
/// step starts after it: running siblings finish, nothing new begins.
fn schedule(steps: &[StepSpec], cutoff: Option<u64>) -> Vec<StepTimes> {
    let mut times: Vec<StepTimes> = Vec::with_capacity(steps.len());
    for step in steps {
        let mut ready = Some(START_DELAY_MS + SCHEDULING_LATENCY_MS);
        for &p in &step.preds {
            ready = match (ready, times[p].end, steps[p].outcome) {
                (_, _, Outcome::Fail) | (None, _, _) | (_, None, _) => None,
                (Some(r), Some(end), _) => Some(r.max(end + SCHEDULING_LATENCY_MS)),
            };
        }
        if let (Some(r), Some(c)) = (ready, cutoff) {
            if r > c {
                ready = None;
            }
        }
        let mut t = StepTimes {
            ready,
            ..StepTimes::default()
        };
        if let Some(start) = ready {
            match step.outcome {
                Outcome::Skip | Outcome::Lock => t.end = Some(start),
                Outcome::Stuck(_) => {}
                Outcome::Succeed | Outcome::Fail => {
                    let mut at = start;
                    for &d in &step.attempts {
                        t.attempts.push((at, at + d));
                        at += d + RETRY_GAP_MS;
                    }
                    t.end = t.attempts.last().map(|a| a.1);
                }
            }
        }
        times.push(t);
    }
    times
}

/// Where and when a run is evaluated.
#[derive(Debug, Clone, Copy)]
pub struct RunContext<'a> {
    /// The full run id (`run_happy-x1`); seeds media URLs.
    pub run_id: &'a str,
    /// Wall-clock time (Unix ms) of scenario time 0.
    pub t0_unix_ms: i64,
    /// Time factor: scenario ms per wall-clock ms.
    pub speed: f64,
    /// Public base URL of the media origin, without trailing slash.
    pub media_base: &'a str,
}

impl RunContext<'_> {
    /// Wall-clock timestamp of scenario time `offset_ms`.
    fn stamp(&self, offset_ms: u64) -> String {
        rfc3339_ms(self.t0_unix_ms + (offset_ms as f64 / self.speed).round() as i64)
    }
}

/// The run-level fields of a run, without its steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunHeader {
    /// Run status.
    pub status: &'static str,
    /// RFC 3339 start time.
    pub started_at: String,
    /// RFC 3339 completion time, once final.
    pub completed_at: Option<String>,
}

/// Shifts "already settled" scenarios into their past.
fn effective<'a>(plan: &Plan, ctx: &RunContext<'a>, elapsed_ms: u64) -> (RunContext<'a>, u64) {
    let mut ctx = *ctx;
    let mut e = elapsed_ms;
    if plan.settled {
        e += SETTLED_AGO_MS;
        ctx.t0_unix_ms -= (SETTLED_AGO_MS as f64 / ctx.speed).round() as i64;
    }
    (ctx, e)
}

/// Run status and times at scenario time `e` (already shifted).
fn header(plan: &Plan, ctx: &RunContext<'_>, e: u64) -> RunHeader {
    let (status, completed_at) = if e < START_DELAY_MS {
        ("queued", None)
    } else {
        match plan.run_end {
            Some(end) if e >= end => {
                let status = if plan.run_failed {
                    "failed"
                } else {
                    "succeeded"
                };
                (status, Some(ctx.stamp(end)))
            }
            _ => (plan.status_override.unwrap_or("running"), None),
        }
    };
    RunHeader {
        status,
        started_at: ctx.stamp(0),
        completed_at,
    }
}

/// The run-level fields only: cheap even for 5,000-step scenarios (listings).
pub fn header_at(scenario: Scenario, ctx: &RunContext<'_>, elapsed_ms: u64) -> RunHeader {
    let plan = scenario.plan();
    let (ctx, e) = effective(plan, ctx, elapsed_ms);
    header(plan, &ctx, e)
}

/// The state of a run of `scenario` after `elapsed_ms` of scenario time.
pub fn run_at(scenario: Scenario, ctx: &RunContext<'_>, elapsed_ms: u64) -> Run {
    let plan = scenario.plan();
    let (ctx, e) = effective(plan, ctx, elapsed_ms);
    let seed = seed_of(ctx.run_id);
    let mut steps = Vec::with_capacity(plan.steps.len());
    let mut final_outputs = Vec::new();
    for (i, spec) in plan.steps.iter().enumerate() {
        let step = step_at(plan, i, spec, &ctx, seed, e);
        if plan.leaves[i] {
            final_outputs.extend(step.outputs.iter().cloned());
        }
        steps.push(step);
    }
    let head = header(plan, &ctx, e);
    Run {
        run_id: ctx.run_id.to_string(),
        blueprint_id: scenario.blueprint_id().to_string(),
        status: head.status.to_string(),
        started_at: Some(head.started_at),
        completed_at: head.completed_at,
        progress: Progress::of(&steps),
        final_outputs,
        steps,
    }
}

/// The state of step `i` at scenario time `e`.
fn step_at(
    plan: &Plan,
    i: usize,
    spec: &StepSpec,
    ctx: &RunContext<'_>,
    seed: u32,
    e: u64,
) -> Step {
    let t = &plan.times[i];
    let mut step = Step {
        step_id: plan.step_ids[i].clone(),
        reference_id: spec.reference_id.clone(),
        name: spec.name.clone(),
        status: "queued".to_string(),
        predecessors_left: 0,
        attempt_no: 1,
        started_at: None,
        completed_at: None,
        outputs: Vec::new(),
    };
    let ready = match t.ready {
        Some(r) if r <= e => r,
        _ => {
            step.predecessors_left = spec
                .preds
                .iter()
                .filter(|&&p| !completed_by(plan, p, e))
                .count() as u32;
            return step;
        }
    };
    let mut produced = false;
    match spec.outcome {
        Outcome::Skip | Outcome::Lock => {
            let locked = spec.outcome == Outcome::Lock;
            step.status = if locked { "locked" } else { "skipped" }.to_string();
            step.started_at = Some(ctx.stamp(ready));
            step.completed_at = Some(ctx.stamp(ready));
            produced = locked;
        }
        Outcome::Stuck(status) => step.status = status.to_string(),
        Outcome::Succeed | Outcome::Fail => {
            let k = t.attempts.iter().rposition(|a| a.0 <= e).unwrap_or(0);
            let (start, end) = t.attempts[k];
            step.attempt_no = k as u32 + 1;
            step.started_at = Some(ctx.stamp(start));
            if e < end {
                step.status = "running".to_string();
            } else {
                let last = k + 1 == t.attempts.len();
                let ok = last && spec.outcome == Outcome::Succeed;
                step.status = if ok { "succeeded" } else { "failed" }.to_string();
                step.completed_at = Some(ctx.stamp(end));
                produced = ok;
            }
        }
    }
    if produced {
        let done = t.end.unwrap_or(ready);
        step.outputs = spec
            .outputs
            .iter()
            .enumerate()
            .map(|(n, o)| output(o, i, n, ctx, seed, e.saturating_sub(done)))
            .collect();
    }
    step
}

/// Whether step `p` has completed (succeeded, skipped or locked) by time `e`.
fn completed_by(plan: &Plan, p: usize, e: u64) -> bool {
    plan.steps[p].outcome != Outcome::Fail && plan.times[p].end.is_some_and(|end| end <= e)
}

/// Builds output `n` of step `i`, `since_done` ms after the step completed.
fn output(
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

/// Shorthand for a step that succeeds after one attempt.
fn step(
    name: &str,
    reference: &str,
    preds: &[usize],
    ms: u64,
    outputs: Vec<OutputSpec>,
) -> StepSpec {
    StepSpec {
        name: name.to_string(),
        reference_id: reference.to_string(),
        preds: preds.to_vec(),
        attempts: vec![ms],
        outcome: Outcome::Succeed,
        outputs,
    }
}

/// A publish output that is live at once (used by the happy path).
fn instant_publish(platform: &'static str, state: PublishState) -> OutputSpec {
    OutputSpec::Publish(PublishSpec {
        platform,
        mime: Some("application/json"),
        timeline: vec![(0, state)],
    })
}

/// Index of the happy DAG's steps, so variants can patch them by name.
mod happy_ix {
    pub const CHARACTER: usize = 2;
    pub const NARRATION: usize = 3;
    pub const MUSIC: usize = 4;
    pub const COMPOSE: usize = 5;
    pub const CAPTIONS: usize = 6;
    pub const PUBLISH_TIKTOK: usize = 10;
}

/// The rich 12-step showcase DAG (fan-out after the script, fan-in at render).
fn happy_steps() -> Vec<StepSpec> {
    use OutputSpec::*;
    vec![
        step(
            "Write script",
            "node_script",
            &[],
            3_200,
            vec![Text("script.txt", "text/plain")],
        ),
        step(
            "Generate background",
            "node_background",
            &[0],
            6_400,
            vec![Image(1280, 720)],
        ),
        step(
            "Generate character",
            "node_character",
            &[0],
            8_600,
            vec![Image(720, 1280)],
        ),
        step("Narration", "node_narration", &[0], 5_200, vec![Audio]),
        step("Background music", "node_music", &[0], 4_500, vec![Audio]),
        step(
            "Compose scene",
            "node_compose",
            &[1, 2],
            5_300,
            vec![Image(1024, 1024)],
        ),
        step(
            "Captions",
            "node_captions",
            &[3],
            2_600,
            vec![Text("captions.vtt", "text/vtt")],
        ),
        step(
            "Render video",
            "node_render",
            &[5, 3, 4],
            9_800,
            vec![Video],
        ),
        step(
            "Thumbnail",
            "node_thumbnail",
            &[7],
            2_400,
            vec![Image(1280, 720)],
        ),
        step(
            "Publish YouTube",
            "node_publish_youtube",
            &[7, 8],
            3_100,
            vec![instant_publish("youtube", PublishState::Succeeded)],
        ),
        step(
            "Publish TikTok",
            "node_publish_tiktok",
            &[7, 8],
            3_600,
            vec![instant_publish("tiktok", PublishState::Succeeded)],
        ),
        step(
            "Publish Instagram",
            "node_publish_instagram",
            &[7, 8],
            2_900,
            vec![instant_publish("instagram", PublishState::Scheduled)],
        ),
    ]
}

/// The publish showcase: statuses keep evolving after each publish step succeeded.
fn publish_steps() -> Vec<StepSpec> {
    use OutputSpec::*;
    use PublishState::*;
    let publish = |platform, mime, timeline| {
        Publish(PublishSpec {
            platform,
            mime,
            timeline,
        })
    };
    vec![
        step(
            "Write script",
            "node_script",
            &[],
            2_500,
            vec![Text("script.txt", "text/plain")],
        ),
        step("Render video", "node_render", &[0], 6_000, vec![Video]),
        step(
            "Thumbnail",
            "node_thumbnail",
            &[1],
            2_000,
            vec![Image(1280, 720)],
        ),
        step(
            "Publish YouTube",
            "node_publish_youtube",
            &[1, 2],
            2_500,
            vec![publish(
                "youtube",
                None,
                vec![(0, Queued), (2_500, InProgress), (7_000, Succeeded)],
            )],
        ),
        step(
            "Publish TikTok",
            "node_publish_tiktok",
            &[1, 2],
            3_000,
            vec![publish(
                "tiktok",
                Some("application/json"),
                vec![(0, Queued), (3_000, InProgress), (6_500, Failed)],
            )],
        ),
        step(
            "Publish Instagram",
            "node_publish_instagram",
            &[1, 2],
            2_000,
            vec![publish(
                "instagram",
                None,
                vec![(0, Queued), (2_000, Scheduled)],
            )],
        ),
        step("Archive masters", "node_archive", &[1], 22_000, vec![]),
    ]
}

/// `n` steps in 40 waves; each step depends on 2–6 steps of the previous wave.
fn large_steps(n: usize) -> Vec<StepSpec> {
    const WAVES: usize = 40;
    let width = n / WAVES;
    (0..n)
        .map(|i| {
            let (wave, j) = (i / width, i % width);
            let mut preds = Vec::new();
            if wave > 0 {
                let prev = (wave - 1) * width;
                preds.push(prev + j);
                preds.push(prev + (j * 7 + 3) % width);
                if j % 5 == 0 {
                    preds.extend((0..4).map(|k| prev + (j + k * 11 + 1) % width));
                }
                preds.sort_unstable();
                preds.dedup();
            }
            let h = seed_of(&i.to_string());
            let output = match i % 4 {
                0 => OutputSpec::Image(320, 180),
                1 => OutputSpec::Image(256, 256),
                2 => OutputSpec::Image(180, 320),
                _ => OutputSpec::Text("script.txt", "text/plain"),
            };
            step(
                &format!("Wave {} task {}", wave + 1, j + 1),
                &format!("node_w{:02}_t{:03}", wave + 1, j + 1),
                &preds,
                400 + u64::from(h % 900),
                vec![output],
            )
        })
        .collect()
}

/// The graph of `scenario`.
fn build_steps(scenario: Scenario) -> Vec<StepSpec> {
    use happy_ix::*;
    match scenario {
        Scenario::Happy | Scenario::Demo | Scenario::Finished => happy_steps(),
        Scenario::Failed => {
            let mut steps = happy_steps();
            steps[COMPOSE].attempts = vec![2_000];
            steps[COMPOSE].outcome = Outcome::Fail;
            steps[MUSIC].attempts = vec![14_000];
            steps
        }
        Scenario::Retries => {
            let mut steps = happy_steps();
            steps[CHARACTER].attempts = vec![3_000, 3_500, 7_600];
            steps[NARRATION].attempts = vec![2_000, 5_200];
            steps
        }
        Scenario::SkipLock => {
            let mut steps = happy_steps();
            steps[CHARACTER].outcome = Outcome::Lock;
            steps[NARRATION].outcome = Outcome::Skip;
            steps[CAPTIONS].outcome = Outcome::Skip;
            steps[PUBLISH_TIKTOK].outcome = Outcome::Skip;
            steps
        }
        Scenario::Publish => publish_steps(),
        Scenario::Large => large_steps(2_000),
        Scenario::Large1k => large_steps(1_000),
        Scenario::Large5k => large_steps(5_000),
        Scenario::UnknownStatus => vec![
            step(
                "Write script",
                "node_script",
                &[],
                2_500,
                vec![OutputSpec::Text("script.txt", "text/plain")],
            ),
            step(
                "Generate hologram",
                "node_hologram",
                &[0],
                4_000,
                vec![OutputSpec::Hologram],
            ),
            StepSpec {
                outcome: Outcome::Stuck("waiting_for_gpu"),
                ..step(
                    "Render on GPU",
                    "node_gpu_render",
                    &[0],
                    5_000,
                    vec![OutputSpec::Video],
                )
            },
            step("Publish", "node_publish", &[2], 2_000, vec![]),
        ],
    }
}
