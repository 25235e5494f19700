//! Replay: the run as it was at an earlier moment, reconstructed from the
//! timestamps the API reports (no request of its own).
//!
//! A step's status at instant `t` follows its two times:
//! - before its `startedAt`: `queued` (no times, no outputs);
//! - from `startedAt` until `completedAt`: `running` (its start, no outputs);
//! - from `completedAt`: the step as it is now (final status, outputs).
//!
//! What the timestamps cannot tell is decided as follows (and said on the
//! page): earlier attempts are not known (a retried step is one attempt);
//! outputs appear when their step completed (a running step's partial
//! outputs are not dated, so replay shows none); a step that is now queued
//! is queued at every moment; a finished step without a `completedAt`
//! finishes with the run (or, while the run goes on, at its start); a step
//! without any time stays queued until then. `predecessorsLeft` and
//! `attemptNo` are today's values.
//!
//! [`Replay`] indexes the instants at which some step changes, so moving from
//! one moment to another touches only the steps that changed in between
//! ([`Replay::changed`]): a scrubber over 5,000 steps patches a few rows per
//! frame.

use crate::api::{Output, Progress, Run, Status, Step, Timestamp};
use std::collections::HashMap;

/// When a step's reconstructed status changes: it starts running at
/// `start` and takes its final status at `finish` (each `None` when it never
/// does within what the data tells). `start <= finish` when both are set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepTimes {
    /// From this instant the step shows as running (or its current
    /// non-final status).
    pub start: Option<i64>,
    /// From this instant the step shows as it is now.
    pub finish: Option<i64>,
}

/// How far along a status is: queued, started, final. A step's
/// reconstructed status never goes back down this order as time goes on.
pub fn rank(status: &Status) -> u8 {
    match status {
        Status::Queued => 0,
        s if s.is_terminal() => 2,
        _ => 1,
    }
}

/// The instants at which `step` (of a run that ended at `run_end`, if it
/// did) changes in a replay. See the module's notes for missing times.
pub fn step_times(step: &Step, run_end: Option<i64>) -> StepTimes {
    let started = step.started_at.map(Timestamp::ms);
    match rank(&step.status) {
        0 => StepTimes::default(),
        1 => StepTimes {
            start: started,
            finish: None,
        },
        _ => {
            let finish = step.completed_at.map(Timestamp::ms).or(run_end).or(started);
            let start = match (started, finish) {
                (Some(s), Some(f)) => Some(s.min(f)),
                (s, f) => s.or(f),
            };
            StepTimes { start, finish }
        }
    }
}

/// The status `step` (with `times` from [`step_times`]) had at `t`.
pub fn status_at(step: &Step, times: StepTimes, t: i64) -> Status {
    if times.finish.is_some_and(|f| f <= t) {
        step.status.clone()
    } else if times.start.is_some_and(|s| s <= t) {
        if rank(&step.status) == 2 {
            Status::Running
        } else {
            step.status.clone()
        }
    } else {
        Status::Queued
    }
}

/// `step` as it was at `t` (with `times` from [`step_times`]).
pub fn step_at(step: &Step, times: StepTimes, t: i64) -> Step {
    if times.finish.is_some_and(|f| f <= t) {
        return step.clone();
    }
    let started = times.start.is_some_and(|s| s <= t);
    // Field by field: the outputs it does not have yet are not copied.
    Step {
        step_id: step.step_id.clone(),
        reference_id: step.reference_id.clone(),
        name: step.name.clone(),
        status: status_at(step, times, t),
        predecessors_left: step.predecessors_left,
        attempt_no: step.attempt_no,
        started_at: if started { step.started_at } else { None },
        completed_at: None,
        outputs: Vec::new(),
        occurrence: step.occurrence,
    }
}

/// The progress counts of steps in these statuses, counted as the API
/// counts them (`completedSteps`: succeeded, skipped or locked; canceled
/// counts as neither completed nor failed).
pub fn count(statuses: impl IntoIterator<Item = Status>) -> Progress {
    let mut p = Progress::default();
    for s in statuses {
        tally(&mut p, &s, true);
    }
    p
}

/// Counts a step in `status` into `p` (`add`), or takes it out.
fn tally(p: &mut Progress, status: &Status, add: bool) {
    let bump = |n: &mut u32| {
        *n = if add {
            n.saturating_add(1)
        } else {
            n.saturating_sub(1)
        }
    };
    bump(&mut p.total_steps);
    match status {
        Status::Succeeded | Status::Skipped | Status::Locked => bump(&mut p.completed_steps),
        Status::Failed => bump(&mut p.failed_steps),
        Status::Running => bump(&mut p.running_steps),
        _ => {}
    }
}

/// The span a replay covers, in Unix ms: from the run's start (or its first
/// step's, when the run has none) to its end, or to `now` while it goes on
/// (never before the last time a step reports). `None` before anything
/// started.
pub fn span(run: &Run, now: i64) -> Option<(i64, i64)> {
    let times = run
        .steps
        .iter()
        .flat_map(|s| [s.started_at, s.completed_at])
        .flatten()
        .map(Timestamp::ms);
    let (first, last) = times.fold((None::<i64>, None::<i64>), |(lo, hi), t| {
        (
            Some(lo.map_or(t, |l| l.min(t))),
            Some(hi.map_or(t, |h| h.max(t))),
        )
    });
    let start = run.started_at.map(Timestamp::ms).or(first)?;
    let end = match run.completed_at.map(Timestamp::ms) {
        Some(end) if run.status.is_terminal() => end,
        _ => now,
    };
    let end = end.max(last.unwrap_or(start)).max(start);
    Some((start, end))
}

/// The run's instants of change, indexed for moving from one moment to
/// another. Built from the polled run once per poll; a move then costs the
/// steps that changed in between.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Replay {
    /// Each step's [`StepTimes`], in the run's step order.
    times: Vec<StepTimes>,
    /// `(instant, step index)` of every start and finish, sorted.
    events: Vec<(i64, usize)>,
    /// When the run ended, if it did.
    run_end: Option<i64>,
    /// When the run started, if it did.
    run_start: Option<i64>,
    /// From when each final output shows: the earliest finish of a step
    /// listing it, else the run's end (`None`: not before the run ended).
    finals: Vec<Option<i64>>,
}

impl Replay {
    /// Indexes `run`.
    pub fn new(run: &Run) -> Self {
        let run_end = run
            .completed_at
            .filter(|_| run.status.is_terminal())
            .map(Timestamp::ms);
        let times: Vec<StepTimes> = run.steps.iter().map(|s| step_times(s, run_end)).collect();
        let mut events: Vec<(i64, usize)> = times
            .iter()
            .enumerate()
            .flat_map(|(i, t)| {
                [t.start, t.finish]
                    .into_iter()
                    .flatten()
                    .map(move |at| (at, i))
            })
            .collect();
        events.sort_unstable();
        events.dedup();
        // Each output id's earliest step finish.
        let mut done: HashMap<&str, Option<i64>> = HashMap::new();
        for (step, t) in run.steps.iter().zip(&times) {
            for o in step.outputs.iter().filter(|o| !o.output_id.is_empty()) {
                let at = done.entry(o.output_id.as_str()).or_insert(t.finish);
                *at = match (*at, t.finish) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
        }
        let finals = run
            .final_outputs
            .iter()
            .map(|o| match done.get(o.output_id.as_str()) {
                Some(&at) if !o.output_id.is_empty() => at,
                _ => run_end,
            })
            .collect();
        Self {
            times,
            events,
            run_end,
            run_start: run.started_at.map(Timestamp::ms),
            finals,
        }
    }

    /// The times of step `index`.
    pub fn times(&self, index: usize) -> StepTimes {
        self.times.get(index).copied().unwrap_or_default()
    }

    /// The indices of the steps whose status may differ between moments `a`
    /// and `b` (an instant of theirs in `(min, max]`), each once, ascending.
    pub fn changed(&self, a: i64, b: i64) -> Vec<usize> {
        let (lo, hi) = (a.min(b), a.max(b));
        let from = self.events.partition_point(|&(at, _)| at <= lo);
        let to = self.events.partition_point(|&(at, _)| at <= hi);
        let mut out: Vec<usize> = self.events[from..to].iter().map(|&(_, i)| i).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether the run's own fields ([`head_at`](Self::head_at)) may differ
    /// between moments `a` and `b`: some step changed, or the run started or
    /// ended in between.
    pub fn head_changed(&self, a: i64, b: i64) -> bool {
        let (lo, hi) = (a.min(b), a.max(b));
        let within = |t: Option<i64>| t.is_some_and(|t| lo < t && t <= hi);
        within(self.run_start)
            || within(self.run_end)
            || self.events.partition_point(|&(at, _)| at <= lo)
                != self.events.partition_point(|&(at, _)| at <= hi)
    }

    /// The latest instant of change before `t`, if any.
    pub fn previous(&self, t: i64) -> Option<i64> {
        let i = self.events.partition_point(|&(at, _)| at < t);
        i.checked_sub(1).map(|i| self.events[i].0)
    }

    /// The earliest instant of change after `t`, if any.
    pub fn next(&self, t: i64) -> Option<i64> {
        let i = self.events.partition_point(|&(at, _)| at <= t);
        self.events.get(i).map(|e| e.0)
    }

    /// The progress of `run` (the run this was built from) at `t`.
    pub fn progress_at(&self, run: &Run, t: i64) -> Progress {
        count(
            run.steps
                .iter()
                .enumerate()
                .map(|(i, s)| status_at(s, self.times(i), t)),
        )
    }

    /// `run`'s own fields (not its steps) at `t`: status, times, progress
    /// and final outputs (each from when a step that lists it completed,
    /// else from the run's end). `run` is the run this was built from.
    pub fn head_at(&self, run: &Run, t: i64) -> Run {
        self.head_with(run, t, self.progress_at(run, t))
    }

    /// [`head_at`](Self::head_at) with the progress at `t` already known
    /// (from [`progress_moved`](Self::progress_moved)).
    pub fn head_with(&self, run: &Run, t: i64, progress: Progress) -> Run {
        let started = run.started_at.filter(|s| s.ms() <= t);
        let ended = self.run_end.is_some_and(|e| e <= t);
        let status = if ended {
            run.status.clone()
        } else if started.is_some() || self.events.first().is_some_and(|e| e.0 <= t) {
            Status::Running
        } else {
            Status::Queued
        };
        let final_outputs: Vec<Output> = run
            .final_outputs
            .iter()
            .zip(&self.finals)
            .filter(|(_, at)| at.is_some_and(|at| at <= t))
            .map(|(o, _)| o.clone())
            .collect();
        Run {
            run_id: run.run_id.clone(),
            blueprint_id: run.blueprint_id.clone(),
            status,
            started_at: started,
            completed_at: run.completed_at.filter(|_| ended),
            progress,
            final_outputs,
            steps: Vec::new(),
        }
    }

    /// The progress at `to`, from `progress` (the progress at `from`) and
    /// the steps `changed` between the two moments
    /// ([`changed`](Self::changed)): each is taken out as it was at `from`
    /// and counted as it is at `to`, so a move costs the steps that changed,
    /// not the run's length.
    pub fn progress_moved(
        &self,
        run: &Run,
        progress: &Progress,
        from: i64,
        to: i64,
        changed: &[usize],
    ) -> Progress {
        let mut p = progress.clone();
        for &i in changed {
            if let Some(step) = run.steps.get(i) {
                tally(&mut p, &status_at(step, self.times(i), from), false);
                tally(&mut p, &status_at(step, self.times(i), to), true);
            }
        }
        p
    }

    /// The steps of `run` that differ between `shown` (the steps a replay
    /// shows at moment `from`) and moment `to`: each as it was at `to`, with
    /// its index, ascending. Only the steps `changed` between the two
    /// moments ([`changed`](Self::changed)) are derived and compared.
    pub fn moved(
        &self,
        run: &Run,
        shown: &[Step],
        to: i64,
        changed: &[usize],
    ) -> Vec<(usize, Step)> {
        changed
            .iter()
            .filter_map(|&i| {
                let then = step_at(run.steps.get(i)?, self.times(i), to);
                (shown.get(i) != Some(&then)).then_some((i, then))
            })
            .collect()
    }

    /// The whole of `run` at `t`.
    pub fn run_at(&self, run: &Run, t: i64) -> Run {
        Run {
            steps: run
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| step_at(s, self.times(i), t))
                .collect(),
            ..self.head_at(run, t)
        }
    }
}

/// A replay moment as the URL holds it (`?at=`, ms from the run's start),
/// read leniently: a number, clamped to the span's length; anything else is
/// no moment (live).
///
/// Whole milliseconds are read as integers (a fraction is dropped): parsing
/// a float would bring the float parser into the first load (~16 KiB).
pub fn parse_at(raw: Option<&str>, length: i64) -> Option<i64> {
    let text = raw?.trim();
    let whole = text.split_once('.').map_or(text, |(w, _)| w);
    let ms = match whole.parse::<i64>() {
        Ok(ms) => ms,
        // Too large or too small for i64: the nearer end.
        Err(_) if whole.bytes().skip(1).all(|b| b.is_ascii_digit()) && !whole.is_empty() => {
            if whole.starts_with('-') {
                0
            } else {
                i64::MAX
            }
        }
        Err(_) => return None,
    };
    Some(ms.clamp(0, length.max(0)))
}

/// The scrubber's step for a span of `length` ms: the power of ten (at
/// least 1 ms) closest below a hundredth of it, so an arrow key moves about
/// 1 % and round moments stay reachable.
pub fn scrub_step(length: i64) -> i64 {
    let mut step = 1i64;
    while step <= length / 1000 {
        step *= 10;
    }
    step
}

/// The playback speeds offered, × real time.
pub const SPEEDS: [u32; 6] = [1, 2, 5, 10, 30, 60];

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(ms: i64) -> Option<Timestamp> {
        Some(Timestamp(ms))
    }

    fn out(id: &str) -> Output {
        Output {
            output_id: id.into(),
            url: Some(format!("https://cdn.example/{id}.png")),
            mime_type: Some("image/png".into()),
            ..Default::default()
        }
    }

    fn step(id: &str, status: Status, start: Option<i64>, end: Option<i64>) -> Step {
        Step {
            step_id: id.into(),
            name: id.into(),
            started_at: start.map(Timestamp),
            completed_at: end.map(Timestamp),
            outputs: if status.is_terminal() {
                vec![out(&format!("{id}_out"))]
            } else {
                Vec::new()
            },
            ..Step::placeholder(status)
        }
    }

    /// A run that started at 1000: a (1000–2000 ok), b (1500–3000 failed),
    /// c (running since 2500), d (queued).
    fn run() -> Run {
        Run {
            run_id: "r".into(),
            blueprint_id: "bp".into(),
            status: Status::Running,
            started_at: ts(1000),
            completed_at: None,
            progress: Progress::default(),
            final_outputs: vec![out("a_out"), out("orphan")],
            steps: vec![
                step("a", Status::Succeeded, Some(1000), Some(2000)),
                step("b", Status::Failed, Some(1500), Some(3000)),
                step("c", Status::Running, Some(2500), None),
                step("d", Status::Queued, None, None),
            ],
        }
    }

    fn statuses(r: &Run) -> Vec<Status> {
        r.steps.iter().map(|s| s.status.clone()).collect()
    }

    #[test]
    fn steps_follow_their_timestamps() {
        use Status::*;
        let live = run();
        let replay = Replay::new(&live);
        let at = |t| statuses(&replay.run_at(&live, t));
        assert_eq!(at(999), [Queued, Queued, Queued, Queued]);
        assert_eq!(at(1000), [Running, Queued, Queued, Queued]);
        assert_eq!(at(1999), [Running, Running, Queued, Queued]);
        assert_eq!(at(2000), [Succeeded, Running, Queued, Queued]);
        assert_eq!(at(2600), [Succeeded, Running, Running, Queued]);
        assert_eq!(at(3000), [Succeeded, Failed, Running, Queued]);
        let then = replay.run_at(&live, 1800);
        assert_eq!(then.steps[0].started_at, ts(1000));
        assert_eq!(then.steps[0].completed_at, None);
        assert!(then.steps[0].outputs.is_empty());
        assert_eq!(then.steps[1].started_at, ts(1500));
        assert_eq!(then.steps[2].started_at, None);
    }

    #[test]
    fn progress_head_and_outputs_are_recomputed() {
        let live = run();
        let replay = Replay::new(&live);
        let then = replay.run_at(&live, 2000);
        assert_eq!(
            then.progress,
            Progress {
                total_steps: 4,
                completed_steps: 1,
                failed_steps: 0,
                running_steps: 1
            }
        );
        assert_eq!(then.status, Status::Running);
        assert_eq!(then.steps[0].outputs, vec![out("a_out")]);
        // a's output is final from 2000; the orphan only once the run ended.
        let ids = |r: &Run| {
            r.final_outputs
                .iter()
                .map(|o| o.output_id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&replay.run_at(&live, 1999)), Vec::<String>::new());
        assert_eq!(ids(&then), ["a_out"]);
        let before = replay.run_at(&live, 500);
        assert_eq!((before.status, before.started_at), (Status::Queued, None));

        let mut ended = live.clone();
        ended.status = Status::Failed;
        ended.completed_at = ts(4000);
        let replay = Replay::new(&ended);
        assert_eq!(ids(&replay.run_at(&ended, 3999)), ["a_out"]);
        assert_eq!(replay.run_at(&ended, 4000).status, Status::Failed);
        assert_eq!(ids(&replay.run_at(&ended, 4000)), ["a_out", "orphan"]);
    }

    #[test]
    fn moves_touch_only_the_steps_that_changed() {
        let live = run();
        let replay = Replay::new(&live);
        assert_eq!(replay.changed(0, 999), Vec::<usize>::new());
        assert_eq!(replay.changed(0, 1000), [0]);
        assert_eq!(replay.changed(1000, 1500), [1]);
        assert_eq!(replay.changed(3000, 1000), [0, 1, 2]);
        assert_eq!(replay.changed(1200, 1200), Vec::<usize>::new());
        assert_eq!(replay.previous(1500), Some(1000));
        assert_eq!(replay.next(1500), Some(2000));
        assert_eq!(replay.next(3000), None);
        assert_eq!(replay.previous(1000), None);
    }

    #[test]
    fn missing_times_are_decided_as_documented() {
        let mut live = run();
        live.steps = vec![
            // finished, no times: finishes with the run
            step("x", Status::Skipped, None, None),
            // finished, only a start: finishes with the run
            step("y", Status::Succeeded, Some(1200), None),
            // finished, only an end: straight from queued to final
            step("z", Status::Succeeded, None, Some(1300)),
            // "queued" with a start: queued throughout
            step("q", Status::Queued, Some(1100), None),
        ];
        live.status = Status::Succeeded;
        live.completed_at = ts(5000);
        let replay = Replay::new(&live);
        let at = |t| statuses(&replay.run_at(&live, t));
        use Status::*;
        assert_eq!(at(1250), [Queued, Running, Queued, Queued]);
        assert_eq!(at(1300), [Queued, Running, Succeeded, Queued]);
        assert_eq!(at(5000), [Skipped, Succeeded, Succeeded, Queued]);
    }

    #[test]
    fn the_span_runs_from_start_to_end_or_now() {
        let live = run();
        assert_eq!(span(&live, 10_000), Some((1000, 10_000)));
        // now before the last step time (clock skew): the span still covers it
        assert_eq!(span(&live, 2000), Some((1000, 3000)));
        let mut ended = live.clone();
        ended.status = Status::Succeeded;
        ended.completed_at = ts(4000);
        assert_eq!(span(&ended, 10_000), Some((1000, 4000)));
        let mut queued = live;
        queued.started_at = None;
        queued.steps.clear();
        assert_eq!(span(&queued, 10_000), None);
    }

    #[test]
    fn the_scrubber_steps_by_a_round_hundredth() {
        assert_eq!(scrub_step(0), 1);
        assert_eq!(scrub_step(999), 1);
        assert_eq!(scrub_step(40_000), 100);
        assert_eq!(scrub_step(3_600_000), 10_000);
        assert!(scrub_step(i64::MAX) > 0);
    }

    #[test]
    fn the_url_moment_is_read_leniently() {
        assert_eq!(parse_at(Some("1500"), 3000), Some(1500));
        assert_eq!(parse_at(Some(" 12.7 "), 3000), Some(12));
        assert_eq!(parse_at(Some("-5"), 3000), Some(0));
        assert_eq!(parse_at(Some("99999"), 3000), Some(3000));
        assert_eq!(parse_at(Some("soon"), 3000), None);
        assert_eq!(parse_at(Some("NaN"), 3000), None);
        assert_eq!(parse_at(Some("99999999999999999999999"), 3000), Some(3000));
        assert_eq!(parse_at(Some("-99999999999999999999999"), 3000), Some(0));
        assert_eq!(parse_at(Some(""), 3000), None);
        assert_eq!(parse_at(Some("."), 3000), None);
        assert_eq!(parse_at(None, 3000), None);
    }
}

/// Property tests (native only: proptest does not build for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use crate::model::progress::Segments;
    use proptest::prelude::*;

    fn status() -> impl Strategy<Value = Status> {
        prop_oneof![
            Just(Status::Queued),
            Just(Status::Running),
            Just(Status::Succeeded),
            Just(Status::Failed),
            Just(Status::Skipped),
            Just(Status::Locked),
            Just(Status::Canceled),
            Just(Status::Unknown("paused".into())),
        ]
    }

    fn time() -> impl Strategy<Value = Option<i64>> {
        proptest::option::of(0i64..10_000)
    }

    prop_compose! {
        fn a_step()(status in status(), start in time(), end in time()) -> Step {
            Step {
                step_id: "s".into(),
                started_at: start.map(Timestamp),
                completed_at: end.map(Timestamp),
                ..Step::placeholder(status)
            }
        }
    }

    prop_compose! {
        fn a_run()(
            steps in proptest::collection::vec(a_step(), 0..30),
            status in status(),
            start in time(),
            end in time(),
        ) -> Run {
            Run {
                run_id: "r".into(),
                blueprint_id: String::new(),
                status,
                started_at: start.map(Timestamp),
                completed_at: end.map(Timestamp),
                progress: Progress::default(),
                final_outputs: Vec::new(),
                steps,
            }
        }
    }

    proptest! {
        #[test]
        fn a_step_never_goes_back(run in a_run(), mut ts in proptest::collection::vec(-100i64..11_000, 2..12)) {
            ts.sort_unstable();
            let replay = Replay::new(&run);
            for (i, step) in run.steps.iter().enumerate() {
                let ranks: Vec<u8> = ts.iter().map(|&t| rank(&status_at(step, replay.times(i), t))).collect();
                prop_assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{:?} {:?}", step, ranks);
                // Never past what the API says now.
                prop_assert!(ranks.iter().all(|&r| r <= rank(&step.status)));
            }
        }

        #[test]
        fn at_the_end_it_is_the_live_run(run in a_run()) {
            let replay = Replay::new(&run);
            let t = 20_000;
            let then = replay.run_at(&run, t);
            for (was, now) in then.steps.iter().zip(&run.steps) {
                // Exceptions (module notes): a finished step with no time
                // at all in a run that has not ended; a running step's outputs.
                let undated = now.status.is_terminal()
                    && now.started_at.is_none()
                    && now.completed_at.is_none()
                    && !(run.status.is_terminal() && run.completed_at.is_some());
                match rank(&now.status) {
                    0 => prop_assert_eq!(&was.status, &now.status),
                    1 => {}
                    _ if undated => {}
                    _ => prop_assert_eq!(was, now),
                }
            }
        }

        #[test]
        fn moves_report_every_changed_step(run in a_run(), a in -100i64..11_000, b in -100i64..11_000) {
            let replay = Replay::new(&run);
            let changed = replay.changed(a, b);
            for (i, step) in run.steps.iter().enumerate() {
                let times = replay.times(i);
                if step_at(step, times, a) != step_at(step, times, b) {
                    prop_assert!(changed.contains(&i), "step {} changed but was not listed", i);
                }
            }
        }

        #[test]
        fn the_head_changes_only_when_said(run in a_run(), a in -100i64..11_000, b in -100i64..11_000) {
            let replay = Replay::new(&run);
            if replay.head_at(&run, a) != replay.head_at(&run, b) {
                prop_assert!(replay.head_changed(a, b));
            }
        }

        #[test]
        fn a_move_by_difference_equals_a_full_derivation(
            run in a_run(),
            outputs in proptest::collection::vec(any::<bool>(), 30),
            moments in proptest::collection::vec(-100i64..11_000, 2..10),
        ) {
            // Some steps with an output, so a move must bring them and take them away.
            let mut run = run;
            for (i, (step, has)) in run.steps.iter_mut().zip(outputs).enumerate() {
                if has {
                    step.outputs = vec![Output { output_id: format!("o{i}"), ..Default::default() }];
                }
            }
            let replay = Replay::new(&run);
            // As playback and a scrubber move it: one moment after another,
            // each move by difference from the last, never re-derived.
            let mut shown = replay.run_at(&run, moments[0]);
            for w in moments.windows(2) {
                let (from, to) = (w[0], w[1]);
                let changed = replay.changed(from, to);
                let progress = replay.progress_moved(&run, &shown.progress, from, to, &changed);
                for (i, step) in replay.moved(&run, &shown.steps, to, &changed) {
                    shown.steps[i] = step;
                }
                shown = Run { steps: std::mem::take(&mut shown.steps), ..replay.head_with(&run, to, progress) };
                prop_assert_eq!(&shown, &replay.run_at(&run, to), "moving {} → {}", from, to);
            }
        }

        #[test]
        fn a_move_lists_only_steps_that_differ(run in a_run(), a in -100i64..11_000, b in -100i64..11_000) {
            let replay = Replay::new(&run);
            let from = replay.run_at(&run, a);
            for (i, step) in replay.moved(&run, &from.steps, b, &replay.changed(a, b)) {
                prop_assert_ne!(&from.steps[i], &step);
            }
        }

        #[test]
        fn progress_matches_the_statuses(run in a_run(), t in -100i64..11_000) {
            let replay = Replay::new(&run);
            let then = replay.run_at(&run, t);
            let seg = Segments::from_progress(&then.progress);
            prop_assert_eq!(seg.total as usize, run.steps.len());
            let running = then.steps.iter().filter(|s| s.status == Status::Running).count();
            let failed = then.steps.iter().filter(|s| s.status == Status::Failed).count();
            prop_assert_eq!((seg.running as usize, seg.failed as usize), (running, failed));
            prop_assert_eq!(seg.succeeded + seg.failed + seg.running + seg.remaining, seg.total);
            prop_assert_eq!(replay.progress_at(&run, t), then.progress);
        }
    }
}
