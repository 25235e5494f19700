//! Spec types of a scenario's graph and the timeline computed from it.

use super::{Scenario, RETRY_GAP_MS, SCHEDULING_LATENCY_MS, START_DELAY_MS};

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
    pub(crate) fn as_str(self) -> &'static str {
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
    /// How long the step waits (queued, nothing of it running) once its
    /// predecessors are done: an idle gap in the run when nothing else runs.
    pub wait_ms: u64,
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
    /// How long before its first sighting the run started (0: it starts then).
    pub started_ago_ms: u64,
    /// When the run is canceled: running steps end `canceled`, nothing new starts.
    pub cancel_at: Option<u64>,
    /// `step_001`, ... (`step_0001` from 1,000 steps on).
    pub(crate) step_ids: Vec<String>,
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
        let cancel_at = scenario.cancel_at_ms();
        let cutoff = steps
            .iter()
            .zip(&first)
            .filter(|(s, _)| s.outcome == Outcome::Fail)
            .filter_map(|(_, t)| t.end)
            .chain(cancel_at)
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
            started_ago_ms: scenario.started_ago_ms(),
            cancel_at,
        }
    }
}

/// Lays the steps out in time. With a `cutoff` (first terminal failure or the
/// cancelation), no step starts after it: running siblings finish (or are
/// canceled), nothing new begins.
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
        ready = ready.map(|r| r + step.wait_ms);
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
