//! Native tests of the pure scenario logic at chosen times.

use std::collections::HashSet;

use runview_sim::model::{Output, Progress, Run, Step};
use runview_sim::scenario::{header_at, run_at, RunContext, Scenario};
use runview_sim::timestamp::parse_rfc3339_ms;

const T0: i64 = 1_774_008_000_000; // 2026-03-20T12:00:00Z
const MEDIA: &str = "http://127.0.0.1:8091";

fn ctx(run_id: &str) -> RunContext<'_> {
    RunContext {
        run_id,
        t0_unix_ms: T0,
        speed: 1.0,
        media_base: MEDIA,
    }
}

fn at(scenario: Scenario, elapsed_ms: u64) -> Run {
    let id = format!("run_{}", scenario.name());
    run_at(scenario, &ctx(&id), elapsed_ms)
}

fn ms(stamp: &Option<String>) -> Option<i64> {
    stamp
        .as_deref()
        .map(|s| parse_rfc3339_ms(s).expect("RFC 3339"))
}

fn step<'a>(run: &'a Run, name: &str) -> &'a Step {
    run.steps
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no step {name}"))
}

/// Scenario time when the run reaches a final status.
fn end_of(scenario: Scenario) -> u64 {
    (0..400_000u64)
        .step_by(250)
        .find(|&t| ["succeeded", "failed"].contains(&at(scenario, t).status.as_str()))
        .expect("run finishes")
}

/// Invariants every response must satisfy, whatever the scenario and time.
fn check(run: &Run) {
    assert_eq!(run.progress, Progress::of(&run.steps));
    assert_eq!(run.progress.total_steps as usize, run.steps.len());
    let run_start = ms(&run.started_at).expect("run startedAt");
    let terminal_run = ["succeeded", "failed", "canceled"].contains(&run.status.as_str());
    assert_eq!(run.completed_at.is_some(), terminal_run, "{}", run.status);
    let mut ids = HashSet::new();
    let mut referenced: HashSet<&str> = HashSet::new();
    for s in &run.steps {
        assert!(ids.insert(s.step_id.clone()), "duplicate step id");
        let start = ms(&s.started_at);
        let end = ms(&s.completed_at);
        if let Some(start) = start {
            assert!(start >= run_start, "{} starts before the run", s.name);
        }
        if let (Some(start), Some(end)) = (start, end) {
            assert!(start <= end, "{} ends before it starts", s.name);
        }
        if let (Some(end), Some(run_end)) = (end, ms(&run.completed_at)) {
            assert!(end <= run_end, "{} ends after the run", s.name);
        }
        let completed =
            ["succeeded", "failed", "skipped", "locked", "canceled"].contains(&s.status.as_str());
        assert_eq!(
            s.completed_at.is_some(),
            completed,
            "{} {}",
            s.name,
            s.status
        );
        if s.status == "queued" {
            assert!(s.started_at.is_none());
        } else {
            assert_eq!(s.predecessors_left, 0, "{}", s.name);
        }
        if !s.outputs.is_empty() {
            assert!(
                ["succeeded", "locked"].contains(&s.status.as_str()),
                "{}",
                s.name
            );
        }
        for o in &s.outputs {
            assert!(
                ids.insert(o.output_id.clone()),
                "duplicate output id {}",
                o.output_id
            );
            assert!(o.url.starts_with("http"), "{}", o.url);
        }
        referenced.insert(&s.reference_id);
    }
    assert_eq!(referenced.len(), run.steps.len(), "referenceIds are unique");
}

/// Outputs of leaf steps (computed from the plan's edges), in step order.
fn leaf_outputs(scenario: Scenario, run: &Run) -> Vec<Output> {
    let plan = scenario.plan();
    // One pass over the edges: the 20,000-step scenario has ~50,000.
    let inner: std::collections::HashSet<usize> = plan
        .steps
        .iter()
        .flat_map(|s| s.preds.iter().copied())
        .collect();
    run.steps
        .iter()
        .enumerate()
        .filter(|(i, _)| !inner.contains(i))
        .flat_map(|(_, s)| s.outputs.clone())
        .collect()
}

#[test]
fn every_scenario_keeps_its_invariants_over_time() {
    for scenario in Scenario::ALL {
        let step = if scenario.plan().steps.len() > 100 {
            9_000
        } else {
            250
        };
        let mut last_completed = 0;
        let mut last_status = String::new();
        for t in (0..80_000).step_by(step) {
            let run = at(scenario, t);
            check(&run);
            let head = header_at(scenario, &ctx(&run.run_id), t);
            assert_eq!(head.status, run.status);
            assert_eq!(Some(head.started_at), run.started_at);
            assert_eq!(head.completed_at, run.completed_at);
            assert_eq!(
                run.final_outputs,
                leaf_outputs(scenario, &run),
                "{scenario:?} at {t}"
            );
            if scenario != Scenario::Retries {
                assert!(
                    run.progress.completed_steps >= last_completed,
                    "{scenario:?} at {t}"
                );
            }
            last_completed = run.progress.completed_steps;
            if ["succeeded", "failed"].contains(&last_status.as_str()) {
                assert_eq!(
                    run.status, last_status,
                    "{scenario:?} left its final status"
                );
            }
            last_status = run.status;
        }
    }
}

#[test]
fn happy_goes_queued_running_succeeded_in_30_to_45_s() {
    for scenario in [Scenario::Happy, Scenario::Demo] {
        let start = at(scenario, 0);
        assert_eq!(start.status, "queued");
        assert!(start.steps.iter().all(|s| s.status == "queued"));
        assert_eq!(at(scenario, 400).status, "queued");
        let early = at(scenario, 1_000);
        assert_eq!(early.status, "running");
        assert_eq!(step(&early, "Write script").status, "running");
        let end = end_of(scenario);
        assert!((30_000..=45_000).contains(&end), "ends at {end}");
        let done = at(scenario, end);
        assert_eq!(done.status, "succeeded");
        assert!(done.steps.iter().all(|s| s.status == "succeeded"));
        assert_eq!(done.steps.len(), 12);
        let kinds: HashSet<_> = done.final_outputs.iter().map(|o| o.kind.as_str()).collect();
        assert!(kinds.contains("output") && kinds.contains("inference"));
        let run_end = ms(&done.completed_at).unwrap();
        let last_step = done
            .steps
            .iter()
            .filter_map(|s| ms(&s.completed_at))
            .max()
            .unwrap();
        assert_eq!(run_end, last_step);
        assert_eq!(ms(&done.started_at), Some(T0));
    }
}

#[test]
fn predecessors_left_counts_down_as_predecessors_finish() {
    let counts: Vec<u32> = (0..40_000)
        .step_by(100)
        .map(|t| at(Scenario::Happy, t))
        .filter(|r| step(r, "Render video").status == "queued")
        .map(|r| step(&r, "Render video").predecessors_left)
        .collect();
    assert_eq!(counts.first(), Some(&3));
    // 0 for a moment between the last predecessor finishing and the step starting.
    assert_eq!(counts.last(), Some(&0));
    assert!(counts.windows(2).all(|w| w[1] <= w[0]), "{counts:?}");
    let seen: HashSet<_> = counts.into_iter().collect();
    assert!(seen.contains(&2) && seen.contains(&1));
}

#[test]
fn outputs_appear_when_a_step_succeeds_with_real_media_urls() {
    let run = at(Scenario::Happy, 60_000);
    let image = &step(&run, "Generate character").outputs[0];
    assert_eq!(image.mime_type.as_deref(), Some("image/png"));
    assert!(image.url.starts_with(&format!("{MEDIA}/media/img/")));
    assert!(image.url.ends_with("-720x1280.png"));
    assert_eq!((image.width, image.height), (Some(720), Some(1280)));
    let video = &step(&run, "Render video").outputs[0];
    assert_eq!(video.kind, "editor");
    assert_eq!(video.url, format!("{MEDIA}/media/clip.webm"));
    assert_eq!(video.duration_ms, Some(4_000));
    let audio = &step(&run, "Narration").outputs[0];
    assert_eq!(audio.mime_type.as_deref(), Some("audio/ogg"));
    assert!(audio.width.is_none() && audio.duration_ms.is_some());
    let text = &step(&run, "Write script").outputs[0];
    assert_eq!(text.url, format!("{MEDIA}/media/script.txt"));
    let json = serde_json::to_value(text).unwrap();
    assert!(json.get("width").is_none() && json.get("durationMs").is_none());
    // Stable ids and URLs across polls; different runs get different images.
    assert_eq!(at(Scenario::Happy, 61_000).steps, run.steps);
    let other = run_at(Scenario::Happy, &ctx("run_happy-other"), 60_000);
    assert_ne!(step(&other, "Generate character").outputs[0].url, image.url);
}

#[test]
fn failed_stops_downstream_and_lets_running_siblings_finish() {
    let end = end_of(Scenario::Failed);
    let run = at(Scenario::Failed, end);
    assert_eq!(run.status, "failed");
    let compose = step(&run, "Compose scene");
    assert_eq!(compose.status, "failed");
    assert!(compose.outputs.is_empty());
    for name in [
        "Render video",
        "Thumbnail",
        "Publish YouTube",
        "Publish TikTok",
    ] {
        let s = step(&run, name);
        assert_eq!(s.status, "queued", "{name}");
        assert!(s.predecessors_left > 0, "{name}");
        assert!(s.started_at.is_none());
    }
    let music = step(&run, "Background music");
    assert_eq!(music.status, "succeeded");
    assert!(ms(&music.completed_at) > ms(&compose.completed_at));
    assert_eq!(ms(&run.completed_at), ms(&music.completed_at));
    // While the sibling still runs, the run is not failed yet.
    let failed_at = ms(&compose.completed_at).unwrap() - T0;
    let mid = at(Scenario::Failed, failed_at as u64 + 100);
    assert_eq!(mid.status, "running");
    assert_eq!(mid.progress.failed_steps, 1);
    assert_eq!(mid.progress.running_steps, 1);
    // Much later, nothing changed.
    assert_eq!(at(Scenario::Failed, end + 600_000).steps, run.steps.clone());
}

#[test]
fn retries_count_attempts_and_restart_the_clock_each_attempt() {
    let mut attempts = Vec::new();
    let mut starts = Vec::new();
    for t in (0..60_000).step_by(100) {
        let run = at(Scenario::Retries, t);
        let s = step(&run, "Generate character");
        if s.status == "running" && attempts.last() != Some(&s.attempt_no) {
            attempts.push(s.attempt_no);
            starts.push(ms(&s.started_at).unwrap());
        }
    }
    assert_eq!(attempts, vec![1, 2, 3]);
    assert!(starts.windows(2).all(|w| w[0] < w[1]));
    let end = end_of(Scenario::Retries);
    let done = at(Scenario::Retries, end);
    assert_eq!(done.status, "succeeded");
    let s = step(&done, "Generate character");
    assert_eq!((s.status.as_str(), s.attempt_no), ("succeeded", 3));
    assert_eq!(step(&done, "Narration").attempt_no, 2);
    assert_eq!(ms(&s.started_at), starts.last().copied());
}

#[test]
fn skip_lock_ends_with_skipped_and_locked_steps_and_succeeds() {
    let run = at(Scenario::SkipLock, end_of(Scenario::SkipLock));
    assert_eq!(run.status, "succeeded");
    let count = |status: &str| run.steps.iter().filter(|s| s.status == status).count();
    assert_eq!(count("skipped"), 3);
    assert_eq!(count("locked"), 1);
    assert_eq!(run.progress.completed_steps as usize, run.steps.len());
    assert!(!step(&run, "Generate character").outputs.is_empty());
}

#[test]
fn publish_outputs_evolve_with_undocumented_fields() {
    let field = |o: &Output, k: &str| o.extra.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let mut youtube = Vec::new();
    for t in (0..60_000).step_by(200) {
        let run = at(Scenario::Publish, t);
        if let Some(o) = step(&run, "Publish YouTube").outputs.first() {
            let status = field(o, "status").unwrap();
            if youtube.last() != Some(&status) {
                youtube.push(status);
            }
        }
    }
    assert_eq!(youtube, vec!["queued", "in_progress", "succeeded"]);
    let end = end_of(Scenario::Publish);
    let run = at(Scenario::Publish, end);
    assert_eq!(run.status, "succeeded");
    let yt = &step(&run, "Publish YouTube").outputs[0];
    assert_eq!(yt.kind, "output");
    assert_eq!(field(yt, "platform").as_deref(), Some("youtube"));
    assert!(field(yt, "permalink").unwrap().starts_with("https://"));
    assert_eq!(yt.url, field(yt, "permalink").unwrap());
    assert_eq!(field(yt, "visibility").as_deref(), Some("unlisted"));
    assert!(yt.mime_type.is_none());
    let tt = &step(&run, "Publish TikTok").outputs[0];
    assert_eq!(field(tt, "status").as_deref(), Some("failed"));
    assert!(field(tt, "error").is_some() && field(tt, "permalink").is_none());
    let ig = &step(&run, "Publish Instagram").outputs[0];
    assert_eq!(field(ig, "status").as_deref(), Some("scheduled"));
    assert!(ms(&field(ig, "scheduledFor")).unwrap() > T0);
    // Every publish status is final before the run ends.
    let before = at(Scenario::Publish, end - 250);
    assert_eq!(before.status, "running");
    assert_eq!(before.final_outputs, run.final_outputs);
}

#[test]
fn large_runs_have_their_sizes_and_finish_in_about_a_minute() {
    for (scenario, n) in [
        (Scenario::Large1k, 1_000),
        (Scenario::Large, 2_000),
        (Scenario::Large5k, 5_000),
    ] {
        let run = at(scenario, 30_000);
        assert_eq!(run.steps.len(), n);
        assert_eq!(run.status, "running");
        assert!(run.progress.completed_steps > 0 && run.progress.running_steps > 0);
        let end = scenario.plan().run_end.unwrap();
        assert!(
            (45_000..=75_000).contains(&end),
            "{scenario:?} ends at {end}"
        );
        let done = at(scenario, end);
        assert_eq!(done.status, "succeeded");
        assert!(!done.final_outputs.is_empty());
        assert!(done.steps.iter().any(|s| s.predecessors_left == 0));
        let fan_in = scenario
            .plan()
            .steps
            .iter()
            .map(|s| s.preds.len())
            .max()
            .unwrap();
        assert!(fan_in >= 4);
    }
}

#[test]
fn large_5k_has_5000_distinct_steps_in_a_1_5_mb_body() {
    // Its job is to load the page with a big body: 5,000 steps, each with its
    // own id, and about 1.5 MB of JSON once half the waves have run. How fast it
    // serializes is a benchmark's business, not a test's (a busy machine
    // made a timed test fail without a regression).
    let run = at(Scenario::Large5k, 30_000);
    assert_eq!(run.steps.len(), 5_000);
    let ids: HashSet<&str> = run.steps.iter().map(|s| s.step_id.as_str()).collect();
    assert_eq!(ids.len(), 5_000);
    assert_eq!(run.progress.total_steps, 5_000);
    let body = serde_json::to_vec(&run).unwrap();
    // 1.46 MB at 30 s (half the waves started).
    assert!(
        (1_200_000..2_000_000).contains(&body.len()),
        "{} bytes",
        body.len()
    );
}

#[test]
fn finished_is_already_done_at_the_first_request() {
    let run = at(Scenario::Finished, 0);
    assert_eq!(run.status, "succeeded");
    let start = ms(&run.started_at).unwrap();
    let end = ms(&run.completed_at).unwrap();
    assert!(start < T0 && end < T0 && start < end);
    assert!(run.steps.iter().all(|s| s.status == "succeeded"));
    assert_eq!(at(Scenario::Finished, 5_000).steps, run.steps);
}

#[test]
fn unknown_status_always_shows_undocumented_values() {
    for t in [0, 1_000, 3_600_000] {
        let run = at(Scenario::UnknownStatus, t);
        assert_eq!(run.status, "paused_by_operator");
        assert!(run.completed_at.is_none());
        assert!(run.steps.iter().any(|s| s.status == "waiting_for_gpu"));
        let holo = run
            .final_outputs
            .iter()
            .find(|o| o.kind == "hologram")
            .unwrap();
        assert_eq!(holo.mime_type.as_deref(), Some("model/gltf-binary"));
        assert!(step(&run, "Generate hologram").outputs.contains(holo));
    }
}

#[test]
fn speed_compresses_wall_clock_timestamps() {
    let id = "run_happy";
    let fast = RunContext {
        speed: 10.0,
        ..ctx(id)
    };
    let run = run_at(Scenario::Happy, &fast, 60_000);
    let end = ms(&run.completed_at).unwrap() - T0;
    let normal = ms(&at(Scenario::Happy, 60_000).completed_at).unwrap() - T0;
    assert_eq!(end, (normal as f64 / 10.0).round() as i64);
}

#[test]
fn the_golden_fixture_round_trips_through_the_model() {
    let golden: serde_json::Value = serde_json::from_str(runview_sim::run_id::GOLDEN_JSON).unwrap();
    let run: Run = serde_json::from_value(golden.clone()).unwrap();
    assert_eq!(serde_json::to_value(&run).unwrap(), golden);
    // (The documented example's progress counts 5 steps but lists 3, so no `check`.)
    assert_eq!(run.final_outputs[0], run.steps[1].outputs[0]);
}

/// Scenario time (of the first sighting) when a take's run is final, if before 80 s.
fn settled(scenario: Scenario) -> Run {
    at(scenario, 80_000)
}

#[test]
fn historic_takes_differ_in_status_durations_and_media() {
    let statuses: Vec<String> = Scenario::TAKES.iter().map(|&s| settled(s).status).collect();
    assert_eq!(
        statuses,
        [
            "succeeded",
            "failed",
            "canceled",
            "succeeded",
            "succeeded",
            "succeeded"
        ]
    );
    // Take 6 started 12 s before it is first seen: running at its first sighting.
    let live = at(Scenario::Take6, 0);
    assert_eq!(live.status, "running");
    assert_eq!(ms(&live.started_at), Some(T0 - 12_000));
    // Older takes started days before: newest first means take 6, 5, ... 1.
    let starts: Vec<i64> = Scenario::TAKES
        .iter()
        .map(|&s| ms(&at(s, 0).started_at).unwrap())
        .collect();
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
    // The same step takes a different time in every take.
    let script_ms: HashSet<i64> = Scenario::TAKES
        .iter()
        .map(|&s| {
            let run = settled(s);
            let step = step(&run, "Write script");
            ms(&step.completed_at).unwrap() - ms(&step.started_at).unwrap()
        })
        .collect();
    assert_eq!(script_ms.len(), 6, "{script_ms:?}");
    // Each take shows its own generated images.
    let background = |s: Scenario| {
        let run = settled(s);
        step(&run, "Generate background").outputs[0].url.clone()
    };
    assert_ne!(background(Scenario::Take1), background(Scenario::Take4));
}

#[test]
fn a_canceled_take_cancels_what_runs_and_starts_nothing_more() {
    let run = settled(Scenario::Take3);
    assert_eq!(run.status, "canceled");
    let canceled: Vec<&str> = run
        .steps
        .iter()
        .filter(|s| s.status == "canceled")
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(canceled, ["Render video"]);
    let render = step(&run, "Render video");
    assert_eq!(render.completed_at, run.completed_at);
    assert!(render.outputs.is_empty());
    for name in ["Thumbnail", "Publish YouTube"] {
        assert_eq!(step(&run, name).status, "queued", "{name}");
    }
    // Only the captions (a leaf that finished before the cancel) made it out.
    let finals: Vec<&str> = run.final_outputs.iter().map(|o| o.url.as_str()).collect();
    assert_eq!(finals, [format!("{MEDIA}/media/captions.vtt")]);
}

#[test]
fn a_batch_step_makes_hundreds_of_distinct_images_that_stay_intermediate() {
    use runview_sim::scenario::BATCH_IMAGES;
    let end = Scenario::Batch.plan().run_end.unwrap();
    let running = at(Scenario::Batch, 5_000);
    assert_eq!(running.status, "running");
    assert!(
        running.steps[1].outputs.is_empty(),
        "no output before the batch ends"
    );
    let done = at(Scenario::Batch, end);
    assert_eq!(done.status, "succeeded");
    let batch = &done.steps[1];
    assert_eq!(batch.name, "Generate variations");
    assert_eq!(batch.outputs.len(), BATCH_IMAGES);
    const { assert!(BATCH_IMAGES >= 300, "a batch of several hundred") };
    let urls: HashSet<&str> = batch.outputs.iter().map(|o| o.url.as_str()).collect();
    let ids: HashSet<&str> = batch.outputs.iter().map(|o| o.output_id.as_str()).collect();
    assert_eq!((urls.len(), ids.len()), (BATCH_IMAGES, BATCH_IMAGES));
    assert!(batch.outputs.iter().all(|o| {
        o.mime_type.as_deref() == Some("image/png")
            && (o.width, o.height) == (Some(512), Some(512))
            && o.url.contains("/media/img/")
    }));
    // The images feed the pick: only the final clip is a final output, and
    // the run has two videos.
    assert_eq!(done.final_outputs.len(), 1);
    assert_eq!(
        done.final_outputs[0].mime_type.as_deref(),
        Some("video/webm")
    );
    let videos = done
        .steps
        .iter()
        .flat_map(|s| &s.outputs)
        .filter(|o| o.mime_type.as_deref() == Some("video/webm"))
        .count();
    assert_eq!(videos, 2);
}

#[test]
fn idle_gap_has_four_idle_minutes_and_is_settled_when_first_seen() {
    let run = at(Scenario::IdleGap, 0);
    assert_eq!(run.status, "succeeded");
    let script = step(&run, "Write script");
    let gpu = step(&run, "Render on GPU");
    let publish = step(&run, "Publish");
    let idle = ms(&gpu.started_at).unwrap() - ms(&script.completed_at).unwrap();
    assert!(idle >= 4 * 60 * 1_000, "idle {idle} ms");
    // Nothing else runs in the gap; the last step follows at once.
    assert!(ms(&publish.started_at).unwrap() - ms(&gpu.completed_at).unwrap() < 1_000);
    assert_eq!(run.steps.len(), 3);
}
