//! Routed pages.

pub mod compare;
pub mod compare_previous;
pub mod history;
pub mod home;
pub mod run;
