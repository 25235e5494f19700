//! Pages whose code loads on demand: the history and the two compare views.
//!
//! In the release build (`trunk build --release`, which runs
//! `scripts/split.sh`) each `split_page!` function below is a split point:
//! the code only it reaches leaves the main wasm for a chunk that the browser
//! fetches the first time the route is shown, so the run page's first load
//! does not carry it. Elsewhere (debug builds, `trunk serve`, the browser
//! tests) the same functions are plain `async fn`s, so the pages behave the
//! same, only without the extra fetch.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::future::Future;
use std::pin::Pin;

/// A page's code could not be fetched (network error, or the server no
/// longer has that chunk after a deploy). Loading again may succeed: a failed
/// load is never remembered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkError;

#[cfg(all(target_arch = "wasm32", not(debug_assertions)))]
impl From<wasm_split_helpers::SplitLoaderError> for ChunkError {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// Builds a lazily loaded page, after fetching its code if needed.
pub type PageFuture = Pin<Box<dyn Future<Output = Result<AnyView, ChunkError>>>>;

/// A page loader as a plain function pointer (a prop, copied freely).
pub type PageLoader = fn() -> PageFuture;

/// `split_page!(name, body)`: `async fn name() -> Result<AnyView, ChunkError>`
/// building `body`; a split point named `name` in release wasm builds.
macro_rules! split_page {
    ($name:ident, $body:expr) => {
        #[cfg(all(target_arch = "wasm32", not(debug_assertions)))]
        #[wasm_split_helpers::wasm_split($name, fallible)]
        fn $name() -> Result<AnyView, ChunkError> {
            Ok($body.into_any())
        }

        #[cfg(not(all(target_arch = "wasm32", not(debug_assertions))))]
        async fn $name() -> Result<AnyView, ChunkError> {
            Ok($body.into_any())
        }
    };
}

split_page!(history, view! { <super::history::HistoryPage /> });
split_page!(compare, view! { <super::compare::ComparePage /> });
split_page!(
    compare_previous,
    view! { <super::compare_previous::ComparePreviousPage /> }
);

/// Loads `/blueprints/:id`.
pub fn history_page() -> PageFuture {
    Box::pin(history())
}

/// Loads `/compare/:a/:b`.
pub fn compare_page() -> PageFuture {
    Box::pin(compare())
}

/// Loads `/blueprints/:bp/compare/:run`.
pub fn compare_previous_page() -> PageFuture {
    Box::pin(compare_previous())
}

/// A page whose code is fetched on first use: a loading line meanwhile; if
/// the fetch fails, what happened and a Retry button (each retry fetches
/// again; the rest of the app keeps working).
#[component]
pub fn LazyPage(
    /// Fetches the page's code if needed and builds the page.
    load: PageLoader,
) -> impl IntoView {
    let attempt = RwSignal::new(0u32);
    let retry = Callback::new(move |()| attempt.update(|n| *n += 1));
    view! {
        <Suspense fallback=|| view! { <p class="page-state" aria-busy="true">"Loading this view…"</p> }>
            {move || {
                attempt.track();
                // The page view is built while this future is polled, under
                // the route's owner (params, settings and the router's
                // context are all there); the wrapper only satisfies
                // `Suspend`'s `Send` bound in the single-threaded browser.
                Suspend::new(SendWrapper::new(async move {
                    match load().await {
                        Ok(page) => page,
                        Err(ChunkError) => view! { <ChunkFailed retry /> }.into_any(),
                    }
                }))
            }}
        </Suspense>
    }
}

/// The message shown when a page's code could not be fetched.
#[component]
pub fn ChunkFailed(
    /// Called by the Retry button: fetch the code again.
    retry: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="page-state" role="alert">
            <h1>"This view could not be loaded"</h1>
            <p>
                "Its code did not arrive from the server (the network may be down, or the app was updated meanwhile). "
                "Check the connection and try again; reloading the page also works."
            </p>
            <button type="button" class="button" on:click=move |_| retry.run(())>"Retry"</button>
            " "
            <a href=crate::routes::HOME>"Go home"</a>
        </div>
    }
}
