//! The output gallery's place on the run page: its code is a chunk
//! ([`crate::components::lazy::output_gallery`]) fetched and built right
//! after the first paint.

use crate::api::Run;
use crate::components::lazy::output_gallery;
use crate::components::output_gallery::GalleryRun;
use crate::components::{AfterPaint, LazyView};
use leptos::prelude::*;
use reactive_stores::Store;

/// The [`OutputGallery`](super::OutputGallery) as the run page shows it, below the step timeline:
/// built after the first paint (on a 5,000-step run it sits ~240,000 px
/// down, and building it was about a fifth of that run's first render), its
/// code fetched then (it is not needed to paint a run).
#[component]
pub fn DeferredGallery(
    /// The run.
    run: Store<Run>,
) -> impl IntoView {
    provide_context(GalleryRun(run));
    view! {
        <AfterPaint>
            <LazyView load=output_gallery loading="Loading the outputs…" />
        </AfterPaint>
    }
}
