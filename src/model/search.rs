//! Step search: which steps a typed query finds, and the count shown beside
//! the search field.
//!
//! Built for runs of tens of thousands of steps, typed into one key at a
//! time: each step's text is lowercased once per poll change into a
//! [`Haystacks`] (not once per key press), and a key press is one plain
//! scan of those strings ([`Query::matches`]): no allocation per step.
//! A key that narrows the query (typing on at its end, the usual case)
//! scans only the steps the previous key found ([`Found::search`]).

use crate::api::Step;
use std::sync::atomic::{AtomicU64, Ordering};

/// Separates the fields of a haystack. A query term never contains it
/// (terms are split on whitespace), so no term matches across two fields.
const FIELD_SEP: char = '\n';

/// What a step is found by: its name, reference id, step id and status
/// word, lowercased, one string.
pub fn haystack(step: &Step) -> String {
    let mut hay =
        String::with_capacity(step.name.len() + step.reference_id.len() + step.step_id.len() + 16);
    push_haystack(&mut hay, step);
    hay
}

/// Appends `step`'s [`haystack`] to `out`.
fn push_haystack(out: &mut String, step: &Step) {
    for (i, field) in [
        step.name.as_str(),
        step.reference_id.as_str(),
        step.step_id.as_str(),
        step.status.as_str(),
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            out.push(FIELD_SEP);
        }
        push_lower(out, field);
    }
}

/// Appends `text` lowercased: ASCII (nearly every id) as one copy lowered
/// in place, the rest by the platform
/// ([`lowercase`](crate::model::lowercase::lowercase): no Unicode tables in
/// the wasm).
fn push_lower(out: &mut String, text: &str) {
    if text.is_ascii() {
        let start = out.len();
        out.push_str(text);
        out[start..].make_ascii_lowercase();
    } else {
        out.push_str(&crate::model::lowercase::lowercase(text));
    }
}

/// Every step's [`haystack`], in the API's order: one string holding them
/// all and where each ends (two allocations for 20,000 steps, not 20,000),
/// with an id of this build: two builds are never equal (comparing the id
/// is enough to know they may differ, without comparing the text), and a
/// [`Found`] knows which build it searched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Haystacks {
    /// Unique per [`Haystacks::build`] (0: the empty default).
    id: u64,
    /// Where step `i`'s haystack ends in `text` (it starts where step
    /// `i - 1`'s ends).
    ends: Vec<usize>,
    text: String,
}

impl Haystacks {
    /// The haystacks of `steps`.
    pub fn build<'a>(steps: impl IntoIterator<Item = &'a Step>) -> Self {
        static BUILDS: AtomicU64 = AtomicU64::new(1);
        let steps = steps.into_iter();
        let mut ends = Vec::with_capacity(steps.size_hint().0);
        let mut text = String::with_capacity(steps.size_hint().0 * 64);
        for step in steps {
            push_haystack(&mut text, step);
            ends.push(text.len());
        }
        Self {
            id: BUILDS.fetch_add(1, Ordering::Relaxed),
            ends,
            text,
        }
    }

    /// The haystack of step `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = index.checked_sub(1).map_or(0, |i| self.ends[i]);
        self.text.get(start..end)
    }

    /// How many steps.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no steps.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// A typed query: whitespace-separated terms, each of which must appear
/// (case-insensitively) in one of a step's fields. An empty query finds
/// every step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    terms: Vec<String>,
}

impl Query {
    /// Reads what a person typed.
    pub fn parse(text: &str) -> Self {
        let terms = text
            .split_whitespace()
            .map(|t| {
                let mut lower = String::with_capacity(t.len());
                push_lower(&mut lower, t);
                lower
            })
            .collect();
        Self { terms }
    }

    /// Whether the query has no terms (finds everything).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether a step with haystack `hay` is found.
    pub fn matches(&self, hay: &str) -> bool {
        self.terms.iter().all(|t| hay.contains(t.as_str()))
    }

    /// Whether every step this query finds is also found by `broader`:
    /// each of `broader`'s terms is part of one of this query's terms (a
    /// haystack holding the longer term holds the shorter). Typing on at
    /// the end of a query ("tas" → "task", "task" → "task 1") narrows it.
    pub fn narrows(&self, broader: &Query) -> bool {
        broader
            .terms
            .iter()
            .all(|b| self.terms.iter().any(|t| t.contains(b.as_str())))
    }
}

/// The steps a query found in one [`Haystacks`] build, by index in the API's
/// order, remembered with the query so that the next key press can scan
/// only these when it narrows the query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    haystacks: u64,
    query: Query,
    indices: Vec<usize>,
}

impl Found {
    /// The steps of `hay` that `query` finds: a scan of `previous`'s steps
    /// when it searched the same build for a query that `query` narrows,
    /// else of every step. The same result either way.
    pub fn search(hay: &Haystacks, query: &Query, previous: Option<&Found>) -> Self {
        let found = |i: &usize| hay.get(*i).is_some_and(|h| query.matches(h));
        let indices = match previous {
            Some(p) if p.haystacks == hay.id && query.narrows(&p.query) => {
                p.indices.iter().copied().filter(found).collect()
            }
            _ => (0..hay.len()).filter(found).collect(),
        };
        Self {
            haystacks: hay.id,
            query: query.clone(),
            indices,
        }
    }

    /// The indices of the steps found, ascending.
    pub fn indices(&self) -> &[usize] {
        &self.indices
    }
}

/// The search field's count: `"12 of 20,000 steps"`, or for a single
/// step `"1 of 1 step"`.
pub fn count_text(shown: usize, total: usize) -> String {
    let noun = if total == 1 { "step" } else { "steps" };
    format!("{} of {} {noun}", thousands(shown), thousands(total))
}

/// `20000` → `"20,000"`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Status;

    fn step(id: &str, reference: &str, name: &str, status: Status) -> Step {
        Step {
            step_id: id.into(),
            reference_id: reference.into(),
            name: name.into(),
            ..Step::placeholder(status)
        }
    }

    fn found(query: &str, steps: &[Step]) -> Vec<String> {
        let hay = Haystacks::build(steps);
        let q = Query::parse(query);
        (0..hay.len())
            .filter(|&i| q.matches(hay.get(i).unwrap()))
            .map(|i| steps[i].step_id.clone())
            .collect()
    }

    fn sample() -> Vec<Step> {
        vec![
            step("s1", "load_image", "Load image", Status::Succeeded),
            step("s2", "upscale", "Upscale ×4", Status::Running),
            step("s3", "Ref_Face", "Face restore", Status::Failed),
            step(
                "s4",
                "vid",
                "Video",
                Status::Unknown("waiting_for_gpu".into()),
            ),
        ]
    }

    #[test]
    fn finds_by_name_reference_id_step_id_and_status() {
        let steps = sample();
        assert_eq!(found("image", &steps), ["s1"]);
        assert_eq!(found("UPSCALE", &steps), ["s2"]);
        assert_eq!(found("ref_face", &steps), ["s3"]);
        assert_eq!(found("s4", &steps), ["s4"]);
        assert_eq!(found("failed", &steps), ["s3"]);
        assert_eq!(found("gpu", &steps), ["s4"]);
        assert_eq!(found("×4", &steps), ["s2"]);
        assert_eq!(found("nothing", &steps), Vec::<String>::new());
    }

    #[test]
    fn every_term_must_match_and_empty_finds_all() {
        let steps = sample();
        assert_eq!(found("", &steps).len(), 4);
        assert_eq!(found("   ", &steps).len(), 4);
        assert!(Query::parse(" \t").is_empty());
        assert_eq!(found("face failed", &steps), ["s3"]);
        assert_eq!(found("face running", &steps), Vec::<String>::new());
        assert_eq!(found("  load   s1 ", &steps), ["s1"]);
    }

    #[test]
    fn a_term_does_not_match_across_fields() {
        // name "Load image" + reference "load_image": "image\nload" is not a term.
        let steps = [step("ab", "cd", "xy", Status::Queued)];
        assert_eq!(found("xycd", &steps), Vec::<String>::new());
        assert_eq!(found("ab", &steps), ["ab"]);
        assert_eq!(found("queued", &steps), ["ab"]);
    }

    #[test]
    fn non_ascii_text_is_lowercased_too() {
        let steps = [step("s", "r", "ÉTAPE Ünïcode", Status::Queued)];
        assert_eq!(found("étape", &steps), ["s"]);
        assert_eq!(found("ÜNÏ", &steps), ["s"]);
    }

    #[test]
    fn typing_on_narrows_and_editing_does_not() {
        let q = Query::parse;
        assert!(q("task 1").narrows(&q("task")));
        assert!(q("task").narrows(&q("tas")));
        assert!(q("task 12").narrows(&q("task 1")));
        assert!(q("1 task").narrows(&q("task")), "terms in any order");
        assert!(q("x").narrows(&q("")), "everything is broader");
        assert!(!q("tas").narrows(&q("task")), "a deleted letter widens");
        assert!(!q("task 2").narrows(&q("task 1")));
        assert!(!q("").narrows(&q("a")));
    }

    #[test]
    fn a_narrowed_search_scans_only_what_the_last_found() {
        let steps = sample();
        let hay = Haystacks::build(&steps);
        let first = Found::search(&hay, &Query::parse("e"), None);
        assert_eq!(first.indices(), [0, 1, 2, 3]);
        let narrowed = Found::search(&hay, &Query::parse("e fa"), Some(&first));
        assert_eq!(narrowed.indices(), [2]);
        // Edited, not narrowed: a full scan, not a scan of [2].
        let other = Found::search(&hay, &Query::parse("vi"), Some(&narrowed));
        assert_eq!(other.indices(), [3]);
        // A new build (a poll) is scanned whole, whatever the last search.
        let stale = Found::search(&hay, &Query::parse("face"), None);
        let mut changed = steps.clone();
        changed[0].name = "Face swap".into();
        let rebuilt = Haystacks::build(&changed);
        assert_ne!(rebuilt, hay);
        let after_poll = Found::search(&rebuilt, &Query::parse("face "), Some(&stale));
        assert_eq!(after_poll.indices(), [0, 2]);
    }

    #[test]
    fn counts_read_well() {
        assert_eq!(count_text(12, 20_000), "12 of 20,000 steps");
        assert_eq!(count_text(1, 1), "1 of 1 step");
        assert_eq!(count_text(0, 0), "0 of 0 steps");
        assert_eq!(count_text(999, 1_000), "999 of 1,000 steps");
        assert_eq!(
            count_text(1_234_567, 1_234_567),
            "1,234,567 of 1,234,567 steps"
        );
    }
}

/// Property tests (native only: proptest does not build for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use crate::api::Status;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn matches_as_a_naive_case_insensitive_search_does(
            name in "[a-zA-Z0-9 _ÄÖé-]{0,12}",
            reference in "[a-zA-Z0-9_]{0,8}",
            id in "[a-z0-9]{0,6}",
            query in "[a-zA-Z0-9 _ä-]{0,8}",
        ) {
            let step = Step {
                step_id: id.clone(),
                reference_id: reference.clone(),
                name: name.clone(),
                ..Step::placeholder(Status::Queued)
            };
            let fields = [name, reference, id, "queued".to_string()];
            let naive = query.split_whitespace().all(|term| {
                fields.iter().any(|f| f.to_lowercase().contains(&term.to_lowercase()))
            });
            prop_assert_eq!(Query::parse(&query).matches(&haystack(&step)), naive);
        }

        /// Key by key, each search given the last one's result, finds what
        /// a full scan finds: typing on (narrowing), deleting (widening), a
        /// space (a new term), and a new build of the same steps between keys.
        #[test]
        fn a_search_from_the_last_result_equals_a_full_scan(
            names in proptest::collection::vec("[a-cA-C1-3 ]{0,6}", 0..40),
            keys in proptest::collection::vec(prop_oneof![
                4 => "[a-cA-C1-3 ]".prop_map(Some),
                1 => Just(None),
            ], 0..12),
            rebuild_at in 0..12usize,
        ) {
            let steps: Vec<Step> = names
                .iter()
                .enumerate()
                .map(|(i, n)| Step {
                    step_id: format!("s{i}"),
                    name: n.clone(),
                    ..Step::placeholder(Status::Queued)
                })
                .collect();
            let mut hay = Haystacks::build(&steps);
            let mut text = String::new();
            let mut last: Option<Found> = None;
            for (k, key) in keys.iter().enumerate() {
                match key {
                    Some(c) => text.push_str(c),
                    None => { text.pop(); }
                }
                if k == rebuild_at {
                    hay = Haystacks::build(&steps);
                }
                let query = Query::parse(&text);
                let found = Found::search(&hay, &query, last.as_ref());
                let full: Vec<usize> = (0..hay.len())
                    .filter(|&i| query.matches(hay.get(i).unwrap()))
                    .collect();
                prop_assert_eq!(found.indices(), full.as_slice(), "query {:?}", text);
                last = Some(found);
            }
        }

        #[test]
        fn the_shared_text_holds_each_step_s_haystack(
            names in proptest::collection::vec("[a-zA-Z0-9 _ÄÖé-]{0,10}", 0..20),
        ) {
            let steps: Vec<Step> = names
                .iter()
                .map(|n| Step { name: n.clone(), ..Step::placeholder(Status::Running) })
                .collect();
            let hay = Haystacks::build(&steps);
            prop_assert_eq!(hay.len(), steps.len());
            for (i, step) in steps.iter().enumerate() {
                let own = haystack(step);
                prop_assert_eq!(hay.get(i), Some(own.as_str()));
            }
            prop_assert_eq!(hay.get(steps.len()), None);
        }

        #[test]
        fn narrowing_finds_no_more(
            hay in "[a-z\n ]{0,30}",
            broader in "[a-z ]{0,6}",
            query in "[a-z ]{0,8}",
        ) {
            let (q, b) = (Query::parse(&query), Query::parse(&broader));
            if q.narrows(&b) && q.matches(&hay) {
                prop_assert!(b.matches(&hay));
            }
        }

        #[test]
        fn a_longer_query_finds_no_more(
            hay in "[a-z\n ]{0,30}",
            query in "[a-z ]{0,6}",
            more in "[a-z ]{0,3}",
        ) {
            let longer = format!("{query}{more}");
            if Query::parse(&longer).matches(&hay) {
                prop_assert!(Query::parse(&query).matches(&hay));
            }
        }
    }
}
