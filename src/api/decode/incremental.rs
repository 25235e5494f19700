//! Decoding a poll against the body on screen.
//!
//! A poll of a long run mostly repeats the previous body. So the body is read
//! in two layers: the run's own fields, and each step as raw JSON
//! ([`RawValue`], a slice of the body, no allocation). A step whose bytes
//! equal the same step's bytes in the last applied body is not decoded at
//! all; [`decode_update`] hands back only the steps that changed. Each step
//! is read by the same field rule as [`decode_run`](super::decode_run), so
//! applying an update to the decode of the previous body gives the decode of
//! the new one (a property test holds it to that).

use super::whole::{
    assign_occurrences, check_status, decode_step, place_outputs, wire_run, wire_run_whole,
};
use crate::api::{ApiError, Run, Step};
use serde_json::value::RawValue;
use std::ops::Range;
use std::sync::Arc;
use std::sync::OnceLock;

/// The last applied body, kept to tell which steps a new body changes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    body: Vec<u8>,
    /// Where each step's JSON lies in `body`: found when the next body is
    /// compared with this one (a first body is decoded in one pass, so the
    /// first render does not wait for a second scan of a large body).
    spans: OnceLock<Vec<Range<usize>>>,
    /// Each step's id and occurrence, in order (shared from snapshot to
    /// snapshot while the step list keeps its shape).
    ids: Arc<[(String, u32)]>,
}

/// How a new body's steps relate to the snapshot's.
#[derive(Clone, Debug, PartialEq)]
pub enum Steps {
    /// Every step (the first body, or steps were added, removed or reordered).
    Replace(Vec<Step>),
    /// The same steps in the same order; these are the ones whose JSON
    /// changed, with their index.
    Patch(Vec<(usize, Step)>),
}

/// A successful answer, decoded as far as it differs from the snapshot.
// One value per poll, moved once: boxing `Changed` would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Update {
    /// Byte-identical to the snapshot's body: nothing was decoded.
    Same,
    /// A new body.
    Changed {
        /// Every field of the run but `steps`, which is left empty.
        head: Run,
        /// The steps, whole or as the changed ones.
        steps: Steps,
        /// What to compare the next body with, once this one is applied.
        snapshot: Snapshot,
    },
}

/// Decodes an answer against `last`, the snapshot of the body on screen:
/// [`Update::Same`] for a byte-identical success, else the run's fields and
/// only the steps whose JSON differs (all of them when there is no snapshot
/// or the step list changed shape).
pub fn decode_update(
    last: Option<&Snapshot>,
    status: u16,
    body: Vec<u8>,
    retry_after: Option<String>,
) -> Result<Update, ApiError> {
    check_status(status, &body, retry_after)?;
    let Some(last) = last else {
        // Nothing to compare with: every step, decoded in one pass.
        let wire = wire_run_whole(&body)?;
        let mut all = wire.steps;
        assign_occurrences(&mut all);
        let ids = all
            .iter()
            .map(|s| (s.step_id.clone(), s.occurrence))
            .collect();
        return Ok(Update::Changed {
            head: wire.head,
            steps: Steps::Replace(all),
            snapshot: Snapshot {
                body,
                spans: OnceLock::new(),
                ids,
            },
        });
    };
    if last.body == body {
        return Ok(Update::Same);
    }
    let wire = wire_run(&body)?;
    let spans: Vec<Range<usize>> = wire.steps.iter().map(|raw| span(&body, raw)).collect();
    let patch = match last.spans() {
        Some(last_spans) if last_spans.len() == spans.len() => {
            changed_steps(last, last_spans, &body, &wire.steps, &spans)?
        }
        _ => None,
    };
    let (steps, ids) = match patch {
        Some(changed) => (Steps::Patch(changed), last.ids.clone()),
        None => {
            let mut all = wire
                .steps
                .iter()
                .map(|raw| decode_step(raw))
                .collect::<Result<Vec<_>, _>>()?;
            assign_occurrences(&mut all);
            let ids = all
                .iter()
                .map(|s| (s.step_id.clone(), s.occurrence))
                .collect();
            (Steps::Replace(all), ids)
        }
    };
    Ok(Update::Changed {
        head: wire.head,
        steps,
        snapshot: Snapshot {
            body,
            spans: OnceLock::from(spans),
            ids,
        },
    })
}

impl Snapshot {
    /// Where each step's JSON lies in the body, found now if not yet;
    /// `None` if the body is no longer readable as a run (it was, when it
    /// was applied: then the next body is taken whole).
    fn spans(&self) -> Option<&[Range<usize>]> {
        if self.spans.get().is_none() {
            let wire = wire_run(&self.body).ok()?;
            let spans = wire.steps.iter().map(|raw| span(&self.body, raw)).collect();
            let _ = self.spans.set(spans);
        }
        self.spans.get().map(Vec::as_slice)
    }
}

/// Applies an update to a run held as a plain value (what the store does
/// field by field, see `state::run_store::apply`): the head replaces the
/// run's fields, then the steps are replaced whole or patched by index.
pub fn apply_to(run: &mut Run, head: Run, steps: Steps) {
    let old_steps = std::mem::take(&mut run.steps);
    *run = Run {
        steps: old_steps,
        ..head
    };
    match steps {
        Steps::Replace(all) => run.steps = all,
        Steps::Patch(changed) => {
            for (i, step) in changed {
                if let Some(slot) = run.steps.get_mut(i) {
                    *slot = step;
                }
            }
        }
    }
}

/// The steps whose bytes differ from the same index in `last`, decoded (each
/// with the occurrence its id had there); `None` when one of them is a
/// different step (so the list changed shape). With every id unchanged, the
/// occurrences are unchanged too.
#[allow(clippy::type_complexity)]
fn changed_steps(
    last: &Snapshot,
    last_spans: &[Range<usize>],
    body: &[u8],
    raws: &[&RawValue],
    spans: &[Range<usize>],
) -> Result<Option<Vec<(usize, Step)>>, ApiError> {
    let mut changed = Vec::new();
    for (i, (raw, (new, old))) in raws.iter().zip(spans.iter().zip(last_spans)).enumerate() {
        if body[new.clone()] == last.body[old.clone()] {
            continue;
        }
        let mut step = decode_step(raw)?;
        let (id, occurrence) = &last.ids[i];
        if step.step_id != *id {
            return Ok(None);
        }
        step.occurrence = *occurrence;
        let key = step.key();
        place_outputs(&mut step.outputs, &key);
        changed.push((i, step));
    }
    Ok(Some(changed))
}

/// Where `raw` lies in `body`: a borrowed [`RawValue`] is a slice of the body.
fn span(body: &[u8], raw: &RawValue) -> Range<usize> {
    let start = raw.get().as_ptr() as usize - body.as_ptr() as usize;
    debug_assert!(start + raw.get().len() <= body.len());
    start..start + raw.get().len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::decode::decode_run;
    use crate::api::Status;

    const GOLDEN: &str = include_str!("../../../tests/fixtures/run_abc123.json");

    /// A run body with the given `(stepId, status)` steps.
    fn body(steps: &[(&str, &str)]) -> Vec<u8> {
        let steps: Vec<String> = steps
            .iter()
            .map(|(id, st)| format!(r#"{{"stepId":"{id}","name":"n {id}","status":"{st}"}}"#))
            .collect();
        format!(
            r#"{{"runId":"r","status":"running","progress":{{"totalSteps":{}}},"steps":[{}]}}"#,
            steps.len(),
            steps.join(",")
        )
        .into_bytes()
    }

    fn changed(update: Update) -> (Run, Steps, Snapshot) {
        match update {
            Update::Changed {
                head,
                steps,
                snapshot,
            } => (head, steps, snapshot),
            Update::Same => panic!("expected a change"),
        }
    }

    #[test]
    fn updates_decode_only_the_steps_that_changed() {
        let first = body(&[("a", "running"), ("b", "queued"), ("c", "queued")]);
        let (head, steps, snap) = changed(decode_update(None, 200, first.clone(), None).unwrap());
        assert_eq!(head.progress.total_steps, 3);
        assert!(head.steps.is_empty());
        let Steps::Replace(all) = steps else {
            panic!("the first body carries every step")
        };
        assert_eq!(all.len(), 3);

        assert_eq!(
            decode_update(Some(&snap), 200, first, None).unwrap(),
            Update::Same
        );

        let second = body(&[("a", "succeeded"), ("b", "queued"), ("c", "running")]);
        let (_, steps, snap2) = changed(decode_update(Some(&snap), 200, second, None).unwrap());
        let Steps::Patch(diff) = steps else {
            panic!("same steps: only the changed ones")
        };
        let got: Vec<_> = diff
            .iter()
            .map(|(i, s)| (*i, s.step_id.as_str(), s.status.clone()))
            .collect();
        assert_eq!(
            got,
            [(0, "a", Status::Succeeded), (2, "c", Status::Running)]
        );
        assert!(
            Arc::ptr_eq(&snap.ids, &snap2.ids),
            "ids are shared, not copied"
        );
    }

    #[test]
    fn a_patch_to_a_repeated_id_lands_on_its_own_row() {
        let first = body(&[("a", "running"), ("a", "queued"), ("b", "queued")]);
        let (head, steps, snap) = changed(decode_update(None, 200, first, None).unwrap());
        let mut run = Run {
            steps: Vec::new(),
            ..head.clone()
        };
        apply_to(&mut run, head, steps);
        let second = body(&[("a", "running"), ("a", "succeeded"), ("b", "queued")]);
        let (head, steps, _) =
            changed(decode_update(Some(&snap), 200, second.clone(), None).unwrap());
        let Steps::Patch(diff) = &steps else {
            panic!("same ids: a patch")
        };
        assert_eq!(
            diff.iter().map(|(i, s)| (*i, s.key())).collect::<Vec<_>>(),
            [(1, "a#1".to_string())]
        );
        apply_to(&mut run, head, steps);
        let whole = decode_run(200, std::str::from_utf8(&second).unwrap(), None).unwrap();
        assert_eq!(run, whole);
        assert_eq!(run.steps[0].status, Status::Running);
        assert_eq!(run.steps[1].status, Status::Succeeded);
    }

    #[test]
    fn a_reshaped_step_list_is_replaced_whole() {
        let first = body(&[("a", "running"), ("b", "queued")]);
        let (_, _, snap) = changed(decode_update(None, 200, first, None).unwrap());
        for next in [
            body(&[("b", "queued"), ("a", "running")]),
            body(&[("a", "running"), ("b", "queued"), ("c", "queued")]),
            body(&[("a", "running")]),
            body(&[("a", "running"), ("z", "queued")]),
        ] {
            let (_, steps, snap) = changed(decode_update(Some(&snap), 200, next, None).unwrap());
            let Steps::Replace(all) = steps else {
                panic!("reshaped list must be replaced whole")
            };
            let ids: Vec<_> = all.iter().map(|s| (s.step_id.clone(), 0u32)).collect();
            assert_eq!(*snap.ids, *ids);
        }
    }

    #[test]
    fn failed_updates_say_why_and_keep_nothing() {
        let first = body(&[("a", "running")]);
        let (_, _, snap) = changed(decode_update(None, 200, first, None).unwrap());
        let bad_steps = br#"{"runId":"r","status":"running","steps":{"stepId":"a"}}"#;
        assert!(matches!(
            decode_update(Some(&snap), 200, bad_steps.to_vec(), None),
            Err(ApiError::Decode(m)) if m.contains("`steps` as a list")
        ));
        // Not UTF-8: refused, first body or not, saying where.
        let not_utf8 = b"{\"runId\":\"r\xff\",\"status\":\"running\"}".to_vec();
        for last in [None, Some(&snap)] {
            assert!(matches!(
                decode_update(last, 200, not_utf8.clone(), None),
                Err(ApiError::Decode(m)) if m.contains("invalid unicode code point at line 1 column 12")
            ));
        }
        assert!(matches!(
            decode_update(Some(&snap), 500, b"<h1>oops</h1>".to_vec(), None),
            Err(ApiError::Http { status: 500, .. })
        ));
        assert!(matches!(
            decode_update(Some(&snap), 200, b"  ".to_vec(), None),
            Err(ApiError::Decode(m)) if m.contains("empty body")
        ));
    }

    #[test]
    fn the_golden_fixture_decodes_the_same_whole_or_as_an_update() {
        let (head, steps, _) = changed(decode_update(None, 200, GOLDEN.into(), None).unwrap());
        let Steps::Replace(all) = steps else {
            panic!("first body")
        };
        assert_eq!(
            Run { steps: all, ..head },
            decode_run(200, GOLDEN, None).unwrap()
        );
    }
}
