//! Two runs side by side: which step of run A is which step of run B, how
//! their durations differ, and a summary a person can judge at a glance.
//!
//! Steps are matched by `referenceId` (the blueprint node both ran), then,
//! among the rest, by name; steps found in one run only are kept and marked.
//! Differences read from A to B: "B is 1.2 s faster".

use crate::api::{Output, Run, Status, Step};
use std::collections::{HashMap, VecDeque};

/// Differences smaller than this read "same" (clock noise, not a change).
pub const SAME_WITHIN_MS: i64 = 100;

/// How a pair was matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchedBy {
    /// Same `referenceId`.
    Reference,
    /// Same name (the reference ids differ or are missing).
    Name,
}

/// One row of the comparison: a step of A, of B, or of both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepPair {
    /// Index into run A's steps.
    pub a: Option<usize>,
    /// Index into run B's steps.
    pub b: Option<usize>,
    /// How they were matched (`None` for a step of one run only).
    pub by: Option<MatchedBy>,
}

/// B against A.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Delta {
    /// B took this many ms less.
    Faster(i64),
    /// B took this many ms more.
    Slower(i64),
    /// Within [`SAME_WITHIN_MS`].
    Same,
    /// A duration is missing (not started, still running, one side absent).
    Unknown,
}

impl Delta {
    /// B's duration against A's.
    pub fn of(a_ms: Option<i64>, b_ms: Option<i64>) -> Delta {
        match (a_ms, b_ms) {
            (Some(a), Some(b)) if (b - a).abs() < SAME_WITHIN_MS => Delta::Same,
            (Some(a), Some(b)) if b < a => Delta::Faster(a - b),
            (Some(a), Some(b)) => Delta::Slower(b - a),
            _ => Delta::Unknown,
        }
    }

    /// For people: `1.2 s faster`, `3.0 s slower`, `same`, `—`.
    pub fn label(self) -> String {
        match self {
            Delta::Faster(ms) => format!("{} faster", super::format::duration(ms)),
            Delta::Slower(ms) => format!("{} slower", super::format::duration(ms)),
            Delta::Same => "same".to_string(),
            Delta::Unknown => "—".to_string(),
        }
    }

    /// The BEM modifier of its style: `faster`, `slower`, `same`, `unknown`.
    pub fn modifier(self) -> &'static str {
        match self {
            Delta::Faster(_) => "faster",
            Delta::Slower(_) => "slower",
            Delta::Same => "same",
            Delta::Unknown => "unknown",
        }
    }
}

/// How long a step took: completion minus start, once both are known.
pub fn step_duration(step: &Step) -> Option<i64> {
    Some(step.completed_at?.ms() - step.started_at?.ms()).filter(|d| *d >= 0)
}

/// How long a run took, or has taken so far while it is live (`now_ms`).
pub fn run_duration(run: &Run, now_ms: i64) -> Option<i64> {
    let start = run.started_at?.ms();
    let end = match run.completed_at {
        Some(end) => end.ms(),
        None if !run.status.is_terminal() => now_ms,
        None => return None,
    };
    Some(end - start).filter(|d| *d >= 0)
}

/// What a matching pass compares.
type StepKey = fn(&Step) -> &str;

/// Queues of indices per key, in step order (empty keys never match).
fn index_by<'a>(
    steps: &'a [Step],
    taken: &[bool],
    key: impl Fn(&'a Step) -> &'a str,
) -> HashMap<&'a str, VecDeque<usize>> {
    let mut map: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (i, s) in steps.iter().enumerate() {
        let k = key(s);
        if !k.is_empty() && !taken[i] {
            map.entry(k).or_default().push_back(i);
        }
    }
    map
}

/// Matches the steps of A and B: by `referenceId`, then by name. Rows follow
/// A's order; a step of B only comes right after the row of its nearest
/// earlier B step (or first, if none).
pub fn match_steps(a: &[Step], b: &[Step]) -> Vec<StepPair> {
    let mut b_of_a: Vec<Option<(usize, MatchedBy)>> = vec![None; a.len()];
    let mut b_taken = vec![false; b.len()];
    let passes: [(MatchedBy, StepKey); 2] = [
        (MatchedBy::Reference, |s| s.reference_id.as_str()),
        (MatchedBy::Name, |s| s.name.as_str()),
    ];
    for (by, key) in passes {
        let mut free = index_by(b, &b_taken, key);
        for (i, step) in a.iter().enumerate() {
            if b_of_a[i].is_some() {
                continue;
            }
            if let Some(j) = free.get_mut(key(step)).and_then(VecDeque::pop_front) {
                b_of_a[i] = Some((j, by));
                b_taken[j] = true;
            }
        }
    }
    let mut rows: Vec<StepPair> = b_of_a
        .iter()
        .enumerate()
        .map(|(i, m)| StepPair {
            a: Some(i),
            b: m.map(|(j, _)| j),
            by: m.map(|(_, by)| by),
        })
        .collect();
    for j in (0..b.len()).filter(|&j| !b_taken[j]) {
        // After the row holding the largest B index below j.
        let at = rows
            .iter()
            .rposition(|r| r.b.is_some_and(|k| k < j))
            .map_or(0, |p| p + 1);
        rows.insert(
            at,
            StepPair {
                a: None,
                b: Some(j),
                by: None,
            },
        );
    }
    rows
}

/// The comparison at a glance.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Matched steps B ran faster.
    pub faster: usize,
    /// Matched steps B ran slower.
    pub slower: usize,
    /// Matched steps within [`SAME_WITHIN_MS`].
    pub same: usize,
    /// Matched steps whose status differs.
    pub status_changed: usize,
    /// Steps only A has.
    pub only_a: usize,
    /// Steps only B has.
    pub only_b: usize,
    /// Matched steps not finished on one side or both (no delta yet).
    pub unfinished: usize,
}

/// Counts the rows of a comparison.
pub fn summarize(a: &[Step], b: &[Step], rows: &[StepPair]) -> Summary {
    let mut s = Summary::default();
    for row in rows {
        match (row.a, row.b) {
            (Some(i), Some(j)) => {
                match Delta::of(step_duration(&a[i]), step_duration(&b[j])) {
                    Delta::Faster(_) => s.faster += 1,
                    Delta::Slower(_) => s.slower += 1,
                    Delta::Same => s.same += 1,
                    Delta::Unknown => s.unfinished += 1,
                }
                if a[i].status != b[j].status {
                    s.status_changed += 1;
                }
            }
            (Some(_), None) => s.only_a += 1,
            (None, Some(_)) => s.only_b += 1,
            (None, None) => {}
        }
    }
    s
}

/// Whether both statuses are final, so the comparison will not change.
pub fn both_settled(a: &Status, b: &Status) -> bool {
    a.is_terminal() && b.is_terminal()
}

/// One side of a row of the step table: the step's status and duration.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Side {
    /// The step's status.
    pub status: Status,
    /// How long it took, once it finished.
    pub ms: Option<i64>,
}

/// One row of the step table, ready to show (a whole row is its own key in
/// a keyed list: a row re-renders only when something in it changed).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Row {
    /// Identifies the row across polls: the keys of its steps.
    pub key: String,
    /// The step's name (A's, or B's for a step of B only).
    pub name: String,
    /// Run A's step, if A has it.
    pub a: Option<Side>,
    /// Run B's step, if B has it.
    pub b: Option<Side>,
}

impl Row {
    /// B against A, once both finished.
    pub fn delta(&self) -> Delta {
        match (&self.a, &self.b) {
            (Some(a), Some(b)) => Delta::of(a.ms, b.ms),
            _ => Delta::Unknown,
        }
    }
}

/// The outputs of one matched step, paired by position.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputRow {
    /// Identifies the row across polls: the keys of its steps.
    pub key: String,
    /// The step's name.
    pub step: String,
    /// A's and B's outputs, by position.
    pub pairs: Vec<(Option<Output>, Option<Output>)>,
}

impl OutputRow {
    /// Its key in a keyed list: its steps and everything it shows, so a
    /// poll that changes another step leaves this row (and a video playing
    /// in it) alone.
    pub fn list_key(&self) -> String {
        format!("{}|{:?}", self.key, self.pairs)
    }
}

/// A whole comparison: the step table, the outputs side by side, the counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    /// Every step of either run, in A's order.
    pub rows: Vec<Row>,
    /// Matched steps with outputs.
    pub outputs: Vec<OutputRow>,
    /// The counts.
    pub summary: Summary,
}

/// The key of a row: both steps' keys (a step of one run only has one).
fn row_key(a: Option<&Step>, b: Option<&Step>) -> String {
    let key = |s: Option<&Step>| s.map(Step::key).unwrap_or_default();
    format!("{}|{}", key(a), key(b))
}

/// Matches the steps of A and B and builds every row of the comparison.
pub fn compare(a: &[Step], b: &[Step]) -> Comparison {
    let pairs = match_steps(a, b);
    let summary = summarize(a, b, &pairs);
    let mut rows = Vec::with_capacity(pairs.len());
    let mut outputs = Vec::new();
    for p in &pairs {
        let sa = p.a.map(|i| &a[i]);
        let sb = p.b.map(|j| &b[j]);
        let name = sa.or(sb).map(|s| s.name.clone()).unwrap_or_default();
        let side = |s: &Step| Side {
            status: s.status.clone(),
            ms: step_duration(s),
        };
        let key = row_key(sa, sb);
        rows.push(Row {
            key: key.clone(),
            name: name.clone(),
            a: sa.map(side),
            b: sb.map(side),
        });
        if let (Some(sa), Some(sb)) = (sa, sb) {
            let n = sa.outputs.len().max(sb.outputs.len());
            if n > 0 {
                outputs.push(OutputRow {
                    key,
                    step: name,
                    pairs: (0..n)
                        .map(|k| (sa.outputs.get(k).cloned(), sb.outputs.get(k).cloned()))
                        .collect(),
                });
            }
        }
    }
    Comparison {
        rows,
        outputs,
        summary,
    }
}

/// Which runs are still going.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unfinished {
    /// Run A is not in a terminal status.
    pub a: bool,
    /// Run B is not in a terminal status.
    pub b: bool,
}

impl Unfinished {
    /// From both runs' statuses.
    pub fn of(a: &Status, b: &Status) -> Self {
        Self {
            a: !a.is_terminal(),
            b: !b.is_terminal(),
        }
    }

    /// Whether either run is still going.
    pub fn any(self) -> bool {
        self.a || self.b
    }

    /// "A is", "B is", "Both runs are" (still running), if any.
    fn who(self) -> Option<&'static str> {
        match (self.a, self.b) {
            (true, true) => Some("Both runs are"),
            (true, false) => Some("A is"),
            (false, true) => Some("B is"),
            (false, false) => None,
        }
    }
}

/// A run's total time for people: `12.0 s`, `4.1 s so far` while it is
/// still going, `—` when unknown.
pub fn total_label(ms: Option<i64>, unfinished: bool) -> String {
    match ms {
        Some(ms) if unfinished => format!("{} so far", super::format::duration(ms)),
        Some(ms) => super::format::duration(ms),
        None => "—".to_string(),
    }
}

/// B's total time against A's, for people. A run that has not finished is
/// never called faster or slower: its time so far says nothing of its end.
pub fn total_verdict(a_ms: Option<i64>, b_ms: Option<i64>, unfinished: Unfinished) -> String {
    if let Some(who) = unfinished.who() {
        return format!("{who} still running; compared once both finish");
    }
    match Delta::of(a_ms, b_ms) {
        Delta::Unknown => "—".to_string(),
        Delta::Same => "About the same total time".to_string(),
        d => format!("B is {}", d.label()),
    }
}

/// The style of [`total_verdict`]: a delta's modifier, `unknown` while a run
/// is still going.
pub fn total_modifier(
    a_ms: Option<i64>,
    b_ms: Option<i64>,
    unfinished: Unfinished,
) -> &'static str {
    if unfinished.any() {
        Delta::Unknown.modifier()
    } else {
        Delta::of(a_ms, b_ms).modifier()
    }
}

/// "7 faster, 3 slower, 1 same; 1 changed status; 1 only in A", and while a
/// run is still going "So far: …; 2 not finished": the counts are of steps
/// that finished on both sides.
pub fn summary_text(s: &Summary, unfinished: Unfinished) -> String {
    let mut parts = vec![format!(
        "{} faster, {} slower, {} same",
        s.faster, s.slower, s.same
    )];
    if s.unfinished > 0 {
        parts.push(format!("{} not finished", s.unfinished));
    }
    if s.status_changed > 0 {
        parts.push(format!("{} changed status", s.status_changed));
    }
    if s.only_a > 0 {
        parts.push(format!("{} only in A", s.only_a));
    }
    if s.only_b > 0 {
        parts.push(format!("{} only in B", s.only_b));
    }
    let text = parts.join("; ");
    if unfinished.any() {
        format!("So far: {text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Timestamp;

    fn step(reference: &str, name: &str, status: &str, ms: Option<(i64, i64)>) -> Step {
        Step {
            step_id: format!("s_{reference}_{name}"),
            reference_id: reference.into(),
            name: name.into(),
            status: Status::from(status.to_string()),
            predecessors_left: 0,
            attempt_no: 1,
            started_at: ms.map(|(s, _)| Timestamp(s)),
            completed_at: ms.map(|(_, e)| Timestamp(e)),
            outputs: Vec::new(),
            occurrence: 0,
        }
    }

    #[test]
    fn matches_by_reference_then_name_and_marks_the_rest() {
        let a = vec![
            step("n_script", "Write script", "succeeded", Some((0, 3_000))),
            step("n_img", "Image", "succeeded", Some((3_000, 9_000))),
            step("n_old", "Voice", "succeeded", Some((3_000, 4_000))),
            step("n_gone", "Only in A", "failed", Some((3_000, 3_500))),
        ];
        let b = vec![
            step(
                "n_script",
                "Script (renamed)",
                "succeeded",
                Some((0, 2_000)),
            ),
            step("n_new", "Voice", "succeeded", Some((2_000, 3_000))),
            step("n_extra", "Only in B", "succeeded", Some((2_000, 2_100))),
            step("n_img", "Image", "failed", Some((2_000, 12_000))),
        ];
        let rows = match_steps(&a, &b);
        assert_eq!(
            rows,
            vec![
                StepPair {
                    a: Some(0),
                    b: Some(0),
                    by: Some(MatchedBy::Reference)
                },
                StepPair {
                    a: Some(1),
                    b: Some(3),
                    by: Some(MatchedBy::Reference)
                },
                StepPair {
                    a: Some(2),
                    b: Some(1),
                    by: Some(MatchedBy::Name)
                },
                StepPair {
                    a: None,
                    b: Some(2),
                    by: None
                },
                StepPair {
                    a: Some(3),
                    b: None,
                    by: None
                },
            ]
        );
        assert_eq!(
            summarize(&a, &b, &rows),
            Summary {
                faster: 1,
                slower: 1,
                same: 1,
                status_changed: 1,
                only_a: 1,
                only_b: 1,
                unfinished: 0,
            }
        );
    }

    #[test]
    fn duplicates_and_empty_keys_pair_in_order_only() {
        let a = vec![
            step("n_x", "X", "succeeded", None),
            step("n_x", "X", "succeeded", None),
            step("", "", "queued", None),
        ];
        let b = vec![
            step("n_x", "X", "running", None),
            step("", "", "queued", None),
        ];
        let rows = match_steps(&a, &b);
        assert_eq!(
            rows,
            vec![
                StepPair {
                    a: Some(0),
                    b: Some(0),
                    by: Some(MatchedBy::Reference)
                },
                StepPair {
                    a: None,
                    b: Some(1),
                    by: None
                },
                StepPair {
                    a: Some(1),
                    b: None,
                    by: None
                },
                StepPair {
                    a: Some(2),
                    b: None,
                    by: None
                },
            ]
        );
        assert_eq!(match_steps(&[], &[]), vec![]);
        let only_b = match_steps(&[], &b);
        assert_eq!(
            only_b.iter().map(|r| r.b).collect::<Vec<_>>(),
            vec![Some(0), Some(1)]
        );
    }

    #[test]
    fn deltas_read_from_a_to_b() {
        assert_eq!(Delta::of(Some(5_000), Some(3_800)), Delta::Faster(1_200));
        assert_eq!(Delta::of(Some(5_000), Some(8_000)), Delta::Slower(3_000));
        assert_eq!(Delta::of(Some(5_000), Some(5_099)), Delta::Same);
        assert_eq!(Delta::of(Some(5_000), Some(4_900)), Delta::Faster(100));
        assert_eq!(Delta::of(None, Some(1)), Delta::Unknown);
        assert_eq!(Delta::Faster(1_200).label(), "1.2 s faster");
        assert_eq!(Delta::Slower(3_000).label(), "3.0 s slower");
        assert_eq!(Delta::Same.label(), "same");
        assert_eq!(Delta::Unknown.label(), "—");
    }

    #[test]
    fn durations_of_steps_and_runs() {
        assert_eq!(
            step_duration(&step("r", "n", "succeeded", Some((1_000, 4_500)))),
            Some(3_500)
        );
        let mut running = step("r", "n", "running", Some((1_000, 0)));
        running.completed_at = None;
        assert_eq!(step_duration(&running), None);
        let run = |status: &str, end: Option<i64>| Run {
            run_id: "run".into(),
            blueprint_id: "bp".into(),
            status: Status::from(status.to_string()),
            started_at: Some(Timestamp(10_000)),
            completed_at: end.map(Timestamp),
            progress: Default::default(),
            final_outputs: Vec::new(),
            steps: Vec::new(),
        };
        assert_eq!(
            run_duration(&run("succeeded", Some(40_000)), 99_000),
            Some(30_000)
        );
        assert_eq!(run_duration(&run("running", None), 25_000), Some(15_000));
        assert_eq!(run_duration(&run("failed", None), 25_000), None);
        assert!(both_settled(&Status::Succeeded, &Status::Failed));
        assert!(!both_settled(&Status::Succeeded, &Status::Running));
    }
    fn output(url: &str) -> Output {
        Output {
            url: Some(url.into()),
            ..Output::default()
        }
    }

    #[test]
    fn rows_are_keyed_by_their_steps_and_pair_outputs_by_position() {
        let mut a = vec![
            step("n_img", "Image", "succeeded", Some((0, 3_000))),
            step("n_gone", "Only in A", "succeeded", Some((0, 1_000))),
        ];
        let mut b = vec![step("n_img", "Image", "running", None)];
        a[0].outputs = vec![output("a1.png"), output("a2.png")];
        b[0].outputs = vec![output("b1.png")];
        let c = compare(&a, &b);
        assert_eq!(
            c.rows,
            vec![
                Row {
                    key: "s_n_img_Image|s_n_img_Image".into(),
                    name: "Image".into(),
                    a: Some(Side {
                        status: Status::Succeeded,
                        ms: Some(3_000)
                    }),
                    b: Some(Side {
                        status: Status::Running,
                        ms: None
                    }),
                },
                Row {
                    key: "s_n_gone_Only in A|".into(),
                    name: "Only in A".into(),
                    a: Some(Side {
                        status: Status::Succeeded,
                        ms: Some(1_000)
                    }),
                    b: None,
                },
            ]
        );
        assert_eq!(
            c.outputs,
            vec![OutputRow {
                key: "s_n_img_Image|s_n_img_Image".into(),
                step: "Image".into(),
                pairs: vec![
                    (Some(output("a1.png")), Some(output("b1.png"))),
                    (Some(output("a2.png")), None),
                ],
            }]
        );
        assert_eq!(
            c.summary,
            Summary {
                status_changed: 1,
                only_a: 1,
                unfinished: 1,
                ..Summary::default()
            }
        );
        assert_eq!(compare(&[], &[]), Comparison::default());
    }

    #[test]
    fn a_row_keeps_its_key_when_another_step_changes() {
        let a = vec![
            step("n_1", "One", "succeeded", Some((0, 1_000))),
            step("n_2", "Two", "succeeded", Some((1_000, 4_000))),
        ];
        let mut b = a.clone();
        b[1] = step("n_2", "Two", "running", None);
        let before = compare(&a, &b);
        // B's second step finishes: only its row changes.
        b[1] = step("n_2", "Two", "succeeded", Some((1_000, 2_000)));
        let after = compare(&a, &b);
        assert_eq!(before.rows[0], after.rows[0]);
        assert_ne!(before.rows[1], after.rows[1]);
        assert_eq!(before.rows[1].key, after.rows[1].key);
        assert_eq!(before.rows[1].delta(), Delta::Unknown);
        assert_eq!(after.rows[1].delta(), Delta::Faster(2_000));
    }

    #[test]
    fn totals_of_an_unfinished_run_say_so_far_and_name_no_winner() {
        let done = Unfinished::default();
        let b_running = Unfinished { a: false, b: true };
        let a_running = Unfinished { a: true, b: false };
        let both = Unfinished { a: true, b: true };
        assert_eq!(total_label(Some(4_100), true), "4.1 s so far");
        assert_eq!(total_label(Some(8_600), false), "8.6 s");
        assert_eq!(total_label(None, true), "—");
        // Finished: the difference.
        assert_eq!(
            total_verdict(Some(8_600), Some(4_100), done),
            "B is 4.5 s faster"
        );
        assert_eq!(
            total_verdict(Some(4_100), Some(8_600), done),
            "B is 4.5 s slower"
        );
        assert_eq!(
            total_verdict(Some(4_100), Some(4_150), done),
            "About the same total time"
        );
        assert_eq!(total_verdict(None, Some(4_150), done), "—");
        assert_eq!(total_modifier(Some(8_600), Some(4_100), done), "faster");
        // Unfinished: never faster or slower, whatever the times so far.
        for (who, u) in [
            ("B is", b_running),
            ("A is", a_running),
            ("Both runs are", both),
        ] {
            assert_eq!(
                total_verdict(Some(8_600), Some(4_100), u),
                format!("{who} still running; compared once both finish")
            );
            assert_eq!(total_modifier(Some(8_600), Some(4_100), u), "unknown");
        }
        assert_eq!(
            Unfinished::of(&Status::Succeeded, &Status::Running),
            b_running
        );
        assert!(!Unfinished::of(&Status::Failed, &Status::Canceled).any());
    }

    #[test]
    fn step_counts_say_so_far_while_a_run_is_going() {
        let s = Summary {
            faster: 7,
            slower: 3,
            same: 1,
            status_changed: 1,
            only_a: 1,
            only_b: 2,
            unfinished: 0,
        };
        let done = Unfinished::default();
        assert_eq!(
            summary_text(&s, done),
            "7 faster, 3 slower, 1 same; 1 changed status; 1 only in A; 2 only in B"
        );
        assert_eq!(
            summary_text(&Summary::default(), done),
            "0 faster, 0 slower, 0 same"
        );
        let partial = Summary {
            same: 7,
            unfinished: 3,
            ..Summary::default()
        };
        assert_eq!(
            summary_text(&partial, Unfinished { a: false, b: true }),
            "So far: 0 faster, 0 slower, 7 same; 3 not finished"
        );
        assert_eq!(
            summary_text(&partial, Unfinished { a: true, b: false }),
            "So far: 0 faster, 0 slower, 7 same; 3 not finished"
        );
    }
}
