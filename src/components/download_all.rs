//! The run page's "Download all" button. The dialog it opens
//! ([`DownloadDialog`](super::download_dialog::DownloadDialog)) is a chunk of
//! its own, fetched on the first click.

use crate::api::Run;
use crate::components::lazy::download_dialog;
use crate::components::LazyWhen;
use leptos::prelude::*;
use reactive_stores::Store;

/// What the lazily loaded dialog reads: the run and whether it is open.
#[derive(Clone, Copy)]
pub struct DownloadAllContext {
    /// The run whose outputs are listed.
    pub run: Store<Run>,
    /// Whether the dialog is open; the dialog sets it back when it closes.
    pub open: RwSignal<bool>,
}

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
