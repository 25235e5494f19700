//! The step graph of every scenario: the 12-step showcase DAG and its
//! variants, the publish showcase, the large wave graphs, and the lab run.

use super::outputs::seed_of;
use super::plan::{Outcome, OutputSpec, PublishSpec, PublishState, StepSpec};
use super::{Scenario, BATCH_IMAGES, IDLE_GAP_MS};

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
        wait_ms: 0,
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

/// A batch: prompts, one step that makes [`BATCH_IMAGES`] variations at
/// once, the pick of the best, a preview clip and the final clip (so the
/// run has two videos, and its images are intermediate outputs).
fn batch_steps() -> Vec<StepSpec> {
    use OutputSpec::*;
    vec![
        step(
            "Write prompts",
            "node_prompts",
            &[],
            1_500,
            vec![Text("script.txt", "text/plain")],
        ),
        step(
            "Generate variations",
            "node_variations",
            &[0],
            8_000,
            vec![Image(512, 512); BATCH_IMAGES],
        ),
        step(
            "Pick best",
            "node_pick",
            &[1],
            2_000,
            vec![Image(1024, 1024)],
        ),
        step("Render preview", "node_preview", &[2], 3_000, vec![Video]),
        step("Render final", "node_render", &[3], 4_000, vec![Video]),
    ]
}

/// The happy DAG failing at "Compose scene" (music runs on meanwhile).
fn failed_steps() -> Vec<StepSpec> {
    use happy_ix::*;
    let mut steps = happy_steps();
    steps[COMPOSE].attempts = vec![2_000];
    steps[COMPOSE].outcome = Outcome::Fail;
    steps[MUSIC].attempts = vec![14_000];
    steps
}

/// A historic take: every attempt scaled by `factor`, then by a per-step
/// factor in [0.85, 1.15) seeded by the take, so no two takes time alike.
fn takes(mut steps: Vec<StepSpec>, take: Scenario, factor: f64) -> Vec<StepSpec> {
    for (i, step) in steps.iter_mut().enumerate() {
        let h = seed_of(&format!("{}/{i}", take.name()));
        let jitter = 0.85 + f64::from(h % 300) / 1_000.0;
        for ms in &mut step.attempts {
            *ms = (*ms as f64 * factor * jitter).round() as u64;
        }
    }
    steps
}

/// The graph of `scenario`.
pub(crate) fn build_steps(scenario: Scenario) -> Vec<StepSpec> {
    use happy_ix::*;
    match scenario {
        Scenario::Happy | Scenario::Demo | Scenario::Finished => happy_steps(),
        Scenario::Failed => failed_steps(),
        Scenario::Take1 => takes(happy_steps(), scenario, 1.25),
        Scenario::Take2 => takes(failed_steps(), scenario, 1.1),
        Scenario::Take3 => takes(happy_steps(), scenario, 1.05),
        Scenario::Take4 => {
            let mut steps = happy_steps();
            steps[CHARACTER].attempts = vec![2_500, 7_000];
            takes(steps, scenario, 0.9)
        }
        Scenario::Take5 => {
            let mut steps = happy_steps();
            steps[CAPTIONS].outcome = Outcome::Skip;
            takes(steps, scenario, 0.75)
        }
        Scenario::Take6 => takes(happy_steps(), scenario, 1.1),
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
        Scenario::Large20k => large_steps(20_000),
        Scenario::Batch => batch_steps(),
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
        Scenario::IdleGap => vec![
            step(
                "Write script",
                "node_script",
                &[],
                3_000,
                vec![OutputSpec::Text("script.txt", "text/plain")],
            ),
            StepSpec {
                wait_ms: IDLE_GAP_MS,
                ..step(
                    "Render on GPU",
                    "node_gpu_render",
                    &[0],
                    6_000,
                    vec![OutputSpec::Video],
                )
            },
            step("Publish", "node_publish", &[1], 2_000, vec![]),
        ],
    }
}
