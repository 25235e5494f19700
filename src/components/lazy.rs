//! Views whose code loads on demand, and the split points of the components
//! that are not needed to paint a run: the settings dialog, the media
//! viewer, the shortcut overlay, the output gallery, the text preview,
//! the timeline's zoom controls and ruler, the "Download all" dialog,
//! replay and the list of a step's attempts.
//!
//! In the release build (`trunk build --release`, which runs
//! `scripts/split.sh`) each [`split_view!`] function is a split point: the
//! code only it reaches leaves the main wasm for a chunk that the browser
//! fetches the first time the view is shown, so the run page's first load
//! does not carry it. Elsewhere (debug builds, `trunk serve`, the browser
//! tests) the same functions are plain `async fn`s, so the views behave the
//! same, only without the extra fetch. The pages' split points are in
//! `pages::lazy`.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::future::Future;
use std::pin::Pin;

/// A view's code could not be fetched (network error, or the server no
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

/// Builds a lazily loaded view, after fetching its code if needed.
pub type ViewFuture = Pin<Box<dyn Future<Output = Result<AnyView, ChunkError>>>>;

/// A view loader as a plain function pointer (a prop, copied freely).
pub type ViewLoader = fn() -> ViewFuture;

/// `split_view!(name, loader, body)`: a split point named `name` in release
/// wasm builds that builds `body`, and `pub fn loader() -> ViewFuture`.
/// `body` takes no arguments: what it needs comes from context, provided by
/// the component that mounts the [`LazyView`]. It is wrapped in a closure,
/// so its components are created when the view is built into the page, not
/// while the code arrives: their first effects then see their elements in
/// the document (a `<dialog>` can `showModal`, an input take focus).
macro_rules! split_view {
    ($(#[$doc:meta])* $name:ident, $loader:ident, $body:expr) => {
        #[cfg(all(target_arch = "wasm32", not(debug_assertions)))]
        #[wasm_split_helpers::wasm_split($name, fallible)]
        fn $name() -> Result<AnyView, $crate::components::lazy::ChunkError> {
            Ok((move || $body).into_any())
        }

        #[cfg(not(all(target_arch = "wasm32", not(debug_assertions))))]
        async fn $name() -> Result<AnyView, $crate::components::lazy::ChunkError> {
            Ok((move || $body).into_any())
        }

        $(#[$doc])*
        pub fn $loader() -> $crate::components::lazy::ViewFuture {
            Box::pin($name())
        }
    };
}
pub(crate) use split_view;

split_view!(
    /// Loads the settings dialog.
    settings, settings_dialog, view! { <super::SettingsPanel /> }
);
split_view!(
    /// Loads the media viewer.
    viewer, media_viewer, view! { <super::Lightbox /> }
);
split_view!(
    /// Loads the shortcut overlay; its `open` signal comes from context.
    help, help_overlay,
    view! { <super::HelpOverlay open={expect_context::<super::help_overlay::HelpOpen>().0} /> }
);
split_view!(
    /// Loads the output gallery; its run comes from context.
    gallery, output_gallery,
    view! { <super::OutputGallery run={expect_context::<super::output_gallery::GalleryRun>().0} /> }
);
split_view!(
    /// Loads the timeline's zoom buttons; the zoom comes from context.
    zoom_buttons, zoom_controls,
    view! { <super::timeline::zoom_controls::ZoomControls /> }
);
split_view!(
    /// Loads the timeline's time ruler (and pinch and Ctrl+wheel zoom); the
    /// zoom comes from context.
    zoom_axis, zoom_ruler,
    view! { <super::timeline::zoom_controls::ZoomRuler /> }
);

split_view!(
    /// Loads a text output's preview; its file comes from context.
    text, text_preview,
    {
        let file = expect_context::<super::text_preview::TextPreviewFile>();
        view! { <super::TextPreview src=file.src label=file.label /> }
    }
);

split_view!(
    /// Loads the "Download all" dialog; its run comes from context.
    download, download_dialog, view! { <super::download_dialog::DownloadDialog /> }
);

split_view!(
    /// Loads the replay panel; its state comes from context.
    replay, replay_bar, view! { <super::ReplayBar /> }
);

split_view!(
    /// Loads the list of a step's attempts (the `attempts` chunk, which also
    /// holds the stored form of the attempt memory: `state::attempts_codec`);
    /// the step and the run come from context.
    attempts, attempts_list,
    view! { <super::timeline::attempts_list::AttemptsList /> }
);

/// A view whose code is fetched on first use: `loading` meanwhile; if the
/// fetch fails, what happened and a Retry button (each retry fetches again;
/// the rest of the app keeps working).
#[component]
pub fn LazyView(
    /// Fetches the view's code if needed and builds the view.
    load: ViewLoader,
    /// What shows while the code is fetched.
    #[prop(default = "Loading this view…")]
    loading: &'static str,
    /// The class of that line (`page-state` in a page; `lazy-toast` floats
    /// over the page, for dialogs).
    #[prop(default = "page-state")]
    class: &'static str,
) -> impl IntoView {
    let attempt = RwSignal::new(0u32);
    let retry = Callback::new(move |()| attempt.update(|n| *n += 1));
    view! {
        <Suspense fallback=move || view! { <p class=class role="status" aria-busy="true">{loading}</p> }>
            {move || {
                attempt.track();
                // The view is built while this future is polled, under the
                // owner of this component (params, settings, the router's
                // context and whatever the mounting component provided are
                // all there); the wrapper only satisfies `Suspend`'s `Send`
                // bound in the single-threaded browser.
                Suspend::new(SendWrapper::new(async move {
                    match load().await {
                        Ok(view) => view,
                        Err(ChunkError) => view! { <ChunkFailed retry class /> }.into_any(),
                    }
                }))
            }}
        </Suspense>
    }
}

/// A [`LazyView`] that is not there until `when` first turns true (a dialog
/// opened, say), and stays from then on: the view itself follows `when`.
#[component]
pub fn LazyWhen(
    /// First true: fetch and mount the view.
    #[prop(into)]
    when: Signal<bool>,
    /// Fetches the view's code if needed and builds the view.
    load: ViewLoader,
) -> impl IntoView {
    let wanted = Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || when.get());
    move || {
        wanted
            .get()
            .then(|| view! { <LazyView load loading="Loading…" class="lazy-toast" /> })
    }
}

/// The message shown when a view's code could not be fetched.
#[component]
pub fn ChunkFailed(
    /// Called by the Retry button: fetch the code again.
    retry: Callback<()>,
    /// The box's class (as the loading line's).
    #[prop(default = "page-state")]
    class: &'static str,
) -> impl IntoView {
    view! {
        <div class=class role="alert">
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
