//! Applying a response to the run's reactive store.

use crate::api::{Run, RunStoreFields};
use reactive_stores::{Patch, Store};

/// Patches `new` into the store field by field: a field notifies its
/// subscribers only if its value changed, and steps are diffed by `stepId`,
/// so an unchanged step re-renders nothing and a changed one only its row.
pub fn patch_run(store: Store<Run>, new: Run) {
    let Run {
        run_id,
        blueprint_id,
        status,
        started_at,
        completed_at,
        progress,
        final_outputs,
        steps,
    } = new;
    store.run_id().patch(run_id);
    store.blueprint_id().patch(blueprint_id);
    store.status().patch(status);
    store.started_at().patch(started_at);
    store.completed_at().patch(completed_at);
    store.progress().patch(progress);
    store.final_outputs().patch(final_outputs);
    store.steps().patch(steps);
}
