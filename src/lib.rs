//! runview: watch a blueprint run of the Runs API live.
//!
//! Data flows one way: [`api`] (wire types, client) → [`state`] (reactive
//! store patched per response, polling hook) → [`components`] and [`pages`].
//! [`model`] and [`poll::policy`] hold the plain-Rust logic every view reads.

pub mod api;
pub mod model;

use leptos::prelude::*;

/// The application root.
#[component]
pub fn App() -> impl IntoView {
    view! { <main>"runview"</main> }
}
