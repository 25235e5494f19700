//! The polling engine: a plain-Rust policy ([`policy`], tested natively with
//! a fake clock) and the reactive hook that drives it ([`use_run`]).

pub mod policy;
pub mod use_history;
pub mod use_run;

pub use use_history::{use_history, HistoryHandle};
pub use use_run::{use_run, Problem, RunHandle};
