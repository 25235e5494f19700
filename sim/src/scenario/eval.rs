//! A run of a scenario at a point in time: its header and its steps.

use super::context::RunContext;
use super::outputs::{output, seed_of};
use super::plan::{Outcome, Plan, StepSpec};
use super::{Scenario, START_DELAY_MS};
use crate::model::{Progress, Run, Step};

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

/// Shifts scenarios that started before their first sighting into their past.
fn effective<'a>(plan: &Plan, ctx: &RunContext<'a>, elapsed_ms: u64) -> (RunContext<'a>, u64) {
    let mut ctx = *ctx;
    let ago = plan.started_ago_ms;
    ctx.t0_unix_ms -= (ago as f64 / ctx.speed).round() as i64;
    (ctx, elapsed_ms + ago)
}

/// Run status and times at scenario time `e` (already shifted).
fn header(plan: &Plan, ctx: &RunContext<'_>, e: u64) -> RunHeader {
    let (status, completed_at) = if e < START_DELAY_MS {
        ("queued", None)
    } else if let Some(c) = plan.cancel_at.filter(|c| e >= *c) {
        ("canceled", Some(ctx.stamp(c)))
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
            let canceled = plan.cancel_at.filter(|c| e >= *c);
            let horizon = canceled.unwrap_or(e);
            let k = t.attempts.iter().rposition(|a| a.0 <= horizon).unwrap_or(0);
            let (start, end) = t.attempts[k];
            let last = k + 1 == t.attempts.len();
            step.attempt_no = k as u32 + 1;
            step.started_at = Some(ctx.stamp(start));
            if let Some(c) = canceled.filter(|c| end > *c || !last) {
                step.status = "canceled".to_string();
                step.completed_at = Some(ctx.stamp(c));
            } else if e < end {
                step.status = "running".to_string();
            } else {
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
