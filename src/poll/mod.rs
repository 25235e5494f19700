//! The polling engine: when to ask the API for the run again, and the
//! reactive hook that does the asking.
//!
//! Plain Rust, tested natively with a fake clock:
//! - [`config`]: the tuning ([`PollConfig`]: intervals, backoff, timeout).
//! - [`hints`]: the server's "not before" (`Retry-After`, `deferUntil`).
//! - [`backoff`]: how long to wait after a failure.
//! - [`poller`]: the state machine ([`Poller`]) that puts them together: one
//!   request at a time, cadence, stops, sequence numbers.
//!
//! Reactive, tested in the browser with a fake [`TimeSource`](crate::state::clock::TimeSource):
//! - [`driver`]: drives a [`Poller`] with real requests and timers, for any
//!   [`Source`](driver::Source) of data, and hands out read-only signals.
//! - [`use_run`](mod@use_run): a run, patched into its store.
//! - [`use_history`](mod@use_history): a blueprint's run history, page by page.
//!
//! Dependencies point down: this module reads `api` (the client, the error
//! type), `model` (what a status means) and `state` (time, the store); only
//! components and pages read it.

pub mod backoff;
pub mod config;
pub mod driver;
pub mod hints;
pub mod poller;
pub mod use_history;
pub mod use_run;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod props;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod soak;

pub use config::PollConfig;
pub use driver::Problem;
pub use poller::{Fatal, Next, Outcome, PollState, Poller, StopReason};
pub use use_history::{use_history, HistoryHandle};
pub use use_run::{use_run, RunHandle};
