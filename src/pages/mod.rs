//! Routed pages.

pub mod compare;
pub mod compare_previous;
pub mod history;
pub mod home;
pub mod lazy;
pub mod run;
