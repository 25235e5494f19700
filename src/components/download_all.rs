//! The run page's "Download all" button. The dialog it opens
//! ([`DownloadDialog`](super::download_dialog::DownloadDialog)) is a chunk of
//! its own, fetched on the first click.

use crate::api::Run;
use crate::components::download_dialog::DownloadAllContext;
use crate::components::lazy::download_dialog;
use crate::components::LazyWhen;
use leptos::prelude::*;
use reactive_stores::Store;

/// "Download all": opens the dialog that saves a manifest of every output
/// and, where the media host allows it, the files themselves.
#[component]
pub fn DownloadAll(
    /// The run.
    run: Store<Run>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    provide_context(DownloadAllContext { run, open });
    view! {
        <div class="download-all">
            <button type="button" class="button" aria-haspopup="dialog" on:click=move |_| open.set(true)>
                "Download all"
            </button>
            <LazyWhen when=open load=download_dialog />
        </div>
    }
}
