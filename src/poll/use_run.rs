//! `use_run`: the one reactive polling resource behind the run page.
//!
//! The shared [`driver`](super::driver) runs the [`Poller`](super::Poller)
//! (one request at a time, timeout, visibility, the banner's state, timers
//! on a [`TimeSource`]); this hook says what a request is, `GET
//! /api/v1/runs/{runId}` (the page's first one may already be on its way,
//! see [`prefetch`]), and patches each answer into the run's store, so
//! unchanged steps re-render nothing. What it hands out is read-only, and
//! each signal notifies only when its value changes. Timers are cancelled and
//! the request in flight is aborted on unmount (and so when the run id
//! changes, since the page re-creates the hook per run) and when the API
//! settings change (then it fetches again at once).

use super::driver::{drive, Driver, Judged, Request, Source};
use super::PollConfig;
use crate::api::client::{fetch_run_raw, ApiConfig, RawResponse};
use crate::api::decode::{decode_update, Snapshot, Steps, Update};
use crate::api::prefetch;
use crate::api::{ApiError, Progress, Run, Status};
use crate::state::attempts::Attempts;
use crate::state::clock::TimeSource;
use crate::state::run_store;
use leptos::prelude::*;
use reactive_stores::Store;
use std::ops::Deref;
use std::rc::Rc;
use web_sys::AbortController;

/// What the run page reads and the controls it calls: the run's store,
/// and through [`Deref`] the driver's read-only signals (`loaded`,
/// `problem`, `updated_at`, `state`, `next_at`) and controls (`refresh`,
/// `pause`, `resume`). `Copy`.
#[derive(Clone, Copy)]
pub struct RunHandle {
    /// The run, patched with every response (read it; the hook writes it).
    pub run: Store<Run>,
    /// The earlier attempts of its steps seen by this tab (the hook writes it).
    pub attempts: Attempts,
    driver: Driver<RunSource>,
}

impl Deref for RunHandle {
    type Target = Driver<RunSource>;

    fn deref(&self) -> &Self::Target {
        &self.driver
    }
}

/// One run, as the driver polls it.
pub struct RunSource {
    run_id: String,
    run: Store<Run>,
    attempts: Attempts,
    /// The body on screen, to diff the next one against.
    snapshot: StoredValue<Option<Snapshot>>,
}

/// A decoded answer, ready to patch into the store.
pub struct Patch {
    head: Run,
    steps: Steps,
    snapshot: Snapshot,
}

impl Source for RunSource {
    type Raw = RawResponse;
    type Data = Patch;

    fn start(&self, api: &ApiConfig) -> Request<RawResponse> {
        let api = api.clone();
        let run_id = self.run_id.clone();
        // The page's first request may already be on its way (prefetch.js).
        if let Some(p) = prefetch::take(&api, &run_id) {
            return Request {
                controller: Some(p.controller.clone()),
                answer: Box::pin(async move { p.response().await }),
            };
        }
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        Request {
            controller,
            answer: Box::pin(async move { fetch_run_raw(&api, &run_id, signal.as_ref()).await }),
        }
    }

    /// Decodes an answer against the snapshot of the body on screen: a
    /// byte-identical success costs a compare, and only changed steps are decoded.
    fn judge(&self, raw: RawResponse, loaded: bool) -> Result<Judged<Patch>, ApiError> {
        if !loaded {
            crate::perf::mark("runview:first-response");
        }
        crate::perf::remark("runview:apply-start");
        let update = self.snapshot.with_value(|last| {
            decode_update(last.as_ref(), raw.status, raw.body, raw.retry_after)
        })?;
        Ok(match update {
            // Byte-identical to the data on screen: nothing to decode or patch.
            Update::Same => Judged {
                terminal: self.run.with_untracked(|r| r.status.is_terminal()),
                data: None,
            },
            Update::Changed {
                head,
                steps,
                snapshot,
            } => Judged {
                terminal: head.status.is_terminal(),
                data: Some(Patch {
                    head,
                    steps,
                    snapshot,
                }),
            },
        })
    }

    /// Patches the store; changed is what the patch touched (the first
    /// body always changes the placeholder).
    fn apply(&self, data: Option<Patch>, first: bool) -> bool {
        let changed = match data {
            None => false,
            Some(Patch {
                head,
                steps,
                snapshot,
            }) => {
                self.snapshot.set_value(Some(snapshot));
                if !first {
                    // Only steps whose `attemptNo` went up cost more than a compare.
                    self.run
                        .with_untracked(|r| self.attempts.observe(&r.steps, &steps));
                    run_store::apply(self.run, head, steps)
                } else {
                    // The first body has no snapshot to diff against, so its
                    // steps come whole; a patch would still apply correctly.
                    match steps {
                        Steps::Replace(all) => {
                            run_store::load(self.run, Run { steps: all, ..head })
                        }
                        patch => {
                            run_store::apply(self.run, head, patch);
                        }
                    }
                    crate::perf::mark_before_paint("runview:first-data");
                    true
                }
            }
        };
        crate::perf::measure("runview:apply", "runview:apply-start");
        changed
    }
}

/// Polls `GET /api/v1/runs/{run_id}` with the API settings `api` (new
/// settings fetch again at once), tuned by `config`, on the clock `time`,
/// starting at once.
pub fn use_run(
    run_id: String,
    api: Signal<ApiConfig>,
    config: PollConfig,
    time: Rc<dyn TimeSource>,
) -> RunHandle {
    let run = Store::new(placeholder(&run_id));
    let attempts = Attempts::new(&run_id);
    let source = RunSource {
        run_id,
        run,
        attempts,
        snapshot: StoredValue::new(None),
    };
    RunHandle {
        run,
        attempts,
        driver: drive(source, api, config, time),
    }
}

fn placeholder(run_id: &str) -> Run {
    Run {
        run_id: run_id.to_string(),
        blueprint_id: String::new(),
        status: Status::Queued,
        started_at: None,
        completed_at: None,
        progress: Progress::default(),
        final_outputs: Vec::new(),
        steps: Vec::new(),
    }
}
