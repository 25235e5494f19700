//! Attempts seen while polling. The Runs API reports only a step's current
//! `attemptNo`; when a poll shows it increased, the step as it was last seen
//! is the earlier attempt, and this memory keeps it (status, times,
//! outputs). Attempts that ended before the page was opened are not known.
//!
//! Pure: [`AttemptMemory::next`] takes the memory, the steps before a poll and
//! the steps after it and returns the new memory; the poll hook calls
//! [`AttemptMemory::observe_step`] for the changed steps only. The memory is
//! bounded ([`MAX_ATTEMPTS`], [`MAX_OUTPUTS`]), so it fits in sessionStorage.

use crate::api::{Output, Status, Step};
use crate::model::format;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Most earlier attempts remembered per run (the oldest recorded go first).
pub const MAX_ATTEMPTS: usize = 100;
/// Most outputs remembered per earlier attempt.
pub const MAX_OUTPUTS: usize = 8;

/// One output of an earlier attempt.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AttemptOutput {
    /// Its `outputId`.
    pub output_id: String,
    /// Its URL as the API sent it (checked before any use).
    pub url: Option<String>,
    /// Its MIME type.
    pub mime_type: Option<String>,
}

/// An earlier attempt of a step, as it was last seen.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Attempt {
    /// The step's key ([`Step::key`]).
    pub step: String,
    /// Its attempt number.
    pub attempt_no: u32,
    /// Its status when last seen, as the API spells it.
    pub status: String,
    /// When it started (Unix ms).
    pub started_ms: Option<i64>,
    /// When it completed (Unix ms), if it was seen completed.
    pub completed_ms: Option<i64>,
    /// When the next attempt started (Unix ms): the latest this one ended.
    pub replaced_ms: Option<i64>,
    /// What it produced (at most [`MAX_OUTPUTS`]).
    pub outputs: Vec<AttemptOutput>,
}

impl Attempt {
    /// `prev` as an earlier attempt, replaced by `next`.
    pub fn of(prev: &Step, next: &Step) -> Self {
        Self {
            step: prev.key(),
            attempt_no: prev.attempt_no,
            status: prev.status.as_str().to_string(),
            started_ms: prev.started_at.map(|t| t.ms()),
            completed_ms: prev.completed_at.map(|t| t.ms()),
            replaced_ms: next.started_at.map(|t| t.ms()),
            outputs: prev
                .outputs
                .iter()
                .take(MAX_OUTPUTS)
                .map(|o: &Output| AttemptOutput {
                    output_id: o.output_id.clone(),
                    url: o.url.clone(),
                    mime_type: o.mime_type.clone(),
                })
                .collect(),
        }
    }

    /// Its status.
    pub fn status(&self) -> Status {
        Status::from(self.status.clone())
    }

    /// Its span on the time axis: from its start to its completion, or
    /// (not seen completed) to when the next attempt started.
    pub fn span(&self) -> (Option<i64>, Option<i64>) {
        (self.started_ms, self.completed_ms.or(self.replaced_ms))
    }

    /// One line for people: "Attempt 1 failed after 12.0 s", or, if it was
    /// not seen finishing, "Attempt 1 was running when last seen; retried
    /// after 12.0 s".
    pub fn describe(&self) -> String {
        let n = self.attempt_no;
        let status = self.status();
        match (status.is_terminal(), self.started_ms, self.completed_ms) {
            (true, Some(s), Some(e)) => {
                format!(
                    "Attempt {n} {} after {}",
                    status.as_str(),
                    format::duration(e - s)
                )
            }
            (true, _, _) => format!("Attempt {n} {}", status.as_str()),
            (false, start, _) => {
                let retried = match (start, self.replaced_ms) {
                    (Some(s), Some(r)) => format!("; retried after {}", format::duration(r - s)),
                    _ => String::new(),
                };
                format!(
                    "Attempt {n} was {} when last seen{retried}",
                    status.as_str()
                )
            }
        }
    }
}

/// A line of a step's attempt list, newest first.
#[derive(Clone, Debug, PartialEq)]
pub enum AttemptLine {
    /// An attempt this page saw end.
    Seen(Attempt),
    /// An attempt number between two seen ones that no poll showed.
    Unseen(u32),
}

/// The earlier attempts this page saw, in the order it saw them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AttemptMemory {
    /// Schema version of the stored form.
    pub v: u32,
    /// Every remembered attempt, oldest recorded first.
    pub attempts: Vec<Attempt>,
}

impl AttemptMemory {
    /// Records `prev` as an earlier attempt if `next` is a later attempt of
    /// the same step (same key, higher `attemptNo`). Returns whether the
    /// memory changed.
    pub fn observe_step(&mut self, prev: &Step, next: &Step) -> bool {
        if next.attempt_no <= prev.attempt_no || prev.key() != next.key() {
            return false;
        }
        let attempt = Attempt::of(prev, next);
        self.attempts
            .retain(|a| !(a.step == attempt.step && a.attempt_no == attempt.attempt_no));
        self.attempts.push(attempt);
        if self.attempts.len() > MAX_ATTEMPTS {
            let extra = self.attempts.len() - MAX_ATTEMPTS;
            self.attempts.drain(..extra);
        }
        true
    }

    /// The memory after a poll that turned the steps `before` into `after`
    /// (matched by key; steps only on one side are ignored).
    pub fn next(mut self, before: &[Step], after: &[Step]) -> Self {
        let by_key: HashMap<String, &Step> = before.iter().map(|s| (s.key(), s)).collect();
        for step in after {
            if let Some(prev) = by_key.get(&step.key()) {
                if prev.attempt_no < step.attempt_no {
                    self.observe_step(prev, step);
                }
            }
        }
        self
    }

    /// This memory (read back from storage) with `later` (seen since the
    /// page opened) recorded after it: an attempt in both is kept as `later`
    /// has it, and the cap ([`MAX_ATTEMPTS`]) drops the oldest recorded.
    pub fn merged(mut self, later: AttemptMemory) -> Self {
        for attempt in later.attempts {
            self.attempts
                .retain(|a| !(a.step == attempt.step && a.attempt_no == attempt.attempt_no));
            self.attempts.push(attempt);
        }
        if self.attempts.len() > MAX_ATTEMPTS {
            let extra = self.attempts.len() - MAX_ATTEMPTS;
            self.attempts.drain(..extra);
        }
        self
    }

    /// The earlier attempts of the step with this key, newest first.
    pub fn of(&self, key: &str) -> Vec<&Attempt> {
        let mut list: Vec<&Attempt> = self.attempts.iter().filter(|a| a.step == key).collect();
        list.sort_by_key(|a| std::cmp::Reverse(a.attempt_no));
        list
    }

    /// Whether any earlier attempt of this step is remembered.
    pub fn has(&self, key: &str) -> bool {
        self.attempts.iter().any(|a| a.step == key)
    }

    /// The list under a step whose current attempt is `current`: earlier
    /// attempts newest first, with the numbers no poll showed between the
    /// current one and the oldest seen one marked unseen.
    pub fn lines(&self, key: &str, current: u32) -> Vec<AttemptLine> {
        let seen = self.of(key);
        let oldest = seen.last().map_or(current, |a| a.attempt_no);
        let mut lines = Vec::new();
        let mut seen = seen.into_iter().peekable();
        for n in (oldest..current).rev() {
            match seen.next_if(|a| a.attempt_no == n) {
                Some(a) => lines.push(AttemptLine::Seen(a.clone())),
                None => lines.push(AttemptLine::Unseen(n)),
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Timestamp;

    fn step(id: &str, attempt: u32, status: Status, start: Option<i64>, end: Option<i64>) -> Step {
        Step {
            step_id: id.into(),
            attempt_no: attempt,
            started_at: start.map(Timestamp),
            completed_at: end.map(Timestamp),
            ..Step::placeholder(status)
        }
    }

    #[test]
    fn a_higher_attempt_keeps_the_earlier_one_as_last_seen() {
        let before = [
            step("a", 1, Status::Failed, Some(1_000), Some(13_000)),
            step("b", 1, Status::Running, Some(0), None),
        ];
        let after = [
            step("a", 2, Status::Running, Some(14_000), None),
            step("b", 1, Status::Running, Some(0), None),
        ];
        let memory = AttemptMemory::default().next(&before, &after);
        assert_eq!(memory.attempts.len(), 1);
        let a = &memory.attempts[0];
        assert_eq!(
            (a.step.as_str(), a.attempt_no, a.status.as_str()),
            ("a", 1, "failed")
        );
        assert_eq!(a.span(), (Some(1_000), Some(13_000)));
        assert_eq!(a.describe(), "Attempt 1 failed after 12.0 s");
        assert!(memory.has("a") && !memory.has("b"));
    }

    #[test]
    fn a_stored_memory_merged_with_later_attempts_keeps_both_once() {
        let a1 = step("a", 1, Status::Failed, Some(0), Some(1_000));
        let a2 = step("a", 2, Status::Running, Some(2_000), None);
        let b1 = step("b", 1, Status::Failed, Some(0), Some(500));
        let b2 = step("b", 2, Status::Running, Some(900), None);
        let stored =
            AttemptMemory::default().next(std::slice::from_ref(&a1), std::slice::from_ref(&a2));
        let later = AttemptMemory::default().next(&[a1, b1], &[a2, b2]);
        let merged = stored.merged(later);
        let seen: Vec<(&str, u32)> = merged
            .attempts
            .iter()
            .map(|a| (a.step.as_str(), a.attempt_no))
            .collect();
        assert_eq!(seen, [("a", 1), ("b", 1)]);
        let full = AttemptMemory {
            v: 0,
            attempts: (0..MAX_ATTEMPTS as u32)
                .map(|n| Attempt {
                    step: "s".into(),
                    attempt_no: n,
                    ..Attempt::default()
                })
                .collect(),
        };
        let capped = full.merged(merged);
        assert_eq!(capped.attempts.len(), MAX_ATTEMPTS);
        assert_eq!(capped.attempts.last().map(|a| a.step.as_str()), Some("b"));
    }

    #[test]
    fn an_attempt_not_seen_ending_says_so_and_spans_to_the_retry() {
        let mut memory = AttemptMemory::default();
        let prev = step("a", 1, Status::Running, Some(0), None);
        let next = step("a", 2, Status::Running, Some(5_000), None);
        assert!(memory.observe_step(&prev, &next));
        let a = &memory.attempts[0];
        assert_eq!(a.span(), (Some(0), Some(5_000)));
        assert_eq!(
            a.describe(),
            "Attempt 1 was running when last seen; retried after 5.0 s"
        );
    }

    #[test]
    fn same_or_lower_attempts_and_other_steps_change_nothing() {
        let mut memory = AttemptMemory::default();
        let a1 = step("a", 1, Status::Running, Some(0), None);
        assert!(!memory.observe_step(&a1, &step("a", 1, Status::Failed, Some(0), Some(9))));
        assert!(!memory.observe_step(&step("a", 3, Status::Running, None, None), &a1));
        assert!(!memory.observe_step(&a1, &step("b", 2, Status::Running, None, None)));
        assert_eq!(memory, AttemptMemory::default());
    }

    #[test]
    fn lines_are_newest_first_with_unseen_gaps() {
        let mut memory = AttemptMemory::default();
        memory.observe_step(
            &step("a", 1, Status::Failed, Some(0), Some(1_000)),
            &step("a", 2, Status::Running, Some(2_000), None),
        );
        memory.observe_step(
            &step("a", 3, Status::Failed, Some(5_000), Some(6_000)),
            &step("a", 4, Status::Running, Some(7_000), None),
        );
        let lines = memory.lines("a", 4);
        let shape: Vec<String> = lines
            .iter()
            .map(|l| match l {
                AttemptLine::Seen(a) => a.describe(),
                AttemptLine::Unseen(n) => format!("{n} unseen"),
            })
            .collect();
        assert_eq!(
            shape,
            [
                "Attempt 3 failed after 1.0 s",
                "2 unseen",
                "Attempt 1 failed after 1.0 s"
            ]
        );
        assert!(memory.lines("b", 2).is_empty());
    }

    #[test]
    fn the_memory_is_bounded_and_drops_the_oldest() {
        let mut memory = AttemptMemory::default();
        for i in 0..(MAX_ATTEMPTS + 5) {
            let id = format!("s{i}");
            let mut prev = step(&id, 1, Status::Failed, Some(0), Some(1));
            prev.outputs = vec![Output::default(); MAX_OUTPUTS + 3];
            memory.observe_step(&prev, &step(&id, 2, Status::Running, None, None));
        }
        assert_eq!(memory.attempts.len(), MAX_ATTEMPTS);
        assert_eq!(memory.attempts[0].step, "s5");
        assert!(memory
            .attempts
            .iter()
            .all(|a| a.outputs.len() == MAX_OUTPUTS));
    }

    #[test]
    fn stored_form_round_trips_and_bad_shapes_read_as_empty_fields() {
        let mut memory = AttemptMemory::default();
        memory.observe_step(
            &step("a", 1, Status::Failed, Some(0), Some(1_000)),
            &step("a", 2, Status::Running, Some(2_000), None),
        );
        let json = serde_json::to_string(&memory).unwrap();
        assert_eq!(
            serde_json::from_str::<AttemptMemory>(&json).unwrap(),
            memory
        );
        let partial: AttemptMemory =
            serde_json::from_str(r#"{"attempts":[{"step":"x"}]}"#).unwrap();
        assert_eq!(partial.attempts[0].attempt_no, 0);
        assert!(serde_json::from_str::<AttemptMemory>("[1,2").is_err());
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        fn run_of(attempts: &[u32]) -> Vec<Step> {
            attempts
                .iter()
                .enumerate()
                .map(|(i, n)| step(&format!("s{i}"), *n, Status::Running, Some(i as i64), None))
                .collect()
        }

        proptest! {
            /// Over any sequence of polls, an attempt is remembered exactly
            /// when a poll showed its number and a later one for its step;
            /// the memory never exceeds its bound nor holds a step's attempt twice.
            #[test]
            fn remembers_exactly_the_attempts_it_saw_replaced(
                polls in proptest::collection::vec(proptest::collection::vec(1u32..6, 4), 1..12)
            ) {
                let mut memory = AttemptMemory::default();
                let mut expected = std::collections::BTreeSet::new();
                let mut before: Vec<Step> = Vec::new();
                for poll in &polls {
                    let after = run_of(poll);
                    for (b, a) in before.iter().zip(&after) {
                        if a.attempt_no > b.attempt_no {
                            expected.insert((b.key(), b.attempt_no));
                        }
                    }
                    memory = memory.next(&before, &after);
                    before = after;
                }
                let got: std::collections::BTreeSet<_> =
                    memory.attempts.iter().map(|a| (a.step.clone(), a.attempt_no)).collect();
                prop_assert!(memory.attempts.len() <= MAX_ATTEMPTS);
                prop_assert_eq!(got.len(), memory.attempts.len());
                prop_assert_eq!(got, expected);
            }
        }
    }
}
