//! runview: watch a blueprint run of the Runs API live.
//!
//! Data flows one way: [`api`] (wire types, client) → [`poll`] (the polling
//! resource, patching a reactive store per response) → [`components`] and
//! [`pages`]. [`model`] and [`poll`]'s policy hold the plain-Rust logic the
//! views read; [`state`] holds settings, recent runs and the clock;
//! [`routes`] every path and query of the app.

pub mod api;
pub mod components;
pub mod model;
pub mod pages;
pub mod perf;
pub mod poll;
pub mod routes;
pub mod state;
pub mod tab;

use components::lazy::{media_viewer, settings_dialog};
use components::{KeyboardShortcuts, LazyView, LazyWhen, RunIdBox, TopbarMenu, Viewer};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;
use pages::lazy;
use state::{clock::Clock, recent::RecentRuns, settings::Settings};

/// The application root: app-wide state, the header, and the routes.
#[component]
pub fn App() -> impl IntoView {
    let settings = Settings::provide();
    RecentRuns::provide();
    state::recent::RecentBlueprints::provide();
    Clock::provide();
    state::time_display::TimeDisplay::provide();
    state::page_actions::PageActions::provide();
    let viewer = Viewer::provide();
    let help_open = RwSignal::new(false);
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="topbar">
                <A href=routes::HOME attr:class="topbar__brand">"runview"</A>
                // The run-id box (focused by `/`) and the shortcuts help (`?`).
                <RunIdBox parse=pages::home::parse_run_input />
                <TopbarMenu help_open settings_open=settings.panel_open />
            </header>
            <main id="main" class="page">
                <Routes fallback=|| view! {
                    <div class="page-state"><h1>"Page not found"</h1><a href=routes::HOME>"Go home"</a></div>
                }>
                    <Route path=path!("/") view=|| view! { <LazyView load=lazy::home_page /> } />
                    <Route path=path!("/runs/:id") view=pages::run::RunPage />
                    // History and compare pages: loaded on demand (their own wasm chunks in release builds; see pages::lazy).
                    <Route path=path!("/blueprints/:id") view=|| view! { <LazyView load=lazy::history_page /> } />
                    <Route path=path!("/blueprints/:bp/compare/:run") view=|| view! { <LazyView load=lazy::compare_previous_page /> } />
                    <Route path=path!("/compare/:a/:b") view=|| view! { <LazyView load=lazy::compare_page /> } />
                </Routes>
            </main>
            // Dialogs: their code is fetched the first time they open.
            <LazyWhen when=settings.panel_open load=settings_dialog />
            <LazyWhen when=viewer.is_open() load=media_viewer />
            <KeyboardShortcuts help_open />
        </Router>
    }
}
