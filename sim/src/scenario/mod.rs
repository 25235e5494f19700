//! Pure scenario logic: the step graph of each scenario and the state of a run
//! at any elapsed time.
//!
//! Everything here is deterministic: [`run_at`] is a function of the scenario,
//! the run id (seeds media URLs), the run's wall-clock origin, the time factor
//! and the elapsed scenario time. The static graph and its timeline are built
//! once per scenario and cached, so even 5,000-step runs answer quickly.
//!
//! - [`catalogue`]: the step graph of every scenario;
//! - [`plan`]: spec types and the timeline computed from a graph;
//! - [`context`]: where and when a run is evaluated;
//! - [`eval`]: a run (or just its header) at a point in time;
//! - [`outputs`]: the artifacts a completed step shows.

use std::sync::OnceLock;

mod catalogue;
mod context;
mod eval;
mod outputs;
mod plan;

pub use context::RunContext;
pub use eval::{header_at, run_at, RunHeader};
pub use outputs::seed_of;
pub use plan::{Outcome, OutputSpec, Plan, PublishSpec, PublishState, StepSpec, StepTimes};

/// How many images the batch step of [`Scenario::Batch`] makes.
pub const BATCH_IMAGES: usize = 400;
/// How long the GPU step of [`Scenario::IdleGap`] waits in a queue, nothing running.
pub const IDLE_GAP_MS: u64 = 4 * 60 * 1_000;
/// A run stays `queued` (no step starts) for this long after it is created.
pub const START_DELAY_MS: u64 = 500;
/// Delay between a step's last predecessor finishing and the step starting.
pub const SCHEDULING_LATENCY_MS: u64 = 150;
/// Pause between a failed attempt and the next one; the step shows `failed` meanwhile.
pub const RETRY_GAP_MS: u64 = 1_000;
/// How far in the past "already settled" scenarios (`finished`, `unknown_status`) started.
const SETTLED_AGO_MS: u64 = 10 * 60 * 1_000;
/// One hour and one day of scenario time.
const HOUR_MS: u64 = 3_600 * 1_000;
const DAY_MS: u64 = 24 * HOUR_MS;

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
    /// A batch: one step makes [`BATCH_IMAGES`] images, then a pick, a
    /// preview clip and the final clip; about 20 s.
    Batch,
    /// Already succeeded when first requested.
    Finished,
    /// Undocumented run/step statuses and output type; never changes.
    UnknownStatus,
    /// `bp_shorts` history: a slow take, succeeded six days ago.
    Take1,
    /// `bp_shorts` history: failed at "Compose scene" five days ago.
    Take2,
    /// `bp_shorts` history: canceled during "Render video" three days ago.
    Take3,
    /// `bp_shorts` history: succeeded two days ago after a retry.
    Take4,
    /// `bp_shorts` history: the fastest take, three hours ago, captions skipped.
    Take5,
    /// `bp_shorts` history: started 12 s before it was first seen, still running.
    Take6,
    /// 20,000 steps in waves: the step search's benchmark (P9).
    Large20k,
    /// Three steps with a 4-minute idle gap (the GPU step queued, nothing
    /// running) between the first two; finished when first requested.
    IdleGap,
}

impl Scenario {
    /// Every scenario, in documentation order.
    pub const ALL: [Scenario; 20] = [
        Scenario::Happy,
        Scenario::Demo,
        Scenario::Failed,
        Scenario::Retries,
        Scenario::SkipLock,
        Scenario::Publish,
        Scenario::Large,
        Scenario::Large1k,
        Scenario::Large5k,
        Scenario::Batch,
        Scenario::Finished,
        Scenario::UnknownStatus,
        Scenario::Take1,
        Scenario::Take2,
        Scenario::Take3,
        Scenario::Take4,
        Scenario::Take5,
        Scenario::Take6,
        Scenario::Large20k,
        Scenario::IdleGap,
    ];

    /// The historic takes of `bp_shorts`, oldest first.
    pub const TAKES: [Scenario; 6] = [
        Scenario::Take1,
        Scenario::Take2,
        Scenario::Take3,
        Scenario::Take4,
        Scenario::Take5,
        Scenario::Take6,
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
            Scenario::Batch => "batch",
            Scenario::Finished => "finished",
            Scenario::UnknownStatus => "unknown_status",
            Scenario::Take1 => "take_1",
            Scenario::Take2 => "take_2",
            Scenario::Take3 => "take_3",
            Scenario::Take4 => "take_4",
            Scenario::Take5 => "take_5",
            Scenario::Take6 => "take_6",
            Scenario::Large20k => "large_20k",
            Scenario::IdleGap => "idle_gap",
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
            | Scenario::Finished
            | Scenario::Take1
            | Scenario::Take2
            | Scenario::Take3
            | Scenario::Take4
            | Scenario::Take5
            | Scenario::Take6 => "bp_shorts",
            Scenario::Publish => "bp_publish",
            Scenario::Large | Scenario::Large1k | Scenario::Large5k | Scenario::Large20k => {
                "bp_large"
            }
            Scenario::Batch => "bp_batch",
            Scenario::UnknownStatus | Scenario::IdleGap => "bp_lab",
        }
    }

    /// How long before its first sighting a run of this scenario started
    /// (0: it starts when first seen).
    pub fn started_ago_ms(self) -> u64 {
        match self {
            Scenario::Finished | Scenario::UnknownStatus | Scenario::IdleGap => SETTLED_AGO_MS,
            Scenario::Take1 => 6 * DAY_MS,
            Scenario::Take2 => 5 * DAY_MS,
            Scenario::Take3 => 3 * DAY_MS,
            Scenario::Take4 => 2 * DAY_MS,
            Scenario::Take5 => 3 * HOUR_MS,
            Scenario::Take6 => 12_000,
            _ => 0,
        }
    }

    /// When a run of this scenario is canceled (scenario ms), if ever.
    pub fn cancel_at_ms(self) -> Option<u64> {
        (self == Scenario::Take3).then_some(26_000)
    }

    /// The cached step graph and timeline of this scenario.
    pub fn plan(self) -> &'static Plan {
        static PLANS: [OnceLock<Plan>; Scenario::ALL.len()] =
            [const { OnceLock::new() }; Scenario::ALL.len()];
        let index = Scenario::ALL.iter().position(|s| *s == self).unwrap_or(0);
        PLANS[index].get_or_init(|| Plan::new(catalogue::build_steps(self), self))
    }
}
