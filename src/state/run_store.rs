//! Applying a response to the run's reactive store.

use crate::api::decode::Steps;
use crate::api::{Run, RunStoreFields};
use leptos::prelude::{IsDisposed, Set, WithUntracked};
use reactive_stores::{Patch, Store};

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

/// Patches `new` into the store field by field: a field notifies its
/// subscribers only if its value changed, and steps are diffed by key,
/// so an unchanged step re-renders nothing and a changed one only its row.
pub fn patch_run(store: Store<Run>, mut new: Run) {
    let steps = std::mem::take(&mut new.steps);
    apply(store, new, Steps::Replace(steps));
}

/// Patches a decoded update: `head` (a run whose `steps` are ignored) field
/// by field, then the steps: the whole list diffed by key, or only the
/// changed ones, each at its own key (so a repeated `stepId` still lands on
/// its own row).
pub fn apply(store: Store<Run>, head: Run, steps: Steps) {
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
    store.run_id().patch(run_id);
    store.blueprint_id().patch(blueprint_id);
    store.status().patch(status);
    store.started_at().patch(started_at);
    store.completed_at().patch(completed_at);
    store.progress().patch(progress);
    store.final_outputs().patch(final_outputs);
    match steps {
        Steps::Replace(all) => store.steps().patch(all),
        Steps::Patch(changed) => {
            for (_, step) in changed {
                store.steps().at_key(step.key()).patch(step);
            }
        }
    }
}

/// Whether applying `head` and `steps` would change what the store holds
/// (a body can differ in bytes only, e.g. in key order or whitespace).
pub fn differs(store: Store<Run>, head: &Run, steps: &Steps) -> bool {
    store.with_untracked(|cur| {
        let head_differs = cur.run_id != head.run_id
            || cur.blueprint_id != head.blueprint_id
            || cur.status != head.status
            || cur.started_at != head.started_at
            || cur.completed_at != head.completed_at
            || cur.progress != head.progress
            || cur.final_outputs != head.final_outputs;
        head_differs
            || match steps {
                Steps::Replace(all) => cur.steps != *all,
                Steps::Patch(changed) => changed
                    .iter()
                    .any(|(i, step)| cur.steps.get(*i) != Some(step)),
            }
    })
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
    fn patches_apply_changed_steps_and_byte_only_changes_are_not_changes() {
        let one = r#"{"runId":"r","status":"running","steps":[{"stepId":"a","status":"running"},{"stepId":"b","status":"queued"}]}"#;
        let (store, snapshot) = first(one);

        // Same values, different bytes: decoded, but not a change.
        let spaced = one.replace(r#""status":"queued""#, r#""status" : "queued""#);
        let Update::Changed { head, steps, .. } = update(Some(&snapshot), &spaced) else {
            panic!("bytes differ")
        };
        assert!(!differs(store, &head, &steps));

        let two = one.replace("queued", "running");
        let Update::Changed { head, steps, .. } = update(Some(&snapshot), &two) else {
            panic!("bytes differ")
        };
        assert!(matches!(&steps, Steps::Patch(c) if c.len() == 1));
        assert!(differs(store, &head, &steps));
        apply(store, head, steps);
        let statuses: Vec<_> = store
            .get_untracked()
            .steps
            .iter()
            .map(|s| s.status.clone())
            .collect();
        assert_eq!(statuses, vec![crate::api::Status::Running; 2]);
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
