//! Routed pages.

pub mod compare;
pub mod history;
pub mod home;
pub mod run;
