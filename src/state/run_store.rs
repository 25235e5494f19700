//! Applying a response to the run's reactive store.

use crate::api::decode::Steps;
use crate::api::{Run, RunStoreFields, Step};
use leptos::prelude::{IsDisposed, Set, WithUntracked};
use reactive_stores::{Patch, Store, StoreField};

/// Shows the first run: replaces the placeholder, then registers each
/// step's key ([`Step::key`](crate::api::Step::key): its `stepId`, distinct
/// even for repeated ids), so later patches can address steps by key.
///
/// The keys are registered in a task of their own, after the first paint:
/// for 5,000 steps that is ~10 ms the first render does not need (the
/// timeline reads steps by index; the first keyed access before then
/// registers them itself).
pub fn load(store: Store<Run>, run: Run) {
    store.set(run);
    leptos::prelude::set_timeout(
        move || {
            // The page may have gone in between.
            if !store.is_disposed() {
                store.steps().update_keys();
            }
        },
        std::time::Duration::ZERO,
    );
}

/// Patches a decoded update: `head` (a run whose `steps` are ignored) field
/// by field, then the steps: the whole list diffed by key, or only the
/// changed ones, each at its own key (so a repeated `stepId` still lands on
/// its own row). Returns whether the store changed: each field is compared
/// once, and only a field that differs is patched (a body can differ in
/// bytes only, e.g. in key order or whitespace, and change nothing).
pub fn apply(store: Store<Run>, head: Run, steps: Steps) -> bool {
    let Run {
        run_id,
        blueprint_id,
        status,
        started_at,
        completed_at,
        progress,
        final_outputs,
        steps: _,
    } = head;
    // Every field is patched (no short-circuit): `|`, not `||`.
    let head_changed = patch_if(store.run_id(), run_id)
        | patch_if(store.blueprint_id(), blueprint_id)
        | patch_if(store.status(), status)
        | patch_if(store.started_at(), started_at)
        | patch_if(store.completed_at(), completed_at)
        | patch_if(store.progress(), progress)
        | patch_if(store.final_outputs(), final_outputs);
    // The steps are compared through the whole run: reading the keyed
    // field itself would resolve keys the patch has not registered yet.
    let steps_changed = match steps {
        Steps::Replace(all) => {
            let differs = store.with_untracked(|cur| cur.steps != all);
            if differs {
                store.steps().patch(all);
            }
            differs
        }
        Steps::Patch(changed) => {
            let mut any = false;
            for (i, step) in changed {
                if store.with_untracked(|cur| cur.steps.get(i) != Some(&step)) {
                    store.steps().at_key(step.key()).patch(step);
                    any = true;
                }
            }
            any
        }
    };
    head_changed | steps_changed
}

/// Puts each `(index, step)` of `changed` in place of the step at that
/// index, in **one write**: the step list's readers (the filter, the
/// counts, the gallery) hear of it once, and each row slot re-reads its own
/// step once (and touches the DOM only if its view changed), however many
/// steps changed. For many changes at once, where [`apply`]'s patch per
/// step would notify per field of each step: a replay move at 60× changes
/// a hundred steps a frame, a jump to the start all of them.
///
/// Each step must keep its key (the same step at another moment), so the
/// keys are not rebuilt; an index past the end is skipped. Returns whether
/// anything was written.
pub fn replace_steps(store: Store<Run>, changed: Vec<(usize, Step)>) -> bool {
    if changed.is_empty() {
        return false;
    }
    // The field's own writer: on drop it notifies the list (`steps`) and
    // its ancestors, as a write of the list does, without the key rebuild
    // and the whole-store notice of `.write()`.
    let Some(mut steps) = store.steps().writer() else {
        return false;
    };
    for (i, step) in changed {
        if let Some(slot) = steps.get_mut(i) {
            debug_assert_eq!(slot.key(), step.key(), "a replaced step keeps its key");
            *slot = step;
        }
    }
    true
}

/// Patches `field` with `new` if they differ; returns whether they did.
fn patch_if<F>(field: F, new: <F as Patch>::Value) -> bool
where
    F: Patch + WithUntracked<Value = <F as Patch>::Value>,
    <F as Patch>::Value: PartialEq,
{
    let differs = field.with_untracked(|cur| *cur != new);
    if differs {
        field.patch(new);
    }
    differs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::decode::{decode_update, Update};
    use leptos::prelude::GetUntracked;

    fn update(last: Option<&crate::api::decode::Snapshot>, body: &str) -> Update {
        decode_update(last, 200, body.as_bytes().to_vec(), None).unwrap()
    }

    /// The store after the first body, keyed, and that body's snapshot.
    fn first(body: &str) -> (Store<Run>, crate::api::decode::Snapshot) {
        let Update::Changed {
            head,
            steps: Steps::Replace(all),
            snapshot,
        } = update(None, body)
        else {
            panic!("first body")
        };
        let store = Store::new(Run { steps: all, ..head });
        store.steps().update_keys();
        (store, snapshot)
    }

    #[test]
    fn a_patch_reports_a_change_only_when_a_value_changed() {
        let one = r#"{"runId":"r","status":"running","steps":[{"stepId":"a","status":"running"},{"stepId":"b","status":"queued"}]}"#;
        let (store, snapshot) = first(one);

        // Same values, different bytes: decoded, but not a change.
        let spaced = one.replace(r#""status":"queued""#, r#""status" : "queued""#);
        let Update::Changed { head, steps, .. } = update(Some(&snapshot), &spaced) else {
            panic!("bytes differ")
        };
        assert!(!apply(store, head, steps));

        let two = one.replace("queued", "running");
        let Update::Changed { head, steps, .. } = update(Some(&snapshot), &two) else {
            panic!("bytes differ")
        };
        assert!(matches!(&steps, Steps::Patch(c) if c.len() == 1));
        assert!(apply(store, head, steps));
        let statuses: Vec<_> = store
            .get_untracked()
            .steps
            .iter()
            .map(|s| s.status.clone())
            .collect();
        assert_eq!(statuses, vec![crate::api::Status::Running; 2]);
    }

    #[test]
    fn many_steps_are_replaced_in_one_write_that_their_readers_hear() {
        use crate::api::Status;
        use crate::api::StepStoreFields;
        use leptos::prelude::{Get, Memo, With};
        let one = r#"{"runId":"r","status":"running","steps":[{"stepId":"a","status":"running"},{"stepId":"b","status":"queued"},{"stepId":"b","status":"queued"}]}"#;
        let (store, _) = first(one);
        // A reader of the list, and a row reading its step by key.
        let failed = Memo::new(move |_| {
            store
                .steps()
                .with(|s| s.iter().filter(|s| s.status == Status::Failed).count())
        });
        let row = Memo::new(move |_| store.steps().at_key("b#1".to_string()).status().get());
        assert_eq!((failed.get(), row.get()), (0, Status::Queued));

        let mut steps = store.get_untracked().steps;
        for step in &mut steps {
            step.status = Status::Failed;
        }
        let past_the_end = (9, steps[0].clone());
        let changed = vec![(1, steps[1].clone()), (2, steps[2].clone()), past_the_end];
        assert!(replace_steps(store, changed));
        assert_eq!((failed.get(), row.get()), (2, Status::Failed));
        assert_eq!(store.with_untracked(|r| r.steps.len()), 3);
        assert_eq!(
            store.with_untracked(|r| r.steps[0].status.clone()),
            Status::Running
        );
        assert!(!replace_steps(store, Vec::new()), "nothing to write");
    }

    #[test]
    fn a_change_to_a_repeated_step_id_lands_on_its_own_row() {
        let one = r#"{"runId":"r","status":"running","steps":[{"stepId":"a","name":"first","status":"running"},{"stepId":"a","name":"second","status":"queued"}]}"#;
        let (store, snapshot) = first(one);
        let two = one.replace(r#""status":"queued""#, r#""status":"failed""#);
        let Update::Changed { head, steps, .. } = update(Some(&snapshot), &two) else {
            panic!("bytes differ")
        };
        apply(store, head, steps);
        let rows: Vec<_> = store
            .get_untracked()
            .steps
            .iter()
            .map(|s| (s.key(), s.name.clone(), s.status.label()))
            .collect();
        assert_eq!(
            rows,
            [
                ("a".into(), "first".into(), "running".into()),
                ("a#1".into(), "second".into(), "failed".into())
            ]
        );
    }
}
