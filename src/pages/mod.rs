//! Routed pages. `lazy` holds their split points: every page but the run
//! page loads on demand (README "Code splitting").

pub mod compare;
pub mod compare_previous;
pub mod history;
pub mod home;
pub mod lazy;
pub mod run;
