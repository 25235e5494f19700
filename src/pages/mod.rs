//! Routed pages. `lazy` holds the split points: the history and the compare
//! views load on demand (README "Code splitting").

pub mod compare;
pub mod compare_previous;
pub mod history;
pub mod home;
pub mod lazy;
pub mod run;
