//! Step search: which steps a typed query finds, and the count shown beside
//! the search field.
//!
//! Built for runs of tens of thousands of steps, typed into one key at a
//! time: each step's text is lowercased once per poll change into a
//! [`Haystacks`] (not once per key press), and a key press is one plain
//! scan of those strings ([`Query::matches`]): no allocation per step.

use crate::api::Step;

/// Separates the fields of a haystack. A query term never contains it
/// (terms are split on whitespace), so no term matches across two fields.
const FIELD_SEP: char = '\n';

/// What a step is found by: its name, reference id, step id and status
/// word, lowercased, one string.
pub fn haystack(step: &Step) -> String {
    let mut hay =
        String::with_capacity(step.name.len() + step.reference_id.len() + step.step_id.len() + 16);
    for field in [
        step.name.as_str(),
        step.reference_id.as_str(),
        step.step_id.as_str(),
        step.status.as_str(),
    ] {
        if !hay.is_empty() {
            hay.push(FIELD_SEP);
        }
        push_lower(&mut hay, field);
    }
    hay
}

/// Appends `text` lowercased; ASCII (nearly every id) in place, the rest by
/// the platform ([`lowercase`](crate::model::lowercase::lowercase): no
/// Unicode tables in the wasm).
fn push_lower(out: &mut String, text: &str) {
    if text.is_ascii() {
        out.extend(text.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        out.push_str(&crate::model::lowercase::lowercase(text));
    }
}

/// Every step's [`haystack`], in the API's order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Haystacks(Vec<Box<str>>);

impl Haystacks {
    /// The haystacks of `steps`.
    pub fn build<'a>(steps: impl IntoIterator<Item = &'a Step>) -> Self {
        Self(
            steps
                .into_iter()
                .map(|s| haystack(s).into_boxed_str())
                .collect(),
        )
    }

    /// The haystack of step `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<&str> {
        self.0.get(index).map(AsRef::as_ref)
    }

    /// How many steps.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no steps.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
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
