//! App-wide reactive state: settings (API base, key, project), the list of
//! recent runs, the run's store patching, and time ([`clock`]: the app's one
//! time representation, the real and fake time sources the polling hook
//! takes, and the ticking clock that drives live durations).

pub mod attempts;
pub mod attempts_codec;
pub mod clock;
pub mod deployment;
pub mod page_actions;
pub mod recent;
pub mod replay;
pub mod run_store;
pub mod settings;
pub mod time_display;
