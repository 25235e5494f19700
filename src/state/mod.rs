//! App-wide reactive state: settings (API base, key, project), the list of
//! recent runs, and the clock that drives live durations.

pub mod clock;
pub mod page_actions;
pub mod recent;
pub mod run_store;
pub mod settings;
