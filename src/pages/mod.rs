//! Routed pages.

pub mod home;
pub mod run;
